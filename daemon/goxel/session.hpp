// Goxel clients expect one "current project". voxd keeps one per session; what a session is depends on
// --goxel-session: each connection, each client process (the peer's pid and uid from SO_PEERCRED, so a script
// that reconnects for every call keeps its project), or one for everyone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace voxd::goxel {

enum class SessionMode { kConnection, kProcess, kShared };

[[nodiscard]] std::optional<SessionMode> parse_session_mode(std::string_view text);

struct Session {
  std::string key;
  std::uint64_t project = 0;  // the current project's voxd handle (0: none yet)
  int pid = 0;                // the peer process (process mode), to forget the session once it has exited
};

// The session key of a connected Unix socket under `mode`; `connection_number` names connection sessions.
// Fills `pid` with the peer's pid when known.
[[nodiscard]] std::string session_key(SessionMode mode, int fd, std::uint64_t connection_number, int& pid);

}  // namespace voxd::goxel
