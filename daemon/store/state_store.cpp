#include "state_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "record_codec.hpp"
#include "sqlite_statement.hpp"

namespace voxd::store {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::make_error;
using core::Result;
using core::Status;

namespace {

// PRAGMA application_id of a voxd store ("voxd" in ASCII): tells it apart from any other SQLite file.
constexpr std::int64_t kApplicationId = 0x766f7864;

// Handles are unsigned 64-bit values; SQLite integers are signed. The bits are stored as they are.
std::int64_t to_sql(std::uint64_t handle) {
  return std::bit_cast<std::int64_t>(handle);
}
std::uint64_t from_sql(std::int64_t value) {
  return std::bit_cast<std::uint64_t>(value);
}

std::string errno_text(int error) {
  return std::error_code(error, std::generic_category()).message();
}

constexpr const char* kSchema = R"sql(
CREATE TABLE projects(handle INTEGER PRIMARY KEY, name TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '', checkpoint BLOB,
                      checkpoint_seq INTEGER NOT NULL DEFAULT 0, next_checkpoint BLOB, next_seq INTEGER);
CREATE TABLE journal(id INTEGER PRIMARY KEY, handle INTEGER NOT NULL, seq INTEGER NOT NULL, request BLOB NOT NULL,
                     codec INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX journal_by_project ON journal(handle, seq);
CREATE TABLE slots(slot INTEGER PRIMARY KEY, generation INTEGER NOT NULL);
)sql";

// Store version 2 added the shares of each project (ShareProject), so a restart keeps who may read or edit it.
constexpr const char* kSharesTable = R"sql(
CREATE TABLE shares(handle INTEGER NOT NULL, identity TEXT NOT NULL, access INTEGER NOT NULL,
                    PRIMARY KEY(handle, identity)) WITHOUT ROWID;
)sql";

// Store version 3 added how each journal record is kept (record_codec.hpp); older records are raw.
constexpr const char* kJournalCodecColumn = "ALTER TABLE journal ADD COLUMN codec INTEGER NOT NULL DEFAULT 0;";

}  // namespace

const char* synchronous_pragma(SyncMode sync) {
  switch (sync) {
    case SyncMode::full: return "PRAGMA synchronous=FULL";
    case SyncMode::normal: return "PRAGMA synchronous=NORMAL";
    case SyncMode::off: break;
  }
  return "PRAGMA synchronous=OFF";
}

