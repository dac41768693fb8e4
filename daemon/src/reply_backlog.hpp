// Replies that ZeroMQ could not take yet because the client's queue was full: a client that pipelines
// many requests and reads slower than the broker answers. They wait here, in order per client, bounded
// by --max-unread-reply-bytes per client; the broker retries them whenever it wakes (at least every
// 10 ms while any wait). A reply past the bound, or to a client that is gone, is dropped and counted.
// Broker thread only.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <zmq.hpp>

namespace voxd::daemon {

class ReplyBacklog {
 public:
  struct Reply {
    bool req_style = false;
    zmq::message_t payload;
  };

  explicit ReplyBacklog(std::size_t max_bytes_per_client) : max_bytes_per_client_(max_bytes_per_client) {}

  // Whether replies to `client` already wait (a new one must queue behind them to keep the order).
  [[nodiscard]] bool waiting(const std::string& client) const { return clients_.contains(client); }
  [[nodiscard]] bool empty() const noexcept { return clients_.empty(); }
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }

  // Queues a reply; false (and nothing kept) when the client's waiting replies would pass the bound.
  [[nodiscard]] bool push(const std::string& client, Reply reply) {
    Waiting& waiting = clients_[client];
    if (waiting.bytes + reply.payload.size() > max_bytes_per_client_) {
      if (waiting.replies.empty()) {
        clients_.erase(client);
      }
      return false;
    }
    waiting.bytes += reply.payload.size();
    bytes_ += reply.payload.size();
    waiting.replies.push_back(std::move(reply));
    return true;
  }

  // Offers every client's waiting replies, oldest first, to `send(client, reply)`: true when the reply is
  // done with (sent, or dropped because the client is gone), false when the client's queue is still full
  // (its later replies then wait too).
  template <typename Send>
  void flush(Send&& send) {
    for (auto it = clients_.begin(); it != clients_.end();) {
      Waiting& waiting = it->second;
      while (!waiting.replies.empty() && send(it->first, waiting.replies.front())) {
        waiting.bytes -= waiting.replies.front().payload.size();
        bytes_ -= waiting.replies.front().payload.size();
        waiting.replies.pop_front();
      }
      if (waiting.replies.empty()) {
        clients_.erase(it++);
      } else {
        ++it;
      }
    }
  }

 private:
  struct Waiting {
    std::deque<Reply> replies;
    std::size_t bytes = 0;
  };
  std::size_t max_bytes_per_client_;
  std::size_t bytes_ = 0;
  absl::flat_hash_map<std::string, Waiting> clients_;
};

}  // namespace voxd::daemon
