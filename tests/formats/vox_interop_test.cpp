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
#include "interop_test_support.hpp"
#include "vox_test_support.hpp"

namespace voxd::core::formats {
namespace {

using testing::VoxelSet;

// Writes the project as .vox, has goxel export it as txt, and returns what goxel loaded.
VoxelSet goxel_loads(const ProjectState& state, WriteReport* report) {
  const test::ScratchDir dir("vox-interop");
  EXPECT_FALSE(dir.path().empty());
  Bytes bytes;
  auto written = write_vox(state, bytes, {});
  EXPECT_TRUE(written.ok());
  if (written.ok() && report != nullptr) {
    *report = *written;
  }
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

}  // namespace
}  // namespace voxd::core::formats
