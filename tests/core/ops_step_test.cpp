#include <gtest/gtest.h>

#include <stdexcept>

#include "ops_test_util.hpp"

namespace voxd::core {
namespace {

using testing::deep_copy;
using testing::kBlue;
using testing::kRed;

Status sphere(Project& p, Box box, Color color = kRed) {
  auto changed = apply_shape(p, kActiveLayer, ShapeParams{ShapeKind::sphere, box, color, BlendMode::over});
  return changed.ok() ? Status::success() : Status(changed.error());
}

TEST(OpsStep, OneStepPerChange) {
  Project p("t");
  ASSERT_TRUE(apply_step(p, [](Project& q) { return sphere(q, Box{{0, 0, 0}, {7, 7, 7}}); }).ok());
  ASSERT_TRUE(apply_step(p, [](Project& q) { return sphere(q, Box{{-8, 0, 0}, {-1, 7, 7}}, kBlue); }).ok());
  EXPECT_EQ(p.undo_depth(), 2U);
  const std::int64_t both = p.voxel_count();
  ASSERT_TRUE(p.undo().ok());
  EXPECT_EQ(p.voxel_count() * 2, both);
}

TEST(OpsStep, AFailedChangeLeavesTheProjectExactlyAsItWas) {
  Project p("t");
  ASSERT_TRUE(apply_step(p, [](Project& q) { return sphere(q, Box{{0, 0, 0}, {9, 9, 9}}); }).ok());
  const ProjectState before = p.state();
  const auto voxels = deep_copy(before);
  const std::size_t depth = p.undo_depth();
  // A batch whose second operation fails: the first one's changes are rolled back too.
  const Status s = apply_step(p, [](Project& q) -> Status {
    VOXD_TRY(sphere(q, Box{{-20, -20, -20}, {20, 20, 20}}, kBlue));
    VOXD_TRY(add_layer(q, "half-made"));
    return sphere(q, Box{{0, 0, 0}, {INT32_MAX, 0, 0}});
  });
  EXPECT_EQ(s.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(p.state(), before);
  EXPECT_EQ(deep_copy(p.state()), voxels);
  EXPECT_EQ(p.undo_depth(), depth);
}

TEST(OpsStep, ProjectVoxelLimitIsCheckedAfterTheChange) {
  ProjectLimits limits;
  limits.max_voxels = 100;
  Project p("t", limits);
  ASSERT_TRUE(apply_step(p, [](Project& q) { return sphere(q, Box{{0, 0, 0}, {3, 3, 3}}); }).ok());
  const ProjectState before = p.state();
  const auto voxels = deep_copy(before);
  const Status s = apply_step(p, [](Project& q) { return sphere(q, Box{{10, 10, 10}, {19, 19, 19}}); });
  EXPECT_EQ(s.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(s.error().message.find("max_voxels"), std::string::npos);
  EXPECT_EQ(p.state(), before);
  EXPECT_EQ(deep_copy(p.state()), voxels);
  EXPECT_EQ(p.undo_depth(), 1U);
}

TEST(OpsStep, AnExceptionInsideTheChangeIsAnInternalErrorAndRollsBack) {
  Project p("t");
  const ProjectState before = p.state();
  const Status s = apply_step(p, [](Project& q) -> Status {
    VOXD_TRY(sphere(q, Box{{0, 0, 0}, {9, 9, 9}}));
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(s.code(), ErrorCode::internal);
  EXPECT_NE(s.error().message.find("boom"), std::string::npos);
  EXPECT_EQ(p.state(), before);
  EXPECT_EQ(p.undo_depth(), 0U);
}

}  // namespace
}  // namespace voxd::core
