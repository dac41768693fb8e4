// Who may use which project: the identity that created, opened or copied it (the connection's User-Id, see
// zap_handler.hpp) owns it, and may share it with other identities for reading or editing (ShareProject).
// Anyone it was not shared with is answered exactly as if the project were closed (stale_handle), so a handle
// reveals nothing about another client's projects; ListProjects lists what the caller may read. The
// --admin-key identity may do everything with every project. Shared by the workers and the broker's quick
// path: lookups take a shared lock, changes (create, open, copy, share, close) an exclusive one.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>

#include <absl/container/flat_hash_map.h>

#include "voxd/core/error.hpp"
#include "voxd/core/workspace.hpp"

namespace voxd::daemon {

// What an identity may do with a project, in increasing order: each level allows what the ones below do.
enum class ProjectAccess : std::uint8_t { none = 0, read = 1, edit = 2, own = 3 };

[[nodiscard]] std::string_view access_name(ProjectAccess access) noexcept;

// Ok for an identity the ZAP handler can name: "curve:<40 Z85 characters>" or "uid:<decimal uid>".
[[nodiscard]] core::Status check_identity(std::string_view identity);

class ProjectOwners {
 public:
  // `admin` is the identity that may use every project ("curve:<Z85 key>"); empty = none.
  explicit ProjectOwners(std::string admin = {}) : admin_(std::move(admin)) {}

  // `owner` owns the project from now on; nobody else has access to it.
  void set(core::ProjectHandle handle, std::string owner);
  void erase(core::ProjectHandle handle);
  // Grants `identity` read or edit (none revokes). False when nobody owns the handle.
  bool share(core::ProjectHandle handle, const std::string& identity, ProjectAccess access);

  // own for the owner and (for every handle) the admin; what was shared for others; none for a handle nobody
  // owns.
  [[nodiscard]] ProjectAccess access(core::ProjectHandle handle, std::string_view identity) const;
  [[nodiscard]] bool may_use(core::ProjectHandle handle, std::string_view identity) const {
    return access(handle, identity) != ProjectAccess::none;
  }
  // True when someone owns the handle (for telling a refused access from a closed project in stats).
  [[nodiscard]] bool owned(core::ProjectHandle handle) const;
  [[nodiscard]] bool is_admin(std::string_view identity) const noexcept {
    return !admin_.empty() && identity == admin_;
  }

  // The answer a client gets for a project it may not see: word for word the workspace's for a closed one.
  [[nodiscard]] static core::Error not_yours(core::ProjectHandle handle);

 private:
  struct Entry {
    std::string owner;
    absl::flat_hash_map<std::string, ProjectAccess> shared;  // identity -> read or edit
  };
  mutable std::shared_mutex mutex_;
  absl::flat_hash_map<std::uint64_t, Entry> projects_;
  std::string admin_;
};

}  // namespace voxd::daemon
