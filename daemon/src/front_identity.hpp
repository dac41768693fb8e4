// In-process fronts (the Goxel front, docs/goxel-compat.md) carry many clients over one inproc connection, so
// the connection's ZAP "User-Id" cannot name the client. Such a front puts a frame before each payload,
// [kFrontIdentityMarker + identity][payload], naming the client as the ZAP handler would ("uid:<n>", ...).
// Only a peer without ZAP metadata may do this: every tcp/ipc connection passes ZAP (each endpoint has a ZAP
// domain, and libzmq refuses pre-ZMTP-3 peers then), so metadata is missing only on inproc, which nothing
// outside this process can reach.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zmq.hpp>

namespace voxd::daemon {

inline constexpr std::string_view kFrontIdentityMarker = "voxd-identity:";

// For `parts` as the ROUTER received them from a peer without ZAP metadata: when they are
// [client][marker + identity][payload], removes the identity frame and returns the identity.
[[nodiscard]] inline std::optional<std::string> take_front_identity(std::vector<zmq::message_t>& parts) {
  if (parts.size() != 3 || !parts[1].to_string_view().starts_with(kFrontIdentityMarker)) {
    return std::nullopt;
  }
  std::string identity(parts[1].to_string_view().substr(kFrontIdentityMarker.size()));
  parts.erase(parts.begin() + 1);
  return identity;
}

}  // namespace voxd::daemon
