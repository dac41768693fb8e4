// The workspace's single-threaded contract: handles, staleness, limits, summaries, and memory that
// stays flat over many create/close cycles. The multi-threaded tests are in workspace_concurrency_test.cpp.
#include "voxd/core/workspace.hpp"

#include <gtest/gtest.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
// ASan's allocator interface (declared here: GCC does not ship sanitizer/allocator_interface.h).
extern "C" {
void __sanitizer_purge_allocator();                     // NOLINT(readability-identifier-naming)
std::size_t __sanitizer_get_current_allocated_bytes();  // NOLINT(readability-identifier-naming)
// ASan keeps freed memory in a quarantine (256 MiB by default) to catch use-after-free, and the shadow
// of every address it passes through stays resident. A small quarantine keeps resident memory a
// measure of what the program holds; 16 MiB still catches a use soon after a free.
const char* __asan_default_options() {
  return "quarantine_size_mb=16";
}  // NOLINT
}
#endif

namespace voxd::core {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};

void set_voxel(Project& project, Vec3i p, Color c) {
  project.begin_step();
  project.mutable_state().layers[0].volume.set(p, c);
  project.commit_step();
}

Color voxel(const Project& project, Vec3i p) {
  return project.layers()[0].volume.get(p);
}

TEST(ProjectHandle, PacksSlotAndGeneration) {
  const ProjectHandle h = ProjectHandle::make(7, 3);
  EXPECT_EQ(h.slot(), 7U);
  EXPECT_EQ(h.generation(), 3U);
  EXPECT_EQ(h.value, (std::uint64_t{3} << 32U) | 7U);
}

TEST(Workspace, IssuedHandlesAreNonZeroAndDistinct) {
  Workspace ws;
  const auto a = ws.create_project("a");
  const auto b = ws.create_project("b");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->value, 0U);
  EXPECT_NE(a->generation(), 0U);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(ws.project_count(), 2U);
}

// The Goxel daemon kept one global image: a second create_project freed memory another request still
// used, and one client's project wiped another's. Here each project is its own object.
TEST(Workspace, GoxelDaemonCrashRegression) {
  Workspace ws;
  const ProjectHandle a = ws.create_project("A").value();
  const ProjectHandle b = ws.create_project("B").value();
  {
    auto guard = ws.lock(a);
    ASSERT_TRUE(guard.ok());
    set_voxel(**guard, {1, 2, 3}, kRed);
  }
  {
    auto guard = ws.lock(b);
    ASSERT_TRUE(guard.ok());
    set_voxel(**guard, {1, 2, 3}, kBlue);
    set_voxel(**guard, {-5, 0, 9}, kBlue);
  }
  // No cross-talk: each reads back only its own edits.
  {
    auto guard = ws.lock(a);
    ASSERT_TRUE(guard.ok());
    EXPECT_EQ(voxel(**guard, {1, 2, 3}), kRed);
    EXPECT_EQ(voxel(**guard, {-5, 0, 9}), kEmpty);
    EXPECT_EQ((*guard)->voxel_count(), 1);
    EXPECT_EQ((*guard)->name(), "A");
  }
  {
    auto guard = ws.lock(b);
    ASSERT_TRUE(guard.ok());
    EXPECT_EQ(voxel(**guard, {1, 2, 3}), kBlue);
    EXPECT_EQ((*guard)->voxel_count(), 2);
  }

  // A guard held on A across the close keeps A's data alive and readable.
  auto held = ws.lock(a);
  ASSERT_TRUE(held.ok());
  EXPECT_TRUE(held->is_open());
  ASSERT_TRUE(ws.close_project(a).ok());
  EXPECT_FALSE(held->is_open());
  EXPECT_EQ(voxel(**held, {1, 2, 3}), kRed);
  EXPECT_EQ(held->handle(), a);

  // A's handle is stale at once, for every copy of it, before and after the guard is released.
  const ProjectHandle copy_of_a = a;
  const auto stale = ws.lock(copy_of_a);
  EXPECT_EQ(stale.code(), ErrorCode::stale_handle);
  EXPECT_NE(stale.error().message.find("stale handle"), std::string::npos);
  held = ws.lock(b);  // releases A
  EXPECT_EQ(ws.lock(a).code(), ErrorCode::stale_handle);
  EXPECT_EQ(ws.close_project(a).code(), ErrorCode::stale_handle);

  // B is untouched, and a project created afterwards does not disturb it either.
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(voxel(**held, {1, 2, 3}), kBlue);
  EXPECT_EQ((*held)->voxel_count(), 2);
  held = make_error(ErrorCode::internal, "released");  // releases B before it is locked again
  const ProjectHandle c = ws.create_project("C").value();
  auto guard_b = ws.lock(b);
  ASSERT_TRUE(guard_b.ok());
  EXPECT_EQ(voxel(**guard_b, {1, 2, 3}), kBlue);
  auto guard_c = ws.lock(c);
  ASSERT_TRUE(guard_c.ok());
  EXPECT_EQ((*guard_c)->voxel_count(), 0);
  EXPECT_EQ(ws.project_count(), 2U);
}

