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

std::string session_key(SessionMode mode, int fd, std::uint64_t connection_number, int& pid) {
  pid = 0;
  switch (mode) {
    case SessionMode::kShared: return "shared";
    case SessionMode::kConnection: return "connection:" + std::to_string(connection_number);
    case SessionMode::kProcess: break;
  }
  ucred peer{};
  socklen_t size = sizeof(peer);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
    return "connection:" + std::to_string(connection_number);  // no credentials: the connection is the session
  }
  pid = peer.pid;
  return "process:" + std::to_string(peer.pid) + ":" + std::to_string(peer.uid);
}

}  // namespace voxd::goxel
