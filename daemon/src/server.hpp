// The voxd server: a broker thread with the ROUTER frontend, N worker threads each owning its DEALER
// socket (zguide's asyncsrv / Majordomo shape), and a control PAIR socket per loop for shutdown.
//
//   clients --(DEALER/REQ)--> ROUTER frontend [broker] ROUTER backend <--DEALER-- worker 1..N
//
// The broker verifies every frame (frame count, size, FlatBuffers Verifier) before it reads a field,
// answers malformed ones itself, and hands requests to idle workers through a KeyedScheduler: one
// project's requests run one at a time in arrival order; different projects run in parallel.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "config.hpp"
#include "durability.hpp"
#include "project_owners.hpp"
#include "root_dir.hpp"
#include "stats.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/workspace.hpp"
#include "voxel_budget.hpp"
#include "zap_handler.hpp"

namespace voxd::daemon {

class Server {
 public:
  // Opens the state store and restores its projects (unless ephemeral), binds every endpoint and starts
  // the threads; an error if the store cannot be used or any endpoint cannot be bound.
  [[nodiscard]] static core::Result<std::unique_ptr<Server>> start(DaemonConfig config, RootDir root);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  Server(Server&&) = delete;
  Server& operator=(Server&&) = delete;
  // Stops if still running (waits for a running request to finish; never calls std::terminate).
  ~Server();

  // The endpoints actually bound (a tcp port 0 resolved to the port chosen).
  [[nodiscard]] const std::vector<std::string>& endpoints() const noexcept { return endpoints_; }
  // In-process fronts (the Goxel front) connect to an inproc:// endpoint of the broker through this context.
  [[nodiscard]] zmq::context_t& context() noexcept { return context_; }

  // Stops accepting, refuses waiting requests with busy, lets in-flight ones finish within the grace
  // period and answers those still running after it with busy, stops every loop, joins every thread
  // (waiting for a request that is still running) and closes the context. Returns false if that took
  // past `deadline`.
  [[nodiscard]] bool stop(std::chrono::steady_clock::time_point deadline);

  // Re-reads --curve-clients (SIGHUP): connections made from then on are checked against the new keys.
  void reload_clients();

 private:
  Server(DaemonConfig config, RootDir root);
  void run_broker(std::string control_endpoint, std::promise<core::Result<std::vector<std::string>>>* bound);
  void run_worker(unsigned index, std::string control_endpoint);

  DaemonConfig config_;
  RootDir root_;
  core::Workspace workspace_;
  Stats stats_;
  VoxelBudget budget_;
  core::MemoryBudget memory_;               // bytes of every project together (--max-memory-bytes)
  ProjectOwners owners_;                    // who created/opened each project; --admin-key sees all
  AllowedKeys keys_;                        // --curve-clients as loaded last (the ZAP handler replaces it on SIGHUP)
  std::unique_ptr<Durability> durability_;  // null with --ephemeral
  zmq::context_t context_;
  std::vector<zmq::socket_t> controls_;  // [0] talks to the broker, [1 + i] to worker i
  std::vector<std::thread> threads_;     // [0] broker, [1 + i] worker i
  std::unique_ptr<ZapHandler> zap_;      // before the broker binds, stopped after it; sockets close before context_
  std::vector<std::string> endpoints_;
  bool stopped_ = false;
};

}  // namespace voxd::daemon
