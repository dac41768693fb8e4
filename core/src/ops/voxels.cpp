// Voxel-level edits and reads: set, remove, get, read a box, clear a layer.
#include <algorithm>
#include <string>
#include <vector>

#include "block_walk.hpp"
#include "query_volume.hpp"
#include "validation.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core {

using ops_detail::check_box;
using ops_detail::check_operation_size;
using ops_detail::check_point_at;
using ops_detail::edit_layer_index;

namespace {
Status check_positions(std::span<const Vec3i> positions) {
  for (std::size_t i = 0; i < positions.size(); ++i) {
    VOXD_TRY(check_point_at(positions[i], "position", i));
  }
  return Status::success();
}
}  // namespace

Status set_voxels(Project& project, std::uint32_t layer_id, std::span<const VoxelWrite> voxels) {
  auto index = edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  VOXD_TRY(check_operation_size(project, static_cast<std::int64_t>(voxels.size()), "set_voxels request"));
  for (std::size_t i = 0; i < voxels.size(); ++i) {
    VOXD_TRY(check_point_at(voxels[i].position, "voxel", i));
  }
  // One bulk call (VolumeAccessor::set_many overlaps the cache misses of random writes), in request order.
  std::vector<Vec3i> positions(voxels.size());
  std::vector<Color> colors(voxels.size());
  for (std::size_t i = 0; i < voxels.size(); ++i) {
    positions[i] = voxels[i].position;
    colors[i] = voxels[i].color.empty() ? kEmpty : voxels[i].color;
  }
  VolumeAccessor out(project.mutable_state().layers[*index].volume);
  out.set_many(positions, colors);
  return Status::success();
}

Status remove_voxels(Project& project, std::uint32_t layer_id, std::span<const Vec3i> positions) {
  auto index = edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  VOXD_TRY(check_operation_size(project, static_cast<std::int64_t>(positions.size()), "remove_voxels request"));
  VOXD_TRY(check_positions(positions));
  VolumeAccessor out(project.mutable_state().layers[*index].volume);
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (i + Volume::kPrefetchDistance < positions.size()) {
      out.prefetch_for_writing(positions[i + Volume::kPrefetchDistance]);
    }
    out.set(positions[i], kEmpty);
  }
  return Status::success();
}

Result<std::vector<Color>> get_voxels(const Project& project, std::uint32_t layer_id,
                                      std::span<const Vec3i> positions) {
  VOXD_TRY(check_operation_size(project, static_cast<std::int64_t>(positions.size()), "get_voxels request"));
  VOXD_TRY(check_positions(positions));
  std::vector<Color> out;
  out.reserve(positions.size());
  if (layer_id == kVisibleLayers) {
    // Composed per position, not by merging the layers: the cost is O(positions x layers), not O(project).
    for (const Vec3i p : positions) {
      out.push_back(visible_color(project, p));
    }
    return out;
  }
  auto index = project.layer_index(layer_id);
  if (!index.ok()) {
    return std::move(index).error();
  }
  const Volume& volume = project.layers()[*index].volume;
  out.resize(positions.size());
  volume.get_many(positions, out);
  return out;
}

Result<std::vector<VoxelWrite>> read_box(const Project& project, std::uint32_t layer_id, const Box& box,
                                         std::int64_t max_voxels) {
  VOXD_TRY(check_box(box, "box"));
  if (max_voxels < 0) {
    return make_error(ErrorCode::invalid_argument, "max_voxels is negative: " + std::to_string(max_voxels));
  }
  Volume merged;
  auto volume = ops_detail::query_volume(project, layer_id, merged);
  if (!volume.ok()) {
    return volume.error();
  }
  // The caller's page size, and never more than one operation may return.
  const std::int64_t cap = std::min(max_voxels, project.limits().max_voxels_per_operation);
  std::vector<VoxelWrite> out;
  for (const BlockCoord c : ops_detail::stored_blocks_in_box(**volume, box)) {
    const Block& block = *(*volume)->find_block(c);
    const auto part = ops_detail::intersect_boxes(box, ops_detail::block_box(c));
    if (!part) {
      continue;
    }
    const bool whole_block = *part == ops_detail::block_box(c);
    if (whole_block && static_cast<std::int64_t>(out.size()) + block.filled() <= cap) {
      // Fast path: no per-voxel containment test.
      const Vec3i origin = c.origin();
      for (int i = 0; i < kBlockVoxels; ++i) {
        const Color color = block.get(i);
        if (!color.empty()) {
          out.push_back({origin + local_of_index(i), color});
        }
      }
      continue;
    }
    Status over_cap = Status::success();
    ops_detail::for_each_position(*part, [&](Vec3i p) {
      const Color color = block.get(index_in_block(p));
      if (color.empty() || !over_cap.ok()) {
        return;
      }
      if (static_cast<std::int64_t>(out.size()) >= cap) {
        const bool caller_cap = cap == max_voxels;
        over_cap = make_error(ErrorCode::limit_exceeded,
                              "box " + to_string(box) + " holds more than " + std::to_string(cap) + " voxels (" +
                                  (caller_cap ? "max_voxels" : "max_voxels_per_operation") + ")");
        return;
      }
      out.push_back({p, color});
    });
    if (!over_cap.ok()) {
      return over_cap.error();
    }
  }
  return out;
}

Status clear_layer(Project& project, std::uint32_t layer_id) {
  auto index = edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  project.mutable_state().layers[*index].volume.clear();
  return Status::success();
}

}  // namespace voxd::core
