// What the .gox reader and writer share: chunk tags, the dictionary value encodings, and the
// conversion between Goxel's box matrices and voxd's integer boxes. Facts: shared/formats/GOX.md.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "voxd/core/geometry.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats::gox {

using Tag = std::array<std::uint8_t, 4>;
inline constexpr Tag kMagic{'G', 'O', 'X', ' '};
inline constexpr std::int32_t kWrittenVersion = 2;
inline constexpr Tag kImageTag{'I', 'M', 'G', ' '};
inline constexpr Tag kPreviewTag{'P', 'R', 'E', 'V'};
inline constexpr Tag kBlockTag{'B', 'L', '1', '6'};
inline constexpr Tag kMaterialTag{'M', 'A', 'T', 'E'};
inline constexpr Tag kLayerTag{'L', 'A', 'Y', 'R'};
inline constexpr Tag kCameraTag{'C', 'A', 'M', 'R'};
inline constexpr Tag kLightTag{'L', 'I', 'G', 'H'};

// A BL16 tile is a 64x64 RGBA PNG: 4096 pixels, one per voxel of a 16^3 block.
inline constexpr int kTileImageEdge = 64;
inline constexpr std::int64_t kTilePixels = std::int64_t{kTileImageEdge} * kTileImageEdge;
// A LAYR block record: index, x, y, z, 0 (five int32).
inline constexpr std::size_t kBlockRecordBytes = 20;
inline constexpr std::size_t kMaxDictKeyBytes = 255;
inline constexpr std::size_t kMatrixBytes = 64;

// ---- dictionary values: typed by their length only; a wrong length means "ignore this value" ----
using Value = std::span<const std::uint8_t>;

[[nodiscard]] inline std::optional<float> value_float(Value v) noexcept {
  if (v.size() != 4) {
    return std::nullopt;
  }
  float f = 0.0F;
  std::memcpy(&f, v.data(), 4);
  return f;
}
[[nodiscard]] inline std::optional<std::int32_t> value_int(Value v) noexcept {
  if (v.size() != 4) {
    return std::nullopt;
  }
  std::int32_t i = 0;
  std::memcpy(&i, v.data(), 4);
  return i;
}
[[nodiscard]] inline std::optional<bool> value_bool(Value v) noexcept {
  return v.size() == 1 ? std::optional<bool>(v[0] != 0) : std::nullopt;
}
template <std::size_t N>
[[nodiscard]] std::optional<std::array<float, N>> value_floats(Value v) noexcept {
  if (v.size() != N * sizeof(float)) {
    return std::nullopt;
  }
  std::array<float, N> out{};
  std::memcpy(out.data(), v.data(), v.size());
  return out;
}
[[nodiscard]] inline std::optional<Color> value_color(Value v) noexcept {
  return v.size() == 4 ? std::optional<Color>(Color{v[0], v[1], v[2], v[3]}) : std::nullopt;
}
// Strings are stored without a NUL; some writers pad with NULs, which C readers stop at.
[[nodiscard]] inline std::string value_string(Value v) {
  const auto end = std::find(v.begin(), v.end(), std::uint8_t{0});
  return {v.begin(), end};
}

// ---- the working box: Goxel stores a matrix mapping the cube [-1,1]^3 onto the box ----
// Voxel x of a box [min, max] spans [x, x+1], so the box spans [min, max + 1] in space.
[[nodiscard]] inline Matrix4 box_to_matrix(const Box& box) noexcept {
  const auto centre = [](std::int32_t lo, std::int32_t hi) {
    return static_cast<float>((static_cast<double>(lo) + static_cast<double>(hi) + 1.0) / 2.0);
  };
  const auto half = [](std::int64_t size) { return static_cast<float>(static_cast<double>(size) / 2.0); };
  Matrix4 m{};
  m[0] = half(box.size_x());
  m[5] = half(box.size_y());
  m[10] = half(box.size_z());
  m[12] = centre(box.min.x, box.max.x);
  m[13] = centre(box.min.y, box.max.y);
  m[14] = centre(box.min.z, box.max.z);
  m[15] = 1.0F;
  return m;
}

// The axis-aligned integer box of a box matrix (rotation is dropped); nullopt for an empty or
// out-of-range box (Goxel writes all zeros for "no box").
[[nodiscard]] inline std::optional<Box> matrix_to_box(const Matrix4& m) noexcept {
  std::array<std::int64_t, 3> lo{};
  std::array<std::int64_t, 3> hi{};
  for (std::size_t axis = 0; axis < 3; ++axis) {
    // Half extent along the axis: the length of the row of the 3x3 part (covers rotated boxes).
    const double extent = std::abs(static_cast<double>(m[axis])) + std::abs(static_cast<double>(m[4 + axis])) +
                          std::abs(static_cast<double>(m[8 + axis]));
    const double centre = static_cast<double>(m[12 + axis]);
    const double low = std::round(centre - extent);
    const double high = std::round(centre + extent) - 1.0;
    if (!std::isfinite(low) || !std::isfinite(high) || !(extent > 0.0) || low > high ||
        !in_coord_range(static_cast<std::int64_t>(std::clamp(low, -4e9, 4e9))) ||
        !in_coord_range(static_cast<std::int64_t>(std::clamp(high, -4e9, 4e9)))) {
      return std::nullopt;
    }
    lo[axis] = static_cast<std::int64_t>(low);
    hi[axis] = static_cast<std::int64_t>(high);
  }
  return Box{{static_cast<std::int32_t>(lo[0]), static_cast<std::int32_t>(lo[1]), static_cast<std::int32_t>(lo[2])},
             {static_cast<std::int32_t>(hi[0]), static_cast<std::int32_t>(hi[1]), static_cast<std::int32_t>(hi[2])}};
}

}  // namespace voxd::core::formats::gox
