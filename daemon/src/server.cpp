#include "server.hpp"

#include <spdlog/spdlog.h>

#include "broker.hpp"
#include "curve_keys.hpp"
#include "memory_limit.hpp"
#include "worker.hpp"

namespace voxd::daemon {

using core::make_error;

namespace {

core::WorkspaceLimits workspace_limits(const DaemonLimits& limits) {
  core::WorkspaceLimits result;
  result.max_projects = limits.max_projects;
  result.project.max_voxels = limits.max_voxels_per_project;
  result.project.max_voxels_per_operation = limits.max_voxels_per_request;
  result.project.max_project_bytes = limits.max_project_bytes;
  result.project.max_history_bytes = limits.max_history_bytes;
  return result;
}

DaemonConfig with_memory_default(DaemonConfig config) {
  if (config.limits.max_memory_bytes == 0) {
    config.limits.max_memory_bytes = default_memory_limit();
  }
  return config;
}

std::string control_endpoint(std::size_t loop) {
  return "inproc://voxd-control-" + std::to_string(loop);
}

bool await_ack(zmq::socket_t& control, std::chrono::steady_clock::time_point deadline) {
  std::array<zmq::pollitem_t, 1> items{{{control.handle(), 0, ZMQ_POLLIN, 0}}};
  const auto now = std::chrono::steady_clock::now();
  const auto wait =
      std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
  if (zmq::poll(items.data(), items.size(), wait) <= 0) {
    return false;
  }
  zmq::message_t ack;
  return control.recv(ack, zmq::recv_flags::dontwait) && ack.to_string_view() == kStopped;
}

}  // namespace

Server::Server(DaemonConfig config, RootDir root)
    : config_(with_memory_default(std::move(config))),
      root_(std::move(root)),
      workspace_(workspace_limits(config_.limits)),
      stats_(config_.workers + 1),
      budget_(config_.limits.max_voxels_total),
      memory_(config_.limits.max_memory_bytes, "max_memory_bytes"),
      owners_(config_.security.admin_key.empty() ? std::string() : "curve:" + config_.security.admin_key) {}

core::Result<std::unique_ptr<Server>> Server::start(DaemonConfig config, RootDir root) {
  if (config.workers == 0) {
    return core::make_error(core::ErrorCode::invalid_argument, "at least one worker is needed");
  }
  std::unique_ptr<Server> server(new Server(std::move(config), std::move(root)));
  Server& s = *server;
  const SecurityConfig& security = s.config_.security;
  if (!security.curve_clients_dir.empty()) {
    auto loaded = load_client_keys(security.curve_clients_dir);
    if (!loaded) {
      s.stopped_ = true;  // nothing to stop yet
      return std::move(loaded).error();
    }
    if (!loaded->problems.empty()) {
      s.stopped_ = true;
      // At start a bad file is an error: better no daemon than one that silently refuses a client.
      return core::make_error(core::ErrorCode::invalid_argument, "--curve-clients: " + loaded->problems.front());
    }
    spdlog::info("{} client key(s) allowed from {}", loaded->keys.size(), security.curve_clients_dir.string());
    s.keys_.replace(std::move(loaded->keys));
  }
  auto zap = ZapHandler::start(s.context_, security.curve_clients_dir, s.keys_, s.stats_.auth_refused);
  if (!zap) {
    s.stopped_ = true;
    return std::move(zap).error();
  }
  s.zap_ = std::move(zap).value();
  if (!s.config_.ephemeral) {
    auto store = store::StateStore::open(s.config_.state_dir, s.config_.sync);
    if (!store) {
      s.stopped_ = true;
      return std::move(store).error();
    }
    const std::size_t resident =
        s.config_.max_resident_bytes != 0 ? s.config_.max_resident_bytes : s.config_.limits.max_memory_bytes / 2;
    s.durability_ = std::make_unique<Durability>(std::move(store).value(), s.config_.checkpoint_every, resident);
    // Replayed through a handler like the workers', before any of them runs.
    RequestHandler replay(
        Services{s.workspace_, s.root_, s.config_, s.stats_, s.budget_, s.memory_, s.owners_, nullptr});
    if (core::Status recovered = s.durability_->recover(replay); !recovered) {
      s.stopped_ = true;
      return make_error(recovered.code(), recovered.error().message +
                                              "; start with another --state-dir (or --ephemeral) to leave it "
                                              "untouched, or move the store away");
    }
  }
  for (unsigned i = 0; i <= s.config_.workers; ++i) {
    zmq::socket_t control(s.context_, zmq::socket_type::pair);
    control.set(zmq::sockopt::linger, 0);
    control.bind(control_endpoint(i));
    s.controls_.push_back(std::move(control));
  }
  std::promise<core::Result<std::vector<std::string>>> bound;
  auto bound_future = bound.get_future();
  s.threads_.emplace_back([&s, &bound] { s.run_broker(control_endpoint(0), &bound); });
  auto endpoints = bound_future.get();
  if (!endpoints) {
    s.threads_.front().join();
    s.threads_.clear();
    s.stopped_ = true;
    return std::move(endpoints).error();
  }
  s.endpoints_ = std::move(endpoints).value();
  for (unsigned i = 0; i < s.config_.workers; ++i) {
    s.threads_.emplace_back([&s, i] { s.run_worker(i, control_endpoint(i + 1)); });
  }
  return server;
}

void Server::run_broker(std::string control, std::promise<core::Result<std::vector<std::string>>>* bound) {
  Broker broker(context_, Services{workspace_, root_, config_, stats_, budget_, memory_, owners_, durability_.get()},
                stats_.shard(config_.workers), keys_);
  auto endpoints = broker.bind(control);
  const bool ok = endpoints.ok();
  bound->set_value(std::move(endpoints));
  if (ok) {
    broker.run();
  }
}

void Server::run_worker(unsigned index, std::string control) {
  Worker worker(context_, index,
                Services{workspace_, root_, config_, stats_, budget_, memory_, owners_, durability_.get()},
                stats_.shard(index));
  worker.run(control);
}

bool Server::stop(std::chrono::steady_clock::time_point deadline) {
  if (stopped_) {
    return true;
  }
  stopped_ = true;
  stats_.accepting.store(false);
  bool on_time = true;
  // The broker first: it stops taking requests, waits for the running ones (grace period) and answers
  // those still running after it, so every client gets a reply.
  // Blocking sends: a loop whose thread has not connected its control socket yet (a heavily loaded machine)
  // gets its STOP when it does, instead of never.
  (void)controls_[0].send(zmq::buffer(kStop), zmq::send_flags::none);
  if (!await_ack(controls_[0], deadline)) {
    spdlog::warn("shutdown: the broker did not stop before the deadline; waiting for it");
    on_time = false;
  }
  for (std::size_t i = 1; i < controls_.size(); ++i) {
    (void)controls_[i].send(zmq::buffer(kStop), zmq::send_flags::none);
  }
  for (std::size_t i = 1; i < controls_.size(); ++i) {
    if (!await_ack(controls_[i], deadline)) {
      spdlog::warn("shutdown: worker {} is finishing a request past the deadline; waiting for it", i - 1);
      on_time = false;
    }
  }
  // Every thread is joined, late or not: a worker holds a project guard and its request's memory, and
  // leaving it running would mean destroying the workspace under it. Every request is bounded by the
  // limits, so the wait is too.
  for (std::thread& thread : threads_) {
    thread.join();
  }
  threads_.clear();
  controls_.clear();
  zap_.reset();  // after the frontend closed: no connection is ever accepted without its check
  context_.close();
  return on_time;
}

void Server::reload_clients() {
  if (zap_) {
    zap_->reload();
  }
}

Server::~Server() {
  if (!stopped_) {
    (void)stop(std::chrono::steady_clock::now() + config_.shutdown_grace + std::chrono::milliseconds(300));
  }
}

}  // namespace voxd::daemon
