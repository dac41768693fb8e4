// .qb against an independent reader and writer: Debian's goxel 0.11, run headless (`goxel IN --export OUT`
// under xvfb-run). goxel reads voxd's run-length files, a hand-made left-handed file, and writes dense files
// from real MagicaVoxel models that voxd must read back to goxel's own txt export of the same model.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "formats/qb.hpp"
#include "formats_test_support.hpp"
#include "interop_test_support.hpp"

namespace voxd::core::formats {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;
using test::slurp;
using test::VoxelSet;

// goxel IN --export OUT; true when goxel exited 0 and wrote OUT.
bool goxel_convert(const fs::path& dir, const fs::path& in, const fs::path& out) {
  const int status = test::goxel_export(dir, in, out);
  const std::string log = slurp(dir / (out.filename().string() + ".log"));
  EXPECT_EQ(status, 0) << "goxel " << in << " --export " << out << "\n" << log;
  EXPECT_TRUE(fs::exists(out)) << "goxel " << in << " --export " << out << "\n" << log;
  return status == 0 && fs::exists(out);
}

// The voxels goxel holds after opening `in`, from its txt export.
VoxelSet goxel_voxels(const fs::path& dir, const fs::path& in) {
  const fs::path txt = dir / (in.stem().string() + ".goxel.txt");
  if (!goxel_convert(dir, in, txt)) {
    return {};
  }
  auto set = test::parse_goxel_txt(slurp(txt));
  EXPECT_TRUE(set.has_value()) << txt;
  return set.value_or(VoxelSet{});
}

// Every non-empty voxel with its RGB: .qb has no visibility, and goxel reads any non-zero alpha as opaque.
VoxelSet all_voxels(const ProjectState& state) {
  VoxelSet set;
  for (const Layer& layer : state.layers) {
    layer.volume.for_each_voxel([&](Vec3i p, Color c) { set.insert({p.x, p.y, p.z, c.packed() >> 8U}); });
  }
  return set;
}

Layer make_layer(std::uint32_t id, std::string name) {
  Layer layer;
  layer.id = id;
  layer.name = std::move(name);
  return layer;
}

TEST(QbInterop, GoxelIsInstalled) {
  ASSERT_EQ(std::system("command -v goxel >/dev/null && command -v xvfb-run >/dev/null"), 0)  // NOLINT
      << "goxel and xvfb-run are needed (scripts/install-deps.sh)";
}

TEST(QbInterop, GoxelReadsVoxdsRunLengthFilesExactly) {
  const ScratchDir dir("qb-interop");
  ASSERT_FALSE(dir.path().empty());
  ProjectState state;
  state.layers.push_back(make_layer(1, "floor"));
  state.layers.push_back(make_layer(2, "tower"));
  state.layers.push_back(make_layer(3, "scatter"));
  state.layers.push_back(make_layer(4, "empty"));
  state.layers.push_back(make_layer(5, "hidden"));
  state.layers[4].visible = false;
  state.layers[0].volume.fill_box(Box{{-20, -12, -3}, {19, 9, -2}}, Color{90, 140, 60, 255});
  for (int z = -1; z < 30; ++z) {
    state.layers[1].volume.fill_box(Box{{-2, -3, z}, {3, 1, z}},
                                    Color{static_cast<std::uint8_t>(8 * z + 10), 40, 200, 255});
  }
  for (int i = 0; i < 400; ++i) {
    state.layers[2].volume.set({-40 + (i * 7) % 83, 25 + (i * 13) % 31, -10 + (i * 5) % 45},
                               Color{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(255 - i % 256), 7,
                                     static_cast<std::uint8_t>(i % 3 == 0 ? 140 : 255)});
  }
  state.layers[4].volume.set({50, 50, 50}, Color{1, 2, 3, 255});
  Bytes bytes;
  ASSERT_TRUE(write_bytes(state, "model.qb", bytes).ok());
  const fs::path in = dir.path() / "voxd.qb";
  ASSERT_TRUE(test::write_file(in, bytes));
  const VoxelSet loaded = goxel_voxels(dir.path(), in);
  const VoxelSet expected = all_voxels(state);
  EXPECT_EQ(loaded, expected) << test::describe_difference(loaded, expected);
}

TEST(QbInterop, LeftHandedFilesReadAsGoxelReadsThem) {
  const ScratchDir dir("qb-interop");
  ASSERT_FALSE(dir.path().empty());
  // A 3 x 2 x 4 dense left-handed matrix at (5, -2, 7) with a distinct colour in some cells.
  Bytes bytes;
  const auto u32 = [&](std::uint32_t v) {
    for (unsigned i = 0; i < 4; ++i) {
      bytes.push_back(static_cast<std::uint8_t>(v >> (8U * i)));
    }
  };
  for (const std::uint32_t v : {qb::kVersion, 0U, qb::kLeftHanded, 0U, 0U, 1U}) {
    u32(v);
  }
  bytes.push_back(4);
  for (const char c : std::string("left")) {
    bytes.push_back(static_cast<std::uint8_t>(c));
  }
  for (const std::uint32_t v : {3U, 2U, 4U, 5U, static_cast<std::uint32_t>(-2), 7U}) {
    u32(v);
  }
  for (std::uint32_t i = 0; i < 24; ++i) {
    const bool filled = i % 3 != 1;
    bytes.insert(bytes.end(), {static_cast<std::uint8_t>(10 * i), static_cast<std::uint8_t>(i), 99,
                               static_cast<std::uint8_t>(filled ? 255 : 0)});
  }
  const fs::path in = dir.path() / "left.qb";
  ASSERT_TRUE(test::write_file(in, bytes));
  const auto state = read_bytes(bytes, "left.qb", {});
  ASSERT_TRUE(state.ok()) << state.error().message;
  const VoxelSet loaded = goxel_voxels(dir.path(), in);
  const VoxelSet expected = all_voxels(*state);
  EXPECT_EQ(expected.size(), 16U);
  EXPECT_EQ(loaded, expected) << test::describe_difference(loaded, expected);
}

TEST(QbInterop, VoxdReadsGoxelsDenseFilesOfRealModels) {
  const ScratchDir dir("qb-interop");
  ASSERT_FALSE(dir.path().empty());
  for (const char* name : {"chr_knight.vox", "deer.vox"}) {
    SCOPED_TRACE(name);
    const fs::path model = fs::path(VOXD_FIXTURES_DIR) / "magicavoxel" / name;
    const fs::path qb_file = dir.path() / (model.stem().string() + ".qb");
    ASSERT_TRUE(goxel_convert(dir.path(), model, qb_file));
    const auto bytes = test::read_file(qb_file);
    ASSERT_TRUE(bytes.has_value());
    ASSERT_GE(bytes->size(), 24U);
    EXPECT_EQ((*bytes)[8], qb::kRightHanded) << "goxel writes right-handed files";
    EXPECT_EQ((*bytes)[12], 0) << "goxel writes uncompressed files";
    const auto state = read_bytes(*bytes, qb_file.string(), {});
    ASSERT_TRUE(state.ok()) << state.error().message;
    const VoxelSet expected = goxel_voxels(dir.path(), model);
    EXPECT_FALSE(expected.empty());
    const VoxelSet read = test::solid_visible_voxels(*state);
    EXPECT_EQ(read, expected) << test::describe_difference(read, expected);
  }
}

}  // namespace
}  // namespace voxd::core::formats