TEST(Workspace, NeverIssuedHandlesAreStale) {
  Workspace ws;
  const ProjectHandle real = ws.create_project("real").value();
  for (const ProjectHandle bogus :
       {ProjectHandle{}, ProjectHandle::make(real.slot(), 0), ProjectHandle::make(real.slot(), real.generation() + 1),
        ProjectHandle::make(real.slot() + 1, real.generation()), ProjectHandle::make(0xFFFFFFFFU, 0xFFFFFFFFU)}) {
    const auto locked = ws.lock(bogus);
    EXPECT_EQ(locked.code(), ErrorCode::stale_handle) << bogus.value;
    EXPECT_EQ(ws.close_project(bogus).code(), ErrorCode::stale_handle) << bogus.value;
  }
  EXPECT_EQ(ws.project_count(), 1U);
  EXPECT_TRUE(ws.lock(real).ok());
}

TEST(Workspace, ReusedSlotGetsANewGeneration) {
  Workspace ws;
  const ProjectHandle first = ws.create_project("first").value();
  ASSERT_TRUE(ws.close_project(first).ok());
  const ProjectHandle second = ws.create_project("second").value();
  EXPECT_EQ(second.slot(), first.slot());
  EXPECT_NE(second.generation(), first.generation());
  EXPECT_EQ(ws.lock(first).code(), ErrorCode::stale_handle);
  EXPECT_EQ(ws.close_project(first).code(), ErrorCode::stale_handle);
  auto guard = ws.lock(second);
  ASSERT_TRUE(guard.ok());
  EXPECT_EQ((*guard)->name(), "second");
}

TEST(Workspace, MaxProjectsIsEnforced) {
  WorkspaceLimits limits;
  limits.max_projects = 2;
  Workspace ws(limits);
  const ProjectHandle a = ws.create_project("a").value();
  ASSERT_TRUE(ws.create_project("b").ok());
  const auto refused = ws.create_project("c");
  ASSERT_EQ(refused.code(), ErrorCode::limit_exceeded);
  EXPECT_EQ(refused.error().message, "max_projects (2) reached");
  EXPECT_EQ(ws.add_project("d", ProjectState{}).code(), ErrorCode::limit_exceeded);
  EXPECT_EQ(ws.project_count(), 2U);
  ASSERT_TRUE(ws.close_project(a).ok());
  EXPECT_TRUE(ws.create_project("c").ok());
}

TEST(Workspace, AddProjectRegistersAStateWithTheWorkspaceLimits) {
  WorkspaceLimits limits;
  limits.project.max_layers = 7;
  Workspace ws(limits);
  ProjectState state;
  Layer layer;
  layer.id = 4;
  layer.name = "loaded";
  layer.volume.set({3, 3, 3}, kRed);
  state.layers.push_back(std::move(layer));
  const ProjectHandle h = ws.add_project("from file", std::move(state)).value();
  auto guard = ws.lock(h);
  ASSERT_TRUE(guard.ok());
  EXPECT_EQ((*guard)->name(), "from file");
  EXPECT_EQ((*guard)->limits().max_layers, 7U);
  ASSERT_EQ((*guard)->layers().size(), 1U);
  EXPECT_EQ((*guard)->layers()[0].name, "loaded");
  EXPECT_EQ(voxel(**guard, {3, 3, 3}), kRed);
}

