// How the render tool's arguments become Render requests: which pictures (named views, or the free camera with
// its yaw, pitch, distance and projection) and the look they share (ambient occlusion, shadows, edges,
// background). Every argument is checked here, with a message naming it, before anything goes to voxd (which
// checks the same ranges again; docs/formats-mesh-render.md says what each option does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "arguments.hpp"
#include "voxd/core/formats/contact_sheet.hpp"

namespace voxd::mcp {

// Unset fields keep the protocol's FreeCamera defaults (the iso view's angles, fitted, orthographic).
struct FreeCameraArgs {
  std::optional<double> yaw;
  std::optional<double> pitch;
  std::optional<double> distance;
  std::optional<bool> perspective;
  [[nodiscard]] bool empty() const { return !yaw && !pitch && !distance && !perspective; }
};

struct RenderShot {
  protocol::View view = protocol::View::iso;
  FreeCameraArgs camera;  // with view free only
  std::string label;      // what the result's text calls it: "top", "free(yaw=30,pitch=20)"
};

struct RenderRequest {
  std::vector<RenderShot> shots;  // in the order asked
  std::uint32_t width = 512;
  std::uint32_t height = 512;
  bool ambient_occlusion = true;
  bool shadows = true;
  bool edges = false;
  std::uint32_t background = 0;  // 0xRRGGBBAA; 0 = transparent
  bool separate = false;         // layout "separate": one image per shot, else one contact sheet
};

constexpr std::size_t kMaxRenderShots = core::formats::kMaxSheetShots;  // a 4x4 sheet; its pixel limit applies too

[[nodiscard]] RenderRequest read_render_request(const json& args);
[[nodiscard]] flatbuffers::Offset<void> build_render(flatbuffers::FlatBufferBuilder& fb, const RenderRequest& request,
                                                     const RenderShot& shot);
// One Render of every shot as a contact sheet (the daemon composes it: core/formats/contact_sheet.hpp).
[[nodiscard]] flatbuffers::Offset<void> build_render_sheet(flatbuffers::FlatBufferBuilder& fb,
                                                           const RenderRequest& request);
// The render tool's arguments other than 'project', as JSON Schema properties.
[[nodiscard]] json render_schema_properties();

}  // namespace voxd::mcp
