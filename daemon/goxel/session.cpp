#include "session.hpp"

#include <sys/socket.h>
#include <sys/types.h>

#include <string>

namespace voxd::goxel {

std::optional<SessionMode> parse_session_mode(std::string_view text) {
  if (text == "connection") return SessionMode::kConnection;
  if (text == "process") return SessionMode::kProcess;
  if (text == "shared") return SessionMode::kShared;
  return std::nullopt;
}

Peer peer_of(int fd) {
  ucred credentials{};
  socklen_t size = sizeof(credentials);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) return {};
  return Peer{credentials.pid, credentials.uid};
}

std::string identity_of(const Peer& peer) { return peer.uid ? "uid:" + std::to_string(*peer.uid) : std::string(); }

std::string session_key(SessionMode mode, const Peer& peer, std::uint64_t connection_number) {
  const std::string connection = "connection:" + std::to_string(connection_number);
  if (!peer.uid) return connection;  // no credentials: the connection is the session
  switch (mode) {
    case SessionMode::kShared: return "shared:" + identity_of(peer);
    case SessionMode::kConnection: return connection;
    case SessionMode::kProcess: break;
  }
  return "process:" + std::to_string(peer.pid) + ":" + std::to_string(*peer.uid);
}

}  // namespace voxd::goxel
