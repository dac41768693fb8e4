// The renderer's cameras: the basis of a named view or of the free camera's yaw and pitch, and the projection
// from model space to pixels (and back, from a pixel to the ray it sees). Model points are taken relative to
// an integer origin near the model, so doubles keep sub-voxel precision at any coordinate.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "voxd/core/formats/render.hpp"

namespace voxd::core::formats::render_detail {

using Vec3d = std::array<double, 3>;

[[nodiscard]] constexpr double dot(const Vec3d& a, const Vec3d& b) noexcept {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
[[nodiscard]] constexpr Vec3d add(const Vec3d& a, const Vec3d& b) noexcept {
  return {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
}
[[nodiscard]] constexpr Vec3d sub(const Vec3d& a, const Vec3d& b) noexcept {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
[[nodiscard]] constexpr Vec3d scaled(const Vec3d& a, double s) noexcept {
  return {a[0] * s, a[1] * s, a[2] * s};
}

// right x up = -forward: no view is mirrored.
struct CameraBasis {
  Vec3d right;
  Vec3d up;
  Vec3d forward;  // the viewing direction
};

// The named views' fixed bases (docs/formats-mesh-render.md), or the free camera's from its yaw and pitch.
[[nodiscard]] CameraBasis basis_of(View view, const FreeCamera& camera) noexcept;
// Why the free camera's numbers cannot be used, or nothing when they can.
[[nodiscard]] std::optional<std::string> camera_error(const FreeCamera& camera);

struct ScreenPoint {
  double x = 0;    // pixels, right
  double y = 0;    // pixels, down
  double key = 0;  // depth key, affine over a plane in screen space: smaller is nearer
};

struct Ray {
  Vec3d origin;
  Vec3d direction;
};

class Projector {
 public:
  // Orthographic: the model point p shows at ((p.right - mid_x) * scale, (p.up - mid_y) * scale) from the
  // image centre.
  static Projector orthographic(const CameraBasis& basis, int width, int height, double scale, double mid_x,
                                double mid_y) noexcept;
  // Perspective from `eye`, with `focal` pixels per unit of lateral offset at unit depth.
  static Projector perspective(const CameraBasis& basis, int width, int height, const Vec3d& eye,
                               double focal) noexcept;

  [[nodiscard]] bool is_perspective() const noexcept { return perspective_; }
  [[nodiscard]] const Vec3d& eye() const noexcept { return eye_; }
  [[nodiscard]] const CameraBasis& basis() const noexcept { return basis_; }
  // Camera space: x right, y up, z along the view (from the eye for a perspective camera).
  [[nodiscard]] Vec3d camera_space(const Vec3d& p) const noexcept;
  // A camera-space point on the image (perspective: z must be > 0).
  [[nodiscard]] ScreenPoint screen(const Vec3d& cam) const noexcept;
  // The ray seen through the image point (x, y), in model space.
  [[nodiscard]] Ray ray(double x, double y) const noexcept;

 private:
  CameraBasis basis_{};
  bool perspective_ = false;
  double half_w_ = 0;
  double half_h_ = 0;
  double scale_ = 1;  // orthographic pixels per voxel, or perspective focal length in pixels
  double mid_x_ = 0;
  double mid_y_ = 0;
  Vec3d eye_{};
};

// Named views (and a free orthographic camera at distance 0) fit the projected extent of what shows into the
// frame minus a margin of 4 % of the shorter edge, centred.
[[nodiscard]] Projector fitted_orthographic(const CameraBasis& basis, int width, int height, double min_x,
                                            double max_x, double min_y, double max_y) noexcept;
// A free orthographic camera at `distance` from `target`: it shows 2 * distance * tan(fov / 2) voxels of height.
[[nodiscard]] Projector orthographic_at(const CameraBasis& basis, int width, int height, const Vec3d& target,
                                        double distance) noexcept;
// A free perspective camera at `distance` from `target` (distance > 0).
[[nodiscard]] Projector perspective_at(const CameraBasis& basis, int width, int height, const Vec3d& target,
                                       double distance) noexcept;
// How far a perspective camera must be for a sphere of `radius` around its target to fill the frame, margin
// included.
[[nodiscard]] double fitting_distance(int width, int height, double radius) noexcept;

}  // namespace voxd::core::formats::render_detail
