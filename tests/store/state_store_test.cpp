// The state store on its own: what it keeps across a reopen, group commits that are whole or absent,
// checkpoints that trim the journal, and the refusals at open (locked, foreign, newer, corrupt).
#include "state_store.hpp"

#include <grp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace voxd::store {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxd-store-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<StateStore> open_store(SyncMode sync = SyncMode::normal) {
    auto store = StateStore::open(dir_, sync);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(store).value() : nullptr;
  }

  // Runs SQL on the store file with a connection of its own (the store must be closed).
  void run_sql(const std::string& sql) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / StateStore::kFileName).c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  fs::path dir_;
};

// A write group that creates these projects.
WriteGroup creating(std::vector<NewProject> projects) {
  WriteGroup group;
  group.created = std::move(projects);
  return group;
}

Bytes bytes_of(const std::string& text) {
  return {text.begin(), text.end()};
}

// Bytes that do not compress (a linear congruential sequence): records that take their full size in the WAL.
Bytes incompressible(std::size_t size, std::uint32_t seed) {
  Bytes bytes(size);
  for (std::uint8_t& b : bytes) {
    seed = seed * 1664525U + 1013904223U;
    b = static_cast<std::uint8_t>(seed >> 24U);
  }
  return bytes;
}

std::vector<std::pair<std::int64_t, std::string>> journal_of(StateStore& store, std::uint64_t handle,
                                                             std::int64_t after = 0) {
  std::vector<std::pair<std::int64_t, std::string>> records;
  const auto status = store.read_journal(handle, after, [&](std::int64_t seq, std::span<const std::uint8_t> bytes) {
    records.emplace_back(seq, std::string(bytes.begin(), bytes.end()));
    return core::Status::success();
  });
  EXPECT_TRUE(status) << status.error().message;
  return records;
}

TEST_F(StateStoreTest, CreatesAPrivateDirectory) {
  auto store = open_store();
  ASSERT_TRUE(store);
  EXPECT_EQ(fs::status(dir_).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_TRUE(fs::exists(dir_ / StateStore::kFileName));
}

TEST_F(StateStoreTest, ProjectsAndJournalSurviveAReopen) {
  const Bytes first = bytes_of("edit one");
  const Bytes second = bytes_of("edit two");
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    WriteGroup group;
    group.created.push_back(NewProject{0x100000003, "castle", {}, "curve:owner-key"});
    group.appended.push_back(JournalRecord{0x100000003, 1, first});
    group.appended.push_back(JournalRecord{0x100000003, 2, second});
    ASSERT_TRUE(store->commit(group));
  }
  auto store = open_store();
  ASSERT_TRUE(store);
  auto projects = store->projects();
  ASSERT_TRUE(projects);
  ASSERT_EQ(projects->size(), 1U);
  EXPECT_EQ((*projects)[0].handle, 0x100000003U);
  EXPECT_EQ((*projects)[0].name, "castle");
  EXPECT_EQ((*projects)[0].owner, "curve:owner-key");  // a restarted daemon keeps who owns what
  EXPECT_EQ((*projects)[0].checkpoint_seq, 0);
  EXPECT_EQ((*projects)[0].last_seq, 2);
  const auto records = journal_of(*store, 0x100000003);
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0], (std::pair<std::int64_t, std::string>{1, "edit one"}));
  EXPECT_EQ(records[1], (std::pair<std::int64_t, std::string>{2, "edit two"}));
  EXPECT_EQ(journal_of(*store, 0x100000003, 1).size(), 1U);
}

