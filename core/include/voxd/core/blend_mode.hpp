// How a shape's (or a layer's) colour combines with the voxels already there. The numbering is Goxel's
// (src/goxel.h), so a layer's `mode` in a .gox file maps one-to-one.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "voxd/core/color.hpp"

namespace voxd::core {

enum class BlendMode : std::int32_t {
  over = 1,            // "add": the shape's colour composited over what is there (alpha blending)
  subtract = 2,        // lowers alpha by the shape's alpha: an opaque shape removes voxels
  subtract_clamp = 3,  // like subtract, but only lowers alpha down to the shape's inverse alpha
  paint = 4,           // recolours existing voxels only (mixed by the shape's alpha)
  max = 5,             // the shape's colour with the larger of the two alphas
  intersect = 6,       // keeps only voxels inside the shape
  intersect_fill = 7,  // like intersect, recoloured with the shape's colour
  mult_alpha = 8,      // multiplies existing colours by the shape's alpha
  replace = 9,         // writes the shape's colour, empty included
};

[[nodiscard]] std::string_view blend_mode_name(BlendMode mode) noexcept;
// Accepts the names above plus "add" (= over) and "sub" (= subtract).
[[nodiscard]] std::optional<BlendMode> parse_blend_mode(std::string_view name) noexcept;
[[nodiscard]] std::optional<BlendMode> blend_mode_from_int(std::int32_t value) noexcept;

// The colour a voxel gets when `shape_color` is applied to `existing` with `mode`, for a voxel inside the
// shape. (intersect/intersect_fill also change voxels outside the shape: see ops.)
[[nodiscard]] Color blend(BlendMode mode, Color existing, Color shape_color) noexcept;

}  // namespace voxd::core
