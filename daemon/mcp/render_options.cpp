#include "render_options.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>

namespace voxd::mcp {

namespace {

// Indexed by protocol::View.
constexpr std::array<std::string_view, 8> kViews{"iso", "front", "back", "left", "right", "top", "bottom", "free"};
constexpr const char* kViewList = "iso, front, back, left, right, top, bottom, free";
constexpr std::array<const char*, 4> kCameraKeys{"yaw", "pitch", "distance", "perspective"};

protocol::View view_named(const std::string& name, const std::string& what) {
  for (std::size_t i = 0; i < kViews.size(); ++i) {
    if (kViews[i] == name) return static_cast<protocol::View>(i);
  }
  throw ToolError("unknown " + what + " \"" + name + "\" (" + kViewList + ")");
}

// The free camera's keys of one JSON object (the tool's arguments, or one object in 'views').
FreeCameraArgs read_camera(const json& object) {
  FreeCameraArgs camera;
  camera.yaw = arg_number(object, "yaw", -360, 360);
  camera.pitch = arg_number(object, "pitch", -90, 90);
  camera.distance = arg_number(object, "distance", 0, 1'000'000);
  if (camera.distance && *camera.distance > 0 && *camera.distance < 1) {
    throw ToolError("'distance' is 0 (fit the model to the frame) or 1..1000000 voxels from the model's centre");
  }
  if (object.is_object() && object.contains("perspective") && !object["perspective"].is_null()) {
    camera.perspective = arg_bool_or(object, "perspective", false);
  }
  return camera;
}

// A shot's own camera keys win over the tool-wide ones.
FreeCameraArgs merged(const FreeCameraArgs& own, const FreeCameraArgs& shared) {
  return {own.yaw ? own.yaw : shared.yaw, own.pitch ? own.pitch : shared.pitch,
          own.distance ? own.distance : shared.distance, own.perspective ? own.perspective : shared.perspective};
}

std::string free_label(const FreeCameraArgs& c) {
  std::string label = "free(";
  const auto add = [&](const char* key, const std::optional<double>& v) {
    if (!v) return;
    std::array<char, 48> text{};
    std::snprintf(text.data(), text.size(), "%s%s=%g", label.size() > 5 ? "," : "", key, *v);
    label += text.data();
  };
  add("yaw", c.yaw);
  add("pitch", c.pitch);
  add("distance", c.distance);
  if (c.perspective) label += std::string(label.size() > 5 ? "," : "") + (*c.perspective ? "perspective" : "orthographic");
  return label + ")";
}

RenderShot free_shot(const FreeCameraArgs& camera) {
  return {protocol::View::free, camera, free_label(camera)};
}

json number_schema(double min, double max, const char* description) {
  return {{"type", "number"}, {"minimum", min}, {"maximum", max}, {"description", description}};
}

json camera_properties() {
  return {{"yaw", number_schema(-360, 360, "Free camera: degrees about the vertical axis; 0 = the front view, 90 = the "
                                           "right view, 45 = iso (default)")},
          {"pitch", number_schema(-90, 90, "Free camera: degrees above the horizon; 0 = level, 90 = straight down (the "
                                           "top view), 35.26 = iso (default)")},
          {"distance", number_schema(0, 1'000'000, "Free camera: voxels from the model's centre, 1..1000000; 0 (default) "
                                                   "fits the model to the frame")},
          {"perspective", {{"type", "boolean"}, {"description", "Free camera: perspective (40 degree field of view) "
                                                                 "instead of orthographic (default false)"}}}};
}

}  // namespace

RenderRequest read_render_request(const json& args) {
  RenderRequest request;
  const FreeCameraArgs shared = read_camera(args);
  const bool has_views = args.is_object() && args.contains("views") && !args["views"].is_null();
  const auto view = arg_string(args, "view");
  if (has_views && view) throw ToolError("give 'view' (one picture) or 'views' (several), not both");
  if (has_views) {
    const json& list = arg_array(args, "views", kMaxRenderShots);
    if (list.empty()) throw ToolError("'views' is empty: name at least one view");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string what = "views[" + std::to_string(i) + "]";
      const json& v = list[i];
      if (v.is_string()) {
        const auto named = view_named(v.get<std::string>(), what);
        request.shots.push_back(named == protocol::View::free ? free_shot(shared)
                                                              : RenderShot{named, {}, v.get<std::string>()});
      } else if (v.is_object()) {
        for (const auto& [key, value] : v.items()) {
          if (std::find(kCameraKeys.begin(), kCameraKeys.end(), key) == kCameraKeys.end()) {
            throw ToolError(what + ": unknown key '" + key + "' (a free camera has yaw, pitch, distance, perspective)");
          }
        }
        try {
          request.shots.push_back(free_shot(merged(read_camera(v), shared)));
        } catch (const ToolError& e) {
          throw ToolError(what + ": " + e.what());
        }
      } else {
        throw ToolError(what + " must be a view name (" + kViewList +
                        ") or a free camera {\"yaw\": .., \"pitch\": .., \"distance\": .., \"perspective\": ..}");
      }
    }
    const bool any_free = std::any_of(request.shots.begin(), request.shots.end(),
                                      [](const RenderShot& s) { return s.view == protocol::View::free; });
    if (!shared.empty() && !any_free) {
      throw ToolError("'yaw', 'pitch', 'distance' and 'perspective' set the free camera, but no entry of 'views' is "
                      "\"free\" or a camera object");
    }
  } else {
    // Camera keys alone mean the free camera.
    const auto named = view_named(view.value_or(shared.empty() ? "iso" : "free"), "view");
    if (named != protocol::View::free && !shared.empty()) {
      throw ToolError("'yaw', 'pitch', 'distance' and 'perspective' set the free camera: use view \"free\" (or leave "
                      "'view' out), not \"" + *view + "\"");
    }
    request.shots.push_back(named == protocol::View::free ? free_shot(shared)
                                                          : RenderShot{named, {}, view.value_or("iso")});
  }
  request.width = static_cast<std::uint32_t>(arg_int_or(args, "width", 512, 1, 4096));
  request.height = static_cast<std::uint32_t>(arg_int_or(args, "height", 512, 1, 4096));
  request.ambient_occlusion = arg_bool_or(args, "ambient_occlusion", true);
  request.shadows = arg_bool_or(args, "shadows", true);
  request.edges = arg_bool_or(args, "edges", false);
  if (const auto background = arg_string(args, "background"); background && *background != "transparent") {
    request.background = color_value(json(*background), "'background' (\"transparent\" or a colour)");
  }
  const std::string layout = arg_string(args, "layout").value_or("sheet");
  if (layout != "sheet" && layout != "separate") {
    throw ToolError("'layout' is \"sheet\" (every view in one image) or \"separate\" (one image per view)");
  }
  request.separate = layout == "separate";
  return request;
}

