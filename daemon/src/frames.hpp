// Small helpers for multipart ZeroMQ messages shared by the broker and the workers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <zmq.hpp>

#include "tsan_handover.hpp"

namespace voxd::daemon {

// Every part of the next message (non-blocking; empty when none is waiting). At most `max_parts` are
// kept; the rest are received and dropped so the next message starts clean. `dropped` counts them.
inline std::vector<zmq::message_t> receive_parts(zmq::socket_t& socket, std::size_t max_parts,
                                                 std::size_t* dropped = nullptr) {
  std::vector<zmq::message_t> parts;
  std::size_t extra = 0;
  while (true) {
    zmq::message_t part;
    if (!socket.recv(part, zmq::recv_flags::dontwait)) {
      break;
    }
    tsan_acquire_after_receive(part);
    const bool more = part.more();
    if (parts.size() < max_parts) {
      parts.push_back(std::move(part));
    } else {
      ++extra;
    }
    if (!more) {
      break;
    }
  }
  if (dropped != nullptr) {
    *dropped = extra;
  }
  return parts;
}

// Sends the parts as one message; never blocks. False when the socket would have had to wait (its peer's
// queue is full); a ROUTER_MANDATORY socket throws zmq::error_t when the peer is gone.
inline bool send_parts(zmq::socket_t& socket, std::span<zmq::message_t> parts) {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto flags =
        (i + 1 < parts.size() ? zmq::send_flags::sndmore : zmq::send_flags::none) | zmq::send_flags::dontwait;
    tsan_release_before_send(parts[i]);
    if (!socket.send(parts[i], flags)) {
      return false;
    }
  }
  return true;
}

inline std::span<const std::uint8_t> bytes_of(const zmq::message_t& message) noexcept {
  return {static_cast<const std::uint8_t*>(message.data()), message.size()};
}

inline bool is_aligned(const zmq::message_t& message) noexcept {
  return reinterpret_cast<std::uintptr_t>(message.data()) % 8 == 0;  // NOLINT: alignment test only
}

template <typename T>
zmq::message_t message_of(const T& value) {
  zmq::message_t message(sizeof(T));
  std::memcpy(message.data(), &value, sizeof(T));
  return message;
}

template <typename T>
T value_of(const zmq::message_t& message) {
  T value{};
  std::memcpy(&value, message.data(), std::min(sizeof(T), message.size()));
  return value;
}

}  // namespace voxd::daemon
