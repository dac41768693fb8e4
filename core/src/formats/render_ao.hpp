// Ambient occlusion of voxel faces, the usual voxel-editor way: each corner of a voxel face is darkened by the
// solid voxels that touch it in the layer of air in front of the face (the two beside the corner, side1 and
// side2, and the one diagonal to it), and the four corner values are interpolated across the face, so creases
// and inner corners darken smoothly and flat open faces keep their colour.
#pragma once

#include <array>
#include <cstdint>

#include "render_probe.hpp"

namespace voxd::core::formats::render_detail {

// Per corner 0 (closed in: both sides solid) .. 3 (open), in the order (u0, v0), (u1, v0), (u0, v1), (u1, v1)
// of the face's in-plane axes (greedy_mesher.hpp: u, v follow the face axis cyclically).
struct FaceOcclusion {
  std::array<std::uint8_t, 4> corner{3, 3, 3, 3};
};

// The face of the voxel column (u, v) whose air side lies at `air` along `axis` (0 = x, 1 = y, 2 = z).
[[nodiscard]] FaceOcclusion face_occlusion(SolidProbe& probe, int axis, std::int64_t air, std::int64_t u,
                                           std::int64_t v) noexcept;

// The brightness factor at (fu, fv) in [0, 1]^2 across the face: 1 where open, kDarkestOcclusion where every
// corner is closed in.
inline constexpr double kDarkestOcclusion = 0.55;
[[nodiscard]] double occlusion_factor(const FaceOcclusion& occlusion, double fu, double fv) noexcept;

}  // namespace voxd::core::formats::render_detail
