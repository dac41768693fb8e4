// .vox files written by voxd, loaded by an independent reader: Debian's goxel 0.11, run headless
// (`goxel IN.vox --export OUT.txt` under xvfb-run). Each goxel run takes seconds, so there are two:
// one file that must load exactly, one with more than 255 colours that must load with the quantised
// colours voxd reports.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "formats/vox.hpp"
#include "formats/vox_palette.hpp"
#include "interop_test_support.hpp"
#include "vox_test_support.hpp"

namespace voxd::core::formats {
namespace {

using testing::VoxelSet;

// Has goxel load the .vox bytes and export them as txt; returns what goxel loaded.
VoxelSet goxel_loads_file(const Bytes& bytes) {
  const test::ScratchDir dir("vox-interop");
  EXPECT_FALSE(dir.path().empty());
  const auto in = dir.path() / "in.vox";
  const auto out = dir.path() / "out.txt";
  std::ofstream(in, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),  // NOLINT
             static_cast<std::streamsize>(bytes.size()));
  const int status = test::goxel_export(dir.path(), in, out);
  EXPECT_EQ(status, 0) << test::slurp(dir.path() / "out.txt.log");
  std::ifstream txt(out);
  EXPECT_TRUE(txt.good()) << "goxel wrote no " << out;
  return testing::parse_goxel_txt(txt);
}

// Writes the project as .vox, has goxel export it as txt, and returns what goxel loaded.
VoxelSet goxel_loads(const ProjectState& state, WriteReport* report) {
  Bytes bytes;
  auto written = write_vox(state, bytes, {});
  EXPECT_TRUE(written.ok());
  if (written.ok() && report != nullptr) {
    *report = *written;
  }
  return goxel_loads_file(bytes);
}

Layer make_layer(std::uint32_t id, std::string name) {
  Layer layer;
  layer.id = id;
  layer.name = std::move(name);
  return layer;
}

TEST(VoxInterop, GoxelIsInstalled) {
  ASSERT_EQ(std::system("command -v goxel >/dev/null && command -v xvfb-run >/dev/null"), 0)  // NOLINT
      << "goxel and xvfb-run are needed (scripts/install-deps.sh)";
}

TEST(VoxInterop, GoxelLoadsLayersNegativeCoordinatesWideExtentsAndTranslucencyExactly) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "negative"));
  state.layers.push_back(make_layer(2, "wide"));
  state.layers.push_back(make_layer(3, "glass"));
  for (int i = 0; i < 30; ++i) {
    state.layers[0].volume.set({-i - 1, -2 * i - 1, -3}, Color{200, static_cast<std::uint8_t>(8 * i), 10, 255});
  }
  // 601 voxels along x and 300 along z: several models, placed without wrapping.
  for (int x = -300; x <= 300; ++x) {
    state.layers[1].volume.set({x, 5, 0}, Color{0, 0, static_cast<std::uint8_t>(100 + (x & 1) * 100), 255});
  }
  for (int z = 1; z <= 300; ++z) {
    state.layers[1].volume.set({300, 5, z}, Color{0, 90, 90, 255});
  }
  state.layers[2].volume.set({0, 0, 40}, Color{10, 20, 30, 60});   // too faint: left out
  state.layers[2].volume.set({1, 0, 40}, Color{40, 50, 60, 180});  // written opaque
  state.next_layer_id = 4;

  WriteReport report;
  const VoxelSet loaded = goxel_loads(state, &report);
  EXPECT_TRUE(report.lossy);  // because of the translucent voxels, not the colours
  EXPECT_EQ(report.warning.find("quantised"), std::string::npos) << report.warning;
  const VoxelSet expected = testing::visible_solid_voxels(state);
  ASSERT_EQ(expected.size(), 30U + 601U + 300U + 1U);
  EXPECT_EQ(loaded, expected);
}

