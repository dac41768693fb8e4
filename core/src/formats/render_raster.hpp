// The renderer's visibility pass: convex polygons (the quads of the greedy mesh, clipped at the near plane
// for a perspective camera) drawn into a depth buffer and a buffer of which quad is nearest at each pixel.
// Colour comes later, per pixel, from the quad found there (render.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "render_camera.hpp"

namespace voxd::core::formats::render_detail {

inline constexpr std::uint32_t kNoQuad = 0xFFFFFFFFU;
// A quad clipped by one plane has at most 5 corners.
inline constexpr std::size_t kMaxPolygon = 8;

struct Polygon {
  std::array<ScreenPoint, kMaxPolygon> points{};
  std::size_t size = 0;
};

class VisibilityBuffer {
 public:
  VisibilityBuffer(int width, int height);

  // A pixel is covered when its centre lies inside or on the polygon's edges; the smallest key wins.
  void draw(const Polygon& polygon, std::uint32_t id);

  [[nodiscard]] int width() const noexcept { return width_; }
  [[nodiscard]] int height() const noexcept { return height_; }
  [[nodiscard]] std::uint32_t id(std::size_t pixel) const noexcept { return ids_[pixel]; }

 private:
  int width_;
  int height_;
  std::vector<float> depth_;
  std::vector<std::uint32_t> ids_;
};

}  // namespace voxd::core::formats::render_detail
