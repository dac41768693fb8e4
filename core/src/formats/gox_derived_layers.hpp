// Goxel layers whose voxels are not stored in the file but derived: shape layers (a sphere, cube or
// cylinder filling the layer's box matrix) and clone layers (the base layer's voxels moved by the
// clone's matrix). voxd has no derived layers, so the reader bakes them into plain voxels.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "voxd/core/color.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/project.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core::formats::gox {

enum class Shape : std::int8_t { sphere, cube, cylinder };

// "sphere", "cube", "cylinder" (Goxel's names); nullopt for anything else.
[[nodiscard]] std::optional<Shape> parse_shape(std::string_view name) noexcept;

// Fills `out` with the shape inscribed in `box`, which maps the cube [-1,1]^3 onto the shape's extent.
// A voxel is inside when its centre is. The cylinder's axis is the box's z axis. At most
// `max_visited` voxels are examined (limit_exceeded beyond); a singular box gives no voxels.
[[nodiscard]] Status bake_shape(Shape shape, const Matrix4& box, Color color, std::int64_t max_visited, Volume& out);

// `out` becomes `base` moved by `transform` (nearest voxel, sampled at voxel centres). An identity
// transform shares the base's blocks. At most `max_visited` voxels are examined.
[[nodiscard]] Status bake_transformed(const Volume& base, const Matrix4& transform, std::int64_t max_visited,
                                      Volume& out);

}  // namespace voxd::core::formats::gox
