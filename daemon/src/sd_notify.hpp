// systemd readiness without libsystemd: the sd_notify(3) protocol is one datagram of "KEY=VALUE" lines
// sent to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace).
// Without $NOTIFY_SOCKET (not started by systemd with Type=notify) it does nothing. Call before other
// threads change the environment.
#pragma once

#include <string_view>

namespace voxd::daemon {

// True if the message was sent; false when there is no $NOTIFY_SOCKET or the send failed.
bool notify_systemd(std::string_view message) noexcept;

}  // namespace voxd::daemon
