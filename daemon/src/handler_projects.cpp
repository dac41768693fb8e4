// RequestHandler, project lifetime: create, close, register a read or copied state, info, copy.
#include "handler.hpp"

#include <string>
#include <utility>

#include "convert.hpp"
#include "handler_support.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Result;
using handler_support::layer_infos;
using handler_support::state_voxels;
using protocol::RequestBody;
using protocol::ResultBody;

Result<RequestHandler::Reply> RequestHandler::create_project(const protocol::CreateProject& request, Fb& fb) {
  auto name = checked_name(request.name(), "untitled");
  VOXD_TRY(name);
  auto handle = services_.workspace.create_project(std::move(name).value());
  VOXD_TRY(handle);
  VOXD_TRY(charge_new_project(*handle));
  services_.owners.set(*handle, std::string(identity_));
  return Reply{ResultBody::ProjectCreated, protocol::CreateProjectCreated(fb, handle->value).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::close_project(Handle handle) {
  std::int64_t voxels = 0;
  std::size_t bytes = 0;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    voxels = (*guard)->voxel_count();
    bytes = (*guard)->memory_bytes();
  }
  // Requests of one project run one at a time, so nothing changed the counts since.
  VOXD_TRY(services_.workspace.close_project(handle));
  services_.owners.erase(handle);
  services_.budget.release(voxels);
  services_.memory.release(bytes);
  return Reply{};
}

// Only the owner (or the admin) gets here (request_access.hpp). The identity is checked for form, so a typo
// does not silently share with nobody.
Result<RequestHandler::Reply> RequestHandler::share_project(Handle handle, const protocol::ShareProject& request) {
  const std::string identity = request.identity() == nullptr ? std::string() : request.identity()->str();
  VOXD_TRY(check_identity(identity));
  if (identity == identity_) {
    return make_error(ErrorCode::invalid_argument, "ShareProject: " + identity + " is you; you own the project");
  }
  ProjectAccess access = ProjectAccess::none;
  switch (request.access()) {
    case protocol::Access::none: access = ProjectAccess::none; break;
    case protocol::Access::read: access = ProjectAccess::read; break;
    case protocol::Access::edit: access = ProjectAccess::edit; break;
    default:
      return make_error(ErrorCode::invalid_argument, "ShareProject: access " +
                                                         std::to_string(static_cast<int>(request.access())) +
                                                         " is none of none (0), read (1), edit (2)");
  }
  if (!services_.owners.share(handle, identity, access)) {
    return ProjectOwners::not_yours(handle);
  }
  return Reply{ResultBody::NONE,
               {},
               "project " + std::to_string(handle.value) + ": " + identity + " has " +
                   std::string(access_name(access)) + " access"};
}

Result<RequestHandler::Handle> RequestHandler::add_project(std::string name, core::ProjectState state) {
  const std::int64_t voxels = state_voxels(state);
  const DaemonLimits& limits = services_.config.limits;
  if (voxels > limits.max_voxels_per_project) {
    return make_error(ErrorCode::limit_exceeded, "the project holds " + std::to_string(voxels) +
                                                     " voxels, over max_voxels_per_project (" +
                                                     std::to_string(limits.max_voxels_per_project) + ")");
  }
  VOXD_TRY(services_.budget.reserve(voxels));
  auto handle = services_.workspace.add_project(std::move(name), std::move(state));
  if (!handle) {
    services_.budget.release(voxels);
    return handle;
  }
  VOXD_TRY(charge_new_project(*handle));
  services_.owners.set(*handle, std::string(identity_));  // opened or copied: the caller's
  return handle;
}

core::Status RequestHandler::charge_new_project(Handle handle) {
  std::size_t bytes = 0;
  std::int64_t voxels = 0;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    bytes = (*guard)->memory_bytes();
    voxels = (*guard)->voxel_count();
  }
  const core::Status reserved = services_.memory.reserve(bytes);
  if (!reserved.ok()) {
    (void)services_.workspace.close_project(handle);
    services_.budget.release(voxels);
  }
  return reserved;
}

Result<RequestHandler::Reply> RequestHandler::project_info(Handle handle, Fb& fb) {
  auto guard = services_.workspace.lock(handle);
  VOXD_TRY(guard);
  const core::Project& project = **guard;
  auto box = core::bounding_box(project, core::kVisibleLayers);
  VOXD_TRY(box);
  const protocol::Box3 wire_box = box->has_value() ? to_wire(**box) : protocol::Box3{};
  const auto name = fb.CreateString(project.name());
  const auto layers = layer_infos(fb, project);
  const auto offset = protocol::CreateProjectInfo(
      fb, handle.value, name, project.voxel_count(), project.memory_bytes(), box->has_value() ? &wire_box : nullptr,
      layers, project.effective_active_layer_id(), static_cast<std::uint32_t>(project.undo_depth()),
      static_cast<std::uint32_t>(project.redo_depth()));
  return Reply{ResultBody::ProjectInfo, offset.Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::copy_project(Handle handle, const protocol::CopyProject& request,
                                                           Fb& fb) {
  core::ProjectState snapshot;
  std::string source_name;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    snapshot = (*guard)->snapshot();
    source_name = (*guard)->name();
  }
  auto name = checked_name(request.name(), source_name + " copy");
  VOXD_TRY(name);
  auto copy = add_project(std::move(name).value(), std::move(snapshot));
  VOXD_TRY(copy);
  return Reply{ResultBody::ProjectCreated, protocol::CreateProjectCreated(fb, copy->value).Union(), {}};
}

}  // namespace voxd::daemon
