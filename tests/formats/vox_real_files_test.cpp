// .vox files from other tools than MagicaVoxel's own samples: Teardown's TDCZ chunks and 255-entry
// palettes, instancing (nodes with several parents), animation keyframes, and SLAB6 .vox files.
// Every file is generated here byte by byte (no fixture has these features).
#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <string>
#include <vector>

#include "formats/slab6.hpp"
#include "formats/vox.hpp"
#include "vox_test_support.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::core::formats {
namespace {

using testing::group_chunk;
using testing::layer_voxels;
using testing::shape_chunk;
using testing::size_chunk;
using testing::transform_chunk;
using testing::visible_solid_voxels;
using testing::vox_file;
using testing::VoxBytes;
using testing::VoxelSet;
using testing::xyzi_chunk;

ProjectState read_ok(const Bytes& bytes, const ReadLimits& limits = {}) {
  auto result = read_vox(bytes, limits);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : ProjectState{};
}

void expect_read_error(const Bytes& bytes, ErrorCode code, const std::string& fragment, const ReadLimits& limits = {}) {
  const auto result = read_vox(bytes, limits);
  ASSERT_FALSE(result.ok()) << "expected an error containing '" << fragment << "'";
  EXPECT_EQ(result.code(), code) << result.error().message;
  EXPECT_NE(result.error().message.find(fragment), std::string::npos) << result.error().message;
}

Bytes zlib_compress(const Bytes& raw) {
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  Bytes out(size);
  EXPECT_EQ(compress2(out.data(), &size, raw.data(), static_cast<uLong>(raw.size()), 9), Z_OK);
  out.resize(size);
  return out;
}

// A TDCZ chunk of a dense grid (x fastest, then y, then z) given as bytes, or its raw content.
VoxBytes tdcz_chunk_raw(int x, int y, int z, const Bytes& stream) {
  return VoxBytes{}.chunk("TDCZ", VoxBytes{}.i32(x).i32(y).i32(z).bytes(stream));
}
VoxBytes tdcz_chunk(int x, int y, int z, const Bytes& grid) {
  return tdcz_chunk_raw(x, y, z, zlib_compress(grid));
}

// A 3 x 2 x 2 model with four voxels, as a dense grid and as XYZI records.
Bytes sample_grid() {
  Bytes grid(3 * 2 * 2, 0);
  const auto at = [](int x, int y, int z) { return static_cast<std::size_t>(x + 3 * (y + 2 * z)); };
  grid[at(0, 0, 0)] = 1;
  grid[at(2, 0, 0)] = 2;
  grid[at(1, 1, 0)] = 3;
  grid[at(2, 1, 1)] = 4;
  return grid;
}
std::vector<std::array<std::uint8_t, 4>> sample_records() {
  return {{0, 0, 0, 1}, {2, 0, 0, 2}, {1, 1, 0, 3}, {2, 1, 1, 4}};
}

// ---------------------------------------------------------------------------------------------
// TDCZ (Teardown)

TEST(VoxTdcz, ACompressedModelReadsLikeTheSameSizeAndXyziPair) {
  const ProjectState compressed = read_ok(vox_file({tdcz_chunk(3, 2, 2, sample_grid())}, 200));
  const ProjectState plain = read_ok(vox_file({size_chunk(3, 2, 2), xyzi_chunk(sample_records())}, 200));
  EXPECT_EQ(visible_solid_voxels(compressed), visible_solid_voxels(plain));
  EXPECT_EQ(visible_solid_voxels(compressed).size(), 4U);
  // Placement as for any model: p - floor(S / 2).
  EXPECT_EQ(visible_solid_voxels(compressed).count({-1, -1, -1, 0xffffff}), 1U);
}

TEST(VoxTdcz, CompressedModelsTakePartInTheSceneGraphAndMixWithXyzi) {
  const Bytes file = vox_file({size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}}), tdcz_chunk(3, 2, 2, sample_grid()),
                               transform_chunk(0, 1, {}, {}), group_chunk(1, {2, 4}),
                               transform_chunk(2, 3, {{"_name", "plain"}}, {{"_t", "10 0 0"}}), shape_chunk(3, 0),
                               transform_chunk(4, 5, {{"_name", "teardown"}}, {{"_t", "0 20 0"}}), shape_chunk(5, 1)},
                              200);
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 2U);
  EXPECT_EQ(state.layers[1].name, "teardown");
  VoxelSet expected;
  for (const auto& v : sample_records()) {
    expected.emplace(v[0] - 1, v[1] - 1 + 20, v[2] - 1, 0xffffff);
  }
  // Default palette: every index used here is white-ish; compare positions only.
  VoxelSet got;
  for (const auto& [x, y, z, rgb] : layer_voxels(state.layers[1])) {
    got.emplace(x, y, z, 0xffffff);
  }
  EXPECT_EQ(got, expected);
}

