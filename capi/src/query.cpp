// Read-only calls: queries, the PNG render and mesh export. Render and export copy a snapshot under the
// project's lock and do the long work after releasing it.
#include <string>
#include <vector>

#include "boundary.hpp"
#include "voxd/core/formats/mesh.hpp"
#include "voxd/core/formats/contact_sheet.hpp"
#include "voxd/core/formats/render.hpp"
#include "voxd/core/ops.hpp"

using voxd::capi::guarded;
using voxd::capi::lock_project;
using voxd::capi::require;
using voxd::core::Result;
using voxd::core::Status;

namespace {

Result<voxd::core::ProjectState> snapshot(voxd_engine* engine, voxd_project project) {
  auto guard = lock_project(engine, project);
  VOXD_TRY(guard);
  return (*guard)->snapshot();
}

}  // namespace

namespace {

voxd_render_options default_render_options() noexcept {
  const voxd::core::formats::RenderParams d;
  voxd_render_options o{};
  o.struct_size = sizeof(voxd_render_options);
  o.view = static_cast<voxd_view>(d.view);
  o.width = d.width;
  o.height = d.height;
  o.yaw = d.camera.yaw;
  o.pitch = d.camera.pitch;
  o.distance = d.camera.distance;
  o.background = d.background.packed();
  o.disable_ambient_occlusion = d.ambient_occlusion ? 0 : 1;
  o.disable_shadows = d.shadows ? 0 : 1;
  o.edges = d.edges ? 1 : 0;
  o.perspective = d.camera.perspective ? 1 : 0;
  return o;
}

// The core parameters of caller options (NULL: the defaults), checked; `name` is how messages call them.
Result<voxd::core::formats::RenderParams> read_render_options(const voxd_render_options* options,
                                                              const std::string& name) {
  const voxd_render_options fallback = default_render_options();
  voxd_render_options given = fallback;
  if (options != nullptr) {
    auto read = voxd::capi::versioned_in(options, fallback, name.c_str());
    VOXD_TRY(read);
    given = *read;
  }
  if (given.view < VOXD_VIEW_ISO || given.view > VOXD_VIEW_FREE) {
    return voxd::capi::invalid(name + ".view " + std::to_string(given.view) + " is not a VOXD_VIEW_* value");
  }
  constexpr std::int32_t kMaxEdge = 4096;
  if (given.width < 1 || given.width > kMaxEdge || given.height < 1 || given.height > kMaxEdge) {
    return voxd::capi::invalid(name + ": a render is 1..4096 pixels wide and high, not " +
                               std::to_string(given.width) + "x" + std::to_string(given.height));
  }
  voxd::core::formats::RenderParams params;
  params.view = static_cast<voxd::core::formats::View>(given.view);
  params.width = given.width;
  params.height = given.height;
  params.ambient_occlusion = given.disable_ambient_occlusion == 0;
  params.shadows = given.disable_shadows == 0;
  params.edges = given.edges != 0;
  params.background = voxd::core::Color::from_packed(given.background);
  params.camera = {given.yaw, given.pitch, given.distance, given.perspective != 0};
  // Refused before the snapshot; core names the field out of range ("options: render: the camera pitch ...").
  if (auto checked = voxd::core::formats::check_render_params(params); !checked.ok()) {
    return voxd::capi::invalid(name + ": " + checked.error().message);
  }
  return params;
}

}  // namespace

extern "C" {

VOXD_API voxd_status voxd_query_bounding_box(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                             voxd_box* out_box, bool* out_found, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(out_box, "out_box"));
    VOXD_TRY(require(out_found, "out_found"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    auto box = voxd::core::bounding_box(**guard, layer_id);
    VOXD_TRY(box);
    *out_found = box->has_value();
    if (box->has_value()) {
      *out_box = voxd::capi::to_c(**box);
    }
    return {};
  });
}

VOXD_API voxd_status voxd_query_count(voxd_engine* engine, voxd_project project, uint32_t layer_id, int64_t* out_count,
                                      voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(out_count, "out_count"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    auto count = voxd::core::count_voxels(**guard, layer_id);
    VOXD_TRY(count);
    *out_count = *count;
    return {};
  });
}

