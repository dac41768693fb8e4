// The daemon's state store: one SQLite database (WAL mode) in the state directory holding, per project,
// its name, its last checkpoint and the journal of the verified edit requests applied since (the
// FlatBuffers bytes as received, each with a per-project sequence number), plus the next generation of
// every project slot whose project was closed, so a closed project's handle stays stale after a restart.
//
// One writing connection: every call takes the store's mutex, and the prepared statements live as long as
// the connection. commit() writes a whole group of records in one transaction, which is what makes pipelined
// edits cheap (group commit). A second connection, in its own thread, copies the WAL back into the database
// (wal_checkpointer.hpp), so no commit waits for that. The database is locked against a second daemon with
// an flock() on a lock file next to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "voxd/core/error.hpp"
#include "wal_checkpointer.hpp"

namespace voxd::store {

// What a commit waits for: off = nothing (a crash of the OS or the process may lose recent edits),
// normal = the WAL write (survives kill -9, not power loss), full = fsync of the WAL (survives power loss).
enum class SyncMode { off, normal, full };

// The PRAGMA that sets `sync` on a connection (each of the store's connections needs it: it decides the fsyncs
// of that connection's commits and checkpoints).
[[nodiscard]] const char* synchronous_pragma(SyncMode sync);

struct NewProject {
  std::uint64_t handle = 0;
  std::string name;
  std::vector<std::uint8_t> checkpoint;  // empty: a project with one empty layer
  std::string owner;                     // the identity that may use it (project_owners.hpp); "" = anonymous
};

struct JournalRecord {
  std::uint64_t handle = 0;
  std::int64_t seq = 0;
  std::span<const std::uint8_t> request;  // a verified protocol Request
};

// Writes that become durable together or not at all.
struct WriteGroup {
  std::vector<NewProject> created;
  std::vector<JournalRecord> appended;
  [[nodiscard]] bool empty() const noexcept { return created.empty() && appended.empty(); }
};

struct StoredProject {
  std::uint64_t handle = 0;
  std::string name;
  std::int64_t checkpoint_seq = 0;  // the base checkpoint holds the journal records up to this one
  std::int64_t last_seq = 0;        // the last journal record (checkpoint_seq when none follows)
  std::string owner;                // NewProject::owner
};

// Another identity's access to a project (ShareProject): 1 read, 2 edit (daemon/src/project_owners.hpp).
struct StoredShare {
  std::uint64_t handle = 0;
  std::string identity;
  std::uint8_t access = 0;
};

struct SlotGeneration {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  // the generation the slot issues next
};

class StateStore {
 public:
  // 2: shares; 3: the journal's codec column (record_codec.hpp). Older stores are upgraded on open.
  static constexpr std::int64_t kSchemaVersion = 3;
  static constexpr const char* kFileName = "voxd.sqlite";

  // Opens (creating if missing) the store in `dir`. Refuses with a message that says what to do when the
  // directory cannot be made, another daemon holds the store, the file is not a voxd store, fails
  // SQLite's quick_check, or was written by a newer voxd.
  [[nodiscard]] static core::Result<std::unique_ptr<StateStore>> open(const std::filesystem::path& dir, SyncMode sync);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;
  StateStore(StateStore&&) = delete;
  StateStore& operator=(StateStore&&) = delete;

  // One transaction; on failure (io naming the store) nothing of the group is stored.
  [[nodiscard]] core::Status commit(const WriteGroup& group);
  // Records `state` as the project's state after journal record `seq`. The store keeps two checkpoints:
  // recovery starts from the older one (the base) and replays the journal after it, so the undo steps
  // rebuilt by the replay reach back at least one checkpoint interval. Writing a checkpoint makes the
  // previous newest one the base. Does nothing if the project is
  // gone (closed meanwhile) or already has a checkpoint at or after `seq`. The records the new base covers
  // stay until trim_journal() removes them (recovery reads only the records after the base).
  [[nodiscard]] core::Status write_checkpoint(std::uint64_t handle, std::int64_t seq,
                                              std::span<const std::uint8_t> state);
  // Deletes up to `max_records` of the records the project's base checkpoint covers, oldest first, in one
  // short transaction; true when it deleted that many (more may be left). Removing an interval's records at
  // once held the writer for tens of milliseconds, since SQLite reads every overflow page it frees; in slices,
  // a commit waits for at most one slice.
  [[nodiscard]] core::Result<bool> trim_journal(std::uint64_t handle, std::size_t max_records);
  // Makes `state` (as of journal record `seq`) the project's only checkpoint and the base of its recovery,
  // deleting the journal up to `seq`: for an undo or redo that a replay from the base could not repeat.
  [[nodiscard]] core::Status replace_base(std::uint64_t handle, std::int64_t seq, std::span<const std::uint8_t> state);
  // Records `identity`'s access to the project (0 revokes), in its own transaction.
  [[nodiscard]] core::Status set_share(std::uint64_t handle, const std::string& identity, std::uint8_t access);
  [[nodiscard]] core::Result<std::vector<StoredShare>> shares();
  // Deletes the project, its journal and shares, and records that its slot issues `next_generation` next.
  [[nodiscard]] core::Status remove_project(std::uint64_t handle, std::uint32_t next_generation);

  [[nodiscard]] core::Result<std::vector<StoredProject>> projects();
  [[nodiscard]] core::Result<std::vector<SlotGeneration>> slot_generations();
  // The base checkpoint's bytes (empty when the project has none: it started with one empty layer).
  [[nodiscard]] core::Result<std::vector<std::uint8_t>> checkpoint_of(std::uint64_t handle);
  // Calls `each` for the journal records of the project after `after_seq`, in order; stops at its error.
  [[nodiscard]] core::Status read_journal(
      std::uint64_t handle, std::int64_t after_seq,
      const std::function<core::Status(std::int64_t seq, std::span<const std::uint8_t> request)>& each);

  // Bytes of the database and its WAL on disk.
  [[nodiscard]] std::uint64_t disk_bytes() const;
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }
  [[nodiscard]] SyncMode sync() const noexcept { return sync_; }
  // WAL checkpoints the background connection has completed (wal_checkpointer.hpp).
  [[nodiscard]] std::uint64_t wal_checkpoints() const;
  // ... and the times a commit woke it for one.
  [[nodiscard]] std::uint64_t wal_checkpoints_asked() const;

 private:
  struct Connection;  // sqlite3 and its prepared statements (state_store.cpp)
  StateStore(std::filesystem::path file, SyncMode sync, int lock_fd, std::unique_ptr<Connection> connection,
             std::unique_ptr<WalCheckpointer> wal);
  [[nodiscard]] core::Status in_transaction(const std::function<core::Status()>& body);

  std::filesystem::path file_;
  SyncMode sync_;
  int lock_fd_;
  std::mutex mutex_;
  std::unique_ptr<Connection> db_;
  std::unique_ptr<WalCheckpointer> wal_;  // after db_: destroyed first, while the writer is still open
};

}  // namespace voxd::store
