#include "tools.hpp"

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "arguments.hpp"
#include "base64.hpp"
#include "render_options.hpp"

namespace voxd::mcp {

namespace {

using Fb = flatbuffers::FlatBufferBuilder;
using Body = protocol::RequestBody;
using Op = protocol::EditOperation;
constexpr std::size_t kMaxItems = 1'000'000;  // per array argument; voxd's own limits apply too

// ---- JSON Schema pieces ----
json integer_schema(const char* description) { return {{"type", "integer"}, {"description", description}}; }
json string_schema(const char* description) { return {{"type", "string"}, {"description", description}}; }
json vec3_schema(const char* description) {
  return {{"type", "array"}, {"items", {{"type", "integer"}}}, {"minItems", 3}, {"maxItems", 3},
          {"description", description}};
}
json color_schema(const char* description) {
  return {{"type", "string"}, {"pattern", "^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"}, {"description", description}};
}
json project_schema() { return integer_schema("Project handle (from project_create, project_open or project_list)"); }
json layer_schema() {
  return integer_schema("Layer id (from project_summary or layer_list); omit or 0 for the active layer when "
                        "editing, all visible layers merged when reading");
}
json mode_schema() {
  return {{"type", "string"},
          {"enum", {"over", "subtract", "subtract_clamp", "paint", "max", "intersect", "intersect_fill",
                    "mult_alpha", "replace"}},
          {"description", "Blend mode (default over: paint the colour over what is there; subtract removes; paint "
                          "recolours existing voxels only; replace writes the colour, transparent included)"}};
}
json object_schema(json properties, std::vector<std::string> required) {
  json schema = {{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

// ---- results ----
json text_result(const json& value) {
  return {{"content", json::array({{{"type", "text"}, {"text", value.dump()}}})}};
}

voxctl::Reply call(const Backend& backend, std::uint64_t project, Body type, const BodyBuilder& body) {
  auto reply = backend(project, type, body);
  if (!reply.ok()) {
    throw ToolError(std::string(core::error_code_name(reply.error().code)) + ": " + reply.error().message);
  }
  return std::move(reply).value();
}

template <class T>
const T* result_as(const voxctl::Reply& reply) {
  const auto* r = reply.response->result_as<T>();
  if (r == nullptr) throw ToolError("internal: voxd answered with an unexpected result type");
  return r;
}

json box_json(const protocol::Box3* box) {
  if (box == nullptr) return nullptr;
  return {{"min", vec3_json(box->min())}, {"max", vec3_json(box->max())}};
}

const char* mode_name(protocol::BlendMode mode) { return protocol::EnumNameBlendMode(mode); }

json layers_json(const flatbuffers::Vector<flatbuffers::Offset<protocol::LayerInfo>>* layers) {
  json out = json::array();
  if (layers == nullptr) return out;
  for (const auto* l : *layers) {
    out.push_back({{"id", l->id()},
                   {"name", l->name() != nullptr ? l->name()->str() : ""},
                   {"visible", l->visible()},
                   {"mode", mode_name(l->mode())},
                   {"voxels", l->voxels()},
                   {"index", l->index()}});
  }
  return out;
}

std::vector<protocol::Vec3> positions_of(const json& args) {
  const json& list = arg_array(args, "positions", kMaxItems);
  std::vector<protocol::Vec3> out;
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(vec3_value(list[i], "positions[" + std::to_string(i) + "]"));
  return out;
}

// ---- edits: one builder per edit, used both by its own tool and inside batch ----
struct Edit {
  Body body;
  Op op;
  flatbuffers::Offset<void> offset;
};
using EditBuilder = Edit (*)(Fb&, const json&);

Edit set_voxels(Fb& fb, const json& args) {
  const json& list = arg_array(args, "voxels", kMaxItems);
  std::vector<protocol::Voxel> voxels;
  voxels.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string what = "voxels[" + std::to_string(i) + "]";
    const json& v = list[i];
    if (!v.is_array() || v.size() != 4) throw ToolError(what + " must be [x, y, z, \"#RRGGBB\"]");
    const auto p = vec3_value(json::array({v[0], v[1], v[2]}), what);
    voxels.emplace_back(p.x(), p.y(), p.z(), color_value(v[3], what + "[3]"));
  }
  return {Body::SetVoxels, Op::SetVoxels,
          protocol::CreateSetVoxels(fb, arg_layer(args), fb.CreateVectorOfStructs(voxels)).Union()};
}
Edit remove_voxels(Fb& fb, const json& args) {
  const auto positions = positions_of(args);
  return {Body::RemoveVoxels, Op::RemoveVoxels,
          protocol::CreateRemoveVoxels(fb, arg_layer(args), fb.CreateVectorOfStructs(positions)).Union()};
}
Edit clear_layer(Fb& fb, const json& args) {
  return {Body::ClearLayer, Op::ClearLayer, protocol::CreateClearLayer(fb, arg_layer(args)).Union()};
}
Edit draw_shape(Fb& fb, const json& args) {
  const std::string shape = arg_string(args, "shape").value_or("box");
  protocol::ShapeKind kind = protocol::ShapeKind::box;
  if (shape == "sphere") kind = protocol::ShapeKind::sphere;
  else if (shape == "cylinder") kind = protocol::ShapeKind::cylinder;
  else if (shape != "box") throw ToolError("'shape' must be box, sphere or cylinder, got \"" + shape + "\"");
  const auto box = arg_box(args);
  const auto rgba = arg_color(args, "color");
  return {Body::DrawShape, Op::DrawShape,
          protocol::CreateDrawShape(fb, arg_layer(args), kind, &box, rgba, arg_mode(args)).Union()};
}
Edit draw_line(Fb& fb, const json& args) {
  const auto from = arg_vec3(args, "from");
  const auto to = arg_vec3(args, "to");
  return {Body::DrawLine, Op::DrawLine,
          protocol::CreateDrawLine(fb, arg_layer(args), &from, &to, arg_color(args, "color"), arg_mode(args)).Union()};
}
Edit flood_fill(Fb& fb, const json& args) {
  const auto seed = arg_vec3(args, "seed");
  const auto tolerance = static_cast<std::uint8_t>(arg_int_or(args, "tolerance", 0, 0, 255));
  std::optional<protocol::Box3> bounds;
  if (args.contains("min") || args.contains("max")) bounds = arg_box(args);
  return {Body::FloodFill, Op::FloodFill,
          protocol::CreateFloodFill(fb, arg_layer(args), &seed, arg_color(args, "color"), tolerance,
                                    bounds ? &*bounds : nullptr)
              .Union()};
}
Edit move_region(Fb& fb, const json& args) {
  const auto box = arg_box(args);
  const auto offset = arg_vec3(args, "offset");
  return {Body::MoveRegion, Op::MoveRegion,
          protocol::CreateMoveRegion(fb, arg_layer(args), &box, &offset, arg_bool_or(args, "copy", false)).Union()};
}
Edit add_layer(Fb& fb, const json& args) {
  const auto name = arg_required_string(args, "name");
  return {Body::AddLayer, Op::AddLayer, protocol::CreateAddLayer(fb, fb.CreateString(name)).Union()};
}
std::uint32_t required_layer(const json& args, const char* name = "layer") {
  return static_cast<std::uint32_t>(arg_int(args, name, 1, UINT32_MAX));
}
Edit remove_layer(Fb& fb, const json& args) {
  return {Body::RemoveLayer, Op::RemoveLayer, protocol::CreateRemoveLayer(fb, required_layer(args)).Union()};
}
Edit rename_layer(Fb& fb, const json& args) {
  const auto layer = required_layer(args);
  const auto name = arg_required_string(args, "name");
  return {Body::RenameLayer, Op::RenameLayer, protocol::CreateRenameLayer(fb, layer, fb.CreateString(name)).Union()};
}
Edit move_layer(Fb& fb, const json& args) {
  const auto layer = required_layer(args);
  const auto index = static_cast<std::uint32_t>(arg_int(args, "index", 0, UINT32_MAX));
  return {Body::MoveLayer, Op::MoveLayer, protocol::CreateMoveLayer(fb, layer, index).Union()};
}
Edit duplicate_layer(Fb& fb, const json& args) {
  return {Body::DuplicateLayer, Op::DuplicateLayer, protocol::CreateDuplicateLayer(fb, required_layer(args)).Union()};
}
Edit merge_layers(Fb& fb, const json& args) {
  const auto upper = required_layer(args, "upper");
  const auto lower = required_layer(args, "lower");
  return {Body::MergeLayers, Op::MergeLayers, protocol::CreateMergeLayers(fb, upper, lower).Union()};
}
Edit set_layer_visible(Fb& fb, const json& args) {
  const auto layer = required_layer(args);
  if (!args.contains("visible")) throw ToolError("missing argument 'visible'");
  return {Body::SetLayerVisible, Op::SetLayerVisible,
          protocol::CreateSetLayerVisible(fb, layer, arg_bool_or(args, "visible", true)).Union()};
}
Edit select_layer(Fb& fb, const json& args) {
  return {Body::SelectLayer, Op::SelectLayer, protocol::CreateSelectLayer(fb, required_layer(args)).Union()};
}

// What an edit's reply says, as JSON.
json edit_result(const voxctl::Reply& reply) {
  switch (reply.response->result_type()) {
    case protocol::ResultBody::Changed: return {{"changed_voxels", reply.response->result_as_Changed()->voxels()}};
    case protocol::ResultBody::LayerCreated: return {{"layer", reply.response->result_as_LayerCreated()->layer()}};
    default: return {{"ok", true}};
  }
}

struct EditTool {
  const char* name;
  Body body;
  EditBuilder build;
};
constexpr std::array<EditTool, 15> kEdits{{
    {"voxels_set", Body::SetVoxels, set_voxels},
    {"voxels_remove", Body::RemoveVoxels, remove_voxels},
    {"layer_clear", Body::ClearLayer, clear_layer},
    {"shape_draw", Body::DrawShape, draw_shape},
    {"line_draw", Body::DrawLine, draw_line},
    {"flood_fill", Body::FloodFill, flood_fill},
    {"region_move", Body::MoveRegion, move_region},
    {"layer_add", Body::AddLayer, add_layer},
    {"layer_remove", Body::RemoveLayer, remove_layer},
    {"layer_rename", Body::RenameLayer, rename_layer},
    {"layer_move", Body::MoveLayer, move_layer},
    {"layer_duplicate", Body::DuplicateLayer, duplicate_layer},
    {"layer_merge", Body::MergeLayers, merge_layers},
    {"layer_set_visible", Body::SetLayerVisible, set_layer_visible},
    {"layer_select", Body::SelectLayer, select_layer},
}};

EditBuilder find_edit(std::string_view name) {
  for (const auto& e : kEdits) {
    if (name == e.name) return e.build;
  }
  return nullptr;
}

json run_edit(const EditTool& tool, const json& args, const Backend& backend) {
  const auto project = arg_project(args);
  const auto reply = call(backend, project, tool.body, [&](Fb& fb) { return tool.build(fb, args).offset; });
  return text_result(edit_result(reply));
}

json run_batch(const json& args, const Backend& backend) {
  const auto project = arg_project(args);
  const json& ops = arg_array(args, "operations", 10'000);
  const auto reply = call(backend, project, Body::Batch, [&](Fb& fb) {
    std::vector<flatbuffers::Offset<protocol::BatchOperation>> list;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const json& op = ops[i];
      const std::string what = "operations[" + std::to_string(i) + "]";
      if (!op.is_object() || !op.contains("tool") || !op["tool"].is_string()) {
        throw ToolError(what + " must be {\"tool\": <edit tool name>, \"arguments\": {...}}");
      }
      const auto build = find_edit(op["tool"].get<std::string>());
      if (build == nullptr) throw ToolError(what + ": \"" + op["tool"].get<std::string>() + "\" is not an edit tool");
      const json arguments = op.value("arguments", json::object());
      if (!arguments.is_object()) throw ToolError(what + ".arguments must be an object");
      try {
        const Edit edit = build(fb, arguments);
        list.push_back(protocol::CreateBatchOperation(fb, edit.op, edit.offset));
      } catch (const ToolError& e) {
        throw ToolError(what + ": " + e.what());
      }
    }
    return protocol::CreateBatch(fb, fb.CreateVector(list)).Union();
  });
  json results = json::array();
  if (const auto* r = result_as<protocol::BatchResult>(reply); r->results() != nullptr) {
    for (const auto v : *r->results()) results.push_back(v);
  }
  return text_result({{"results", results}});
}

json project_info(const json& args, const Backend& backend) {
  const auto reply = call(backend, arg_project(args), Body::GetProjectInfo,
                          [](Fb& fb) { return protocol::CreateGetProjectInfo(fb).Union(); });
  const auto* info = result_as<protocol::ProjectInfo>(reply);
  json out = {{"project", info->handle()},
              {"name", info->name() != nullptr ? info->name()->str() : ""},
              {"voxels", info->voxels()},
              {"memory_bytes", info->memory_bytes()},
              {"bounding_box", box_json(info->bounding_box())},
              {"layers", layers_json(info->layers())},
              {"active_layer", info->active_layer()},
              {"undo_depth", info->undo_depth()},
              {"redo_depth", info->redo_depth()}};
  // The palette: colours in use, most frequent first (bounded so the summary stays small).
  const auto hist = call(backend, arg_project(args), Body::GetHistogram,
                         [](Fb& fb) { return protocol::CreateGetHistogram(fb, 0, 32).Union(); });
  json palette = json::array();
  const auto* h = result_as<protocol::Histogram>(hist);
  if (h->entries() != nullptr) {
    for (const auto* e : *h->entries()) palette.push_back({{"color", color_text(e->rgba())}, {"count", e->count()}});
  }
  out["palette"] = palette;
  out["distinct_colors"] = h->total_colors();
  return text_result(out);
}

json created(const voxctl::Reply& reply) {
  const auto* c = result_as<protocol::ProjectCreated>(reply);
  json out = {{"project", c->handle()}};
  if (c->warning() != nullptr && c->warning()->size() > 0) out["warning"] = c->warning()->str();
  return text_result(out);
}

json write_file(const json& args, const Backend& backend, bool save) {
  const auto path = arg_string(args, "path");
  const auto format = arg_string(args, "format");
  if (!path && !format) throw ToolError("give 'path' (written under the daemon's root) or 'format' (returned inline)");
  const auto reply = call(backend, arg_project(args), save ? Body::SaveProject : Body::ExportProject, [&](Fb& fb) {
    const auto p = path ? fb.CreateString(*path) : 0;
    const auto f = format ? fb.CreateString(*format) : 0;
    return save ? protocol::CreateSaveProject(fb, p, f).Union() : protocol::CreateExportProject(fb, p, f).Union();
  });
  json out;
  if (const auto* w = reply.response->result_as_FileWritten()) {
    out = {{"path", w->path() != nullptr ? w->path()->str() : ""}, {"bytes", w->bytes()}, {"lossy", w->lossy()}};
    if (w->warning() != nullptr && w->warning()->size() > 0) out["warning"] = w->warning()->str();
  } else {
    const auto* d = result_as<protocol::FileData>(reply);
    const std::span<const std::uint8_t> bytes(d->data() != nullptr ? d->data()->data() : nullptr,
                                              d->data() != nullptr ? d->data()->size() : 0);
    out = {{"bytes", bytes.size()}, {"lossy", d->lossy()}, {"data_base64", base64_encode(bytes)}};
    if (d->warning() != nullptr && d->warning()->size() > 0) out["warning"] = d->warning()->str();
  }
  return text_result(out);
}

json open_file(const json& args, const Backend& backend) {
  const auto path = arg_string(args, "path");
  const auto data = arg_string(args, "data_base64");
  if (path.has_value() == data.has_value()) throw ToolError("give exactly one of 'path' and 'data_base64'");
  std::vector<std::uint8_t> bytes;
  if (data) {
    auto decoded = base64_decode(*data);
    if (!decoded) throw ToolError("'data_base64' is not valid base64");
    bytes = std::move(*decoded);
  }
  const auto name = arg_string(args, "name");
  const auto format = arg_string(args, "format");
  return created(call(backend, 0, Body::OpenFile, [&](Fb& fb) {
    const auto p = path ? fb.CreateString(*path) : 0;
    const auto d = data ? fb.CreateVector(bytes) : 0;
    return protocol::CreateOpenFile(fb, p, d, name ? fb.CreateString(*name) : 0, format ? fb.CreateString(*format) : 0)
        .Union();
  }));
}

json get_voxels(const json& args, const Backend& backend) {
  const auto positions = positions_of(args);
  const auto reply = call(backend, arg_project(args), Body::GetVoxels, [&](Fb& fb) {
    return protocol::CreateGetVoxels(fb, arg_layer(args), fb.CreateVectorOfStructs(positions)).Union();
  });
  json colors = json::array();
  if (const auto* c = result_as<protocol::Colors>(reply); c->colors() != nullptr) {
    for (const auto rgba : *c->colors()) colors.push_back(rgba == 0 ? json(nullptr) : json(color_text(rgba)));
  }
  return text_result({{"colors", colors}});
}

json read_box(const json& args, const Backend& backend) {
  const auto box = arg_box(args);
  std::vector<std::uint8_t> cursor;
  if (const auto c = arg_string(args, "cursor")) {
    auto decoded = base64_decode(*c);
    if (!decoded) throw ToolError("'cursor' is not a cursor from a previous voxels_read_box page");
    cursor = std::move(*decoded);
  }
  const auto max_voxels = static_cast<std::uint32_t>(arg_int_or(args, "max_voxels", 4096, 1, 1'000'000));
  const auto reply = call(backend, arg_project(args), Body::ReadBox, [&](Fb& fb) {
    return protocol::CreateReadBox(fb, arg_layer(args), &box, protocol::ReadBoxMode::sparse,
                                   cursor.empty() ? 0 : fb.CreateVector(cursor), max_voxels)
        .Union();
  });
  const auto* page = result_as<protocol::VoxelPage>(reply);
  // Compact: voxels grouped by colour, each group a flat [x, y, z, x, y, z, ...] list.
  std::map<std::uint32_t, json> by_color;
  std::size_t count = 0;
  if (page->voxels() != nullptr) {
    for (const auto* v : *page->voxels()) {
      auto& list = by_color[v->rgba()];
      if (list.is_null()) list = json::array();
      list.push_back(v->x());
      list.push_back(v->y());
      list.push_back(v->z());
      ++count;
    }
  }
  json groups = json::object();
  for (auto& [rgba, list] : by_color) groups[color_text(rgba)] = std::move(list);
  json out = {{"voxels", count}, {"by_color", groups}, {"done", page->done()}};
  if (!page->done() && page->next_cursor() != nullptr) {
    out["next_cursor"] = base64_encode({page->next_cursor()->data(), page->next_cursor()->size()});
  }
  return text_result(out);
}

json history(const json& args, const Backend& backend, bool undo) {
  const auto reply = call(backend, arg_project(args), undo ? Body::Undo : Body::Redo, [&](Fb& fb) {
    return undo ? protocol::CreateUndo(fb).Union() : protocol::CreateRedo(fb).Union();
  });
  const auto* h = result_as<protocol::HistoryResult>(reply);
  return text_result({{"undo_depth", h->undo_depth()}, {"redo_depth", h->redo_depth()}});
}

json render(const json& args, const Backend& backend) {
  const RenderRequest request = read_render_request(args);
  const auto project = arg_project(args);
  const auto png_of = [](const voxctl::Reply& reply) {
    const auto* d = result_as<protocol::FileData>(reply);
    if (d->data() == nullptr) throw ToolError("the daemon sent an empty render");
    return std::vector<std::uint8_t>(d->data()->begin(), d->data()->end());
  };
  json content = json::array();
  if (request.separate || request.shots.size() == 1) {
    for (const auto& shot : request.shots) {
      const auto png =
          png_of(call(backend, project, Body::Render, [&](Fb& fb) { return build_render(fb, request, shot); }));
      content.push_back({{"type", "text"}, {"text", "view " + shot.label}});
      content.push_back({{"type", "image"}, {"data", base64_encode(png)}, {"mimeType", "image/png"}});
    }
    return {{"content", content}};
  }
  // One contact sheet, which the daemon composes: the views row by row, left to right, in the order asked.
  const auto sheet = png_of(call(backend, project, Body::Render, [&](Fb& fb) { return build_render_sheet(fb, request); }));
  const core::formats::SheetLayout grid = core::formats::sheet_layout(request.shots.size());
  std::string order = "contact sheet, " + std::to_string(grid.columns) + " columns x " + std::to_string(grid.rows) +
                      " rows, each view " + std::to_string(request.width) + "x" + std::to_string(request.height) +
                      ", left to right then top to bottom:";
  for (const auto& shot : request.shots) order += " " + shot.label;
  content.push_back({{"type", "text"}, {"text", order}});
  content.push_back({{"type", "image"}, {"data", base64_encode(sheet)}, {"mimeType", "image/png"}});
  return {{"content", content}};
}

json query(const json& args, const Backend& backend, Body type) {
  const auto layer = arg_layer(args);
  const auto project = arg_project(args);
  switch (type) {
    case Body::GetBoundingBox: {
      const auto r = call(backend, project, type, [&](Fb& fb) { return protocol::CreateGetBoundingBox(fb, layer).Union(); });
      return text_result({{"bounding_box", box_json(result_as<protocol::BoundingBox>(r)->box())}});
    }
    case Body::CountVoxels: {
      const auto r = call(backend, project, type, [&](Fb& fb) { return protocol::CreateCountVoxels(fb, layer).Union(); });
      return text_result({{"voxels", result_as<protocol::Count>(r)->voxels()}});
    }
    case Body::GetHistogram: {
      const auto max = static_cast<std::uint32_t>(arg_int_or(args, "max_entries", 0, 0, UINT32_MAX));
      const auto r =
          call(backend, project, type, [&](Fb& fb) { return protocol::CreateGetHistogram(fb, layer, max).Union(); });
      const auto* h = result_as<protocol::Histogram>(r);
      json entries = json::array();
      if (h->entries() != nullptr) {
        for (const auto* e : *h->entries()) entries.push_back({{"color", color_text(e->rgba())}, {"count", e->count()}});
      }
      return text_result({{"entries", entries}, {"distinct_colors", h->total_colors()}});
    }
    case Body::GetUniqueColors: {
      const auto r = call(backend, project, type, [&](Fb& fb) { return protocol::CreateGetUniqueColors(fb, layer).Union(); });
      json colors = json::array();
      if (const auto* c = result_as<protocol::Colors>(r); c->colors() != nullptr) {
        for (const auto rgba : *c->colors()) colors.push_back(color_text(rgba));
      }
      return text_result({{"colors", colors}});
    }
    default: {
      const auto rgba = arg_color(args, "color");
      const auto tolerance = static_cast<std::uint8_t>(arg_int_or(args, "tolerance", 0, 0, 255));
      const auto max = static_cast<std::uint32_t>(arg_int_or(args, "max_results", 1000, 1, UINT32_MAX));
      const auto r = call(backend, project, Body::FindByColor, [&](Fb& fb) {
        return protocol::CreateFindByColor(fb, layer, rgba, tolerance, max).Union();
      });
      const auto* p = result_as<protocol::Positions>(r);
      json positions = json::array();
      if (p->positions() != nullptr) {
        for (const auto* v : *p->positions()) positions.push_back(vec3_json(*v));
      }
      return text_result({{"positions", positions}, {"truncated", p->truncated()}});
    }
  }
}

std::vector<Tool> make_tools() {
  const json project = project_schema();
  const json layer = layer_schema();
  const json box_min = vec3_schema("One corner [x, y, z] of the box (inclusive)");
  const json box_max = vec3_schema("The opposite corner [x, y, z] (inclusive)");
  const json color = color_schema("Colour \"#RRGGBB\" (opaque) or \"#RRGGBBAA\"");
  const json positions = {{"type", "array"}, {"items", vec3_schema("[x, y, z]")}, {"description", "Positions [[x, y, z], ...]"}};
  std::vector<Tool> tools;
  auto add = [&](std::string name, std::string description, json schema, decltype(Tool::run) run) {
    tools.push_back({std::move(name), std::move(description), std::move(schema), std::move(run)});
  };
  auto edit = [&](const char* name, std::string description, json schema) {
    const EditTool* tool = nullptr;
    for (const auto& e : kEdits) {
      if (std::string_view(e.name) == name) tool = &e;
    }
    add(name, std::move(description), std::move(schema),
        [tool](const json& a, const Backend& b) { return run_edit(*tool, a, b); });
  };

  add("project_create",
      "Creates a new empty voxel project (a scene of layers of coloured voxels on an integer grid, y up) and returns "
      "its handle. Every other tool takes this handle as 'project'.",
      object_schema({{"name", string_schema("A name for the project")}}, {"name"}),
      [](const json& a, const Backend& b) {
        const auto name = arg_required_string(a, "name");
        return created(call(b, 0, Body::CreateProject,
                            [&](Fb& fb) { return protocol::CreateCreateProject(fb, fb.CreateString(name)).Union(); }));
      });
  add("project_list", "Lists the projects open in voxd (yours and other clients'): handle, name, voxels, layers.",
      object_schema(json::object(), {}), [](const json&, const Backend& b) {
        const auto r = call(b, 0, Body::ListProjects, [](Fb& fb) { return protocol::CreateListProjects(fb).Union(); });
        json list = json::array();
        if (const auto* l = result_as<protocol::ProjectList>(r); l->projects() != nullptr) {
          for (const auto* p : *l->projects()) {
            list.push_back({{"project", p->handle()}, {"name", p->name() != nullptr ? p->name()->str() : ""},
                            {"voxels", p->voxels()}, {"layers", p->layers()}});
          }
        }
        return text_result({{"projects", list}});
      });
  add("project_summary",
      "CALL THIS FIRST on a project: its layers (ids, names, visibility), bounding box, voxel count, palette (colours "
      "in use, most frequent first), active layer and undo/redo depth.",
      object_schema({{"project", project}}, {"project"}), project_info);
  add("project_close", "Closes a project (unsaved changes are lost; save first).",
      object_schema({{"project", project}}, {"project"}), [](const json& a, const Backend& b) {
        call(b, arg_project(a), Body::CloseProject, [](Fb& fb) { return protocol::CreateCloseProject(fb).Union(); });
        return text_result({{"closed", true}});
      });
  const json file_schema = object_schema(
      {{"project", project},
       {"path", string_schema("File path relative to voxd's root directory; omit to get the file back inline as base64")},
       {"format", string_schema("Format; default from the path's extension")}},
      {"project"});
  add("project_save",
      "Saves the project in a format voxd can open again: gox (Goxel, keeps layers), vox (MagicaVoxel) or txt.",
      file_schema, [](const json& a, const Backend& b) { return write_file(a, b, true); });
  add("project_export",
      "Exports the project in any format voxd writes: gox, vox, txt, or a mesh: obj, ply, stl.", file_schema,
      [](const json& a, const Backend& b) { return write_file(a, b, false); });
  add("project_open",
      "Opens a model file (gox, vox, txt) as a new project and returns its handle: a path under voxd's root, or the "
      "file's bytes as base64.",
      object_schema({{"path", string_schema("File path relative to voxd's root directory")},
                     {"data_base64", string_schema("The file's bytes, base64 (instead of path)")},
                     {"name", string_schema("Project name (default: the file name)")},
                     {"format", string_schema("gox, vox or txt (default: detected)")}},
                    {}),
      open_file);
  add("project_copy", "Creates a new project holding a copy of this one's current voxels and layers (no history).",
      object_schema({{"project", project}, {"name", string_schema("Name of the copy")}}, {"project"}),
      [](const json& a, const Backend& b) {
        const auto name = arg_string(a, "name");
        return created(call(b, arg_project(a), Body::CopyProject, [&](Fb& fb) {
          return protocol::CreateCopyProject(fb, name ? fb.CreateString(*name) : 0).Union();
        }));
      });

  edit("voxels_set",
       "Sets voxels: each item is [x, y, z, \"#RRGGBB\"] (alpha \"#RRGGBB00\" removes). One undo step.",
       object_schema({{"project", project}, {"layer", layer},
                      {"voxels", {{"type", "array"},
                                  {"items", {{"type", "array"}, {"minItems", 4}, {"maxItems", 4}}},
                                  {"description", "[[x, y, z, \"#ff0000\"], ...]"}}}},
                     {"project", "voxels"}));
  edit("voxels_remove", "Removes the voxels at the given positions.",
       object_schema({{"project", project}, {"layer", layer}, {"positions", positions}}, {"project", "positions"}));
  add("voxels_get", "Reads the colours at positions (null where empty), in the order given.",
      object_schema({{"project", project}, {"layer", layer}, {"positions", positions}}, {"project", "positions"}),
      get_voxels);
  add("voxels_read_box",
      "Reads the non-empty voxels inside a box, grouped by colour: {\"#rrggbbaa\": [x, y, z, x, y, z, ...]}. Paged: "
      "when 'done' is false, call again with 'cursor' set to the returned next_cursor.",
      object_schema({{"project", project}, {"layer", layer}, {"min", box_min}, {"max", box_max},
                     {"cursor", string_schema("next_cursor of the previous page")},
                     {"max_voxels", integer_schema("Page size (default 4096)")}},
                    {"project", "min", "max"}),
      read_box);
  edit("layer_clear", "Removes every voxel of a layer (the active one by default).",
       object_schema({{"project", project}, {"layer", layer}}, {"project"}));
  edit("shape_draw",
       "Draws a filled box, sphere (ellipsoid inscribed in the box) or cylinder (along z) with a blend mode.",
       object_schema({{"project", project}, {"layer", layer},
                      {"shape", {{"type", "string"}, {"enum", {"box", "sphere", "cylinder"}}}},
                      {"min", box_min}, {"max", box_max}, {"color", color}, {"mode", mode_schema()}},
                     {"project", "min", "max", "color"}));
  edit("line_draw", "Draws a one-voxel-thick straight line between two points (inclusive).",
       object_schema({{"project", project}, {"layer", layer}, {"from", vec3_schema("Start [x, y, z]")},
                      {"to", vec3_schema("End [x, y, z]")}, {"color", color}, {"mode", mode_schema()}},
                     {"project", "from", "to", "color"}));
  edit("flood_fill",
       "Recolours the 6-connected region of voxels like the seed's (within 'tolerance' per channel), optionally "
       "staying inside the box min..max.",
       object_schema({{"project", project}, {"layer", layer}, {"seed", vec3_schema("Start [x, y, z]")},
                      {"color", color}, {"tolerance", integer_schema("0..255, default 0")},
                      {"min", box_min}, {"max", box_max}},
                     {"project", "seed", "color"}));
  edit("region_move", "Moves (or with copy: true, copies) the voxels inside the box min..max by 'offset'.",
       object_schema({{"project", project}, {"layer", layer}, {"min", box_min}, {"max", box_max},
                      {"offset", vec3_schema("[dx, dy, dz]")}, {"copy", {{"type", "boolean"}}}},
                     {"project", "min", "max", "offset"}));
  const json layer_required = integer_schema("Layer id (from project_summary or layer_list)");
  edit("layer_add", "Adds an empty layer on top and returns its id.",
       object_schema({{"project", project}, {"name", string_schema("Layer name")}}, {"project", "name"}));
  edit("layer_remove", "Removes a layer and its voxels.",
       object_schema({{"project", project}, {"layer", layer_required}}, {"project", "layer"}));
  edit("layer_rename", "Renames a layer.",
       object_schema({{"project", project}, {"layer", layer_required}, {"name", string_schema("New name")}},
                     {"project", "layer", "name"}));
  edit("layer_move", "Moves a layer to position 'index' in the stack (0 = bottom).",
       object_schema({{"project", project}, {"layer", layer_required}, {"index", integer_schema("New position")}},
                     {"project", "layer", "index"}));
  edit("layer_duplicate", "Duplicates a layer; returns the new layer's id.",
       object_schema({{"project", project}, {"layer", layer_required}}, {"project", "layer"}));
  edit("layer_merge", "Merges layer 'upper' into layer 'lower'; upper is removed.",
       object_schema({{"project", project}, {"upper", layer_required}, {"lower", layer_required}},
                     {"project", "upper", "lower"}));
  edit("layer_set_visible", "Shows or hides a layer (hidden layers are not rendered nor read as 'all layers').",
       object_schema({{"project", project}, {"layer", layer_required}, {"visible", {{"type", "boolean"}}}},
                     {"project", "layer", "visible"}));
  edit("layer_select", "Makes a layer the active one (where edits without 'layer' go).",
       object_schema({{"project", project}, {"layer", layer_required}}, {"project", "layer"}));
  add("layer_list", "Lists the layers bottom to top with ids, names, visibility, voxel counts, and the active layer.",
      object_schema({{"project", project}}, {"project"}), [](const json& a, const Backend& b) {
        const auto r = call(b, arg_project(a), Body::ListLayers, [](Fb& fb) { return protocol::CreateListLayers(fb).Union(); });
        const auto* l = result_as<protocol::LayerList>(r);
        return text_result({{"layers", layers_json(l->layers())}, {"active_layer", l->active_layer()}});
      });
  add("undo", "Undoes the last edit (a batch counts as one).", object_schema({{"project", project}}, {"project"}),
      [](const json& a, const Backend& b) { return history(a, b, true); });
  add("redo", "Redoes the last undone edit.", object_schema({{"project", project}}, {"project"}),
      [](const json& a, const Backend& b) { return history(a, b, false); });
  json batch_item = {{"type", "object"}, {"required", {"tool"}}};
  batch_item["properties"] = {{"tool", {{"type", "string"}}}, {"arguments", {{"type", "object"}}}};
  const json batch_operations = {{"type", "array"}, {"items", batch_item}};
  add("batch",
      "Applies several edits atomically as ONE undo step (all or nothing). Each operation is {\"tool\": name of an "
      "edit tool (voxels_set, voxels_remove, layer_clear, shape_draw, line_draw, flood_fill, region_move, layer_*), "
      "\"arguments\": that tool's arguments without 'project'}.",
      object_schema({{"project", project}, {"operations", batch_operations}}, {"project", "operations"}),
      run_batch);
  const json query_schema = object_schema({{"project", project}, {"layer", layer}}, {"project"});
  add("query_bounding_box", "The smallest box holding every voxel (null when empty).", query_schema,
      [](const json& a, const Backend& b) { return query(a, b, Body::GetBoundingBox); });
  add("query_count", "How many voxels there are.", query_schema,
      [](const json& a, const Backend& b) { return query(a, b, Body::CountVoxels); });
  add("query_histogram", "Colours with their voxel counts, most frequent first.",
      object_schema({{"project", project}, {"layer", layer}, {"max_entries", integer_schema("0 = all")}}, {"project"}),
      [](const json& a, const Backend& b) { return query(a, b, Body::GetHistogram); });
  add("query_unique_colors", "The distinct colours in use.", query_schema,
      [](const json& a, const Backend& b) { return query(a, b, Body::GetUniqueColors); });
  add("query_find_by_color", "Positions of voxels of a colour (within 'tolerance' per channel).",
      object_schema({{"project", project}, {"layer", layer}, {"color", color},
                     {"tolerance", integer_schema("0..255, default 0")},
                     {"max_results", integer_schema("default 1000")}},
                    {"project", "color"}),
      [](const json& a, const Backend& b) { return query(a, b, Body::FindByColor); });
  json render_properties = render_schema_properties();
  render_properties["project"] = project;
  add("render",
      "Renders the visible layers to a PNG image you can look at. One 'view', or several 'views' shown side by side "
      "in one contact-sheet image (layout 'sheet', the default) or as one image each (layout 'separate'). "
      "Use it to check your work from several angles, e.g. views [\"iso\", \"front\", \"top\", \"right\"]. "
      "A free camera turns anywhere: {\"yaw\": 135, \"pitch\": 20} (degrees; 'distance' in voxels, 'perspective'). "
      "Ambient occlusion and shadows are on by default; 'edges' outlines the voxels; 'background' fills empty pixels.",
      object_schema(render_properties, {"project"}), render);
  return tools;
}

}  // namespace

const std::vector<Tool>& all_tools() {
  static const std::vector<Tool> tools = make_tools();
  return tools;
}

const Tool* find_tool(const std::string& name) {
  for (const auto& t : all_tools()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace voxd::mcp
