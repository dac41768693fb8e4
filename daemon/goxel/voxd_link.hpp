// The Goxel front's connection to the daemon's own request path: a DEALER socket on the broker's in-process
// endpoint (the broker binds it beside its other frontends, in the same ZeroMQ context). Every translated call
// is a protocol Request with its own id; replies come back in any order and are matched by id, so many calls
// are in flight at once and the broker applies ordering, limits, stats and the quick path as for any client.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <flatbuffers/flatbuffers.h>
#include <zmq.hpp>

#include "voxd/protocol/voxd_generated.h"

namespace voxd::goxel {

inline constexpr const char* kFrontEndpoint = "inproc://voxd-goxel-front";

class VoxdLink {
 public:
  using OnReply = std::function<void(const protocol::Response&)>;
  using Clock = std::chrono::steady_clock;

  // A call unanswered after `reply_timeout` is answered with an error naming --goxel-reply-timeout-ms: the broker
  // can drop a reply (the front's unread replies past --max-unread-reply-bytes), and the goxel client would
  // otherwise wait for ever. A reply arriving later is ignored.
  VoxdLink(zmq::context_t& context, const std::string& endpoint, std::chrono::milliseconds reply_timeout);

  // The builder to build a request body in; send() finishes and sends it, then clears it.
  [[nodiscard]] flatbuffers::FlatBufferBuilder& builder() { return builder_; }
  // `identity` names the caller to the broker (front_identity.hpp) for ownership and --root-per-client.
  void send(const std::string& identity, std::uint64_t project, protocol::RequestBody type,
            flatbuffers::Offset<void> body, OnReply on_reply);

  [[nodiscard]] zmq::socket_t& socket() { return socket_; }
  // Reads every waiting reply and runs its callback.
  void drain();
  [[nodiscard]] std::size_t in_flight() const { return pending_.size(); }

  // How long the poll loop may sleep before expire() has work: -1 (no call in flight) or milliseconds, rounded up.
  [[nodiscard]] long next_expiry_ms(Clock::time_point now);
  // Answers every call whose reply_timeout has passed at `now` with that error.
  void expire(Clock::time_point now);

 private:
  struct Pending {
    OnReply on_reply;
    std::uint64_t project = 0;
  };
  zmq::socket_t socket_;
  std::chrono::milliseconds reply_timeout_;
  flatbuffers::FlatBufferBuilder builder_{1024};
  std::uint64_t next_id_ = 1;
  absl::flat_hash_map<std::uint64_t, Pending> pending_;
  // (deadline, id) in the order sent, so deadlines only grow; answered ids are skipped when they come up.
  std::deque<std::pair<Clock::time_point, std::uint64_t>> deadlines_;
};

}  // namespace voxd::goxel
