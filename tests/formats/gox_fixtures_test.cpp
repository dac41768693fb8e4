// Every real .gox file in the fixtures folder loads to exactly the voxels Goxel itself exports from it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "formats_test_support.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::test {
namespace {

namespace fs = std::filesystem;
using core::formats::read_bytes;

fs::path fixtures_dir() {
  return fs::path(VOXD_FIXTURES_DIR);
}

std::vector<fs::path> gox_fixtures() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fixtures_dir(), ec)) {
    if (entry.path().extension() == ".gox") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(GoxFixtures, FolderHoldsGoxFiles) {
  ASSERT_TRUE(fs::is_directory(fixtures_dir()))
      << "fixtures folder " << fixtures_dir() << " is missing: set -DVOXD_FIXTURES_DIR=/path/to/shared/fixtures";
  EXPECT_GE(gox_fixtures().size(), 6U) << "expected the shared .gox fixtures in " << fixtures_dir();
}

TEST(GoxFixtures, EveryFileMatchesWhatGoxelExports) {
  const auto files = gox_fixtures();
  ASSERT_FALSE(files.empty()) << "no .gox fixtures in " << fixtures_dir();
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto bytes = read_file(file);
    ASSERT_TRUE(bytes.has_value());
    const auto expected_text = read_file(fixtures_dir() / "expected" / (file.filename().string() + ".txt"));
    ASSERT_TRUE(expected_text.has_value()) << "no expected/" << file.filename().string() << ".txt";
    const auto expected = parse_goxel_txt(std::string(expected_text->begin(), expected_text->end()));
    ASSERT_TRUE(expected.has_value());
    ASSERT_FALSE(expected->empty());

    const auto state = read_bytes(*bytes, file.filename().string(), {});
    ASSERT_TRUE(state.ok()) << state.error().message;
    const VoxelSet actual = solid_visible_voxels(*state);
    EXPECT_TRUE(actual == *expected) << describe_difference(actual, *expected);
  }
}

TEST(GoxFixtures, ShapeLayersAreBakedWithTheirNames) {
  const auto bytes = read_file(fixtures_dir() / "gox-shape-3-layers.gox");
  ASSERT_TRUE(bytes.has_value());
  const auto state = core::formats::read_bytes(*bytes, "gox-shape-3-layers.gox", {});
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_EQ(state->layers.size(), 4U);
  // Order in the file: cylinder (id 4), cube (3), sphere (2), Layer.1 (1).
  EXPECT_EQ(state->layers[0].id, 4U);
  EXPECT_EQ(state->layers[0].volume.voxel_count(), 416);
  EXPECT_EQ(state->layers[1].volume.voxel_count(), 512);
  EXPECT_EQ(state->layers[2].volume.voxel_count(), 280);
  EXPECT_EQ(state->layers[3].name, "Layer.1");
  EXPECT_TRUE(state->layers[3].volume.empty());
  EXPECT_EQ(state->layers[0].transform, core::kIdentity) << "the shape's box is consumed by baking";
  ASSERT_EQ(state->materials.size(), 1U);
  EXPECT_EQ(state->materials[0].name, "Material.1");
  ASSERT_EQ(state->cameras.size(), 1U);
  EXPECT_TRUE(state->cameras[0].active);
  EXPECT_FLOAT_EQ(state->cameras[0].distance, 96.0F);
  ASSERT_TRUE(state->light.has_value());
  EXPECT_FLOAT_EQ(state->light->intensity, 2.0F);
  ASSERT_TRUE(state->working_box.has_value());
  EXPECT_EQ(*state->working_box, (core::Box{{-16, -16, 0}, {15, 15, 31}}));
}

TEST(GoxFixtures, NamesStopAtTheFirstNul) {
  const auto bytes = read_file(fixtures_dir() / "chr_knight.gox");
  ASSERT_TRUE(bytes.has_value());
  const auto state = core::formats::read_bytes(*bytes, "chr_knight.gox", {});
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_EQ(state->layers.size(), 19U);
  EXPECT_EQ(state->layers[14].name, "K_Leg_Right_u");
  // The file numbers layers from 0; voxd ids are non-zero and unique.
  EXPECT_EQ(state->layers[0].id, 1U);
  EXPECT_EQ(state->next_layer_id, 20U);
}

}  // namespace
}  // namespace voxd::test
