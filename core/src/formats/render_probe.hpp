// Solid-voxel lookups for the renderer's ambient occlusion and shadow rays: many reads, each near the last,
// so the last block found is cached (a read-only VolumeAccessor; the render's volume is its own copy).
#pragma once

#include <climits>
#include <cstdint>

#include "voxd/core/block.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core::formats::render_detail {

class SolidProbe {
 public:
  explicit SolidProbe(const Volume& volume) noexcept : volume_(&volume) {}

  // The block at bc, or null when none is stored (all empty).
  [[nodiscard]] const Block* block(BlockCoord bc) noexcept {
    if (!(bc == cached_coord_)) {
      cached_coord_ = bc;
      cached_ = volume_->find_block(bc);
    }
    return cached_;
  }
  // Coordinates outside voxd's range hold nothing (neighbours of the outermost voxels land there).
  [[nodiscard]] bool solid(std::int64_t x, std::int64_t y, std::int64_t z) noexcept {
    if (!in_range(x) || !in_range(y) || !in_range(z)) {
      return false;
    }
    const Vec3i p{static_cast<std::int32_t>(x), static_cast<std::int32_t>(y), static_cast<std::int32_t>(z)};
    const Block* b = block(block_of(p));
    return b != nullptr && b->get(index_in_block(p)).solid();
  }
  [[nodiscard]] static bool in_range(std::int64_t v) noexcept { return v >= kMinCoord && v <= kMaxCoord; }

 private:
  const Volume* volume_;
  BlockCoord cached_coord_{INT32_MAX, INT32_MAX, INT32_MAX};  // no voxel's block: nothing cached yet
  const Block* cached_ = nullptr;
};

}  // namespace voxd::core::formats::render_detail
