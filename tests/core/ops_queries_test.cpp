#include <gtest/gtest.h>

#include <map>
#include <random>

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

// The region of the colour queries, against a model: random voxels over several blocks (negative ones too), and
// regions that cut blocks, cover whole blocks, or miss every voxel.
TEST(OpsQueries, ColourQueriesCountOnlyTheRegion) {
  Project p("t");
  std::mt19937 random(12);
  std::uniform_int_distribution<int> coord(-40, 40);
  std::uniform_int_distribution<int> pick(0, 3);
  const std::vector<Color> palette{kRed, kGreen, kBlue, Color{10, 20, 30, 128}};
  std::map<std::tuple<int, int, int>, Color> model;
  for (int i = 0; i < 3000; ++i) {
    const Vec3i at{coord(random), coord(random), coord(random)};
    const Color c = palette[static_cast<std::size_t>(pick(random))];
    put(p, at, c);
    model[{at.x, at.y, at.z}] = c;
  }
  for (const Box& region :
       {Box{{-5, -7, -3}, {20, 9, 33}}, Box{{-32, -32, -32}, {-1, -1, -1}}, Box{{0, 0, 0}, {0, 0, 0}},
        Box{{-40, -40, -40}, {40, 40, 40}}, Box{{100, 100, 100}, {200, 200, 200}}}) {
    SCOPED_TRACE(to_string(region));
    std::map<std::uint32_t, std::int64_t> expected;
    std::vector<Vec3i> expected_red;
    for (const auto& [at, c] : model) {
      const Vec3i v{std::get<0>(at), std::get<1>(at), std::get<2>(at)};
      if (region.contains(v)) {
        ++expected[c.packed()];
        if (c == kRed) expected_red.push_back(v);
      }
    }
    const auto histogram = color_histogram(p, kActiveLayer, region);
    ASSERT_TRUE(histogram.ok());
    std::map<std::uint32_t, std::int64_t> got;
    for (const ColorCount& entry : *histogram) got[entry.color.packed()] = entry.count;
    EXPECT_EQ(got, expected);

    const auto colors = unique_colors(p, kVisibleLayers, region);
    ASSERT_TRUE(colors.ok());
    EXPECT_EQ(colors->size(), expected.size());

    auto found = find_by_color(p, kActiveLayer, kRed, 0, 100000, region);
    ASSERT_TRUE(found.ok());
    auto sorted = *found;
    const auto by_position = [](Vec3i a, Vec3i b) { return std::tie(a.x, a.y, a.z) < std::tie(b.x, b.y, b.z); };
    std::sort(sorted.begin(), sorted.end(), by_position);
    std::sort(expected_red.begin(), expected_red.end(), by_position);
    EXPECT_EQ(sorted, expected_red);
  }
  // Without a region: everything, as before.
  const auto all = color_histogram(p, kActiveLayer);
  ASSERT_TRUE(all.ok());
  std::int64_t total = 0;
  for (const ColorCount& entry : *all) total += entry.count;
  EXPECT_EQ(total, static_cast<std::int64_t>(model.size()));
}

TEST(OpsQueries, AnInvertedOrOutOfRangeRegionIsRefused) {
  Project p("t");
  put(p, {0, 0, 0}, kRed);
  const Box inverted{{5, 0, 0}, {0, 5, 5}};
  const Box outside{{0, 0, 0}, {kMaxCoord + 1, 0, 0}};
  for (const Box& bad : {inverted, outside}) {
    SCOPED_TRACE(to_string(bad));
    const auto histogram = color_histogram(p, kActiveLayer, bad);
    EXPECT_EQ(histogram.code(), ErrorCode::invalid_argument);
    EXPECT_NE(histogram.error().message.find("region"), std::string::npos) << histogram.error().message;
    EXPECT_EQ(unique_colors(p, kActiveLayer, bad).code(), ErrorCode::invalid_argument);
    EXPECT_EQ(find_by_color(p, kActiveLayer, kRed, 0, 10, bad).code(), ErrorCode::invalid_argument);
  }
}

}  // namespace
}  // namespace voxd::core
