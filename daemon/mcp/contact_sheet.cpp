#include "contact_sheet.hpp"

#include <algorithm>
#include <cstring>

#include "voxd/core/formats/render.hpp"

namespace voxd::mcp {

namespace {
constexpr int kGap = 4;
}  // namespace

SheetLayout sheet_layout(std::size_t images) noexcept {
  SheetLayout layout;
  if (images == 0) {
    return layout;
  }
  layout.columns = 1;
  while (layout.columns * layout.columns < images) {
    ++layout.columns;
  }
  layout.rows = (images + layout.columns - 1) / layout.columns;
  return layout;
}

core::Result<std::vector<std::uint8_t>> contact_sheet(std::span<const std::vector<std::uint8_t>> pngs,
                                                      std::int64_t max_pixels) {
  if (pngs.empty()) {
    return core::make_error(core::ErrorCode::invalid_argument, "a contact sheet needs at least one image");
  }
  std::vector<core::formats::Image> images;
  int cell_width = 0;
  int cell_height = 0;
  for (const auto& png : pngs) {
    auto image = core::formats::decode_png(png, max_pixels);
    VOXD_TRY(image);
    cell_width = std::max(cell_width, image->width);
    cell_height = std::max(cell_height, image->height);
    images.push_back(std::move(image).value());
  }
  const SheetLayout layout = sheet_layout(images.size());
  core::formats::Image sheet;
  sheet.width = static_cast<int>(layout.columns) * (cell_width + kGap) - kGap;
  sheet.height = static_cast<int>(layout.rows) * (cell_height + kGap) - kGap;
  if (std::int64_t{sheet.width} * sheet.height > max_pixels) {
    return core::make_error(core::ErrorCode::limit_exceeded,
                            "the contact sheet would be " + std::to_string(sheet.width) + "x" +
                                std::to_string(sheet.height) + " pixels, over " + std::to_string(max_pixels) +
                                "; ask for smaller views");
  }
  sheet.rgba.assign(static_cast<std::size_t>(sheet.width) * static_cast<std::size_t>(sheet.height) * 4, 0);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const core::formats::Image& image = images[i];
    const auto column = static_cast<int>(i % layout.columns);
    const auto row = static_cast<int>(i / layout.columns);
    const int left = column * (cell_width + kGap) + (cell_width - image.width) / 2;
    const int top = row * (cell_height + kGap) + (cell_height - image.height) / 2;
    const auto row_bytes = static_cast<std::size_t>(image.width) * 4;
    for (int y = 0; y < image.height; ++y) {
      const std::size_t from = static_cast<std::size_t>(y) * row_bytes;
      const std::size_t to = (static_cast<std::size_t>(top + y) * static_cast<std::size_t>(sheet.width) +
                              static_cast<std::size_t>(left)) *
                             4;
      std::memcpy(sheet.rgba.data() + to, image.rgba.data() + from, row_bytes);
    }
  }
  return core::formats::encode_png(sheet);
}

}  // namespace voxd::mcp
