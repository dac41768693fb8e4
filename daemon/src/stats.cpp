#include "stats.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>

namespace voxd::daemon {

int LatencyHistogram::bucket_of(std::uint64_t micros) noexcept {
  if (micros < kSubBuckets) {
    return static_cast<int>(micros);
  }
  // Power of two p >= 3, then the next 3 bits below the top bit pick the sub-bucket.
  const int p = static_cast<int>(std::bit_width(micros)) - 1;
  const auto sub = static_cast<int>((micros >> static_cast<unsigned>(p - 3)) & 7U);
  const int bucket = (p - 2) * kSubBuckets + sub;
  return std::min(bucket, kBuckets - 1);
}

double LatencyHistogram::upper_edge(int bucket) noexcept {
  if (bucket < kSubBuckets) {
    return bucket + 1.0;
  }
  const int p = bucket / kSubBuckets + 2;
  const int sub = bucket % kSubBuckets;
  return std::ldexp(8.0 + sub + 1.0, p - 3);
}

void LatencyHistogram::record(std::uint64_t micros) noexcept {
  ++buckets_[static_cast<std::size_t>(bucket_of(micros))];
  ++count_;
  max_ = std::max(max_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    buckets_[i] += other.buckets_[i];
  }
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

double LatencyHistogram::percentile(double fraction) const noexcept {
  if (count_ == 0) {
    return 0.0;
  }
  const auto wanted = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += buckets_[static_cast<std::size_t>(b)];
    if (seen >= wanted && seen > 0) {
      return std::min(upper_edge(b), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

void StatsShard::record(std::size_t type, bool error, std::chrono::nanoseconds latency) {
  const std::lock_guard lock(mutex_);
  TypeCounters& counters = data_.per_type.at(std::min(type, kRequestTypes - 1));
  ++counters.requests;
  ++data_.requests;
  if (error) {
    ++counters.errors;
    ++data_.errors;
  }
  data_.latency.record(static_cast<std::uint64_t>(
      std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(latency).count())));
}

void StatsShard::record_malformed() {
  const std::lock_guard lock(mutex_);
  ++data_.malformed;
  ++data_.requests;
  ++data_.errors;
}

void StatsShard::record_busy() {
  const std::lock_guard lock(mutex_);
  ++data_.busy;
  ++data_.requests;
  ++data_.errors;
}

void StatsShard::record_dropped_reply() {
  const std::lock_guard lock(mutex_);
  ++data_.dropped_replies;
}

void StatsShard::add_to(StatsSnapshot& total) const {
  const std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < kRequestTypes; ++i) {
    total.per_type[i].requests += data_.per_type[i].requests;
    total.per_type[i].errors += data_.per_type[i].errors;
  }
  total.requests += data_.requests;
  total.errors += data_.errors;
  total.malformed += data_.malformed;
  total.busy += data_.busy;
  total.dropped_replies += data_.dropped_replies;
  total.latency.merge(data_.latency);
}

Stats::Stats(std::size_t shards) {
  shards_.reserve(shards);
  for (std::size_t i = 0; i < shards; ++i) {
    shards_.push_back(std::make_unique<StatsShard>());
  }
}

StatsSnapshot Stats::snapshot() const {
  StatsSnapshot total;
  for (const auto& shard : shards_) {
    shard->add_to(total);
  }
  return total;
}

double Stats::uptime_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

std::uint64_t resident_memory_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size_pages = 0;
  std::uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) {
    return 0;
  }
  return resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace voxd::daemon
