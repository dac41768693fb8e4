// Moves SQLite's WAL checkpoints (copying committed pages from the -wal file back into the database, with its
// fsync) off the request path. By default SQLite runs one inside the COMMIT that takes the WAL past 1000 pages,
// so every few hundred journaled edits one edit's reply waited for the copy and the fsync: on the 2-vCPU guest,
// with 1,000-voxel edits, that was about 40% of what the store cost per edit (docs/durability.md).
//
// The store's own connection reports the WAL's size after each commit (sqlite3_wal_hook, which replaces the
// automatic checkpoint). Every kWalPages frames past what was last copied, this object's thread, on its own connection
// to the same file, runs a PASSIVE checkpoint, which never blocks the writer: the writer keeps appending while earlier
// frames are copied, and SQLite starts the WAL over once everything in it is in the database. If the thread falls
// behind (the WAL past kBackstopPages), the committing connection checkpoints inline, as SQLite would have, so the WAL
// stays bounded whatever happens.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "voxd/core/error.hpp"

struct sqlite3;

namespace voxd::store {

enum class SyncMode;

class WalCheckpointer {
 public:
  static constexpr int kWalPages = 1000;        // SQLite's own threshold (4 MB of 4 KB pages)
  static constexpr int kBackstopPages = 16000;  // 64 MB: checkpoint in the writer rather than grow further

  // Opens a second connection to `file` (a database already in WAL mode), with the store's sync mode (it decides
  // the checkpoint's fsyncs), and starts the thread.
  [[nodiscard]] static core::Result<std::unique_ptr<WalCheckpointer>> start(const std::filesystem::path& file,
                                                                            SyncMode sync);
  ~WalCheckpointer();  // finishes a checkpoint under way, stops the thread, closes its connection
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  WalCheckpointer(WalCheckpointer&&) = delete;
  WalCheckpointer& operator=(WalCheckpointer&&) = delete;

  // Installs the WAL hook on the writer's connection `writer`; uninstall() before either is closed.
  void install(sqlite3* writer);
  void uninstall(sqlite3* writer);

  // Checkpoints completed by the thread so far, and the last one's error ("" when none failed).
  [[nodiscard]] std::uint64_t completed() const;
  [[nodiscard]] std::uint64_t asked() const;  // times a commit woke the thread
  [[nodiscard]] std::string last_error() const;

 private:
  explicit WalCheckpointer(sqlite3* db);
  static int on_commit(void* self, sqlite3* writer, const char* database, int wal_pages);
  void run();

  sqlite3* db_;  // used by the thread only (and closed by the destructor after it stopped)
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool in_hand_ = false;  // asked for and not finished: the hook asks again only after it
  bool stopping_ = false;
  std::uint64_t completed_ = 0;
  std::uint64_t asked_ = 0;
  // Frames of the current WAL already in the database, as the last checkpoint reported (either thread writes it).
  std::atomic<int> copied_pages_{0};
  int last_wal_pages_ = 0;  // the writer's, in its hook: a smaller count means the WAL started over
  std::string last_error_;
  std::thread thread_;
};

}  // namespace voxd::store
