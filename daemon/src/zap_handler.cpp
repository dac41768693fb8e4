#include "zap_handler.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <cstring>

#include "curve_keys.hpp"
#include "endpoint_security.hpp"
#include "rate_limited_log.hpp"

namespace voxd::daemon {

namespace fs = std::filesystem;

namespace {

constexpr const char* kControlEndpoint = "inproc://voxd-zap-control";
constexpr std::string_view kReload = "RELOAD";
constexpr std::string_view kStopCommand = "STOP";
constexpr std::size_t kMaxFrames = 16;  // a ZAP request has 6 + credentials; more is malformed

// SO_PEERCRED gives libzmq's ipc peer address the suffix ":uid:gid:pid"; the uid, or "" if absent.
std::string ipc_peer_uid(std::string_view address) {
  std::array<std::string_view, 3> fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) {
      return {};
    }
    fields[fields.size() - 1 - i] = address.substr(colon + 1);
    address = address.substr(0, colon);
  }
  for (const std::string_view field : fields) {
    unsigned long long value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || error != std::errc() || end != field.data() + field.size()) {
      return {};
    }
  }
  return std::string(fields[0]);
}

std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 64)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

std::string monitor_refusal(std::uint16_t event, std::uint32_t value, const std::string& endpoint) {
  std::string why;
  if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL && value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH) {
    why = "the client does not use CURVE (no server key given?)";
  } else if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL && value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC) {
    why = "its CURVE handshake does not decrypt (a wrong server key?)";
  } else if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
    std::array<char, 16> hex{};
    (void)std::to_chars(hex.data(), hex.data() + hex.size(), value, 16);
    why = "handshake protocol error 0x" + std::string(hex.data());
  } else {
    why = "the handshake failed";
  }
  return "refused a connection on " + printable(endpoint) + ": " + why;
}

}  // namespace

ZapDecision decide_zap_request(const std::vector<std::string>& frames, const std::set<std::string>& keys) {
  if (frames.size() < 6 || frames[0] != "1.0") {
    return {"500", "malformed ZAP request", "", "a malformed ZAP request"};
  }
  const std::string& domain = frames[2];
  const std::string& address = frames[3];
  const std::string& mechanism = frames[5];
  if (domain == kZapDomainCurve) {
    if (mechanism != "CURVE" || frames.size() != 7 || frames[6].size() != kCurveKeyBytes) {
      return {"400", "CURVE required", "", "refused a connection from " + printable(address) + ": not CURVE"};
    }
    std::string key = encode_z85_key(reinterpret_cast<const std::uint8_t*>(frames[6].data()));  // NOLINT: bytes
    if (!keys.contains(key)) {
      return {"400", "unknown client key", "",
              "refused a connection from " + printable(address) + ": CURVE key " + key + " is not in --curve-clients"};
    }
    return {"200", "OK", "curve:" + key, ""};
  }
  if (domain == kZapDomainLocal && mechanism == "NULL" && frames.size() == 6) {
    const std::string uid = ipc_peer_uid(address);
    return {"200", "OK", uid.empty() ? std::string() : "uid:" + uid, ""};
  }
  if (domain == kZapDomainPlain && mechanism == "NULL" && frames.size() == 6) {
    return {"200", "OK", "", ""};
  }
  return {"400", "refused", "",
          "refused a connection from " + printable(address) + ": mechanism " + printable(mechanism) +
              " in ZAP domain " + printable(domain)};
}

ZapHandler::ZapHandler(zmq::context_t& context, fs::path clients_dir, AllowedKeys& keys,
                       std::atomic<std::uint64_t>& refused)
    : clients_dir_(std::move(clients_dir)),
      keys_(keys),
      refused_(refused),
      zap_(context, zmq::socket_type::rep),
      monitor_(context, zmq::socket_type::pair),
      control_(context, zmq::socket_type::pair),
      command_(context, zmq::socket_type::pair) {}

