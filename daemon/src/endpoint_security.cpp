#include "endpoint_security.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>

namespace voxd::daemon {

namespace {

// "tcp://HOST:PORT" -> HOST without IPv6 brackets; empty when the endpoint has no host part.
std::string tcp_host(std::string_view endpoint) {
  std::string_view rest = endpoint.substr(6);
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) {
    return {};
  }
  rest = rest.substr(0, colon);
  if (rest.size() >= 2 && rest.front() == '[' && rest.back() == ']') {
    rest = rest.substr(1, rest.size() - 2);
  }
  return std::string(rest);
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") {
    return true;
  }
  std::array<std::uint8_t, 16> address{};
  if (inet_pton(AF_INET, host.c_str(), address.data()) == 1) {
    return address[0] == 127;
  }
  if (inet_pton(AF_INET6, host.c_str(), address.data()) == 1) {
    constexpr std::array<std::uint8_t, 16> kLoopback6{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return address == kLoopback6;
  }
  return false;  // "*", interface names, other host names: assume they reach the network
}

}  // namespace

EndpointReach endpoint_reach(std::string_view endpoint) {
  if (endpoint.starts_with("ipc://") || endpoint.starts_with("inproc://")) {
    return EndpointReach::local;
  }
  if (endpoint.starts_with("tcp://") && is_loopback_host(tcp_host(endpoint))) {
    return EndpointReach::loopback;
  }
  return EndpointReach::network;
}

std::vector<std::string> insecure_endpoints(const std::vector<std::string>& endpoints, bool curve) {
  std::vector<std::string> result;
  if (curve) {
    return result;
  }
  for (const std::string& endpoint : endpoints) {
    if (endpoint_reach(endpoint) == EndpointReach::network) {
      result.push_back(endpoint);
    }
  }
  return result;
}

core::Status check_listen_policy(const std::vector<std::string>& endpoints, bool curve, bool insecure_tcp) {
  const std::vector<std::string> exposed = insecure_endpoints(endpoints, curve);
  if (exposed.empty() || insecure_tcp) {
    return {};
  }
  return core::make_error(core::ErrorCode::permission_denied,
                          "refusing to listen on " + exposed.front() +
                              " without CURVE: it is not a loopback address, and anyone who reaches it could read "
                              "and change every project. Give --curve-secret-file and --curve-clients "
                              "(docs/security.md), or --insecure-tcp to accept the risk");
}

}  // namespace voxd::daemon
