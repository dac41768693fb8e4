// A CPU render of the model (merged visible layers, solid voxels): a named orthographic view fitted to the
// frame, or a free camera (yaw, pitch, distance; orthographic or perspective); flat shading per face direction,
// ambient occlusion, shadows from one directional light, optional voxel edges, a transparent or coloured
// background. No GL. See docs/formats-mesh-render.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "voxd/core/color.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats {

// `free` uses RenderParams::camera; the others are fixed orthographic views fitted to the frame.
enum class View : std::int32_t { iso = 0, front = 1, back = 2, left = 3, right = 4, top = 5, bottom = 6, free = 7 };

[[nodiscard]] std::optional<View> parse_view(std::string_view name) noexcept;
[[nodiscard]] std::string_view view_name(View view) noexcept;

// The free camera orbits the centre of the model's bounding box. yaw 0 / pitch 0 is the front view (looking
// along +y); yaw turns the camera counter-clockwise seen from above (90 = the right view, looking along -x);
// pitch raises it (90 = the top view, -90 = the bottom view). The defaults are the iso view's angles.
struct FreeCamera {
  double yaw = 45.0;                  // degrees, -360..360
  double pitch = 35.264389682754654;  // degrees, -90..90 (atan(1/sqrt(2)): the iso view)
  // Voxels from the camera to the centre, 1..1000000; 0 fits the model to the frame. An orthographic camera
  // shows what a perspective one would show in the plane of the centre (field of view kFieldOfViewDegrees).
  double distance = 0.0;
  bool perspective = false;
};

// The vertical field of view of the free camera (perspective, and the scale of an orthographic distance).
inline constexpr double kFieldOfViewDegrees = 40.0;

struct RenderParams {
  View view = View::iso;
  int width = 512;   // 1..4096
  int height = 512;  // 1..4096
  bool ambient_occlusion = true;  // per-vertex occlusion of voxel faces: creases and corners darken
  bool shadows = true;            // one directional light from the viewer's upper left casts voxel shadows
  bool edges = false;             // darkens voxel face edges (where a voxel is at least 4 pixels across)
  Color background = kEmpty;      // fills the pixels the model does not cover; kEmpty = transparent
  FreeCamera camera{};            // used when view == View::free
};

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4, row-major, top row first
};

// invalid_argument for a size outside 1..4096, an unknown view, or free-camera numbers out of range, with a
// message naming the field; what render() checks first, for fronts that refuse a request before any work.
[[nodiscard]] Status check_render_params(const RenderParams& params);
// The picture (check_render_params() first).
[[nodiscard]] Result<Image> render(const ProjectState& state, const RenderParams& params);
// The render encoded as a PNG file.
[[nodiscard]] Result<Bytes> render_png(const ProjectState& state, const RenderParams& params);
// PNG encoding of any RGBA image (also used for .gox BL16 tiles).
[[nodiscard]] Result<Bytes> encode_png(const Image& image);
// PNG decoding to RGBA8, refusing images larger than max_pixels.
[[nodiscard]] Result<Image> decode_png(ByteView bytes, std::int64_t max_pixels);

}  // namespace voxd::core::formats
