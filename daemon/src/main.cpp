// voxd: the daemon's entry point. Parses the configuration, binds, then waits for SIGTERM/SIGINT (stop) and
// SIGHUP (re-read --curve-clients) with sigwait() on the main thread: the signals are blocked in every thread
// (the mask is inherited), so no handler and no global flag is needed.
#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigwait is POSIX
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include <zmq.hpp>

#include "../common/endpoint.hpp"
#include "config.hpp"
#include "curve_keys.hpp"
#include "endpoint_security.hpp"
#include "envelope.hpp"
#include "front.hpp"
#include "sd_notify.hpp"
#include "server.hpp"
#include "voxd_link.hpp"

namespace {

namespace fs = std::filesystem;
using voxd::daemon::DaemonConfig;
using voxd::daemon::kMinReplyBytes;

fs::path default_root() {
  const char* data_home = std::getenv("XDG_DATA_HOME");  // NOLINT(concurrency-mt-unsafe): before threads
  if (data_home != nullptr && data_home[0] == '/') {
    return fs::path(data_home) / "voxd";
  }
  const char* home = std::getenv("HOME");  // NOLINT(concurrency-mt-unsafe)
  if (home != nullptr && home[0] == '/') {
    return fs::path(home) / ".local/share/voxd";
  }
  return fs::current_path() / "voxd-data";
}

fs::path default_state_dir() {
  const char* state_home = std::getenv("XDG_STATE_HOME");  // NOLINT(concurrency-mt-unsafe): before threads
  if (state_home != nullptr && state_home[0] == '/') {
    return fs::path(state_home) / "voxd";
  }
  const char* home = std::getenv("HOME");  // NOLINT(concurrency-mt-unsafe)
  if (home != nullptr && home[0] == '/') {
    return fs::path(home) / ".local/state/voxd";
  }
  return fs::current_path() / "voxd-state";
}

unsigned default_workers() {
  return std::clamp(std::thread::hardware_concurrency(), 2U, 8U);
}

// True if a daemon already answers on `endpoint` (so we must not steal its socket file).
bool daemon_answers(const std::string& endpoint) {
  zmq::context_t context;
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  flatbuffers::FlatBufferBuilder builder;
  const auto ping = voxd::protocol::CreatePing(builder);
  builder.Finish(voxd::protocol::CreateRequest(builder, voxd::daemon::kProtocolVersion, 1, 0,
                                               voxd::protocol::RequestBody::Ping, ping.Union()),
                 voxd::protocol::RequestIdentifier());
  socket.send(zmq::const_buffer(builder.GetBufferPointer(), builder.GetSize()), zmq::send_flags::dontwait);
  std::array<zmq::pollitem_t, 1> items{{{socket.handle(), 0, ZMQ_POLLIN, 0}}};
  return zmq::poll(items.data(), items.size(), std::chrono::milliseconds(300)) > 0;
}

}  // namespace

