// A contact sheet: several renders of one model side by side in one PNG, so a person or an agent judging a
// model sees every view in one picture. See docs/formats-mesh-render.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "voxd/core/error.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/formats/render.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats {

inline constexpr std::size_t kMaxSheetShots = 16;               // a 4 x 4 grid
inline constexpr std::int64_t kMaxSheetPixels = 4096LL * 4096;  // the largest single render's area
inline constexpr int kSheetGap = 4;                             // transparent pixels between cells

struct SheetLayout {
  std::size_t columns = 0;
  std::size_t rows = 0;
};

// The grid of a sheet of `shots` views: as square as it gets, wider than tall, filled row by row.
[[nodiscard]] SheetLayout sheet_layout(std::size_t shots) noexcept;

// Places the images row by row, left to right, each centred in a cell as large as the largest, with
// kSheetGap transparent pixels between cells. invalid_argument for no image or more than kMaxSheetShots;
// limit_exceeded (naming the size) when the sheet would be larger than max_pixels.
[[nodiscard]] Result<Image> compose_contact_sheet(std::span<const Image> images, std::int64_t max_pixels);

// Renders every shot (each with its own view, camera, size and look) and composes them as one PNG. The
// shots and the sheet's size are checked before anything is rendered.
[[nodiscard]] Result<Bytes> render_contact_sheet_png(const ProjectState& state, std::span<const RenderParams> shots);

}  // namespace voxd::core::formats
