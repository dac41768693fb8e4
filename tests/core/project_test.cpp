#include <gtest/gtest.h>

#include "voxd/core/project.hpp"

namespace voxd::core {
namespace {

constexpr Color kRed{255, 0, 0, 255};

TEST(Project, StartsWithOneEmptyLayer) {
  const Project p("demo");
  ASSERT_EQ(p.layers().size(), 1U);
  EXPECT_EQ(p.voxel_count(), 0);
  EXPECT_EQ(p.undo_depth(), 0U);
}

TEST(Project, UndoRedoRestoreStates) {
  Project p("demo");
  p.checkpoint();
  p.mutable_state().layers[0].volume.set({1, 2, 3}, kRed);
  EXPECT_EQ(p.voxel_count(), 1);
  ASSERT_TRUE(p.undo().ok());
  EXPECT_EQ(p.voxel_count(), 0);
  ASSERT_TRUE(p.redo().ok());
  EXPECT_EQ(p.layers()[0].volume.get({1, 2, 3}), kRed);
  EXPECT_EQ(p.redo().code(), ErrorCode::nothing_to_do);
}

TEST(Project, NewChangeClearsRedo) {
  Project p("demo");
  p.checkpoint();
  p.mutable_state().layers[0].volume.set({0, 0, 0}, kRed);
  ASSERT_TRUE(p.undo().ok());
  p.checkpoint();
  p.mutable_state().layers[0].volume.set({1, 0, 0}, kRed);
  EXPECT_EQ(p.redo_depth(), 0U);
}

TEST(Project, RollbackDropsTheStep) {
  Project p("demo");
  p.checkpoint();
  p.mutable_state().layers[0].volume.set({0, 0, 0}, kRed);
  p.rollback();
  EXPECT_EQ(p.voxel_count(), 0);
  EXPECT_EQ(p.undo_depth(), 0U);
}

TEST(Project, HistoryIsBoundedBySteps) {
  ProjectLimits limits;
  limits.max_history_steps = 3;
  Project p("demo", limits);
  for (int i = 0; i < 10; ++i) {
    p.checkpoint();
    p.mutable_state().layers[0].volume.set({i, 0, 0}, kRed);
  }
  EXPECT_EQ(p.undo_depth(), 3U);
}

TEST(Project, HistoryIsBoundedByBytes) {
  ProjectLimits limits;
  limits.max_history_bytes = 4 * kBlockBytes;
  Project p("demo", limits);
  for (int i = 0; i < 50; ++i) {
    p.checkpoint();
    // Every step rewrites the same 2 blocks, so each step keeps 2 old blocks alive.
    p.mutable_state().layers[0].volume.set({0, 0, 0}, Color{static_cast<std::uint8_t>(i), 0, 0, 255});
    p.mutable_state().layers[0].volume.set({16, 0, 0}, Color{static_cast<std::uint8_t>(i), 0, 0, 255});
  }
  EXPECT_LE(p.history_bytes(), 4 * kBlockBytes + 4096);
  EXPECT_GE(p.undo_depth(), 1U);
  EXPECT_LT(p.undo_depth(), 10U);
}

}  // namespace
}  // namespace voxd::core
