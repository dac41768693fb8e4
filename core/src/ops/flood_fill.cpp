// 6-connected flood fill, iterative (breadth first: the queue holds only the moving front, so its size
// grows with the region's surface rather than its volume).
//
// Two passes: the first only reads and marks the region in a per-tile bitset, so hitting the cap leaves
// the layer untouched; the second writes the marked voxels tile by tile.
#include <algorithm>
#include <array>
#include <bitset>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "validation.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core {

namespace {

// A set of voxel positions stored as one bit per voxel of each touched tile (512 bytes per tile).
class RegionBits {
 public:
  // Marks p; false when it was already marked.
  bool insert(Vec3i p) {
    const BlockCoord c = block_of(p);
    if (!has_cached_ || !(c == cached_coord_)) {
      const auto [it, inserted] = index_.try_emplace(c, tiles_.size());
      if (inserted) {
        tiles_.emplace_back();
      }
      has_cached_ = true;
      cached_coord_ = c;
      cached_tile_ = it->second;
    }
    auto bit = tiles_[cached_tile_][static_cast<std::size_t>(index_in_block(p))];
    if (bit) {
      return false;
    }
    bit = true;
    return true;
  }

  // f(Vec3i) for every marked position, tile by tile.
  template <typename F>
  void for_each(F&& f) const {
    for (const auto& [coord, tile_index] : index_) {
      const Vec3i origin = coord.origin();
      const std::bitset<kBlockVoxels>& tile = tiles_[tile_index];
      for (int i = 0; i < kBlockVoxels; ++i) {
        if (tile[static_cast<std::size_t>(i)]) {
          f(origin + local_of_index(i));
        }
      }
    }
  }

 private:
  absl::flat_hash_map<BlockCoord, std::size_t> index_;
  std::vector<std::bitset<kBlockVoxels>> tiles_;
  bool has_cached_ = false;
  BlockCoord cached_coord_{};
  std::size_t cached_tile_ = 0;
};

bool within_tolerance(Color a, Color b, std::uint8_t tolerance) {
  const auto close = [tolerance](std::uint8_t x, std::uint8_t y) { return std::abs(int{x} - int{y}) <= tolerance; };
  return close(a.r, b.r) && close(a.g, b.g) && close(a.b, b.b) && close(a.a, b.a);
}

std::int32_t grow_down(std::int32_t v) {
  return v > kMinCoord ? v - 1 : v;
}
std::int32_t grow_up(std::int32_t v) {
  return v < kMaxCoord ? v + 1 : v;
}

// The layer's bounding box with the seed in it, grown by one voxel, so that filling the empty space
// around a model stops one voxel beyond it.
Box default_bounds(const Volume& volume, Vec3i seed) {
  Box box{seed, seed};
  if (const auto model = volume.bounding_box()) {
    box.include(*model);
  }
  return {{grow_down(box.min.x), grow_down(box.min.y), grow_down(box.min.z)},
          {grow_up(box.max.x), grow_up(box.max.y), grow_up(box.max.z)}};
}

}  // namespace

Result<std::int64_t> flood_fill(Project& project, std::uint32_t layer_id, const FloodFillParams& fill) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  VOXD_TRY(ops_detail::check_point(fill.seed, "fill seed"));
  if (fill.max_voxels < 1) {
    return make_error(ErrorCode::invalid_argument,
                      "flood fill max_voxels must be at least 1, not " + std::to_string(fill.max_voxels));
  }
  if (fill.bounds) {
    VOXD_TRY(ops_detail::check_box(*fill.bounds, "fill bounds"));
    if (!fill.bounds->contains(fill.seed)) {
      return make_error(ErrorCode::invalid_argument,
                        "fill seed " + to_string(fill.seed) + " is outside the bounds " + to_string(*fill.bounds));
    }
  }
  Volume& volume = project.mutable_state().layers[*index].volume;
  const Box bounds = fill.bounds ? *fill.bounds : default_bounds(volume, fill.seed);
  const std::int64_t per_operation = project.limits().max_voxels_per_operation;
  const std::int64_t cap = std::min(fill.max_voxels, per_operation);
  const char* const cap_name = fill.max_voxels <= per_operation ? "max_voxels" : "max_voxels_per_operation";

  // Pass 1: find the region without writing anything.
  const Color seed_color = volume.get(fill.seed);
  RegionBits region;
  std::deque<Vec3i> front;
  region.insert(fill.seed);
  front.push_back(fill.seed);
  std::int64_t size = 1;
  VolumeAccessor read(volume);
  constexpr std::array<Vec3i, 6> kNeighbours{{{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}}};
  while (!front.empty()) {
    const Vec3i p = front.front();
    front.pop_front();
    for (const Vec3i step : kNeighbours) {
      const Vec3i q = p + step;  // cannot overflow: p is in [kMinCoord, kMaxCoord]
      if (!bounds.contains(q) || !within_tolerance(read.get(q), seed_color, fill.tolerance) || !region.insert(q)) {
        continue;
      }
      if (++size > cap) {
        return make_error(ErrorCode::limit_exceeded, "flood fill from " + to_string(fill.seed) + " reaches more than " +
                                                         std::to_string(cap) + " voxels (" + cap_name +
                                                         "); nothing was filled");
      }
      front.push_back(q);
    }
  }

  // Pass 2: write.
  const Color color = fill.color.empty() ? kEmpty : fill.color;
  VolumeAccessor write(volume);
  region.for_each([&](Vec3i p) { write.set(p, color); });
  return size;
}

}  // namespace voxd::core
