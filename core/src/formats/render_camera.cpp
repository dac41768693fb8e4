// Camera bases and projections of the renderer (render_camera.hpp).
#include "render_camera.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace voxd::core::formats::render_detail {

namespace {

constexpr double kMaxDistance = 1'000'000.0;

// sin and cos of an angle in degrees, exact at multiples of 45 degrees, so that a free camera at a named
// view's angles gets that view's basis bit for bit (and the same faces turned towards it).
void sin_cos_degrees(double degrees, double& s, double& c) noexcept {
  double r = std::fmod(degrees, 360.0);
  if (r < 0) {
    r += 360.0;
  }
  const double h = 1.0 / std::sqrt(2.0);
  if (r == 0.0) {
    s = 0, c = 1;
  } else if (r == 45.0) {
    s = h, c = h;
  } else if (r == 90.0) {
    s = 1, c = 0;
  } else if (r == 135.0) {
    s = h, c = -h;
  } else if (r == 180.0) {
    s = 0, c = -1;
  } else if (r == 225.0) {
    s = -h, c = -h;
  } else if (r == 270.0) {
    s = -1, c = 0;
  } else if (r == 315.0) {
    s = -h, c = h;
  } else {
    const double radians = r * std::numbers::pi / 180.0;
    s = std::sin(radians);
    c = std::cos(radians);
  }
}

double tan_half_fov() noexcept {
  return std::tan(kFieldOfViewDegrees * std::numbers::pi / 360.0);
}

}  // namespace

CameraBasis basis_of(View view, const FreeCamera& camera) noexcept {
  const double s2 = 1.0 / std::sqrt(2.0);
  const double s3 = 1.0 / std::sqrt(3.0);
  const double s6 = 1.0 / std::sqrt(6.0);
  switch (view) {
    case View::front: return {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}};
    case View::back: return {{-1, 0, 0}, {0, 0, 1}, {0, -1, 0}};
    case View::left: return {{0, -1, 0}, {0, 0, 1}, {1, 0, 0}};
    case View::right: return {{0, 1, 0}, {0, 0, 1}, {-1, 0, 0}};
    case View::top: return {{1, 0, 0}, {0, 1, 0}, {0, 0, -1}};
    case View::bottom: return {{1, 0, 0}, {0, -1, 0}, {0, 0, 1}};
    case View::iso: return {{s2, s2, 0}, {-s6, s6, 2 * s6}, {-s3, s3, -s3}};
    case View::free: break;
  }
  double sy = 0;
  double cy = 1;
  double sp = 0;
  double cp = 1;
  sin_cos_degrees(camera.yaw, sy, cy);
  sin_cos_degrees(camera.pitch, sp, cp);
  // Yaw turns the front view's basis about z; pitch then tilts the view down (positive) about `right`.
  const Vec3d level{-sy, cy, 0};  // the horizontal viewing direction
  const Vec3d z{0, 0, 1};
  return {{cy, sy, 0}, add(scaled(level, sp), scaled(z, cp)), sub(scaled(level, cp), scaled(z, sp))};
}

std::optional<std::string> camera_error(const FreeCamera& camera) {
  auto number = [](double v) { return std::isfinite(v) ? std::to_string(v) : std::string("not a number"); };
  if (!std::isfinite(camera.yaw) || camera.yaw < -360.0 || camera.yaw > 360.0) {
    return "the camera yaw " + number(camera.yaw) + " is outside -360..360 degrees";
  }
  if (!std::isfinite(camera.pitch) || camera.pitch < -90.0 || camera.pitch > 90.0) {
    return "the camera pitch " + number(camera.pitch) + " is outside -90..90 degrees";
  }
  if (!std::isfinite(camera.distance) ||
      (camera.distance != 0.0 && (camera.distance < 1.0 || camera.distance > kMaxDistance))) {
    return "the camera distance " + number(camera.distance) + " is outside 1..1000000 voxels (0 fits the model)";
  }
  return std::nullopt;
}

