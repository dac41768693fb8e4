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
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <flatbuffers/flatbuffers.h>

#include "project_owners.hpp"
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
  std::uint64_t evicted = 0;  // projects out of memory now (in the store only)
};

// A project out of memory, as ListProjects shows it.
struct EvictedProject {
  core::ProjectHandle handle;
  std::string name;
  std::int64_t voxels = 0;
  std::uint32_t layers = 0;
};

// Group commit: the pipelined requests a worker serves in one go are journaled in one transaction, and
// their replies wait for it (Durability::flush). `index` is the request being served (set by the caller);
// `failed` lists those whose records the failed commit lost: their replies must become `error`.
struct CommitGroup {
  struct Checkpoint {
    std::uint64_t handle = 0;
    std::int64_t seq = 0;
    core::ProjectState state;
  };
  store::WriteGroup writes;
  std::vector<std::size_t> staged;  // request indices with a record in `writes`
  std::vector<std::uint64_t> projects;
  std::vector<Checkpoint> checkpoints;  // asked for by staged records: queued once they are committed
  std::size_t index = 0;
  std::vector<std::size_t> failed;
  std::vector<std::uint64_t> reloaded;  // projects a failed commit put back
  std::vector<std::uint64_t> in_use;    // projects kept from eviction until the group is committed
  core::Error error;
};

class Durability {
 public:
  // `max_resident_bytes`: above it (the memory budget's use), idle projects are evicted; 0 = never.
  Durability(std::unique_ptr<store::StateStore> store, std::size_t checkpoint_every, std::size_t max_resident_bytes);
  ~Durability();
  Durability(const Durability&) = delete;
  Durability& operator=(const Durability&) = delete;
  Durability(Durability&&) = delete;
  Durability& operator=(Durability&&) = delete;

  // Before any request is served. Projects that cannot be restored are reported and left in the store.
  // `handler` is one without durability (its Services name the workspace, budgets and owners to fill).
  [[nodiscard]] core::Status recover(RequestHandler& handler);

  // `identity` is the client's: only the project's owner (or the admin) may close it or have it loaded.
  // A request naming an evicted project loads it back first. Every before() that succeeds is followed by
  // exactly one after() (the project is marked in use between them, so it is never evicted under it).
  [[nodiscard]] core::Status before(const protocol::Request& request, std::string_view identity,
                                    RequestHandler& handler, CommitGroup* group = nullptr);
  // `reply` holds the finished Response of `request`; replaced by an io_error reply if the store fails.
  // Returns the status of the reply as it now is.
  // With `group`, a journal record is staged there (its bytes must live until flush()) instead of committed.
  [[nodiscard]] core::ErrorCode after(const protocol::Request& request, std::span<const std::uint8_t> bytes,
                                      std::string_view identity, core::ErrorCode status,
                                      flatbuffers::FlatBufferBuilder& reply, RequestHandler& handler,
                                      CommitGroup* group = nullptr);
  // Commits what `group` staged, in one transaction. On failure every project it touched goes back to what
  // the store holds and `group->failed` names the requests to answer with `group->error`.
  void flush(CommitGroup* group, RequestHandler& handler);

  [[nodiscard]] StoreStats stats();
  [[nodiscard]] std::vector<EvictedProject> evicted();
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
    // Eviction (all under mutex_):
    std::uint64_t last_used = 0;  // tick_ of the last request naming it
    unsigned busy = 0;            // requests between before() and after(), or an eviction running
    bool evicting = false;
    bool resident = true;
    EvictedProject summary;  // while not resident
  };
  using PendingCheckpoint = CommitGroup::Checkpoint;

  // Puts `handle` back from the store: base checkpoint, then the journal replayed through `handler`.
  [[nodiscard]] core::Status load(const store::StoredProject& stored, RequestHandler& handler);
  // Gives the project the shares the store holds for it (ProjectOwners::set clears them).
  [[nodiscard]] core::Status restore_shares(std::uint64_t handle, ProjectOwners& owners);
  // Records the share a ShareProject just made (the access the owners now give); on failure the owners go
  // back to the store's shares and `reply` becomes an io_error.
  [[nodiscard]] core::ErrorCode store_share(const protocol::Request& request, flatbuffers::FlatBufferBuilder& reply,
                                            ProjectOwners& owners);
  // Drops the project from memory and loads it again from the store (after a failed write).
  void reload(std::uint64_t handle, RequestHandler& handler);
  void trim_journal(std::uint64_t handle);  // the records the new base covers, in short slices
  void run_checkpoints();
  // after() without the bookkeeping of use and eviction.
  [[nodiscard]] core::ErrorCode store_outcome(const protocol::Request& request, std::span<const std::uint8_t> bytes,
                                              std::string_view identity, core::ErrorCode status,
                                              flatbuffers::FlatBufferBuilder& reply, RequestHandler& handler,
                                              CommitGroup* group);
  // Evicts least recently used idle projects (never `keep`) while the memory budget is over the limit.
  void evict_idle(std::uint64_t keep, RequestHandler& handler, CommitGroup* group = nullptr);
  void queue_checkpoint(PendingCheckpoint job);
  // Marks the end of one request on `handle` (the busy count before() raised).
  void done_with(std::uint64_t handle);

  std::unique_ptr<store::StateStore> store_;
  std::size_t checkpoint_every_;
  std::size_t max_resident_bytes_;
  std::mutex mutex_;  // guards logs_, pending_, tick_ and stopping_
  std::condition_variable wake_;
  std::condition_variable evicted_;  // an eviction finished
  std::uint64_t tick_ = 0;
  absl::flat_hash_map<std::uint64_t, ProjectLog> logs_;
  std::deque<PendingCheckpoint> pending_;
  bool stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace voxd::daemon
