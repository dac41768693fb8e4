// Integer voxel coordinates and boxes. Every coordinate voxd accepts lies in [kMinCoord, kMaxCoord]:
// far beyond any real model, and small enough that sizes, block coordinates and box corners never
// overflow int32 arithmetic. Values outside are refused with invalid_argument, never wrapped.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

namespace voxd::core {

inline constexpr std::int32_t kMinCoord = -(1 << 30);
inline constexpr std::int32_t kMaxCoord = (1 << 30) - 1;

struct Vec3i {
  std::int32_t x = 0;
  std::int32_t y = 0;
  std::int32_t z = 0;
  friend constexpr bool operator==(const Vec3i&, const Vec3i&) = default;
  friend constexpr Vec3i operator+(Vec3i a, Vec3i b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
  friend constexpr Vec3i operator-(Vec3i a, Vec3i b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
};

[[nodiscard]] constexpr bool in_coord_range(std::int64_t v) noexcept {
  return v >= kMinCoord && v <= kMaxCoord;
}
[[nodiscard]] constexpr bool in_coord_range(Vec3i p) noexcept {
  return in_coord_range(p.x) && in_coord_range(p.y) && in_coord_range(p.z);
}

// An axis-aligned box of voxels, both corners inclusive (a one-voxel box has min == max).
struct Box {
  Vec3i min;
  Vec3i max;
  friend constexpr bool operator==(const Box&, const Box&) = default;

  // The box spanned by two corners given in any order.
  [[nodiscard]] static constexpr Box spanning(Vec3i a, Vec3i b) {
    return {{std::min(a.x, b.x), std::min(a.y, b.y), std::min(a.z, b.z)},
            {std::max(a.x, b.x), std::max(a.y, b.y), std::max(a.z, b.z)}};
  }
  [[nodiscard]] constexpr bool contains(Vec3i p) const noexcept {
    return p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y && p.z >= min.z && p.z <= max.z;
  }
  [[nodiscard]] constexpr std::int64_t size_x() const noexcept { return std::int64_t{max.x} - min.x + 1; }
  [[nodiscard]] constexpr std::int64_t size_y() const noexcept { return std::int64_t{max.y} - min.y + 1; }
  [[nodiscard]] constexpr std::int64_t size_z() const noexcept { return std::int64_t{max.z} - min.z + 1; }
  // Voxels in the box, saturated at INT64_MAX: a box from untrusted input may span the whole int32 range
  // on every axis (2^96 voxels), and limit checks must see "too big", not an overflow (found by fuzz_protocol).
  [[nodiscard]] constexpr std::int64_t volume() const noexcept {
    const std::int64_t x = size_x();
    const std::int64_t y = size_y();
    const std::int64_t z = size_z();
    if (x <= 0 || y <= 0 || z <= 0) {
      return 0;
    }
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    if (x > kMax / y || x * y > kMax / z) {
      return kMax;
    }
    return x * y * z;
  }
  // Grows the box to hold p.
  constexpr void include(Vec3i p) noexcept {
    min = {std::min(min.x, p.x), std::min(min.y, p.y), std::min(min.z, p.z)};
    max = {std::max(max.x, p.x), std::max(max.y, p.y), std::max(max.z, p.z)};
  }
  constexpr void include(const Box& b) noexcept {
    include(b.min);
    include(b.max);
  }
};

[[nodiscard]] constexpr bool in_coord_range(const Box& b) noexcept {
  return in_coord_range(b.min) && in_coord_range(b.max) && b.min.x <= b.max.x && b.min.y <= b.max.y &&
         b.min.z <= b.max.z;
}

[[nodiscard]] std::string to_string(Vec3i p);
[[nodiscard]] std::string to_string(const Box& b);

}  // namespace voxd::core
