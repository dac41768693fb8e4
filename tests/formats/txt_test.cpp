// Goxel's .txt: one "X Y Z RRGGBB" line per solid voxel.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "formats_test_support.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::test {
namespace {

using core::ErrorCode;
using core::Layer;
using core::ProjectState;
using core::formats::read_bytes;
using core::formats::write_bytes;

Bytes bytes_of(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

core::Result<ProjectState> read_text(std::string_view text, const core::ReadLimits& limits = {}) {
  return read_bytes(bytes_of(text), "model.txt", limits);
}

void expect_line_error(std::string_view text, const std::string& fragment) {
  const auto result = read_text(text);
  ASSERT_FALSE(result.ok()) << text;
  EXPECT_EQ(result.code(), ErrorCode::format);
  EXPECT_NE(result.error().message.find(fragment), std::string::npos) << result.error().message;
}

TEST(Txt, ReadsGoxelsExport) {
  const auto state =
      read_text("# Goxel 0.11.0\n# One line per voxel\n# X Y Z RRGGBB\n-2 -15 12 ffffff\n3 4 5 0a0B0c\n");
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_EQ(state->layers.size(), 1U);
  EXPECT_NE(state->layers[0].id, 0U);
  EXPECT_EQ(state->layers[0].volume.voxel_count(), 2);
  EXPECT_EQ(state->layers[0].volume.get({-2, -15, 12}), (Color{255, 255, 255, 255}));
  EXPECT_EQ(state->layers[0].volume.get({3, 4, 5}), (Color{10, 11, 12, 255}));
}

TEST(Txt, AcceptsBlankLinesCrlfAndNoFinalNewline) {
  const auto state = read_text("\r\n  1 2 3 ff0000\r\n\n\t# note\n4 5 6 00ff00");
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->layers[0].volume.voxel_count(), 2);
  EXPECT_EQ(state->layers[0].volume.get({4, 5, 6}), (Color{0, 255, 0, 255}));
}

TEST(Txt, StrictErrorsNameTheLine) {
  expect_line_error("# header\n1 2 3\n", "txt: line 2: expected 'X Y Z RRGGBB', found 3 fields");
  expect_line_error("1 2 3 ffffff extra\n", "line 1: expected 'X Y Z RRGGBB', found 5 fields");
  expect_line_error("\n\n1 2 x ffffff\n", "line 3: coordinates must be integers");
  expect_line_error("1 2 3.5 ffffff\n", "line 1: coordinates must be integers");
  expect_line_error("1 2 99999999999 ffffff\n", "line 1: coordinates must be integers in the coordinate range");
  expect_line_error("1 2 3 fffff\n", "line 1: colour 'fffff' is not 6 hex digits");
  expect_line_error("1 2 3 gggggg\n", "colour 'gggggg'");
  expect_line_error("1 2 3 +fffff\n", "colour '+fffff'");
}

TEST(Txt, VoxelLimit) {
  core::ReadLimits limits;
  limits.max_voxels = 1;
  const auto result = read_text("1 1 1 ffffff\n1 1 1 eeeeee\n2 2 2 ffffff\n", limits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(result.error().message.find("line 3: more voxels than max_voxels (1)"), std::string::npos)
      << result.error().message;
}

TEST(Txt, VoxelsSpacedOneBlockApartStopAtTheCallersByteBudget) {
  // Each line costs a whole 16^3 block: 100 lines are ~1.6 MiB, over a 1 MiB budget.
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += std::to_string(16 * i) + " 0 0 ffffff\n";
  }
  core::ReadLimits limits;
  limits.max_bytes = 1024 * 1024;
  limits.max_bytes_name = "max_memory_bytes";
  const auto refused = read_text(text, limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(refused.error().message.find("max_memory_bytes (1048576 bytes)"), std::string::npos)
      << refused.error().message;
  limits.max_bytes = 4 * 1024 * 1024;
  const auto read = read_text(text, limits);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->layers.at(0).volume.block_count(), 100U);
}

TEST(Txt, RoundTripOfOneOpaqueLayer) {
  ProjectState state;
  Layer layer;
  layer.id = 1;
  layer.name = "background";
  for (int i = -40; i < 300; i += 3) {
    layer.volume.set({i, -i, i / 2}, Color{static_cast<std::uint8_t>(i & 0xFF), 7, 200, 255});
  }
  state.layers.push_back(layer);
  state.next_layer_id = 2;
  Bytes file;
  const auto report = write_bytes(state, "out.TXT", file);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->lossy) << report->warning;
  const std::string text(file.begin(), file.end());
  EXPECT_EQ(text.rfind("# ", 0), 0U);
  const auto parsed = parse_goxel_txt(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, solid_visible_voxels(state));
  const auto back = read_bytes(file, "out.txt", {});
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->layers.size(), 1U);
  EXPECT_TRUE(back->layers[0].volume == layer.volume);
  EXPECT_EQ(back->layers[0].name, layer.name);
  EXPECT_EQ(back->layers[0].id, layer.id);
}

TEST(Txt, WritingLayersAndTranslucencyIsLossy) {
  ProjectState state;
  Layer bottom;
  bottom.id = 1;
  bottom.volume.set({0, 0, 0}, Color{1, 1, 1, 255});
  bottom.volume.set({1, 0, 0}, Color{2, 2, 2, 255});
  Layer top;
  top.id = 2;
  top.volume.set({0, 0, 0}, Color{9, 9, 9, 255});  // covers the bottom voxel
  top.volume.set({2, 0, 0}, Color{3, 3, 3, 126});  // below the solid threshold: left out
  top.volume.set({3, 0, 0}, Color{4, 4, 4, 127});  // solid: kept without alpha
  Layer hidden;
  hidden.id = 3;
  hidden.visible = false;
  hidden.volume.set({5, 5, 5}, Color{5, 5, 5, 255});
  state.layers = {bottom, top, hidden};
  Bytes file;
  const auto report = write_bytes(state, ".txt", file);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->lossy);
  EXPECT_NE(report->warning.find("layer"), std::string::npos) << report->warning;
  EXPECT_NE(report->warning.find("alpha"), std::string::npos) << report->warning;
  const auto parsed = parse_goxel_txt(std::string(file.begin(), file.end()));
  ASSERT_TRUE(parsed.has_value());
  const VoxelSet expected{{0, 0, 0, 0x090909}, {1, 0, 0, 0x020202}, {3, 0, 0, 0x040404}};
  EXPECT_EQ(*parsed, expected);
}

}  // namespace
}  // namespace voxd::test
