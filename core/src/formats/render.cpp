// CPU render of the visible model: the greedy mesh's front-facing quads rasterised with a depth buffer
// under an orthographic camera, flat-shaded by face axis, fitted to the frame.
//
// Axes are Goxel's: z up. The views look
//   front  along +y (x to the right)      back   along -y (-x to the right)
//   left   along +x (-y to the right)     right  along -x (+y to the right)
//   top    along -z (x right, +y up)      bottom along +z (x right, -y up)
//   iso    along (-1,+1,-1): from the front-right-top corner, so the top, front and right faces show.
// Shading: faces along z keep the voxel colour, faces along y get 80 % of it, faces along x 64 %.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <new>
#include <string>

#include "greedy_mesher.hpp"
#include "voxd/core/ops.hpp"
#include "voxd/core/formats/render.hpp"

namespace voxd::core::formats {

namespace {

constexpr int kMaxImageEdge = 4096;

using Vec3d = std::array<double, 3>;

double dot(const Vec3d& a, const Vec3d& b) noexcept {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

// An orthographic camera: `forward` is the viewing direction; right x up = -forward (no mirroring).
struct Camera {
  Vec3d right;
  Vec3d up;
  Vec3d forward;
};

Camera camera_for(View view) noexcept {
  const double s2 = 1.0 / std::sqrt(2.0);
  const double s3 = 1.0 / std::sqrt(3.0);
  const double s6 = 1.0 / std::sqrt(6.0);
  switch (view) {
    case View::front: return {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}};
    case View::back: return {{-1, 0, 0}, {0, 0, 1}, {0, -1, 0}};
    case View::left: return {{0, -1, 0}, {0, 0, 1}, {1, 0, 0}};
    case View::right: return {{0, 1, 0}, {0, 0, 1}, {-1, 0, 0}};
    case View::top: return {{1, 0, 0}, {0, 1, 0}, {0, 0, -1}};
    case View::bottom: return {{1, 0, 0}, {0, -1, 0}, {0, 0, 1}};
    case View::iso: break;
  }
  return {{s2, s2, 0}, {-s6, s6, 2 * s6}, {-s3, s3, -s3}};
}

constexpr std::array<std::string_view, 7> kViewNames{"iso", "front", "back", "left", "right", "top", "bottom"};

// The three flat shades, by the axis of the face's normal.
constexpr std::array<int, 3> kShadePercent{64, 80, 100};

Color shaded(Color c, FaceDirection d) noexcept {
  const int pct = kShadePercent[static_cast<std::size_t>(axis_of(d))];
  auto scale = [pct](std::uint8_t ch) { return static_cast<std::uint8_t>((ch * pct + 50) / 100); };
  return {scale(c.r), scale(c.g), scale(c.b), 255};
}

struct ScreenPoint {
  double x = 0;
  double y = 0;
  double depth = 0;  // along the view direction: smaller is nearer
};

// Draws one flat convex quad (a parallelogram on screen) into the colour and depth buffers. A pixel is
// covered when its centre lies inside or on the quad's edges; the nearest quad wins.
class Rasteriser {
 public:
  Rasteriser(Image& image, std::vector<float>& depth) noexcept : image_(&image), depth_(&depth) {}

  void draw(const std::array<ScreenPoint, 4>& p, Color color) {
    // Twice the signed area; orient the edge functions so that inside is >= 0.
    double area = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const ScreenPoint& a = p[i];
      const ScreenPoint& b = p[(i + 1) % 4];
      area += a.x * b.y - b.x * a.y;
    }
    if (std::abs(area) < 1e-12) {
      return;
    }
    const double orient = area > 0 ? 1.0 : -1.0;
    std::array<std::array<double, 3>, 4> edge{};  // inside: e[0]*x + e[1]*y + e[2] >= 0
    for (std::size_t i = 0; i < 4; ++i) {
      const ScreenPoint& a = p[i];
      const ScreenPoint& b = p[(i + 1) % 4];
      const double ex = b.x - a.x;
      const double ey = b.y - a.y;
      edge[i] = {-ey * orient, ex * orient, (ey * a.x - ex * a.y) * orient};
    }
    // Depth is affine over the plane of the quad.
    const double dx1 = p[1].x - p[0].x;
    const double dy1 = p[1].y - p[0].y;
    const double dz1 = p[1].depth - p[0].depth;
    const double dx2 = p[3].x - p[0].x;
    const double dy2 = p[3].y - p[0].y;
    const double dz2 = p[3].depth - p[0].depth;
    const double det = dx1 * dy2 - dx2 * dy1;
    if (std::abs(det) < 1e-12) {
      return;
    }
    const double dzdx = (dz1 * dy2 - dz2 * dy1) / det;
    const double dzdy = (dx1 * dz2 - dx2 * dz1) / det;

