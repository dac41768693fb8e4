// The Goxel front's connection to the daemon's own request path: a DEALER socket on the broker's in-process
// endpoint (the broker binds it beside its other frontends, in the same ZeroMQ context). Every translated call
// is a protocol Request with its own id; replies come back in any order and are matched by id, so many calls
// are in flight at once and the broker applies ordering, limits, stats and the quick path as for any client.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <absl/container/flat_hash_map.h>
#include <flatbuffers/flatbuffers.h>
#include <zmq.hpp>

#include "voxd/protocol/voxd_generated.h"

namespace voxd::goxel {

inline constexpr const char* kFrontEndpoint = "inproc://voxd-goxel-front";

class VoxdLink {
 public:
  using OnReply = std::function<void(const protocol::Response&)>;

  VoxdLink(zmq::context_t& context, const std::string& endpoint);

  // The builder to build a request body in; send() finishes and sends it, then clears it.
  [[nodiscard]] flatbuffers::FlatBufferBuilder& builder() { return builder_; }
  // `identity` names the caller to the broker (front_identity.hpp) for ownership and --root-per-client.
  void send(const std::string& identity, std::uint64_t project, protocol::RequestBody type,
            flatbuffers::Offset<void> body, OnReply on_reply);

  [[nodiscard]] zmq::socket_t& socket() { return socket_; }
  // Reads every waiting reply and runs its callback.
  void drain();
  [[nodiscard]] std::size_t in_flight() const { return pending_.size(); }

 private:
  zmq::socket_t socket_;
  flatbuffers::FlatBufferBuilder builder_{1024};
  std::uint64_t next_id_ = 1;
  absl::flat_hash_map<std::uint64_t, OnReply> pending_;
};

}  // namespace voxd::goxel
