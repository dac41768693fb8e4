// A worker loop (one per thread, owning its DEALER and control sockets): takes one request at a time
// from the broker, runs it through its RequestHandler, and sends the reply back through the broker.
#pragma once

#include <cstdint>
#include <string>

#include <zmq.hpp>

#include "handler.hpp"
#include "stats.hpp"

namespace voxd::daemon {

class Worker {
 public:
  Worker(zmq::context_t& context, std::uint32_t index, Services services, StatsShard& shard);
  // Connects, announces itself READY and serves until STOP arrives on the control socket.
  void run(const std::string& control_endpoint);

 private:
  void serve_one();
  static constexpr std::size_t kMaxGroup = 64;  // requests served and committed together (group commit)

  std::uint32_t index_;
  RequestHandler handler_;
  StatsShard& shard_;
  zmq::socket_t work_;
  zmq::socket_t control_;
  flatbuffers::FlatBufferBuilder builder_{64 * 1024};
};

}  // namespace voxd::daemon