namespace {

flatbuffers::Offset<protocol::FreeCamera> build_camera(flatbuffers::FlatBufferBuilder& fb, const RenderShot& shot) {
  if (shot.view != protocol::View::free) return 0;
  protocol::FreeCameraBuilder b(fb);
  if (shot.camera.yaw) b.add_yaw(*shot.camera.yaw);
  if (shot.camera.pitch) b.add_pitch(*shot.camera.pitch);
  if (shot.camera.distance) b.add_distance(*shot.camera.distance);
  if (shot.camera.perspective) b.add_perspective(*shot.camera.perspective);
  return b.Finish();
}

}  // namespace

flatbuffers::Offset<void> build_render(flatbuffers::FlatBufferBuilder& fb, const RenderRequest& request,
                                       const RenderShot& shot) {
  const auto camera = build_camera(fb, shot);
  return protocol::CreateRender(fb, shot.view, request.width, request.height, 0, request.ambient_occlusion,
                                request.shadows, request.edges, request.background, camera)
      .Union();
}

flatbuffers::Offset<void> build_render_sheet(flatbuffers::FlatBufferBuilder& fb, const RenderRequest& request) {
  std::vector<flatbuffers::Offset<protocol::RenderShot>> shots;
  for (const RenderShot& shot : request.shots) {
    const auto camera = build_camera(fb, shot);
    shots.push_back(protocol::CreateRenderShot(fb, shot.view, camera));
  }
  const auto sheet = fb.CreateVector(shots);
  return protocol::CreateRender(fb, protocol::View::iso, request.width, request.height, 0, request.ambient_occlusion,
                                request.shadows, request.edges, request.background, 0, sheet)
      .Union();
}

json render_schema_properties() {
  json names = json::array();
  for (const auto name : kViews) names.push_back(std::string(name));
  const json view_name = {{"type", "string"}, {"enum", names}};
  const json camera = {{"type", "object"}, {"properties", camera_properties()}, {"additionalProperties", false}};
  json properties = camera_properties();
  properties["view"] = view_name;
  properties["view"]["description"] =
      "One picture: a named orthographic view, or \"free\" for the free camera (yaw, pitch, distance, perspective). "
      "Default iso, or free when a camera key is given";
  properties["views"] = {
      {"type", "array"},
      {"items", {{"anyOf", json::array({view_name, camera})}}},
      {"minItems", 1},
      {"maxItems", kMaxRenderShots},
      {"description", "Several pictures, each a view name or a free camera object {yaw, pitch, distance, perspective} "
                      "(its missing keys come from the top-level ones), e.g. [\"front\", {\"yaw\": 135, \"pitch\": 20}]"}};
  properties["layout"] = {{"type", "string"}, {"enum", {"sheet", "separate"}}};
  properties["width"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 4096}, {"description", "Pixels, default 512"}};
  properties["height"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 4096}, {"description", "Pixels, default 512"}};
  properties["ambient_occlusion"] = {{"type", "boolean"},
                                     {"description", "Darken creases and inner corners (default true)"}};
  properties["shadows"] = {{"type", "boolean"},
                           {"description", "Shadows of one light from the viewer's upper left (default true)"}};
  properties["edges"] = {{"type", "boolean"},
                         {"description", "Darken every voxel's outline, where voxels are 4+ pixels across (default false)"}};
  properties["background"] = {
      {"type", "string"},
      {"pattern", "^(transparent|#?([0-9a-fA-F]{6}|[0-9a-fA-F]{8}))$"},
      {"description", "The empty pixels: \"transparent\" (default) or a colour \"#RRGGBB\" / \"#RRGGBBAA\""}};
  return properties;
}

}  // namespace voxd::mcp
