// The workspace under many threads (label "concurrency": also run under ThreadSanitizer).
//
// The main test lets 8 threads apply a random mix of create / edit / add layer / snapshot / undo / redo
// / close / use-after-close to 16 shared project tracks, checks every result as it comes, and logs each
// project's applied operations in order (under its guard) with a checksum of the state they produced.
// Afterwards each log is replayed on a fresh Project, one thread, and must produce the same results,
// the same checksums and (for projects still open) the same final state.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "voxd/core/workspace.hpp"

namespace voxd::core {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kThreads = 8;
constexpr int kTracks = 16;
// Each thread runs for kRunTime or kMaxOpsPerThread operations, whichever ends first, but at least
// kMinOpsPerThread (on a starved machine) unless kHardTimeLimit passes.
constexpr auto kRunTime = std::chrono::seconds(2);
constexpr auto kHardTimeLimit = std::chrono::seconds(30);
constexpr int kMaxOpsPerThread = 20'000;
constexpr int kMinOpsPerThread = 200;
constexpr std::size_t kMaxLayers = 4;
// Edits stay in a 32x8x8 box: two blocks per layer, so states are small and cheap to checksum.
constexpr Box kEditBox{{0, 0, 0}, {31, 7, 7}};

// A digest of every voxel of every layer, independent of the order blocks are stored in.
std::uint64_t checksum(const ProjectState& state) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < state.layers.size(); ++i) {
    state.layers[i].volume.for_each_block([&](BlockCoord coord, const SharedBlock& block) {
      std::uint64_t h = (i + 1) * 0x9E3779B97F4A7C15ULL;
      h ^= (static_cast<std::uint64_t>(static_cast<std::uint32_t>(coord.x)) << 42U) ^
           (static_cast<std::uint64_t>(static_cast<std::uint32_t>(coord.y)) << 21U) ^
           static_cast<std::uint32_t>(coord.z);
      for (const Color c : block->decoded()) {
        h = (h ^ c.packed()) * 0x100000001B3ULL;  // FNV-1a step per voxel
      }
      sum += h;  // blocks combine by addition: order-independent
    });
  }
  return sum;
}

enum class OpKind { edit, add_layer, undo, redo };

struct LoggedOp {
  OpKind kind = OpKind::edit;
  std::size_t layer_index = 0;                  // edit
  std::vector<std::pair<Vec3i, Color>> writes;  // edit
  ErrorCode result = ErrorCode::ok;
  std::uint64_t checksum_after = 0;
};

// A random number in [0, n).
unsigned below(std::mt19937& rng, std::size_t n) {
  return static_cast<unsigned>(rng() % n);
}

// Applies one operation the way the threads do; used by the threads and by the replay alike.
ErrorCode apply(Project& project, const LoggedOp& op) {
  switch (op.kind) {
    case OpKind::edit:
      project.begin_step();
      for (const auto& [position, color] : op.writes) {
        project.mutable_state().layers[op.layer_index].volume.set(position, color);
      }
      project.commit_step();
      return ErrorCode::ok;
    case OpKind::add_layer: {
      project.begin_step();
      ProjectState& state = project.mutable_state();
      Layer layer;
      layer.id = state.next_layer_id++;
      layer.name = "layer " + std::to_string(layer.id);
      state.layers.push_back(std::move(layer));
      project.commit_step();
      return ErrorCode::ok;
    }
    case OpKind::undo: return project.undo().code();
    case OpKind::redo: return project.redo().code();
  }
  return ErrorCode::internal;
}

// Everything the test knows about one project it created.
struct Record {
  ProjectHandle handle;
  std::atomic<int> close_attempts{0};   // incremented before close_project is called
  std::atomic<int> close_successes{0};  // incremented after close_project succeeded
  std::vector<LoggedOp> log;            // only touched while holding the project's guard
};

class Harness {
 public:
  explicit Harness(Workspace& ws) : ws_(ws) {}

  void run_thread(unsigned seed, int* ops_done) {
    std::mt19937 rng(seed);
    const auto start = Clock::now();
    const auto keep_going = [&](int ops) {
      const auto elapsed = Clock::now() - start;
      return ops < kMaxOpsPerThread && elapsed < kHardTimeLimit && (elapsed < kRunTime || ops < kMinOpsPerThread) &&
             !::testing::Test::HasFatalFailure();
    };
    int ops = 0;
    for (; keep_going(ops); ++ops) {
      auto& track = tracks_[static_cast<std::size_t>(below(rng, kTracks))];
      switch (below(rng, 16)) {
        case 0:
        case 1: create(track); break;
        case 2: close(track); break;
        case 3: use_after_close(rng); break;
        case 4: snapshot(track); break;
        default: mutate(track, rng); break;
      }
    }
    *ops_done = ops;
  }

