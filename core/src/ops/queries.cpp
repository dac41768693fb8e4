// Read-only questions about a layer or the merged visible layers. All walk tiles, never single voxels
// through the hash map.
#include <algorithm>
#include <string>

#include <absl/container/flat_hash_map.h>

#include "block_walk.hpp"
#include "query_volume.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core {

namespace {
bool within_tolerance(Color a, Color b, std::uint8_t tolerance) {
  const auto close = [tolerance](std::uint8_t x, std::uint8_t y) { return std::abs(int{x} - int{y}) <= tolerance; };
  return close(a.r, b.r) && close(a.g, b.g) && close(a.b, b.b) && close(a.a, b.a);
}

absl::flat_hash_map<std::uint32_t, std::int64_t> count_colors(const Volume& volume) {
  absl::flat_hash_map<std::uint32_t, std::int64_t> counts;
  volume.for_each_block([&](BlockCoord /*coord*/, const SharedBlock& block) {
    // Runs of one colour are the common case in voxel art: count a run with one map update.
    std::uint32_t run_color = 0;
    std::int64_t run = 0;
    for (const Color c : block->voxels()) {
      if (c.empty()) {
        continue;
      }
      if (run > 0 && c.packed() == run_color) {
        ++run;
        continue;
      }
      if (run > 0) {
        counts[run_color] += run;
      }
      run_color = c.packed();
      run = 1;
    }
    if (run > 0) {
      counts[run_color] += run;
    }
  });
  return counts;
}
}  // namespace

Result<std::optional<Box>> bounding_box(const Project& project, std::uint32_t layer_id) {
  if (layer_id == kVisibleLayers) {
    // Merging with "over" keeps every voxel of every visible layer, so the union of their boxes is exact.
    std::optional<Box> box;
    for (const Layer& layer : project.layers()) {
      if (!layer.visible) {
        continue;
      }
      if (const auto layer_box = layer.volume.bounding_box()) {
        if (box) {
          box->include(*layer_box);
        } else {
          box = layer_box;
        }
      }
    }
    return box;
  }
  auto index = project.layer_index(layer_id);
  if (!index.ok()) {
    return index.error();
  }
  return project.layers()[*index].volume.bounding_box();
}

Result<std::int64_t> count_voxels(const Project& project, std::uint32_t layer_id) {
  Volume merged;
  auto volume = ops_detail::query_volume(project, layer_id, merged);
  if (!volume.ok()) {
    return volume.error();
  }
  return (*volume)->voxel_count();
}

Result<std::vector<ColorCount>> color_histogram(const Project& project, std::uint32_t layer_id) {
  Volume merged;
  auto volume = ops_detail::query_volume(project, layer_id, merged);
  if (!volume.ok()) {
    return volume.error();
  }
  std::vector<ColorCount> out;
  for (const auto& [packed, count] : count_colors(**volume)) {
    out.push_back({Color::from_packed(packed), count});
  }
  // Most frequent first; equal counts by colour value, so the order never depends on hashing.
  std::sort(out.begin(), out.end(), [](const ColorCount& a, const ColorCount& b) {
    return a.count != b.count ? a.count > b.count : a.color.packed() < b.color.packed();
  });
  return out;
}

Result<std::vector<Color>> unique_colors(const Project& project, std::uint32_t layer_id) {
  Volume merged;
  auto volume = ops_detail::query_volume(project, layer_id, merged);
  if (!volume.ok()) {
    return volume.error();
  }
  std::vector<Color> out;
  for (const auto& [packed, count] : count_colors(**volume)) {
    out.push_back(Color::from_packed(packed));
  }
  std::sort(out.begin(), out.end(), [](Color a, Color b) { return a.packed() < b.packed(); });
  return out;
}

Result<std::vector<Vec3i>> find_by_color(const Project& project, std::uint32_t layer_id, Color color,
                                         std::uint8_t tolerance, std::int64_t max_results) {
  if (max_results < 0) {
    return make_error(ErrorCode::invalid_argument, "max_results is negative: " + std::to_string(max_results));
  }
  Volume merged;
  auto volume = ops_detail::query_volume(project, layer_id, merged);
  if (!volume.ok()) {
    return volume.error();
  }
  // Never more than one operation may return, whatever the caller asks.
  const auto cap = static_cast<std::size_t>(std::min(max_results, project.limits().max_voxels_per_operation));
  std::vector<Vec3i> out;
  for (const BlockCoord c : ops_detail::stored_blocks(**volume)) {
    const Block& block = *(*volume)->find_block(c);
    const Vec3i origin = c.origin();
    for (int i = 0; i < kBlockVoxels && out.size() < cap; ++i) {
      const Color v = block.get(i);
      if (!v.empty() && within_tolerance(v, color, tolerance)) {
        out.push_back(origin + local_of_index(i));
      }
    }
    if (out.size() >= cap) {
      break;
    }
  }
  return out;
}

}  // namespace voxd::core
