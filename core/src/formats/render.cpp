// CPU render of the visible model (docs/formats-mesh-render.md):
//   1. the greedy mesh's quads that can face the camera are rasterised into a depth buffer that keeps, per
//      pixel, which quad is nearest (render_raster.cpp), under a named view's or the free camera's projection
//      (render_camera.cpp);
//   2. each covered pixel is then shaded once: the voxel face under it is found on its quad's plane, and its
//      colour is the voxel's, times the flat shade of the face's axis, times ambient occlusion
//      (render_ao.cpp), times the shadow of the light (render_shadow.cpp), times the edge darkening.
// Shading after visibility keeps the cost per pixel, not per voxel face: merged quads stay few.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <new>
#include <string>

#include "greedy_mesher.hpp"
#include "render_ao.hpp"
#include "render_camera.hpp"
#include "render_probe.hpp"
#include "render_raster.hpp"
#include "render_shadow.hpp"
#include "voxd/core/formats/render.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core::formats {

namespace {

using render_detail::CameraBasis;
using render_detail::dot;
using render_detail::Polygon;
using render_detail::Projector;
using render_detail::ScreenPoint;
using render_detail::Vec3d;

constexpr int kMaxImageEdge = 4096;

constexpr std::array<std::string_view, 8> kViewNames{"iso", "front", "back", "left", "right", "top", "bottom", "free"};

// The three flat shades, by the axis of the face's normal: faces along z keep the voxel's colour.
constexpr std::array<int, 3> kShadePercent{64, 80, 100};
// What the light's shadow and a voxel edge leave of a pixel's brightness.
constexpr double kShadowFactor = 0.6;
constexpr double kEdgeFactor = 0.6;
// Edges are drawn only where a voxel is this many pixels across; below, every pixel would be an edge.
constexpr double kMinEdgeSpacing = 4.0;
// A perspective camera sees from this close (voxels); polygons are clipped there.
constexpr double kNearPlane = 0.01;
// How far in front of a face a shadow ray starts, and how far inside its voxel's square.
constexpr double kRayOffset = 1e-3;
constexpr double kInset = 1e-4;

using Int3 = std::array<std::int64_t, 3>;

Vec3d relative(const Corner& c, const Int3& origin) noexcept {
  return {static_cast<double>(c[0] - origin[0]), static_cast<double>(c[1] - origin[1]),
          static_cast<double>(c[2] - origin[2])};
}

Vec3d normal_vector(FaceDirection d) noexcept {
  const auto n = normal_of(d);
  return {static_cast<double>(n[0]), static_cast<double>(n[1]), static_cast<double>(n[2])};
}

// What the camera sees of the model: the quads that can face it, the frame, the model's box.
struct Scene {
  Volume model;
  Int3 origin{};  // model-space coordinates are relative to this integer point (the box's minimum)
  Vec3d lo{};     // the bounding box of the model, relative to origin
  Vec3d hi{};
  Mesh mesh;
  std::vector<const Quad*> visible;
};

// A directional camera sees the faces turned against its view; a perspective one those whose planes it is on
// the outer side of, which for a whole direction means being beyond the model's first plane of it.
DirectionSet facing_directions(const CameraBasis& basis, const Vec3d* eye, const Scene& scene) noexcept {
  DirectionSet facing{};
  for (std::size_t d = 0; d < kFaceDirections; ++d) {
    const auto dir = static_cast<FaceDirection>(d);
    if (eye == nullptr) {
      facing[d] = dot(normal_vector(dir), basis.forward) < 0;
    } else {
      const auto a = static_cast<std::size_t>(axis_of(dir));
      facing[d] = is_positive(dir) ? (*eye)[a] > scene.lo[a] : (*eye)[a] < scene.hi[a];
    }
  }
  return facing;
}

bool quad_faces_eye(const Quad& q, const Vec3d& eye, const Int3& origin) noexcept {
  const auto a = static_cast<std::size_t>(axis_of(q.direction));
  const auto plane = static_cast<double>(q.plane - origin[a]);
  return is_positive(q.direction) ? eye[a] > plane : eye[a] < plane;
}

// The named views and a free orthographic camera at distance 0 fit what shows into the frame.
Projector frame_scene(const RenderParams& params, const CameraBasis& basis, const Scene& scene, double distance) {
  const bool is_free = params.view == View::free;
  const Vec3d target = render_detail::scaled(render_detail::add(scene.lo, scene.hi), 0.5);
  if (is_free && params.camera.perspective) {
    return render_detail::perspective_at(basis, params.width, params.height, target, distance);
  }
  if (is_free && params.camera.distance > 0) {
    return render_detail::orthographic_at(basis, params.width, params.height, target, params.camera.distance);
  }
  double min_x = std::numeric_limits<double>::max();
  double max_x = std::numeric_limits<double>::lowest();
  double min_y = min_x;
  double max_y = max_x;
  for (const Quad* q : scene.visible) {
    for (const Corner& c : corners_of(*q)) {
      const Vec3d p = relative(c, scene.origin);
      const double x = dot(p, basis.right);
      const double y = dot(p, basis.up);
      min_x = std::min(min_x, x);
      max_x = std::max(max_x, x);
      min_y = std::min(min_y, y);
      max_y = std::max(max_y, y);
    }
  }
  return render_detail::fitted_orthographic(basis, params.width, params.height, min_x, max_x, min_y, max_y);
}

// The quad on the image; a perspective camera clips it at its near plane first (Sutherland-Hodgman).
Polygon project_quad(const Quad& q, const Projector& projector, const Int3& origin) noexcept {
  Polygon out;
  const auto corners = corners_of(q);
  std::array<Vec3d, 4> cam{};
  for (std::size_t i = 0; i < 4; ++i) {
    cam[i] = projector.camera_space(relative(corners[i], origin));
  }
  if (!projector.is_perspective()) {
    for (std::size_t i = 0; i < 4; ++i) {
      out.points[i] = projector.screen(cam[i]);
    }
    out.size = 4;
    return out;
  }
  std::array<Vec3d, render_detail::kMaxPolygon> kept{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const Vec3d& a = cam[i];
    const Vec3d& b = cam[(i + 1) % 4];
    const bool a_in = a[2] >= kNearPlane;
    const bool b_in = b[2] >= kNearPlane;
    if (a_in) {
      kept[n++] = a;
    }
    if (a_in != b_in) {
      const double t = (kNearPlane - a[2]) / (b[2] - a[2]);
      kept[n++] = render_detail::add(a, render_detail::scaled(render_detail::sub(b, a), t));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    out.points[i] = projector.screen(kept[i]);
  }
  out.size = n;
  return out;
}

// Colours the covered pixels (and fills the others with the background).
class Shader {
 public:
  Shader(const RenderParams& params, const Scene& scene, const Projector& projector,
         const render_detail::VisibilityBuffer& buffer)
      : params_(&params),
        scene_(&scene),
        projector_(&projector),
        buffer_(&buffer),
        probe_(scene.model),
        light_(render_detail::light_direction(projector.basis())),
        shadows_(probe_, light_, scene.origin, scene.lo, scene.hi) {}

  void shade(Image& image) {
    const Color bg = params_->background;
    for (int j = 0; j < image.height; ++j) {
      for (int i = 0; i < image.width; ++i) {
        const std::size_t px =
            static_cast<std::size_t>(j) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(i);
        const std::uint32_t id = buffer_->id(px);
        const Color c = id == render_detail::kNoQuad ? bg : pixel(id, i, j);
        std::uint8_t* out = &image.rgba[px * 4];
        out[0] = c.r;
        out[1] = c.g;
        out[2] = c.b;
        out[3] = c.a;
      }
    }
  }

 private:
  struct OnFace {
    Vec3d point;      // where the pixel's ray meets the quad's plane (model space, relative)
    std::int64_t iu;  // the voxel face under it, in the quad's (u, v) frame, relative
    std::int64_t iv;
    double fu;  // where in that face, 0..1
    double fv;
  };

  // Where the ray through image point (x, y) meets the quad's plane. False for a ray along the plane.
  bool locate(const Quad& q, double x, double y, OnFace& at) const noexcept {
    const auto a = static_cast<std::size_t>(axis_of(q.direction));
    const std::size_t ua = (a + 1) % 3;
    const std::size_t va = (a + 2) % 3;
    const auto ray = projector_->ray(x, y);
    if (!(std::abs(ray.direction[a]) > 1e-12)) {
      return false;
    }
    const auto plane = static_cast<double>(q.plane - scene_->origin[a]);
    const double t = (plane - ray.origin[a]) / ray.direction[a];
    at.point = render_detail::add(ray.origin, render_detail::scaled(ray.direction, t));
    at.point[a] = plane;
    // The centre of a pixel on the quad's edge may round to just outside it: stay on the quad.
    const std::int64_t u0 = q.u0 - scene_->origin[ua];
    const std::int64_t v0 = q.v0 - scene_->origin[va];
    const std::int64_t u1 = q.u1 - scene_->origin[ua];
    const std::int64_t v1 = q.v1 - scene_->origin[va];
    const double pu = std::clamp(at.point[ua], static_cast<double>(u0), static_cast<double>(u1));
    const double pv = std::clamp(at.point[va], static_cast<double>(v0), static_cast<double>(v1));
    at.iu = std::clamp(static_cast<std::int64_t>(std::floor(pu)), u0, u1 - 1);
    at.iv = std::clamp(static_cast<std::int64_t>(std::floor(pv)), v0, v1 - 1);
    at.fu = std::clamp(pu - static_cast<double>(at.iu), 0.0, 1.0);
    at.fv = std::clamp(pv - static_cast<double>(at.iv), 0.0, 1.0);
    at.point[ua] = pu;
    at.point[va] = pv;
    return true;
  }

  Color pixel(std::uint32_t id, int i, int j) {
    const Quad& q = *scene_->visible[id];
    const auto a = static_cast<std::size_t>(axis_of(q.direction));
    const int pct = kShadePercent[a];
    double factor = 1.0;
    OnFace at{};
    const double x = i + 0.5;
    const double y = j + 0.5;
    if ((params_->ambient_occlusion || params_->shadows || params_->edges) && locate(q, x, y, at)) {
      if (params_->ambient_occlusion) {
        factor *= occlusion(q, id, at);
      }
      if (params_->shadows && in_shadow(q, at)) {
        factor *= kShadowFactor;
      }
      if (params_->edges && on_edge(q, at, x, y)) {
        factor *= kEdgeFactor;
      }
    }
    auto channel = [&](std::uint8_t ch) {
      // With factor 1 this is the flat shade (ch * pct + 50) / 100 exactly.
      const double v = static_cast<double>(ch * pct) * factor / 100.0 + 0.5;
      return static_cast<std::uint8_t>(std::min(255.0, v));
    };
    return {channel(q.color.r), channel(q.color.g), channel(q.color.b), 255};
  }

  double occlusion(const Quad& q, std::uint32_t id, const OnFace& at) {
    // Neighbouring pixels mostly fall on the same voxel face: keep its corners.
    if (id != cached_id_ || at.iu != cached_u_ || at.iv != cached_v_) {
      const auto a = static_cast<std::size_t>(axis_of(q.direction));
      const std::size_t ua = (a + 1) % 3;
      const std::size_t va = (a + 2) % 3;
      const std::int64_t air = is_positive(q.direction) ? q.plane : std::int64_t{q.plane} - 1;
      cached_ = render_detail::face_occlusion(probe_, static_cast<int>(a), air, at.iu + scene_->origin[ua],
                                              at.iv + scene_->origin[va]);
      cached_id_ = id;
      cached_u_ = at.iu;
      cached_v_ = at.iv;
    }
    return render_detail::occlusion_factor(cached_, at.fu, at.fv);
  }

  bool in_shadow(const Quad& q, const OnFace& at) {
    const Vec3d n = normal_vector(q.direction);
    if (dot(n, light_) <= 0) {
      return true;  // turned away from the light
    }
    const auto a = static_cast<std::size_t>(axis_of(q.direction));
    const std::size_t ua = (a + 1) % 3;
    const std::size_t va = (a + 2) % 3;
    Vec3d start = at.point;
    start[a] += is_positive(q.direction) ? kRayOffset : -kRayOffset;
    start[ua] = std::clamp(start[ua], static_cast<double>(at.iu) + kInset, static_cast<double>(at.iu + 1) - kInset);
    start[va] = std::clamp(start[va], static_cast<double>(at.iv) + kInset, static_cast<double>(at.iv + 1) - kInset);
    return shadows_.blocked(start);
  }

  // Within half a pixel of a voxel face's edge, measured on the image.
  [[nodiscard]] bool on_edge(const Quad& q, const OnFace& at, double x, double y) const noexcept {
    const auto a = static_cast<std::size_t>(axis_of(q.direction));
    const std::size_t ua = (a + 1) % 3;
    const std::size_t va = (a + 2) % 3;
    OnFace right{};
    OnFace down{};
    if (!locate_unclamped(q, x + 1, y, right) || !locate_unclamped(q, x, y + 1, down)) {
      return false;
    }
    auto near_edge = [](double along, double per_x, double per_y) {
      const double per_pixel = std::hypot(per_x, per_y);  // voxels per pixel across the edge lines
      if (!(per_pixel > 0) || 1.0 / per_pixel < kMinEdgeSpacing) {
        return false;
      }
      return std::min(along, 1.0 - along) / per_pixel < 0.5;
    };
    return near_edge(at.fu, right.point[ua] - at.point[ua], down.point[ua] - at.point[ua]) ||
           near_edge(at.fv, right.point[va] - at.point[va], down.point[va] - at.point[va]);
  }

  // Where the ray meets the quad's plane, without keeping to the quad (for differences between pixels).
  bool locate_unclamped(const Quad& q, double x, double y, OnFace& at) const noexcept {
    const auto a = static_cast<std::size_t>(axis_of(q.direction));
    const auto ray = projector_->ray(x, y);
    if (!(std::abs(ray.direction[a]) > 1e-12)) {
      return false;
    }
    const auto plane = static_cast<double>(q.plane - scene_->origin[a]);
    const double t = (plane - ray.origin[a]) / ray.direction[a];
    at.point = render_detail::add(ray.origin, render_detail::scaled(ray.direction, t));
    return true;
  }

  const RenderParams* params_;
  const Scene* scene_;
  const Projector* projector_;
  const render_detail::VisibilityBuffer* buffer_;
  render_detail::SolidProbe probe_;
  Vec3d light_;
  render_detail::ShadowCaster shadows_;
  render_detail::FaceOcclusion cached_{};
  std::uint32_t cached_id_ = render_detail::kNoQuad;
  std::int64_t cached_u_ = 0;
  std::int64_t cached_v_ = 0;
};

std::optional<std::string> params_error(const RenderParams& params) {
  if (params.width < 1 || params.width > kMaxImageEdge || params.height < 1 || params.height > kMaxImageEdge) {
    return "the image size " + std::to_string(params.width) + "x" + std::to_string(params.height) +
           " is outside 1..4096";
  }
  const auto view = static_cast<std::size_t>(params.view);
  if (static_cast<std::int32_t>(params.view) < 0 || view >= kViewNames.size()) {
    return "unknown view " + std::to_string(static_cast<std::int32_t>(params.view));
  }
  if (params.view == View::free) {
    return render_detail::camera_error(params.camera);
  }
  return std::nullopt;
}

Result<Image> render_model(const ProjectState& state, const RenderParams& params) {
  Image image;
  image.width = params.width;
  image.height = params.height;
  image.rgba.resize(static_cast<std::size_t>(params.width) * static_cast<std::size_t>(params.height) * 4);
  for (std::size_t i = 0; i < image.rgba.size(); i += 4) {
    image.rgba[i] = params.background.r;
    image.rgba[i + 1] = params.background.g;
    image.rgba[i + 2] = params.background.b;
    image.rgba[i + 3] = params.background.a;
  }

  Scene scene;
  scene.model = merged_visible(state);
  const std::optional<Box> box = scene.model.bounding_box();
  if (!box) {
    return image;
  }
  scene.origin = {box->min.x, box->min.y, box->min.z};
  scene.hi = {static_cast<double>(std::int64_t{box->max.x} - box->min.x + 1),
              static_cast<double>(std::int64_t{box->max.y} - box->min.y + 1),
              static_cast<double>(std::int64_t{box->max.z} - box->min.z + 1)};

  const CameraBasis basis = render_detail::basis_of(params.view, params.camera);
  const bool perspective = params.view == View::free && params.camera.perspective;
  double distance = params.camera.distance;
  Vec3d eye{};
  if (perspective) {
    if (distance == 0) {
      const Vec3d half = render_detail::scaled(scene.hi, 0.5);
      distance = render_detail::fitting_distance(params.width, params.height, std::sqrt(dot(half, half)));
    }
    eye = render_detail::sub(render_detail::scaled(scene.hi, 0.5), render_detail::scaled(basis.forward, distance));
  }
  Result<Mesh> mesh = greedy_mesh(scene.model, facing_directions(basis, perspective ? &eye : nullptr, scene));
  if (!mesh.ok()) {
    return std::move(mesh).error();
  }
  scene.mesh = std::move(mesh).value();
  for (const Quad& q : scene.mesh.quads) {
    if (!perspective || quad_faces_eye(q, eye, scene.origin)) {
      scene.visible.push_back(&q);
    }
  }
  if (scene.visible.empty()) {
    return image;
  }
  const Projector projector = frame_scene(params, basis, scene, distance);
  render_detail::VisibilityBuffer buffer(params.width, params.height);
  for (std::size_t i = 0; i < scene.visible.size(); ++i) {
    buffer.draw(project_quad(*scene.visible[i], projector, scene.origin), static_cast<std::uint32_t>(i));
  }
  Shader(params, scene, projector, buffer).shade(image);
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

Status check_render_params(const RenderParams& params) {
  if (auto problem = params_error(params)) {
    return make_error(ErrorCode::invalid_argument, "render: " + *problem);
  }
  return Status::success();
}

Result<Image> render(const ProjectState& state, const RenderParams& params) {
  VOXD_TRY(check_render_params(params));
  try {
    return render_model(state, params);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "render: out of memory");
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, std::string("render: ") + e.what());
  }
}

}  // namespace voxd::core::formats
