#include "edits.hpp"

#include <string>
#include <vector>

#include "convert.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Result;
using protocol::EditOperation;
using protocol::RequestBody;

std::optional<EditOperation> edit_of(RequestBody type) noexcept {
  switch (type) {
    case RequestBody::SetVoxels: return EditOperation::SetVoxels;
    case RequestBody::RemoveVoxels: return EditOperation::RemoveVoxels;
    case RequestBody::ClearLayer: return EditOperation::ClearLayer;
    case RequestBody::DrawShape: return EditOperation::DrawShape;
    case RequestBody::DrawLine: return EditOperation::DrawLine;
    case RequestBody::FloodFill: return EditOperation::FloodFill;
    case RequestBody::MoveRegion: return EditOperation::MoveRegion;
    case RequestBody::AddLayer: return EditOperation::AddLayer;
    case RequestBody::RemoveLayer: return EditOperation::RemoveLayer;
    case RequestBody::RenameLayer: return EditOperation::RenameLayer;
    case RequestBody::MoveLayer: return EditOperation::MoveLayer;
    case RequestBody::DuplicateLayer: return EditOperation::DuplicateLayer;
    case RequestBody::MergeLayers: return EditOperation::MergeLayers;
    case RequestBody::SetLayerVisible: return EditOperation::SetLayerVisible;
    case RequestBody::SelectLayer: return EditOperation::SelectLayer;
    default: return std::nullopt;
  }
}

std::int64_t explicit_voxels(EditOperation type, const void* table) noexcept {
  if (type == EditOperation::SetVoxels) {
    const auto* voxels = static_cast<const protocol::SetVoxels*>(table)->voxels();
    return voxels == nullptr ? 0 : static_cast<std::int64_t>(voxels->size());
  }
  if (type == EditOperation::RemoveVoxels) {
    const auto* positions = static_cast<const protocol::RemoveVoxels*>(table)->positions();
    return positions == nullptr ? 0 : static_cast<std::int64_t>(positions->size());
  }
  return 0;
}

namespace {

core::Status check_request_voxels(std::int64_t voxels, const DaemonLimits& limits, std::string_view what) {
  if (voxels > limits.max_voxels_per_request) {
    return make_error(ErrorCode::limit_exceeded, std::string(what) + " covers " + std::to_string(voxels) +
                                                     " voxels, over max_voxels_per_request (" +
                                                     std::to_string(limits.max_voxels_per_request) + ")");
  }
  return {};
}

Result<std::int64_t> set_voxels(core::Project& project, const protocol::SetVoxels& request,
                                const DaemonLimits& limits) {
  const auto* voxels = request.voxels();
  if (voxels == nullptr) {
    return std::int64_t{0};
  }
  VOXD_TRY(check_request_voxels(voxels->size(), limits, "the voxel list"));
  std::vector<core::VoxelWrite> writes;
  writes.reserve(voxels->size());
  for (const protocol::Voxel* v : *voxels) {
    writes.push_back({{v->x(), v->y(), v->z()}, to_core_color(v->rgba())});
  }
  VOXD_TRY(core::set_voxels(project, request.layer(), writes));
  return static_cast<std::int64_t>(writes.size());
}

Result<std::int64_t> remove_voxels(core::Project& project, const protocol::RemoveVoxels& request,
                                   const DaemonLimits& limits) {
  const auto* positions = request.positions();
  if (positions == nullptr) {
    return std::int64_t{0};
  }
  VOXD_TRY(check_request_voxels(positions->size(), limits, "the position list"));
  std::vector<core::Vec3i> points;
  points.reserve(positions->size());
  for (const protocol::Vec3* p : *positions) {
    points.push_back(to_core(*p));
  }
  const std::int64_t before = project.voxel_count();
  VOXD_TRY(core::remove_voxels(project, request.layer(), points));
  return before - project.voxel_count();
}

Result<std::int64_t> draw_shape(core::Project& project, const protocol::DrawShape& request,
                                const DaemonLimits& limits) {
  auto box = to_core_box(request.box(), "box");
  VOXD_TRY(box);
  VOXD_TRY(check_request_voxels(box->volume(), limits, "the shape's box"));
  auto mode = to_core_mode(request.mode());
  VOXD_TRY(mode);
  const auto kind = static_cast<std::int32_t>(request.kind());
  if (kind < 0 || kind > static_cast<std::int32_t>(core::ShapeKind::cylinder)) {
    return make_error(ErrorCode::invalid_argument, "unknown shape kind " + std::to_string(kind));
  }
  core::ShapeParams shape;
  shape.kind = static_cast<core::ShapeKind>(kind);
  shape.bounds = *box;
  shape.color = to_core_color(request.rgba());
  shape.mode = *mode;
  return core::apply_shape(project, request.layer(), shape);
}

Result<std::int64_t> draw_line(core::Project& project, const protocol::DrawLine& request) {
  auto from = to_core_position(request.from(), "from");
  VOXD_TRY(from);
  auto to = to_core_position(request.to(), "to");
  VOXD_TRY(to);
  auto mode = to_core_mode(request.mode());
  VOXD_TRY(mode);
  return core::draw_line(project, request.layer(), {*from, *to, to_core_color(request.rgba()), *mode});
}

Result<std::int64_t> flood_fill(core::Project& project, const protocol::FloodFill& request,
                                const DaemonLimits& limits) {
  auto seed = to_core_position(request.seed(), "seed");
  VOXD_TRY(seed);
  core::FloodFillParams fill;
  fill.seed = *seed;
  fill.color = to_core_color(request.rgba());
  fill.tolerance = request.tolerance();
  fill.max_voxels = limits.max_voxels_per_request;
  if (request.bounds() != nullptr) {
    auto bounds = to_core_box(request.bounds(), "bounds");
    VOXD_TRY(bounds);
    fill.bounds = *bounds;
  }
  return core::flood_fill(project, request.layer(), fill);
}

Result<std::int64_t> move_region(core::Project& project, const protocol::MoveRegion& request,
                                 const DaemonLimits& limits) {
  auto source = to_core_box(request.source(), "source");
  VOXD_TRY(source);
  VOXD_TRY(check_request_voxels(source->volume(), limits, "the source box"));
  if (request.offset() == nullptr) {
    return make_error(ErrorCode::invalid_argument, "the field 'offset' is required");
  }
  return core::move_region(project, request.layer(), *source, to_core(*request.offset()), request.keep_source());
}

Result<std::int64_t> clear_layer(core::Project& project, const protocol::ClearLayer& request) {
  const std::int64_t before = project.voxel_count();
  VOXD_TRY(core::clear_layer(project, request.layer()));
  return before - project.voxel_count();
}

// Layer operations report 0 voxels changed; the ones that make a layer return its id.
Result<std::int64_t> zero_on_success(const core::Status& status) {
  if (!status) {
    return status.error();
  }
  return std::int64_t{0};
}

Result<std::int64_t> layer_id_result(Result<std::uint32_t> id) {
  if (!id) {
    return std::move(id).error();
  }
  return static_cast<std::int64_t>(*id);
}

}  // namespace

