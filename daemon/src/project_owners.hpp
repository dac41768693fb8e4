// Who owns which project: the identity that created, opened or copied it (the connection's User-Id, see
// zap_handler.hpp). Others are answered exactly as if the project were closed (stale_handle), so a handle
// reveals nothing about another client's projects; ListProjects lists the caller's own. The --admin-key
// identity may use and sees every project. Shared by the workers and the broker's quick path: lookups take
// a shared lock, registrations (create, open, copy, close) an exclusive one.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>

#include <absl/container/flat_hash_map.h>

#include "voxd/core/error.hpp"
#include "voxd/core/workspace.hpp"

namespace voxd::daemon {

class ProjectOwners {
 public:
  // `admin` is the identity that may use every project ("curve:<Z85 key>"); empty = none.
  explicit ProjectOwners(std::string admin = {}) : admin_(std::move(admin)) {}

  void set(core::ProjectHandle handle, std::string owner);
  void erase(core::ProjectHandle handle);
  // True for the owner and the admin; false for everyone else, and for a handle nobody owns.
  [[nodiscard]] bool may_use(core::ProjectHandle handle, std::string_view identity) const;
  [[nodiscard]] bool is_admin(std::string_view identity) const noexcept {
    return !admin_.empty() && identity == admin_;
  }

  // The answer a client gets for a project it does not own: word for word the workspace's for a closed one.
  [[nodiscard]] static core::Error not_yours(core::ProjectHandle handle);

 private:
  mutable std::shared_mutex mutex_;
  absl::flat_hash_map<std::uint64_t, std::string> owners_;
  std::string admin_;
};

}  // namespace voxd::daemon