int main(int argc, char** argv) {
  DaemonConfig config;
  std::string endpoint = voxd::daemon::default_endpoint();
  std::vector<std::string> listen;
  std::string root = default_root().string();
  std::string state_dir = default_state_dir().string();
  std::string sync = "normal";
  std::string log_level = "info";
  long long grace_ms = config.shutdown_grace.count();
  config.workers = default_workers();
  auto& limits = config.limits;

  CLI::App app{"voxd " VOXD_VERSION " - the voxel-editing daemon (ZeroMQ + FlatBuffers, see docs/daemon.md)"};
  app.option_defaults()->always_capture_default();
  app.set_config("--config", "", "Read options from this TOML/INI file (keys are the long option names)");
  app.set_version_flag("--version", VOXD_VERSION);
  app.add_option("--endpoint", endpoint,
                 "Main endpoint; the default ipc:// socket lives in a private (0700) runtime directory, "
                 "$XDG_RUNTIME_DIR/voxd or /tmp/voxd-$UID");
  app.add_option("--listen", listen, "Additional endpoints, e.g. tcp://127.0.0.1:5555 (repeatable)");
  app.add_option("--root", root, "Files are read and written only below this directory (created if missing)");
  bool root_per_client = false;
  app.add_flag("--root-per-client", root_per_client,
               "Each client identity (CURVE key, ipc uid, or anonymous) gets its own subfolder of --root, made on "
               "first use; its paths are resolved below it");
  app.add_option("--state-dir", state_dir,
                 "The state store: every acknowledged edit is kept here and every open project comes back after a "
                 "restart (created 0700; see docs/daemon.md, 'Durability')");
  app.add_flag("--ephemeral", config.ephemeral,
               "No state store: projects live only in memory and are lost when the daemon stops");
  app.add_option("--sync", sync,
                 "normal: an edit is in the store's WAL before its reply (survives kill -9, not a power cut); "
                 "full: also fsync'ed (survives a power cut); off: neither - a crash LOSES acknowledged edits")
      ->check(CLI::IsMember({"normal", "full", "off"}));
  app.add_option("--checkpoint-every", config.checkpoint_every,
                 "Journal records of a project between two background checkpoints (recovery replays at most "
                 "twice this many; undo after a restart reaches back at least this many steps)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20U));
  app.add_option("--max-resident-bytes", config.max_resident_bytes,
                 "Above this many bytes of projects in memory, the least recently used idle ones are checkpointed "
                 "and leave memory; the next request naming one loads it back (default: half of "
                 "--max-memory-bytes; needs the state store)");
  app.add_option("--workers", config.workers, "Worker threads (requests of different projects run in parallel)")
      ->check(CLI::Range(1U, 256U));
  app.add_option("--log-level", log_level, "trace, debug (one line per request), info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--max-message-bytes", limits.max_message_bytes, "Largest request frame accepted")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30U));
  app.add_option("--max-reply-bytes", limits.max_reply_bytes,
                 "Largest reply frame; larger reads are paged, larger inline files refused")
      ->check(CLI::Range(kMinReplyBytes, std::size_t{1} << 30U));
  app.add_option("--max-voxels-per-request", limits.max_voxels_per_request,
                 "Voxels one request may list or one shape/fill may cover")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-voxels-per-project", limits.max_voxels_per_project, "Voxels one project may hold")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-voxels-total", limits.max_voxels_total, "Voxels all projects together may hold")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-project-bytes", limits.max_project_bytes,
                 "Bytes one project may use, its undo history included (blocks are reserved before allocating)")
      ->check(CLI::Range(std::size_t{1} << 20U, std::size_t{1} << 50U));
  app.add_option("--max-memory-bytes", limits.max_memory_bytes,
                 "Bytes all projects together may use (default: 75% of physical memory or of the cgroup limit)")
      ->check(CLI::Range(std::size_t{1} << 20U, std::size_t{1} << 50U));
  app.add_option("--max-history-bytes", limits.max_history_bytes,
                 "Bytes one project's undo history may keep alive; beyond, the oldest steps are dropped")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 50U));
  app.add_option("--max-projects", limits.max_projects, "Projects open at once")->check(CLI::PositiveNumber);
  app.add_option("--max-queued-requests", limits.max_queued_requests,
                 "Requests waiting for a worker; beyond, requests are refused with busy")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-queued-bytes", limits.max_queued_bytes,
                 "Request bytes held (waiting or running) over all clients; beyond, requests get busy")
      ->check(CLI::Range(std::size_t{1} << 20U, std::size_t{1} << 50U));
  app.add_option("--max-queued-bytes-per-client", limits.max_queued_bytes_per_client,
                 "Request bytes held (waiting or running) for one client connection; beyond, its requests get busy")
      ->check(CLI::Range(std::size_t{1} << 20U, std::size_t{1} << 50U));
  app.add_option("--max-unread-reply-bytes", limits.max_unread_reply_bytes,
                 "Reply bytes kept for one client that does not read them (in units of --max-reply-bytes); "
                 "beyond, its further replies are dropped and counted")
      ->check(CLI::Range(std::size_t{1} << 20U, std::size_t{1} << 50U));
  app.add_option("--pipeline-depth", config.pipeline_depth,
                 "Requests of one project handed to its worker at once when a client pipelines them (1 = one "
                 "at a time; other projects waiting for a worker always go first)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--quick-max-voxels", config.quick_max_voxels,
                 "Voxel sets, removes and reads of at most this many positions (and pings) are answered by the "
                 "broker thread itself when their project is idle, saving a hand-over to a worker; 0 = never")
      ->check(CLI::NonNegativeNumber);
  std::string curve_secret_file;
  std::string curve_clients;
  auto* secret_option = app.add_option("--curve-secret-file", curve_secret_file,
                                       "The server's CURVE certificate (czmq format, with secret-key; see voxctl "
                                       "keygen): tcp endpoints then accept only CURVE clients in --curve-clients");
  auto* clients_option = app.add_option("--curve-clients", curve_clients,
                                        "Directory of the allowed clients' public certificates, one per file; "
                                        "re-read on SIGHUP");
  secret_option->needs(clients_option);
  clients_option->needs(secret_option);
  app.add_flag(
      "--insecure-tcp", config.security.insecure_tcp,
      "Allow listening on a non-loopback tcp address without CURVE (anyone who reaches it is the anonymous client)");
  app.add_option("--admin-key", config.security.admin_key,
                 "The CURVE public key (Z85) of a client that may use and list every project; others see only "
                 "their own")
      ->check([](const std::string& key) {
        auto checked = voxd::daemon::check_z85_key(key, "--admin-key");
        return checked ? std::string() : checked.error().message;
      });
  app.add_option("--heartbeat-ms", config.security.heartbeat_ms,
                 "ZMTP heartbeat interval; a peer silent for 3 intervals is dropped (0 = off)")
      ->check(CLI::Range(0, 3600000));
  app.add_option("--shutdown-grace-ms", grace_ms,
                 "On SIGTERM/SIGINT, how long running requests may finish before the daemon exits")
      ->check(CLI::Range(0LL, 900LL));
  voxd::goxel::FrontConfig goxel;
  std::vector<std::string> goxel_sockets;
  std::string goxel_session = "process";
  app.add_option("--goxel-socket", goxel_sockets,
                 "Also speak goxel-daemon's JSON-RPC protocol on this Unix socket path (repeatable; "
                 "docs/goxel-compat.md)");
  app.add_option("--goxel-session", goxel_session,
                 "What has its own current project on the Goxel sockets: each connection, each client process "
                 "(SO_PEERCRED) or one shared by everyone")
      ->check(CLI::IsMember({"connection", "process", "shared"}));
  app.add_option("--goxel-max-message-bytes", goxel.max_message_bytes, "Largest JSON-RPC message on a Goxel socket")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30U));
  app.add_option("--goxel-max-connections", goxel.max_connections, "Goxel socket connections open at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{65536}));
  std::int64_t goxel_reply_timeout_ms = goxel.reply_timeout.count();
  app.add_option("--goxel-reply-timeout-ms", goxel_reply_timeout_ms,
                 "A Goxel call voxd has not answered after this long gets an error reply (the reply may have been "
                 "dropped)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400000}));
  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("voxd");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
  config.shutdown_grace = std::chrono::milliseconds(grace_ms);
  config.state_dir = state_dir;
  config.sync = sync == "full"  ? voxd::store::SyncMode::full
                : sync == "off" ? voxd::store::SyncMode::off
                                : voxd::store::SyncMode::normal;
  // A write past a file-size limit (ulimit -f) must fail with EFBIG, refusing the edit, not kill the daemon.
  std::signal(SIGXFSZ, SIG_IGN);

  // Block the signals before any thread exists (ZeroMQ's included): only sigwait() sees them. SIGHUP
  // re-reads --curve-clients.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (!curve_secret_file.empty()) {
    auto certificate = voxd::daemon::read_certificate(curve_secret_file, true);
    if (!certificate) {
      spdlog::error("--curve-secret-file: {}", certificate.error().message);
      return 1;
    }
    struct stat info {};
    if (::stat(curve_secret_file.c_str(), &info) == 0 && (info.st_mode & 077U) != 0) {
      spdlog::warn("{} (the server's secret key) is readable by others (mode {:o}): chmod 600 it", curve_secret_file,
                   info.st_mode & 0777U);
    }
    config.security.curve_secret_key = certificate->secret_key;
    config.security.curve_public_key = certificate->public_key;
    config.security.curve_clients_dir = curve_clients;
  }

  if (endpoint == voxd::daemon::default_endpoint()) {
    if (auto made = voxd::daemon::make_private_dir(voxd::daemon::default_runtime_dir()); !made) {
      spdlog::error("{}", made.error().message);
      return 1;
    }
  }
  if (endpoint.rfind("ipc://", 0) == 0 && fs::exists(endpoint.substr(6)) && daemon_answers(endpoint)) {
    spdlog::error("another voxd already listens on {}", endpoint);
    return 1;
  }
  config.endpoints.push_back(endpoint);
  config.endpoints.insert(config.endpoints.end(), listen.begin(), listen.end());
  const bool curve = !config.security.curve_secret_key.empty();
  if (auto allowed = voxd::daemon::check_listen_policy(config.endpoints, curve, config.security.insecure_tcp);
      !allowed) {
    spdlog::error("{}", allowed.error().message);
    return 1;
  }
  if (!curve && !config.security.admin_key.empty()) {
    spdlog::warn("--admin-key names a CURVE client, but without --curve-secret-file no client has a key");
  }
  for (const std::string& exposed : voxd::daemon::insecure_endpoints(config.endpoints, curve)) {
    spdlog::warn("--insecure-tcp: {} accepts anyone who reaches it, unauthenticated and unencrypted", exposed);
  }
  const std::string server_key = config.security.curve_public_key;
  if (!goxel_sockets.empty()) {
    config.endpoints.emplace_back(voxd::goxel::kFrontEndpoint);
    goxel.broker_endpoint = voxd::goxel::kFrontEndpoint;
    goxel.socket_paths.assign(goxel_sockets.begin(), goxel_sockets.end());
    goxel.session_mode = *voxd::goxel::parse_session_mode(goxel_session);
    goxel.reply_timeout = std::chrono::milliseconds(goxel_reply_timeout_ms);
  }

  auto root_dir = voxd::daemon::RootDir::open(root, {.per_client = root_per_client});
  if (!root_dir) {
    spdlog::error("{}", root_dir.error().message);
    return 1;
  }
  config.root = root_dir->path();
  const unsigned workers = config.workers;
  const bool config_ephemeral = config.ephemeral;
  auto server = voxd::daemon::Server::start(std::move(config), std::move(root_dir).value());
  if (!server) {
    spdlog::error("{}", server.error().message);
    return 1;
  }
  std::unique_ptr<voxd::goxel::GoxelFront> goxel_front;
  if (!goxel.socket_paths.empty()) {
    auto front = voxd::goxel::GoxelFront::start((*server)->context(), goxel);
    if (!front) {
      spdlog::error("{}", front.error().message);
      (void)(*server)->stop(std::chrono::steady_clock::now() + std::chrono::milliseconds(950));
      return 1;
    }
    goxel_front = std::move(front).value();
  }
  const auto& endpoints = (*server)->endpoints();
  std::printf("voxd %s listening on %s (root %s, %u workers)\n", VOXD_VERSION, endpoints.front().c_str(), root.c_str(),
              workers);
  for (std::size_t i = 1; i < endpoints.size(); ++i) {
    std::printf("voxd also listening on %s\n", endpoints[i].c_str());
  }
  if (!server_key.empty()) {
    std::printf("voxd CURVE server key %s (tcp endpoints accept only the clients in %s)\n", server_key.c_str(),
                curve_clients.c_str());
  }
  for (const auto& path : goxel.socket_paths) std::printf("voxd speaks goxel-daemon's protocol on %s\n", path.c_str());
  if (config_ephemeral) {
    std::printf("voxd is EPHEMERAL: projects are lost when it stops\n");
  } else {
    std::printf("voxd state store %s (--sync %s)\n", state_dir.c_str(), sync.c_str());
  }
  std::printf("talk to it: voxctl --endpoint %s ping   (Ctrl-C or SIGTERM stops it)\n", endpoints.front().c_str());
  std::fflush(stdout);
  voxd::daemon::notify_systemd("READY=1");  // Type=notify units: the store is recovered and the sockets are bound

  int received = 0;
  while (sigwait(&signals, &received) != 0 || received == SIGHUP) {
    if (received == SIGHUP) {
      spdlog::info("received SIGHUP, reloading {}", curve_clients.empty() ? "(no --curve-clients)" : curve_clients);
      (*server)->reload_clients();
    }
    received = 0;
  }
  spdlog::info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
  voxd::daemon::notify_systemd("STOPPING=1");
  // The whole shutdown fits in one second: the grace period for running requests, then the loops.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(950);
  goxel_front.reset();  // its socket lives in the server's context, which closes last
  if (!(*server)->stop(deadline)) {
    spdlog::warn("shutdown took longer than planned: a request was still running");
  }
  server->reset();
  spdlog::info("stopped");
  return 0;
}
