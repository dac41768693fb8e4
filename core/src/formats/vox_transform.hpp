// The placement of .vox models: nTRN rotations (signed axis permutations packed in one byte) and
// translations, composed from the scene root down, and the voxel -> world mapping of a model.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "voxd/core/geometry.hpp"

namespace voxd::core::formats {

using Vec3l = std::array<std::int64_t, 3>;

// A rotation matrix whose rows each hold one +1 or -1. Packed as in the .vox "_r" value:
// bits 0-1 the column of row 0's entry, bits 2-3 that of row 1 (row 2 takes the remaining column),
// bits 4, 5, 6 the signs of rows 0, 1, 2 (set = negative).
struct VoxRotation {
  std::array<std::array<std::int8_t, 3>, 3> rows{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};

  // Nullopt when the value is not a packed rotation (a column of 3, or rows 0 and 1 sharing one).
  [[nodiscard]] static std::optional<VoxRotation> unpack(std::int32_t packed);
  [[nodiscard]] Vec3l apply(const Vec3l& v) const;
  // This rotation after `inner`: (this * inner).
  [[nodiscard]] VoxRotation times(const VoxRotation& inner) const;
  friend bool operator==(const VoxRotation&, const VoxRotation&) = default;
};

// x -> rotation * x + translation.
struct VoxTransform {
  VoxRotation rotation;
  Vec3l translation{};

  // outer(inner(x)); nullopt when the translation leaves the coordinate range.
  [[nodiscard]] std::optional<VoxTransform> then_inner(const VoxTransform& inner) const;
};

// Where the voxels of one model land: voxel p of a model of size S goes to
//   floor(R * (p + 1/2 - S/2)) + t
// for the composed rotation R and translation t. Rotations turn voxel centres about the model's
// exact centre, which keeps the middle voxel of an odd-sized model in place and a mirrored model in
// its own box, as MagicaVoxel shows them. Without rotation this is p - floor(S/2) + t, Goxel's mapping.
class ModelPlacement {
 public:
  ModelPlacement(Vec3i size, const VoxTransform& to_world) : size_(size), to_world_(to_world) {}
  // True when every voxel of the model lands inside [kMinCoord, kMaxCoord].
  [[nodiscard]] bool fits_coordinate_range() const;
  // The world position of a voxel of the model; valid when fits_coordinate_range().
  [[nodiscard]] Vec3i world(Vec3i local) const;

 private:
  [[nodiscard]] Vec3l unchecked_world(Vec3i local) const;

  Vec3i size_;
  VoxTransform to_world_;
};

}  // namespace voxd::core::formats