core::Result<std::unique_ptr<ZapHandler>> ZapHandler::start(zmq::context_t& context, fs::path clients_dir,
                                                            AllowedKeys& keys, std::atomic<std::uint64_t>& refused) {
  std::unique_ptr<ZapHandler> handler(new ZapHandler(context, std::move(clients_dir), keys, refused));
  try {
    for (zmq::socket_t* socket : {&handler->zap_, &handler->monitor_, &handler->control_, &handler->command_}) {
      socket->set(zmq::sockopt::linger, 0);
    }
    handler->zap_.bind(kZapEndpoint);
    handler->command_.bind(kControlEndpoint);
    handler->control_.connect(kControlEndpoint);
    handler->monitor_.connect(kFrontendMonitorEndpoint);  // inproc: the broker binds it later
  } catch (const zmq::error_t& e) {
    return core::make_error(core::ErrorCode::internal, std::string("cannot start the ZAP handler: ") + e.what());
  }
  ZapHandler& self = *handler;
  // The sockets move to the loop's thread here; std::thread's start orders everything done above before it.
  handler->thread_ = std::thread([&self] { self.run(); });
  return handler;
}

ZapHandler::~ZapHandler() {
  if (thread_.joinable()) {
    command_.send(zmq::buffer(kStopCommand), zmq::send_flags::dontwait);
    thread_.join();
  }
}

void ZapHandler::reload() {
  command_.send(zmq::buffer(kReload), zmq::send_flags::dontwait);
}

void ZapHandler::run() {
  RateLimitedLog log;
  while (true) {
    std::array<zmq::pollitem_t, 3> items{{
        {zap_.handle(), 0, ZMQ_POLLIN, 0},
        {monitor_.handle(), 0, ZMQ_POLLIN, 0},
        {control_.handle(), 0, ZMQ_POLLIN, 0},
    }};
    zmq::poll(items.data(), items.size(), std::chrono::milliseconds(-1));
    if ((items[2].revents & ZMQ_POLLIN) != 0) {
      zmq::message_t command;
      if (control_.recv(command, zmq::recv_flags::dontwait)) {
        if (command.to_string_view() == kStopCommand) {
          break;
        }
        if (command.to_string_view() == kReload && !clients_dir_.empty()) {
          auto loaded = load_client_keys(clients_dir_);
          if (!loaded) {
            // Fail closed: a directory that cannot be read allows nobody until it can.
            spdlog::error("SIGHUP: {}; no client key is allowed until a reload succeeds", loaded.error().message);
            keys_.replace({});
          } else {
            for (const std::string& problem : loaded->problems) {
              spdlog::warn("SIGHUP: skipped {}", problem);
            }
            const std::size_t count = loaded->keys.size();
            keys_.replace(std::move(loaded->keys));
            spdlog::info("SIGHUP: {} client key(s) allowed from {}", count, clients_dir_.string());
          }
        }
      }
    }
    if ((items[0].revents & ZMQ_POLLIN) != 0) {
      // A REP socket must answer every request it receives, malformed or not, to stay in step.
      std::vector<std::string> frames;
      bool more = true;
      while (more) {
        zmq::message_t frame;
        if (!zap_.recv(frame, zmq::recv_flags::dontwait)) {
          break;
        }
        more = frame.more();
        if (frames.size() < kMaxFrames) {
          frames.push_back(frame.to_string());
        }
      }
      const ZapDecision decision = decide_zap_request(frames, *keys_.current());
      if (decision.status != "200") {
        refused_.fetch_add(1, std::memory_order_relaxed);
        log.warn(decision.refusal);
      }
      const std::array<std::string, 6> reply{"1.0", frames.size() > 1 ? frames[1] : std::string(), decision.status,
                                             decision.text, decision.user_id, ""};
      for (std::size_t i = 0; i < reply.size(); ++i) {
        zap_.send(zmq::buffer(reply[i]), i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
      }
    }
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      // [6 bytes: event (uint16), value (uint32)][endpoint]. Failed ZAP checks are counted above already.
      zmq::message_t event;
      zmq::message_t endpoint;
      if (monitor_.recv(event, zmq::recv_flags::dontwait) && event.more() &&
          monitor_.recv(endpoint, zmq::recv_flags::dontwait) && event.size() == 6) {
        std::uint16_t id = 0;
        std::uint32_t value = 0;
        std::memcpy(&id, event.data(), sizeof(id));
        std::memcpy(&value, static_cast<const char*>(event.data()) + sizeof(id), sizeof(value));
        if (id == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL || id == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) {
          refused_.fetch_add(1, std::memory_order_relaxed);
          log.warn(monitor_refusal(id, value, endpoint.to_string()));
        }
      }
    }
  }
  zap_.close();
  monitor_.close();
  control_.close();
}

}  // namespace voxd::daemon
