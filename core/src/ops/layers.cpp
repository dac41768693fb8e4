// Layer management: add, remove, rename, reorder, duplicate, visibility, selection, merge, and the
// merged view of the visible layers.
#include <algorithm>
#include <string>
#include <utility>

#include "compose.hpp"
#include "validation.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core {

namespace {

// Goxel keeps layer names in 256-byte C strings; longer names would not survive a .gox round trip.
constexpr std::size_t kMaxLayerNameBytes = 255;

Status check_name(const std::string& name) {
  if (name.size() > kMaxLayerNameBytes) {
    return make_error(ErrorCode::invalid_argument, "layer name is " + std::to_string(name.size()) +
                                                       " bytes, more than " + std::to_string(kMaxLayerNameBytes));
  }
  if (name.find('\0') != std::string::npos) {
    return make_error(ErrorCode::invalid_argument, "layer name contains a NUL byte");
  }
  return Status::success();
}

Status check_room_for_layer(const Project& project) {
  const std::size_t limit = project.limits().max_layers;
  if (project.layers().size() >= limit) {
    return make_error(ErrorCode::limit_exceeded, "the project already has " + std::to_string(project.layers().size()) +
                                                     " layers, the limit max_layers (" + std::to_string(limit) + ")");
  }
  if (project.state().next_layer_id == 0) {  // ids are never reused; 2^32 - 1 of them have been used
    return make_error(ErrorCode::limit_exceeded, "layer ids are exhausted");
  }
  return Status::success();
}

std::uint32_t take_layer_id(ProjectState& state) {
  const std::uint32_t id = state.next_layer_id;
  ++state.next_layer_id;  // wraps to 0 after the last id: check_room_for_layer refuses from then on
  return id;
}

}  // namespace

Result<std::uint32_t> add_layer(Project& project, std::string name) {
  VOXD_TRY(check_room_for_layer(project));
  VOXD_TRY(check_name(name));
  ProjectState& state = project.mutable_state();
  Layer layer;
  layer.id = take_layer_id(state);
  layer.name = name.empty() ? "layer " + std::to_string(layer.id) : std::move(name);
  state.layers.push_back(std::move(layer));
  state.active_layer_id = state.layers.back().id;
  return state.active_layer_id;
}

Status remove_layer(Project& project, std::uint32_t layer_id) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  ProjectState& state = project.mutable_state();
  if (state.layers.size() <= 1) {
    return make_error(ErrorCode::invalid_argument, "the last layer of a project cannot be removed");
  }
  const std::uint32_t removed_id = state.layers[*index].id;
  project.erase_layer(*index);
  if (state.active_layer_id == removed_id) {
    // The layer below takes over (the new bottom layer when the bottom one went).
    state.active_layer_id = state.layers[*index > 0 ? *index - 1 : 0].id;
  }
  return Status::success();
}

Status rename_layer(Project& project, std::uint32_t layer_id, std::string name) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  VOXD_TRY(check_name(name));
  project.mutable_state().layers[*index].name = std::move(name);
  return Status::success();
}

Status move_layer(Project& project, std::uint32_t layer_id, std::size_t new_index) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  auto& layers = project.mutable_state().layers;
  if (new_index >= layers.size()) {
    return make_error(ErrorCode::invalid_argument, "layer index " + std::to_string(new_index) +
                                                       " is beyond the last layer (" +
                                                       std::to_string(layers.size() - 1) + ")");
  }
  const auto from = layers.begin() + static_cast<std::ptrdiff_t>(*index);
  const auto to = layers.begin() + static_cast<std::ptrdiff_t>(new_index);
  if (from < to) {
    std::rotate(from, from + 1, to + 1);
  } else {
    std::rotate(to, from, from + 1);
  }
  return Status::success();
}

Result<std::uint32_t> duplicate_layer(Project& project, std::uint32_t layer_id) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  VOXD_TRY(check_room_for_layer(project));
  ProjectState& state = project.mutable_state();
  Layer copy = state.layers[*index];  // the volume's tiles are shared, not copied
  copy.id = take_layer_id(state);
  if (copy.name.size() + 5 <= kMaxLayerNameBytes) {
    copy.name += " copy";
  }
  const std::uint32_t id = copy.id;
  state.layers.insert(state.layers.begin() + static_cast<std::ptrdiff_t>(*index) + 1, std::move(copy));
  state.active_layer_id = id;
  return id;
}

Status set_layer_visible(Project& project, std::uint32_t layer_id, bool visible) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  project.mutable_state().layers[*index].visible = visible;
  return Status::success();
}

Status select_layer(Project& project, std::uint32_t layer_id) {
  auto index = project.layer_index(layer_id);
  if (!index.ok()) {
    return index.error();
  }
  project.mutable_state().active_layer_id = layer_id;
  return Status::success();
}

Status merge_layers(Project& project, std::uint32_t upper_id, std::uint32_t lower_id) {
  auto upper = ops_detail::edit_layer_index(project, upper_id);
  if (!upper.ok()) {
    return upper.error();
  }
  auto lower = ops_detail::edit_layer_index(project, lower_id);
  if (!lower.ok()) {
    return lower.error();
  }
  if (*upper == *lower) {
    return make_error(ErrorCode::invalid_argument, "cannot merge layer " + std::to_string(upper_id) + " into itself");
  }
  ProjectState& state = project.mutable_state();
  const Layer& source = state.layers[*upper];
  VOXD_TRY(ops_detail::check_blend_mode(source.mode));
  ops_detail::compose_into(state.layers[*lower].volume, source.volume, source.mode);
  const std::uint32_t removed_id = source.id;
  const std::uint32_t kept_id = state.layers[*lower].id;
  project.erase_layer(*upper);
  if (state.active_layer_id == removed_id) {
    state.active_layer_id = kept_id;
  }
  return Status::success();
}

Volume merged_visible(const ProjectState& state) {
  // Goxel composes the visible layers with MODE_OVER whatever their mode (goxel_get_layers_volume).
  Volume merged;
  for (const Layer& layer : state.layers) {
    if (layer.visible) {
      ops_detail::compose_into(merged, layer.volume, BlendMode::over);
    }
  }
  return merged;
}

Volume merged_visible(const Project& project) {
  return merged_visible(project.state());
}

Color visible_color(const Project& project, Vec3i p) noexcept {
  Color color = kEmpty;
  for (const Layer& layer : project.layers()) {
    if (layer.visible) {
      const Color above = layer.volume.get(p);
      if (!above.empty()) {
        color = blend(BlendMode::over, color, above);
      }
    }
  }
  return color;
}

}  // namespace voxd::core
