#include "worker.hpp"

#include <array>

#include "broker.hpp"
#include "durability.hpp"
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
  std::vector<std::vector<zmq::message_t>> jobs;
  jobs.push_back(receive_parts(work_, 5));
  Durability* durability = handler_.services().durability;
  // Group commit: the requests already waiting (pipelined by the broker) are served together, their
  // journal records committed in one transaction, and only then answered.
  while (durability != nullptr && jobs.size() < kMaxGroup && (work_.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0) {
    jobs.push_back(receive_parts(work_, 5));
  }
  CommitGroup group;
  std::vector<zmq::message_t> replies(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    std::vector<zmq::message_t>& parts = jobs[i];
    if (parts.size() != 5) {
      continue;
    }
    group.index = i;
    serve_request(handler_, *protocol::GetRequest(parts[4].data()), bytes_of(parts[4]), parts[3].to_string_view(),
                  value_of<std::int64_t>(parts[2]), shard_, builder_, durability != nullptr ? &group : nullptr);
    replies[i] = zmq::message_t(builder_.GetBufferPointer(), builder_.GetSize());
    trim_builder(builder_);
  }
  if (durability != nullptr) {
    durability->flush(&group, handler_);
    for (const std::size_t i : group.failed) {
      const protocol::Request& request = *protocol::GetRequest(jobs[i][4].data());
      builder_.Clear();
      finish_error(builder_, request.id(), request.project(), group.error);
      replies[i] = zmq::message_t(builder_.GetBufferPointer(), builder_.GetSize());
    }
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i].size() != 5) {
      continue;
    }
    std::array<zmq::message_t, 3> reply{std::move(jobs[i][0]), std::move(jobs[i][1]), std::move(replies[i])};
    send_parts(work_, reply);
  }
}

}  // namespace voxd::daemon