TEST(VoxTdcz, TeardownsPaletteOf255EntriesIsAccepted) {
  VoxBytes palette;
  for (int i = 1; i <= 255; ++i) {
    palette.u8(static_cast<std::uint8_t>(i)).u8(7).u8(0).u8(255);
  }
  const Bytes file = vox_file({tdcz_chunk(3, 2, 2, sample_grid()), VoxBytes{}.chunk("RGBA", palette)}, 200);
  const VoxelSet voxels = visible_solid_voxels(read_ok(file));
  EXPECT_EQ(voxels.count({-1, -1, -1, 0x010700}), 1U);  // index 1 -> entry 0
  EXPECT_EQ(voxels.count({1, 0, 0, 0x040700}), 1U);     // index 4 -> entry 3
}

TEST(VoxTdcz, MalformedChunksNameTheirError) {
  const Bytes grid = sample_grid();
  Bytes stream = zlib_compress(grid);
  expect_read_error(vox_file({tdcz_chunk(4, 2, 2, grid)}), ErrorCode::format,
                    "TDCZ data inflates to 12 bytes, the model needs 16");
  stream.resize(stream.size() / 2);
  expect_read_error(vox_file({tdcz_chunk_raw(3, 2, 2, stream)}), ErrorCode::format, "TDCZ data inflates to");
  expect_read_error(vox_file({tdcz_chunk_raw(3, 2, 2, Bytes{1, 2, 3, 4, 5, 6, 7, 8})}), ErrorCode::format,
                    "TDCZ data is not a valid zlib stream");
  expect_read_error(vox_file({tdcz_chunk(0, 2, 2, grid)}), ErrorCode::format,
                    "TDCZ model size 0 x 2 x 2 is outside 1..256");
  expect_read_error(vox_file({tdcz_chunk(257, 1, 1, grid)}), ErrorCode::format, "outside 1..256");
  expect_read_error(vox_file({VoxBytes{}.chunk("TDCZ", VoxBytes{}.i32(1).i32(1))}), ErrorCode::format,
                    "TDCZ chunk of 8 bytes has no room for its size");
  expect_read_error(vox_file({size_chunk(1, 1, 1), tdcz_chunk(3, 2, 2, grid)}), ErrorCode::format,
                    "TDCZ follows a SIZE without its XYZI");
}

TEST(VoxTdcz, EveryTruncationIsAnError) {
  const Bytes file = vox_file({tdcz_chunk(3, 2, 2, sample_grid())}, 200);
  for (std::size_t n = 0; n < file.size(); ++n) {
    const Bytes cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(read_vox(cut, {}).ok()) << n;
  }
}

TEST(VoxTdcz, InflatedBytesAreBoundedByTheReadersByteBudget) {
  // 256^3 zeros compress to a few kB but would inflate to 16 MiB.
  const Bytes file = vox_file({tdcz_chunk(256, 256, 256, Bytes(256U * 256U * 256U, 0))});
  ReadLimits small;
  small.max_file_bytes = 1024 * 1024;
  ASSERT_LT(file.size(), small.max_file_bytes);
  expect_read_error(file, ErrorCode::limit_exceeded,
                    "TDCZ grid of 16777216 bytes exceeds what remains of "
                    "ReadLimits::max_file_bytes",
                    small);
  // Two grids that fit one by one but not together.
  small.max_file_bytes = 20000;
  const Bytes two = vox_file({tdcz_chunk(20, 20, 20, Bytes(8000, 1)), tdcz_chunk(20, 20, 20, Bytes(8000, 1))});
  expect_read_error(two, ErrorCode::limit_exceeded, "ReadLimits::max_file_bytes", small);
}

// ---------------------------------------------------------------------------------------------
// Instancing

TEST(VoxInstancing, AShapeReferencedByTwoTransformsIsPlacedTwice) {
  const Bytes file = vox_file({size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}}), transform_chunk(0, 1, {}, {}),
                               group_chunk(1, {2, 4}), transform_chunk(2, 3, {{"_name", "a"}}, {{"_t", "-3 0 0"}}),
                               shape_chunk(3, 0), transform_chunk(4, 3, {{"_name", "b"}}, {{"_t", "3 0 0"}})});
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 2U);
  EXPECT_EQ(layer_voxels(state.layers[0]), (VoxelSet{{-3, 0, 0, 0xffffff}}));
  EXPECT_EQ(layer_voxels(state.layers[1]), (VoxelSet{{3, 0, 0, 0xffffff}}));
}

