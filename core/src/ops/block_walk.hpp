// Walking a volume block by block: which 16^3 tiles a box touches, in a deterministic order.
#pragma once

#include <optional>
#include <vector>

#include "voxd/core/block.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core::ops_detail {

// The voxels of a block, as a box.
[[nodiscard]] Box block_box(BlockCoord c) noexcept;
// The common part of two boxes, if any.
[[nodiscard]] std::optional<Box> intersect_boxes(const Box& a, const Box& b) noexcept;
// Block order: z, then y, then x (the order of voxels inside a block, one level up).
[[nodiscard]] bool block_order(BlockCoord a, BlockCoord b) noexcept;

// Every block coordinate the box touches, in block order. The caller bounds the box's size.
[[nodiscard]] std::vector<BlockCoord> blocks_in_box(const Box& box);
// The stored blocks of `volume` that the box touches, in block order. Walks whichever is smaller:
// the box's block coordinates or the volume's blocks, so a huge box over a small model is cheap.
[[nodiscard]] std::vector<BlockCoord> stored_blocks_in_box(const Volume& volume, const Box& box);
// Every stored block of `volume`, in block order.
[[nodiscard]] std::vector<BlockCoord> stored_blocks(const Volume& volume);

// f(Vec3i) for every voxel of `box` (which must lie inside one block), in block order.
template <typename F>
void for_each_position(const Box& box, F&& f) {
  for (int z = box.min.z; z <= box.max.z; ++z) {
    for (int y = box.min.y; y <= box.max.y; ++y) {
      for (int x = box.min.x; x <= box.max.x; ++x) {
        f(Vec3i{x, y, z});
      }
    }
  }
}

}  // namespace voxd::core::ops_detail