TEST(Workspace, CreatedProjectsGetTheWorkspaceLimits) {
  WorkspaceLimits limits;
  limits.project.max_voxels = 12345;
  Workspace ws(limits);
  auto guard = ws.lock(ws.create_project("p").value());
  ASSERT_TRUE(guard.ok());
  EXPECT_EQ((*guard)->limits().max_voxels, 12345);
  EXPECT_EQ((*guard)->layers().size(), 1U);
}

TEST(Workspace, ListSummarisesOpenProjects) {
  Workspace ws;
  const ProjectHandle a = ws.create_project("alpha").value();
  const ProjectHandle b = ws.create_project("beta").value();
  const ProjectHandle c = ws.create_project("gamma").value();
  {
    auto guard = ws.lock(b);
    ASSERT_TRUE(guard.ok());
    set_voxel(**guard, {0, 0, 0}, kRed);
    set_voxel(**guard, {1, 0, 0}, kRed);
  }
  ASSERT_TRUE(ws.close_project(a).ok());
  const auto summaries = ws.list();
  ASSERT_EQ(summaries.size(), 2U);
  std::size_t empty_project_bytes = 0;
  std::size_t two_voxel_bytes = 0;
  for (const ProjectSummary& s : summaries) {
    if (s.handle == b) {
      EXPECT_EQ(s.name, "beta");
      EXPECT_EQ(s.voxels, 2);
      two_voxel_bytes = s.memory_bytes;
      EXPECT_LT(s.memory_bytes, kBlockBytes);  // two voxels take a small sparse block, not a dense one
    } else {
      empty_project_bytes = s.memory_bytes;
      EXPECT_EQ(s.handle, c);
      EXPECT_EQ(s.name, "gamma");
      EXPECT_EQ(s.voxels, 0);
    }
    EXPECT_EQ(s.layers, 1U);
  }
  EXPECT_GT(two_voxel_bytes, empty_project_bytes);  // the block is counted
}

TEST(Workspace, GuardOutlivesTheWorkspace) {
  Result<ProjectGuard> guard = make_error(ErrorCode::internal, "unset");
  {
    Workspace ws;
    const ProjectHandle h = ws.create_project("p").value();
    guard = ws.lock(h);
    ASSERT_TRUE(guard.ok());
    set_voxel(**guard, {4, 5, 6}, kBlue);
    EXPECT_TRUE(guard->is_open());
  }
  EXPECT_FALSE(guard->is_open());
  EXPECT_EQ(voxel(**guard, {4, 5, 6}), kBlue);
}

TEST(Workspace, MovedGuardKeepsTheLock) {
  Workspace ws;
  const ProjectHandle h = ws.create_project("p").value();
  auto first = ws.lock(h);
  ASSERT_TRUE(first.ok());
  ProjectGuard moved = std::move(first).value();
  set_voxel(*moved, {0, 0, 0}, kRed);
  EXPECT_TRUE(moved.is_open());
  EXPECT_EQ(moved.handle(), h);
  // Assigning over a guard of a closed project releases it cleanly (its mutex before its data).
  ASSERT_TRUE(ws.close_project(h).ok());
  const ProjectHandle other = ws.create_project("q").value();
  moved = std::move(ws.lock(other)).value();
  EXPECT_TRUE(moved.is_open());
  EXPECT_EQ((*moved).name(), "q");
}

// Resident memory in bytes, from /proc/self/statm, after handing freed memory back to the system.
std::int64_t resident_bytes() {
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_purge_allocator();
#else
  malloc_trim(0);
#endif
  std::ifstream statm("/proc/self/statm");
  std::int64_t size_pages = 0;
  std::int64_t resident_pages = 0;
  statm >> size_pages >> resident_pages;
  return resident_pages * sysconf(_SC_PAGESIZE);
}

