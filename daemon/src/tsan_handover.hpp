// Tells ThreadSanitizer that a ZeroMQ message hands its bytes from the sending thread to the receiving one.
//
// Debian's libzmq is not built with TSan, so the lock-free pipes that carry a message between threads are
// invisible to it: the broker writing a request and the worker reading it look like a data race. Over
// inproc, a large message's bytes travel by pointer, so the same address is released before the send and
// acquired after the receive; that is exactly the happens-before edge the pipe provides. Small messages are
// copied inside libzmq (whose accesses tests/tsan.supp ignores), so they need no edge. In builds without
// TSan both functions are empty and vanish.
#pragma once

#include <zmq.hpp>

#if defined(__SANITIZE_THREAD__)
#define VOXD_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define VOXD_TSAN 1
#endif
#endif

#ifdef VOXD_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace voxd::daemon {

inline void tsan_release_before_send([[maybe_unused]] const zmq::message_t& message) noexcept {
#ifdef VOXD_TSAN
  if (message.size() > 0) {
    __tsan_release(const_cast<void*>(message.data()));  // NOLINT: the annotation API takes void*
  }
#endif
}

inline void tsan_acquire_after_receive([[maybe_unused]] const zmq::message_t& message) noexcept {
#ifdef VOXD_TSAN
  if (message.size() > 0) {
    __tsan_acquire(const_cast<void*>(message.data()));  // NOLINT: the annotation API takes void*
  }
#endif
}

}  // namespace voxd::daemon