    double min_x = p[0].x;
    double max_x = p[0].x;
    double min_y = p[0].y;
    double max_y = p[0].y;
    for (const ScreenPoint& q : p) {
      min_x = std::min(min_x, q.x);
      max_x = std::max(max_x, q.x);
      min_y = std::min(min_y, q.y);
      max_y = std::max(max_y, q.y);
    }
    // Pixel (i, j) samples its centre (i + 0.5, j + 0.5).
    const int i0 = std::max(0, static_cast<int>(std::ceil(min_x - 0.5)));
    const int i1 = std::min(image_->width - 1, static_cast<int>(std::floor(max_x - 0.5)));
    const int j0 = std::max(0, static_cast<int>(std::ceil(min_y - 0.5)));
    const int j1 = std::min(image_->height - 1, static_cast<int>(std::floor(max_y - 0.5)));
    for (int j = j0; j <= j1; ++j) {
      const double cy = j + 0.5;
      const std::size_t row = static_cast<std::size_t>(j) * static_cast<std::size_t>(image_->width);
      for (int i = i0; i <= i1; ++i) {
        const double cx = i + 0.5;
        bool inside = true;
        for (const auto& e : edge) {
          inside = inside && e[0] * cx + e[1] * cy + e[2] >= 0;
        }
        if (!inside) {
          continue;
        }
        const auto z = static_cast<float>(p[0].depth + (cx - p[0].x) * dzdx + (cy - p[0].y) * dzdy);
        const std::size_t px = row + static_cast<std::size_t>(i);
        if (z < (*depth_)[px]) {
          (*depth_)[px] = z;
          std::uint8_t* out = &image_->rgba[px * 4];
          out[0] = color.r;
          out[1] = color.g;
          out[2] = color.b;
          out[3] = color.a;
        }
      }
    }
  }

 private:
  Image* image_;
  std::vector<float>* depth_;
};

bool faces_camera(FaceDirection d, const Camera& camera) noexcept {
  const auto n = normal_of(d);
  return dot({static_cast<double>(n[0]), static_cast<double>(n[1]), static_cast<double>(n[2])}, camera.forward) < 0;
}

Image render_mesh(const Mesh& mesh, const RenderParams& params) {
  Image image;
  image.width = params.width;
  image.height = params.height;
  image.rgba.assign(static_cast<std::size_t>(params.width) * static_cast<std::size_t>(params.height) * 4, 0);

  const Camera camera = camera_for(params.view);
  std::vector<const Quad*> visible;
  for (const Quad& q : mesh.quads) {
    if (faces_camera(q.direction, camera)) {
      visible.push_back(&q);
    }
  }
  if (visible.empty()) {
    return image;
  }

  // Project relative to a point inside the model so that float depths keep their precision.
  const Corner origin = corners_of(*visible.front())[0];
  auto project = [&](const Corner& c) {
    const Vec3d q{static_cast<double>(c[0] - origin[0]), static_cast<double>(c[1] - origin[1]),
                  static_cast<double>(c[2] - origin[2])};
    return ScreenPoint{dot(q, camera.right), dot(q, camera.up), dot(q, camera.forward)};
  };

  double min_x = std::numeric_limits<double>::max();
  double max_x = std::numeric_limits<double>::lowest();
  double min_y = min_x;
  double max_y = max_x;
  for (const Quad* q : visible) {
    for (const Corner& c : corners_of(*q)) {
      const ScreenPoint s = project(c);
      min_x = std::min(min_x, s.x);
      max_x = std::max(max_x, s.x);
      min_y = std::min(min_y, s.y);
      max_y = std::max(max_y, s.y);
    }
  }
  // Fit with a margin of 4 % of the shorter edge on every side, centred.
  const int margin = std::min(params.width, params.height) / 25;
  const double scale =
      std::min((params.width - 2 * margin) / (max_x - min_x), (params.height - 2 * margin) / (max_y - min_y));
  const double mid_x = (min_x + max_x) / 2;
  const double mid_y = (min_y + max_y) / 2;
  const double half_w = params.width / 2.0;
  const double half_h = params.height / 2.0;

  std::vector<float> depth(static_cast<std::size_t>(params.width) * static_cast<std::size_t>(params.height),
                           std::numeric_limits<float>::infinity());
  Rasteriser raster(image, depth);
  for (const Quad* q : visible) {
    std::array<ScreenPoint, 4> pts{};
    const auto corners = corners_of(*q);
    for (std::size_t i = 0; i < 4; ++i) {
      const ScreenPoint s = project(corners[i]);
      // Image rows go down, screen y goes up.
      pts[i] = {half_w + (s.x - mid_x) * scale, half_h - (s.y - mid_y) * scale, s.depth};
    }
    raster.draw(pts, shaded(q->color, q->direction));
  }
  return image;
}

}  // namespace

std::optional<View> parse_view(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kViewNames.size(); ++i) {
    if (kViewNames[i] == name) {
      return static_cast<View>(i);
    }
  }
  return std::nullopt;
}

std::string_view view_name(View view) noexcept {
  const auto i = static_cast<std::size_t>(view);
  return i < kViewNames.size() ? kViewNames[i] : std::string_view{"unknown"};
}

Result<Image> render(const ProjectState& state, const RenderParams& params) {
  if (params.width < 1 || params.width > kMaxImageEdge || params.height < 1 || params.height > kMaxImageEdge) {
    return make_error(ErrorCode::invalid_argument, "render: the image size " + std::to_string(params.width) + "x" +
                                                       std::to_string(params.height) + " is outside 1..4096");
  }
  if (view_name(params.view) == "unknown") {
    return make_error(ErrorCode::invalid_argument, "render: unknown view");
  }
  try {
    // Only faces turned towards the camera can be seen (the surface is closed).
    const Camera camera = camera_for(params.view);
    DirectionSet facing{};
    for (std::size_t d = 0; d < kFaceDirections; ++d) {
      facing[d] = faces_camera(static_cast<FaceDirection>(d), camera);
    }
    Result<Mesh> mesh = greedy_mesh(merged_visible(state), facing);
    if (!mesh.ok()) {
      return std::move(mesh).error();
    }
    return render_mesh(*mesh, params);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "render: out of memory");
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, std::string("render: ") + e.what());
  }
}

}  // namespace voxd::core::formats
