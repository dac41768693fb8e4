// Per-vertex ambient occlusion of voxel faces (render_ao.hpp).
#include "render_ao.hpp"

#include <cstddef>

namespace voxd::core::formats::render_detail {

namespace {

// The classic rule: a corner between two solid sides is fully closed whatever the diagonal holds (the diagonal
// cannot be seen through them); otherwise each solid neighbour takes one step of light.
constexpr std::uint8_t corner_value(bool side1, bool side2, bool diagonal) noexcept {
  if (side1 && side2) {
    return 0;
  }
  return static_cast<std::uint8_t>(3 - static_cast<int>(side1) - static_cast<int>(side2) - static_cast<int>(diagonal));
}

}  // namespace

FaceOcclusion face_occlusion(SolidProbe& probe, int axis, std::int64_t air, std::int64_t u, std::int64_t v) noexcept {
  const auto a = static_cast<std::size_t>(axis);
  const std::size_t ua = (a + 1) % 3;
  const std::size_t va = (a + 2) % 3;
  // s[j][i]: the 3x3 neighbourhood of the face's air voxel, at (u + i - 1, v + j - 1); the centre is the air.
  std::array<std::array<bool, 3>, 3> s{};
  for (std::size_t j = 0; j < 3; ++j) {
    for (std::size_t i = 0; i < 3; ++i) {
      if (i == 1 && j == 1) {
        continue;
      }
      std::array<std::int64_t, 3> p{};
      p[a] = air;
      p[ua] = u + static_cast<std::int64_t>(i) - 1;
      p[va] = v + static_cast<std::int64_t>(j) - 1;
      s[j][i] = probe.solid(p[0], p[1], p[2]);
    }
  }
  FaceOcclusion out;
  for (std::size_t c = 0; c < 4; ++c) {
    const std::size_t cu = (c & 1U) != 0 ? 2 : 0;  // the column of the neighbours on this corner's u side
    const std::size_t cv = (c & 2U) != 0 ? 2 : 0;
    out.corner[c] = corner_value(s[1][cu], s[cv][1], s[cv][cu]);
  }
  return out;
}

double occlusion_factor(const FaceOcclusion& occlusion, double fu, double fv) noexcept {
  const auto& k = occlusion.corner;
  const double bottom = k[0] + (k[1] - k[0]) * fu;
  const double top = k[2] + (k[3] - k[2]) * fu;
  const double open = (bottom + (top - bottom) * fv) / 3.0;  // 0 .. 1
  return kDarkestOcclusion + (1.0 - kDarkestOcclusion) * open;
}

}  // namespace voxd::core::formats::render_detail
