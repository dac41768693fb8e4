// Editing calls: voxels, shapes, lines, flood fill, region moves and layers. Each successful call is one undo
// step (core::apply_step), and a failed one leaves the project exactly as it was.
#include <optional>
#include <string>
#include <vector>

#include "boundary.hpp"
#include "voxd/core/blend_mode.hpp"
#include "voxd/core/ops.hpp"

using voxd::capi::guarded;
using voxd::capi::lock_project;
using voxd::capi::require;
using voxd::capi::require_engine;
using voxd::capi::string_arg;
using voxd::core::Project;
using voxd::core::Result;
using voxd::core::Status;

namespace {

// Runs `change` on the project as one undo step.
template <typename Change>
Status edit(voxd_engine* engine, voxd_project project, Change&& change) {
  auto guard = lock_project(engine, project);
  VOXD_TRY(guard);
  return voxd::core::apply_step(**guard, std::forward<Change>(change));
}

// Like edit, for operations that also return a value (written to *out when out is not null).
template <typename T, typename Operation>
Status edit_returning(voxd_engine* engine, voxd_project project, T* out, Operation&& operation) {
  T value{};
  VOXD_TRY(edit(engine, project, [&](Project& p) -> Status {
    Result<T> result = operation(p);
    VOXD_TRY(result);
    value = *result;
    return {};
  }));
  if (out != nullptr) {
    *out = value;
  }
  return {};
}

Result<voxd::core::BlendMode> blend_mode_arg(voxd_blend_mode mode) {
  const auto parsed = voxd::core::blend_mode_from_int(mode);
  if (!parsed) {
    return voxd::capi::invalid("blend mode " + std::to_string(mode) + " is not a VOXD_BLEND_* value");
  }
  return *parsed;
}

Result<voxd::core::Vec3i> position_arg(voxd_vec3 v, std::string_view what) {
  const voxd::core::Vec3i p = voxd::capi::to_core(v);
  if (!voxd::core::in_coord_range(p)) {
    return voxd::capi::invalid(std::string(what) + " " + voxd::core::to_string(p) + " is outside +-2^30");
  }
  return p;
}

}  // namespace

extern "C" {

// ---------------------------------------- voxels ----------------------------------------

VOXD_API voxd_status voxd_voxels_set(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                     const voxd_voxel* voxels, size_t count, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(voxd::capi::array_arg(voxels, count, voxd::capi::operation_limit(*engine), "voxels"));
    std::vector<voxd::core::VoxelWrite> writes(count);
    for (std::size_t i = 0; i < count; ++i) {
      writes[i] = {{voxels[i].x, voxels[i].y, voxels[i].z}, voxd::capi::to_core(voxels[i].color)};
    }
    return edit(engine, project, [&](Project& p) { return voxd::core::set_voxels(p, layer_id, writes); });
  });
}

VOXD_API voxd_status voxd_voxels_remove(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                        const voxd_vec3* positions, size_t count, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(voxd::capi::array_arg(positions, count, voxd::capi::operation_limit(*engine), "positions"));
    std::vector<voxd::core::Vec3i> points(count);
    for (std::size_t i = 0; i < count; ++i) {
      points[i] = voxd::capi::to_core(positions[i]);
    }
    return edit(engine, project, [&](Project& p) { return voxd::core::remove_voxels(p, layer_id, points); });
  });
}

VOXD_API voxd_status voxd_voxels_get(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                     const voxd_vec3* positions, size_t count, voxd_color* out_colors,
                                     voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(voxd::capi::array_arg(positions, count, voxd::capi::operation_limit(*engine), "positions"));
    VOXD_TRY(voxd::capi::out_array_arg(out_colors, count, "out_colors"));
    std::vector<voxd::core::Vec3i> points(count);
    for (std::size_t i = 0; i < count; ++i) {
      points[i] = voxd::capi::to_core(positions[i]);
    }
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    auto colors = voxd::core::get_voxels(**guard, layer_id, points);
    VOXD_TRY(colors);
    for (std::size_t i = 0; i < count; ++i) {
      out_colors[i] = voxd::capi::to_c((*colors)[i]);
    }
    return {};
  });
}

