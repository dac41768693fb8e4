#include "project_owners.hpp"

#include <mutex>

namespace voxd::daemon {

void ProjectOwners::set(core::ProjectHandle handle, std::string owner) {
  const std::unique_lock lock(mutex_);
  owners_.insert_or_assign(handle.value, std::move(owner));
}

void ProjectOwners::erase(core::ProjectHandle handle) {
  const std::unique_lock lock(mutex_);
  owners_.erase(handle.value);
}

bool ProjectOwners::may_use(core::ProjectHandle handle, std::string_view identity) const {
  if (is_admin(identity)) {
    return true;
  }
  const std::shared_lock lock(mutex_);
  const auto it = owners_.find(handle.value);
  return it != owners_.end() && it->second == identity;
}

core::Error ProjectOwners::not_yours(core::ProjectHandle handle) {
  // Must match core/src/workspace.cpp's stale_handle_error (security_units_test compares them).
  return core::make_error(core::ErrorCode::stale_handle,
                          "stale handle: project " + std::to_string(handle.value) + " was closed or never existed");
}

}  // namespace voxd::daemon
