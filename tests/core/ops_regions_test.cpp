#include <gtest/gtest.h>

#include <climits>

#include "ops_test_util.hpp"

namespace voxd::core {
namespace {

using testing::at;
using testing::deep_copy;
using testing::kBlue;
using testing::kRed;
using testing::put;

Color shade(int i) {
  return Color{static_cast<std::uint8_t>(10 * (i + 1)), 0, 0, 255};
}

TEST(OpsRegions, MoveWithOverlappingTarget) {
  Project p("t");
  for (int i = 0; i < 5; ++i) {
    put(p, {i, 0, 0}, shade(i));
  }
  const auto moved = move_region(p, kActiveLayer, Box{{0, 0, 0}, {4, 0, 0}}, {2, 0, 0}, false);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 5);
  EXPECT_EQ(at(p, {0, 0, 0}), kEmpty);
  EXPECT_EQ(at(p, {1, 0, 0}), kEmpty);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(at(p, {i + 2, 0, 0}), shade(i)) << i;
  }
  EXPECT_EQ(p.voxel_count(), 5);

  // Backwards, overlapping the other way.
  ASSERT_TRUE(move_region(p, kActiveLayer, Box{{2, 0, 0}, {6, 0, 0}}, {-1, 0, 0}, false).ok());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(at(p, {i + 1, 0, 0}), shade(i)) << i;
  }
  EXPECT_EQ(at(p, {6, 0, 0}), kEmpty);
}

TEST(OpsRegions, CopyKeepsTheSourceAndCrossesBlocksAndSigns) {
  Project p("t");
  put(p, {15, 15, 15}, kRed);
  put(p, {16, 15, 15}, kBlue);
  put(p, {40, 40, 40}, kBlue);  // outside the source box: neither moved nor copied
  const auto copied = move_region(p, kActiveLayer, Box{{0, 0, 0}, {31, 31, 31}}, {-32, -17, -1}, true);
  ASSERT_TRUE(copied.ok());
  EXPECT_EQ(*copied, 2);
  EXPECT_EQ(at(p, {15, 15, 15}), kRed);
  EXPECT_EQ(at(p, {-17, -2, 14}), kRed);
  EXPECT_EQ(at(p, {-16, -2, 14}), kBlue);
  EXPECT_EQ(p.voxel_count(), 5);
}

TEST(OpsRegions, MovedVoxelsOverwriteButEmptySourceKeepsTarget) {
  Project p("t");
  put(p, {0, 0, 0}, kRed);
  put(p, {10, 0, 0}, kBlue);
  put(p, {11, 0, 0}, kBlue);
  ASSERT_TRUE(move_region(p, kActiveLayer, Box{{0, 0, 0}, {1, 0, 0}}, {10, 0, 0}, false).ok());
  EXPECT_EQ(at(p, {10, 0, 0}), kRed);
  EXPECT_EQ(at(p, {11, 0, 0}), kBlue);
}

TEST(OpsRegions, TargetOutsideTheRangeOrTooManyVoxelsChangeNothing) {
  ProjectLimits limits;
  limits.max_voxels_per_operation = 3;
  Project p("t", limits);
  for (int i = 0; i < 4; ++i) {
    put(p, {kMaxCoord - i, 0, 0}, kRed);
  }
  const ProjectState before = p.state();
  const auto voxels = deep_copy(before);
  const Box last_four{{kMaxCoord - 3, 0, 0}, {kMaxCoord, 0, 0}};
  const auto out = move_region(p, kActiveLayer, last_four, {1, 0, 0}, false);
  EXPECT_EQ(out.code(), ErrorCode::invalid_argument);
  EXPECT_NE(out.error().message.find("x = 1073741824"), std::string::npos) << out.error().message;
  EXPECT_EQ(move_region(p, kActiveLayer, last_four, {INT32_MIN, 0, 0}, false).code(), ErrorCode::invalid_argument);
  const auto too_many = move_region(p, kActiveLayer, last_four, {-10, 0, 0}, false);
  EXPECT_EQ(too_many.code(), ErrorCode::limit_exceeded);
  EXPECT_EQ(move_region(p, kActiveLayer, Box{{0, 0, 0}, {INT32_MAX, 0, 0}}, {0, 0, 0}, false).code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(move_region(p, 5, last_four, {-10, 0, 0}, false).code(), ErrorCode::not_found);
  EXPECT_EQ(p.state(), before);
  EXPECT_EQ(deep_copy(p.state()), voxels);
  // Three voxels are within the limit.
  const auto ok = move_region(p, kActiveLayer, Box{{kMaxCoord - 2, 0, 0}, {kMaxCoord, 0, 0}}, {-10, 0, 0}, false);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  EXPECT_EQ(deep_copy(before), voxels);
}

TEST(OpsRegions, EmptySourceMovesNothing) {
  Project p("t");
  const auto moved = move_region(p, kActiveLayer, Box{{0, 0, 0}, {100, 100, 100}}, {1, 1, 1}, false);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 0);
}

}  // namespace
}  // namespace voxd::core
