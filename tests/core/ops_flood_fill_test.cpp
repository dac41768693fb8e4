#include <gtest/gtest.h>

#include <climits>

#include "ops_test_util.hpp"

namespace voxd::core {
namespace {

using testing::at;
using testing::deep_copy;
using testing::kBlue;
using testing::kGreen;
using testing::kRed;
using testing::put;

// A hollow box: walls one voxel thick around an empty inside.
void hollow_box(Project& p, const Box& outer, Color wall) {
  ASSERT_TRUE(apply_shape(p, kActiveLayer, ShapeParams{ShapeKind::box, outer, wall, BlendMode::over}).ok());
  const Box inner{outer.min + Vec3i{1, 1, 1}, outer.max - Vec3i{1, 1, 1}};
  ASSERT_TRUE(apply_shape(p, kActiveLayer, ShapeParams{ShapeKind::box, inner, wall, BlendMode::subtract}).ok());
}

FloodFillParams fill_at(Vec3i seed, Color color) {
  FloodFillParams f;
  f.seed = seed;
  f.color = color;
  return f;
}

TEST(OpsFloodFill, FillsAnEnclosedCavityAcrossBlockEdges) {
  Project p("t");
  const Box outer{{-18, -18, -18}, {17, 17, 17}};  // inside spans -17..16 on every axis
  hollow_box(p, outer, kRed);
  const std::int64_t walls = p.voxel_count();
  const auto filled = flood_fill(p, kActiveLayer, fill_at({0, 0, 0}, kBlue));
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, 34 * 34 * 34);
  EXPECT_EQ(p.voxel_count(), walls + *filled);
  EXPECT_EQ(at(p, {-17, -17, -17}), kBlue);
  EXPECT_EQ(at(p, {16, 16, 16}), kBlue);
  EXPECT_EQ(at(p, {-18, 0, 0}), kRed);
  EXPECT_EQ(at(p, {-19, 0, 0}), kEmpty);
}

TEST(OpsFloodFill, EmptySpaceAroundAModelIsBoundedByItsBoxGrownByOne) {
  Project p("t");
  put(p, {0, 0, 0}, kRed);
  const auto filled = flood_fill(p, kActiveLayer, fill_at({3, 3, 3}, kGreen));
  ASSERT_TRUE(filled.ok());
  // Bounds: the box around the model and the seed, (0..3)^3, grown by one: 6^3 minus the model voxel.
  EXPECT_EQ(*filled, 6 * 6 * 6 - 1);
  EXPECT_EQ(at(p, {-1, -1, -1}), kGreen);
  EXPECT_EQ(at(p, {4, 4, 4}), kGreen);
  EXPECT_EQ(at(p, {5, 4, 4}), kEmpty);
  EXPECT_EQ(at(p, {0, 0, 0}), kRed);
}

TEST(OpsFloodFill, EmptyLayerFillsAroundTheSeed) {
  Project p("t");
  const auto filled = flood_fill(p, kActiveLayer, fill_at({-16, -16, -16}, kGreen));
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, 27);
}

TEST(OpsFloodFill, SixConnectedAndTolerancePerChannel) {
  Project p("t");
  const Color base{100, 100, 100, 255};
  put(p, {0, 0, 0}, base);
  put(p, {1, 0, 0}, Color{105, 100, 95, 255});    // within 5
  put(p, {2, 0, 0}, Color{100, 100, 100, 249});   // alpha 6 away
  put(p, {1, 1, 1}, base);                        // only diagonal to the others
  put(p, {0, -1, 0}, Color{100, 106, 100, 255});  // 6 away
  FloodFillParams f = fill_at({0, 0, 0}, kBlue);
  f.tolerance = 5;
  f.bounds = Box{{-4, -4, -4}, {4, 4, 4}};
  const auto filled = flood_fill(p, kActiveLayer, f);
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, 2);
  EXPECT_EQ(at(p, {0, 0, 0}), kBlue);
  EXPECT_EQ(at(p, {1, 0, 0}), kBlue);
  EXPECT_EQ(at(p, {2, 0, 0}), (Color{100, 100, 100, 249}));
  EXPECT_EQ(at(p, {1, 1, 1}), base);
  EXPECT_EQ(at(p, {0, -1, 0}), (Color{100, 106, 100, 255}));

  f.tolerance = 6;
  f.seed = {1, 1, 1};
  f.color = kGreen;
  const auto second = flood_fill(p, kActiveLayer, f);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 1);  // its neighbours are blue or empty now
}