  // Closes what is still open; returns every record for the replay.
  std::deque<Record>& finish() {
    for (auto& track : tracks_) {
      Record* r = track.load();
      if (r != nullptr) {
        verify_open_project_against_replay(*r);
        r->close_attempts.fetch_add(1);
        EXPECT_TRUE(ws_.close_project(r->handle).ok());
        r->close_successes.fetch_add(1);
      }
    }
    EXPECT_EQ(ws_.project_count(), 0U);
    return records_;
  }

 private:
  using Track = std::atomic<Record*>;

  void create(Track& track) {
    if (track.load() != nullptr) {
      return;
    }
    const auto created = ws_.create_project("track");
    ASSERT_TRUE(created.ok()) << created.error().message;
    Record* r = nullptr;
    {
      const std::scoped_lock lock(records_mutex_);
      r = &records_.emplace_back();
    }
    r->handle = created.value();
    Record* expected = nullptr;
    if (!track.compare_exchange_strong(expected, r)) {
      // Another thread filled the track first: ours was never published, so closing must succeed.
      r->close_attempts.fetch_add(1);
      ASSERT_TRUE(ws_.close_project(r->handle).ok());
      r->close_successes.fetch_add(1);
    }
  }

  void close(Track& track) {
    Record* r = track.load();
    if (r == nullptr) {
      return;
    }
    r->close_attempts.fetch_add(1);
    const Status closed = ws_.close_project(r->handle);
    if (closed.ok()) {
      ASSERT_EQ(r->close_successes.fetch_add(1), 0) << "a handle was closed twice";
      Record* expected = r;
      // Only the one successful closer takes a record off its track.
      ASSERT_TRUE(track.compare_exchange_strong(expected, nullptr));
    } else {
      ASSERT_EQ(closed.code(), ErrorCode::stale_handle) << closed.error().message;
      ASSERT_GE(r->close_attempts.load(), 2) << "stale before anyone closed it";
    }
  }

  // A handle whose close has returned is stale for lock and close, forever.
  void use_after_close(std::mt19937& rng) {
    Record* r = nullptr;
    {
      const std::scoped_lock lock(records_mutex_);
      if (records_.empty()) {
        return;
      }
      r = &records_[below(rng, records_.size())];
    }
    if (r->close_successes.load() == 0) {
      return;
    }
    ASSERT_EQ(ws_.lock(r->handle).code(), ErrorCode::stale_handle);
    ASSERT_EQ(ws_.close_project(r->handle).code(), ErrorCode::stale_handle);
  }

  // Locks the track's project; null if there is none or it was closed (which must have been asked for).
  std::optional<ProjectGuard> lock(Track& track, Record** record) {
    Record* r = track.load();
    *record = r;
    if (r == nullptr) {
      return std::nullopt;
    }
    auto guard = ws_.lock(r->handle);
    if (!guard.ok()) {
      EXPECT_EQ(guard.code(), ErrorCode::stale_handle) << guard.error().message;
      EXPECT_GE(r->close_attempts.load(), 1) << "stale before anyone closed it";
      return std::nullopt;
    }
    EXPECT_EQ(guard->handle(), r->handle);
    return std::move(guard).value();
  }

  void mutate(Track& track, std::mt19937& rng) {
    Record* r = nullptr;
    auto guard = lock(track, &r);
    if (!guard) {
      return;
    }
    Project& project = **guard;
    LoggedOp op;
    const unsigned pick = below(rng, 10);
    if (pick < 6) {
      op.kind = OpKind::edit;
      op.layer_index = below(rng, project.layers().size());
      const unsigned count = 1 + below(rng, 8);
      for (unsigned i = 0; i < count; ++i) {
        const Vec3i p{static_cast<int>(below(rng, static_cast<std::size_t>(kEditBox.size_x()))),
                      static_cast<int>(below(rng, static_cast<std::size_t>(kEditBox.size_y()))),
                      static_cast<int>(below(rng, static_cast<std::size_t>(kEditBox.size_z())))};
        // One write in four erases.
        const Color c = below(rng, 4) == 0 ? kEmpty : Color::from_packed(static_cast<std::uint32_t>(rng()) | 1U);
        op.writes.emplace_back(p, c);
      }
    } else if (pick < 7) {
      if (project.layers().size() >= kMaxLayers) {
        return;
      }
      op.kind = OpKind::add_layer;
    } else if (pick < 9) {
      op.kind = OpKind::undo;
    } else {
      op.kind = OpKind::redo;
    }
    op.result = apply(project, op);
    op.checksum_after = checksum(project.state());
    r->log.push_back(std::move(op));
  }