// Bytes the program has allocated and not freed.
std::int64_t live_heap_bytes() {
#if defined(__SANITIZE_ADDRESS__)
  return static_cast<std::int64_t>(__sanitizer_get_current_allocated_bytes());
#else
  return static_cast<std::int64_t>(mallinfo2().uordblks);
#endif
}

// 100,000 create/edit/close cycles: the slot table does not grow, every project is freed (LeakSanitizer
// checks that in the asan build) and resident memory stays flat.
TEST(Workspace, CreateEditCloseCyclesKeepMemoryFlat) {
  constexpr int kCycles = 100'000;
  constexpr int kWarmup = 1'000;
  constexpr std::int64_t kAllowedRssGrowth = 4LL * 1024 * 1024;
  constexpr std::int64_t kAllowedHeapGrowth = 64LL * 1024;  // less than 4 leaked blocks
  Workspace ws;
  std::int64_t rss_after_warmup = 0;
  std::int64_t heap_after_warmup = 0;
  for (int i = 0; i < kCycles; ++i) {
    const auto created = ws.create_project("cycle " + std::to_string(i));
    ASSERT_TRUE(created.ok()) << i;
    const ProjectHandle h = created.value();
    // One slot, reused: its generation counts the cycles.
    ASSERT_EQ(h.slot(), 0U) << i;
    ASSERT_EQ(h.generation(), static_cast<std::uint32_t>(i + 1)) << i;
    {
      auto guard = ws.lock(h);
      ASSERT_TRUE(guard.ok()) << i;
      set_voxel(**guard, {i % 64, 0, -(i % 32)}, kRed);  // allocates a 16 KiB block and an undo step
    }
    ASSERT_TRUE(ws.close_project(h).ok()) << i;
    if (i + 1 == kWarmup) {
      heap_after_warmup = live_heap_bytes();
      rss_after_warmup = resident_bytes();
    }
  }
  const std::int64_t heap_at_end = live_heap_bytes();
  EXPECT_LE(heap_at_end, heap_after_warmup + kAllowedHeapGrowth)
      << "live heap grew from " << heap_after_warmup << " to " << heap_at_end << " bytes";
  EXPECT_EQ(ws.project_count(), 0U);
  EXPECT_TRUE(ws.list().empty());
  const std::int64_t rss_at_end = resident_bytes();
  EXPECT_LE(rss_at_end, rss_after_warmup + kAllowedRssGrowth)
      << "resident memory grew from " << rss_after_warmup << " to " << rss_at_end << " bytes";
}

// ---- restoring from a store: exact handles, kept generations, projects set aside ----

TEST(WorkspaceRestore, RestoredProjectKeepsItsExactHandle) {
  Workspace ws;
  const ProjectHandle handle = ProjectHandle::make(5, 7);
  ProjectState state;
  state.layers.emplace_back();
  state.layers[0].id = 1;
  state.layers[0].volume.set({1, 2, 3}, kRed);
  auto restored = ws.restore_project(handle, "back", state);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(*restored, handle);
  auto guard = ws.lock(handle);
  ASSERT_TRUE(guard);
  EXPECT_EQ((*guard)->name(), "back");
  EXPECT_EQ(voxel(**guard, {1, 2, 3}), kRed);
  EXPECT_EQ(ws.project_count(), 1U);
}

TEST(WorkspaceRestore, NewProjectsFillTheSlotsBelowARestoredOne) {
  Workspace ws;
  ASSERT_TRUE(ws.restore_project(ProjectHandle::make(3, 2), "three", {}));
  std::vector<std::uint32_t> slots;
  for (int i = 0; i < 4; ++i) {
    auto handle = ws.create_project("new");
    ASSERT_TRUE(handle);
    EXPECT_EQ(handle->generation(), 1U);
    slots.push_back(handle->slot());
  }
  EXPECT_EQ(slots, (std::vector<std::uint32_t>{0, 1, 2, 4}));
  EXPECT_TRUE(ws.lock(ProjectHandle::make(3, 2)));
}

