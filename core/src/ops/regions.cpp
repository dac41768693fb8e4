// Moving or copying the voxels of a box by an offset. Every source voxel is read before anything is
// written, so overlapping source and target boxes work.
#include <array>
#include <string>
#include <vector>

#include "block_walk.hpp"
#include "validation.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core {

namespace {
Status check_target(const Box& source, Vec3i offset) {
  const std::array<std::int64_t, 3> lo{std::int64_t{source.min.x} + offset.x, std::int64_t{source.min.y} + offset.y,
                                       std::int64_t{source.min.z} + offset.z};
  const std::array<std::int64_t, 3> hi{std::int64_t{source.max.x} + offset.x, std::int64_t{source.max.y} + offset.y,
                                       std::int64_t{source.max.z} + offset.z};
  constexpr std::array<char, 3> kAxes{'x', 'y', 'z'};
  for (std::size_t i = 0; i < 3; ++i) {
    for (const std::int64_t v : {lo[i], hi[i]}) {
      if (!in_coord_range(v)) {
        return make_error(ErrorCode::invalid_argument, "moved box " + to_string(source) + " by " + to_string(offset) +
                                                           ": target " + kAxes[i] + " = " + std::to_string(v) +
                                                           " is outside [" + std::to_string(kMinCoord) + ", " +
                                                           std::to_string(kMaxCoord) + "]");
      }
    }
  }
  return Status::success();
}
}  // namespace

Result<std::int64_t> move_region(Project& project, std::uint32_t layer_id, const Box& source, Vec3i offset,
                                 bool keep_source) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  VOXD_TRY(ops_detail::check_box(source, "source box"));
  VOXD_TRY(check_target(source, offset));
  Volume& volume = project.mutable_state().layers[*index].volume;

  const std::int64_t limit = project.limits().max_voxels_per_operation;
  std::vector<VoxelWrite> moving;
  for (const BlockCoord c : ops_detail::stored_blocks_in_box(volume, source)) {
    const Block& block = *volume.find_block(c);
    if (static_cast<std::int64_t>(moving.size()) + block.filled() > limit) {
      // An upper bound; count exactly before refusing.
      auto exact = static_cast<std::int64_t>(moving.size());
      ops_detail::for_each_position(*ops_detail::intersect_boxes(source, ops_detail::block_box(c)),
                                    [&](Vec3i p) { exact += block.get(index_in_block(p)).empty() ? 0 : 1; });
      VOXD_TRY(ops_detail::check_operation_size(project, exact, "moved region"));
    }
    ops_detail::for_each_position(*ops_detail::intersect_boxes(source, ops_detail::block_box(c)), [&](Vec3i p) {
      const Color color = block.get(index_in_block(p));
      if (!color.empty()) {
        moving.push_back({p, color});
      }
    });
  }

  VolumeAccessor access(volume);
  if (!keep_source) {
    for (const VoxelWrite& v : moving) {
      access.set(v.position, kEmpty);
    }
  }
  // Moved voxels overwrite what is at the target; empty source positions leave the target as it was.
  for (const VoxelWrite& v : moving) {
    access.set(v.position + offset, v.color);
  }
  return static_cast<std::int64_t>(moving.size());
}

}  // namespace voxd::core
