// Which endpoints carry CURVE and which may be bound at all. ipc:// (and inproc://) stay local, guarded by
// the file system (the socket's directory is 0700); tcp:// on a loopback address reaches only this machine's
// users; anything else reaches the network, where a client without CURVE could read and change every
// project, so it is bound only with CURVE or an explicit --insecure-tcp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "voxd/core/error.hpp"

namespace voxd::daemon {

enum class EndpointReach {
  local,     // ipc://, inproc://
  loopback,  // tcp:// on 127.0.0.0/8, ::1 or localhost
  network,   // every other address and transport
};

[[nodiscard]] EndpointReach endpoint_reach(std::string_view endpoint);

// ZAP domains, one per kind of listener, so the ZAP handler knows which checks a connection needs.
inline constexpr std::string_view kZapDomainLocal = "voxd-local";  // NULL mechanism, peer uid from ipc
inline constexpr std::string_view kZapDomainCurve = "voxd-curve";  // CURVE, the client's key must be allowed
inline constexpr std::string_view kZapDomainPlain = "voxd-tcp";    // NULL over tcp: anonymous

// Refuses a network endpoint without CURVE unless `insecure_tcp`; the error names --insecure-tcp.
[[nodiscard]] core::Status check_listen_policy(const std::vector<std::string>& endpoints, bool curve,
                                               bool insecure_tcp);
// The endpoints a start-up warning should name: network endpoints bound without CURVE.
[[nodiscard]] std::vector<std::string> insecure_endpoints(const std::vector<std::string>& endpoints, bool curve);

}  // namespace voxd::daemon
