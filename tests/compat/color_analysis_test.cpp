// goxel-daemon's colour analysis parameters and grouping (daemon/goxel/color_analysis.hpp): the bin of a
// colour, histograms summed per bin against goxel-daemon's formula written out here per channel, and the readers.
#include "color_analysis.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace voxd::goxel {
namespace {

std::uint32_t rgba(std::uint32_t r, std::uint32_t g, std::uint32_t b, std::uint32_t a) {
  return (r << 24U) | (g << 16U) | (b << 8U) | a;
}

// goxel-daemon's color_to_bin for one channel, without its uint8 wrap.
std::uint32_t model_bin(std::uint32_t channel, std::uint32_t size) {
  return std::min<std::uint32_t>(channel / size * size + size / 2, 255);
}

TEST(ColorGrouping, BinsAreTheMiddleOfTheirRangeAndAlphaIsKept) {
  EXPECT_EQ(bin_color(rgba(0, 7, 8, 200), 8), rgba(4, 4, 12, 200));
  EXPECT_EQ(bin_color(rgba(255, 250, 247, 1), 8), rgba(252, 252, 244, 1));
  EXPECT_EQ(bin_color(rgba(255, 128, 127, 255), 256), rgba(128, 128, 128, 255));
  EXPECT_EQ(bin_color(rgba(255, 199, 200, 9), 200), rgba(255, 100, 255, 9));  // the short last bin caps at 255
  for (const int keep : {0, 1}) {
    EXPECT_EQ(bin_color(rgba(1, 2, 3, 4), keep), rgba(1, 2, 3, 4));
  }
}

TEST(ColorGrouping, EveryChannelValueAndBinSizeMatchTheFormula) {
  for (std::uint32_t size = 2; size <= static_cast<std::uint32_t>(kMaxBinSize); ++size) {
    for (std::uint32_t v = 0; v < 256; ++v) {
      const std::uint32_t binned = bin_color(rgba(v, 255 - v, v / 2, v), static_cast<int>(size));
      ASSERT_EQ(binned, rgba(model_bin(v, size), model_bin(255 - v, size), model_bin(v / 2, size), v))
          << "size " << size << " value " << v;
    }
  }
}

TEST(ColorGrouping, GroupingSumsCountsPerBinMostFrequentFirst) {
  const std::vector<ColorCount> histogram{{rgba(1, 1, 1, 255), 5},
                                          {rgba(6, 2, 0, 255), 4},
                                          {rgba(9, 1, 1, 255), 7},
                                          {rgba(1, 1, 1, 128), 2},
                                          {rgba(200, 0, 0, 255), 2}};
  EXPECT_EQ(
      group_colors(histogram, 8),
      (std::vector<ColorCount>{
          {rgba(4, 4, 4, 255), 9}, {rgba(12, 4, 4, 255), 7}, {rgba(4, 4, 4, 128), 2}, {rgba(204, 4, 4, 255), 2}}));
  // No binning: the same entries, most frequent first, equal counts by colour value.
  EXPECT_EQ(group_colors(histogram, 0), (std::vector<ColorCount>{{rgba(9, 1, 1, 255), 7},
                                                                 {rgba(1, 1, 1, 255), 5},
                                                                 {rgba(6, 2, 0, 255), 4},
                                                                 {rgba(1, 1, 1, 128), 2},
                                                                 {rgba(200, 0, 0, 255), 2}}));
  EXPECT_TRUE(group_colors({}, 16).empty());
}

TEST(ColorGrouping, RandomHistogramsKeepTheirTotalAndMatchAModel) {
  std::mt19937 random(7);
  std::uniform_int_distribution<std::uint32_t> channel(0, 255);
  std::uniform_int_distribution<std::int64_t> count(1, 1000);
  std::uniform_int_distribution<int> size(0, kMaxBinSize);
  for (int round = 0; round < 50; ++round) {
    std::map<std::uint32_t, std::int64_t> exact;
    for (int i = 0; i < 300; ++i)
      exact[rgba(channel(random), channel(random), channel(random), channel(random))] += count(random);
    const std::vector<ColorCount> histogram(exact.begin(), exact.end());
    const int bin_size = size(random);
    std::map<std::uint32_t, std::int64_t> model;
    for (const auto& [c, n] : exact) model[bin_color(c, bin_size)] += n;
    const auto grouped = group_colors(histogram, bin_size);
    EXPECT_EQ((std::map<std::uint32_t, std::int64_t>(grouped.begin(), grouped.end())), model) << bin_size;
    EXPECT_TRUE(std::is_sorted(grouped.begin(), grouped.end(), [](const ColorCount& a, const ColorCount& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    }));
  }
}

// The message of the -32602 a reader throws, or "" when it reads.
template <typename F>
std::string refusal(F&& read) {
  try {
    read();
  } catch (const jsonrpc::RpcError& e) {
    EXPECT_EQ(e.error().code, -32602);
    return e.error().message;
  }
  return "";
}

TEST(ColorAnalysisParams, RegionIsMinAndMaxInclusiveInOrder) {
  using nlohmann::json;
  EXPECT_FALSE(region_param(jsonrpc::Params(json::object())).has_value());
  EXPECT_FALSE(region_param(jsonrpc::Params(json{{"region", nullptr}})).has_value());
  const auto box = region_param(jsonrpc::Params(json{{"region", {{"min", {-3, 0, 2}}, {"max", {4, 0, 9}}}}}));
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ((std::vector<int>{box->min().x(), box->min().y(), box->min().z(), box->max().x(), box->max().y(),
                              box->max().z()}),
            (std::vector<int>{-3, 0, 2, 4, 0, 9}));
  for (const auto& [region, name] : std::vector<std::pair<json, std::string>>{
           {json{{"min", {5, 0, 0}}, {"max", {4, 9, 9}}}, "'region' has min above max"},
           {json{{"min", {0, 0, 0}}}, "'region' must be"},
           {json::array({0, 0, 0, 1, 1, 1}), "'region' must be"},
           {json{{"min", {0, 0}}, {"max", {1, 1, 1}}}, "'region.min'"},
           {json{{"min", {0, 0, 0}}, {"max", {1, 1, 2147483648LL}}}, "'region.max'"},
           {json{{"min", {0, 0, 0}}, {"max", {1, 1.5, 2}}}, "'region.max'"}}) {
    const auto message = refusal([&] { (void)region_param(jsonrpc::Params(json{{"region", region}})); });
    EXPECT_NE(message.find(name), std::string::npos) << region.dump() << ": " << message;
  }
}

TEST(ColorAnalysisParams, BinSizesAndMergeThresholdsAreBounded) {
  using nlohmann::json;
  EXPECT_EQ(bin_size_param(jsonrpc::Params(json::object())), 0);
  EXPECT_EQ(bin_size_param(jsonrpc::Params(json{{"bin_size", 256}})), 256);
  EXPECT_EQ(merge_bin_size_param(jsonrpc::Params(json::object())), 0);
  EXPECT_EQ(merge_bin_size_param(jsonrpc::Params(json{{"merge_similar", true}})), kDefaultMergeThreshold);
  EXPECT_EQ(merge_bin_size_param(jsonrpc::Params(json{{"merge_similar", true}, {"merge_threshold", 40}})), 40);
  EXPECT_EQ(merge_bin_size_param(jsonrpc::Params(json{{"merge_similar", false}, {"merge_threshold", 40}})), 0);
  for (const json& bad : {json(-1), json(257), json("8"), json(2.5)}) {
    EXPECT_NE(refusal([&] {
                (void)bin_size_param(jsonrpc::Params(json{{"bin_size", bad}}));
              }).find("'bin_size'"),
              std::string::npos)
        << bad.dump();
    EXPECT_NE(refusal([&] {
                (void)merge_bin_size_param(jsonrpc::Params(json{{"merge_threshold", bad}}));
              }).find("'merge_threshold'"),
              std::string::npos)
        << bad.dump();
  }
  EXPECT_NE(refusal([] {
              (void)merge_bin_size_param(jsonrpc::Params(nlohmann::json{{"merge_similar", 1}}));
            }).find("'merge_similar'"),
            std::string::npos);
}

}  // namespace
}  // namespace voxd::goxel
