// At most `kLines` log lines in any one-second span; the lines held back are counted and named in the next
// one that passes, so a client retrying a refused handshake in a loop cannot flood the log.
#pragma once

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <string>

namespace voxd::daemon {

class RateLimitedLog {
 public:
  static constexpr std::size_t kLines = 5;

  // Not thread-safe: one owner thread (the ZAP handler's, the broker's) logs through it.
  void warn(const std::string& line) {
    const auto now = std::chrono::steady_clock::now();
    // The slot to reuse holds the time of the kLines-th line back: a line may go out only once that one is
    // a second old, so no second ever sees more than kLines.
    auto& oldest = sent_[next_];
    if (oldest != std::chrono::steady_clock::time_point{} && now - oldest < std::chrono::seconds(1)) {
      ++suppressed_;
      return;
    }
    oldest = now;
    next_ = (next_ + 1) % kLines;
    if (suppressed_ > 0) {
      spdlog::warn("{} ({} similar line(s) suppressed)", line, suppressed_);
      suppressed_ = 0;
    } else {
      spdlog::warn("{}", line);
    }
  }

 private:
  std::array<std::chrono::steady_clock::time_point, kLines> sent_{};  // when the last kLines lines went out
  std::size_t next_ = 0;
  std::size_t suppressed_ = 0;
};

}  // namespace voxd::daemon
