// Greedy meshing of a volume's surface: the faces between solid voxels (alpha >= kSolidAlpha) and
// non-solid ones, with coplanar faces of one colour merged into rectangles.
//
// Coordinates: voxel (x,y,z) spans [x,x+1] x [y,y+1] x [z,z+1]. A quad lies in the plane
// `axis = plane` and covers [u0,u1] x [v0,v1] on the two other axes, taken in cyclic order
// (x: u=y, v=z; y: u=z, v=x; z: u=x, v=y), so that u x v points along +axis.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "voxd/core/color.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core::formats {

// The outward normal of a face: +x, -x, +y, -y, +z, -z.
enum class FaceDirection : std::uint8_t { pos_x = 0, neg_x = 1, pos_y = 2, neg_y = 3, pos_z = 4, neg_z = 5 };
inline constexpr int kFaceDirections = 6;

[[nodiscard]] constexpr int axis_of(FaceDirection d) noexcept {
  return static_cast<int>(d) / 2;
}
[[nodiscard]] constexpr bool is_positive(FaceDirection d) noexcept {
  return static_cast<int>(d) % 2 == 0;
}

struct Quad {
  FaceDirection direction = FaceDirection::pos_x;
  Color color;  // the solid voxel's colour; alpha forced to 255 unless QuadAlpha::kept (faces merge by colour)
  std::int32_t plane = 0;
  std::int32_t u0 = 0;
  std::int32_t v0 = 0;
  std::int32_t u1 = 0;  // exclusive ends: u1 > u0, v1 > v0
  std::int32_t v1 = 0;
};

using Corner = std::array<std::int64_t, 3>;
// The four corners in counter-clockwise order seen from outside (the normal points at the viewer).
[[nodiscard]] std::array<Corner, 4> corners_of(const Quad& quad) noexcept;
// The unit outward normal as integers.
[[nodiscard]] std::array<int, 3> normal_of(FaceDirection d) noexcept;

struct Mesh {
  std::vector<Quad> quads;
  std::int64_t exposed_faces = 0;  // before merging: one per solid voxel face that touches non-solid space
                                   // (in the wanted directions)
};

// More exposed faces than this is refused (limit_exceeded) rather than meshed: it bounds the memory of
// the export (16 bytes per face while merging) and the size of the files written.
inline constexpr std::int64_t kMaxExposedFaces = 16LL * 1024 * 1024;

// Which face directions to produce (a renderer needs only those facing its camera).
using DirectionSet = std::array<bool, kFaceDirections>;
inline constexpr DirectionSet kAllDirections{true, true, true, true, true, true};

// What a quad's colour keeps of its voxel's alpha (127..255 for a solid voxel). Formats without alpha force
// it to 255, so faces merge by RGB; glTF keeps it, so faces merge by RGBA.
enum class QuadAlpha : std::uint8_t { opaque, kept };

// Walks the volume block by block (a solid bit mask per block, neighbours found once per block).
[[nodiscard]] Result<Mesh> greedy_mesh(const Volume& volume, const DirectionSet& wanted = kAllDirections,
                                       QuadAlpha alpha = QuadAlpha::opaque);

}  // namespace voxd::core::formats
