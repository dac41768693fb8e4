// Depth-buffered rasterisation of convex polygons (render_raster.hpp): edge functions over the polygon's
// pixel bounds, the depth key interpolated as a plane.
#include "render_raster.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace voxd::core::formats::render_detail {

VisibilityBuffer::VisibilityBuffer(int width, int height)
    : width_(width),
      height_(height),
      depth_(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), std::numeric_limits<float>::infinity()),
      ids_(depth_.size(), kNoQuad) {}

void VisibilityBuffer::draw(const Polygon& polygon, std::uint32_t id) {
  const std::size_t n = polygon.size;
  if (n < 3 || n > kMaxPolygon) {
    return;
  }
  const auto& p = polygon.points;
  // Twice the signed area; orient the edge functions so that inside is >= 0.
  double area = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const ScreenPoint& a = p[i];
    const ScreenPoint& b = p[(i + 1) % n];
    area += a.x * b.y - b.x * a.y;
  }
  if (!(std::abs(area) >= 1e-12)) {  // also refuses NaN
    return;
  }
  const double orient = area > 0 ? 1.0 : -1.0;
  std::array<std::array<double, 3>, kMaxPolygon> edge{};  // inside: e[0]*x + e[1]*y + e[2] >= 0
  for (std::size_t i = 0; i < n; ++i) {
    const ScreenPoint& a = p[i];
    const ScreenPoint& b = p[(i + 1) % n];
    const double ex = b.x - a.x;
    const double ey = b.y - a.y;
    edge[i] = {-ey * orient, ex * orient, (ey * a.x - ex * a.y) * orient};
  }
  // The key is affine over the polygon: its plane from the fan triangle with the largest area (the others may
  // be slivers after clipping).
  std::size_t best = 1;
  double best_det = 0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double det = (p[i].x - p[0].x) * (p[i + 1].y - p[0].y) - (p[i + 1].x - p[0].x) * (p[i].y - p[0].y);
    if (std::abs(det) > std::abs(best_det)) {
      best_det = det;
      best = i;
    }
  }
  if (std::abs(best_det) < 1e-12) {
    return;
  }
  const double dx1 = p[best].x - p[0].x;
  const double dy1 = p[best].y - p[0].y;
  const double dk1 = p[best].key - p[0].key;
  const double dx2 = p[best + 1].x - p[0].x;
  const double dy2 = p[best + 1].y - p[0].y;
  const double dk2 = p[best + 1].key - p[0].key;
  const double dkdx = (dk1 * dy2 - dk2 * dy1) / best_det;
  const double dkdy = (dx1 * dk2 - dx2 * dk1) / best_det;

  double min_x = p[0].x;
  double max_x = p[0].x;
  double min_y = p[0].y;
  double max_y = p[0].y;
  for (std::size_t i = 1; i < n; ++i) {
    min_x = std::min(min_x, p[i].x);
    max_x = std::max(max_x, p[i].x);
    min_y = std::min(min_y, p[i].y);
    max_y = std::max(max_y, p[i].y);
  }
  // Pixel (i, j) samples its centre (i + 0.5, j + 0.5). Bounds are clamped in double before the cast, so a
  // polygon far off-screen cannot overflow the conversion.
  auto clamp_to = [](double v, int hi) { return static_cast<int>(std::clamp(v, -1.0, static_cast<double>(hi))); };
  const int i0 = std::max(0, clamp_to(std::ceil(min_x - 0.5), width_));
  const int i1 = std::min(width_ - 1, clamp_to(std::floor(max_x - 0.5), width_));
  const int j0 = std::max(0, clamp_to(std::ceil(min_y - 0.5), height_));
  const int j1 = std::min(height_ - 1, clamp_to(std::floor(max_y - 0.5), height_));
  for (int j = j0; j <= j1; ++j) {
    const double cy = j + 0.5;
    const std::size_t row = static_cast<std::size_t>(j) * static_cast<std::size_t>(width_);
    for (int i = i0; i <= i1; ++i) {
      const double cx = i + 0.5;
      bool inside = true;
      for (std::size_t e = 0; e < n; ++e) {
        inside = inside && edge[e][0] * cx + edge[e][1] * cy + edge[e][2] >= 0;
      }
      if (!inside) {
        continue;
      }
      const auto key = static_cast<float>(p[0].key + (cx - p[0].x) * dkdx + (cy - p[0].y) * dkdy);
      const std::size_t px = row + static_cast<std::size_t>(i);
      if (key < depth_[px]) {
        depth_[px] = key;
        ids_[px] = id;
      }
    }
  }
}

}  // namespace voxd::core::formats::render_detail
