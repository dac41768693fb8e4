#include "broker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "envelope.hpp"
#include "frames.hpp"
#include "quick_path.hpp"
#include "serve.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;

namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Requests naming a project are ordered per project; the others per client connection.
std::string scheduling_key(std::uint64_t project, const zmq::message_t& client) {
  std::string key(1, project != 0 ? 'p' : 'c');
  if (project != 0) {
    key.append(reinterpret_cast<const char*>(&project), sizeof(project));  // NOLINT: bytes of an integer
  } else {
    key.append(static_cast<const char*>(client.data()), client.size());
  }
  return key;
}

}  // namespace

Broker::Broker(zmq::context_t& context, Services services, StatsShard& shard)
    : context_(context),
      config_(services.config),
      stats_(services.stats),
      shard_(shard),
      handler_(services),
      frontend_(context, zmq::socket_type::router),
      backend_(context, zmq::socket_type::router),
      control_(context, zmq::socket_type::pair),
      scheduler_(services.config.limits.max_queued_requests, services.config.pipeline_depth),
      worker_keys_(services.config.workers),
      worker_jobs_(services.config.workers, 0) {}

core::Result<std::vector<std::string>> Broker::bind(const std::string& control_endpoint) {
  std::vector<std::string> bound;
  try {
    for (zmq::socket_t* socket : {&frontend_, &backend_, &control_}) {
      socket->set(zmq::sockopt::linger, 0);
    }
    // ZeroMQ drops frames over twice the limit before they reach us (and the connection with them);
    // up to that, the broker answers with an error naming the limit.
    frontend_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(config_.limits.max_message_bytes * 2));
    frontend_.set(zmq::sockopt::sndhwm, 100000);
    frontend_.set(zmq::sockopt::rcvhwm, 100000);
    backend_.set(zmq::sockopt::sndhwm, 0);
    backend_.set(zmq::sockopt::rcvhwm, 0);
    for (const std::string& endpoint : config_.endpoints) {
      frontend_.bind(endpoint);
      bound.push_back(frontend_.get(zmq::sockopt::last_endpoint));
    }
    backend_.bind(kBackendEndpoint);
    control_.connect(control_endpoint);
  } catch (const zmq::error_t& e) {
    const std::string endpoint = bound.size() < config_.endpoints.size() ? config_.endpoints[bound.size()] : "";
    return make_error(ErrorCode::io, "cannot listen on " + endpoint + ": " + e.what());
  }
  return bound;
}

void Broker::run() {
  while (true) {
    std::array<zmq::pollitem_t, 3> items{{
        {frontend_.handle(), 0, ZMQ_POLLIN, 0},
        {backend_.handle(), 0, ZMQ_POLLIN, 0},
        {control_.handle(), 0, ZMQ_POLLIN, 0},
    }};
    auto timeout = std::chrono::milliseconds(-1);
    if (stopping_) {
      const auto now = std::chrono::steady_clock::now();
      if (in_flight_ == 0 || now >= stop_deadline_) {
        break;
      }
      timeout =
          std::chrono::duration_cast<std::chrono::milliseconds>(stop_deadline_ - now) + std::chrono::milliseconds(1);
    }
    zmq::poll(items.data(), items.size(), timeout);
    if ((items[2].revents & ZMQ_POLLIN) != 0) {
      zmq::message_t command;
      if (control_.recv(command, zmq::recv_flags::dontwait) && command.to_string_view() == kStop) {
        begin_stop();
      }
    }
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      on_backend();
    }
    if ((items[0].revents & ZMQ_POLLIN) != 0) {
      on_frontend();
    }
  }
  if (in_flight_ > 0) {
    spdlog::warn("shutdown: {} request(s) still running after the grace period; their replies are lost", in_flight_);
  }
  const std::string_view ack = kStopped;
  control_.send(zmq::buffer(ack), zmq::send_flags::dontwait);
}

void Broker::begin_stop() {
  stopping_ = true;
  stats_.accepting.store(false);
  stop_deadline_ = std::chrono::steady_clock::now() + config_.shutdown_grace;
  std::vector<Job> waiting = scheduler_.take_all_waiting();
  stats_.queued.store(0);
  for (Job& job : waiting) {
    refuse(std::move(job.client), job.req_style, salvage_request_id(bytes_of(job.payload)),
           make_error(ErrorCode::busy, "the daemon is shutting down"));
  }
  spdlog::info("shutting down: refused {} waiting request(s), {} still running", waiting.size(), in_flight_);
}

void Broker::on_frontend() {
  // A bounded batch per wakeup keeps the backend (replies) from starving under a flood of requests.
  for (int i = 0; i < 256; ++i) {
    std::size_t dropped = 0;
    std::vector<zmq::message_t> parts = receive_parts(frontend_, 4, &dropped);
    if (parts.empty()) {
      return;
    }
    accept(std::move(parts), dropped);
  }
}

