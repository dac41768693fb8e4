#include "wal_checkpointer.hpp"

#include <sqlite3.h>

#include <utility>

#include "background_priority.hpp"
#include "state_store.hpp"

namespace voxd::store {

using core::ErrorCode;
using core::make_error;
using core::Result;

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::filesystem::path& file, SyncMode sync) {
  sqlite3* db = nullptr;
  const auto failed = [&](const std::string& what) {
    const std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return make_error(ErrorCode::io, "the state store " + file.string() + ": " + what + " (" + message + ")");
  };
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return failed("cannot open its checkpoint connection");
  }
  if (sqlite3_exec(db, synchronous_pragma(sync), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return failed("cannot set its checkpoint connection's sync mode");
  }
  std::unique_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(db));
  checkpointer->thread_ = std::thread([raw = checkpointer.get()] { raw->run(); });
  return checkpointer;
}

WalCheckpointer::WalCheckpointer(sqlite3* db) : db_(db) {}

WalCheckpointer::~WalCheckpointer() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_close(db_);
}

void WalCheckpointer::install(sqlite3* writer) {
  sqlite3_wal_hook(writer, &WalCheckpointer::on_commit, this);
}

void WalCheckpointer::uninstall(sqlite3* writer) {
  sqlite3_wal_hook(writer, nullptr, nullptr);
}

int WalCheckpointer::on_commit(void* self, sqlite3* writer, const char* database, int wal_pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  // Counted from what the last checkpoint copied: the WAL only starts over once a write begins with all of it
  // copied, which under steady writes is rare, so its size alone would wake the thread on every commit.
  if (wal_pages < checkpointer->last_wal_pages_) {
    checkpointer->copied_pages_.store(0);  // it started over
  }
  checkpointer->last_wal_pages_ = wal_pages;
  if (wal_pages >= kBackstopPages) {
    // Long enough: copy everything in this commit (no frame can arrive meanwhile), so the next write starts the
    // WAL over, as SQLite's automatic checkpoint would.
    int copied = 0;
    (void)sqlite3_wal_checkpoint_v2(writer, database, SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied);
    checkpointer->copied_pages_.store(copied);
  } else if (wal_pages - checkpointer->copied_pages_.load() >= kWalPages) {
    const std::scoped_lock lock(checkpointer->mutex_);
    if (!checkpointer->in_hand_) {  // one at a time: commits while it copies do not queue another behind it
      checkpointer->in_hand_ = true;
      checkpointer->wanted_ = true;
      ++checkpointer->asked_;
      checkpointer->wake_.notify_one();
    }
  }
  return SQLITE_OK;  // the commit itself succeeded either way
}

void WalCheckpointer::run() {
  lower_this_threads_priority();
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || wanted_; });
    if (stopping_) {
      return;
    }
    wanted_ = false;
    lock.unlock();
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied);
    if (rc == SQLITE_OK) copied_pages_.store(copied);
    const std::string error = rc == SQLITE_OK || rc == SQLITE_BUSY ? "" : sqlite3_errmsg(db_);
    lock.lock();
    in_hand_ = false;
    if (rc == SQLITE_OK) {
      ++completed_;
    }
    if (rc != SQLITE_BUSY) {
      last_error_ = error;  // BUSY: another checkpoint (the writer's backstop) was running; the next one catches up
    }
  }
}

std::uint64_t WalCheckpointer::completed() const {
  const std::scoped_lock lock(mutex_);
  return completed_;
}

std::uint64_t WalCheckpointer::asked() const {
  const std::scoped_lock lock(mutex_);
  return asked_;
}

std::string WalCheckpointer::last_error() const {
  const std::scoped_lock lock(mutex_);
  return last_error_;
}

}  // namespace voxd::store
