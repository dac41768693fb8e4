// The broker loop (runs on its own thread, owns its three sockets): receives client frames on the
// ROUTER frontend, checks and verifies them, schedules them to idle workers by project, forwards the
// workers' replies, and drains on a STOP from its control socket. Quick requests of an idle project it
// serves itself (quick_path.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <zmq.hpp>

#include "allowed_keys.hpp"
#include "config.hpp"
#include "handler.hpp"
#include "held_bytes.hpp"
#include "rate_limited_log.hpp"
#include "reply_backlog.hpp"
#include "scheduler.hpp"
#include "stats.hpp"
#include "voxd/core/error.hpp"

namespace voxd::daemon {

inline constexpr const char* kBackendEndpoint = "inproc://voxd-workers";
inline constexpr std::string_view kReady = "READY";
inline constexpr std::string_view kStop = "STOP";
inline constexpr std::string_view kStopped = "STOPPED";
// Replies ZeroMQ may queue for one client before the broker keeps the rest (reply_backlog.hpp).
inline constexpr int kUnreadRepliesInZmq = 64;

class Broker {
 public:
  // `keys` are the allowed CURVE client keys now (re-checked per request, see allowed_keys.hpp).
  Broker(zmq::context_t& context, Services services, StatsShard& shard, const AllowedKeys& keys);

  // Binds the frontend endpoints and the backend, connects the control socket. Returns the endpoints
  // as bound.
  [[nodiscard]] core::Result<std::vector<std::string>> bind(const std::string& control_endpoint);
  // Runs until STOP has been received and the in-flight requests finished (or the grace period passed).
  void run();

 private:
  struct Job {
    zmq::message_t client;
    bool req_style = false;  // REQ clients put an empty delimiter frame before the payload
    std::int64_t arrival_ns = 0;
    zmq::message_t payload;
    std::uint64_t id = 0;  // the request's, to answer it at shutdown
    std::string identity;  // the client's, as the ZAP handler named its connection
  };
  // A request handed to a worker and not yet answered: enough to answer it if the worker cannot.
  struct InFlight {
    std::string client;
    bool req_style = false;
    std::uint64_t id = 0;
    std::size_t bytes = 0;
  };

  void on_frontend();
  // False when the request comes over CURVE from a key no longer in --curve-clients (removed, then SIGHUP).
  bool still_allowed(const std::string& identity);
  void on_backend();
  void accept(std::vector<zmq::message_t> parts, std::size_t dropped);
  void dispatch();
  void feed(std::uint32_t worker);
  void send_to_worker(std::uint32_t worker, Job job);
  void serve_here(zmq::message_t client, bool req_style, std::int64_t arrival_ns, const std::string& identity,
                  const protocol::Request& request, std::span<const std::uint8_t> bytes);
  enum class SendResult { sent, full, gone };
  // Sends now, or queues behind the client's waiting replies; dropped (and counted) past
  // max_unread_reply_bytes or when the client is gone.
  void reply(zmq::message_t client, bool req_style, zmq::message_t payload);
  SendResult try_send(const std::string& client, bool req_style, zmq::message_t& payload);
  void flush_backlog();
  void refuse(zmq::message_t client, bool req_style, std::uint64_t id, const core::Error& error);
  void begin_stop();
  void answer_abandoned();
  void publish_queue_stats();

  [[maybe_unused]] zmq::context_t& context_;  // sockets are made from it in the constructor
  const DaemonConfig& config_;
  Stats& stats_;
  StatsShard& shard_;
  RequestHandler handler_;  // for the quick path
  flatbuffers::FlatBufferBuilder builder_{4096};
  zmq::socket_t frontend_;
  zmq::socket_t backend_;
  zmq::socket_t control_;
  KeyedScheduler<Job> scheduler_;
  std::vector<std::uint32_t> idle_workers_;
  std::vector<std::string> worker_keys_;                         // the key each busy worker works on ("" = idle)
  std::vector<std::deque<InFlight>> worker_jobs_;                // jobs each worker holds (all of its key), in order
  HeldBytes held_;                                               // request bytes waiting or running, per client
  ReplyBacklog backlog_;                                         // replies ZeroMQ could not take yet, per client
  absl::flat_hash_map<std::string, std::uint32_t> key_workers_;  // keys in flight -> their worker
  const AllowedKeys& keys_;
  std::shared_ptr<const AllowedKeys::Set> allowed_;  // keys_ as of allowed_generation_
  std::uint64_t allowed_generation_ = 0;
  RateLimitedLog refusals_;
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;
};

}  // namespace voxd::daemon
