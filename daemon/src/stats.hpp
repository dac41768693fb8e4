// Request counters and latency percentiles. Each worker (and the broker) records into its own shard,
// so recording never contends with another thread; a stats request sums the shards.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace voxd::daemon {

// Latencies in log-spaced buckets: 8 per power of two of microseconds, up to ~2^40 us.
class LatencyHistogram {
 public:
  static constexpr int kSubBuckets = 8;
  static constexpr int kBuckets = 41 * kSubBuckets;
  void record(std::uint64_t micros) noexcept;
  void merge(const LatencyHistogram& other) noexcept;
  // The latency below which `fraction` (0..1) of the samples lie (upper edge of its bucket), 0 if empty.
  [[nodiscard]] double percentile(double fraction) const noexcept;
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }

 private:
  [[nodiscard]] static int bucket_of(std::uint64_t micros) noexcept;
  [[nodiscard]] static double upper_edge(int bucket) noexcept;
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

struct TypeCounters {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
};

// Counters by request type: index = RequestBody value (0 = unknown/none).
inline constexpr std::size_t kRequestTypes = 64;

struct StatsSnapshot {
  std::array<TypeCounters, kRequestTypes> per_type{};
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::uint64_t malformed = 0;
  std::uint64_t busy = 0;
  std::uint64_t dropped_replies = 0;  // replies a client left unread past max_unread_reply_bytes, or went away from
  LatencyHistogram latency;
};

class StatsShard {
 public:
  void record(std::size_t type, bool error, std::chrono::nanoseconds latency);
  void record_malformed();
  void record_busy();
  void record_dropped_reply();
  void add_to(StatsSnapshot& total) const;

 private:
  mutable std::mutex mutex_;  // taken by its one writer and by rare stats readers only
  StatsSnapshot data_;
};

class Stats {
 public:
  explicit Stats(std::size_t shards);
  [[nodiscard]] StatsShard& shard(std::size_t index) { return *shards_.at(index); }
  [[nodiscard]] StatsSnapshot snapshot() const;
  [[nodiscard]] std::chrono::steady_clock::time_point started() const noexcept { return started_; }
  [[nodiscard]] double uptime_seconds() const;

  std::atomic<std::uint64_t> queued{0};              // requests waiting in the broker now
  std::atomic<std::uint64_t> held_request_bytes{0};  // bytes of requests waiting or running now
  std::atomic<bool> accepting{true};                 // false once shutdown began
  std::atomic<std::uint64_t> auth_refused{0};        // connections refused at the handshake (zap_handler.hpp)
  std::atomic<std::uint64_t> access_refused{0};      // requests refused another identity's project (project_owners.hpp)

 private:
  std::vector<std::unique_ptr<StatsShard>> shards_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// The resident memory of this process, from /proc/self/statm (0 when unavailable).
[[nodiscard]] std::uint64_t resident_memory_bytes();

}  // namespace voxd::daemon
