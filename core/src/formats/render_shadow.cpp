// Shadow rays of the renderer (render_shadow.hpp).
#include "render_shadow.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace voxd::core::formats::render_detail {

Vec3d light_direction(const CameraBasis& basis) noexcept {
  // Left -0.25, up 0.5, towards the viewer 0.83: in the iso view every visible side is lit (the right side
  // barely), and shadows fall down and to the right of what casts them, about half as long as it is high.
  const Vec3d l = add(add(scaled(basis.right, -0.25), scaled(basis.up, 0.5)), scaled(basis.forward, -0.83));
  return scaled(l, 1.0 / std::sqrt(dot(l, l)));
}

bool ShadowCaster::blocked(const Vec3d& start) noexcept {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Where the ray leaves the bounding box: nothing beyond can cast a shadow.
  double t_end = kInf;
  for (std::size_t i = 0; i < 3; ++i) {
    if (light_[i] > 0) {
      t_end = std::min(t_end, (hi_[i] - start[i]) / light_[i]);
    } else if (light_[i] < 0) {
      t_end = std::min(t_end, (lo_[i] - start[i]) / light_[i]);
    } else if (start[i] < lo_[i] || start[i] > hi_[i]) {
      return false;
    }
  }
  if (!(t_end > 0)) {
    return false;
  }
  std::array<std::int64_t, 3> cell{};
  std::array<std::int64_t, 3> step{};
  std::array<double, 3> t_max{};
  std::array<double, 3> t_delta{};
  auto boundary_t = [&](std::size_t i) {
    // The t at which the ray leaves the current cell along axis i.
    if (light_[i] > 0) {
      return (static_cast<double>(cell[i] + 1) - start[i]) / light_[i];
    }
    if (light_[i] < 0) {
      return (static_cast<double>(cell[i]) - start[i]) / light_[i];
    }
    return kInf;
  };
  for (std::size_t i = 0; i < 3; ++i) {
    cell[i] = static_cast<std::int64_t>(std::floor(start[i]));
    step[i] = light_[i] > 0 ? 1 : (light_[i] < 0 ? -1 : 0);
    t_delta[i] = light_[i] != 0 ? 1.0 / std::abs(light_[i]) : kInf;
    t_max[i] = boundary_t(i);
  }
  bool first = true;  // the start cell is the face's own air voxel
  for (int n = 0; n < kMaxShadowSteps; ++n) {
    const std::int64_t x = cell[0] + origin_[0];
    const std::int64_t y = cell[1] + origin_[1];
    const std::int64_t z = cell[2] + origin_[2];
    if (!SolidProbe::in_range(x) || !SolidProbe::in_range(y) || !SolidProbe::in_range(z)) {
      return false;
    }
    const Vec3i p{static_cast<std::int32_t>(x), static_cast<std::int32_t>(y), static_cast<std::int32_t>(z)};
    const BlockCoord bc = block_of(p);
    const Block* block = probe_->block(bc);
    if (block == nullptr) {
      // An empty block: jump to the cell where the ray leaves it.
      const std::array<std::int64_t, 3> block_min{std::int64_t{bc.x} * kBlockEdge - origin_[0],
                                                  std::int64_t{bc.y} * kBlockEdge - origin_[1],
                                                  std::int64_t{bc.z} * kBlockEdge - origin_[2]};
      std::size_t k = 0;
      double t_exit = kInf;
      for (std::size_t i = 0; i < 3; ++i) {
        double t = kInf;
        if (light_[i] > 0) {
          t = (static_cast<double>(block_min[i] + kBlockEdge) - start[i]) / light_[i];
        } else if (light_[i] < 0) {
          t = (static_cast<double>(block_min[i]) - start[i]) / light_[i];
        }
        if (t < t_exit) {
          t_exit = t;
          k = i;
        }
      }
      if (!(t_exit < t_end)) {
        return false;
      }
      for (std::size_t i = 0; i < 3; ++i) {
        if (i == k) {
          cell[i] = light_[i] > 0 ? block_min[i] + kBlockEdge : block_min[i] - 1;
        } else {
          // Stay inside this block on the other axes, so rounding cannot jump a block diagonally unseen.
          const auto along = static_cast<std::int64_t>(std::floor(start[i] + t_exit * light_[i]));
          cell[i] = std::clamp(along, block_min[i], block_min[i] + kBlockEdge - 1);
        }
        t_max[i] = boundary_t(i);
      }
      first = false;
      continue;
    }
    if (!first && block->get(index_in_block(p)).solid()) {
      return true;
    }
    first = false;
    std::size_t k = 0;
    if (t_max[1] < t_max[k]) {
      k = 1;
    }
    if (t_max[2] < t_max[k]) {
      k = 2;
    }
    if (!(t_max[k] < t_end)) {
      return false;
    }
    cell[k] += step[k];
    t_max[k] += t_delta[k];
  }
  return false;
}

}  // namespace voxd::core::formats::render_detail
