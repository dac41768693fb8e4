// Memory limits in bytes, enforced before allocating.
//
// BlockAllowance is what a Volume asks before it creates a block; a refusal is thrown as AllocationRefused
// (Volume's writes have no status to return) and turned back into a limit_exceeded error by apply_step(),
// which puts the project back as it was. MemoryBudget is a thread-safe byte counter with a limit, e.g. the
// daemon's --max-memory-bytes shared by every project.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>

#include "voxd/core/error.hpp"

namespace voxd::core {

class BlockAllowance {
 public:
  BlockAllowance() = default;
  BlockAllowance(const BlockAllowance&) = delete;
  BlockAllowance& operator=(const BlockAllowance&) = delete;
  BlockAllowance(BlockAllowance&&) = delete;
  BlockAllowance& operator=(BlockAllowance&&) = delete;
  virtual ~BlockAllowance() = default;
  // Reserves `bytes` for a block about to be allocated, or says which limit refuses them.
  [[nodiscard]] virtual Status reserve(std::size_t bytes) = 0;
};

// A refused reservation, carried out of code that cannot return a status.
class AllocationRefused : public std::exception {
 public:
  explicit AllocationRefused(Error error) : error_(std::move(error)) {}
  [[nodiscard]] const char* what() const noexcept override { return error_.message.c_str(); }
  [[nodiscard]] const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

class MemoryBudget {
 public:
  // `limit_name` names the limit in errors, e.g. "max_memory_bytes".
  MemoryBudget(std::size_t limit, std::string limit_name) : limit_(limit), limit_name_(std::move(limit_name)) {}

  [[nodiscard]] Status reserve(std::size_t bytes) {
    const std::size_t before = used_.fetch_add(bytes, std::memory_order_relaxed);
    if (before + bytes > limit_ || before + bytes < before) {
      used_.fetch_sub(bytes, std::memory_order_relaxed);
      return make_error(ErrorCode::limit_exceeded, "the daemon would use " + std::to_string(before + bytes) +
                                                       " bytes, over " + limit_name_ + " (" + std::to_string(limit_) +
                                                       ")");
    }
    return Status::success();
  }
  void release(std::size_t bytes) noexcept { used_.fetch_sub(bytes, std::memory_order_relaxed); }
  // Accounts a change already made (e.g. what an undo freed or kept), without a limit check.
  void adjust(std::int64_t delta) noexcept {
    used_.fetch_add(static_cast<std::size_t>(delta), std::memory_order_relaxed);  // wraps: two's complement
  }
  [[nodiscard]] std::size_t used() const noexcept { return used_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::size_t limit() const noexcept { return limit_; }

 private:
  std::size_t limit_;
  std::string limit_name_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace voxd::core
