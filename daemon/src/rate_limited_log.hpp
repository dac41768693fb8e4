// At most `per_second` log lines each second; the lines held back are counted and named in the next one
// that passes, so a client retrying a refused handshake in a loop cannot flood the log.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace voxd::daemon {

class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::size_t per_second) : per_second_(per_second) {}

  // Not thread-safe: one owner thread (the ZAP handler's) logs through it.
  void warn(const std::string& line) {
    const auto now = std::chrono::steady_clock::now();
    if (now - window_start_ >= std::chrono::seconds(1)) {
      window_start_ = now;
      in_window_ = 0;
    }
    if (in_window_ >= per_second_) {
      ++suppressed_;
      return;
    }
    ++in_window_;
    if (suppressed_ > 0) {
      spdlog::warn("{} ({} similar line(s) suppressed)", line, suppressed_);
      suppressed_ = 0;
    } else {
      spdlog::warn("{}", line);
    }
  }

 private:
  std::size_t per_second_;
  std::size_t in_window_ = 0;
  std::size_t suppressed_ = 0;
  std::chrono::steady_clock::time_point window_start_{};
};

}  // namespace voxd::daemon