struct StateStore::Connection {
  sqlite3* db = nullptr;
  Statement begin, commit, rollback;
  Statement insert_project, insert_journal, promote_checkpoint, update_checkpoint, delete_covered_journal;
  Statement trim_covered_journal;
  Statement set_base;
  Statement delete_project, delete_project_journal, raise_slot_generation;
  Statement select_projects, select_slots, select_checkpoint, select_journal;
  Statement upsert_share, delete_share, delete_project_shares, select_shares;
  RecordCompressor compressor;  // the journal's records, under the store's lock like the statements

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&&) = delete;
  Connection& operator=(Connection&&) = delete;
  ~Connection() {
    // Statements first: sqlite3_close refuses while any is alive.
    for (Statement* statement : {&begin,
                                 &commit,
                                 &rollback,
                                 &insert_project,
                                 &insert_journal,
                                 &promote_checkpoint,
                                 &update_checkpoint,
                                 &delete_covered_journal,
                                 &trim_covered_journal,
                                 &delete_project,
                                 &delete_project_journal,
                                 &raise_slot_generation,
                                 &select_projects,
                                 &select_slots,
                                 &select_checkpoint,
                                 &select_journal,
                                 &set_base,
                                 &upsert_share,
                                 &delete_share,
                                 &delete_project_shares,
                                 &select_shares}) {
      *statement = Statement();
    }
    sqlite3_close(db);
  }

  [[nodiscard]] std::string message() const { return db != nullptr ? sqlite3_errmsg(db) : "out of memory"; }

  // Runs statements that return nothing; SQLITE_OK or the error code.
  int exec(const char* sql) const { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

  // The single integer a PRAGMA or query returns; -1 with `rc` set on error.
  std::int64_t query_integer(const char* sql, int& rc) const {
    Statement statement;
    rc = statement.prepare(db, sql);
    if (rc != SQLITE_OK) {
      return -1;
    }
    rc = statement.step();
    if (rc != SQLITE_ROW) {
      return -1;
    }
    rc = SQLITE_OK;
    return statement.integer(0);
  }

  std::string query_text(const char* sql, int& rc) const {
    Statement statement;
    rc = statement.prepare(db, sql);
    if (rc != SQLITE_OK) {
      return {};
    }
    rc = statement.step();
    if (rc != SQLITE_ROW) {
      return {};
    }
    rc = SQLITE_OK;
    return statement.text(0);
  }

  int prepare_all() {
    const std::array<std::pair<Statement*, const char*>, 21> statements{{
        {&set_base,
         "UPDATE projects SET checkpoint = ?2, checkpoint_seq = ?3, next_checkpoint = NULL, next_seq = NULL "
         "WHERE handle = ?1"},
        {&begin, "BEGIN IMMEDIATE"},
        {&commit, "COMMIT"},
        {&rollback, "ROLLBACK"},
        {&insert_project,
         "INSERT INTO projects(handle, name, checkpoint, checkpoint_seq, owner) VALUES(?1, ?2, ?3, 0, ?4)"},
        {&insert_journal, "INSERT INTO journal(handle, seq, request, codec) VALUES(?1, ?2, ?3, ?4)"},
        {&promote_checkpoint,
         "UPDATE projects SET checkpoint = next_checkpoint, checkpoint_seq = next_seq, next_checkpoint = NULL, "
         "next_seq = NULL WHERE handle = ?1 AND next_seq IS NOT NULL AND next_seq < ?2"},
        {&update_checkpoint,
         "UPDATE projects SET next_checkpoint = ?2, next_seq = ?3 "
         "WHERE handle = ?1 AND coalesce(next_seq, checkpoint_seq) < ?3"},
        {&delete_covered_journal,
         "DELETE FROM journal WHERE handle = ?1 AND seq <= (SELECT checkpoint_seq FROM projects WHERE handle = ?1)"},
        {&trim_covered_journal,
         "DELETE FROM journal WHERE id IN (SELECT id FROM journal WHERE handle = ?1 AND seq <= "
         "(SELECT checkpoint_seq FROM projects WHERE handle = ?1) ORDER BY seq LIMIT ?2)"},
        {&delete_project, "DELETE FROM projects WHERE handle = ?1"},
        {&delete_project_journal, "DELETE FROM journal WHERE handle = ?1"},
        {&raise_slot_generation,
         "INSERT INTO slots(slot, generation) VALUES(?1, ?2) "
         "ON CONFLICT(slot) DO UPDATE SET generation = max(generation, excluded.generation)"},
        {&select_projects,
         "SELECT handle, name, checkpoint_seq, "
         "coalesce((SELECT max(seq) FROM journal j WHERE j.handle = p.handle), checkpoint_seq) "
         ", owner FROM projects p ORDER BY handle"},
        {&select_slots, "SELECT slot, generation FROM slots ORDER BY slot"},
        {&select_checkpoint, "SELECT checkpoint FROM projects WHERE handle = ?1"},
        {&select_journal, "SELECT seq, request, codec FROM journal WHERE handle = ?1 AND seq > ?2 ORDER BY seq"},
        {&upsert_share,
         "INSERT INTO shares(handle, identity, access) VALUES(?1, ?2, ?3) "
         "ON CONFLICT(handle, identity) DO UPDATE SET access = excluded.access"},
        {&delete_share, "DELETE FROM shares WHERE handle = ?1 AND identity = ?2"},
        {&delete_project_shares, "DELETE FROM shares WHERE handle = ?1"},
        {&select_shares, "SELECT handle, identity, access FROM shares ORDER BY handle, identity"},
    }};
    for (const auto& [statement, sql] : statements) {
      if (const int rc = statement->prepare(db, sql); rc != SQLITE_OK) {
        return rc;
      }
    }
    return SQLITE_OK;
  }
};