TEST(WorkspaceRestore, TakenSlotOrOlderGenerationIsRefused) {
  Workspace ws;
  ASSERT_TRUE(ws.restore_project(ProjectHandle::make(0, 4), "a", {}));
  EXPECT_EQ(ws.restore_project(ProjectHandle::make(0, 5), "b", {}).code(), ErrorCode::invalid_argument);
  ASSERT_TRUE(ws.restore_generation(1, 9));
  EXPECT_EQ(ws.restore_project(ProjectHandle::make(1, 3), "old", {}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(ws.restore_project(ProjectHandle::make(2, 0), "zero", {}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(ws.project_count(), 1U);
}

TEST(WorkspaceRestore, RestoredGenerationKeepsClosedHandlesStale) {
  Workspace ws;
  ASSERT_TRUE(ws.restore_generation(0, 6));  // slot 0 had generations 1..5, all closed
  auto handle = ws.create_project("after restart");
  ASSERT_TRUE(handle);
  EXPECT_EQ(*handle, ProjectHandle::make(0, 6));
  EXPECT_EQ(ws.lock(ProjectHandle::make(0, 5)).code(), ErrorCode::stale_handle);
  ASSERT_TRUE(ws.restore_generation(3, 2));
  EXPECT_FALSE(ws.restore_generation(0, 9)) << "slot 0 is in use";
  ASSERT_TRUE(ws.restore_generation(3, 1));  // lower: ignored
  EXPECT_EQ(ws.restore_project(ProjectHandle::make(3, 1), "stale", {}).code(), ErrorCode::invalid_argument);
}

TEST(WorkspaceRestore, SetAsideKeepsTheHandleForTheSameProject) {
  Workspace ws;
  auto handle = ws.create_project("idle");
  ASSERT_TRUE(handle);
  ASSERT_TRUE(ws.set_aside(*handle));
  EXPECT_TRUE(ws.is_set_aside(*handle));
  EXPECT_EQ(ws.lock(*handle).code(), ErrorCode::stale_handle);
  EXPECT_EQ(ws.project_count(), 1U);
  EXPECT_TRUE(ws.list().empty()) << "list() shows resident projects only";
  auto other = ws.create_project("other");
  ASSERT_TRUE(other);
  EXPECT_NE(other->slot(), handle->slot()) << "a set-aside slot is not reused";
  EXPECT_EQ(ws.restore_project(ProjectHandle::make(handle->slot(), handle->generation() + 1), "x", {}).code(),
            ErrorCode::invalid_argument);
  ASSERT_TRUE(ws.restore_project(*handle, "idle", {}));
  EXPECT_FALSE(ws.is_set_aside(*handle));
  EXPECT_TRUE(ws.lock(*handle));
}

TEST(WorkspaceRestore, ClosingASetAsideProjectMakesItsHandleStale) {
  Workspace ws;
  auto handle = ws.create_project("idle");
  ASSERT_TRUE(handle);
  ASSERT_TRUE(ws.set_aside(*handle));
  ASSERT_TRUE(ws.close_project(*handle));
  EXPECT_FALSE(ws.is_set_aside(*handle));
  EXPECT_EQ(ws.project_count(), 0U);
  EXPECT_EQ(ws.restore_project(*handle, "again", {}).code(), ErrorCode::invalid_argument);
  auto reused = ws.create_project("new");
  ASSERT_TRUE(reused);
  EXPECT_EQ(*reused, ProjectHandle::make(handle->slot(), handle->generation() + 1));
}

TEST(WorkspaceRestore, GuardHeldWhileSetAsideKeepsItsData) {
  Workspace ws;
  auto handle = ws.create_project("busy");
  ASSERT_TRUE(handle);
  auto guard = ws.lock(*handle);
  ASSERT_TRUE(guard);
  set_voxel(**guard, {0, 0, 0}, kBlue);
  ASSERT_TRUE(ws.set_aside(*handle));
  EXPECT_FALSE(guard->is_open());
  EXPECT_EQ(voxel(**guard, {0, 0, 0}), kBlue);
}

}  // namespace
}  // namespace voxd::core
