#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <set>
#include <tuple>

#include "ops_test_util.hpp"

namespace voxd::core {
namespace {

using testing::at;
using testing::deep_copy;
using testing::kBlue;
using testing::kGreen;
using testing::kRed;
using testing::put;

Result<std::int64_t> shape(Project& p, ShapeKind kind, Box box, Color color = kRed, BlendMode mode = BlendMode::over) {
  return apply_shape(p, kActiveLayer, ShapeParams{kind, box, color, mode});
}

// An independent count of the voxel centres inside an ellipsoid (or elliptic cylinder) inscribed in box.
std::int64_t expected_count(ShapeKind kind, const Box& box) {
  std::int64_t n = 0;
  for (int z = box.min.z; z <= box.max.z; ++z) {
    for (int y = box.min.y; y <= box.max.y; ++y) {
      for (int x = box.min.x; x <= box.max.x; ++x) {
        const auto term = [](int v, int lo, int hi) {
          const double centre = (lo + hi + 1) / 2.0;
          const double radius = (hi - lo + 1) / 2.0;
          const double d = (v + 0.5 - centre) / radius;
          return d * d;
        };
        double sum = term(x, box.min.x, box.max.x) + term(y, box.min.y, box.max.y);
        if (kind == ShapeKind::sphere) {
          sum += term(z, box.min.z, box.max.z);
        }
        n += sum <= 1.0 ? 1 : 0;
      }
    }
  }
  return n;
}

TEST(OpsShapes, BoxCoversExactlyItsVoxelsAcrossBlockEdges) {
  Project p("t");
  const Box box{{-17, -1, 15}, {16, 0, 16}};
  const auto changed = shape(p, ShapeKind::box, box);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, box.volume());
  EXPECT_EQ(p.voxel_count(), box.volume());
  EXPECT_EQ(at(p, {-17, -1, 15}), kRed);
  EXPECT_EQ(at(p, {16, 0, 16}), kRed);
  EXPECT_EQ(at(p, {-18, -1, 15}), kEmpty);
  EXPECT_EQ(at(p, {17, 0, 16}), kEmpty);
  EXPECT_EQ(at(p, {0, -2, 15}), kEmpty);
  EXPECT_EQ(at(p, {0, 0, 14}), kEmpty);
  // The same shape again changes nothing.
  const auto again = shape(p, ShapeKind::box, box);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST(OpsShapes, SphereIsTheEllipsoidInscribedInTheBox) {
  for (const Box box : {Box{{0, 0, 0}, {9, 9, 9}}, Box{{-20, -3, -17}, {-1, 12, 0}}, Box{{5, 5, 5}, {5, 5, 5}}}) {
    Project p("t");
    const auto changed = shape(p, ShapeKind::sphere, box);
    ASSERT_TRUE(changed.ok());
    EXPECT_EQ(*changed, expected_count(ShapeKind::sphere, box)) << to_string(box);
    EXPECT_EQ(p.voxel_count(), *changed);
    const auto bbox = p.layers()[0].volume.bounding_box();
    ASSERT_TRUE(bbox.has_value());
    EXPECT_TRUE(box.contains(bbox->min) && box.contains(bbox->max));
  }
  Project p("t");
  ASSERT_TRUE(shape(p, ShapeKind::sphere, Box{{0, 0, 0}, {9, 9, 9}}).ok());
  EXPECT_EQ(at(p, {0, 0, 0}), kEmpty);  // corner
  EXPECT_EQ(at(p, {4, 4, 4}), kRed);    // centre
  EXPECT_EQ(at(p, {0, 4, 4}), kRed);    // middle of a face
}

TEST(OpsShapes, CylinderRunsAlongZ) {
  Project p("t");
  const Box box{{-8, -8, -3}, {7, 7, 20}};
  const auto changed = shape(p, ShapeKind::cylinder, box);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, expected_count(ShapeKind::cylinder, box));
  EXPECT_EQ(*changed % box.size_z(), 0);  // every slice is the same disc
  EXPECT_EQ(at(p, {-8, -8, 0}), kEmpty);
  EXPECT_EQ(at(p, {-8, 0, -3}), kRed);
  EXPECT_EQ(at(p, {0, 0, 20}), kRed);
  EXPECT_EQ(at(p, {0, 0, 21}), kEmpty);
}

TEST(OpsShapes, LargeBoxSharesOneTileAndStaysCopyOnWrite) {
  Project p("t");
  const Box box{{-32, -32, -32}, {31, 31, 31}};
  const auto changed = shape(p, ShapeKind::box, box, kGreen);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 64 * 64 * 64);
  const Volume& v = p.layers()[0].volume;
  EXPECT_EQ(v.block_count(), 64U);
  std::set<const void*> tiles;
  v.for_each_block([&](BlockCoord, const SharedBlock& b) { tiles.insert(b.identity()); });
  EXPECT_EQ(tiles.size(), 1U);
  // Writing into one tile copies it; the others keep the shared colour.
  put(p, {0, 0, 0}, kBlue);
  EXPECT_EQ(at(p, {0, 0, 0}), kBlue);
  EXPECT_EQ(at(p, {16, 0, 0}), kGreen);
  EXPECT_EQ(at(p, {-16, -16, -16}), kGreen);
  EXPECT_EQ(at(p, {1, 0, 0}), kGreen);
  EXPECT_EQ(p.voxel_count(), 64 * 64 * 64);
}

