#include <gtest/gtest.h>

#include "ops_test_util.hpp"

namespace voxd::core {
namespace {

using testing::kBlue;
using testing::kGreen;
using testing::kRed;
using testing::put;

TEST(OpsQueries, EmptyProject) {
  const Project p("t");
  for (const std::uint32_t layer : {kVisibleLayers, p.layers()[0].id}) {
    const auto box = bounding_box(p, layer);
    ASSERT_TRUE(box.ok());
    EXPECT_FALSE(box->has_value());
    EXPECT_EQ(*count_voxels(p, layer), 0);
    EXPECT_TRUE(color_histogram(p, layer)->empty());
    EXPECT_TRUE(unique_colors(p, layer)->empty());
    EXPECT_TRUE(find_by_color(p, layer, kRed, 255, 10)->empty());
  }
}

TEST(OpsQueries, BoundingBoxPerLayerAndMerged) {
  Project p("t");
  const std::uint32_t bottom = p.layers()[0].id;
  put(p, {-17, 0, 5}, kRed);
  put(p, {16, -1, 5}, kRed);
  const auto top = add_layer(p, "top");
  ASSERT_TRUE(top.ok());
  put(p, {0, 40, -16}, kBlue);
  EXPECT_EQ(**bounding_box(p, bottom), (Box{{-17, -1, 5}, {16, 0, 5}}));
  EXPECT_EQ(**bounding_box(p, *top), (Box{{0, 40, -16}, {0, 40, -16}}));
  EXPECT_EQ(**bounding_box(p, kVisibleLayers), (Box{{-17, -1, -16}, {16, 40, 5}}));
  ASSERT_TRUE(set_layer_visible(p, *top, false).ok());
  EXPECT_EQ(**bounding_box(p, kVisibleLayers), (Box{{-17, -1, 5}, {16, 0, 5}}));
  EXPECT_EQ(bounding_box(p, 9).code(), ErrorCode::not_found);
}

TEST(OpsQueries, CountsMergeOverlappingLayers) {
  Project p("t");
  put(p, {0, 0, 0}, kRed);
  put(p, {1, 0, 0}, kRed);
  ASSERT_TRUE(add_layer(p, "top").ok());
  put(p, {1, 0, 0}, kBlue);
  put(p, {2, 0, 0}, kBlue);
  EXPECT_EQ(*count_voxels(p, kVisibleLayers), 3);
  EXPECT_EQ(*count_voxels(p, p.layers()[0].id), 2);
  EXPECT_EQ(count_voxels(p, 9).code(), ErrorCode::not_found);
}

TEST(OpsQueries, HistogramIsMostFrequentFirstWithDeterministicTies) {
  Project p("t");
  // 3 green, 2 blue, 2 red (tie broken by colour value: 0x0000ffff before 0xff0000ff), across tiles.
  put(p, {0, 0, 0}, kGreen);
  put(p, {-1, 0, 0}, kGreen);
  put(p, {100, 0, 0}, kGreen);
  put(p, {1, 0, 0}, kRed);
  put(p, {-100, 0, 0}, kRed);
  put(p, {2, 0, 0}, kBlue);
  put(p, {3, 0, 0}, kBlue);
  const auto histogram = color_histogram(p, kVisibleLayers);
  ASSERT_TRUE(histogram.ok());
  ASSERT_EQ(histogram->size(), 3U);
  EXPECT_EQ((*histogram)[0].color, kGreen);
  EXPECT_EQ((*histogram)[0].count, 3);
  EXPECT_EQ((*histogram)[1].color, kBlue);
  EXPECT_EQ((*histogram)[1].count, 2);
  EXPECT_EQ((*histogram)[2].color, kRed);
  EXPECT_EQ((*histogram)[2].count, 2);

  const auto colors = unique_colors(p, kVisibleLayers);
  ASSERT_TRUE(colors.ok());
  EXPECT_EQ(*colors, (std::vector<Color>{kBlue, kGreen, kRed}));
  EXPECT_EQ(color_histogram(p, 9).code(), ErrorCode::not_found);
  EXPECT_EQ(unique_colors(p, 9).code(), ErrorCode::not_found);
}

TEST(OpsQueries, HistogramOfALargeShapeCountsEveryVoxel) {
  Project p("t");
  ASSERT_TRUE(apply_shape(p, kActiveLayer, ShapeParams{ShapeKind::box, Box{{-16, -16, -16}, {15, 15, 15}}, kRed}).ok());
  ASSERT_TRUE(apply_shape(p, kActiveLayer,
                          ShapeParams{ShapeKind::sphere, Box{{-16, -16, -16}, {15, 15, 15}}, kBlue, BlendMode::paint})
                  .ok());
  const auto histogram = color_histogram(p, kActiveLayer);
  ASSERT_TRUE(histogram.ok());
  ASSERT_EQ(histogram->size(), 2U);
  EXPECT_EQ((*histogram)[0].count + (*histogram)[1].count, 32 * 32 * 32);
  EXPECT_EQ((*histogram)[0].color, kBlue);  // the inscribed sphere holds more than half the cube
}

TEST(OpsQueries, FindByColourWithToleranceAndCap) {
  Project p("t");
  put(p, {0, 0, 0}, Color{100, 100, 100, 255});
  put(p, {-16, 0, 0}, Color{103, 97, 100, 255});
  put(p, {16, 0, 0}, Color{104, 100, 100, 255});
  put(p, {17, 0, 0}, kRed);
  auto found = find_by_color(p, kActiveLayer, Color{100, 100, 100, 255}, 3, 10);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, (std::vector<Vec3i>{{-16, 0, 0}, {0, 0, 0}}));  // block order
  found = find_by_color(p, kActiveLayer, Color{100, 100, 100, 255}, 4, 10);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 3U);
  found = find_by_color(p, kActiveLayer, Color{100, 100, 100, 255}, 4, 2);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 2U);
  found = find_by_color(p, kActiveLayer, kRed, 0, 0);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
  EXPECT_EQ(find_by_color(p, kActiveLayer, kRed, 0, -1).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(find_by_color(p, 9, kRed, 0, 1).code(), ErrorCode::not_found);
}

}  // namespace
}  // namespace voxd::core
