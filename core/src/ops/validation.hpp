// Argument checks shared by the operations: layer ids, coordinate ranges, operation sizes.
// Each returns the error the public function passes on unchanged, so messages read the same everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <gsl/pointers>

#include "voxd/core/blend_mode.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::ops_detail {

// The index of the layer an edit goes to: layer_id, or for 0 the active layer (the top layer when the
// active id is 0 or names no layer). not_found for an unknown non-zero id.
[[nodiscard]] Result<std::size_t> edit_layer_index(const Project& project, std::uint32_t layer_id);

// invalid_argument naming `what` and the first coordinate outside [kMinCoord, kMaxCoord].
[[nodiscard]] Status check_point(Vec3i p, std::string_view what);
// check_point for item `index` of a list ("voxel 12: x = ..."). The name is formatted only on failure:
// bulk edits check every voxel, and building a string per voxel cost more than setting it.
[[nodiscard]] Status check_point_at(Vec3i p, std::string_view what, std::size_t index);
// Both corners in range and min <= max on every axis.
[[nodiscard]] Status check_box(const Box& box, std::string_view what);
[[nodiscard]] Status check_blend_mode(BlendMode mode);
// The number of voxels in a valid box, saturated at INT64_MAX (a box of the whole range has 2^93).
[[nodiscard]] std::int64_t box_voxels(const Box& box) noexcept;
// limit_exceeded naming max_voxels_per_operation when `voxels` is above it.
[[nodiscard]] Status check_operation_size(const Project& project, std::int64_t voxels, std::string_view what);

}  // namespace voxd::core::ops_detail
