#include "project_owners.hpp"

#include <algorithm>
#include <mutex>

#include "curve_keys.hpp"

namespace voxd::daemon {

std::string_view access_name(ProjectAccess access) noexcept {
  switch (access) {
    case ProjectAccess::none: return "none";
    case ProjectAccess::read: return "read";
    case ProjectAccess::edit: return "edit";
    case ProjectAccess::own: return "own";
  }
  return "unknown";
}

core::Status check_identity(std::string_view identity) {
  constexpr std::string_view kCurve = "curve:";
  constexpr std::string_view kUid = "uid:";
  if (identity.starts_with(kCurve)) {
    return check_z85_key(identity.substr(kCurve.size()), "the identity's CURVE public key");
  }
  if (identity.starts_with(kUid)) {
    const std::string_view digits = identity.substr(kUid.size());
    const bool decimal = !digits.empty() && digits.size() <= 10 &&
                         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (decimal) {
      return {};
    }
  }
  return core::make_error(core::ErrorCode::invalid_argument,
                          "identity '" + std::string(identity.substr(0, 64)) +
                              "' is neither curve:<Z85 public key> nor uid:<n> (HelloResult.identity shows yours)");
}

void ProjectOwners::set(core::ProjectHandle handle, std::string owner) {
  const std::unique_lock lock(mutex_);
  projects_.insert_or_assign(handle.value, Entry{std::move(owner), {}});
}

void ProjectOwners::erase(core::ProjectHandle handle) {
  const std::unique_lock lock(mutex_);
  projects_.erase(handle.value);
}

bool ProjectOwners::share(core::ProjectHandle handle, const std::string& identity, ProjectAccess access) {
  const std::unique_lock lock(mutex_);
  const auto it = projects_.find(handle.value);
  if (it == projects_.end()) {
    return false;
  }
  if (access == ProjectAccess::none) {
    it->second.shared.erase(identity);
  } else {
    it->second.shared.insert_or_assign(identity, access);
  }
  return true;
}

ProjectAccess ProjectOwners::access(core::ProjectHandle handle, std::string_view identity) const {
  if (is_admin(identity)) {
    return ProjectAccess::own;  // every handle: the workspace then says which are closed
  }
  const std::shared_lock lock(mutex_);
  const auto it = projects_.find(handle.value);
  if (it == projects_.end()) {
    return ProjectAccess::none;  // closed or never opened
  }
  if (it->second.owner == identity) {
    return ProjectAccess::own;
  }
  const auto shared = it->second.shared.find(std::string(identity));  // Debian's absl: no std::string_view lookup
  return shared == it->second.shared.end() ? ProjectAccess::none : shared->second;
}

bool ProjectOwners::owned(core::ProjectHandle handle) const {
  const std::shared_lock lock(mutex_);
  return projects_.contains(handle.value);
}

core::Error ProjectOwners::not_yours(core::ProjectHandle handle) {
  // Must match core/src/workspace.cpp's stale_handle_error (security_units_test compares them).
  return core::make_error(core::ErrorCode::stale_handle,
                          "stale handle: project " + std::to_string(handle.value) + " was closed or never existed");
}

}  // namespace voxd::daemon
