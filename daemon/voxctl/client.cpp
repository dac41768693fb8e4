#include "client.hpp"

#include <array>
#include <cstring>

#include "envelope.hpp"

namespace voxd::voxctl {

using core::ErrorCode;
using core::make_error;

Client::Client(const std::string& endpoint, std::chrono::milliseconds timeout, const ClientCurveKeys& curve)
    : endpoint_(endpoint), timeout_(timeout), socket_(context_, zmq::socket_type::dealer) {
  socket_.set(zmq::sockopt::linger, 0);
  if (!curve.server_key.empty()) {
    socket_.set(zmq::sockopt::curve_serverkey, curve.server_key);
    socket_.set(zmq::sockopt::curve_publickey, curve.public_key);
    socket_.set(zmq::sockopt::curve_secretkey, curve.secret_key);
  }
  socket_.connect(endpoint);
}

core::Result<Reply> Client::call(std::uint64_t project, protocol::RequestBody type, const BodyBuilder& body) {
  flatbuffers::FlatBufferBuilder builder(1024);
  const auto body_offset = body(builder);
  const std::uint64_t id = next_id_++;
  builder.Finish(protocol::CreateRequest(builder, daemon::kProtocolVersion, id, project, type, body_offset),
                 protocol::RequestIdentifier());
  if (!socket_.send(zmq::const_buffer(builder.GetBufferPointer(), builder.GetSize()), zmq::send_flags::dontwait)) {
    return make_error(ErrorCode::io, "cannot send to " + endpoint_);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    std::array<zmq::pollitem_t, 1> items{{{socket_.handle(), 0, ZMQ_POLLIN, 0}}};
    if (left.count() <= 0 || zmq::poll(items.data(), items.size(), left) <= 0) {
      return make_error(ErrorCode::io, "no answer from " + endpoint_ + " within " + std::to_string(timeout_.count()) +
                                           " ms (is voxd running? does it need --curve-server-key?)");
    }
    zmq::message_t frame;
    if (!socket_.recv(frame, zmq::recv_flags::dontwait)) {
      continue;
    }
    Reply reply;
    reply.bytes.assign(static_cast<const std::uint8_t*>(frame.data()),
                       static_cast<const std::uint8_t*>(frame.data()) + frame.size());
    flatbuffers::Verifier verifier(reply.bytes.data(), reply.bytes.size());
    if (!verifier.VerifyBuffer<protocol::Response>(protocol::RequestIdentifier())) {
      return make_error(ErrorCode::protocol, "the daemon's reply failed verification");
    }
    reply.response = flatbuffers::GetRoot<protocol::Response>(reply.bytes.data());
    if (reply.response->id() != id && reply.response->id() != 0) {
      continue;  // a late answer to an earlier request
    }
    if (reply.response->status() != protocol::Status::ok) {
      const auto* message = reply.response->message();
      return make_error(static_cast<ErrorCode>(reply.response->status()),
                        message != nullptr ? message->str() : std::string("request failed"));
    }
    return reply;
  }
}

}  // namespace voxd::voxctl
