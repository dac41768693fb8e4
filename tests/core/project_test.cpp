#include <gtest/gtest.h>

#include "voxd/core/ops.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};

void step(Project& p, const std::function<void(ProjectState&)>& change) {
  p.begin_step();
  change(p.mutable_state());
  p.commit_step();
}

void set_one(Project& p, Vec3i at, Color c) {
  step(p, [&](ProjectState& s) { s.layers[0].volume.set(at, c); });
}

// A different colour in every voxel of the box, so its blocks stay dense (no palette holds them).
void fill_many_colors(Volume& v, const Box& box) {
  std::uint32_t n = 1;
  for (int z = box.min.z; z <= box.max.z; ++z) {
    for (int y = box.min.y; y <= box.max.y; ++y) {
      for (int x = box.min.x; x <= box.max.x; ++x) {
        v.set({x, y, z}, Color::from_packed((n++ << 8U) | 0xffU));
      }
    }
  }
}

TEST(Project, StartsWithOneEmptyLayer) {
  const Project p("demo");
  ASSERT_EQ(p.layers().size(), 1U);
  EXPECT_EQ(p.voxel_count(), 0);
  EXPECT_EQ(p.undo_depth(), 0U);
}

TEST(Project, UndoRedoRestoreStates) {
  Project p("demo");
  set_one(p, {1, 2, 3}, kRed);
  EXPECT_EQ(p.voxel_count(), 1);
  ASSERT_TRUE(p.undo().ok());
  EXPECT_EQ(p.voxel_count(), 0);
  ASSERT_TRUE(p.redo().ok());
  EXPECT_EQ(p.layers()[0].volume.get({1, 2, 3}), kRed);
  EXPECT_EQ(p.redo().code(), ErrorCode::nothing_to_do);
}

TEST(Project, UndoRestoresEveryTouchedBlockAndLeavesTheOthersShared) {
  Project p("demo");
  for (int i = 0; i < 50; ++i) {
    set_one(p, {i * 16, 0, 0}, kRed);
  }
  const SharedBlock* untouched = p.layers()[0].volume.find_shared_block({3, 0, 0});
  const void* untouched_identity = untouched->identity();
  step(p, [](ProjectState& s) {
    s.layers[0].volume.set({0, 0, 0}, kBlue);
    s.layers[0].volume.set({1000, 0, 0}, kBlue);
    s.layers[0].volume.set({16, 0, 0}, kEmpty);
  });
  ASSERT_TRUE(p.undo().ok());
  const Volume& v = p.layers()[0].volume;
  EXPECT_EQ(v.get({0, 0, 0}), kRed);
  EXPECT_EQ(v.get({16, 0, 0}), kRed);
  EXPECT_EQ(v.get({1000, 0, 0}), kEmpty);
  EXPECT_EQ(v.voxel_count(), 50);
  EXPECT_EQ(v.find_shared_block({3, 0, 0})->identity(), untouched_identity);
  ASSERT_TRUE(p.redo().ok());
  EXPECT_EQ(p.layers()[0].volume.get({0, 0, 0}), kBlue);
  EXPECT_EQ(p.layers()[0].volume.get({16, 0, 0}), kEmpty);
  EXPECT_EQ(p.layers()[0].volume.voxel_count(), 50);
}

TEST(Project, StepsRecordOnlyTheBlocksTheyTouch) {
  Project p("demo");
  step(p, [](ProjectState& s) { fill_many_colors(s.layers[0].volume, {{0, 0, 0}, {16 * 20 - 1, 15, 15}}); });
  const std::size_t after_big = p.history_bytes();
  set_one(p, {1, 1, 1}, kBlue);
  // The second step keeps one block (plus bookkeeping), not the 20 of the project.
  EXPECT_LT(p.history_bytes() - after_big, 2 * kBlockBytes);
  EXPECT_GE(p.history_bytes() - after_big, kBlockBytes);
}

TEST(Project, NewChangeClearsRedo) {
  Project p("demo");
  set_one(p, {0, 0, 0}, kRed);
  ASSERT_TRUE(p.undo().ok());
  set_one(p, {1, 0, 0}, kRed);
  EXPECT_EQ(p.redo_depth(), 0U);
}

