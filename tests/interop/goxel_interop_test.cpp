// .gox files written by voxd load in the real Goxel (Debian's goxel 0.11, run headless under xvfb):
// Goxel's own txt export of each file equals the voxels voxd meant to write. Each run takes seconds,
// so there are only a few.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "../formats/formats_test_support.hpp"
#include "../formats/interop_test_support.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::test {
namespace {

namespace fs = std::filesystem;
using core::Layer;
using core::ProjectState;

// Runs Goxel on `input` and returns the voxels of its txt export (fails the test on any problem).
VoxelSet goxel_loads(const fs::path& input, const fs::path& dir) {
  const fs::path output = dir / "goxel-export.txt";
  const int code = goxel_export(dir, input, output);
  EXPECT_NE(code, 124) << "goxel hung (killed by timeout after 60 s)";
  EXPECT_NE(code, 127) << "goxel or xvfb-run is not installed (scripts/install-deps.sh installs them)";
  EXPECT_EQ(code, 0) << slurp(dir / (output.filename().string() + ".log"));
  const auto text = read_file(output);
  EXPECT_TRUE(text.has_value()) << "goxel wrote no " << output;
  if (!text) {
    return {};
  }
  const auto voxels = parse_goxel_txt(std::string(text->begin(), text->end()));
  EXPECT_TRUE(voxels.has_value()) << "goxel's export does not parse";
  return voxels.value_or(VoxelSet{});
}

ProjectState project_for_goxel() {
  ProjectState state;
  Layer ground;  // negative coordinates, 320 voxels wide, 320 distinct colours
  ground.id = 1;
  ground.name = "ground";
  for (int x = -300; x < 20; ++x) {
    const auto i = static_cast<std::uint32_t>(x + 300);
    for (int y = -3; y < 2; ++y) {
      ground.volume.set({x, y, -17}, Color{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8U),
                                           static_cast<std::uint8_t>(100 + y), 255});
    }
  }
  Layer top;  // over the ground at x = 0: the upper layer's colour wins
  top.id = 2;
  top.name = "top";
  top.volume.set({0, 0, -17}, Color{250, 1, 2, 255});
  top.volume.set({5, 40, 260}, Color{1, 2, 3, 255});
  top.volume.set({6, 40, 260}, Color{7, 8, 9, 200});  // translucent but solid: exported
  top.volume.set({7, 40, 260}, Color{7, 8, 9, 100});  // below alpha 127: not exported
  top.volume.set({8, 40, 260}, Color{7, 8, 9, 127});  // exactly the threshold
  Layer hidden;                                       // hidden: not exported
  hidden.id = 3;
  hidden.name = "hidden";
  hidden.visible = false;
  hidden.volume.set({-50, -50, -50}, Color{255, 255, 255, 255});
  Layer copy;  // shares every block with `ground`, moved nowhere: tiles written once, used twice
  copy.id = 4;
  copy.name = "copy";
  copy.volume = ground.volume;
  state.layers = {ground, copy, top, hidden};
  state.next_layer_id = 5;
  state.materials.push_back(core::Material{"paint", {0.5F, 0.5F, 0.5F, 1}, 0.1F, 0.7F, {0, 0, 0}});
  state.layers[0].material = 0;
  state.light = core::Light{};
  return state;
}

TEST(GoxelInterop, GoxelLoadsWhatVoxdWrites) {
  const ScratchDir dir("goxel");
  ASSERT_FALSE(dir.path().empty());
  const ProjectState state = project_for_goxel();
  Bytes file;
  const auto report = core::formats::write_bytes(state, "model.gox", file);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_TRUE(write_file(dir.path() / "model.gox", file));

  const VoxelSet expected = solid_visible_voxels(state);
  ASSERT_EQ(expected.size(), 320U * 5U + 3U);
  const VoxelSet actual = goxel_loads(dir.path() / "model.gox", dir.path());
  EXPECT_FALSE(actual.empty());
  EXPECT_TRUE(actual == expected) << describe_difference(actual, expected);
}

TEST(GoxelInterop, RealModelSurvivesAVoxdRoundTrip) {
  const fs::path fixtures(VOXD_FIXTURES_DIR);
  const auto original = read_file(fixtures / "chr_knight.gox");
  ASSERT_TRUE(original.has_value()) << "fixture chr_knight.gox missing from " << fixtures;
  const auto expected_text = read_file(fixtures / "expected" / "chr_knight.gox.txt");
  ASSERT_TRUE(expected_text.has_value());
  const auto expected = parse_goxel_txt(std::string(expected_text->begin(), expected_text->end()));
  ASSERT_TRUE(expected.has_value());

  const auto state = core::formats::read_bytes(*original, "chr_knight.gox", {});
  ASSERT_TRUE(state.ok()) << state.error().message;
  Bytes file;
  ASSERT_TRUE(core::formats::write_bytes(*state, "knight.gox", file).ok());
  const ScratchDir dir("goxel");
  ASSERT_TRUE(write_file(dir.path() / "knight.gox", file));
  const VoxelSet actual = goxel_loads(dir.path() / "knight.gox", dir.path());
  EXPECT_TRUE(actual == *expected) << describe_difference(actual, *expected);
}

}  // namespace
}  // namespace voxd::test
