// Straight lines of voxels: 3D Bresenham between two points, both ends included.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include "validation.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core {

namespace {

// f(Vec3i) for each voxel of the line from a to b: one step along the dominant axis each time, the other
// two axes carried by integer error terms. Nothing is materialised: a long line costs no memory.
template <typename F>
void for_each_line_point(Vec3i a, Vec3i b, F&& f) {
  const std::array<std::int64_t, 3> from{a.x, a.y, a.z};
  const std::array<std::int64_t, 3> to{b.x, b.y, b.z};
  std::array<std::int64_t, 3> delta{};
  std::array<std::int64_t, 3> step{};
  for (std::size_t i = 0; i < 3; ++i) {
    delta[i] = std::llabs(to[i] - from[i]);
    step[i] = to[i] > from[i] ? 1 : -1;
  }
  std::size_t major = 0;
  for (std::size_t i = 1; i < 3; ++i) {
    if (delta[i] > delta[major]) {
      major = i;
    }
  }
  const std::size_t minor1 = (major + 1) % 3;
  const std::size_t minor2 = (major + 2) % 3;
  std::int64_t error1 = 2 * delta[minor1] - delta[major];
  std::int64_t error2 = 2 * delta[minor2] - delta[major];
  std::array<std::int64_t, 3> p = from;

  const auto emit = [&] {
    f(Vec3i{static_cast<std::int32_t>(p[0]), static_cast<std::int32_t>(p[1]), static_cast<std::int32_t>(p[2])});
  };
  emit();
  for (std::int64_t n = 0; n < delta[major]; ++n) {
    p[major] += step[major];
    if (error1 >= 0) {
      p[minor1] += step[minor1];
      error1 -= 2 * delta[major];
    }
    if (error2 >= 0) {
      p[minor2] += step[minor2];
      error2 -= 2 * delta[major];
    }
    error1 += 2 * delta[minor1];
    error2 += 2 * delta[minor2];
    emit();
  }
}

}  // namespace

Result<std::int64_t> draw_line(Project& project, std::uint32_t layer_id, const LineParams& line) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  VOXD_TRY(ops_detail::check_point(line.from, "line start"));
  VOXD_TRY(ops_detail::check_point(line.to, "line end"));
  VOXD_TRY(ops_detail::check_blend_mode(line.mode));
  const std::int64_t length =
      std::max({std::llabs(std::int64_t{line.to.x} - line.from.x), std::llabs(std::int64_t{line.to.y} - line.from.y),
                std::llabs(std::int64_t{line.to.z} - line.from.z)}) +
      1;
  VOXD_TRY(ops_detail::check_operation_size(project, length, "line"));

  Volume& volume = project.mutable_state().layers[*index].volume;
  std::int64_t changed = 0;

  if (line.mode == BlendMode::intersect || line.mode == BlendMode::intersect_fill) {
    // Only the layer's voxels on the line survive (intersecting leaves empty voxels empty): collect them,
    // then clear the layer and put them back.
    std::vector<VoxelWrite> survivors;
    for_each_line_point(line.from, line.to, [&](Vec3i p) {
      const Color before = volume.get(p);
      if (!before.empty()) {
        const Color after = blend(line.mode, before, line.color);
        changed += after != before ? 1 : 0;
        survivors.push_back({p, after});
      }
    });
    changed += volume.voxel_count() - static_cast<std::int64_t>(survivors.size());
    volume.clear();
    for (const VoxelWrite& v : survivors) {
      volume.set(v.position, v.color);
    }
    return changed;
  }

  VolumeAccessor access(volume);
  for_each_line_point(line.from, line.to, [&](Vec3i p) {
    const Color before = access.get(p);
    const Color after = blend(line.mode, before, line.color);
    if (after != before) {
      access.set(p, after);
      ++changed;
    }
  });
  return changed;
}

}  // namespace voxd::core
