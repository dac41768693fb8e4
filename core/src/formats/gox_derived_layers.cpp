#include "gox_derived_layers.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>

namespace voxd::core::formats::gox {
namespace {

using Vec3d = std::array<double, 3>;

// An affine map x -> linear * x + offset (the 3x4 part of a column-major 4x4 matrix).
struct Affine {
  std::array<std::array<double, 3>, 3> linear{};  // [row][column]
  Vec3d offset{};

  [[nodiscard]] static Affine from(const Matrix4& m) noexcept {
    Affine a;
    for (std::size_t row = 0; row < 3; ++row) {
      for (std::size_t col = 0; col < 3; ++col) {
        a.linear[row][col] = static_cast<double>(m[col * 4 + row]);
      }
      a.offset[row] = static_cast<double>(m[12 + row]);
    }
    return a;
  }
  [[nodiscard]] Vec3d apply(const Vec3d& p) const noexcept {
    Vec3d out{};
    for (std::size_t row = 0; row < 3; ++row) {
      out[row] = linear[row][0] * p[0] + linear[row][1] * p[1] + linear[row][2] * p[2] + offset[row];
    }
    return out;
  }
  // The inverse map; nullopt when the linear part is singular or not finite.
  [[nodiscard]] std::optional<Affine> inverse() const noexcept {
    const auto& l = linear;
    const double det = l[0][0] * (l[1][1] * l[2][2] - l[1][2] * l[2][1]) -
                       l[0][1] * (l[1][0] * l[2][2] - l[1][2] * l[2][0]) +
                       l[0][2] * (l[1][0] * l[2][1] - l[1][1] * l[2][0]);
    if (!std::isfinite(det) || std::abs(det) < 1e-12) {
      return std::nullopt;
    }
    Affine inv;
    auto& r = inv.linear;
    r[0][0] = (l[1][1] * l[2][2] - l[1][2] * l[2][1]) / det;
    r[0][1] = (l[0][2] * l[2][1] - l[0][1] * l[2][2]) / det;
    r[0][2] = (l[0][1] * l[1][2] - l[0][2] * l[1][1]) / det;
    r[1][0] = (l[1][2] * l[2][0] - l[1][0] * l[2][2]) / det;
    r[1][1] = (l[0][0] * l[2][2] - l[0][2] * l[2][0]) / det;
    r[1][2] = (l[0][2] * l[1][0] - l[0][0] * l[1][2]) / det;
    r[2][0] = (l[1][0] * l[2][1] - l[1][1] * l[2][0]) / det;
    r[2][1] = (l[0][1] * l[2][0] - l[0][0] * l[2][1]) / det;
    r[2][2] = (l[0][0] * l[1][1] - l[0][1] * l[1][0]) / det;
    for (std::size_t row = 0; row < 3; ++row) {
      inv.offset[row] = -(r[row][0] * offset[0] + r[row][1] * offset[1] + r[row][2] * offset[2]);
    }
    for (const auto& row : r) {
      for (const double v : row) {
        if (!std::isfinite(v)) {
          return std::nullopt;
        }
      }
    }
    return inv;
  }
};

// The voxels whose cells meet the image of the region [lo, hi] (in space) under `map`.
Result<Box> voxel_range_of_image(const Affine& map, const Vec3d& lo, const Vec3d& hi) {
  Vec3d min{HUGE_VAL, HUGE_VAL, HUGE_VAL};
  Vec3d max{-HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
  for (int corner = 0; corner < 8; ++corner) {
    const Vec3d p = map.apply(
        {(corner & 1) != 0 ? hi[0] : lo[0], (corner & 2) != 0 ? hi[1] : lo[1], (corner & 4) != 0 ? hi[2] : lo[2]});
    for (std::size_t axis = 0; axis < 3; ++axis) {
      min[axis] = std::min(min[axis], p[axis]);
      max[axis] = std::max(max[axis], p[axis]);
    }
  }
  std::array<std::int32_t, 3> first{};
  std::array<std::int32_t, 3> last{};
  for (std::size_t axis = 0; axis < 3; ++axis) {
    const double a = std::floor(min[axis]);
    const double b = std::ceil(max[axis]) - 1.0;
    if (!std::isfinite(a) || !std::isfinite(b) || a < kMinCoord || b > kMaxCoord) {
      return make_error(ErrorCode::format, "layer matrix places voxels outside the coordinate range");
    }
    first[axis] = static_cast<std::int32_t>(a);
    last[axis] = static_cast<std::int32_t>(std::max(a, b));
  }
  return Box{{first[0], first[1], first[2]}, {last[0], last[1], last[2]}};
}

Status check_visit_budget(const Box& range, std::int64_t max_visited) {
  // In double: the product of three int32 spans can overflow int64.
  const double visited =
      static_cast<double>(range.size_x()) * static_cast<double>(range.size_y()) * static_cast<double>(range.size_z());
  if (visited > static_cast<double>(max_visited)) {
    return make_error(ErrorCode::limit_exceeded,
                      "derived layer spans " + std::to_string(range.size_x()) + "x" + std::to_string(range.size_y()) +
                          "x" + std::to_string(range.size_z()) + " voxels, more than max_voxels (" +
                          std::to_string(max_visited) + ")");
  }
  return {};
}

bool inside(Shape shape, const Vec3d& q) noexcept {
  switch (shape) {
    case Shape::sphere: return q[0] * q[0] + q[1] * q[1] + q[2] * q[2] <= 1.0;
    case Shape::cube: return std::abs(q[0]) <= 1.0 && std::abs(q[1]) <= 1.0 && std::abs(q[2]) <= 1.0;
    case Shape::cylinder: return q[0] * q[0] + q[1] * q[1] <= 1.0 && std::abs(q[2]) <= 1.0;
  }
  return false;
}

// Calls f(voxel, centre) for every voxel of the range.
template <typename F>
void for_each_voxel_centre(const Box& range, F&& f) {
  for (std::int32_t z = range.min.z; z <= range.max.z; ++z) {
    for (std::int32_t y = range.min.y; y <= range.max.y; ++y) {
      for (std::int32_t x = range.min.x; x <= range.max.x; ++x) {
        f(Vec3i{x, y, z}, Vec3d{x + 0.5, y + 0.5, z + 0.5});
        if (x == range.max.x) {
          break;  // kMaxCoord + 1 would overflow
        }
      }
      if (y == range.max.y) {
        break;
      }
    }
    if (z == range.max.z) {
      break;
    }
  }
}

}  // namespace

std::optional<Shape> parse_shape(std::string_view name) noexcept {
  if (name == "sphere") {
    return Shape::sphere;
  }
  if (name == "cube") {
    return Shape::cube;
  }
  if (name == "cylinder") {
    return Shape::cylinder;
  }
  return std::nullopt;
}

Status bake_shape(Shape shape, const Matrix4& box, Color color, std::int64_t max_visited, Volume& out) {
  out.clear();
  const Affine to_space = Affine::from(box);
  const auto to_unit = to_space.inverse();
  if (!to_unit || color.empty()) {
    return {};
  }
  const auto range = voxel_range_of_image(to_space, {-1, -1, -1}, {1, 1, 1});
  if (!range.ok()) {
    return range.error();
  }
  VOXD_TRY(check_visit_budget(*range, max_visited));
  VolumeAccessor writer(out);
  for_each_voxel_centre(*range, [&](Vec3i voxel, const Vec3d& centre) {
    if (inside(shape, to_unit->apply(centre))) {
      writer.set(voxel, color);
    }
  });
  return {};
}

Status bake_transformed(const Volume& base, const Matrix4& transform, std::int64_t max_visited, Volume& out) {
  if (transform == kIdentity) {
    out = base;
    return {};
  }
  out.clear();
  const auto base_box = base.bounding_box();
  const Affine forward = Affine::from(transform);
  const auto backward = forward.inverse();
  if (!base_box || !backward) {
    return {};
  }
  const Vec3d lo{static_cast<double>(base_box->min.x), static_cast<double>(base_box->min.y),
                 static_cast<double>(base_box->min.z)};
  const Vec3d hi{base_box->max.x + 1.0, base_box->max.y + 1.0, base_box->max.z + 1.0};
  const auto range = voxel_range_of_image(forward, lo, hi);
  if (!range.ok()) {
    return range.error();
  }
  VOXD_TRY(check_visit_budget(*range, max_visited));
  VolumeAccessor writer(out);
  for_each_voxel_centre(*range, [&](Vec3i voxel, const Vec3d& centre) {
    const Vec3d source = backward->apply(centre);
    const Vec3d cell{std::floor(source[0]), std::floor(source[1]), std::floor(source[2])};
    // Compare as doubles first: a cell far outside the base's box must not be cast to int32.
    if (cell[0] >= lo[0] && cell[0] < hi[0] && cell[1] >= lo[1] && cell[1] < hi[1] && cell[2] >= lo[2] &&
        cell[2] < hi[2]) {
      const Vec3i from{static_cast<std::int32_t>(cell[0]), static_cast<std::int32_t>(cell[1]),
                       static_cast<std::int32_t>(cell[2])};
      const Color c = base.get(from);
      if (!c.empty()) {
        writer.set(voxel, c);
      }
    }
  });
  return {};
}

}  // namespace voxd::core::formats::gox
