// The default of --max-memory-bytes: 75 % of what the daemon may use, i.e. of the cgroup's memory limit when
// one is set (containers, systemd slices), else of the physical memory.
#pragma once

#include <cstddef>

namespace voxd::daemon {

[[nodiscard]] std::size_t default_memory_limit();

}  // namespace voxd::daemon