  // A snapshot taken under the guard stays exactly what it was while other threads edit on.
  void snapshot(Track& track) {
    Record* r = nullptr;
    std::uint64_t expected = 0;
    ProjectState copy;
    {
      auto guard = lock(track, &r);
      if (!guard) {
        return;
      }
      copy = (*guard)->snapshot();
      expected = checksum((*guard)->state());
    }
    std::this_thread::yield();  // let writers at the shared blocks
    EXPECT_EQ(checksum(copy), expected);
  }

  void verify_open_project_against_replay(Record& r) {
    auto guard = ws_.lock(r.handle);
    ASSERT_TRUE(guard.ok()) << guard.error().message;
    Project replayed("replay");
    for (const LoggedOp& op : r.log) {
      (void)apply(replayed, op);
    }
    const ProjectState& live = (*guard)->state();
    ASSERT_EQ(live.layers.size(), replayed.layers().size());
    for (std::size_t i = 0; i < live.layers.size(); ++i) {
      EXPECT_EQ(live.layers[i].volume, replayed.layers()[i].volume) << "layer " << i;
    }
    EXPECT_EQ(live, replayed.state());
  }

  Workspace& ws_;
  std::array<Track, kTracks> tracks_{};
  std::mutex records_mutex_;  // guards the deque's structure; elements stay put (deque::emplace_back)
  std::deque<Record> records_;
};

TEST(WorkspaceConcurrency, RandomMixMatchesSingleThreadedReplay) {
  WorkspaceLimits limits;
  limits.max_projects = kTracks + kThreads;  // every track full plus one unpublished create per thread
  Workspace ws(limits);
  Harness harness(ws);
  std::vector<int> ops(kThreads, 0);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&harness, &ops, t] {
      harness.run_thread(0xC0FFEEU + static_cast<unsigned>(t), &ops[static_cast<std::size_t>(t)]);
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  ASSERT_FALSE(HasFailure());

  std::deque<Record>& records = harness.finish();
  int total_ops = 0;
  for (const int n : ops) {
    total_ops += n;
  }
  std::size_t logged = 0;
  std::size_t undos_applied = 0;
  for (const Record& r : records) {
    EXPECT_EQ(r.close_successes.load(), 1) << "every project is closed exactly once";
    EXPECT_EQ(ws.lock(r.handle).code(), ErrorCode::stale_handle);
    // Replay the log on one thread: every result and every intermediate state must match.
    Project replayed("replay");
    for (std::size_t i = 0; i < r.log.size(); ++i) {
      const LoggedOp& op = r.log[i];
      ASSERT_EQ(apply(replayed, op), op.result) << "op " << i;
      ASSERT_EQ(checksum(replayed.state()), op.checksum_after) << "op " << i;
      undos_applied += static_cast<std::size_t>(op.kind == OpKind::undo && op.result == ErrorCode::ok);
    }
    logged += r.log.size();
  }
  // The mix really happened (not a test that silently did nothing).
  EXPECT_GT(records.size(), static_cast<std::size_t>(kTracks));
  EXPECT_GT(logged, 100U);
  EXPECT_GT(undos_applied, 0U);
  ::testing::Test::RecordProperty("operations", total_ops);
  ::testing::Test::RecordProperty("projects", static_cast<int>(records.size()));
}