TEST_F(StateStoreTest, HandlesAboveTwoToTheSixtyThreeRoundTrip) {
  auto store = open_store();
  ASSERT_TRUE(store);
  const std::uint64_t handle = 0xFFFFFFFE00000001ULL;
  ASSERT_TRUE(store->commit(creating({NewProject{handle, "high", {}, ""}})));
  auto projects = store->projects();
  ASSERT_TRUE(projects);
  ASSERT_EQ(projects->size(), 1U);
  EXPECT_EQ((*projects)[0].handle, handle);
  ASSERT_TRUE(store->remove_project(handle, 0xFFFFFFFF));
  auto slots = store->slot_generations();
  ASSERT_TRUE(slots);
  ASSERT_EQ(slots->size(), 1U);
  EXPECT_EQ((*slots)[0].slot, 1U);
  EXPECT_EQ((*slots)[0].generation, 0xFFFFFFFFU);
}

TEST_F(StateStoreTest, AFailedGroupLeavesNothingBehind) {
  auto store = open_store();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->commit(creating({NewProject{7, "a", {}, ""}})));
  const Bytes edit = bytes_of("x");
  WriteGroup bad;
  bad.appended.push_back(JournalRecord{7, 1, edit});
  bad.created.push_back(NewProject{7, "duplicate", {}, ""});  // violates the primary key: the group fails
  const auto status = store->commit(bad);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.code(), core::ErrorCode::io);
  EXPECT_NE(status.error().message.find(StateStore::kFileName), std::string::npos) << status.error().message;
  EXPECT_TRUE(journal_of(*store, 7).empty());
  // The connection is usable afterwards.
  WriteGroup good;
  good.appended.push_back(JournalRecord{7, 1, edit});
  EXPECT_TRUE(store->commit(good));
  EXPECT_EQ(journal_of(*store, 7).size(), 1U);
}

TEST_F(StateStoreTest, SecondCheckpointBecomesTheBaseAndTrimsTheJournal) {
  auto store = open_store();
  ASSERT_TRUE(store);
  WriteGroup group;
  group.created.push_back(NewProject{9, "p", {}, ""});
  std::vector<Bytes> edits;
  for (int i = 1; i <= 6; ++i) {
    edits.push_back(bytes_of("edit " + std::to_string(i)));
  }
  for (int i = 1; i <= 6; ++i) {
    group.appended.push_back(JournalRecord{9, i, edits[static_cast<std::size_t>(i - 1)]});
  }
  ASSERT_TRUE(store->commit(group));
  const Bytes at2 = bytes_of("state at 2");
  ASSERT_TRUE(store->write_checkpoint(9, 2, at2));
  // The first checkpoint is not the base yet: recovery still replays everything (undo reaches back).
  EXPECT_TRUE(store->checkpoint_of(9)->empty());
  EXPECT_EQ(journal_of(*store, 9).size(), 6U);
  EXPECT_EQ((*store->projects())[0].checkpoint_seq, 0);
  const Bytes at5 = bytes_of("state at 5");
  ASSERT_TRUE(store->write_checkpoint(9, 5, at5));
  EXPECT_EQ(*store->checkpoint_of(9), at2);
  // The records the base covers (1 and 2) stay until trimmed, a slice at a time; recovery reads after the base.
  EXPECT_EQ(journal_of(*store, 9, 2).size(), 4U);
  EXPECT_EQ(journal_of(*store, 9).size(), 6U);
  auto more = store->trim_journal(9, 1);
  ASSERT_TRUE(more);
  EXPECT_TRUE(*more);
  EXPECT_EQ(journal_of(*store, 9).front().first, 2);
  more = store->trim_journal(9, 1);
  ASSERT_TRUE(more);
  EXPECT_TRUE(*more);  // a full slice: it cannot know yet that none is left
  more = store->trim_journal(9, 1);
  ASSERT_TRUE(more);
  EXPECT_FALSE(*more);
  const auto left = journal_of(*store, 9);
  ASSERT_EQ(left.size(), 4U);
  EXPECT_EQ(left[0].first, 3);
  auto projects = store->projects();
  ASSERT_TRUE(projects);
  EXPECT_EQ((*projects)[0].checkpoint_seq, 2);
  EXPECT_EQ((*projects)[0].last_seq, 6);
  // An older checkpoint arriving late changes nothing.
  ASSERT_TRUE(store->write_checkpoint(9, 4, bytes_of("older")));
  EXPECT_EQ(*store->checkpoint_of(9), at2);
  EXPECT_EQ(journal_of(*store, 9).size(), 4U);
  // Nor does one of a project closed meanwhile.
  ASSERT_TRUE(store->remove_project(9, 2));
  ASSERT_TRUE(store->write_checkpoint(9, 7, bytes_of("late")));
  EXPECT_TRUE(store->projects()->empty());
}