// Each mode on a sphere: a voxel inside the shape, one in the box but outside the sphere, one outside
// the box, and an empty position inside the shape.
class OpsShapesBlendModes : public ::testing::TestWithParam<int> {};

TEST_P(OpsShapesBlendModes, AppliesBlendInsideTheShapeOnly) {
  const BlendMode mode = *blend_mode_from_int(GetParam());
  const Color existing{10, 20, 30, 200};
  const Color brush{200, 100, 50, 160};
  const Box box{{0, 0, 0}, {9, 9, 9}};
  const Vec3i inside{4, 4, 4};
  const Vec3i corner{0, 0, 0};  // in the box, outside the sphere
  const Vec3i far{40, -40, 3};
  const Vec3i empty_inside{5, 5, 5};

  Project p("t");
  put(p, inside, existing);
  put(p, corner, existing);
  put(p, far, existing);
  const auto changed = shape(p, ShapeKind::sphere, box, brush, mode);
  ASSERT_TRUE(changed.ok()) << blend_mode_name(mode);

  const bool intersect = mode == BlendMode::intersect || mode == BlendMode::intersect_fill;
  const Color outside = intersect ? kEmpty : existing;
  EXPECT_EQ(at(p, inside), blend(mode, existing, brush)) << blend_mode_name(mode);
  EXPECT_EQ(at(p, corner), outside) << blend_mode_name(mode);
  EXPECT_EQ(at(p, far), outside) << blend_mode_name(mode);
  EXPECT_EQ(at(p, empty_inside), blend(mode, kEmpty, brush)) << blend_mode_name(mode);

  // The count of changed voxels matches what changed.
  const std::int64_t filled_empty = blend(mode, kEmpty, brush).empty() ? 0 : expected_count(ShapeKind::sphere, box) - 1;
  const std::int64_t expected = filled_empty + (blend(mode, existing, brush) != existing ? 1 : 0) + (intersect ? 2 : 0);
  EXPECT_EQ(*changed, expected) << blend_mode_name(mode);
}

INSTANTIATE_TEST_SUITE_P(EveryMode, OpsShapesBlendModes, ::testing::Range(1, 10),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return std::string(blend_mode_name(*blend_mode_from_int(param_info.param)));
                         });

TEST(OpsShapes, OpaqueSubtractCarvesAndPaintKeepsEmptySpaceEmpty) {
  Project p("t");
  ASSERT_TRUE(shape(p, ShapeKind::box, Box{{-16, -16, -16}, {15, 15, 15}}).ok());
  const auto carved = shape(p, ShapeKind::box, Box{{-1, -1, -1}, {0, 0, 0}}, kRed, BlendMode::subtract);
  ASSERT_TRUE(carved.ok());
  EXPECT_EQ(*carved, 8);
  EXPECT_EQ(p.voxel_count(), 32 * 32 * 32 - 8);
  const auto painted = shape(p, ShapeKind::box, Box{{-100, -100, 0}, {100, 100, 0}}, kBlue, BlendMode::paint);
  ASSERT_TRUE(painted.ok());
  EXPECT_EQ(*painted, 32 * 32 - 4);
  EXPECT_EQ(at(p, {5, 5, 0}), kBlue);
  EXPECT_EQ(at(p, {50, 50, 0}), kEmpty);
}

