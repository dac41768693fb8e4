// The JSON-RPC fronts' untrusted surface without sockets: bytes -> Goxel stream framer (and the newline framer)
// -> message parsing, batches and dispatch, with handlers that read parameters and colours the way the Goxel
// methods do. Every reply must be valid JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "color.hpp"
#include "voxd/jsonrpc/dispatcher.hpp"
#include "voxd/jsonrpc/line_framer.hpp"
#include "voxd/jsonrpc/params.hpp"
#include "voxd/jsonrpc/stream_framer.hpp"

namespace {

struct Calls {
  int count = 0;
};

voxd::jsonrpc::Dispatcher<Calls> make_dispatcher() {
  using voxd::jsonrpc::Params;
  using voxd::jsonrpc::Request;
  voxd::jsonrpc::Dispatcher<Calls> d(voxd::jsonrpc::MessageLimits{64, "max_batch_requests", {32}});
  d.add_sync("echo", [](Calls& c, const Request& r) {
    ++c.count;
    return r.params;
  });
  d.add_sync("goxel.add_voxel", [](Calls& c, const Request& r) {
    ++c.count;
    const Params p(r.params);
    return nlohmann::json{{"x", p.integer(0, "x")}, {"color", voxd::goxel::color_array(voxd::goxel::read_color(p, 3))}};
  });
  d.add_sync("goxel.create_project", [](Calls&, const Request& r) {
    const Params p(r.params);
    return nlohmann::json{{"name", p.string_or(0, "name", "x")}, {"visible", p.boolean_or(4, "visible", true)},
                          {"w", p.number_or(1, "width", 64)}};
  });
  return d;
}

void check_reply(const std::optional<std::string>& reply) {
  if (reply && !nlohmann::json::accept(*reply)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto dispatcher = make_dispatcher();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first byte picks the read size, so splits land everywhere.
  const std::size_t chunk = size == 0 ? 1 : (data[0] % 17U) + 1U;
  voxd::jsonrpc::StreamFramer stream(4096);
  voxd::jsonrpc::LineFramer lines(4096);
  std::vector<voxd::jsonrpc::Frame> frames;
  for (std::size_t at = 0; at < input.size(); at += chunk) {
    const auto piece = input.substr(at, chunk);
    stream.feed(piece, frames);
    lines.feed(piece, frames);
  }
  Calls calls;
  for (const auto& frame : frames) {
    if (frame.kind != voxd::jsonrpc::Frame::Kind::kMessage) continue;
    dispatcher.handle(calls, frame.text, check_reply);
  }
  return 0;
}