TEST(VoxInstancing, AGroupReusedByTwoObjectsPlacesEveryPartInEach) {
  // left and right both point at group 5, which holds two parts.
  const Bytes file = vox_file({size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}}), transform_chunk(0, 1, {}, {}),
                               group_chunk(1, {2, 3}), transform_chunk(2, 5, {{"_name", "left"}}, {{"_t", "-10 0 0"}}),
                               transform_chunk(3, 5, {{"_name", "right"}}, {{"_t", "10 0 0"}}), group_chunk(5, {6, 8}),
                               transform_chunk(6, 7, {}, {{"_t", "0 1 0"}}), shape_chunk(7, 0),
                               transform_chunk(8, 7, {}, {{"_t", "0 0 2"}})});
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 2U);
  EXPECT_EQ(state.layers[0].name, "left");
  EXPECT_EQ(layer_voxels(state.layers[0]), (VoxelSet{{-10, 1, 0, 0xffffff}, {-10, 0, 2, 0xffffff}}));
  EXPECT_EQ(state.layers[1].name, "right");
  EXPECT_EQ(layer_voxels(state.layers[1]), (VoxelSet{{10, 1, 0, 0xffffff}, {10, 0, 2, 0xffffff}}));
}

// Levels of two transforms that both point at the next level's group: 2^levels paths to the shape.
Bytes doubling_scene(int levels) {
  std::vector<VoxBytes> nodes{size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}}), transform_chunk(0, 1, {}, {})};
  for (int level = 0; level < levels; ++level) {
    const int group = 1 + 3 * level;
    nodes.push_back(group_chunk(group, {group + 1, group + 2}));
    nodes.push_back(transform_chunk(group + 1, group + 3, {}, {}));
    nodes.push_back(transform_chunk(group + 2, group + 3, {}, {{"_t", "1 0 0"}}));
  }
  nodes.push_back(shape_chunk(1 + 3 * levels, 0));
  return vox_file(nodes);
}

TEST(VoxInstancing, ExponentialSharingIsBoundedByTheVoxelAndBlockLimits) {
  // 2^6 = 64 instances of one voxel, at x = 0..6 (how many of the level offsets each path takes).
  const ProjectState small = read_ok(doubling_scene(6));
  EXPECT_EQ(visible_solid_voxels(small).size(), 7U);
  ReadLimits voxels;
  voxels.max_voxels = 63;
  expect_read_error(doubling_scene(6), ErrorCode::limit_exceeded, "ReadLimits::max_voxels", voxels);
  // 2^28 paths: refused after max_blocks node visits, quickly.
  ReadLimits visits;
  visits.max_blocks = 10000;
  expect_read_error(doubling_scene(28), ErrorCode::limit_exceeded, "node visits (ReadLimits::max_blocks)", visits);
  ReadLimits deep;
  deep.max_scene_depth = 100;
  expect_read_error(doubling_scene(28), ErrorCode::limit_exceeded, "ReadLimits::max_", deep);
}

// ---------------------------------------------------------------------------------------------
// Animation (version 200): frame 0 is shown

VoxBytes keyframed_transform(int id, int child,
                             const std::vector<std::vector<std::pair<std::string, std::string>>>& frames) {
  VoxBytes content;
  content.i32(id).dict({}).i32(child).i32(-1).i32(0).i32(static_cast<std::int32_t>(frames.size()));
  for (const auto& frame : frames) {
    content.dict(frame);
  }
  return VoxBytes{}.chunk("nTRN", content);
}

VoxBytes keyframed_shape(int id, const std::vector<std::pair<int, std::string>>& models) {
  VoxBytes content;
  content.i32(id).dict({}).i32(static_cast<std::int32_t>(models.size()));
  for (const auto& [model, frame] : models) {
    content.i32(model).dict({{"_f", frame}});
  }
  return VoxBytes{}.chunk("nSHP", content);
}

TEST(VoxAnimation, TheKeyframeOfFrameZeroPlacesTheModelWhateverItsPositionInTheList) {
  const Bytes file = vox_file(
      {size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}}), size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 2}}),
       transform_chunk(0, 1, {}, {}), group_chunk(1, {2}),
       keyframed_transform(
           2, 3, {{{"_f", "4"}, {"_t", "9 9 9"}}, {{"_f", "0"}, {"_t", "1 0 0"}}, {{"_f", "2"}, {"_t", "5 0 0"}}}),
       keyframed_shape(3, {{1, "3"}, {0, "0"}})},
      200);
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 1U);
  // Model 0 (colour index 1: white in the default palette) at frame 0's translation.
  EXPECT_EQ(layer_voxels(state.layers[0]), (VoxelSet{{1, 0, 0, 0xffffff}}));
}

