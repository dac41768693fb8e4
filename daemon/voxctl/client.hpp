// A synchronous client of the daemon for voxctl: one DEALER socket, one request at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include <zmq.hpp>

#include "voxd/core/error.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::voxctl {

// A verified response; `response` points into `bytes`.
struct Reply {
  std::vector<std::uint8_t> bytes;
  const protocol::Response* response = nullptr;
};

// CURVE keys (Z85) for a daemon whose tcp endpoints require them (docs/security.md); empty = none.
struct ClientCurveKeys {
  std::string server_key;  // the daemon's public key
  std::string public_key;  // this client's key pair
  std::string secret_key;
};

class Client {
 public:
  Client(const std::string& endpoint, std::chrono::milliseconds timeout, const ClientCurveKeys& curve = {});

  using BodyBuilder = std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder&)>;
  // Sends one request and waits for its response. An error when the daemon does not answer in time,
  // the reply is malformed, or the status is not ok (the daemon's message then is the error's).
  [[nodiscard]] core::Result<Reply> call(std::uint64_t project, protocol::RequestBody type, const BodyBuilder& body);

 private:
  std::string endpoint_;
  std::chrono::milliseconds timeout_;
  zmq::context_t context_;
  zmq::socket_t socket_;
  std::uint64_t next_id_ = 1;
};

}  // namespace voxd::voxctl
