// The daemon-wide voxel limit (--max-voxels-total): a counter every growing edit reserves from before
// it commits. Lock-free, so projects edited in parallel never wait for each other here.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "voxd/core/error.hpp"

namespace voxd::daemon {

class VoxelBudget {
 public:
  explicit VoxelBudget(std::int64_t limit) noexcept : limit_(limit) {}

  [[nodiscard]] core::Status reserve(std::int64_t voxels) {
    const std::int64_t after = used_.fetch_add(voxels, std::memory_order_relaxed) + voxels;
    if (after > limit_) {
      used_.fetch_sub(voxels, std::memory_order_relaxed);
      return core::make_error(core::ErrorCode::limit_exceeded, "the daemon would hold " + std::to_string(after) +
                                                                   " voxels, over max_voxels_total (" +
                                                                   std::to_string(limit_) + ")");
    }
    return {};
  }
  void release(std::int64_t voxels) noexcept { used_.fetch_sub(voxels, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t used() const noexcept { return used_.load(std::memory_order_relaxed); }

 private:
  std::int64_t limit_;
  std::atomic<std::int64_t> used_{0};
};

}  // namespace voxd::daemon
