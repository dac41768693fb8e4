// The daemon's durability: the one place where the request path meets the state store (daemon/store/).
//
//   before(request)  CloseProject removes the project from the store first, so a failed removal leaves
//                    the project open; any request naming a project that is not in memory is refused.
//   after(request)   a successful edit, batch, undo or redo is journaled (its verified request bytes with
//                    the project's next sequence number); a created, opened or copied project is stored
//                    with its name and handle (and, when it has content, a checkpoint). The write is
//                    committed before after() returns, so before the reply leaves. If the store refuses
//                    it, the project is put back as the store has it and the request's reply is io_error.
//   recover()        at start: every stored project back at its handle, from its base checkpoint plus the
//                    journal replayed through the same RequestHandler that served it live.
//
// Checkpoints are taken after every `checkpoint_every` journal records of a project: the worker snapshots
// the state (copy-on-write, cheap) and a background thread encodes and writes it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <thread>

#include <absl/container/flat_hash_map.h>
#include <flatbuffers/flatbuffers.h>

#include "state_store.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/project.hpp"
#include "voxd/core/workspace.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon {

class RequestHandler;
struct Services;

struct StoreStats {
  std::uint64_t stored_projects = 0;
  std::uint64_t store_bytes = 0;
};

class Durability {
 public:
  Durability(std::unique_ptr<store::StateStore> store, std::size_t checkpoint_every);
  ~Durability();
  Durability(const Durability&) = delete;
  Durability& operator=(const Durability&) = delete;
  Durability(Durability&&) = delete;
  Durability& operator=(Durability&&) = delete;

  // Before any request is served. Projects that cannot be restored are reported and left in the store.
  // `handler` is one without durability (its Services name the workspace, budgets and owners to fill).
  [[nodiscard]] core::Status recover(RequestHandler& handler);

  // `identity` is the client's: only the project's owner (or the admin) may close it.
  [[nodiscard]] core::Status before(const protocol::Request& request, std::string_view identity,
                                    const Services& services);
  // `reply` holds the finished Response of `request`; replaced by an io_error reply if the store fails.
  // Returns the status of the reply as it now is.
  [[nodiscard]] core::ErrorCode after(const protocol::Request& request, std::span<const std::uint8_t> bytes,
                                      std::string_view identity, core::ErrorCode status,
                                      flatbuffers::FlatBufferBuilder& reply, RequestHandler& handler);

  [[nodiscard]] StoreStats stats();
  [[nodiscard]] const store::StateStore& store() const noexcept { return *store_; }

 private:
  // The undo and redo steps a replay from a checkpoint would rebuild (never more than live): an undo or redo
  // beyond them could not be repeated by a replay, so it writes a new base instead of a journal record.
  struct ReplayDepth {
    std::size_t undo = 0;
    std::size_t redo = 0;
  };
  struct ProjectLog {
    std::int64_t last_seq = 0;
    std::size_t since_checkpoint = 0;
    ReplayDepth since_base;    // from the base checkpoint recovery starts from
    ReplayDepth since_newest;  // from the newest checkpoint asked for (the base once the next is written)
  };
  struct PendingCheckpoint {
    std::uint64_t handle = 0;
    std::int64_t seq = 0;
    core::ProjectState state;
  };

  // Puts `handle` back from the store: base checkpoint, then the journal replayed through `handler`.
  [[nodiscard]] core::Status load(const store::StoredProject& stored, RequestHandler& handler);
  // Drops the project from memory and loads it again from the store (after a failed write).
  void reload(std::uint64_t handle, RequestHandler& handler);
  void run_checkpoints();

  std::unique_ptr<store::StateStore> store_;
  std::size_t checkpoint_every_;
  std::mutex mutex_;  // guards logs_, pending_ and stopping_
  std::condition_variable wake_;
  absl::flat_hash_map<std::uint64_t, ProjectLog> logs_;
  std::deque<PendingCheckpoint> pending_;
  bool stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace voxd::daemon