Result<std::int64_t> apply_edit(core::Project& project, EditOperation type, const void* table,
                                const DaemonLimits& limits) {
  if (table == nullptr) {
    return make_error(ErrorCode::protocol, "an edit without its table");
  }
  switch (type) {
    case EditOperation::SetVoxels: return set_voxels(project, *static_cast<const protocol::SetVoxels*>(table), limits);
    case EditOperation::RemoveVoxels:
      return remove_voxels(project, *static_cast<const protocol::RemoveVoxels*>(table), limits);
    case EditOperation::ClearLayer: return clear_layer(project, *static_cast<const protocol::ClearLayer*>(table));
    case EditOperation::DrawShape: return draw_shape(project, *static_cast<const protocol::DrawShape*>(table), limits);
    case EditOperation::DrawLine: return draw_line(project, *static_cast<const protocol::DrawLine*>(table));
    case EditOperation::FloodFill: return flood_fill(project, *static_cast<const protocol::FloodFill*>(table), limits);
    case EditOperation::MoveRegion:
      return move_region(project, *static_cast<const protocol::MoveRegion*>(table), limits);
    case EditOperation::AddLayer: {
      auto name = checked_name(static_cast<const protocol::AddLayer*>(table)->name(), "layer");
      VOXD_TRY(name);
      return layer_id_result(core::add_layer(project, std::move(name).value()));
    }
    case EditOperation::RemoveLayer:
      return zero_on_success(core::remove_layer(project, static_cast<const protocol::RemoveLayer*>(table)->layer()));
    case EditOperation::RenameLayer: {
      const auto* request = static_cast<const protocol::RenameLayer*>(table);
      if (request->name() == nullptr || request->name()->size() == 0) {
        return make_error(ErrorCode::invalid_argument, "the field 'name' is required");
      }
      auto name = checked_name(request->name(), "");
      VOXD_TRY(name);
      return zero_on_success(core::rename_layer(project, request->layer(), std::move(name).value()));
    }
    case EditOperation::MoveLayer: {
      const auto* request = static_cast<const protocol::MoveLayer*>(table);
      return zero_on_success(core::move_layer(project, request->layer(), request->index()));
    }
    case EditOperation::DuplicateLayer:
      return layer_id_result(
          core::duplicate_layer(project, static_cast<const protocol::DuplicateLayer*>(table)->layer()));
    case EditOperation::MergeLayers: {
      const auto* request = static_cast<const protocol::MergeLayers*>(table);
      return zero_on_success(core::merge_layers(project, request->upper(), request->lower()));
    }
    case EditOperation::SetLayerVisible: {
      const auto* request = static_cast<const protocol::SetLayerVisible*>(table);
      return zero_on_success(core::set_layer_visible(project, request->layer(), request->visible()));
    }
    case EditOperation::SelectLayer:
      return zero_on_success(core::select_layer(project, static_cast<const protocol::SelectLayer*>(table)->layer()));
    case EditOperation::NONE: break;
  }
  return make_error(ErrorCode::protocol, "unknown edit type " + std::to_string(static_cast<int>(type)));
}

}  // namespace voxd::daemon