TEST(VoxAnimation, BadFrameIndicesAreFormatErrors) {
  const auto scene = [](const std::string& f) {
    return vox_file(
        {size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}}), keyframed_transform(0, 1, {{{"_f", f}}}), shape_chunk(1, 0)},
        200);
  };
  expect_read_error(scene("-1"), ErrorCode::format, "frame index _f -1 is negative");
  expect_read_error(scene("one"), ErrorCode::format, "frame index _f 'one' is not an integer");
}

// ---------------------------------------------------------------------------------------------
// SLAB6 .vox

// x * y * z bytes (z fastest, then y, then x), 255 = empty, then a 768-byte palette.
Bytes slab6_file(int x, int y, int z, const Bytes& grid, const Bytes& palette) {
  VoxBytes file;
  file.i32(x).i32(y).i32(z).bytes(grid).bytes(palette);
  return file.data();
}

Bytes sample_slab6() {
  Bytes grid(2 * 3 * 4, 255);
  const auto at = [](int x, int y, int z) { return static_cast<std::size_t>((x * 3 + y) * 4 + z); };
  grid[at(0, 0, 0)] = 0;
  grid[at(1, 0, 0)] = 1;
  grid[at(0, 2, 0)] = 2;
  grid[at(0, 0, 3)] = 1;
  Bytes palette(768, 0);
  palette[0] = 63;  // index 0: (63, 0, 0)
  palette[4] = 32;  // index 1: (0, 32, 0)
  palette[6] = 1;   // index 2: (1, 2, 3)
  palette[7] = 2;
  palette[8] = 3;
  return slab6_file(2, 3, 4, grid, palette);
}

TEST(VoxSlab6, IsDetectedAndReadZUpWithItsSixBitPaletteScaled) {
  const Bytes file = sample_slab6();
  EXPECT_TRUE(slab6_matches(file));
  EXPECT_TRUE(vox_matches(file));
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 1U);
  // (x - 1, y - 1, (3 - z) - 2): centred like a MagicaVoxel model, SLAB6's downward z flipped.
  EXPECT_EQ(layer_voxels(state.layers[0]),
            (VoxelSet{{-1, -1, 1, 0xff0000}, {0, -1, 1, 0x008200}, {-1, 1, 1, 0x04080c}, {-1, -1, -2, 0x008200}}));
}

TEST(VoxSlab6, TheRegistryReadsItByContentWhateverTheName) {
  const Bytes file = sample_slab6();
  for (const char* name : {"model.vox", "model.VOX", ""}) {
    const auto state = read_bytes(file, name, {});
    ASSERT_TRUE(state.ok()) << name << ": " << state.error().message;
    EXPECT_EQ(visible_solid_voxels(*state).size(), 4U) << name;
  }
}

TEST(VoxSlab6, AnEightBitPaletteIsTakenAsIs) {
  Bytes palette(768, 0);
  palette[0] = 200;
  palette[1] = 100;
  const Bytes file = slab6_file(1, 1, 1, Bytes{0}, palette);
  EXPECT_EQ(visible_solid_voxels(read_ok(file)), (VoxelSet{{0, 0, 0, 0xc86400}}));
}

TEST(VoxSlab6, MalformedFilesAndLimitsNameTheirError) {
  Bytes file = sample_slab6();
  file.push_back(0);  // one byte too many: no longer a SLAB6 layout, and no VOX magic
  EXPECT_FALSE(slab6_matches(file));
  expect_read_error(file, ErrorCode::format, "neither a MagicaVoxel file");
  const auto direct = read_slab6(file, {});
  ASSERT_FALSE(direct.ok());
  EXPECT_NE(direct.error().message.find("slab6: offset 0: not a SLAB6 .vox"), std::string::npos);
  // Negative and oversized sizes never match (x * y * z would wrap or allocate).
  EXPECT_FALSE(slab6_matches(slab6_file(-1, -1, 1, Bytes(1), Bytes(768))));
  EXPECT_FALSE(slab6_matches(slab6_file(4096, 1, 1, Bytes(4096), Bytes(768))));
  EXPECT_FALSE(slab6_matches(Bytes(779, 0)));
  ReadLimits voxels;
  voxels.max_voxels = 3;
  expect_read_error(sample_slab6(), ErrorCode::limit_exceeded, "ReadLimits::max_voxels", voxels);
  ReadLimits bytes;
  bytes.max_file_bytes = 100;
  expect_read_error(sample_slab6(), ErrorCode::limit_exceeded, "ReadLimits::max_file_bytes", bytes);
}

}  // namespace
}  // namespace voxd::core::formats