// One thread reads a snapshot while another keeps editing the same project; the snapshot is destroyed
// on the reader's thread, so block reference counts are released there while the writer copies on
// write. Every block the writer fills holds one colour, so a torn block in a snapshot would show.
TEST(WorkspaceConcurrency, SnapshotReadWhileEditing) {
  constexpr int kBlocks = 3;
  constexpr int kSnapshots = 200;
  Workspace ws;
  const ProjectHandle h = ws.create_project("shared").value();
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};

  std::thread writer([&] {
    for (std::uint32_t round = 1; !stop.load(); ++round) {
      auto guard = ws.lock(h);
      ASSERT_TRUE(guard.ok());
      Project& project = **guard;
      project.begin_step();
      {
        VolumeAccessor access(project.mutable_state().layers[0].volume);
        const Color c = Color::from_packed((round << 8U) | 255U);
        const int block = static_cast<int>(round % kBlocks);
        for (int i = 0; i < kBlockVoxels; ++i) {
          access.set(Vec3i{block * kBlockEdge, 0, 0} + local_of_index(i), c);
        }
      }
      project.commit_step();
      writes.fetch_add(1);
      guard = make_error(ErrorCode::internal, "released");
      std::this_thread::yield();  // give the reader a turn at the mutex
    }
  });

  int snapshots_read = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  for (; snapshots_read < kSnapshots && Clock::now() < deadline; ++snapshots_read) {
    // Interleave: each snapshot comes after at least one more edit, so they share blocks the writer
    // is about to copy.
    while (writes.load() <= snapshots_read && Clock::now() < deadline) {
      std::this_thread::yield();
    }
    ProjectState snapshot;
    {
      auto guard = ws.lock(h);
      ASSERT_TRUE(guard.ok());
      snapshot = (*guard)->snapshot();
    }
    const Volume& volume = snapshot.layers[0].volume;
    volume.for_each_block([&](BlockCoord coord, const SharedBlock& block) {
      const Color first = block->get(0);
      int uniform = 0;
      for (const Color c : block->decoded()) {
        uniform += static_cast<int>(c == first);
      }
      EXPECT_EQ(uniform, kBlockVoxels) << "torn block at x " << coord.x;
      EXPECT_EQ(block->filled(), kBlockVoxels);
    });
    // `snapshot` is destroyed here, on this thread, while the writer may be copying its blocks.
  }
  stop.store(true);
  writer.join();
  // The deadline bounds the test on a starved machine (TSan, parallel builds); what matters is that many
  // snapshots were read and released while the writer copied their blocks.
  EXPECT_GE(snapshots_read, 20);
  EXPECT_GE(writes.load(), snapshots_read);
}

// close never waits for a held guard, a lock waiting on a closed project gets stale_handle, and other
// projects never wait for a busy one.
TEST(WorkspaceConcurrency, HeldGuardBlocksNeitherCloseNorOtherProjects) {
  Workspace ws;
  const ProjectHandle a = ws.create_project("a").value();
  const ProjectHandle b = ws.create_project("b").value();
  auto held = ws.lock(a);
  ASSERT_TRUE(held.ok());

  // A second locker of A waits for the guard (most likely: either way it must end up stale)...
  std::atomic<bool> waiter_started{false};
  auto waiting = std::async(std::launch::async, [&] {
    waiter_started.store(true);
    return ws.lock(a).code();
  });
  while (!waiter_started.load()) {
    std::this_thread::yield();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // ...while another thread uses B and closes A without waiting.
  auto other = std::async(std::launch::async, [&] {
    auto guard_b = ws.lock(b);
    if (!guard_b.ok()) {
      return ErrorCode::internal;
    }
    guard_b = make_error(ErrorCode::internal, "released");
    return ws.close_project(a).code();
  });
  ASSERT_EQ(other.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "blocked by A's guard";
  EXPECT_EQ(other.get(), ErrorCode::ok);
  EXPECT_FALSE(held->is_open());
  EXPECT_EQ((*held)->name(), "a");  // still readable through the guard

  held = make_error(ErrorCode::internal, "released");
  ASSERT_EQ(waiting.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(waiting.get(), ErrorCode::stale_handle);
  const auto summaries = ws.list();
  ASSERT_EQ(summaries.size(), 1U);
  EXPECT_EQ(summaries[0].handle, b);
}

// list() runs against threads that create, lock and close: it never deadlocks and only reports
// projects that are open.
TEST(WorkspaceConcurrency, ListDuringChurn) {
  Workspace ws;
  std::atomic<bool> stop{false};
  std::vector<std::thread> churners;
  for (int t = 0; t < 3; ++t) {
    churners.emplace_back([&] {
      while (!stop.load()) {
        const auto h = ws.create_project("churn");
        ASSERT_TRUE(h.ok());
        {
          auto guard = ws.lock(*h);
          ASSERT_TRUE(guard.ok());
          (*guard)->mutable_state().layers[0].volume.set({1, 1, 1}, Color{1, 2, 3, 255});
        }
        ASSERT_TRUE(ws.close_project(*h).ok());
      }
    });
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(500);
  int lists = 0;
  for (; Clock::now() < deadline; ++lists) {
    for (const ProjectSummary& s : ws.list()) {
      EXPECT_EQ(s.name, "churn");
      EXPECT_LE(s.voxels, 1);
      EXPECT_EQ(s.layers, 1U);
    }
  }
  stop.store(true);
  for (auto& t : churners) {
    t.join();
  }
  EXPECT_GT(lists, 0);
  EXPECT_TRUE(ws.list().empty());
}

}  // namespace
}  // namespace voxd::core
