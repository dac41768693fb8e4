// Fuzzes voxd-mcp's request path without a daemon: bytes are fed to the MCP server (newline framing, JSON-RPC
// dispatch, MCP methods, every tool's argument reading and request building). The stub backend verifies each
// built request as the daemon's broker would and answers with an error, so tools stop there. Every output line
// must be a JSON-RPC response object or a batch of them.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

#include <flatbuffers/flatbuffers.h>

#include "envelope.hpp"
#include "server.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

voxd::core::Result<voxd::voxctl::Reply> stub(std::uint64_t project, voxd::protocol::RequestBody type,
                                             const voxd::mcp::BodyBuilder& body) {
  flatbuffers::FlatBufferBuilder fb(256);
  const auto offset = body(fb);
  fb.Finish(voxd::protocol::CreateRequest(fb, voxd::daemon::kProtocolVersion, 1, project, type, offset),
            voxd::protocol::RequestIdentifier());
  if (!voxd::daemon::verify_request(std::span<const std::uint8_t>(fb.GetBufferPointer(), fb.GetSize())).ok()) {
    fail("a tool built a request the daemon would refuse as malformed");
  }
  return voxd::core::make_error(voxd::core::ErrorCode::unsupported, "fuzz stub: no daemon");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  voxd::mcp::Server server(stub, 1U << 16U);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // Fed in two pieces, so a message split across reads is covered too.
  const std::size_t cut = size / 3;
  auto lines = server.feed(input.substr(0, cut));
  for (auto& line : server.feed(input.substr(cut))) lines.push_back(std::move(line));
  for (const auto& line : lines) {
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !(parsed.is_object() || parsed.is_array())) fail("a reply line is not JSON");
    if (parsed.is_object() && (!parsed.contains("jsonrpc") || !parsed.contains("id"))) fail("a reply without id");
  }
  return 0;
}
