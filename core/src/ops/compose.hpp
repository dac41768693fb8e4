// Composing one volume onto another with a blend mode, tile by tile: the heart of layer merging and of
// the merged view of the visible layers.
#pragma once

#include "voxd/core/blend_mode.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core::ops_detail {

// Whether blend(mode, v, kEmpty) is empty for every v: where the source has nothing, the result is cleared.
[[nodiscard]] bool empty_source_clears(BlendMode mode) noexcept;
// Whether blend(mode, kEmpty, s) == s for every s: where the destination has nothing, the source is copied.
[[nodiscard]] bool empty_destination_takes_source(BlendMode mode) noexcept;

// dst = blend(mode, dst, src) at every position. Tiles present on one side only are shared or dropped
// without touching their voxels; tiles present on both sides are blended voxel by voxel.
void compose_into(Volume& dst, const Volume& src, BlendMode mode);

}  // namespace voxd::core::ops_detail