// SQLite's automatic checkpoint (inside the commit that passes 1000 WAL pages) is replaced by the store's
// background connection: the WAL's pages still reach the database file, with no commit doing the copy.
TEST_F(StateStoreTest, WalIsCopiedIntoTheDatabaseByTheBackgroundCheckpoint) {
  auto store = open_store();
  ASSERT_TRUE(store);
  WriteGroup created;
  created.created.push_back(NewProject{5, "big", {}, ""});
  ASSERT_TRUE(store->commit(created));
  const Bytes record = incompressible(8000, 1);    // two overflow pages and more per record
  const int records = WalCheckpointer::kWalPages;  // 2-3 WAL pages each: past the threshold twice over
  for (int i = 1; i <= records; ++i) {
    WriteGroup group;
    group.appended.push_back(JournalRecord{5, i, record});
    ASSERT_TRUE(store->commit(group));
  }
  // The thread was woken past kWalPages; wait for it (bounded: a minute, far above what it needs).
  for (int waited_ms = 0; store->wal_checkpoints() == 0 && waited_ms < 60000; waited_ms += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(store->wal_checkpoints(), 1U);
  // The database file holds the copied pages: at least a quarter of the threshold's 4 KB frames are distinct
  // pages (a few pages, without the copy).
  EXPECT_GT(fs::file_size(dir_ / StateStore::kFileName),
            static_cast<std::uintmax_t>(WalCheckpointer::kWalPages) * 4096U / 4U);
  EXPECT_EQ(journal_of(*store, 5).size(), static_cast<std::size_t>(records));
  // Asked again only once kWalPages more frames have come since what it copied (and never while one is under
  // way), not on every commit while the WAL is long, which kept it copying and fsyncing all the time.
  const std::uint64_t asked = store->wal_checkpoints_asked();
  const Bytes small = bytes_of("small");
  for (int i = records + 1; i <= records + 100; ++i) {
    WriteGroup group;
    group.appended.push_back(JournalRecord{5, i, small});
    ASSERT_TRUE(store->commit(group));
  }
  EXPECT_LE(store->wal_checkpoints_asked(), asked + 1);  // 100 commits of 2-3 frames cross kWalPages once at most
  store.reset();
  auto reopened = open_store();
  ASSERT_TRUE(reopened);
  const auto journal = journal_of(*reopened, 5);
  ASSERT_EQ(journal.size(), static_cast<std::size_t>(records) + 100U);
  EXPECT_EQ(journal[static_cast<std::size_t>(records) - 1].second, std::string(record.begin(), record.end()));
  EXPECT_EQ(journal.back().first, records + 100);
  // Closed by its last connection, the store leaves no WAL behind.
  reopened.reset();
  EXPECT_FALSE(fs::exists(dir_ / (std::string(StateStore::kFileName) + "-wal")));
}

TEST_F(StateStoreTest, RemovedProjectLeavesItsNextGeneration) {
  auto store = open_store();
  ASSERT_TRUE(store);
  WriteGroup group;
  group.created.push_back(NewProject{0x300000002, "p", {}, ""});
  const Bytes edit = bytes_of("e");
  group.appended.push_back(JournalRecord{0x300000002, 1, edit});
  ASSERT_TRUE(store->commit(group));
  ASSERT_TRUE(store->remove_project(0x300000002, 4));
  EXPECT_TRUE(store->projects()->empty());
  EXPECT_TRUE(journal_of(*store, 0x300000002).empty());
  ASSERT_TRUE(store->remove_project(0x100000002, 2));  // an older close of the same slot never lowers it
  auto slots = store->slot_generations();
  ASSERT_TRUE(slots);
  ASSERT_EQ(slots->size(), 1U);
  EXPECT_EQ((*slots)[0].slot, 2U);
  EXPECT_EQ((*slots)[0].generation, 4U);
}

TEST_F(StateStoreTest, SecondOpenWhileLockedIsRefused) {
  auto store = open_store();
  ASSERT_TRUE(store);
  auto second = StateStore::open(dir_, SyncMode::normal);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.code(), core::ErrorCode::busy);
  EXPECT_NE(second.error().message.find("in use by another voxd (pid " + std::to_string(::getpid())), std::string::npos)
      << second.error().message;
  store.reset();
  EXPECT_TRUE(StateStore::open(dir_, SyncMode::normal)) << "the lock goes with the store";
}

