// The store's background threads (the WAL copy, checkpoint encoding and writing, journal trimming) run at a
// lower priority than the threads that serve requests: on a small machine they would otherwise take CPU from
// the edits whose replies clients wait for, and none of their work is urgent (the WAL and the journal hold
// everything until it is done).
#pragma once

#include <sys/resource.h>
#include <unistd.h>

namespace voxd::store {

inline constexpr int kBackgroundNice = 10;

// Linux: a nice value set with a thread id applies to that thread alone. Best effort: a failure leaves it as it is.
inline void lower_this_threads_priority() {
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kBackgroundNice);
}

}  // namespace voxd::store
