#include "worker.hpp"

#include <array>

#include "broker.hpp"
#include "envelope.hpp"
#include "frames.hpp"
#include "serve.hpp"

namespace voxd::daemon {

Worker::Worker(zmq::context_t& context, std::uint32_t index, Services services, StatsShard& shard)
    : index_(index),
      handler_(services),
      shard_(shard),
      work_(context, zmq::socket_type::dealer),
      control_(context, zmq::socket_type::pair) {}

void Worker::run(const std::string& control_endpoint) {
  work_.set(zmq::sockopt::linger, 0);
  control_.set(zmq::sockopt::linger, 0);
  work_.set(zmq::sockopt::routing_id, zmq::const_buffer(&index_, sizeof(index_)));
  work_.set(zmq::sockopt::sndhwm, 0);
  work_.set(zmq::sockopt::rcvhwm, 0);
  work_.connect(kBackendEndpoint);
  control_.connect(control_endpoint);
  work_.send(zmq::buffer(kReady), zmq::send_flags::dontwait);
  while (true) {
    std::array<zmq::pollitem_t, 2> items{{
        {work_.handle(), 0, ZMQ_POLLIN, 0},
        {control_.handle(), 0, ZMQ_POLLIN, 0},
    }};
    zmq::poll(items.data(), items.size(), std::chrono::milliseconds(-1));
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      zmq::message_t command;
      if (control_.recv(command, zmq::recv_flags::dontwait) && command.to_string_view() == kStop) {
        break;
      }
    }
    if ((items[0].revents & ZMQ_POLLIN) != 0) {
      serve_one();
    }
  }
  control_.send(zmq::buffer(kStopped), zmq::send_flags::dontwait);
}

void Worker::serve_one() {
  // [client][style][arrival][identity][payload], verified by the broker.
  std::vector<zmq::message_t> parts = receive_parts(work_, 5);
  if (parts.size() != 5) {
    return;
  }
  serve_request(handler_, *protocol::GetRequest(parts[4].data()), bytes_of(parts[4]), parts[3].to_string_view(),
                value_of<std::int64_t>(parts[2]), shard_, builder_);
  std::array<zmq::message_t, 3> reply{std::move(parts[0]), std::move(parts[1]),
                                      zmq::message_t(builder_.GetBufferPointer(), builder_.GetSize())};
  send_parts(work_, reply);
  trim_builder(builder_);
}

}  // namespace voxd::daemon
