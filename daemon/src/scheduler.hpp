// The broker's ordering rule: jobs with the same key run one at a time, in arrival order; jobs with
// different keys may run in parallel. The key is the project handle (or, for requests naming no project,
// the client's identity), so one project's requests are applied and answered in the order they came,
// while other projects proceed on other workers. A key's next job is handed out only after its
// previous one is done(); keys take turns in the order they became ready, so no key starves another.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

namespace voxd::daemon {

template <typename Job>
class KeyedScheduler {
 public:
  explicit KeyedScheduler(std::size_t max_queued) : max_queued_(max_queued) {}

  // Queues a job; false (and the job untouched) when max_queued jobs are already waiting.
  [[nodiscard]] bool push(const std::string& key, Job& job) {
    if (queued_ >= max_queued_) {
      return false;
    }
    KeyState& state = keys_[key];
    state.jobs.push_back(std::move(job));
    ++queued_;
    if (!state.in_flight && state.jobs.size() == 1) {
      ready_.push_back(key);
    }
    return true;
  }

  // The next job whose key has nothing in flight; its key is then in flight until done(key).
  [[nodiscard]] std::optional<std::pair<std::string, Job>> next() {
    if (ready_.empty()) {
      return std::nullopt;
    }
    std::string key = std::move(ready_.front());
    ready_.pop_front();
    KeyState& state = keys_.at(key);
    Job job = std::move(state.jobs.front());
    state.jobs.pop_front();
    state.in_flight = true;
    --queued_;
    return std::pair<std::string, Job>(std::move(key), std::move(job));
  }

  // The job of `key` handed out by next() has finished.
  void done(const std::string& key) {
    auto it = keys_.find(key);
    if (it == keys_.end()) {
      return;
    }
    it->second.in_flight = false;
    if (it->second.jobs.empty()) {
      keys_.erase(it);
    } else {
      ready_.push_back(key);
    }
  }

  // Removes and returns every waiting job (not those in flight), e.g. to refuse them at shutdown.
  [[nodiscard]] std::vector<Job> take_all_waiting() {
    std::vector<Job> jobs;
    for (auto& [key, state] : keys_) {
      for (Job& job : state.jobs) {
        jobs.push_back(std::move(job));
      }
      state.jobs.clear();
    }
    absl::erase_if(keys_, [](const auto& entry) { return !entry.second.in_flight; });
    ready_.clear();
    queued_ = 0;
    return jobs;
  }

  [[nodiscard]] std::size_t queued() const noexcept { return queued_; }
  [[nodiscard]] std::size_t active_keys() const noexcept { return keys_.size(); }

 private:
  struct KeyState {
    std::deque<Job> jobs;
    bool in_flight = false;
  };
  std::size_t max_queued_;
  std::size_t queued_ = 0;
  absl::flat_hash_map<std::string, KeyState> keys_;
  std::deque<std::string> ready_;  // keys with waiting jobs and nothing in flight, each at most once
};

}  // namespace voxd::daemon