TEST(Project, AbortPutsEverythingBackHistoryIncluded) {
  Project p("demo");
  set_one(p, {0, 0, 0}, kRed);
  set_one(p, {1, 0, 0}, kRed);
  ASSERT_TRUE(p.undo().ok());
  const ProjectState before = p.snapshot();
  p.begin_step();
  p.mutable_state().layers[0].volume.set({0, 0, 0}, kBlue);
  p.mutable_state().layers[0].volume.set({500, 0, 0}, kBlue);
  p.mutable_state().layers[0].name = "renamed";
  p.abort_step();
  EXPECT_EQ(p.state(), before);
  EXPECT_EQ(p.undo_depth(), 1U);
  EXPECT_EQ(p.redo_depth(), 1U);
  ASSERT_TRUE(p.redo().ok());
  EXPECT_EQ(p.layers()[0].volume.get({1, 0, 0}), kRed);
}

TEST(Project, FailedEditLeavesUndoAndRedoDepthUnchanged) {
  Project p("demo");
  ASSERT_TRUE(set_voxels(p, 0, std::vector<VoxelWrite>{{{0, 0, 0}, kRed}}).ok());
  ASSERT_TRUE(apply_step(p, [](Project& q) {
                return set_voxels(q, 0, std::vector<VoxelWrite>{{{1, 0, 0}, kRed}});
              }).ok());
  ASSERT_TRUE(p.undo().ok());
  ASSERT_EQ(p.undo_depth(), 0U);  // the bare set_voxels above made no step
  ASSERT_EQ(p.redo_depth(), 1U);
  const ProjectState before = p.snapshot();
  // Valid voxels first, then one out of range: the whole edit is refused.
  const Status refused = apply_step(p, [](Project& q) {
    return set_voxels(q, 0, std::vector<VoxelWrite>{{{2, 0, 0}, kBlue}, {{1 << 30, 0, 0}, kBlue}});
  });
  EXPECT_EQ(refused.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(p.undo_depth(), 0U);
  EXPECT_EQ(p.redo_depth(), 1U);
  EXPECT_EQ(p.state(), before);
  // A change that fails after writing is reverted too.
  const Status failed = apply_step(p, [](Project& q) -> Status {
    q.mutable_state().layers[0].volume.set({3, 0, 0}, kBlue);
    return make_error(ErrorCode::invalid_argument, "changed my mind");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(p.redo_depth(), 1U);
  EXPECT_EQ(p.state(), before);
}

TEST(Project, LayerRemovalAndAdditionUndoWhole) {
  Project p("demo");
  set_one(p, {0, 0, 0}, kRed);
  ASSERT_TRUE(apply_step(p, [](Project& q) -> Status {
                auto id = add_layer(q, "top");
                if (!id.ok()) {
                  return id.error();
                }
                VOXD_TRY(set_voxels(q, *id, std::vector<VoxelWrite>{{{5, 5, 5}, kBlue}}));
                return remove_layer(q, q.layers()[0].id);
              }).ok());
  ASSERT_EQ(p.layers().size(), 1U);
  EXPECT_EQ(p.layers()[0].name, "top");
  ASSERT_TRUE(p.undo().ok());
  ASSERT_EQ(p.layers().size(), 1U);
  EXPECT_EQ(p.layers()[0].name, "background");
  EXPECT_EQ(p.layers()[0].volume.get({0, 0, 0}), kRed);
  ASSERT_TRUE(p.redo().ok());
  ASSERT_EQ(p.layers().size(), 1U);
  EXPECT_EQ(p.layers()[0].volume.get({5, 5, 5}), kBlue);
  EXPECT_EQ(p.layers()[0].volume.get({0, 0, 0}), kEmpty);
}

TEST(Project, ProjectByteLimitRefusesBeforeAllocatingAndChangesNothing) {
  ProjectLimits limits;
  limits.max_project_bytes = 64 * kBlockBytes;
  Project p("demo", limits);
  set_one(p, {0, 0, 0}, kRed);
  const ProjectState before = p.snapshot();
  const Status status = apply_step(p, [](Project& q) {
    // 100 blocks, none whole (z 0..14), so each is a dense 16.5 KiB block.
    q.mutable_state().layers[0].volume.fill_box({{0, 0, 0}, {16 * 100 - 1, 15, 14}}, kBlue);
    return Status::success();
  });
  EXPECT_EQ(status.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(status.error().message.find("max_project_bytes"), std::string::npos);
  EXPECT_EQ(p.state(), before);
  EXPECT_EQ(p.undo_depth(), 1U);
}

TEST(Project, SharedBudgetIsChargedWithWhatTheProjectKeeps) {
  MemoryBudget shared(1024 * kBlockBytes, "max_memory_bytes");
  Project p("demo");
  shared.adjust(static_cast<std::int64_t>(p.memory_bytes()));
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(apply_step(
                    p,
                    [i](Project& q) {
                      q.mutable_state().layers[0].volume.set({i * 16, 0, 0}, kRed);
                      return Status::success();
                    },
                    &shared)
                    .ok());
  }
  EXPECT_EQ(shared.used(), p.memory_bytes());
  MemoryBudget tight(p.memory_bytes() + kBlockBytes / 2, "max_memory_bytes");
  tight.adjust(static_cast<std::int64_t>(p.memory_bytes()));
  const Status refused = apply_step(
      p,
      [](Project& q) {
        // A slice of a new block: 256 voxels, a dense block, more than the budget has left.
        q.mutable_state().layers[0].volume.fill_box({{5008, 0, 0}, {5023, 15, 0}}, kRed);
        return Status::success();
      },
      &tight);
  EXPECT_EQ(refused.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(refused.error().message.find("max_memory_bytes"), std::string::npos);
  EXPECT_EQ(tight.used(), p.memory_bytes());
}

TEST(Project, HistoryIsBoundedBySteps) {
  ProjectLimits limits;
  limits.max_history_steps = 3;
  Project p("demo", limits);
  for (int i = 0; i < 10; ++i) {
    set_one(p, {i, 0, 0}, kRed);
  }
  EXPECT_EQ(p.undo_depth(), 3U);
}

TEST(Project, HistoryIsBoundedByBytes) {
  ProjectLimits limits;
  limits.max_history_bytes = 4 * kBlockBytes + 8192;
  Project p("demo", limits);
  // Two dense blocks (a colour per voxel: no smaller encoding holds them).
  step(p, [](ProjectState& s) { fill_many_colors(s.layers[0].volume, {{0, 0, 0}, {31, 15, 15}}); });
  for (int i = 0; i < 50; ++i) {
    // Every step rewrites the same 2 blocks, so each step keeps 2 old blocks alive.
    step(p, [i](ProjectState& s) {
      s.layers[0].volume.set({0, 0, 0}, Color{static_cast<std::uint8_t>(i), 0, 0, 255});
      s.layers[0].volume.set({16, 0, 0}, Color{static_cast<std::uint8_t>(i), 0, 0, 255});
    });
  }
  EXPECT_LE(p.history_bytes(), limits.max_history_bytes);
  EXPECT_GE(p.undo_depth(), 1U);
  EXPECT_LT(p.undo_depth(), 10U);
}

TEST(Project, HistoryCountsBlocksKeptOnlyByHistory) {
  ProjectLimits limits;
  limits.max_history_bytes = 64 * kBlockBytes;
  Project p("demo", limits);
  for (int round = 0; round < 10; ++round) {
    // 256 blocks set, then cleared: the history keeps the cleared blocks alive and must count them.
    step(p, [](ProjectState& s) { s.layers[0].volume.fill_box({{0, 0, 0}, {16 * 256 - 1, 15, 15}}, kRed); });
    step(p, [](ProjectState& s) { s.layers[0].volume.clear(); });
    EXPECT_LE(p.history_bytes(), limits.max_history_bytes);
  }
  EXPECT_LT(p.memory_bytes(), 70 * kBlockBytes);
}

}  // namespace
}  // namespace voxd::core
