// The CURVE client keys allowed now (--curve-clients), shared by the ZAP handler (checks new connections,
// replaces the set on SIGHUP) and the broker (drops requests from connections whose key was removed since
// they connected: ZAP is asked only once per connection). The set is immutable once published; readers
// take a shared pointer to it, or check the generation to see whether their copy is still current.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace voxd::daemon {

class AllowedKeys {
 public:
  using Set = std::set<std::string>;  // Z85 public keys

  explicit AllowedKeys(Set keys = {}) : keys_(std::make_shared<const Set>(std::move(keys))) {}

  void replace(Set keys) {
    auto next = std::make_shared<const Set>(std::move(keys));
    const std::lock_guard lock(mutex_);
    keys_ = std::move(next);
    generation_.fetch_add(1, std::memory_order_release);
  }
  [[nodiscard]] std::shared_ptr<const Set> current() const {
    const std::lock_guard lock(mutex_);
    return keys_;
  }
  // Changes on every replace(): a cheap test whether a copy taken earlier is stale.
  [[nodiscard]] std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Set> keys_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace voxd::daemon