namespace {

// Takes the store's lock file; an error saying who holds it otherwise.
Result<int> lock_store(const fs::path& dir) {
  const fs::path lock_path = dir / "voxd.lock";
  const int fd =
      ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);  // NOLINT(cppcoreguidelines-pro-type-vararg)
  if (fd < 0) {
    const int error = errno;
    return make_error(ErrorCode::io, "cannot open the state store's lock file " + lock_path.string() + ": " +
                                         errno_text(error) + "; make " + dir.string() +
                                         " writable by this user, or choose another --state-dir (or --ephemeral)");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    std::array<char, 32> pid{};
    const ssize_t got = ::pread(fd, pid.data(), pid.size() - 1, 0);
    ::close(fd);
    if (error == EWOULDBLOCK) {
      const std::string holder = got > 0 ? " (pid " + std::string(pid.data(), static_cast<std::size_t>(got)) + ")" : "";
      return make_error(ErrorCode::busy, "the state store " + dir.string() + " is in use by another voxd" + holder +
                                             "; stop that daemon first, or give this one its own --state-dir");
    }
    return make_error(ErrorCode::io, "cannot lock " + lock_path.string() + ": " + errno_text(error));
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(fd);
    return make_error(ErrorCode::io, "cannot write " + lock_path.string() + ": " + errno_text(error) +
                                         "; the state store needs a writable disk with free space");
  }
  return fd;
}

Status make_state_dir(const fs::path& dir) {
  std::error_code error;
  if (fs::is_directory(dir, error)) {
    return Status::success();
  }
  fs::create_directories(dir.parent_path(), error);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    const int e = errno;
    return make_error(ErrorCode::io, "cannot create the state directory " + dir.string() + ": " + errno_text(e) +
                                         "; create it, or choose another --state-dir (or --ephemeral)");
  }
  return Status::success();
}

}  // namespace

