// Qubicle Binary .qb (version 1.1.0.0): the codec behind the registry's "qb" entry (docs/formats.md).
//
// Layout (little-endian): a 24-byte header of six uint32 (version, colour format 0 = RGBA / 1 = BGRA, z-axis
// orientation 0 = left-handed / 1 = right-handed, compression 0 = none / 1 = run-length, visibility mask 0/1,
// matrix count), then each matrix: name (uint8 length + bytes), size x, y, z (uint32), position x, y, z
// (int32), voxels. A voxel is 4 colour bytes; alpha 0 is empty (with the visibility mask, non-zero alpha
// says which faces show, and the voxel is opaque). Uncompressed voxels run x fastest, then y, then z; RLE
// writes each z slice as values, CODEFLAG (2) + count + value for runs, and NEXTSLICEFLAG (6) at its end.
//
// Axes as Goxel 0.11 maps them (it reads and writes .qb; Qubicle itself is y-up): a right-handed file's
// (x, y, z) is voxd's (x, z, y), a left-handed file's is voxd's (x, -z, y). voxd writes right-handed.
#pragma once

#include <cstdint>

#include "voxd/core/formats/format.hpp"
#include "voxd/core/geometry.hpp"

namespace voxd::core::formats {

namespace qb {
inline constexpr std::size_t kHeaderBytes = 24;
inline constexpr std::uint32_t kVersion = 0x00000101;  // bytes 1 1 0 0: "1.1.0.0"
inline constexpr std::uint32_t kCodeFlag = 2;
inline constexpr std::uint32_t kNextSliceFlag = 6;
inline constexpr std::uint32_t kLeftHanded = 0;
inline constexpr std::uint32_t kRightHanded = 1;

// The voxd position of a file position.
[[nodiscard]] constexpr Vec3i to_voxd(std::uint32_t orientation, std::int64_t x, std::int64_t y,
                                      std::int64_t z) noexcept {
  // Callers check the range first.
  const auto depth = static_cast<std::int32_t>(orientation == kRightHanded ? z : -z);
  return {static_cast<std::int32_t>(x), depth, static_cast<std::int32_t>(y)};
}
}  // namespace qb

// True when the first 24 bytes are a .qb header: version 1.1 and every flag 0 or 1.
[[nodiscard]] bool qb_matches(ByteView head) noexcept;
// One layer per matrix, in file order, named after it, at the matrix's position.
[[nodiscard]] Result<ProjectState> read_qb(ByteView bytes, const ReadLimits& limits);
// One run-length matrix per layer (its bounding box), right-handed, RGBA, no visibility mask.
[[nodiscard]] Result<WriteReport> write_qb(const ProjectState& state, Bytes& out, const WriteOptions& options);

}  // namespace voxd::core::formats
