#include "memory_limit.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace voxd::daemon {

namespace {

// cgroup v2's memory.max ("max" when unlimited), or v1's limit_in_bytes (a huge number when unlimited).
std::size_t cgroup_limit() {
  for (const char* path : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream in(path);
    std::string text;
    if (in >> text && !text.empty() && text != "max") {
      try {
        return static_cast<std::size_t>(std::stoull(text));
      } catch (const std::exception&) {
        continue;
      }
    }
  }
  return 0;
}

std::size_t physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) {
    return std::size_t{4} << 30U;  // unknown: assume a small machine
  }
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page_size);
}

}  // namespace

std::size_t default_memory_limit() {
  std::size_t available = physical_memory();
  if (const std::size_t cgroup = cgroup_limit(); cgroup > 0) {
    available = std::min(available, cgroup);
  }
  return available / 4 * 3;
}

}  // namespace voxd::daemon
