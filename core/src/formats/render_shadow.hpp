// Shadows of the renderer's one directional light: a ray from the lit point towards the light, marched voxel by
// voxel (Amanatides-Woo) through the model's bounding box, skipping whole empty 16^3 blocks. The light stays
// at the viewer's upper left whatever the view, so every view shows its shadows the same way.
#pragma once

#include <array>
#include <cstdint>

#include "render_camera.hpp"
#include "render_probe.hpp"

namespace voxd::core::formats::render_detail {

// The unit direction towards the light: mostly from behind the viewer, a little from above and to the left.
[[nodiscard]] Vec3d light_direction(const CameraBasis& basis) noexcept;

// A ray gives up (the point counts as lit) after this many voxel or block steps: it bounds the work per pixel
// on hostile models whose bounding box is huge and hollow.
inline constexpr int kMaxShadowSteps = 4096;

class ShadowCaster {
 public:
  // `origin` is the integer point that model-space coordinates are relative to; [lo, hi] the bounding box of
  // the model in those coordinates.
  ShadowCaster(SolidProbe& probe, const Vec3d& light, const std::array<std::int64_t, 3>& origin, const Vec3d& lo,
               const Vec3d& hi) noexcept
      : probe_(&probe), light_(light), origin_(origin), lo_(lo), hi_(hi) {}

  // Whether a solid voxel lies between `start` (just in front of a face, in air) and the light.
  [[nodiscard]] bool blocked(const Vec3d& start) noexcept;

 private:
  SolidProbe* probe_;
  Vec3d light_;
  std::array<std::int64_t, 3> origin_;
  Vec3d lo_;
  Vec3d hi_;
};

}  // namespace voxd::core::formats::render_detail
