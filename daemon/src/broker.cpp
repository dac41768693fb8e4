#include "broker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "endpoint_security.hpp"
#include "envelope.hpp"
#include "frames.hpp"
#include "front_identity.hpp"
#include "quick_path.hpp"
#include "serve.hpp"
#include "tsan_handover.hpp"
#include "zap_handler.hpp"

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

Broker::Broker(zmq::context_t& context, Services services, StatsShard& shard, const AllowedKeys& keys)
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
      worker_jobs_(services.config.workers),
      held_(services.config.limits.max_queued_bytes, services.config.limits.max_queued_bytes_per_client),
      backlog_(services.config.limits.max_unread_reply_bytes),
      keys_(keys),
      allowed_(keys.current()),
      allowed_generation_(keys.generation()) {}

core::Result<std::vector<std::string>> Broker::bind(const std::string& control_endpoint) {
  std::vector<std::string> bound;
  try {
    for (zmq::socket_t* socket : {&frontend_, &backend_, &control_}) {
      socket->set(zmq::sockopt::linger, 0);
    }
    // ZeroMQ drops frames over twice the limit before they reach us (and the connection with them);
    // up to that, the broker answers with an error naming the limit.
    frontend_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(config_.limits.max_message_bytes * 2));
    // Replies a client has not read yet: at most kUnreadRepliesInZmq in ZeroMQ's queue for it (so at most that
    // many times max_reply_bytes), the rest in the broker's backlog, bounded by max_unread_reply_bytes.
    // ROUTER_MANDATORY makes a full queue visible (EAGAIN) instead of dropping the reply silently.
    frontend_.set(zmq::sockopt::sndhwm, kUnreadRepliesInZmq);
    frontend_.set(zmq::sockopt::router_mandatory, true);
    frontend_.set(zmq::sockopt::rcvhwm, 100000);
    backend_.set(zmq::sockopt::sndhwm, 0);
    backend_.set(zmq::sockopt::rcvhwm, 0);
    const SecurityConfig& security = config_.security;
    if (security.heartbeat_ms > 0) {
      // A peer silent for three intervals is dropped, and told to drop us after as long.
      frontend_.set(zmq::sockopt::heartbeat_ivl, security.heartbeat_ms);
      frontend_.set(zmq::sockopt::heartbeat_timeout, 3 * security.heartbeat_ms);
      frontend_.set(zmq::sockopt::heartbeat_ttl, std::min(3 * security.heartbeat_ms, 6553599));
    }
    // The ZAP handler counts and logs the handshakes that fail before it is asked (zap_handler.hpp).
    if (zmq_socket_monitor(frontend_.handle(), kFrontendMonitorEndpoint,
                           ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) != 0) {
      throw zmq::error_t();
    }
    if (!security.curve_secret_key.empty()) {
      frontend_.set(zmq::sockopt::curve_secretkey, security.curve_secret_key);
    }
    for (const std::string& endpoint : config_.endpoints) {
      // Socket options are copied into each listener at bind time, so each endpoint gets its own mechanism
      // and ZAP domain: CURVE on tcp when a key is configured, NULL on ipc.
      const EndpointReach reach = endpoint_reach(endpoint);
      const bool curve = reach != EndpointReach::local && !security.curve_secret_key.empty();
      frontend_.set(zmq::sockopt::curve_server, curve);
      const std::string_view domain =
          curve ? kZapDomainCurve : (reach == EndpointReach::local ? kZapDomainLocal : kZapDomainPlain);
      frontend_.set(zmq::sockopt::zap_domain, domain);
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
    flush_backlog();
    // Waiting replies are retried at least every 10 ms (ZeroMQ has no per-client "writable" event).
    auto timeout = backlog_.empty() ? std::chrono::milliseconds(-1) : std::chrono::milliseconds(10);
    if (stopping_) {
      const auto now = std::chrono::steady_clock::now();
      if (in_flight_ == 0 || now >= stop_deadline_) {
        break;
      }
      const auto until_deadline =
          std::chrono::duration_cast<std::chrono::milliseconds>(stop_deadline_ - now) + std::chrono::milliseconds(1);
      timeout = timeout.count() < 0 ? until_deadline : std::min(timeout, until_deadline);
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
    answer_abandoned();
  }
  flush_backlog();  // what still cannot leave is lost with the connection
  const std::string_view ack = kStopped;
  control_.send(zmq::buffer(ack), zmq::send_flags::dontwait);
}

void Broker::begin_stop() {
  stopping_ = true;
  stats_.accepting.store(false);
  stop_deadline_ = std::chrono::steady_clock::now() + config_.shutdown_grace;
  std::vector<Job> waiting = scheduler_.take_all_waiting();
  publish_queue_stats();
  for (Job& job : waiting) {
    held_.release(job.client.to_string(), job.payload.size());
    refuse(std::move(job.client), job.req_style, job.id, make_error(ErrorCode::busy, "the daemon is shutting down"));
  }
  spdlog::info("shutting down: refused {} waiting request(s), {} still running", waiting.size(), in_flight_);
}

// The grace period is over and some requests are still running (or waiting in a worker's pipe): their
// clients get an answer now rather than none. The worker finishes the one it is running before it stops.
void Broker::answer_abandoned() {
  std::size_t answered = 0;
  for (std::deque<InFlight>& jobs : worker_jobs_) {
    for (InFlight& job : jobs) {
      refuse(zmq::message_t(job.client.data(), job.client.size()), job.req_style, job.id,
             make_error(ErrorCode::busy,
                        "the daemon is shutting down: this request was still running (or next in line) when the "
                        "grace period (--shutdown-grace-ms " +
                            std::to_string(config_.shutdown_grace.count()) +
                            ") ended; it may or may not have been applied"));
      held_.release(job.client, job.bytes);
      ++answered;
    }
    jobs.clear();
  }
  in_flight_ = 0;
  spdlog::warn("shutdown: answered {} request(s) still running after the grace period with busy", answered);
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

bool Broker::still_allowed(const std::string& identity) {
  if (!identity.starts_with("curve:")) {
    return true;
  }
  if (const std::uint64_t generation = keys_.generation(); generation != allowed_generation_) {
    allowed_ = keys_.current();
    allowed_generation_ = generation;
  }
  const std::string key(identity.substr(6));
  if (allowed_->contains(key)) {
    return true;
  }
  stats_.auth_refused.fetch_add(1, std::memory_order_relaxed);
  refusals_.warn("dropped a request from CURVE key " + key + ": it was removed from --curve-clients");
  return false;
}

void Broker::accept(std::vector<zmq::message_t> parts, std::size_t dropped) {
  const std::int64_t arrival_ns = now_ns();
  // The ZAP handler set "User-Id" when the connection was made; every frame from the peer carries it (read
  // before the payload may be copied below, which drops the properties).
  const char* user = parts.size() >= 2 ? zmq_msg_gets(parts.back().handle(), "User-Id") : nullptr;
  std::string identity = user != nullptr ? user : "";
  if (user == nullptr) {  // no ZAP metadata: an in-process front, which may name its client (front_identity.hpp)
    if (auto named = take_front_identity(parts)) identity = std::move(*named);
  }
  if (!still_allowed(identity)) {
    return;  // no answer, as to a connection refused at its handshake
  }
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
    serve_here(std::move(client), req_style, arrival_ns, identity, *verified->request, bytes_of(payload));
    return;
  }
  const std::string client_key = client.to_string();
  if (auto over = held_.hold(client_key, payload.size())) {
    shard_.record_busy();
    refuse(std::move(client), req_style, id, make_error(ErrorCode::busy, *over));
    return;
  }
  const std::size_t bytes = payload.size();
  Job job{std::move(client), req_style, arrival_ns, std::move(payload), id, std::move(identity)};
  if (!scheduler_.push(key, job)) {
    held_.release(client_key, bytes);
    shard_.record_busy();
    refuse(std::move(job.client), req_style, id,
           make_error(ErrorCode::busy, "max_queued_requests (" + std::to_string(config_.limits.max_queued_requests) +
                                           ") requests are waiting; retry later"));
    return;
  }
  publish_queue_stats();
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
  publish_queue_stats();
}

void Broker::feed(std::uint32_t worker) {
  while (auto job = scheduler_.next_of(worker_keys_[worker])) {
    send_to_worker(worker, std::move(*job));
  }
  publish_queue_stats();
}

void Broker::send_to_worker(std::uint32_t worker, Job job) {
  ++in_flight_;
  worker_jobs_[worker].push_back(InFlight{job.client.to_string(), job.req_style, job.id, job.payload.size()});
  std::array<zmq::message_t, 6> parts{message_of(worker),
                                      std::move(job.client),
                                      zmq::message_t(job.req_style ? "R" : "D", 1),
                                      message_of(job.arrival_ns),
                                      zmq::message_t(job.identity.data(), job.identity.size()),
                                      std::move(job.payload)};
  send_parts(backend_, parts);
}

void Broker::serve_here(zmq::message_t client, bool req_style, std::int64_t arrival_ns, const std::string& identity,
                        const protocol::Request& request, std::span<const std::uint8_t> bytes) {
  serve_request(handler_, request, bytes, identity, arrival_ns, shard_, builder_);
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
    } else if (parts.size() == 4 && !worker_jobs_[worker].empty()) {
      // [worker][client][style][reply]; a worker answers its jobs in the order it got them.
      scheduler_.done(worker_keys_[worker]);
      --in_flight_;
      const InFlight& done = worker_jobs_[worker].front();
      held_.release(done.client, done.bytes);
      worker_jobs_[worker].pop_front();
      publish_queue_stats();
      reply(std::move(parts[1]), parts[2].to_string_view() == "R", std::move(parts[3]));
      if (worker_jobs_[worker].empty()) {
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

void Broker::publish_queue_stats() {
  stats_.queued.store(scheduler_.queued());
  stats_.held_request_bytes.store(held_.total());
}

Broker::SendResult Broker::try_send(const std::string& client, bool req_style, zmq::message_t& payload) {
  try {
    // ROUTER_MANDATORY checks the client's queue on the first frame; once it is taken, the rest follow.
    zmq::message_t identity(client.data(), client.size());
    if (!frontend_.send(identity, zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      return SendResult::full;
    }
    if (req_style) {
      zmq::message_t delimiter;
      (void)frontend_.send(delimiter, zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    }
    tsan_release_before_send(payload);
    (void)frontend_.send(payload, zmq::send_flags::dontwait);
    return SendResult::sent;
  } catch (const zmq::error_t& e) {  // EHOSTUNREACH: the client has gone away
    spdlog::debug("reply dropped: {}", e.what());
    return SendResult::gone;
  }
}

void Broker::reply(zmq::message_t client, bool req_style, zmq::message_t payload) {
  const std::string key = client.to_string();
  if (!backlog_.waiting(key)) {
    const SendResult result = try_send(key, req_style, payload);
    if (result == SendResult::sent) {
      return;
    }
    if (result == SendResult::gone) {
      shard_.record_dropped_reply();
      return;
    }
  }
  if (!backlog_.push(key, ReplyBacklog::Reply{req_style, std::move(payload)})) {
    shard_.record_dropped_reply();
    spdlog::debug("reply dropped: the client's unread replies already hold max_unread_reply_bytes");
  }
}

void Broker::flush_backlog() {
  backlog_.flush([this](const std::string& client, ReplyBacklog::Reply& waiting) {
    const SendResult result = try_send(client, waiting.req_style, waiting.payload);
    if (result == SendResult::gone) {
      shard_.record_dropped_reply();
    }
    return result != SendResult::full;
  });
}

void Broker::refuse(zmq::message_t client, bool req_style, std::uint64_t id, const core::Error& error) {
  flatbuffers::FlatBufferBuilder builder(256);
  finish_error(builder, id, 0, error);
  reply(std::move(client), req_style, zmq::message_t(builder.GetBufferPointer(), builder.GetSize()));
  spdlog::debug("refused request {}: {}", id, error.message);
}

}  // namespace voxd::daemon