VOXD_API voxd_status voxd_voxels_read_box(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                          const voxd_box* box, voxd_voxel* out, size_t capacity, size_t* out_count,
                                          voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    auto bounds = voxd::capi::box_arg(box, "box");
    VOXD_TRY(bounds);
    VOXD_TRY(voxd::capi::out_array_arg(out, capacity, "out"));
    VOXD_TRY(require(out_count, "out_count"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    auto voxels = voxd::core::read_box(**guard, layer_id, *bounds, voxd::capi::operation_limit(*engine));
    VOXD_TRY(voxels);
    voxd::capi::copy_out(*voxels, out, capacity, out_count, [](const voxd::core::VoxelWrite& v) {
      return voxd_voxel{v.position.x, v.position.y, v.position.z, voxd::capi::to_c(v.color)};
    });
    return {};
  });
}

VOXD_API voxd_status voxd_layer_clear(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                      voxd_error** error) {
  return guarded(error, [&]() -> Status {
    return edit(engine, project, [&](Project& p) { return voxd::core::clear_layer(p, layer_id); });
  });
}

// ---------------------------------------- shapes ----------------------------------------

VOXD_API voxd_status voxd_shape_apply(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                      const voxd_shape* shape, int64_t* out_changed, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    auto given = voxd::capi::versioned_in(shape, voxd_shape{}, "shape");
    VOXD_TRY(given);
    if (given->kind < VOXD_SHAPE_BOX || given->kind > VOXD_SHAPE_CYLINDER) {
      return voxd::capi::invalid("shape.kind " + std::to_string(given->kind) + " is not a VOXD_SHAPE_* value");
    }
    auto mode = blend_mode_arg(given->mode);
    VOXD_TRY(mode);
    auto bounds = voxd::capi::box_arg(&given->bounds, "shape.bounds");
    VOXD_TRY(bounds);
    const voxd::core::ShapeParams params{static_cast<voxd::core::ShapeKind>(given->kind), *bounds,
                                         voxd::capi::to_core(given->color), *mode};
    return edit_returning(engine, project, out_changed,
                          [&](Project& p) { return voxd::core::apply_shape(p, layer_id, params); });
  });
}

VOXD_API voxd_status voxd_line_draw(voxd_engine* engine, voxd_project project, uint32_t layer_id, voxd_vec3 from,
                                    voxd_vec3 to, voxd_color color, voxd_blend_mode mode, int64_t* out_changed,
                                    voxd_error** error) {
  return guarded(error, [&]() -> Status {
    auto blend = blend_mode_arg(mode);
    VOXD_TRY(blend);
    auto start = position_arg(from, "from");
    VOXD_TRY(start);
    auto end = position_arg(to, "to");
    VOXD_TRY(end);
    const voxd::core::LineParams line{*start, *end, voxd::capi::to_core(color), *blend};
    return edit_returning(engine, project, out_changed,
                          [&](Project& p) { return voxd::core::draw_line(p, layer_id, line); });
  });
}

VOXD_API voxd_status voxd_flood_fill(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                     const voxd_flood_fill_options* options, int64_t* out_filled, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    auto given = voxd::capi::versioned_in(options, voxd_flood_fill_options{}, "options");
    VOXD_TRY(given);
    auto seed = position_arg(given->seed, "options.seed");
    VOXD_TRY(seed);
    voxd::core::FloodFillParams fill;
    fill.seed = *seed;
    fill.color = voxd::capi::to_core(given->color);
    fill.tolerance = given->tolerance;
    if (given->has_bounds) {
      auto bounds = voxd::capi::box_arg(&given->bounds, "options.bounds");
      VOXD_TRY(bounds);
      fill.bounds = *bounds;
    }
    if (given->max_voxels < 0) {
      return voxd::capi::invalid("options.max_voxels is negative");
    }
    const std::int64_t limit = voxd::capi::operation_limit(*engine);
    fill.max_voxels = given->max_voxels == 0 ? limit : std::min(given->max_voxels, limit);
    return edit_returning(engine, project, out_filled,
                          [&](Project& p) { return voxd::core::flood_fill(p, layer_id, fill); });
  });
}

