// The MCP session over one stdio stream: newline framing, JSON-RPC dispatch, and the MCP methods
// (initialize with version negotiation, ping, tools/list, tools/call).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend.hpp"
#include "voxd/jsonrpc/dispatcher.hpp"
#include "voxd/jsonrpc/line_framer.hpp"

namespace voxd::mcp {

// The MCP revisions voxd-mcp speaks, newest first.
inline constexpr std::string_view kProtocolVersions[] = {"2025-06-18", "2024-11-05"};

struct Session {
  Backend backend;
  bool initialized = false;
  std::string protocol_version;
};

class Server {
 public:
  Server(Backend backend, std::size_t max_message_bytes);
  // Feeds bytes read from the client; returns the lines to write back (each without its newline).
  [[nodiscard]] std::vector<std::string> feed(std::string_view bytes);

 private:
  Session session_;
  jsonrpc::Dispatcher<Session> dispatcher_;
  jsonrpc::LineFramer framer_;
};

}  // namespace voxd::mcp
