// Several renders of a model side by side in one PNG, so an agent sees every view in one image (and one
// image slot of its context) instead of one per view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "voxd/core/error.hpp"

namespace voxd::mcp {

struct SheetLayout {
  std::size_t columns = 0;
  std::size_t rows = 0;
};

// The grid a sheet of `images` views uses: as square as it gets, wider than tall.
[[nodiscard]] SheetLayout sheet_layout(std::size_t images) noexcept;

// Decodes the PNGs (each at most max_pixels), places them row by row on a grid of equal cells with a
// 4-pixel transparent gap, and encodes the sheet as one PNG.
[[nodiscard]] core::Result<std::vector<std::uint8_t>> contact_sheet(std::span<const std::vector<std::uint8_t>> pngs,
                                                                    std::int64_t max_pixels);

}  // namespace voxd::mcp
