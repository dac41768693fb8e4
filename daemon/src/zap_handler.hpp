// The daemon's ZAP handler (rfc.zeromq.org/spec/27): libzmq asks it, over inproc://zeromq.zap.01 in the
// server's context, whether each new connection may go on. It runs its own loop on its own thread and owns
// its sockets; the Server owns it and stops it after the broker. It also reads the frontend's monitor, so
// handshakes that fail before any ZAP request (no key, a wrong server key) are counted and logged too.
//
// The frontend binds each endpoint with a ZAP domain telling what to check (endpoint_security.hpp):
//   voxd-curve  CURVE only; the client's public key must be in --curve-clients  -> "curve:<Z85 key>"
//   voxd-local  NULL over ipc; the peer's uid comes from SO_PEERCRED             -> "uid:<uid>"
//   voxd-tcp    NULL over tcp (loopback, or --insecure-tcp)                      -> "" (anonymous)
// The result becomes the connection's ZeroMQ "User-Id" property.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "allowed_keys.hpp"
#include "voxd/core/error.hpp"

namespace voxd::daemon {

inline constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";
inline constexpr const char* kFrontendMonitorEndpoint = "inproc://voxd-frontend-monitor";

// The answer to one ZAP request: status "200" (welcome), "400" (refused) or "500" (malformed request).
struct ZapDecision {
  std::string status;
  std::string text;
  std::string user_id;
  std::string refusal;  // for the log when refused: who and why
};

// Decides a ZAP request given as its frames; `keys` are the allowed client keys (Z85). Pure, for tests.
[[nodiscard]] ZapDecision decide_zap_request(const std::vector<std::string>& frames, const std::set<std::string>& keys);

class ZapHandler {
 public:
  // Binds the ZAP endpoint in `context` (before any frontend socket binds, so no connection is accepted
  // unchecked), connects to the frontend monitor and starts the loop. `clients_dir` (empty without CURVE) is
  // re-read on reload() into `keys` (loaded at start by the caller). Refusals are added to `refused`.
  [[nodiscard]] static core::Result<std::unique_ptr<ZapHandler>> start(zmq::context_t& context,
                                                                       std::filesystem::path clients_dir,
                                                                       AllowedKeys& keys,
                                                                       std::atomic<std::uint64_t>& refused);
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;
  ZapHandler(ZapHandler&&) = delete;
  ZapHandler& operator=(ZapHandler&&) = delete;
  // Stops the loop and joins it.
  ~ZapHandler();

  // Asks the loop to re-read the clients directory (SIGHUP). Call from the thread that started it.
  void reload();

 private:
  ZapHandler(zmq::context_t& context, std::filesystem::path clients_dir, AllowedKeys& keys,
             std::atomic<std::uint64_t>& refused);
  void run();

  std::filesystem::path clients_dir_;
  AllowedKeys& keys_;
  std::atomic<std::uint64_t>& refused_;
  zmq::socket_t zap_;      // REP, used by the loop
  zmq::socket_t monitor_;  // PAIR from the frontend's monitor, used by the loop
  zmq::socket_t control_;  // PAIR, the loop's end
  zmq::socket_t command_;  // PAIR, the owner's end: RELOAD, STOP
  std::thread thread_;
};

}  // namespace voxd::daemon