VOXD_API voxd_status voxd_query_histogram(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                          voxd_color_count* out, size_t capacity, size_t* out_count,
                                          voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(voxd::capi::out_array_arg(out, capacity, "out"));
    VOXD_TRY(require(out_count, "out_count"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    auto histogram = voxd::core::color_histogram(**guard, layer_id);
    VOXD_TRY(histogram);
    voxd::capi::copy_out(*histogram, out, capacity, out_count, [](const voxd::core::ColorCount& c) {
      return voxd_color_count{voxd::capi::to_c(c.color), c.count};
    });
    return {};
  });
}

VOXD_API voxd_status voxd_query_unique_colors(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                              voxd_color* out, size_t capacity, size_t* out_count, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(voxd::capi::out_array_arg(out, capacity, "out"));
    VOXD_TRY(require(out_count, "out_count"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    auto colors = voxd::core::unique_colors(**guard, layer_id);
    VOXD_TRY(colors);
    voxd::capi::copy_out(*colors, out, capacity, out_count, [](voxd::core::Color c) { return voxd::capi::to_c(c); });
    return {};
  });
}

VOXD_API voxd_status voxd_query_find_color(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                           voxd_color color, uint8_t tolerance, voxd_vec3* out, size_t capacity,
                                           size_t* out_count, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(voxd::capi::require_engine(engine));
    VOXD_TRY(voxd::capi::out_array_arg(out, capacity, "out"));
    VOXD_TRY(require(out_count, "out_count"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    auto found = voxd::core::find_by_color(**guard, layer_id, voxd::capi::to_core(color), tolerance,
                                           voxd::capi::operation_limit(*engine));
    VOXD_TRY(found);
    voxd::capi::copy_out(*found, out, capacity, out_count, [](voxd::core::Vec3i p) { return voxd::capi::to_c(p); });
    return {};
  });
}


VOXD_API voxd_status voxd_render_options_init(voxd_render_options* options, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(options, "options"));
    *options = default_render_options();
    return {};
  });
}

VOXD_API voxd_status voxd_render_png(voxd_engine* engine, voxd_project project, const voxd_render_options* options,
                                     voxd_bytes* out, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(out, "out"));
    auto params = read_render_options(options, "options");
    VOXD_TRY(params);
    auto state = snapshot(engine, project);
    VOXD_TRY(state);
    auto png = voxd::core::formats::render_png(*state, *params);
    VOXD_TRY(png);
    return voxd::capi::give_bytes(*png, out);
  });
}

VOXD_API voxd_status voxd_render_sheet_png(voxd_engine* engine, voxd_project project,
                                           const voxd_render_options* const* shots, size_t count, voxd_bytes* out,
                                           voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(out, "out"));
    VOXD_TRY(require(shots, "shots"));
    if (count < 1 || count > voxd::core::formats::kMaxSheetShots) {
      return voxd::capi::invalid("count: a contact sheet has 1.." +
                                 std::to_string(voxd::core::formats::kMaxSheetShots) + " views, not " +
                                 std::to_string(count));
    }
    std::vector<voxd::core::formats::RenderParams> params;
    params.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      auto one = read_render_options(shots[i], "shots[" + std::to_string(i) + "]");  // NULL: the defaults
      VOXD_TRY(one);
      params.push_back(*one);
    }
    auto state = snapshot(engine, project);
    VOXD_TRY(state);
    auto png = voxd::core::formats::render_contact_sheet_png(*state, params);
    VOXD_TRY(png);
    return voxd::capi::give_bytes(*png, out);
  });
}

VOXD_API voxd_status voxd_mesh_export(voxd_engine* engine, voxd_project project, voxd_mesh_format format,
                                      voxd_bytes* out, voxd_mesh_stats* out_stats, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(out, "out"));
    if (format < VOXD_MESH_OBJ || format > VOXD_MESH_STL) {
      return voxd::capi::invalid("mesh format " + std::to_string(format) + " is not a VOXD_MESH_* value");
    }
    auto state = snapshot(engine, project);
    VOXD_TRY(state);
    voxd::core::formats::MeshStats stats;
    auto mesh = voxd::core::formats::export_mesh(*state, static_cast<voxd::core::formats::MeshFormat>(format), &stats);
    VOXD_TRY(mesh);
    VOXD_TRY(voxd::capi::give_bytes(*mesh, out));
    if (out_stats != nullptr) {
      *out_stats = voxd_mesh_stats{stats.quads, stats.triangles, stats.unmerged_quads};
    }
    return {};
  });
}

}  // extern "C"
