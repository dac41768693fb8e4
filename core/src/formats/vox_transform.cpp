#include "formats/vox_transform.hpp"

#include <cstddef>

namespace voxd::core::formats {

std::optional<VoxRotation> VoxRotation::unpack(std::int32_t packed) {
  if (packed < 0 || packed > 0x7f) {
    return std::nullopt;
  }
  const auto bits = static_cast<std::uint32_t>(packed);
  const std::uint32_t column0 = bits & 3U;
  const std::uint32_t column1 = (bits >> 2U) & 3U;
  if (column0 == 3 || column1 == 3 || column0 == column1) {
    return std::nullopt;
  }
  const std::uint32_t column2 = 3 - column0 - column1;
  VoxRotation r;
  r.rows = {};
  const std::array<std::uint32_t, 3> columns{column0, column1, column2};
  for (std::size_t row = 0; row < 3; ++row) {
    const bool negative = ((bits >> (4U + row)) & 1U) != 0;
    r.rows[row][columns[row]] = negative ? std::int8_t{-1} : std::int8_t{1};
  }
  return r;
}

Vec3l VoxRotation::apply(const Vec3l& v) const {
  Vec3l out{};
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 3; ++j) {
      out[i] += rows[i][j] * v[j];
    }
  }
  return out;
}

VoxRotation VoxRotation::times(const VoxRotation& inner) const {
  VoxRotation out;
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 3; ++j) {
      int sum = 0;
      for (std::size_t k = 0; k < 3; ++k) {
        sum += rows[i][k] * inner.rows[k][j];
      }
      out.rows[i][j] = static_cast<std::int8_t>(sum);
    }
  }
  return out;
}

std::optional<VoxTransform> VoxTransform::then_inner(const VoxTransform& inner) const {
  VoxTransform out;
  out.rotation = rotation.times(inner.rotation);
  out.translation = rotation.apply(inner.translation);
  for (std::size_t i = 0; i < 3; ++i) {
    out.translation[i] += translation[i];
    if (!in_coord_range(out.translation[i])) {
      return std::nullopt;
    }
  }
  return out;
}

Vec3l ModelPlacement::unchecked_world(Vec3i local) const {
  // Twice the position of the voxel's centre relative to the model's exact centre (size / 2), so
  // that the arithmetic stays in integers; halving rounds down (arithmetic shift).
  const std::array<std::int32_t, 3> p{local.x, local.y, local.z};
  const std::array<std::int32_t, 3> size{size_.x, size_.y, size_.z};
  Vec3l doubled{};
  for (std::size_t i = 0; i < 3; ++i) {
    doubled[i] = 2 * std::int64_t{p[i]} + 1 - size[i];
  }
  const Vec3l rotated = to_world_.rotation.apply(doubled);
  Vec3l out{};
  for (std::size_t i = 0; i < 3; ++i) {
    out[i] = (rotated[i] >> 1) + to_world_.translation[i];
  }
  return out;
}

bool ModelPlacement::fits_coordinate_range() const {
  // A rotation permutes axes, so the extreme corners of the model map to the extreme corners of
  // its placed box.
  const Vec3l a = unchecked_world({0, 0, 0});
  const Vec3l b = unchecked_world({size_.x - 1, size_.y - 1, size_.z - 1});
  for (std::size_t i = 0; i < 3; ++i) {
    if (!in_coord_range(a[i]) || !in_coord_range(b[i])) {
      return false;
    }
  }
  return true;
}

Vec3i ModelPlacement::world(Vec3i local) const {
  const Vec3l p = unchecked_world(local);
  return {static_cast<std::int32_t>(p[0]), static_cast<std::int32_t>(p[1]), static_cast<std::int32_t>(p[2])};
}

}  // namespace voxd::core::formats
