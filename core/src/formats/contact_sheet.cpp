#include "voxd/core/formats/contact_sheet.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace voxd::core::formats {
namespace {

struct SheetSize {
  int cell_width = 0;
  int cell_height = 0;
  std::int64_t width = 0;
  std::int64_t height = 0;
};

template <typename Shot, typename Width, typename Height>
Result<SheetSize> size_of_sheet(std::span<const Shot> shots, Width width_of, Height height_of,
                                std::int64_t max_pixels) {
  if (shots.empty() || shots.size() > kMaxSheetShots) {
    return make_error(ErrorCode::invalid_argument, "a contact sheet has 1.." + std::to_string(kMaxSheetShots) +
                                                       " views, not " + std::to_string(shots.size()));
  }
  SheetSize size;
  for (const Shot& shot : shots) {
    size.cell_width = std::max(size.cell_width, width_of(shot));
    size.cell_height = std::max(size.cell_height, height_of(shot));
  }
  const SheetLayout layout = sheet_layout(shots.size());
  size.width = static_cast<std::int64_t>(layout.columns) * (size.cell_width + kSheetGap) - kSheetGap;
  size.height = static_cast<std::int64_t>(layout.rows) * (size.cell_height + kSheetGap) - kSheetGap;
  if (size.width * size.height > max_pixels) {
    return make_error(ErrorCode::limit_exceeded, "the contact sheet would be " + std::to_string(size.width) + "x" +
                                                     std::to_string(size.height) + " pixels, over " +
                                                     std::to_string(max_pixels) + "; ask for smaller views");
  }
  return size;
}

}  // namespace

SheetLayout sheet_layout(std::size_t shots) noexcept {
  SheetLayout layout;
  if (shots == 0) {
    return layout;
  }
  layout.columns = 1;
  while (layout.columns * layout.columns < shots) {
    ++layout.columns;
  }
  layout.rows = (shots + layout.columns - 1) / layout.columns;
  return layout;
}

Result<Image> compose_contact_sheet(std::span<const Image> images, std::int64_t max_pixels) {
  auto size = size_of_sheet(
      images, [](const Image& i) { return i.width; }, [](const Image& i) { return i.height; }, max_pixels);
  VOXD_TRY(size);
  const SheetLayout layout = sheet_layout(images.size());
  Image sheet;
  sheet.width = static_cast<int>(size->width);
  sheet.height = static_cast<int>(size->height);
  sheet.rgba.assign(static_cast<std::size_t>(sheet.width) * static_cast<std::size_t>(sheet.height) * 4, 0);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const Image& image = images[i];
    const auto column = static_cast<int>(i % layout.columns);
    const auto row = static_cast<int>(i / layout.columns);
    const int left = column * (size->cell_width + kSheetGap) + (size->cell_width - image.width) / 2;
    const int top = row * (size->cell_height + kSheetGap) + (size->cell_height - image.height) / 2;
    const auto row_bytes = static_cast<std::size_t>(image.width) * 4;
    for (int y = 0; y < image.height; ++y) {
      const std::size_t from = static_cast<std::size_t>(y) * row_bytes;
      const std::size_t to =
          (static_cast<std::size_t>(top + y) * static_cast<std::size_t>(sheet.width) + static_cast<std::size_t>(left)) *
          4;
      std::memcpy(sheet.rgba.data() + to, image.rgba.data() + from, row_bytes);
    }
  }
  return sheet;
}

Result<Bytes> render_contact_sheet_png(const ProjectState& state, std::span<const RenderParams> shots) {
  // Everything is refused before the first render: a bad last shot must not cost fifteen renders.
  auto size = size_of_sheet(
      shots, [](const RenderParams& p) { return p.width; }, [](const RenderParams& p) { return p.height; },
      kMaxSheetPixels);
  VOXD_TRY(size);
  for (std::size_t i = 0; i < shots.size(); ++i) {
    if (auto checked = check_render_params(shots[i]); !checked.ok()) {
      return make_error(checked.code(), "view " + std::to_string(i + 1) + " of the sheet: " + checked.error().message);
    }
  }
  std::vector<Image> images;
  images.reserve(shots.size());
  for (const RenderParams& shot : shots) {
    auto image = render(state, shot);
    VOXD_TRY(image);
    images.push_back(std::move(image).value());
  }
  auto sheet = compose_contact_sheet(images, kMaxSheetPixels);
  VOXD_TRY(sheet);
  return encode_png(*sheet);
}

}  // namespace voxd::core::formats