VOXD_API voxd_status voxd_region_move(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                      const voxd_box* source, voxd_vec3 offset, bool keep_source, int64_t* out_moved,
                                      voxd_error** error) {
  return guarded(error, [&]() -> Status {
    auto bounds = voxd::capi::box_arg(source, "source");
    VOXD_TRY(bounds);
    auto shift = position_arg(offset, "offset");
    VOXD_TRY(shift);
    return edit_returning(engine, project, out_moved, [&](Project& p) {
      return voxd::core::move_region(p, layer_id, *bounds, *shift, keep_source);
    });
  });
}

// ---------------------------------------- layers ----------------------------------------

VOXD_API voxd_status voxd_layer_add(voxd_engine* engine, voxd_project project, const char* name, size_t name_len,
                                    uint32_t* out_id, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    auto text = string_arg(name, name_len, VOXD_MAX_NAME_BYTES, "name");
    VOXD_TRY(text);
    return edit_returning(engine, project, out_id,
                          [&](Project& p) { return voxd::core::add_layer(p, std::string(*text)); });
  });
}

VOXD_API voxd_status voxd_layer_remove(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                       voxd_error** error) {
  return guarded(error, [&]() -> Status {
    return edit(engine, project, [&](Project& p) { return voxd::core::remove_layer(p, layer_id); });
  });
}

VOXD_API voxd_status voxd_layer_rename(voxd_engine* engine, voxd_project project, uint32_t layer_id, const char* name,
                                       size_t name_len, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    auto text = string_arg(name, name_len, VOXD_MAX_NAME_BYTES, "name");
    VOXD_TRY(text);
    return edit(engine, project, [&](Project& p) { return voxd::core::rename_layer(p, layer_id, std::string(*text)); });
  });
}

VOXD_API voxd_status voxd_layer_move(voxd_engine* engine, voxd_project project, uint32_t layer_id, size_t new_index,
                                     voxd_error** error) {
  return guarded(error, [&]() -> Status {
    return edit(engine, project, [&](Project& p) { return voxd::core::move_layer(p, layer_id, new_index); });
  });
}

VOXD_API voxd_status voxd_layer_duplicate(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                          uint32_t* out_id, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    return edit_returning(engine, project, out_id,
                          [&](Project& p) { return voxd::core::duplicate_layer(p, layer_id); });
  });
}

VOXD_API voxd_status voxd_layer_set_visible(voxd_engine* engine, voxd_project project, uint32_t layer_id, bool visible,
                                            voxd_error** error) {
  return guarded(error, [&]() -> Status {
    return edit(engine, project, [&](Project& p) { return voxd::core::set_layer_visible(p, layer_id, visible); });
  });
}

VOXD_API voxd_status voxd_layer_select(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                       voxd_error** error) {
  return guarded(error, [&]() -> Status {
    return edit(engine, project, [&](Project& p) { return voxd::core::select_layer(p, layer_id); });
  });
}

VOXD_API voxd_status voxd_layer_merge(voxd_engine* engine, voxd_project project, uint32_t upper_id, uint32_t lower_id,
                                      voxd_error** error) {
  return guarded(error, [&]() -> Status {
    return edit(engine, project, [&](Project& p) { return voxd::core::merge_layers(p, upper_id, lower_id); });
  });
}

VOXD_API voxd_status voxd_layer_list(voxd_engine* engine, voxd_project project, voxd_layer_info* out, size_t capacity,
                                     size_t* out_count, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(voxd::capi::out_array_arg(out, capacity, "out"));
    VOXD_TRY(require(out_count, "out_count"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    voxd::capi::copy_out((*guard)->layers(), out, capacity, out_count, [](const voxd::core::Layer& layer) {
      voxd_layer_info info{};
      info.id = layer.id;
      info.visible = layer.visible;
      info.mode = static_cast<voxd_blend_mode>(layer.mode);
      info.voxel_count = layer.volume.voxel_count();
      return info;
    });
    return {};
  });
}

VOXD_API voxd_status voxd_layer_get_name(voxd_engine* engine, voxd_project project, uint32_t layer_id, char* out,
                                         size_t capacity, size_t* out_len, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(voxd::capi::out_array_arg(out, capacity, "out"));
    VOXD_TRY(require(out_len, "out_len"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    const Project& p = **guard;
    auto index = p.layer_index(layer_id);
    VOXD_TRY(index);
    voxd::capi::copy_string_out(p.layers()[*index].name, out, capacity, out_len);
    return {};
  });
}

}  // extern "C"
