// The broker's ordering rule: jobs with the same key are applied in arrival order by one worker at a
// time; jobs with different keys may run in parallel. The key is the project handle (or, for requests
// naming no project, the client's identity), so one project's requests are applied and answered in the
// order they came, while other projects proceed on other workers.
//
// next() hands out the first job of a key with nothing in flight; the broker sends it to an idle worker,
// which then owns the key. next_of(key) hands out further jobs of a key that is in flight, for the same
// worker: a worker serves its queue in order, so the order holds, and a client pipelining many requests
// into one project no longer waits for a round trip to the broker between them. That is allowed only
// up to `max_in_flight_per_key` jobs and only while no other key waits for a worker; otherwise the key
// goes back in line once its worker has drained it, and keys take turns in the order they became ready.
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
  KeyedScheduler(std::size_t max_queued, std::size_t max_in_flight_per_key)
      : max_queued_(max_queued), max_in_flight_per_key_(max_in_flight_per_key == 0 ? 1 : max_in_flight_per_key) {}

  // Queues a job; false (and the job untouched) when max_queued jobs are already waiting.
  [[nodiscard]] bool push(const std::string& key, Job& job) {
    if (queued_ >= max_queued_) {
      return false;
    }
    KeyState& state = keys_[key];
    state.jobs.push_back(std::move(job));
    ++queued_;
    if (state.in_flight == 0 && state.jobs.size() == 1) {
      ready_.push_back(key);
    }
    return true;
  }

  // The next job of a key with nothing in flight (for an idle worker); its key is in flight until every
  // job handed out for it is done().
  [[nodiscard]] std::optional<std::pair<std::string, Job>> next() {
    if (ready_.empty()) {
      return std::nullopt;
    }
    std::string key = std::move(ready_.front());
    ready_.pop_front();
    Job job = take(keys_.at(key));
    return std::pair<std::string, Job>(std::move(key), std::move(job));
  }

  // Another job of `key`, which is in flight, for the worker that runs it; none when the key has nothing
  // waiting, already has max_in_flight_per_key jobs out, or another key is waiting for a worker.
  [[nodiscard]] std::optional<Job> next_of(const std::string& key) {
    if (!ready_.empty()) {
      return std::nullopt;
    }
    auto it = keys_.find(key);
    if (it == keys_.end() || it->second.in_flight == 0 || it->second.jobs.empty() ||
        it->second.in_flight >= max_in_flight_per_key_) {
      return std::nullopt;
    }
    return take(it->second);
  }

  // One job of `key` handed out by next() or next_of() has finished.
  void done(const std::string& key) {
    auto it = keys_.find(key);
    if (it == keys_.end() || it->second.in_flight == 0) {
      return;
    }
    if (--it->second.in_flight > 0) {
      return;
    }
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
    absl::erase_if(keys_, [](const auto& entry) { return entry.second.in_flight == 0; });
    ready_.clear();
    queued_ = 0;
    return jobs;
  }

  // Nothing of `key` is waiting or in flight: a job of it may run now without overtaking another.
  [[nodiscard]] bool idle(const std::string& key) const { return !keys_.contains(key); }

  [[nodiscard]] std::size_t queued() const noexcept { return queued_; }
  [[nodiscard]] std::size_t active_keys() const noexcept { return keys_.size(); }

 private:
  struct KeyState {
    std::deque<Job> jobs;
    std::size_t in_flight = 0;
  };

  Job take(KeyState& state) {
    Job job = std::move(state.jobs.front());
    state.jobs.pop_front();
    ++state.in_flight;
    --queued_;
    return job;
  }

  std::size_t max_queued_;
  std::size_t max_in_flight_per_key_;
  std::size_t queued_ = 0;
  absl::flat_hash_map<std::string, KeyState> keys_;
  std::deque<std::string> ready_;  // keys with waiting jobs and nothing in flight, each at most once
};

}  // namespace voxd::daemon