TEST(OpsFloodFill, ExplicitBoundsStopTheFill) {
  Project p("t");
  ASSERT_TRUE(apply_shape(p, kActiveLayer, ShapeParams{ShapeKind::box, Box{{0, 0, 0}, {31, 0, 0}}, kRed}).ok());
  FloodFillParams f = fill_at({0, 0, 0}, kBlue);
  f.bounds = Box{{-5, -5, -5}, {15, 5, 5}};
  const auto filled = flood_fill(p, kActiveLayer, f);
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, 16);
  EXPECT_EQ(at(p, {15, 0, 0}), kBlue);
  EXPECT_EQ(at(p, {16, 0, 0}), kRed);

  f.seed = {20, 0, 0};  // outside the bounds
  EXPECT_EQ(flood_fill(p, kActiveLayer, f).code(), ErrorCode::invalid_argument);
  f.bounds = Box{{5, 0, 0}, {4, 0, 0}};
  EXPECT_EQ(flood_fill(p, kActiveLayer, f).code(), ErrorCode::invalid_argument);
}

TEST(OpsFloodFill, CapIsALimitErrorAndChangesNothing) {
  Project p("t");
  hollow_box(p, Box{{0, 0, 0}, {4, 4, 4}}, kRed);  // 27 empty voxels inside
  const ProjectState before = p.state();
  const auto voxels = deep_copy(before);
  FloodFillParams f = fill_at({2, 2, 2}, kBlue);
  f.max_voxels = 26;
  const auto capped = flood_fill(p, kActiveLayer, f);
  EXPECT_EQ(capped.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(capped.error().message.find("max_voxels"), std::string::npos);
  EXPECT_EQ(p.state(), before);
  EXPECT_EQ(deep_copy(p.state()), voxels);
  f.max_voxels = 27;
  const auto exact = flood_fill(p, kActiveLayer, f);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(*exact, 27);
  EXPECT_EQ(deep_copy(before), voxels);  // the snapshot is untouched by the fill

  f.max_voxels = 0;
  EXPECT_EQ(flood_fill(p, kActiveLayer, f).code(), ErrorCode::invalid_argument);
}

TEST(OpsFloodFill, ProjectLimitAlsoCapsTheFill) {
  ProjectLimits limits;
  limits.max_voxels_per_operation = 10;
  Project p("t", limits);
  put(p, {0, 0, 0}, kRed);
  const auto capped = flood_fill(p, kActiveLayer, fill_at({1, 1, 1}, kBlue));
  EXPECT_EQ(capped.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(capped.error().message.find("max_voxels_per_operation"), std::string::npos);
  EXPECT_EQ(p.voxel_count(), 1);
}

TEST(OpsFloodFill, RangeEdgesAndBadSeeds) {
  Project p("t");
  const Vec3i corner{kMaxCoord, kMaxCoord, kMaxCoord};
  put(p, corner, kRed);
  // Bounds cannot grow past the range: x spans kMaxCoord-2..kMaxCoord, y and z the last two values.
  const auto filled = flood_fill(p, kActiveLayer, fill_at(corner - Vec3i{1, 0, 0}, kBlue));
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, 3 * 2 * 2 - 1);
  const auto recolour = flood_fill(p, kActiveLayer, fill_at(corner, kGreen));
  ASSERT_TRUE(recolour.ok());
  EXPECT_EQ(*recolour, 1);
  EXPECT_EQ(at(p, corner), kGreen);

  EXPECT_EQ(flood_fill(p, kActiveLayer, fill_at({INT32_MAX, 0, 0}, kBlue)).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(flood_fill(p, 12, fill_at({0, 0, 0}, kBlue)).code(), ErrorCode::not_found);
}

}  // namespace
}  // namespace voxd::core
