// Read-only questions about a layer or the merged visible layers. All walk tiles, never single voxels
// through the hash map.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "block_walk.hpp"
#include "query_volume.hpp"
#include "validation.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core {

namespace {
bool within_tolerance(Color a, Color b, std::uint8_t tolerance) {
  const auto close = [tolerance](std::uint8_t x, std::uint8_t y) { return std::abs(int{x} - int{y}) <= tolerance; };
  return close(a.r, b.r) && close(a.g, b.g) && close(a.b, b.b) && close(a.a, b.a);
}

// Counts colours fed one voxel at a time. Runs of one colour are the common case in voxel art: a run costs one
// map update.
class ColorCounter {
 public:
  void add(Color c) {
    if (c.empty()) {
      return;
    }
    if (run_ > 0 && c.packed() == run_color_) {
      ++run_;
      return;
    }
    flush();
    run_color_ = c.packed();
    run_ = 1;
  }
  [[nodiscard]] absl::flat_hash_map<std::uint32_t, std::int64_t> finish() {
    flush();
    return std::move(counts_);
  }

 private:
  void flush() {
    if (run_ > 0) {
      counts_[run_color_] += run_;
    }
    run_ = 0;
  }
  absl::flat_hash_map<std::uint32_t, std::int64_t> counts_;
  std::uint32_t run_color_ = 0;
  std::int64_t run_ = 0;
};

// A stored block a query reads and the part of it inside the query's region.
struct BlockPart {
  BlockCoord coord;
  const Block* block = nullptr;
  Box part;
  bool whole = true;  // `part` is the whole block: no containment test per voxel
};

// The stored blocks of `volume` inside `region` (all of them without one), in block order. Blocks the region
// does not touch are never looked at voxel by voxel.
std::vector<BlockPart> blocks_to_read(const Volume& volume, const std::optional<Box>& region) {
  std::vector<BlockPart> out;
  const auto coords = region ? ops_detail::stored_blocks_in_box(volume, *region) : ops_detail::stored_blocks(volume);
  out.reserve(coords.size());
  for (const BlockCoord c : coords) {
    const Box whole = ops_detail::block_box(c);
    const auto part = region ? ops_detail::intersect_boxes(*region, whole) : std::optional<Box>(whole);
    if (part) {
      out.push_back({c, volume.find_block(c), *part, *part == whole});
    }
  }
  return out;
}

// f(index in block, colour) for each voxel of the part, in index order.
template <typename F>
void for_each_voxel(const BlockPart& b, F&& f) {
  if (b.whole) {
    for (int i = 0; i < kBlockVoxels; ++i) {
      f(i, b.block->get(i));
    }
    return;
  }
  ops_detail::for_each_position(b.part, [&](Vec3i p) {
    const int i = index_in_block(p);
    f(i, b.block->get(i));
  });
}

absl::flat_hash_map<std::uint32_t, std::int64_t> count_colors(const Volume& volume, const std::optional<Box>& region) {
  ColorCounter counter;
  if (!region) {
    volume.for_each_block([&](BlockCoord /*coord*/, const SharedBlock& block) {
      block->for_each_filled([&counter](int /*index*/, Color c) { counter.add(c); });
    });
    return counter.finish();
  }
  for (const BlockPart& b : blocks_to_read(volume, region)) {
    for_each_voxel(b, [&](int /*index*/, Color c) { counter.add(c); });
  }
  return counter.finish();
}

Status check_region(const std::optional<Box>& region) {
  return region ? ops_detail::check_box(*region, "region") : Status::success();
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

Result<std::vector<ColorCount>> color_histogram(const Project& project, std::uint32_t layer_id,
                                                const std::optional<Box>& region) {
  VOXD_TRY(check_region(region));
  Volume merged;
  auto volume = ops_detail::query_volume(project, layer_id, merged);
  if (!volume.ok()) {
    return volume.error();
  }
  std::vector<ColorCount> out;
  for (const auto& [packed, count] : count_colors(**volume, region)) {
    out.push_back({Color::from_packed(packed), count});
  }
  // Most frequent first; equal counts by colour value, so the order never depends on hashing.
  std::sort(out.begin(), out.end(), [](const ColorCount& a, const ColorCount& b) {
    return a.count != b.count ? a.count > b.count : a.color.packed() < b.color.packed();
  });
  return out;
}

Result<std::vector<Color>> unique_colors(const Project& project, std::uint32_t layer_id,
                                         const std::optional<Box>& region) {
  VOXD_TRY(check_region(region));
  Volume merged;
  auto volume = ops_detail::query_volume(project, layer_id, merged);
  if (!volume.ok()) {
    return volume.error();
  }
  std::vector<Color> out;
  for (const auto& [packed, count] : count_colors(**volume, region)) {
    out.push_back(Color::from_packed(packed));
  }
  std::sort(out.begin(), out.end(), [](Color a, Color b) { return a.packed() < b.packed(); });
  return out;
}

Result<std::vector<Vec3i>> find_by_color(const Project& project, std::uint32_t layer_id, Color color,
                                         std::uint8_t tolerance, std::int64_t max_results,
                                         const std::optional<Box>& region) {
  if (max_results < 0) {
    return make_error(ErrorCode::invalid_argument, "max_results is negative: " + std::to_string(max_results));
  }
  VOXD_TRY(check_region(region));
  Volume merged;
  auto volume = ops_detail::query_volume(project, layer_id, merged);
  if (!volume.ok()) {
    return volume.error();
  }
  // Never more than one operation may return, whatever the caller asks.
  const auto cap = static_cast<std::size_t>(std::min(max_results, project.limits().max_voxels_per_operation));
  std::vector<Vec3i> out;
  for (const BlockPart& b : blocks_to_read(**volume, region)) {
    if (out.size() >= cap) {
      break;
    }
    const Vec3i origin = b.coord.origin();
    for_each_voxel(b, [&](int index, Color v) {
      if (out.size() < cap && !v.empty() && within_tolerance(v, color, tolerance)) {
        out.push_back(origin + local_of_index(index));
      }
    });
  }
  return out;
}

}  // namespace voxd::core