void Broker::accept(std::vector<zmq::message_t> parts, std::size_t dropped) {
  const std::int64_t arrival_ns = now_ns();
  // ROUTER prepends the client's identity. DEALER clients then send [payload]; REQ clients ["", payload].
  const bool req_style = parts.size() == 3 && parts[1].size() == 0;
  const bool well_framed = dropped == 0 && (parts.size() == 2 || req_style);
  if (!well_framed) {
    shard_.record_malformed();
    const std::size_t frames = parts.size() - 1 + dropped;
    refuse(std::move(parts[0]), req_style, 0,
           make_error(ErrorCode::protocol, "expected one frame holding one request, got " + std::to_string(frames)));
    return;
  }
  zmq::message_t client = std::move(parts[0]);
  zmq::message_t payload = std::move(parts.back());
  if (payload.size() > config_.limits.max_message_bytes) {
    shard_.record_malformed();
    refuse(std::move(client), req_style, 0,
           make_error(ErrorCode::limit_exceeded, "the request is " + std::to_string(payload.size()) +
                                                     " bytes, over max_message_bytes (" +
                                                     std::to_string(config_.limits.max_message_bytes) + ")"));
    return;
  }
  if (!is_aligned(payload)) {
    // ZeroMQ may hand out frames inside its receive buffer; FlatBuffers wants aligned scalars.
    zmq::message_t copy(payload.data(), payload.size());
    payload = std::move(copy);
  }
  auto verified = verify_request(bytes_of(payload));
  if (!verified) {
    shard_.record_malformed();
    refuse(std::move(client), req_style, salvage_request_id(bytes_of(payload)), verified.error());
    return;
  }
  const std::uint64_t id = verified->request->id();
  if (stopping_) {
    shard_.record_busy();
    refuse(std::move(client), req_style, id, make_error(ErrorCode::busy, "the daemon is shutting down"));
    return;
  }
  const std::string key = scheduling_key(verified->request->project(), client);
  if (is_quick_request(*verified->request, config_.quick_max_voxels) && scheduler_.idle(key)) {
    serve_here(std::move(client), req_style, arrival_ns, *verified->request);
    return;
  }
  Job job{std::move(client), req_style, arrival_ns, std::move(payload)};
  if (!scheduler_.push(key, job)) {
    shard_.record_busy();
    refuse(std::move(job.client), req_style, id,
           make_error(ErrorCode::busy, "max_queued_requests (" + std::to_string(config_.limits.max_queued_requests) +
                                           ") requests are waiting; retry later"));
    return;
  }
  stats_.queued.store(scheduler_.queued());
  if (auto running = key_workers_.find(key); running != key_workers_.end()) {
    feed(running->second);  // pipelined behind the same project's running requests
  } else {
    dispatch();
  }
}

void Broker::dispatch() {
  while (!idle_workers_.empty()) {
    auto next = scheduler_.next();
    if (!next) {
      break;
    }
    const std::uint32_t worker = idle_workers_.back();
    idle_workers_.pop_back();
    key_workers_[next->first] = worker;
    worker_keys_[worker] = std::move(next->first);
    send_to_worker(worker, std::move(next->second));
    feed(worker);
  }
  stats_.queued.store(scheduler_.queued());
}

void Broker::feed(std::uint32_t worker) {
  while (auto job = scheduler_.next_of(worker_keys_[worker])) {
    send_to_worker(worker, std::move(*job));
  }
  stats_.queued.store(scheduler_.queued());
}

void Broker::send_to_worker(std::uint32_t worker, Job job) {
  ++in_flight_;
  ++worker_jobs_[worker];
  std::array<zmq::message_t, 5> parts{message_of(worker), std::move(job.client),
                                      zmq::message_t(job.req_style ? "R" : "D", 1), message_of(job.arrival_ns),
                                      std::move(job.payload)};
  send_parts(backend_, parts);
}

void Broker::serve_here(zmq::message_t client, bool req_style, std::int64_t arrival_ns,
                        const protocol::Request& request) {
  serve_request(handler_, request, arrival_ns, shard_, builder_);
  reply(std::move(client), req_style, zmq::message_t(builder_.GetBufferPointer(), builder_.GetSize()));
  trim_builder(builder_);
}

void Broker::on_backend() {
  while (true) {
    std::vector<zmq::message_t> parts = receive_parts(backend_, 4);
    if (parts.empty()) {
      return;
    }
    const auto worker = value_of<std::uint32_t>(parts[0]);
    if (worker >= worker_keys_.size()) {
      continue;
    }
    if (parts.size() == 2 && parts[1].to_string_view() == kReady) {
      idle_workers_.push_back(worker);
    } else if (parts.size() == 4 && worker_jobs_[worker] > 0) {
      // [worker][client][style][reply]
      scheduler_.done(worker_keys_[worker]);
      --in_flight_;
      reply(std::move(parts[1]), parts[2].to_string_view() == "R", std::move(parts[3]));
      if (--worker_jobs_[worker] == 0) {
        key_workers_.erase(worker_keys_[worker]);
        worker_keys_[worker].clear();
        idle_workers_.push_back(worker);
      } else if (!stopping_) {
        feed(worker);
      }
    }
    if (!stopping_) {
      dispatch();
    }
  }
}

void Broker::reply(zmq::message_t client, bool req_style, zmq::message_t payload) {
  if (req_style) {
    std::array<zmq::message_t, 3> parts{std::move(client), zmq::message_t(), std::move(payload)};
    send_parts(frontend_, parts);
  } else {
    std::array<zmq::message_t, 2> parts{std::move(client), std::move(payload)};
    send_parts(frontend_, parts);
  }
}

void Broker::refuse(zmq::message_t client, bool req_style, std::uint64_t id, const core::Error& error) {
  flatbuffers::FlatBufferBuilder builder(256);
  finish_error(builder, id, 0, error);
  reply(std::move(client), req_style, zmq::message_t(builder.GetBufferPointer(), builder.GetSize()));
  spdlog::debug("refused request {}: {}", id, error.message);
}

}  // namespace voxd::daemon