// Shares survive a reopen; revoking deletes one; closing the project deletes all of its shares.
TEST_F(StateStoreTest, SharesAreKeptUntilRevokedOrTheProjectCloses) {
  const std::uint64_t handle = 0x200000001ULL;
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit(
        creating({NewProject{handle, "shared", {}, "curve:alice"}, NewProject{7, "other", {}, "curve:alice"}})));
    ASSERT_TRUE(store->set_share(handle, "curve:bob", 1));
    ASSERT_TRUE(store->set_share(handle, "curve:bob", 2));  // replaces
    ASSERT_TRUE(store->set_share(handle, "uid:1000", 1));
    ASSERT_TRUE(store->set_share(7, "uid:1000", 2));
  }
  auto store = open_store();
  ASSERT_TRUE(store);
  auto shares = store->shares();
  ASSERT_TRUE(shares) << shares.error().message;
  ASSERT_EQ(shares->size(), 3U);
  EXPECT_EQ((*shares)[0].handle, 7U);
  EXPECT_EQ((*shares)[1].handle, handle);
  EXPECT_EQ((*shares)[1].identity, "curve:bob");
  EXPECT_EQ((*shares)[1].access, 2U);
  EXPECT_EQ((*shares)[2].identity, "uid:1000");
  ASSERT_TRUE(store->set_share(handle, "uid:1000", 0));  // revoked
  ASSERT_EQ(store->shares()->size(), 2U);
  ASSERT_TRUE(store->remove_project(handle, 2));
  shares = store->shares();
  ASSERT_EQ(shares->size(), 1U);
  EXPECT_EQ((*shares)[0].handle, 7U);
}

// A store of the voxd before shares (version 1, no shares table) is upgraded in place and keeps its projects.
TEST_F(StateStoreTest, VersionOneStoreIsUpgraded) {
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit(creating({NewProject{5, "old", {}, ""}})));
  }
  run_sql("DROP TABLE shares; ALTER TABLE journal DROP COLUMN codec; PRAGMA user_version=1;");  // as version 1 was
  auto store = open_store();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->projects()->size(), 1U);
  ASSERT_TRUE(store->set_share(5, "uid:7", 1));
  EXPECT_EQ(store->shares()->size(), 1U);
  store.reset();
  auto reopened = open_store();  // now a current store: opened as it is
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->shares()->size(), 1U);
}

