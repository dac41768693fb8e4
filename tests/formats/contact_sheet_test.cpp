// Contact sheets: the grid, each cell exactly the render of its view, and the refusals before any rendering.
#include "voxd/core/formats/contact_sheet.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace voxd::core::formats {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kGreen{0, 255, 0, 255};

ProjectState small_model() {
  ProjectState state;
  state.layers.emplace_back();
  state.layers.back().volume.set({0, 0, 0}, kRed);
  state.layers.back().volume.set({1, 0, 0}, kGreen);
  state.layers.back().volume.set({0, 0, 1}, kGreen);
  return state;
}

// The w x h pixels of `sheet` whose top left corner is (left, top).
std::vector<std::uint8_t> crop(const Image& sheet, int left, int top, int w, int h) {
  std::vector<std::uint8_t> out;
  for (int y = top; y < top + h; ++y) {
    const auto* row = sheet.rgba.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(sheet.width) +
                                           static_cast<std::size_t>(left)) *
                                              4;
    out.insert(out.end(), row, row + static_cast<std::ptrdiff_t>(w) * 4);
  }
  return out;
}

TEST(ContactSheet, LayoutIsAsSquareAsItGetsWiderThanTall) {
  const std::vector<std::pair<std::size_t, std::size_t>> expected{{0, 0}, {1, 1}, {2, 1}, {2, 2}, {2, 2},
                                                                   {3, 2}, {3, 2}, {3, 3}, {3, 3}, {3, 3}};
  for (std::size_t n = 1; n < expected.size(); ++n) {
    const SheetLayout layout = sheet_layout(n);
    EXPECT_EQ(layout.columns, expected[n].first) << n;
    EXPECT_EQ(layout.rows, expected[n].second) << n;
    EXPECT_GE(layout.columns * layout.rows, n);
  }
  EXPECT_EQ(sheet_layout(16).columns, 4U);
  EXPECT_EQ(sheet_layout(16).rows, 4U);
}

// Three views on a 2 x 2 grid: each cell holds exactly that view's own render; the gaps and the empty cell
// are transparent.
TEST(ContactSheet, EachCellIsTheRenderOfItsView) {
  const ProjectState state = small_model();
  RenderParams base;
  base.width = 30;
  base.height = 20;
  base.background = Color{10, 20, 30, 255};  // so cells differ from the transparent gaps
  std::vector<RenderParams> shots;
  for (const View view : {View::front, View::top, View::free}) {
    RenderParams shot = base;
    shot.view = view;
    shot.camera.yaw = 200.0;
    shots.push_back(shot);
  }
  const auto png = render_contact_sheet_png(state, shots);
  ASSERT_TRUE(png.ok()) << png.error().message;
  const auto sheet = decode_png(*png, kMaxSheetPixels);
  ASSERT_TRUE(sheet.ok()) << sheet.error().message;
  ASSERT_EQ(sheet->width, 2 * 30 + kSheetGap);
  ASSERT_EQ(sheet->height, 2 * 20 + kSheetGap);
  const int cells[3][2] = {{0, 0}, {30 + kSheetGap, 0}, {0, 20 + kSheetGap}};
  for (std::size_t i = 0; i < shots.size(); ++i) {
    const auto alone = render(state, shots[i]);
    ASSERT_TRUE(alone.ok());
    EXPECT_EQ(crop(*sheet, cells[i][0], cells[i][1], 30, 20), alone->rgba) << "view " << i;
  }
  const std::vector<std::uint8_t> clear_cell(30 * 20 * 4, 0);
  EXPECT_EQ(crop(*sheet, 30 + kSheetGap, 20 + kSheetGap, 30, 20), clear_cell);
  const std::vector<std::uint8_t> clear_gap(kSheetGap * 20 * 4, 0);
  EXPECT_EQ(crop(*sheet, 30, 0, kSheetGap, 20), clear_gap);
}

TEST(ContactSheet, SmallerImagesAreCentredInTheirCells) {
  Image big{6, 4, std::vector<std::uint8_t>(6 * 4 * 4, 200)};
  Image small{2, 2, std::vector<std::uint8_t>(2 * 2 * 4, 100)};
  const std::vector<Image> images{big, small};
  const auto sheet = compose_contact_sheet(images, 1000);
  ASSERT_TRUE(sheet.ok()) << sheet.error().message;
  EXPECT_EQ(sheet->width, 6 + kSheetGap + 6);
  EXPECT_EQ(sheet->height, 4);
  EXPECT_EQ(crop(*sheet, 6 + kSheetGap + 2, 1, 2, 2), small.rgba);
  EXPECT_EQ(crop(*sheet, 0, 0, 6, 4), big.rgba);
  EXPECT_EQ(crop(*sheet, 6 + kSheetGap, 0, 1, 4), std::vector<std::uint8_t>(4 * 4, 0));
}

TEST(ContactSheet, RefusalsComeBeforeAnyRenderAndNameTheirCause) {
  const ProjectState state = small_model();
  EXPECT_EQ(render_contact_sheet_png(state, {}).code(), ErrorCode::invalid_argument);
  const std::vector<RenderParams> seventeen(kMaxSheetShots + 1, RenderParams{View::iso, 8, 8});
  EXPECT_EQ(render_contact_sheet_png(state, seventeen).code(), ErrorCode::invalid_argument);
  // Four 4096 x 4096 views would be a sheet of 8196 x 8196 pixels.
  const std::vector<RenderParams> huge(4, RenderParams{View::iso, 4096, 4096});
  const auto too_big = render_contact_sheet_png(state, huge);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(too_big.error().message.find("8196x8196"), std::string::npos) << too_big.error().message;
  std::vector<RenderParams> bad(3, RenderParams{View::iso, 8, 8});
  bad[2].view = View::free;
  bad[2].camera.pitch = 95.0;
  const auto refused = render_contact_sheet_png(state, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::invalid_argument);
  EXPECT_NE(refused.error().message.find("view 3 of the sheet"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("pitch"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace voxd::core::formats
