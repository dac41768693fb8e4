// The JSON-RPC fronts' untrusted surface without sockets: bytes -> Goxel stream framer (and the newline framer)
// -> message parsing, batches and dispatch, with handlers that read parameters and colours the way the Goxel
// methods do. Every reply must be valid JSON. Every message the add_voxels fast reader accepts must read the
// same (id, voxels, layer, project) through the dispatcher's path: nlohmann's parse and read_add_voxels_params.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "add_voxels_fast_reader.hpp"
#include "color.hpp"
#include "color_analysis.hpp"
#include "voxd/jsonrpc/dispatcher.hpp"
#include "voxd/jsonrpc/line_framer.hpp"
#include "voxd/jsonrpc/message.hpp"
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
    return nlohmann::json{{"name", p.string_or(0, "name", "x")},
                          {"visible", p.boolean_or(4, "visible", true)},
                          {"w", p.number_or(1, "width", 64)}};
  });
  // The colour analysis' parameters, and its grouping over colours taken from the message: binning never loses a
  // voxel, never adds a colour, and is the identity for bin sizes 0 and 1.
  d.add_sync("goxel.get_color_histogram", [](Calls& c, const Request& r) {
    ++c.count;
    const Params p(r.params);
    const auto region = voxd::goxel::region_param(p);
    const int bin_size = voxd::goxel::bin_size_param(p);
    const int merge_size = voxd::goxel::merge_bin_size_param(p);
    const std::string text = r.params.dump();
    std::vector<voxd::goxel::ColorCount> histogram;
    for (std::size_t at = 0; at + 4 <= text.size(); at += 4) {
      std::uint32_t rgba = 0;
      for (std::size_t i = 0; i < 4; ++i) rgba = (rgba << 8U) | static_cast<unsigned char>(text[at + i]);
      histogram.emplace_back(rgba, static_cast<std::int64_t>(at % 7) + 1);
    }
    for (const int size : {bin_size, merge_size}) {
      const auto grouped = voxd::goxel::group_colors(histogram, size);
      std::int64_t before = 0;
      std::int64_t after = 0;
      for (const auto& entry : histogram) before += entry.second;
      for (const auto& entry : grouped) after += entry.second;
      if (before != after || grouped.size() > histogram.size()) __builtin_trap();
      for (const auto& entry : histogram) {
        if (size <= 1 && voxd::goxel::bin_color(entry.first, size) != entry.first) __builtin_trap();
      }
    }
    nlohmann::json result{{"bin_size", bin_size}, {"merge", merge_size}};
    if (region) result["region"] = {region->min().x(), region->max().z()};
    return result;
  });
  return d;
}

void check_reply(const std::optional<std::string>& reply) {
  if (reply && !nlohmann::json::accept(*reply)) __builtin_trap();
}

bool same_voxels(const std::vector<voxd::protocol::Voxel>& a, const std::vector<voxd::protocol::Voxel>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].x() != b[i].x() || a[i].y() != b[i].y() || a[i].z() != b[i].z() || a[i].rgba() != b[i].rgba()) {
      return false;
    }
  }
  return true;
}

// The fast reader may only ever decline; what it accepts must be what the dispatcher's path reads.
void check_fast_reader(voxd::goxel::AddVoxelsFastReader& reader, std::string_view text) {
  const auto fast = reader.read(text);
  if (!fast) return;
  auto parsed = voxd::jsonrpc::parse_json(text, voxd::jsonrpc::ParseLimits{});
  if (!std::holds_alternative<nlohmann::json>(parsed)) __builtin_trap();
  auto request = voxd::jsonrpc::read_request(std::get<nlohmann::json>(parsed));
  if (!std::holds_alternative<voxd::jsonrpc::Request>(request)) __builtin_trap();
  const auto& r = std::get<voxd::jsonrpc::Request>(request);
  if (r.method != "goxel.add_voxels" || !r.id || *r.id != fast->id) __builtin_trap();
  try {
    const auto slow = voxd::goxel::read_add_voxels_params(voxd::jsonrpc::Params(r.params));
    if (slow.layer != fast->call.layer || slow.project != fast->call.project ||
        !same_voxels(slow.voxels, fast->call.voxels)) {
      __builtin_trap();
    }
  } catch (const voxd::jsonrpc::RpcError&) {
    __builtin_trap();  // the dispatcher would refuse what the fast reader took
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto dispatcher = make_dispatcher();
  static voxd::goxel::AddVoxelsFastReader fast_reader;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first byte picks the read size, so splits land everywhere.
  const std::size_t chunk = size == 0 ? 1 : (data[0] % 17U) + 1U;
  voxd::jsonrpc::StreamFramer stream(4096);
  voxd::jsonrpc::LineFramer lines(4096);
  std::vector<voxd::jsonrpc::Frame> stream_frames;
  std::vector<voxd::jsonrpc::Frame> line_frames;
  for (std::size_t at = 0; at < input.size(); at += chunk) {
    const auto piece = input.substr(at, chunk);
    stream.feed(piece, stream_frames);
    lines.feed(piece, line_frames);
  }
  // Framing may not depend on how the bytes were split: the whole input at once cuts the same frames.
  voxd::jsonrpc::StreamFramer whole(4096);
  std::vector<voxd::jsonrpc::Frame> whole_frames;
  whole.feed(input, whole_frames);
  if (whole_frames.size() != stream_frames.size()) __builtin_trap();
  for (std::size_t i = 0; i < whole_frames.size(); ++i) {
    const auto& a = whole_frames[i];
    const auto& b = stream_frames[i];
    if (a.kind != b.kind || a.text != b.text || a.bytes != b.bytes) __builtin_trap();
  }
  Calls calls;
  for (const auto* frames : {&stream_frames, &line_frames}) {
    for (const auto& frame : *frames) {
      if (frame.kind != voxd::jsonrpc::Frame::Kind::kMessage) continue;
      dispatcher.handle(calls, frame.text, check_reply);
      check_fast_reader(fast_reader, frame.text);
    }
  }
  return 0;
}
