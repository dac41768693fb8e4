#include <gtest/gtest.h>

#include <climits>
#include <vector>

#include "ops_test_util.hpp"

namespace voxd::core {
namespace {

using testing::at;
using testing::kBlue;
using testing::kGreen;
using testing::kRed;
using testing::put;

// Both sides of the block edges at 0/16 and the negative ones at -1/-16/-17.
const std::vector<Vec3i> kEdgePoints{{0, 0, 0},    {15, 15, 15},  {16, 0, 0},     {-1, 0, 0},
                                     {-16, -1, 0}, {-17, 16, 15}, {-17, -17, -17}};

TEST(OpsVoxels, SetAndGetAcrossBlockBoundariesAndNegativeCoordinates) {
  Project p("t");
  std::vector<VoxelWrite> writes;
  for (std::size_t i = 0; i < kEdgePoints.size(); ++i) {
    writes.push_back({kEdgePoints[i], Color{static_cast<std::uint8_t>(i + 1), 0, 0, 255}});
  }
  ASSERT_TRUE(set_voxels(p, kActiveLayer, writes).ok());
  const auto colors = get_voxels(p, kActiveLayer, kEdgePoints);
  ASSERT_TRUE(colors.ok());
  for (std::size_t i = 0; i < kEdgePoints.size(); ++i) {
    EXPECT_EQ((*colors)[i], writes[i].color) << to_string(kEdgePoints[i]);
  }
  EXPECT_EQ(p.voxel_count(), static_cast<std::int64_t>(kEdgePoints.size()));
  // Neighbours across each edge stay empty.
  EXPECT_EQ(at(p, {14, 15, 15}), kEmpty);
  EXPECT_EQ(at(p, {-2, 0, 0}), kEmpty);
}

TEST(OpsVoxels, RemoveVoxels) {
  Project p("t");
  for (const Vec3i q : kEdgePoints) {
    put(p, q, kRed);
  }
  ASSERT_TRUE(remove_voxels(p, kActiveLayer, std::span(kEdgePoints).subspan(0, 3)).ok());
  EXPECT_EQ(at(p, kEdgePoints[0]), kEmpty);
  EXPECT_EQ(at(p, kEdgePoints[3]), kRed);
  EXPECT_EQ(p.voxel_count(), static_cast<std::int64_t>(kEdgePoints.size() - 3));
  // Removing where nothing is stores nothing.
  const std::vector<Vec3i> nowhere{{1000, 1000, 1000}};
  ASSERT_TRUE(remove_voxels(p, kActiveLayer, nowhere).ok());
  EXPECT_EQ(p.layers()[0].volume.block_count(), kEdgePoints.size() - 3);
}

TEST(OpsVoxels, EmptyColourWritesRemove) {
  Project p("t");
  put(p, {3, 3, 3}, kRed);
  put(p, {3, 3, 3}, Color{9, 9, 9, 0});
  EXPECT_EQ(p.voxel_count(), 0);
}

TEST(OpsVoxels, RangeEndsAreAccepted) {
  Project p("t");
  const std::vector<VoxelWrite> writes{{{kMinCoord, kMinCoord, kMinCoord}, kRed},
                                       {{kMaxCoord, kMaxCoord, kMaxCoord}, kBlue}};
  ASSERT_TRUE(set_voxels(p, kActiveLayer, writes).ok());
  EXPECT_EQ(at(p, {kMinCoord, kMinCoord, kMinCoord}), kRed);
  EXPECT_EQ(at(p, {kMaxCoord, kMaxCoord, kMaxCoord}), kBlue);
  const auto box = bounding_box(p, kVisibleLayers);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(**box, (Box{{kMinCoord, kMinCoord, kMinCoord}, {kMaxCoord, kMaxCoord, kMaxCoord}}));
}

TEST(OpsVoxels, Int32ExtremesAreRefusedAndNothingIsWritten) {
  Project p("t");
  const ProjectState before = p.state();
  const std::vector<VoxelWrite> writes{{{1, 2, 3}, kRed}, {{INT32_MAX, 0, 0}, kRed}};
  const Status s = set_voxels(p, kActiveLayer, writes);
  EXPECT_EQ(s.code(), ErrorCode::invalid_argument);
  EXPECT_NE(s.error().message.find("voxel 1: x = 2147483647"), std::string::npos) << s.error().message;
  EXPECT_EQ(p.state(), before);

  const std::vector<Vec3i> positions{{0, 0, INT32_MIN}};
  const Status r = remove_voxels(p, kActiveLayer, positions);
  EXPECT_EQ(r.code(), ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("z = -2147483648"), std::string::npos) << r.error().message;
  EXPECT_EQ(get_voxels(p, kActiveLayer, positions).code(), ErrorCode::invalid_argument);
  const std::vector<Vec3i> just_outside{{kMaxCoord + 1, 0, 0}};
  EXPECT_EQ(get_voxels(p, kActiveLayer, just_outside).code(), ErrorCode::invalid_argument);
}

TEST(OpsVoxels, TooManyVoxelsInOneRequestIsALimitError) {
  ProjectLimits limits;
  limits.max_voxels_per_operation = 4;
  Project p("t", limits);
  const ProjectState before = p.state();
  std::vector<VoxelWrite> writes;
  for (int i = 0; i < 5; ++i) {
    writes.push_back({{i, 0, 0}, kRed});
  }
  const Status s = set_voxels(p, kActiveLayer, writes);
  EXPECT_EQ(s.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(s.error().message.find("max_voxels_per_operation"), std::string::npos);
  EXPECT_EQ(p.state(), before);
  writes.pop_back();
  EXPECT_TRUE(set_voxels(p, kActiveLayer, writes).ok());
}

TEST(OpsVoxels, LayerZeroIsTheActiveLayerAndUnknownIdsAreNotFound) {
  Project p("t");
  const std::uint32_t bottom = p.layers()[0].id;
  const auto upper = add_layer(p, "upper");
  ASSERT_TRUE(upper.ok());
  put(p, {1, 1, 1}, kRed);
  EXPECT_EQ(at(p, {1, 1, 1}, *upper), kRed);
  EXPECT_EQ(at(p, {1, 1, 1}, bottom), kEmpty);

  ASSERT_TRUE(select_layer(p, bottom).ok());
  put(p, {2, 2, 2}, kGreen);
  EXPECT_EQ(at(p, {2, 2, 2}, bottom), kGreen);

  // An active id that names no layer falls back to the top layer.
  p.mutable_state().active_layer_id = 999;
  put(p, {3, 3, 3}, kBlue);
  EXPECT_EQ(at(p, {3, 3, 3}, *upper), kBlue);

  const VoxelWrite w{{0, 0, 0}, kRed};
  EXPECT_EQ(set_voxels(p, 999, std::span(&w, 1)).code(), ErrorCode::not_found);
  EXPECT_EQ(clear_layer(p, 999).code(), ErrorCode::not_found);
  const std::vector<Vec3i> positions{{0, 0, 0}};
  EXPECT_EQ(get_voxels(p, 999, positions).code(), ErrorCode::not_found);
}

TEST(OpsVoxels, GetFromLayerZeroReadsTheVisibleLayersMerged) {
  Project p("t");
  const std::uint32_t bottom = p.layers()[0].id;
  put(p, {0, 0, 0}, kRed, bottom);
  put(p, {1, 0, 0}, kRed, bottom);
  const auto upper = add_layer(p, "upper");
  ASSERT_TRUE(upper.ok());
  put(p, {1, 0, 0}, kBlue);
  const std::vector<Vec3i> positions{{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
  auto merged = get_voxels(p, kVisibleLayers, positions);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, (std::vector<Color>{kRed, kBlue, kEmpty}));
  ASSERT_TRUE(set_layer_visible(p, *upper, false).ok());
  merged = get_voxels(p, kVisibleLayers, positions);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, (std::vector<Color>{kRed, kRed, kEmpty}));
}

TEST(OpsVoxels, GetFromLayerZeroMatchesTheMergedVolumeForTranslucentLayers) {
  Project p("t");
  const Color translucent_green{0, 200, 0, 100};
  const Color translucent_red{250, 10, 10, 60};
  put(p, {0, 0, 0}, kRed);
  put(p, {1, 0, 0}, translucent_red);
  ASSERT_TRUE(add_layer(p, "middle").ok());
  put(p, {0, 0, 0}, translucent_green);
  put(p, {2, 0, 0}, translucent_green);
  put(p, {40, 0, 0}, kBlue);
  ASSERT_TRUE(add_layer(p, "top").ok());
  put(p, {1, 0, 0}, translucent_green);
  put(p, {2, 0, 0}, translucent_red);
  const std::vector<Vec3i> positions{{0, 0, 0}, {1, 0, 0}, {2, 0, 0}, {3, 0, 0}, {40, 0, 0}};
  const Volume merged = merged_visible(p);
  auto colors = get_voxels(p, kVisibleLayers, positions);
  ASSERT_TRUE(colors.ok());
  for (std::size_t i = 0; i < positions.size(); ++i) {
    EXPECT_EQ((*colors)[i], merged.get(positions[i])) << "at position " << i;
  }
}

TEST(OpsVoxels, ReadBoxReturnsTheVoxelsInsideInBlockOrder) {
  Project p("t");
  for (const Vec3i q : kEdgePoints) {
    put(p, q, kRed);
  }
  put(p, {100, 0, 0}, kBlue);  // outside the box below
  const Box box{{-17, -17, -17}, {16, 16, 16}};
  const auto voxels = read_box(p, kActiveLayer, box, 1000);
  ASSERT_TRUE(voxels.ok());
  ASSERT_EQ(voxels->size(), kEdgePoints.size());
  for (const VoxelWrite& v : *voxels) {
    EXPECT_TRUE(box.contains(v.position));
    EXPECT_EQ(v.color, kRed);
  }
  // Tiles in z, y, x order: the tile of (-17,-17,-17) comes first, the one of (16,0,0) after (0,0,0).
  EXPECT_EQ(voxels->front().position, (Vec3i{-17, -17, -17}));
  const auto index_of = [&](Vec3i q) {
    return std::find_if(voxels->begin(), voxels->end(), [&](const VoxelWrite& v) { return v.position == q; }) -
           voxels->begin();
  };
  EXPECT_LT(index_of({0, 0, 0}), index_of({16, 0, 0}));

  // The whole coordinate range over a small model: only stored tiles are walked.
  const Box everything{{kMinCoord, kMinCoord, kMinCoord}, {kMaxCoord, kMaxCoord, kMaxCoord}};
  const auto all = read_box(p, kActiveLayer, everything, 1000);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), kEdgePoints.size() + 1);
}

TEST(OpsVoxels, ReadBoxRefusesMoreThanAskedAndBadBoxes) {
  Project p("t");
  for (int i = 0; i < 40; ++i) {
    put(p, {i, 0, 0}, kRed);
  }
  const Box box{{0, 0, 0}, {39, 0, 0}};
  const auto capped = read_box(p, kActiveLayer, box, 39);
  EXPECT_EQ(capped.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(capped.error().message.find("max_voxels"), std::string::npos);
  EXPECT_TRUE(read_box(p, kActiveLayer, box, 40).ok());
  EXPECT_EQ(read_box(p, kActiveLayer, box, -1).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(read_box(p, kActiveLayer, Box{{5, 0, 0}, {4, 0, 0}}, 10).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(read_box(p, kActiveLayer, Box{{0, 0, 0}, {INT32_MAX, 0, 0}}, 10).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(read_box(p, 77, box, 10).code(), ErrorCode::not_found);
}

TEST(OpsVoxels, ClearLayerAndEmptyProjects) {
  Project p("t");
  const auto empty = read_box(p, kVisibleLayers, Box{{-5, -5, -5}, {5, 5, 5}}, 10);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  put(p, {-1, -1, -1}, kRed);
  ASSERT_TRUE(clear_layer(p, kActiveLayer).ok());
  EXPECT_EQ(p.voxel_count(), 0);
  EXPECT_EQ(p.layers()[0].volume.block_count(), 0U);
}

}  // namespace
}  // namespace voxd::core