// A query's single integer, on the store file with a connection of its own (the store must be closed).
std::int64_t query_integer(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::int64_t value = -1;
  if (sqlite3_open(file.c_str(), &db) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
      value = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return value;
}

TEST_F(StateStoreTest, LargeRecordsAreStoredCompressedAndReadBackExactly) {
  // A bulk edit's bytes: 1,000 voxels of 16 bytes, as compressible as real edits (small coordinates, few colours).
  std::string bulk;
  for (int i = 0; i < 1000; ++i) {
    const std::int32_t voxel[4] = {i % 10, (i / 10) % 10, i / 100, static_cast<std::int32_t>(0x7F0000FF + i % 7)};
    bulk.append(reinterpret_cast<const char*>(voxel), sizeof(voxel));
  }
  const Bytes large = bytes_of(bulk), small = bytes_of("one voxel"), random = incompressible(4096, 12345);
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    WriteGroup group;
    group.created.push_back(NewProject{7, "p", {}, ""});
    group.appended.push_back(JournalRecord{7, 1, large});
    group.appended.push_back(JournalRecord{7, 2, small});
    group.appended.push_back(JournalRecord{7, 3, random});
    ASSERT_TRUE(store->commit(group));
  }
  const fs::path file = dir_ / StateStore::kFileName;
  EXPECT_EQ(query_integer(file, "SELECT codec FROM journal WHERE seq = 1"), 1);  // zstd
  EXPECT_LT(query_integer(file, "SELECT length(request) FROM journal WHERE seq = 1"),
            static_cast<std::int64_t>(large.size() / 4));
  EXPECT_EQ(query_integer(file, "SELECT codec FROM journal WHERE seq = 2"), 0);  // too small to pay
  EXPECT_EQ(query_integer(file, "SELECT codec FROM journal WHERE seq = 3"), 0);  // does not shrink
  auto store = open_store();
  ASSERT_TRUE(store);
  const auto records = journal_of(*store, 7);
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].second, bulk);
  EXPECT_EQ(records[1].second, "one voxel");
  EXPECT_EQ(records[2].second, std::string(random.begin(), random.end()));
}

TEST_F(StateStoreTest, DamagedOrUnknownRecordsAreHandedOnEmpty) {
  std::string bulk(20000, 'a');
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    WriteGroup group;
    group.created.push_back(NewProject{7, "p", {}, ""});
    for (std::int64_t seq = 1; seq <= 3; ++seq) {
      group.appended.push_back(
          JournalRecord{7, seq, std::span(reinterpret_cast<const std::uint8_t*>(bulk.data()), bulk.size())});
    }
    ASSERT_TRUE(store->commit(group));
  }
  // Record 1: its compressed bytes cut short; record 2: a codec from a future voxd; record 3 intact.
  run_sql(
      "UPDATE journal SET request = substr(request, 1, 6) WHERE seq = 1;"
      "UPDATE journal SET codec = 9 WHERE seq = 2;");
  auto store = open_store();
  ASSERT_TRUE(store);
  const auto records = journal_of(*store, 7);  // the daemon's replay skips what fails verification, with a warning
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].second, "");
  EXPECT_EQ(records[1].second, "");
  EXPECT_EQ(records[2].second, bulk);
}

TEST_F(StateStoreTest, VersionTwoStoreIsUpgradedAndItsRawRecordsRead) {
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    WriteGroup group;
    group.created.push_back(NewProject{5, "old", {}, ""});
    ASSERT_TRUE(store->commit(group));
  }
  // As voxd wrote version 2 stores: no codec column, every record raw.
  run_sql(
      "ALTER TABLE journal DROP COLUMN codec;"
      "INSERT INTO journal(handle, seq, request) VALUES(5, 1, CAST(zeroblob(3000) AS BLOB));"
      "PRAGMA user_version=2;");
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    const auto records = journal_of(*store, 5);
    ASSERT_EQ(records.size(), 1U);
    EXPECT_EQ(records[0].second, std::string(3000, '\0'));
  }
  EXPECT_EQ(query_integer(dir_ / StateStore::kFileName, "PRAGMA user_version"), StateStore::kSchemaVersion);
}

TEST_F(StateStoreTest, NewerStoreVersionIsRefused) {
  { ASSERT_TRUE(open_store()); }
  run_sql("PRAGMA user_version=" + std::to_string(StateStore::kSchemaVersion + 1));
  auto store = StateStore::open(dir_, SyncMode::normal);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.code(), core::ErrorCode::unsupported);
  EXPECT_NE(store.error().message.find("newer voxd"), std::string::npos) << store.error().message;
}

