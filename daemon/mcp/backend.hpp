// How a tool reaches the daemon: one protocol request in, its verified reply (or voxd's error) out. voxd-mcp
// plugs in the ZeroMQ client; the fuzz harness plugs in a stub, so the MCP path runs without a daemon.
#pragma once

#include <cstdint>
#include <functional>

#include "client.hpp"

namespace voxd::mcp {

using BodyBuilder = voxctl::Client::BodyBuilder;
using Backend =
    std::function<core::Result<voxctl::Reply>(std::uint64_t project, protocol::RequestBody type, const BodyBuilder&)>;

}  // namespace voxd::mcp