Projector Projector::orthographic(const CameraBasis& basis, int width, int height, double scale, double mid_x,
                                  double mid_y) noexcept {
  Projector p;
  p.basis_ = basis;
  p.half_w_ = width / 2.0;
  p.half_h_ = height / 2.0;
  p.scale_ = scale;
  p.mid_x_ = mid_x;
  p.mid_y_ = mid_y;
  return p;
}

Projector Projector::perspective(const CameraBasis& basis, int width, int height, const Vec3d& eye,
                                 double focal) noexcept {
  Projector p;
  p.basis_ = basis;
  p.perspective_ = true;
  p.half_w_ = width / 2.0;
  p.half_h_ = height / 2.0;
  p.scale_ = focal;
  p.eye_ = eye;
  return p;
}

Vec3d Projector::camera_space(const Vec3d& p) const noexcept {
  const Vec3d v = perspective_ ? sub(p, eye_) : p;
  return {dot(v, basis_.right), dot(v, basis_.up), dot(v, basis_.forward)};
}

ScreenPoint Projector::screen(const Vec3d& cam) const noexcept {
  if (perspective_) {
    // 1/z is affine over a plane in screen space (z is not): the rasteriser interpolates -1/z.
    const double inv = 1.0 / cam[2];
    return {half_w_ + cam[0] * inv * scale_, half_h_ - cam[1] * inv * scale_, -inv};
  }
  // Image rows go down, camera y goes up.
  return {half_w_ + (cam[0] - mid_x_) * scale_, half_h_ - (cam[1] - mid_y_) * scale_, cam[2]};
}

Ray Projector::ray(double x, double y) const noexcept {
  if (perspective_) {
    const double dx = (x - half_w_) / scale_;
    const double dy = (half_h_ - y) / scale_;
    return {eye_, add(basis_.forward, add(scaled(basis_.right, dx), scaled(basis_.up, dy)))};
  }
  const double cx = (x - half_w_) / scale_ + mid_x_;
  const double cy = (half_h_ - y) / scale_ + mid_y_;
  return {add(scaled(basis_.right, cx), scaled(basis_.up, cy)), basis_.forward};
}

Projector fitted_orthographic(const CameraBasis& basis, int width, int height, double min_x, double max_x,
                              double min_y, double max_y) noexcept {
  const int margin = std::min(width, height) / 25;
  // An extent of zero (a face seen exactly edge-on) must not divide by zero.
  const double extent_x = std::max(max_x - min_x, 1e-9);
  const double extent_y = std::max(max_y - min_y, 1e-9);
  const double scale = std::min((width - 2 * margin) / extent_x, (height - 2 * margin) / extent_y);
  return Projector::orthographic(basis, width, height, scale, (min_x + max_x) / 2, (min_y + max_y) / 2);
}

Projector orthographic_at(const CameraBasis& basis, int width, int height, const Vec3d& target,
                          double distance) noexcept {
  const double scale = (height / 2.0) / (distance * tan_half_fov());
  return Projector::orthographic(basis, width, height, scale, dot(target, basis.right), dot(target, basis.up));
}

Projector perspective_at(const CameraBasis& basis, int width, int height, const Vec3d& target,
                         double distance) noexcept {
  const double focal = (height / 2.0) / tan_half_fov();
  return Projector::perspective(basis, width, height, sub(target, scaled(basis.forward, distance)), focal);
}

double fitting_distance(int width, int height, double radius) noexcept {
  const double half_v = kFieldOfViewDegrees * std::numbers::pi / 360.0;
  const double half_h = std::atan(tan_half_fov() * width / height);
  // The sphere fills 92 % of the narrower field of view: the same 4 % margin per side as the named views.
  return std::max(radius, 0.5) / std::sin(std::min(half_v, half_h)) / 0.92;
}

}  // namespace voxd::core::formats::render_detail
