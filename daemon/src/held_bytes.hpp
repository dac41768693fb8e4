// Request bytes the broker holds for its clients, from arrival until the reply goes out (waiting in the
// scheduler or running on a worker), bounded per client connection and in total. A request that would pass
// either bound is refused with busy before it is queued, so a client pipelining large frames to a busy
// project cannot pin more than its share of memory. Broker thread only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <absl/container/flat_hash_map.h>

namespace voxd::daemon {

class HeldBytes {
 public:
  HeldBytes(std::size_t max_total, std::size_t max_per_client)
      : max_total_(max_total), max_per_client_(max_per_client) {}

  // Holds `bytes` for `client`, or says which limit it would pass (nothing held then).
  [[nodiscard]] std::optional<std::string> hold(const std::string& client, std::size_t bytes) {
    std::size_t& mine = per_client_[client];
    if (mine + bytes > max_per_client_) {
      const std::size_t held = mine;
      if (held == 0) {
        per_client_.erase(client);
      }
      return "this connection's requests already hold " + std::to_string(held) +
             " bytes; with this one they would pass max_queued_bytes_per_client (" +
             std::to_string(max_per_client_) + "); read replies before sending more";
    }
    if (total_ + bytes > max_total_) {
      if (mine == 0) {
        per_client_.erase(client);
      }
      return "requests of all clients already hold " + std::to_string(total_) +
             " bytes; with this one they would pass max_queued_bytes (" + std::to_string(max_total_) +
             "); retry later";
    }
    mine += bytes;
    total_ += bytes;
    return std::nullopt;
  }

  void release(const std::string& client, std::size_t bytes) {
    auto it = per_client_.find(client);
    if (it == per_client_.end()) {
      return;
    }
    const std::size_t freed = bytes < it->second ? bytes : it->second;
    it->second -= freed;
    total_ -= freed;
    if (it->second == 0) {
      per_client_.erase(it);
    }
  }

  [[nodiscard]] std::size_t total() const noexcept { return total_; }
  [[nodiscard]] std::size_t of(const std::string& client) const {
    auto it = per_client_.find(client);
    return it == per_client_.end() ? 0 : it->second;
  }

 private:
  std::size_t max_total_;
  std::size_t max_per_client_;
  std::size_t total_ = 0;
  absl::flat_hash_map<std::string, std::size_t> per_client_;
};

}  // namespace voxd::daemon