Result<std::unique_ptr<StateStore>> StateStore::open(const fs::path& dir, SyncMode sync) {
  VOXD_TRY(make_state_dir(dir));
  auto lock_fd = lock_store(dir);
  if (!lock_fd) {
    return std::move(lock_fd).error();
  }
  const fs::path file = dir / kFileName;
  const std::string where = "the state store " + file.string();
  const auto fail = [&](const std::string& what, ErrorCode code = ErrorCode::io) {
    ::close(*lock_fd);
    return make_error(code, where + ": " + what);
  };
  auto connection = std::make_unique<Connection>();
  Connection& c = *connection;
  if (sqlite3_open_v2(file.c_str(), &c.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    return fail("cannot be opened (" + c.message() +
                "); check the path and its permissions, or choose another "
                "--state-dir");
  }
  sqlite3_extended_result_codes(c.db, 1);
  if (sqlite3_db_readonly(c.db, "main") == 1) {
    return fail(
        "is read-only; make it writable by this user (voxd writes every edit to it), or choose another "
        "--state-dir");
  }
  const std::string corrupt_advice =
      "; move the file (and its -wal) away to start with an empty store, or restore it from a backup "
      "(`sqlite3 FILE .recover` may salvage its contents)";
  int rc = SQLITE_OK;
  const std::int64_t application_id = c.query_integer("PRAGMA application_id", rc);
  if (rc != SQLITE_OK) {
    return fail("cannot be read (" + c.message() + ")" + corrupt_advice);
  }
  const std::int64_t version = c.query_integer("PRAGMA user_version", rc);
  const std::int64_t tables = c.query_integer("SELECT count(*) FROM sqlite_master", rc);
  if (rc != SQLITE_OK) {
    return fail("cannot be read (" + c.message() + ")" + corrupt_advice);
  }
  const bool fresh = application_id == 0 && version == 0 && tables == 0;
  if (!fresh && application_id != kApplicationId) {
    return fail("is an SQLite database, but not a voxd state store; choose another --state-dir", ErrorCode::format);
  }
  if (version > kSchemaVersion) {
    return fail("was written by a newer voxd (store version " + std::to_string(version) + ", this voxd reads up to " +
                    std::to_string(kSchemaVersion) +
                    "); run that newer voxd, or move the store away to start this one empty",
                ErrorCode::unsupported);
  }
  if (c.query_text("PRAGMA journal_mode=WAL", rc) != "wal" || rc != SQLITE_OK) {
    return fail("cannot switch to WAL mode (" + c.message() + ")");
  }
  if (c.exec(synchronous_pragma(sync)) != SQLITE_OK) {
    return fail("cannot set its sync mode (" + c.message() + ")");
  }
  if (!fresh) {
    const std::string check = c.query_text("PRAGMA quick_check", rc);
    if (rc != SQLITE_OK || check != "ok") {
      return fail("fails SQLite's integrity check (" + (rc != SQLITE_OK ? c.message() : check) + ")" + corrupt_advice);
    }
  } else {
    const std::string init = std::string("BEGIN;") + kSchema + kSharesTable +
                             "PRAGMA application_id=" + std::to_string(kApplicationId) +
                             ";PRAGMA user_version=" + std::to_string(kSchemaVersion) + ";COMMIT;";
    if (c.exec(init.c_str()) != SQLITE_OK) {
      return fail("cannot be created (" + c.message() + "); the state directory needs free space");
    }
  }
  if (!fresh && version < kSchemaVersion) {  // a store of an older voxd: upgraded in place, in one transaction
    const std::string upgrade = std::string("BEGIN;") + (version < 2 ? kSharesTable : "") + kJournalCodecColumn +
                                "PRAGMA user_version=" + std::to_string(kSchemaVersion) + ";COMMIT;";
    if (c.exec(upgrade.c_str()) != SQLITE_OK) {
      const std::string why = c.message();
      c.exec("ROLLBACK;");
      return fail("cannot be upgraded from store version " + std::to_string(version) + " (" + why +
                  "); the state directory needs free space");
    }
  }
  if (c.prepare_all() != SQLITE_OK) {
    return fail("does not have the tables of store version " + std::to_string(kSchemaVersion) + " (" + c.message() +
                ")" + corrupt_advice);
  }
  auto wal = WalCheckpointer::start(file, sync);
  if (!wal) {
    ::close(*lock_fd);
    return std::move(wal).error();
  }
  (*wal)->install(c.db);
  return std::unique_ptr<StateStore>(
      new StateStore(file, sync, *lock_fd, std::move(connection), std::move(wal).value()));
}

StateStore::StateStore(fs::path file, SyncMode sync, int lock_fd, std::unique_ptr<Connection> connection,
                       std::unique_ptr<WalCheckpointer> wal)
    : file_(std::move(file)), sync_(sync), lock_fd_(lock_fd), db_(std::move(connection)), wal_(std::move(wal)) {}

StateStore::~StateStore() {
  wal_->uninstall(db_->db);
  wal_.reset();  // its connection closes first, so the writer's close is the last one and removes the WAL
  db_.reset();   // closes the database (and checkpoints the WAL) before the lock is released
  ::close(lock_fd_);
}

Status StateStore::in_transaction(const std::function<Status()>& body) {
  const auto failed = [this](const std::string& what) {
    const std::string message = db_->message();
    if (sqlite3_get_autocommit(db_->db) == 0) {
      (void)db_->rollback.run();
    }
    return make_error(ErrorCode::io, "the state store " + file_.string() + ": " + what + " failed: " + message);
  };
  if (db_->begin.run() != SQLITE_DONE) {
    return failed("starting a transaction");
  }
  if (Status status = body(); !status) {
    const core::Error& error = status.error();
    if (sqlite3_get_autocommit(db_->db) == 0) {
      (void)db_->rollback.run();
    }
    return make_error(ErrorCode::io, "the state store " + file_.string() + ": " + error.message);
  }
  if (db_->commit.run() != SQLITE_DONE) {
    return failed("commit");
  }
  return Status::success();
}

namespace {

Status step_done(Statement& statement, sqlite3* db, const char* what) {
  if (statement.run() != SQLITE_DONE) {
    return make_error(ErrorCode::io, std::string(what) + " failed: " + sqlite3_errmsg(db));
  }
  return Status::success();
}

}  // namespace

Status StateStore::commit(const WriteGroup& group) {
  if (group.empty()) {
    return Status::success();
  }
  const std::scoped_lock lock(mutex_);
  return in_transaction([&]() -> Status {
    for (const NewProject& project : group.created) {
      db_->insert_project.bind(1, to_sql(project.handle))
          .bind(2, std::string_view(project.name))
          .bind(4, std::string_view(project.owner));
      if (!project.checkpoint.empty()) {
        db_->insert_project.bind(3, std::span<const std::uint8_t>(project.checkpoint));
      }
      VOXD_TRY(step_done(db_->insert_project, db_->db, "storing a new project"));
    }
    for (const JournalRecord& record : group.appended) {
      RecordCodec codec = RecordCodec::raw;
      const std::span<const std::uint8_t> stored = db_->compressor.pack(record.request, codec);
      db_->insert_journal.bind(1, to_sql(record.handle))
          .bind(2, record.seq)
          .bind(3, stored)
          .bind(4, static_cast<std::int64_t>(codec));
      VOXD_TRY(step_done(db_->insert_journal, db_->db, "journaling an edit"));
    }
    return Status::success();
  });
}

Status StateStore::write_checkpoint(std::uint64_t handle, std::int64_t seq, std::span<const std::uint8_t> state) {
  const std::scoped_lock lock(mutex_);
  return in_transaction([&]() -> Status {
    db_->promote_checkpoint.bind(1, to_sql(handle)).bind(2, seq);
    VOXD_TRY(step_done(db_->promote_checkpoint, db_->db, "promoting a checkpoint"));
    db_->update_checkpoint.bind(1, to_sql(handle)).bind(2, state).bind(3, seq);
    return step_done(db_->update_checkpoint, db_->db, "writing a checkpoint");
  });
}

Result<bool> StateStore::trim_journal(std::uint64_t handle, std::size_t max_records) {
  const std::scoped_lock lock(mutex_);
  int deleted = 0;
  VOXD_TRY(in_transaction([&]() -> Status {
    db_->trim_covered_journal.bind(1, to_sql(handle)).bind(2, static_cast<std::int64_t>(max_records));
    VOXD_TRY(step_done(db_->trim_covered_journal, db_->db, "trimming the journal"));
    deleted = sqlite3_changes(db_->db);
    return Status::success();
  }));
  return static_cast<std::size_t>(deleted) == max_records;
}

Status StateStore::replace_base(std::uint64_t handle, std::int64_t seq, std::span<const std::uint8_t> state) {
  const std::scoped_lock lock(mutex_);
  return in_transaction([&]() -> Status {
    db_->set_base.bind(1, to_sql(handle)).bind(2, state).bind(3, seq);
    VOXD_TRY(step_done(db_->set_base, db_->db, "writing a checkpoint"));
    db_->delete_covered_journal.bind(1, to_sql(handle));
    return step_done(db_->delete_covered_journal, db_->db, "trimming the journal");
  });
}

Status StateStore::remove_project(std::uint64_t handle, std::uint32_t next_generation) {
  const std::scoped_lock lock(mutex_);
  return in_transaction([&]() -> Status {
    db_->delete_project_journal.bind(1, to_sql(handle));
    VOXD_TRY(step_done(db_->delete_project_journal, db_->db, "deleting a project's journal"));
    db_->delete_project.bind(1, to_sql(handle));
    VOXD_TRY(step_done(db_->delete_project, db_->db, "deleting a project"));
    db_->delete_project_shares.bind(1, to_sql(handle));
    VOXD_TRY(step_done(db_->delete_project_shares, db_->db, "deleting a project's shares"));
    db_->raise_slot_generation.bind(1, static_cast<std::int64_t>(static_cast<std::uint32_t>(handle)))
        .bind(2, static_cast<std::int64_t>(next_generation));
    return step_done(db_->raise_slot_generation, db_->db, "recording a closed handle");
  });
}

Result<std::vector<StoredProject>> StateStore::projects() {
  const std::scoped_lock lock(mutex_);
  std::vector<StoredProject> projects;
  Statement& q = db_->select_projects;
  int rc = SQLITE_ROW;
  while ((rc = q.step()) == SQLITE_ROW) {
    projects.push_back(StoredProject{from_sql(q.integer(0)), q.text(1), q.integer(2), q.integer(3), q.text(4)});
  }
  q.reset();
  if (rc != SQLITE_DONE) {
    return make_error(ErrorCode::io,
                      "the state store " + file_.string() + ": listing projects failed: " + db_->message());
  }
  return projects;
}

Status StateStore::set_share(std::uint64_t handle, const std::string& identity, std::uint8_t access) {
  const std::scoped_lock lock(mutex_);
  return in_transaction([&]() -> Status {
    if (access == 0) {
      db_->delete_share.bind(1, to_sql(handle)).bind(2, identity);
      return step_done(db_->delete_share, db_->db, "revoking a share");
    }
    db_->upsert_share.bind(1, to_sql(handle)).bind(2, identity).bind(3, std::int64_t{access});
    return step_done(db_->upsert_share, db_->db, "recording a share");
  });
}

Result<std::vector<StoredShare>> StateStore::shares() {
  const std::scoped_lock lock(mutex_);
  std::vector<StoredShare> shares;
  Statement& q = db_->select_shares;
  int rc = SQLITE_ROW;
  while ((rc = q.step()) == SQLITE_ROW) {
    shares.push_back(StoredShare{from_sql(q.integer(0)), q.text(1), static_cast<std::uint8_t>(q.integer(2))});
  }
  q.reset();
  if (rc != SQLITE_DONE) {
    return make_error(ErrorCode::io,
                      "the state store " + file_.string() + ": reading shares failed: " + db_->message());
  }
  return shares;
}

Result<std::vector<SlotGeneration>> StateStore::slot_generations() {
  const std::scoped_lock lock(mutex_);
  std::vector<SlotGeneration> slots;
  Statement& q = db_->select_slots;
  int rc = SQLITE_ROW;
  while ((rc = q.step()) == SQLITE_ROW) {
    slots.push_back(SlotGeneration{static_cast<std::uint32_t>(q.integer(0)), static_cast<std::uint32_t>(q.integer(1))});
  }
  q.reset();
  if (rc != SQLITE_DONE) {
    return make_error(ErrorCode::io, "the state store " + file_.string() + ": reading slots failed: " + db_->message());
  }
  return slots;
}

Result<std::vector<std::uint8_t>> StateStore::checkpoint_of(std::uint64_t handle) {
  const std::scoped_lock lock(mutex_);
  Statement& q = db_->select_checkpoint;
  q.bind(1, to_sql(handle));
  const int rc = q.step();
  std::vector<std::uint8_t> bytes;
  if (rc == SQLITE_ROW) {
    const auto blob = q.blob(0);
    bytes.assign(blob.begin(), blob.end());
  }
  q.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return make_error(ErrorCode::io,
                      "the state store " + file_.string() + ": reading a checkpoint failed: " + db_->message());
  }
  return bytes;
}

