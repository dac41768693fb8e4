// Everything the daemon is configured with (command line or config file, see main.cpp for the flags).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "state_store.hpp"

namespace voxd::daemon {

// The smallest --max-reply-bytes: a sparse ReadBox page holds at least one whole 16^3 block (4,096 voxels of
// 16 bytes) plus the reply's envelope.
inline constexpr std::size_t kMinReplyBytes = 128ULL * 1024;

struct DaemonLimits {
  std::size_t max_message_bytes = 64ULL * 1024 * 1024;  // one request frame
  std::size_t max_reply_bytes = 8ULL * 1024 * 1024;     // one reply frame; larger reads are paged
  std::int64_t max_voxels_per_request = 16LL * 1024 * 1024;
  std::int64_t max_voxels_per_project = 256LL * 1024 * 1024;
  std::int64_t max_voxels_total = 1024LL * 1024 * 1024;
  std::size_t max_projects = 1024;
  std::size_t max_queued_requests = 100000;  // waiting in the broker over all clients; beyond: busy
  // Request bytes the daemon holds (waiting or running) before answering them; beyond: busy.
  std::size_t max_queued_bytes = 1ULL * 1024 * 1024 * 1024;        // over all clients
  std::size_t max_queued_bytes_per_client = 256ULL * 1024 * 1024;  // one client connection
  // Reply bytes waiting for one client that does not read them; beyond, its further replies are dropped.
  std::size_t max_unread_reply_bytes = 512ULL * 1024 * 1024;
  // Bytes (see docs/daemon.md, "Memory limits"): every growing request reserves its blocks before allocating.
  std::size_t max_project_bytes = 4ULL * 1024 * 1024 * 1024;  // one project, state plus undo history
  std::size_t max_memory_bytes = 0;                           // all projects; 0 = default_memory_limit()
  std::size_t max_history_bytes = 512ULL * 1024 * 1024;       // one project's undo history
};

// Who may connect (docs/security.md). Without a CURVE key pair, network endpoints need insecure_tcp.
struct SecurityConfig {
  std::string curve_secret_key;             // Z85; empty = no CURVE. tcp endpoints are CURVE servers with it
  std::string curve_public_key;             // Z85, derived from the secret key (printed at start)
  std::filesystem::path curve_clients_dir;  // one public certificate per allowed client; re-read on SIGHUP
  bool insecure_tcp = false;                // allow non-loopback tcp without CURVE
  int heartbeat_ms = 0;                     // ZMTP heartbeats so dead peers are dropped; 0 = off
  std::string admin_key;                    // Z85: this CURVE client may use and list every project
};

struct DaemonConfig {
  std::vector<std::string> endpoints;  // the first is the default ipc endpoint unless replaced
  std::filesystem::path root;          // files are read and written only below this directory
  unsigned workers = 4;
  DaemonLimits limits;
  std::chrono::milliseconds shutdown_grace{600};  // how long in-flight requests may finish on SIGTERM
  std::size_t pipeline_depth = 8;                 // requests of one project a worker may hold at once (scheduler.hpp)
  SecurityConfig security;
  std::size_t quick_max_voxels = 64;  // voxel requests up to this size may be served by the broker (quick_path.hpp)
  // The state store (durability.hpp); none when ephemeral.
  bool ephemeral = false;
  std::filesystem::path state_dir;
  store::SyncMode sync = store::SyncMode::normal;
  std::size_t checkpoint_every = 256;
  // Above this many bytes of projects in memory, idle ones leave it (the store keeps them); 0 = half of
  // max_memory_bytes.
  std::size_t max_resident_bytes = 0;  // journal records of a project between two checkpoints
};

}  // namespace voxd::daemon
