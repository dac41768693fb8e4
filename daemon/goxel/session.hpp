// Goxel clients expect one "current project". voxd keeps one per session; what a session is depends on
// --goxel-session: each connection, each client process (the peer's pid and uid from SO_PEERCRED, so a script
// that reconnects for every call keeps its project), or one per user (shared: every client of that uid). A
// session never spans two uids: its requests carry the peer's identity "uid:<n>", the one an ipc client of that
// uid has, so project ownership and --root-per-client apply to Goxel clients as to every other.
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
  std::string identity;       // "uid:<n>", or "" (anonymous) when the kernel gave no credentials
  std::uint64_t project = 0;  // the current project's voxd handle (0: none yet)
  int pid = 0;                // the peer process (process mode), to forget the session once it has exited
};

// The peer of a connected Unix socket, from SO_PEERCRED.
struct Peer {
  int pid = 0;
  std::optional<std::uint32_t> uid;  // absent when the kernel gave no credentials
};
[[nodiscard]] Peer peer_of(int fd);

// The session key of a connection from `peer` under `mode`; `connection_number` names connection sessions.
[[nodiscard]] std::string session_key(SessionMode mode, const Peer& peer, std::uint64_t connection_number);
// The identity the peer's requests carry (project_owners.hpp).
[[nodiscard]] std::string identity_of(const Peer& peer);

}  // namespace voxd::goxel
