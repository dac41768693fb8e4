// Writing a project as .gox and reading it back keeps everything .gox can hold.
#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

#include "formats_test_support.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::test {
namespace {

using core::Box;
using core::Camera;
using core::Layer;
using core::Light;
using core::Material;
using core::ProjectState;
using core::formats::read_bytes;
using core::formats::write_bytes;
using core::formats::WriteOptions;

// Counts the chunks of a .gox file with this tag.
int count_chunks(const Bytes& file, std::string_view tag) {
  int count = 0;
  std::size_t at = 8;
  while (at + 8 <= file.size()) {
    std::uint32_t length = 0;
    for (std::size_t b = 0; b < 4; ++b) {
      length |= static_cast<std::uint32_t>(file[at + 4 + b]) << (8U * b);
    }
    count += std::string_view(reinterpret_cast<const char*>(&file[at]), 4) == tag ? 1 : 0;
    at += 12 + length;
  }
  return count;
}

ProjectState rich_project() {
  ProjectState state;
  Layer ground;
  ground.id = 3;
  ground.name = "ground";
  ground.material = 1;
  for (int x = -300; x < 20; ++x) {  // negative coordinates, more than 256 wide
    for (int y = -2; y < 3; ++y) {
      ground.volume.set({x, y, -1}, Color{static_cast<std::uint8_t>(x & 0xFF), static_cast<std::uint8_t>(y * 40 + 100),
                                          static_cast<std::uint8_t>((x * 7) & 0xFF), 255});
    }
  }
  Layer glass;
  glass.id = 7;
  glass.name = "glass";
  glass.mode = core::BlendMode::paint;
  glass.transform = {2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, -6, 7, 1};
  glass.volume.set({0, 0, 0}, Color{10, 20, 30, 100});  // translucent
  glass.volume.set({1, 0, 0}, Color{10, 20, 30, 127});
  Layer hidden;
  hidden.id = 9;
  hidden.name = "hidden";
  hidden.visible = false;
  hidden.volume = ground.volume;  // shares every block with `ground`
  state.layers = {ground, glass, hidden};
  state.next_layer_id = 10;
  state.materials = {Material{"matte", {0.5F, 0.25F, 1, 1}, 0.0F, 0.9F, {0, 0, 0}},
                     Material{"shiny", {1, 0, 0, 0.5F}, 1.0F, 0.1F, {0.1F, 0.2F, 0.3F}}};
  state.working_box = Box{{-16, -16, 0}, {15, 15, 31}};
  Camera camera;
  camera.name = "Camera.1";
  camera.distance = 128.0F;
  camera.orthographic = true;
  camera.active = true;
  camera.transform = {0.5F, 0.8F, 0, 0, -0.7F, 0.4F, 0.4F, 0, 0.4F, -0.2F, 0.8F, 0, 50, -34, 136, 1};
  Camera other;
  other.name = "side";
  state.cameras = {camera, other};
  state.light = Light{0.35F, 2.09F, 2.0F, true, 0.3F, 0.25F};
  return state;
}

void expect_same_project(const ProjectState& actual, const ProjectState& expected) {
  ASSERT_EQ(actual.layers.size(), expected.layers.size());
  for (std::size_t i = 0; i < expected.layers.size(); ++i) {
    SCOPED_TRACE("layer " + expected.layers[i].name);
    EXPECT_EQ(actual.layers[i].id, expected.layers[i].id);
    EXPECT_EQ(actual.layers[i].name, expected.layers[i].name);
    EXPECT_EQ(actual.layers[i].visible, expected.layers[i].visible);
    EXPECT_EQ(actual.layers[i].mode, expected.layers[i].mode);
    EXPECT_EQ(actual.layers[i].material, expected.layers[i].material);
    EXPECT_EQ(actual.layers[i].transform, expected.layers[i].transform);
    EXPECT_EQ(actual.layers[i].volume.voxel_count(), expected.layers[i].volume.voxel_count());
    EXPECT_TRUE(actual.layers[i].volume == expected.layers[i].volume);
  }
  EXPECT_EQ(actual.materials, expected.materials);
  EXPECT_EQ(actual.cameras, expected.cameras);
  EXPECT_EQ(actual.light, expected.light);
  EXPECT_EQ(actual.working_box, expected.working_box);
  EXPECT_EQ(actual.next_layer_id, expected.next_layer_id);
}

TEST(GoxRoundTrip, KeepsLayersMaterialsCamerasAndLight) {
  const ProjectState state = rich_project();
  Bytes file;
  const auto report = write_bytes(state, "model.gox", file, WriteOptions{.thumbnail = false});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->lossy);
  const auto back = read_bytes(file, "model.gox", {});
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same_project(*back, state);
}

TEST(GoxRoundTrip, WithThumbnailRequestedTheFileStillReadsBack) {
  const ProjectState state = rich_project();
  Bytes file;
  ASSERT_TRUE(write_bytes(state, "model.gox", file, WriteOptions{.thumbnail = true}).ok());
  EXPECT_LE(count_chunks(file, "PREV"), 1);
  const auto back = read_bytes(file, "", {});
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same_project(*back, state);
}

TEST(GoxRoundTrip, SharedAndEqualTilesAreWrittenOnce) {
  ProjectState state;
  Layer a;
  a.id = 1;
  Layer c;
  c.id = 3;
  for (int i = 0; i < 4; ++i) {
    a.volume.set({i * 16, 0, 0}, Color{1, 2, 3, 255});  // 4 blocks with equal content
    c.volume.set({i * 16 + 1, 0, 0}, Color{9, 9, 9, 255});
  }
  Layer b;
  b.id = 2;
  b.volume = a.volume;  // the same blocks, shared
  state.layers = {a, b, c};
  state.next_layer_id = 4;
  Bytes file;
  ASSERT_TRUE(write_bytes(state, ".gox", file, WriteOptions{.thumbnail = false}).ok());
  EXPECT_EQ(count_chunks(file, "BL16"), 2);
  EXPECT_EQ(count_chunks(file, "LAYR"), 3);
  const auto back = read_bytes(file, "x.gox", {});
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same_project(*back, state);
  // Tiles equal by index are shared again after reading.
  const auto* first = back->layers[0].volume.find_shared_block({0, 0, 0});
  const auto* second = back->layers[1].volume.find_shared_block({0, 0, 0});
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(first->identity(), second->identity());
}

TEST(GoxRoundTrip, SameProjectGivesSameBytes) {
  const ProjectState state = rich_project();
  Bytes first;
  Bytes second;
  ASSERT_TRUE(write_bytes(state, "a.gox", first, WriteOptions{.thumbnail = false}).ok());
  ASSERT_TRUE(write_bytes(ProjectState(state), "b.gox", second, WriteOptions{.thumbnail = false}).ok());
  EXPECT_EQ(first, second);
}

TEST(GoxRoundTrip, EmptyProjectReadsAsOneEmptyLayer) {
  ProjectState state;
  Bytes file;
  ASSERT_TRUE(write_bytes(state, "e.gox", file, WriteOptions{.thumbnail = false}).ok());
  const auto back = read_bytes(file, "e.gox", {});
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->layers.size(), 1U);
  EXPECT_TRUE(back->layers[0].volume.empty());
  EXPECT_NE(back->layers[0].id, 0U);
}

}  // namespace
}  // namespace voxd::test