Status StateStore::read_journal(std::uint64_t handle, std::int64_t after_seq,
                                const std::function<Status(std::int64_t, std::span<const std::uint8_t>)>& each) {
  // The rows are copied out and applied after the store's lock is released: `each` locks the project, and
  // eviction takes the project's lock before the store's, so holding both here would invert that order.
  // What is copied is the journal since the project's last checkpoint, which --checkpoint-every bounds.
  struct Row {
    std::int64_t seq = 0;
    std::int64_t codec = 0;
    std::vector<std::uint8_t> stored;
  };
  std::vector<Row> rows;
  int rc = SQLITE_ROW;
  std::string message;
  {
    const std::scoped_lock lock(mutex_);
    Statement& q = db_->select_journal;
    q.bind(1, to_sql(handle)).bind(2, after_seq);
    while ((rc = q.step()) == SQLITE_ROW) {
      const auto blob = q.blob(1);
      rows.push_back(Row{q.integer(0), q.integer(2), std::vector<std::uint8_t>(blob.begin(), blob.end())});
    }
    message = db_->message();
    q.reset();
  }
  if (rc != SQLITE_DONE) {
    return make_error(ErrorCode::io, "the state store " + file_.string() + ": reading the journal failed: " + message);
  }
  for (const Row& row : rows) {
    // A record that cannot be expanded is handed on empty: it fails verification like any damaged record.
    auto request = unpack_record(row.codec, row.stored);
    Status applied = each(row.seq, request ? *request : std::vector<std::uint8_t>());
    if (!applied) {
      return applied;
    }
  }
  return Status::success();
}

std::uint64_t StateStore::wal_checkpoints() const {
  return wal_->completed();
}

std::uint64_t StateStore::wal_checkpoints_asked() const {
  return wal_->asked();
}

std::uint64_t StateStore::disk_bytes() const {
  std::uint64_t total = 0;
  for (const fs::path& path : {file_, fs::path(file_.string() + "-wal")}) {
    std::error_code error;
    const auto size = fs::file_size(path, error);
    total += error ? 0 : size;
  }
  return total;
}

}  // namespace voxd::store