TEST(VoxInterop, GoxelLoadsTheQuantisedColoursVoxdReports) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "rainbow"));
  state.layers.push_back(make_layer(2, "below zero"));
  for (int i = 0; i < 600; ++i) {
    const Color c{static_cast<std::uint8_t>(i % 256), static_cast<std::uint8_t>((i * 37) % 256),
                  static_cast<std::uint8_t>(255 - i / 3), 255};
    state.layers[static_cast<std::size_t>(i % 2)].volume.set({i % 25 - (i % 2) * 30, i / 25, -(i % 2) * 10}, c);
  }
  state.next_layer_id = 3;

  WriteReport report;
  const VoxelSet loaded = goxel_loads(state, &report);
  EXPECT_TRUE(report.lossy);
  EXPECT_NE(report.warning.find("600 colours quantised"), std::string::npos) << report.warning;

  // What voxd itself reads back from the same bytes: the colours it reported.
  Bytes bytes;
  ASSERT_TRUE(write_vox(state, bytes, {}).ok());
  auto back = read_vox(bytes, {});
  ASSERT_TRUE(back.ok());
  const VoxelSet quantised = testing::visible_solid_voxels(*back);
  EXPECT_NE(quantised, testing::visible_solid_voxels(state));
  EXPECT_EQ(loaded.size(), 600U);
  EXPECT_EQ(loaded, quantised);
}

// Where Goxel 0.11 and MagicaVoxel disagree (docs/formats-vox.md), checked on one generated file: a model
// placed by two nTRNs (instancing), and another model whose nTRN lists keyframe _f 0 (at z + 50) before
// _f 1 (also x + 20). voxd places both instances and shows frame 0, as MagicaVoxel does; Goxel shows the shape once, at
// its last parent's placement, and takes the last keyframe listed.
TEST(VoxInterop, WhereGoxelDisagreesWithMagicaVoxel) {
  using testing::group_chunk;
  using testing::shape_chunk;
  using testing::transform_chunk;
  const Bytes file = testing::vox_file(
      {testing::size_chunk(3, 1, 1), testing::xyzi_chunk({{0, 0, 0, 1}, {2, 0, 0, 2}}), testing::size_chunk(3, 1, 1),
       testing::xyzi_chunk({{0, 0, 0, 3}}), transform_chunk(0, 1, {}, {}),
       group_chunk(1, {2, 4, 5}), transform_chunk(2, 3, {{"_name", "a"}}, {{"_t", "0 0 0"}}), shape_chunk(3, 0),
       transform_chunk(4, 3, {{"_name", "b"}}, {{"_t", "10 0 0"}}),
       testing::VoxBytes{}.chunk("nTRN", testing::VoxBytes{}
                                             .i32(5)
                                             .dict({{"_name", "keyed"}})
                                             .i32(6)
                                             .i32(-1)
                                             .i32(0)
                                             .i32(2)
                                             .dict({{"_f", "0"}, {"_t", "0 0 50"}})
                                             .dict({{"_f", "1"}, {"_t", "20 0 50"}})),
       shape_chunk(6, 1)},
      200);
  const std::uint32_t c1 = testing::rgb_of(kVoxDefaultPalette[1]);
  const std::uint32_t c2 = testing::rgb_of(kVoxDefaultPalette[2]);
  const std::uint32_t c3 = testing::rgb_of(kVoxDefaultPalette[3]);
  auto voxd = read_vox(file, {});
  ASSERT_TRUE(voxd.ok()) << voxd.error().message;
  EXPECT_EQ(testing::visible_solid_voxels(*voxd),
            (VoxelSet{{-1, 0, 0, c1}, {1, 0, 0, c2}, {9, 0, 0, c1}, {11, 0, 0, c2}, {-1, 0, 50, c3}}));
  EXPECT_EQ(goxel_loads_file(file), (VoxelSet{{9, 0, 0, c1}, {11, 0, 0, c2}, {19, 0, 50, c3}}));
}

}  // namespace
}  // namespace voxd::core::formats