TEST_F(StateStoreTest, ForeignDatabaseIsRefused) {
  fs::create_directories(dir_);
  run_sql("CREATE TABLE contacts(name TEXT)");
  auto store = StateStore::open(dir_, SyncMode::normal);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("not a voxd state store"), std::string::npos) << store.error().message;
}

TEST_F(StateStoreTest, GarbageFileIsRefusedWithAdvice) {
  fs::create_directories(dir_);
  {
    std::ofstream out(dir_ / StateStore::kFileName, std::ios::binary);
    out << std::string(8192, 'x');
  }
  auto store = StateStore::open(dir_, SyncMode::normal);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("move the file"), std::string::npos) << store.error().message;
}

TEST_F(StateStoreTest, DamagedPagesFailTheIntegrityCheck) {
  {
    auto store = open_store(SyncMode::full);
    ASSERT_TRUE(store);
    WriteGroup group;
    std::vector<Bytes> edits;
    for (int i = 0; i < 200; ++i) {
      edits.push_back(incompressible(3000, static_cast<std::uint32_t>(i)));
    }
    group.created.push_back(NewProject{1, "big", {}, ""});
    for (int i = 0; i < 200; ++i) {
      group.appended.push_back(JournalRecord{1, i + 1, edits[static_cast<std::size_t>(i)]});
    }
    ASSERT_TRUE(store->commit(group));
  }  // closing checkpoints the WAL into the main file
  const fs::path file = dir_ / StateStore::kFileName;
  ASSERT_GT(fs::file_size(file), 64U * 1024);
  {
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    // Overwrite the page headers of pages 2..15 (b-tree pages): every kind of damage quick_check finds.
    for (std::streamoff page = 1; page < 15; ++page) {
      io.seekp(page * 4096);
      io << std::string(64, '\xA5');
    }
  }
  auto store = StateStore::open(dir_, SyncMode::normal);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("move the file"), std::string::npos) << store.error().message;
}

// What StateStore::open says of the store in `dir`, opened as `uid` (-1: as this process): "" when it opened.
// Root writes through read-only permissions, so as root the open runs in a child that has become that user.
std::string open_refusal(const fs::path& dir, int uid) {
  const auto attempt = [&dir] {
    auto store = StateStore::open(dir, SyncMode::normal);
    return store ? std::string() : store.error().message;
  };
  if (uid < 0) return attempt();
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "pipe failed";
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    const auto id = static_cast<uid_t>(uid);
    std::string message = ::setgroups(0, nullptr) == 0 && ::setresgid(id, id, id) == 0 && ::setresuid(id, id, id) == 0
                              ? attempt()
                              : "could not become uid " + std::to_string(uid);
    if (message.empty()) message = "opened";
    (void)!::write(pipe_fds[1], message.data(), message.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t got = 0; (got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    message.append(buffer, static_cast<std::size_t>(got));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return message == "opened" ? "" : message;
}

TEST_F(StateStoreTest, ReadOnlyDirectoryIsRefusedWithAdvice) {
  { ASSERT_TRUE(open_store()); }
  constexpr int kNobody = 65534;
  const bool root = ::geteuid() == 0;
  if (root) {
    // The store becomes nobody's, so that nobody meets only the permissions below.
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      ASSERT_EQ(::chown(entry.path().c_str(), kNobody, kNobody), 0) << entry.path();
    }
    ASSERT_EQ(::chown(dir_.c_str(), kNobody, kNobody), 0);
  }
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  fs::permissions(dir_ / StateStore::kFileName, fs::perms::owner_read);
  const std::string refusal = open_refusal(dir_, root ? kNobody : -1);
  fs::permissions(dir_, fs::perms::owner_all);
  EXPECT_NE(refusal.find("writable"), std::string::npos) << "'" << refusal << "'";
}

}  // namespace
}  // namespace voxd::store
