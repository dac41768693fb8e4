#include "voxd_link.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "envelope.hpp"
#include "front_identity.hpp"
#include "tsan_handover.hpp"

namespace voxd::goxel {

VoxdLink::VoxdLink(zmq::context_t& context, const std::string& endpoint, std::chrono::milliseconds reply_timeout)
    : socket_(context, zmq::socket_type::dealer), reply_timeout_(reply_timeout) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.connect(endpoint);
}

void VoxdLink::send(const std::string& identity, std::uint64_t project, protocol::RequestBody type,
                    flatbuffers::Offset<void> body, OnReply on_reply) {
  const std::uint64_t id = next_id_++;
  builder_.Finish(protocol::CreateRequest(builder_, daemon::kProtocolVersion, id, project, type, body),
                  protocol::RequestIdentifier());
  pending_.emplace(id, Pending{std::move(on_reply), project});
  deadlines_.emplace_back(Clock::now() + reply_timeout_, id);
  const std::string named = std::string(daemon::kFrontIdentityMarker) + identity;
  socket_.send(zmq::const_buffer(named.data(), named.size()), zmq::send_flags::sndmore);
  // Copied here, not inside libzmq, so ThreadSanitizer sees the bytes handed to the broker (tsan_handover.hpp).
  zmq::message_t request(builder_.GetBufferPointer(), builder_.GetSize());
  daemon::tsan_release_before_send(request);
  socket_.send(request, zmq::send_flags::none);
  builder_.Clear();
}

void VoxdLink::drain() {
  zmq::message_t message;
  while (socket_.recv(message, zmq::recv_flags::dontwait)) {
    daemon::tsan_acquire_after_receive(message);
    flatbuffers::Verifier verifier(message.data<std::uint8_t>(), message.size());
    if (!verifier.VerifyBuffer<protocol::Response>(protocol::RequestIdentifier())) {
      spdlog::error("goxel front: the daemon sent a reply that does not verify");
      continue;
    }
    const auto* response = flatbuffers::GetRoot<protocol::Response>(message.data());
    const auto it = pending_.find(response->id());
    if (it == pending_.end()) continue;
    auto on_reply = std::move(it->second.on_reply);
    pending_.erase(it);
    on_reply(*response);
  }
}

long VoxdLink::next_expiry_ms(Clock::time_point now) {
  while (!deadlines_.empty() && !pending_.contains(deadlines_.front().second)) deadlines_.pop_front();
  if (deadlines_.empty()) return -1;
  const auto left = deadlines_.front().first - now;
  if (left <= Clock::duration::zero()) return 0;
  return static_cast<long>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

void VoxdLink::expire(Clock::time_point now) {
  while (!deadlines_.empty() && deadlines_.front().first <= now) {
    const std::uint64_t id = deadlines_.front().second;
    deadlines_.pop_front();
    const auto it = pending_.find(id);
    if (it == pending_.end()) continue;  // answered in time
    Pending pending = std::move(it->second);
    pending_.erase(it);
    flatbuffers::FlatBufferBuilder error;
    daemon::finish_error(error, id, pending.project,
                         core::Error{core::ErrorCode::busy, "voxd did not answer within --goxel-reply-timeout-ms (" +
                                                                std::to_string(reply_timeout_.count()) +
                                                                " ms); the call may or may not have taken effect"});
    pending.on_reply(*flatbuffers::GetRoot<protocol::Response>(error.GetBufferPointer()));
  }
}

}  // namespace voxd::goxel