TEST(OpsShapes, BadShapesAreRefusedAndChangeNothing) {
  ProjectLimits limits;
  limits.max_voxels_per_operation = 1000;
  Project p("t", limits);
  put(p, {1, 1, 1}, kRed);
  const ProjectState before = p.state();

  const auto too_big = shape(p, ShapeKind::box, Box{{0, 0, 0}, {10, 9, 9}});
  EXPECT_EQ(too_big.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(too_big.error().message.find("max_voxels_per_operation"), std::string::npos);
  EXPECT_TRUE(shape(p, ShapeKind::box, Box{{0, 0, 0}, {9, 9, 9}}).ok());
  p.mutable_state() = before;

  // The whole range: 2^93 voxels, refused without overflowing.
  const Box everything{{kMinCoord, kMinCoord, kMinCoord}, {kMaxCoord, kMaxCoord, kMaxCoord}};
  EXPECT_EQ(shape(p, ShapeKind::sphere, everything).code(), ErrorCode::limit_exceeded);
  EXPECT_EQ(shape(p, ShapeKind::box, Box{{INT32_MIN, 0, 0}, {0, 0, 0}}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(shape(p, ShapeKind::box, Box{{0, 0, 0}, {0, INT32_MAX, 0}}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(shape(p, ShapeKind::box, Box{{3, 0, 0}, {2, 0, 0}}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(shape(p, static_cast<ShapeKind>(7), Box{{0, 0, 0}, {1, 1, 1}}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(shape(p, ShapeKind::box, Box{{0, 0, 0}, {1, 1, 1}}, kRed, static_cast<BlendMode>(0)).code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(apply_shape(p, 42, ShapeParams{}).code(), ErrorCode::not_found);
  EXPECT_EQ(p.state(), before);
}

TEST(OpsShapes, ShapesLeaveEarlierSnapshotsUntouched) {
  Project p("t");
  ASSERT_TRUE(shape(p, ShapeKind::box, Box{{-20, -20, -20}, {20, 20, 20}}).ok());
  const ProjectState snapshot = p.state();
  const auto voxels = deep_copy(snapshot);
  ASSERT_TRUE(shape(p, ShapeKind::sphere, Box{{-10, -10, -10}, {30, 30, 30}}, kBlue).ok());
  ASSERT_TRUE(shape(p, ShapeKind::cylinder, Box{{-5, -5, -30}, {5, 5, 30}}, kBlue, BlendMode::subtract).ok());
  ASSERT_TRUE(shape(p, ShapeKind::box, Box{{0, 0, 0}, {3, 3, 3}}, kGreen, BlendMode::intersect).ok());
  EXPECT_EQ(deep_copy(snapshot), voxels);
  EXPECT_NE(deep_copy(p.state()), voxels);
}

TEST(OpsLine, IncludesBothEndsAndStepsOneVoxelAtATime) {
  for (const auto& [from, to] :
       {std::pair{Vec3i{0, 0, 0}, Vec3i{10, 3, -5}}, std::pair{Vec3i{-17, 16, -1}, Vec3i{-17, -20, 15}},
        std::pair{Vec3i{4, 4, 4}, Vec3i{4, 4, 4}}, std::pair{Vec3i{-3, 9, 2}, Vec3i{12, -6, 17}}}) {
    Project p("t");
    const auto changed = draw_line(p, kActiveLayer, LineParams{from, to, kRed, BlendMode::over});
    ASSERT_TRUE(changed.ok());
    const std::int64_t longest = std::max({std::abs(to.x - from.x), std::abs(to.y - from.y), std::abs(to.z - from.z)});
    EXPECT_EQ(*changed, longest + 1);
    EXPECT_EQ(at(p, from), kRed);
    EXPECT_EQ(at(p, to), kRed);
    // One voxel per step along the longest axis, each 26-connected to the next, all within the span.
    std::vector<Vec3i> points;
    p.layers()[0].volume.for_each_voxel([&](Vec3i q, Color) { points.push_back(q); });
    const auto progress = [&](Vec3i q) {
      return std::max({std::abs(q.x - from.x), std::abs(q.y - from.y), std::abs(q.z - from.z)});
    };
    std::sort(points.begin(), points.end(), [&](Vec3i a, Vec3i b) { return progress(a) < progress(b); });
    const Box span = Box::spanning(from, to);
    for (std::size_t i = 0; i < points.size(); ++i) {
      EXPECT_TRUE(span.contains(points[i])) << to_string(points[i]);
      EXPECT_EQ(progress(points[i]), static_cast<int>(i));
      if (i > 0) {
        const Vec3i d = points[i] - points[i - 1];
        EXPECT_LE(std::max({std::abs(d.x), std::abs(d.y), std::abs(d.z)}), 1) << to_string(points[i]);
      }
    }
  }
}

TEST(OpsLine, LimitsRangeAndIntersect) {
  ProjectLimits limits;
  limits.max_voxels_per_operation = 100;
  Project p("t", limits);
  put(p, {50, 50, 50}, kRed);
  put(p, {3, 0, 0}, kRed);
  const ProjectState before = p.state();
  EXPECT_EQ(draw_line(p, kActiveLayer, LineParams{{0, 0, 0}, {100, 0, 0}}).code(), ErrorCode::limit_exceeded);
  EXPECT_EQ(draw_line(p, kActiveLayer, LineParams{{INT32_MIN, 0, 0}, {0, 0, 0}}).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(draw_line(p, kActiveLayer, LineParams{{kMinCoord, 0, 0}, {kMaxCoord, 0, 0}}).code(),
            ErrorCode::limit_exceeded);
  EXPECT_EQ(p.state(), before);
  // Intersect with a line keeps only the layer's voxels on it.
  const auto changed =
      draw_line(p, kActiveLayer, LineParams{{0, 0, 0}, {9, 0, 0}, Color{1, 2, 3, 255}, BlendMode::intersect});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(at(p, {3, 0, 0}), kRed);
  EXPECT_EQ(at(p, {50, 50, 50}), kEmpty);
  EXPECT_EQ(p.voxel_count(), 1);
}

}  // namespace
}  // namespace voxd::core
