// Where the daemon listens by default, shared by voxd and voxctl so that voxctl finds a local daemon
// without being told: ipc://<runtime dir>/voxd.sock, the runtime dir being $XDG_RUNTIME_DIR/voxd or
// /tmp/voxd-<uid>. VOXD_ENDPOINT overrides it for clients.
#pragma once

#include <filesystem>
#include <string>

#include "voxd/core/error.hpp"

namespace voxd::daemon {

// The private directory of the default socket (not created).
[[nodiscard]] std::filesystem::path default_runtime_dir();
// ipc://<default_runtime_dir()>/voxd.sock
[[nodiscard]] std::string default_endpoint();
// The endpoint a client should use: VOXD_ENDPOINT if set, else default_endpoint().
[[nodiscard]] std::string client_default_endpoint();
// Creates `dir` (mode 0700) or checks an existing one: a real directory (not a symlink) owned by this
// user, made private (0700) if it was not.
[[nodiscard]] core::Status make_private_dir(const std::filesystem::path& dir);

}  // namespace voxd::daemon
