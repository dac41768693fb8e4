// The .vox codec: real files against what Goxel loads from them, the scene graph (transforms,
// layers, hidden nodes), round trips, palette quantisation, and hostile inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "formats/color_quantizer.hpp"
#include "formats/vox.hpp"
#include "formats/vox_palette.hpp"
#include "vox_test_support.hpp"

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

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kGreen{0, 255, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};

// A palette whose colour index c is (c, 0, 0).
VoxBytes red_ramp_palette() {
  VoxBytes content;
  for (int i = 1; i <= 256; ++i) {
    content.u8(static_cast<std::uint8_t>(i)).u8(0).u8(0).u8(255);
  }
  return VoxBytes{}.chunk("RGBA", content);
}

ProjectState read_ok(const Bytes& bytes, const ReadLimits& limits = {}) {
  auto result = read_vox(bytes, limits);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : ProjectState{};
}

// Expects a read to fail with this code and a message containing `fragment`.
void expect_read_error(const Bytes& bytes, ErrorCode code, const std::string& fragment, const ReadLimits& limits = {}) {
  const auto result = read_vox(bytes, limits);
  ASSERT_FALSE(result.ok()) << "expected an error containing '" << fragment << "'";
  EXPECT_EQ(result.code(), code) << result.error().message;
  EXPECT_NE(result.error().message.find(fragment), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.rfind("vox: ", 0), 0U) << result.error().message;
}

Bytes write_ok(const ProjectState& state, WriteReport* report = nullptr) {
  Bytes out;
  auto result = write_vox(state, out, {});
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  if (report != nullptr && result.ok()) {
    *report = *result;
  }
  return out;
}

Layer make_layer(std::uint32_t id, std::string name, bool visible = true) {
  Layer layer;
  layer.id = id;
  layer.name = std::move(name);
  layer.visible = visible;
  return layer;
}

// The chunks directly inside MAIN: id and content size, for checks on what the writer produced.
std::vector<std::pair<std::string, Bytes>> main_children(const Bytes& file) {
  std::vector<std::pair<std::string, Bytes>> out;
  const auto i32_at = [&](std::size_t at) {
    return static_cast<std::int32_t>(std::uint32_t{file[at]} | (std::uint32_t{file[at + 1]} << 8U) |
                                     (std::uint32_t{file[at + 2]} << 16U) | (std::uint32_t{file[at + 3]} << 24U));
  };
  std::size_t at = 20;
  while (at + 12 <= file.size()) {
    const auto content = static_cast<std::size_t>(i32_at(at + 4));
    const auto children = static_cast<std::size_t>(i32_at(at + 8));
    out.emplace_back(
        std::string(file.begin() + static_cast<std::ptrdiff_t>(at), file.begin() + static_cast<std::ptrdiff_t>(at + 4)),
        Bytes(file.begin() + static_cast<std::ptrdiff_t>(at + 12),
              file.begin() + static_cast<std::ptrdiff_t>(at + 12 + content)));
    at += 12 + content + children;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Real files

TEST(VoxFixtures, EveryFixtureLoadsTheVoxelsGoxelLoads) {
  const std::filesystem::path dir = VOXD_FIXTURES_DIR;
  ASSERT_TRUE(std::filesystem::is_directory(dir / "expected"))
      << "fixtures folder " << dir << " is absent: configure with -DVOXD_FIXTURES_DIR=/work/shared/fixtures";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".vox") {
      continue;
    }
    SCOPED_TRACE(entry.path().filename().string());
    const Bytes bytes = testing::read_file(entry.path().string());
    ASSERT_TRUE(vox_matches(bytes));
    const ProjectState state = read_ok(bytes);
    std::ifstream expected_file(dir / "expected" / (entry.path().filename().string() + ".txt"));
    ASSERT_TRUE(expected_file.good()) << "no expected voxels for this fixture";
    const VoxelSet expected = testing::parse_goxel_txt(expected_file);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(visible_solid_voxels(state), expected);
    ++checked;
  }
  EXPECT_GE(checked, 6);
}

TEST(VoxFixtures, SceneGraphObjectsBecomeNamedLayers) {
  const std::filesystem::path dir = VOXD_FIXTURES_DIR;
  const ProjectState robo = read_ok(testing::read_file((dir / "robo.vox").string()));
  ASSERT_EQ(robo.layers.size(), 3U);
  EXPECT_EQ(robo.layers[0].name, "Head_Upper");
  EXPECT_EQ(robo.layers[1].name, "Head_Lower");
  EXPECT_EQ(robo.layers[2].name, "Head_Neck");
  EXPECT_EQ(robo.layers[0].id, 1U);
  EXPECT_EQ(robo.next_layer_id, 4U);

  // crabby: a named group holding an empty model "Matrix" and the model "crabby".
  const ProjectState crabby = read_ok(testing::read_file((dir / "crabby.vox").string()));
  ASSERT_EQ(crabby.layers.size(), 2U);
  EXPECT_EQ(crabby.layers[0].name, "Matrix");
  EXPECT_EQ(crabby.layers[0].volume.voxel_count(), 0);
  EXPECT_EQ(crabby.layers[1].name, "crabby");
  EXPECT_EQ(crabby.layers[1].volume.voxel_count(), 100);
}

// ---------------------------------------------------------------------------------------------
// Reading: palette, placement, scene graph

TEST(VoxRead, DefaultPaletteIsMagicaVoxels) {
  // Spot checks against the published table (colour index -> 0xRRGGBB).
  EXPECT_EQ(testing::rgb_of(kVoxDefaultPalette[1]), 0xffffffU);
  EXPECT_EQ(testing::rgb_of(kVoxDefaultPalette[2]), 0xffffccU);
  EXPECT_EQ(testing::rgb_of(kVoxDefaultPalette[36]), 0xff0000U);
  EXPECT_EQ(testing::rgb_of(kVoxDefaultPalette[37]), 0xccffffU);
  EXPECT_EQ(testing::rgb_of(kVoxDefaultPalette[216]), 0xee0000U);
  EXPECT_EQ(testing::rgb_of(kVoxDefaultPalette[226]), 0x00ee00U);
  EXPECT_EQ(testing::rgb_of(kVoxDefaultPalette[236]), 0x0000eeU);
  EXPECT_EQ(testing::rgb_of(kVoxDefaultPalette[246]), 0xeeeeeeU);
}

TEST(VoxRead, OldFileWithoutSceneGraphCentresEachModelAtTheOrigin) {
  const Bytes file = vox_file({size_chunk(4, 3, 1), xyzi_chunk({{0, 0, 0, 1}, {3, 2, 0, 36}}), size_chunk(1, 1, 1),
                               xyzi_chunk({{0, 0, 0, 216}})});
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 2U);
  EXPECT_EQ(layer_voxels(state.layers[0]), (VoxelSet{{-2, -1, 0, 0xffffff}, {1, 1, 0, 0xff0000}}));
  EXPECT_EQ(layer_voxels(state.layers[1]), (VoxelSet{{0, 0, 0, 0xee0000}}));
}

TEST(VoxRead, PaletteEntryOfIndexCIsEntryCMinusOneAndIndexZeroIsEmpty) {
  const Bytes file =
      vox_file({size_chunk(3, 1, 1), xyzi_chunk({{0, 0, 0, 1}, {1, 0, 0, 0}, {2, 0, 0, 255}}), red_ramp_palette()});
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 1U);
  EXPECT_EQ(layer_voxels(state.layers[0]), (VoxelSet{{-1, 0, 0, 0x010000}, {1, 0, 0, 0xff0000}}));
}

// One model of three voxels along x (red, green, blue by palette index 1, 2, 3 of the default
// palette is awkward, so the ramp palette is used: colour index c is (c, 0, 0)).
Bytes line_under_transform(int packed_rotation, int size_x = 3) {
  std::vector<std::array<std::uint8_t, 4>> voxels;
  for (int x = 0; x < size_x; ++x) {
    voxels.push_back({static_cast<std::uint8_t>(x), 0, 0, static_cast<std::uint8_t>(x + 1)});
  }
  return vox_file({size_chunk(size_x, 1, 1), xyzi_chunk(voxels), transform_chunk(0, 1, {}, {}), group_chunk(1, {2}),
                   transform_chunk(2, 3, {}, {{"_r", std::to_string(packed_rotation)}, {"_t", "10 20 30"}}),
                   shape_chunk(3, 0), red_ramp_palette()});
}

TEST(VoxRead, IdentityRotationPlacesVoxelsAtXMinusHalfSizePlusTranslation) {
  // _r = 4: row 0 -> column 0, row 1 -> column 1, no signs.
  EXPECT_EQ(layer_voxels(read_ok(line_under_transform(4)).layers[0]),
            (VoxelSet{{9, 20, 30, 0x010000}, {10, 20, 30, 0x020000}, {11, 20, 30, 0x030000}}));
}

TEST(VoxRead, MirrorKeepsTheMiddleVoxelOfAnOddModelInPlace) {
  // _r = 4 | 16: x negated.
  EXPECT_EQ(layer_voxels(read_ok(line_under_transform(20)).layers[0]),
            (VoxelSet{{11, 20, 30, 0x010000}, {10, 20, 30, 0x020000}, {9, 20, 30, 0x030000}}));
}

TEST(VoxRead, MirrorKeepsAnEvenModelInItsBox) {
  // Unrotated the two voxels sit at x = 9 and 10; mirrored they swap.
  EXPECT_EQ(layer_voxels(read_ok(line_under_transform(4, 2)).layers[0]),
            (VoxelSet{{9, 20, 30, 0x010000}, {10, 20, 30, 0x020000}}));
  EXPECT_EQ(layer_voxels(read_ok(line_under_transform(20, 2)).layers[0]),
            (VoxelSet{{10, 20, 30, 0x010000}, {9, 20, 30, 0x020000}}));
}

TEST(VoxRead, QuarterTurnAboutZTurnsTheXAxisIntoY) {
  // Rows (0,-1,0), (1,0,0), (0,0,1): row 0 -> column 1 negated, row 1 -> column 0: 1 | 0 << 2 | 16.
  EXPECT_EQ(layer_voxels(read_ok(line_under_transform(17)).layers[0]),
            (VoxelSet{{10, 19, 30, 0x010000}, {10, 20, 30, 0x020000}, {10, 21, 30, 0x030000}}));
}

TEST(VoxRead, TransformsComposeFromTheRoot) {
  // The parent turns a quarter about z, the child moves +5 along its own x: that is +5 along world y.
  const Bytes file = vox_file({size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 7}}),
                               transform_chunk(0, 1, {}, {{"_r", "17"}, {"_t", "100 0 0"}}), group_chunk(1, {2}),
                               transform_chunk(2, 3, {}, {{"_t", "5 0 0"}}), shape_chunk(3, 0), red_ramp_palette()});
  EXPECT_EQ(layer_voxels(read_ok(file).layers[0]), (VoxelSet{{100, 5, 0, 0x070000}}));
}

TEST(VoxRead, HiddenNodesAndHiddenLayersGiveInvisibleLayers) {
  const VoxBytes layr_hidden = VoxBytes{}.chunk("LAYR", VoxBytes{}.i32(3).dict({{"_hidden", "1"}}).i32(-1));
  const Bytes file = vox_file(
      {size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}}), transform_chunk(0, 1, {}, {}), group_chunk(1, {2, 4, 6}),
       transform_chunk(2, 3, {{"_name", "shown"}}, {{"_t", "0 0 0"}}), shape_chunk(3, 0),
       transform_chunk(4, 5, {{"_name", "hidden"}, {"_hidden", "1"}}, {{"_t", "1 0 0"}}), shape_chunk(5, 0),
       transform_chunk(6, 7, {{"_name", "in hidden layer"}}, {{"_t", "2 0 0"}}, 3), shape_chunk(7, 0), layr_hidden});
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 3U);
  EXPECT_EQ(state.layers[0].name, "shown");
  EXPECT_TRUE(state.layers[0].visible);
  EXPECT_EQ(state.layers[1].name, "hidden");
  EXPECT_FALSE(state.layers[1].visible);
  EXPECT_EQ(state.layers[2].name, "in hidden layer");
  EXPECT_FALSE(state.layers[2].visible);
}

TEST(VoxRead, AModelUsedByTwoShapesAppearsTwice) {
  const Bytes file = vox_file({size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}}), transform_chunk(0, 1, {}, {}),
                               group_chunk(1, {2, 4}), transform_chunk(2, 3, {}, {{"_t", "-3 0 0"}}), shape_chunk(3, 0),
                               transform_chunk(4, 5, {}, {{"_t", "3 0 0"}}), shape_chunk(5, 0)});
  const ProjectState state = read_ok(file);
  ASSERT_EQ(state.layers.size(), 2U);
  EXPECT_EQ(visible_solid_voxels(state), (VoxelSet{{-3, 0, 0, 0xffffff}, {3, 0, 0, 0xffffff}}));
}

TEST(VoxRead, UnknownChunksAndVersion200AreAccepted) {
  const Bytes file = vox_file({VoxBytes{}.chunk("PACK", VoxBytes{}.i32(1)), size_chunk(1, 1, 1),
                               xyzi_chunk({{0, 0, 0, 1}}), VoxBytes{}.chunk("MATL", VoxBytes{}.i32(1).dict({})),
                               VoxBytes{}.chunk("NOTE", VoxBytes{}.i32(0), VoxBytes{}.chunk("ABCD", VoxBytes{}))},
                              200);
  EXPECT_EQ(visible_solid_voxels(read_ok(file)), (VoxelSet{{0, 0, 0, 0xffffff}}));
}

TEST(VoxRead, AFileWithoutModelsGivesOneEmptyLayer) {
  const ProjectState state = read_ok(vox_file({}));
  ASSERT_EQ(state.layers.size(), 1U);
  EXPECT_TRUE(state.layers[0].volume.empty());
}

// ---------------------------------------------------------------------------------------------
// Hostile input

TEST(VoxMalformed, EveryTruncationIsAFormatError) {
  const Bytes file = testing::read_file(std::string(VOXD_FIXTURES_DIR) + "/robo.vox");
  ASSERT_GT(file.size(), 1000U);
  for (std::size_t n = 0; n < file.size(); ++n) {
    const Bytes cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
    const auto result = read_vox(cut, {});
    ASSERT_FALSE(result.ok()) << "a file cut to " << n << " bytes was accepted";
    ASSERT_EQ(result.code(), ErrorCode::format) << n << ": " << result.error().message;
  }
}

TEST(VoxMalformed, TruncatedHeader) {
  expect_read_error(Bytes{'V', 'O', 'X', ' ', 150, 0}, ErrorCode::format, "offset 4: version needs 4 bytes");
}

TEST(VoxMalformed, WrongMagicAndVersion) {
  expect_read_error(Bytes{'V', 'O', 'X', '!', 150, 0, 0, 0}, ErrorCode::format, "no 'VOX ' magic");
  Bytes file = vox_file({});
  file[4] = 151;
  expect_read_error(file, ErrorCode::unsupported, "version 151 is not supported");
}

TEST(VoxMalformed, ChunkContentSizePastTheEnd) {
  Bytes file = vox_file({size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}})});
  file[20 + 4] = 200;  // SIZE content size 200 > what remains
  expect_read_error(file, ErrorCode::format, "offset 24: SIZE content size 200 does not fit");
}

TEST(VoxMalformed, ChildrenSizePastTheEnd) {
  Bytes file = vox_file({size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}})});
  file[20 + 8] = 100;  // SIZE children size: more than the 32 bytes after the header
  expect_read_error(file, ErrorCode::format, "offset 28: SIZE children size 100 does not fit in the 32 bytes");
  file[20 + 8] = 25;  // fits after the header, but not after the 12 bytes of content
  expect_read_error(file, ErrorCode::format, "offset 20: SIZE children size 25 runs past the end");
  Bytes main_too_long = vox_file({});
  main_too_long[16] = 1;  // MAIN children size 1, nothing follows
  expect_read_error(main_too_long, ErrorCode::format, "offset 16: MAIN children size 1 does not fit");
}

TEST(VoxMalformed, NegativeSizes) {
  Bytes file = vox_file({size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}})});
  file[20 + 4 + 3] = 0x80;
  expect_read_error(file, ErrorCode::format, "SIZE content size is negative");
}

TEST(VoxMalformed, XyziCountTooBig) {
  VoxBytes xyzi;
  xyzi.i32(1000).u8(0).u8(0).u8(0).u8(1);
  expect_read_error(vox_file({size_chunk(1, 1, 1), VoxBytes{}.chunk("XYZI", xyzi)}), ErrorCode::format,
                    "XYZI voxel count 1000 does not fit in the 4 bytes that remain");
  VoxBytes huge;
  huge.i32(0x7fffffff);
  expect_read_error(vox_file({size_chunk(1, 1, 1), VoxBytes{}.chunk("XYZI", huge)}), ErrorCode::format,
                    "XYZI voxel count 2147483647 does not fit");
}

TEST(VoxMalformed, ModelSizeZeroOrAbove256) {
  expect_read_error(vox_file({size_chunk(0, 1, 1), xyzi_chunk({})}), ErrorCode::format,
                    "model size 0 x 1 x 1 is outside 1..256");
  expect_read_error(vox_file({size_chunk(1, 257, 1), xyzi_chunk({})}), ErrorCode::format,
                    "model size 1 x 257 x 1 is outside 1..256");
  expect_read_error(vox_file({size_chunk(1, 1, -5), xyzi_chunk({})}), ErrorCode::format, "is outside 1..256");
}

TEST(VoxMalformed, VoxelOutsideItsModelIsRefused) {
  expect_read_error(vox_file({size_chunk(2, 2, 2), xyzi_chunk({{0, 0, 0, 1}, {1, 2, 0, 1}})}), ErrorCode::format,
                    "voxel 1 at (1, 2, 0) is outside the model size");
}

TEST(VoxMalformed, SizeAndXyziMustPair) {
  expect_read_error(vox_file({xyzi_chunk({})}), ErrorCode::format, "XYZI without a SIZE");
  expect_read_error(vox_file({size_chunk(1, 1, 1)}), ErrorCode::format, "the last SIZE has no XYZI");
  expect_read_error(vox_file({size_chunk(1, 1, 1), size_chunk(1, 1, 1), xyzi_chunk({})}), ErrorCode::format,
                    "SIZE follows a SIZE");
}

TEST(VoxMalformed, ShortPalette) {
  expect_read_error(vox_file({VoxBytes{}.chunk("RGBA", VoxBytes{}.i32(0))}), ErrorCode::format,
                    "RGBA palette needs 1024 bytes, 4 remain");
}

TEST(VoxMalformed, DictionaryCountAndStringLengthsAreBounded) {
  const VoxBytes many_entries = VoxBytes{}.chunk("nTRN", VoxBytes{}.i32(0).i32(1000000));
  expect_read_error(vox_file({many_entries}), ErrorCode::format, "dictionary entry count 1000000 does not fit");
  const VoxBytes long_key = VoxBytes{}.chunk("nTRN", VoxBytes{}.i32(0).i32(1).i32(500).text("_name"));
  expect_read_error(vox_file({long_key}), ErrorCode::format, "dictionary key 500 does not fit");
}

Bytes one_model_scene(const std::vector<VoxBytes>& nodes) {
  std::vector<VoxBytes> children{size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}})};
  children.insert(children.end(), nodes.begin(), nodes.end());
  return vox_file(children);
}

TEST(VoxMalformed, CyclicSceneGraph) {
  // 0 -> group 1 -> transform 2 -> group 1 again
  expect_read_error(
      one_model_scene({transform_chunk(0, 1, {}, {}), group_chunk(1, {2}), transform_chunk(2, 1, {}, {})}),
      ErrorCode::format, "scene graph cycle through node 1");
  // a transform that is its own child
  expect_read_error(one_model_scene({transform_chunk(0, 0, {}, {})}), ErrorCode::format,
                    "scene graph cycle through node 0");
}

TEST(VoxRead, AChildListedTwiceInOneGroupIsPlacedOnce) {
  const ProjectState state = read_ok(one_model_scene(
      {transform_chunk(0, 1, {}, {}), group_chunk(1, {2, 2}), transform_chunk(2, 3, {}, {}), shape_chunk(3, 0)}));
  ASSERT_EQ(state.layers.size(), 1U);
  EXPECT_EQ(layer_voxels(state.layers[0]), (VoxelSet{{0, 0, 0, 0xffffff}}));
}

TEST(VoxMalformed, TooDeepSceneGraph) {
  // A chain of nTRN -> nGRP pairs, 200 nodes deep.
  std::vector<VoxBytes> nodes;
  constexpr int kPairs = 100;
  for (int i = 0; i < kPairs; ++i) {
    nodes.push_back(transform_chunk(2 * i, 2 * i + 1, {}, {}));
    nodes.push_back(group_chunk(2 * i + 1, {2 * i + 2}));
  }
  nodes.push_back(shape_chunk(2 * kPairs, 0));
  expect_read_error(one_model_scene(nodes), ErrorCode::limit_exceeded,
                    "scene graph deeper than 64 (ReadLimits::max_scene_depth)");
  ReadLimits deep;
  deep.max_scene_depth = 1000;
  EXPECT_EQ(visible_solid_voxels(read_ok(one_model_scene(nodes), deep)), (VoxelSet{{0, 0, 0, 0xffffff}}));
}

TEST(VoxMalformed, MissingNodesAndModels) {
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {}), group_chunk(1, {2, 9})}), ErrorCode::format,
                    "scene node 2 is referenced but not defined");
  expect_read_error(one_model_scene({transform_chunk(5, 1, {}, {})}), ErrorCode::format, "no root node 0");
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {}), shape_chunk(1, 1)}), ErrorCode::format,
                    "shape refers to model 1 but the file has 1 models");
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {}), shape_chunk(1, -1)}), ErrorCode::format,
                    "shape refers to model -1");
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {}), shape_chunk(0, 0)}), ErrorCode::format,
                    "node id 0 is defined twice");
  expect_read_error(one_model_scene({transform_chunk(-4, 1, {}, {})}), ErrorCode::format, "node id -4 is negative");
}

TEST(VoxMalformed, BadFrames) {
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {{"_r", "3"}}), shape_chunk(1, 0)}), ErrorCode::format,
                    "rotation _r 3 is not a valid packed rotation");
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {{"_r", "5"}}), shape_chunk(1, 0)}), ErrorCode::format,
                    "rotation _r 5 is not a valid packed rotation");  // rows 0 and 1 share column 1
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {{"_r", "x"}}), shape_chunk(1, 0)}), ErrorCode::format,
                    "rotation _r 'x' is not an integer");
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {{"_t", "1 2"}}), shape_chunk(1, 0)}), ErrorCode::format,
                    "translation _t component '' is not an integer");
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {{"_t", "1 2 3 4"}}), shape_chunk(1, 0)}),
                    ErrorCode::format, "more than 3 components");
  expect_read_error(one_model_scene({transform_chunk(0, 1, {}, {{"_t", "2000000000 0 0"}}), shape_chunk(1, 0)}),
                    ErrorCode::format, "out of range");
}

TEST(VoxMalformed, TranslationsThatAddUpOutOfRange) {
  std::vector<VoxBytes> nodes;
  for (int i = 0; i < 4; ++i) {
    nodes.push_back(transform_chunk(2 * i, 2 * i + 1, {}, {{"_t", "1000000000 0 0"}}));
    nodes.push_back(group_chunk(2 * i + 1, {2 * i + 2}));
  }
  nodes.push_back(shape_chunk(8, 0));
  expect_read_error(one_model_scene(nodes), ErrorCode::format, "beyond the coordinate range");
}

TEST(VoxMalformed, LimitsAreEnforced) {
  const Bytes file = vox_file(
      {size_chunk(2, 1, 1), xyzi_chunk({{0, 0, 0, 1}, {1, 0, 0, 1}}), size_chunk(1, 1, 1), xyzi_chunk({{0, 0, 0, 1}})});
  ReadLimits voxels;
  voxels.max_voxels = 2;
  expect_read_error(file, ErrorCode::limit_exceeded, "ReadLimits::max_voxels", voxels);
  ReadLimits layers;
  layers.max_layers = 1;
  expect_read_error(file, ErrorCode::limit_exceeded, "ReadLimits::max_layers", layers);
  ReadLimits bytes;
  bytes.max_file_bytes = 10;
  expect_read_error(file, ErrorCode::limit_exceeded, "ReadLimits::max_file_bytes", bytes);
}

// ---------------------------------------------------------------------------------------------
// Writing and round trips

TEST(VoxWrite, LayersNamesHiddenFlagsAndNegativeCoordinatesRoundTrip) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "ground"));
  state.layers.push_back(make_layer(2, "hidden part", false));
  state.layers.push_back(make_layer(3, ""));
  for (int i = -20; i < 20; ++i) {
    state.layers[0].volume.set({i, -i, -7}, kRed);
    state.layers[1].volume.set({-100, i, i}, kGreen);
  }
  state.layers[2].volume.set({-1, -1, -1}, kBlue);
  state.layers[2].volume.set({5, -3, 2}, Color{10, 20, 30, 255});
  state.next_layer_id = 4;

  WriteReport report;
  const Bytes file = write_ok(state, &report);
  EXPECT_FALSE(report.lossy);
  EXPECT_TRUE(report.warning.empty());
  const ProjectState back = read_ok(file);
  ASSERT_EQ(back.layers.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(back.layers[i].name, state.layers[i].name);
    EXPECT_EQ(back.layers[i].visible, state.layers[i].visible);
    EXPECT_EQ(layer_voxels(back.layers[i]), layer_voxels(state.layers[i]));
  }
}

TEST(VoxWrite, EmptyLayersAreKept) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "empty"));
  state.layers.push_back(make_layer(2, "one"));
  state.layers[1].volume.set({3, 3, 3}, kRed);
  const ProjectState back = read_ok(write_ok(state));
  ASSERT_EQ(back.layers.size(), 2U);
  EXPECT_EQ(back.layers[0].name, "empty");
  EXPECT_TRUE(back.layers[0].volume.empty());
  EXPECT_EQ(layer_voxels(back.layers[1]), layer_voxels(state.layers[1]));
}

TEST(VoxWrite, LayersLargerThan256AreSplitIntoModelsNotWrapped) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "long"));
  state.layers.push_back(make_layer(2, "small"));
  for (int x = -300; x <= 400; ++x) {
    state.layers[0].volume.set({x, x % 3, -x / 2}, x % 2 == 0 ? kRed : kGreen);
  }
  state.layers[0].volume.set({0, 600, 0}, kBlue);
  state.layers[1].volume.set({0, 0, 0}, kBlue);
  const Bytes file = write_ok(state);

  int models = 0;
  for (const auto& [id, content] : main_children(file)) {
    if (id == "SIZE") {
      ++models;
      for (std::size_t axis = 0; axis < 3; ++axis) {
        const std::uint32_t edge = std::uint32_t{content[4 * axis]} | (std::uint32_t{content[4 * axis + 1]} << 8U);
        EXPECT_GE(edge, 1U);
        EXPECT_LE(edge, 256U);
      }
    }
  }
  EXPECT_GT(models, 4);

  const ProjectState back = read_ok(file);
  ASSERT_EQ(back.layers.size(), 2U);
  EXPECT_EQ(back.layers[0].name, "long");
  EXPECT_EQ(layer_voxels(back.layers[0]), layer_voxels(state.layers[0]));
  EXPECT_EQ(layer_voxels(back.layers[1]), layer_voxels(state.layers[1]));
}

ProjectState project_with_colors(int count) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "colours"));
  for (int i = 0; i < count; ++i) {
    // Colours on a coarse grid, distinct, spread over the cube.
    const Color c{static_cast<std::uint8_t>(37 * (i % 7)), static_cast<std::uint8_t>(37 * ((i / 7) % 7)),
                  static_cast<std::uint8_t>(37 * ((i / 49) % 7) + (i / 343)), 255};
    state.layers[0].volume.set({i % 16, (i / 16) % 16, i / 256}, c);
  }
  return state;
}

TEST(VoxWrite, Up255ColoursAreExact) {
  const ProjectState state = project_with_colors(255);
  WriteReport report;
  const ProjectState back = read_ok(write_ok(state, &report));
  EXPECT_FALSE(report.lossy);
  EXPECT_EQ(visible_solid_voxels(back), visible_solid_voxels(state));
}

TEST(VoxWrite, MoreThan255ColoursAreQuantisedToNearColoursAndReportedLossy) {
  for (const int count : {256, 400}) {
    SCOPED_TRACE(count);
    const ProjectState state = project_with_colors(count);
    WriteReport report;
    const ProjectState back = read_ok(write_ok(state, &report));
    EXPECT_TRUE(report.lossy);
    EXPECT_NE(report.warning.find(std::to_string(count) + " colours quantised"), std::string::npos) << report.warning;
    const Layer& before = state.layers[0];
    const Layer& after = back.layers[0];
    ASSERT_EQ(after.volume.voxel_count(), before.volume.voxel_count());
    std::set<std::uint32_t> distinct;
    int max_error = 0;
    std::int64_t total_error = 0;
    before.volume.for_each_voxel([&](Vec3i p, Color c) {
      const Color q = after.volume.get(p);
      ASSERT_TRUE(q.solid());
      distinct.insert(testing::rgb_of(q));
      const int error = std::max({std::abs(c.r - q.r), std::abs(c.g - q.g), std::abs(c.b - q.b)});
      max_error = std::max(max_error, error);
      total_error += error;
    });
    EXPECT_LE(distinct.size(), 255U);
    // Input colours are grid points 37 apart (plus a few 1 apart): no voxel may get a colour as far
    // as a grid neighbour, and most keep theirs nearly exactly.
    EXPECT_LT(max_error, 37);
    EXPECT_LE(static_cast<double>(total_error) / static_cast<double>(count), 8.0);
  }
}

TEST(VoxWrite, TranslucentVoxelsAreDroppedOrWrittenOpaqueAndReported) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "glass"));
  state.layers[0].volume.set({0, 0, 0}, Color{1, 2, 3, 100});
  state.layers[0].volume.set({1, 0, 0}, Color{4, 5, 6, 200});
  state.layers[0].volume.set({2, 0, 0}, Color{7, 8, 9, 255});
  WriteReport report;
  const ProjectState back = read_ok(write_ok(state, &report));
  EXPECT_TRUE(report.lossy);
  EXPECT_NE(report.warning.find("1 voxels with alpha below 127 left out"), std::string::npos) << report.warning;
  EXPECT_NE(report.warning.find("1 translucent voxels written opaque"), std::string::npos) << report.warning;
  EXPECT_EQ(back.layers[0].volume.get({0, 0, 0}), kEmpty);
  EXPECT_EQ(back.layers[0].volume.get({1, 0, 0}), (Color{4, 5, 6, 255}));
  EXPECT_EQ(back.layers[0].volume.get({2, 0, 0}), (Color{7, 8, 9, 255}));
}

TEST(VoxWrite, OutputIsDeterministic) {
  const ProjectState state = project_with_colors(300);
  EXPECT_EQ(write_ok(state), write_ok(state));
}

TEST(VoxWrite, FixturesRoundTripThroughTheWriter) {
  const std::filesystem::path dir = VOXD_FIXTURES_DIR;
  for (const char* name : {"robo.vox", "crabby.vox", "magicavoxel.vox"}) {
    SCOPED_TRACE(name);
    const ProjectState first = read_ok(testing::read_file((dir / name).string()));
    const ProjectState second = read_ok(write_ok(first));
    ASSERT_EQ(second.layers.size(), first.layers.size());
    for (std::size_t i = 0; i < first.layers.size(); ++i) {
      EXPECT_EQ(second.layers[i].name, first.layers[i].name);
      EXPECT_EQ(layer_voxels(second.layers[i]), layer_voxels(first.layers[i]));
    }
  }
}

// robo.vox has one MATL that is not plain diffuse (colour index 143, emissive), kept by its colour and written
// back for the palette entry of that colour; and a LAYR per object (its name and panel colour), kept as
// MagicaVoxel's layer panel with each voxd layer in its row.
TEST(VoxWrite, MaterialsAndTheLayerPanelAreKept) {
  const Bytes file = testing::read_file(std::string(VOXD_FIXTURES_DIR) + "/robo.vox");
  const auto has = [](const Bytes& bytes, std::string_view text) {
    return std::search(bytes.begin(), bytes.end(), text.begin(), text.end()) != bytes.end();
  };
  ASSERT_TRUE(has(file, "MATL"));
  ASSERT_TRUE(has(file, "_color"));
  const ProjectState state = read_ok(file);
  EXPECT_TRUE(state.materials.empty());  // Goxel's per-layer materials: none
  for (const Layer& layer : state.layers) {
    EXPECT_EQ(layer.material, -1) << layer.name;
  }
  ASSERT_EQ(state.color_materials.size(), 1U);
  const ColorMaterial& emit = state.color_materials[0];
  const std::vector<std::pair<std::string, std::string>> expected{{"_type", "_emit"}, {"_emit", "1.000000"}};
  EXPECT_EQ(emit.properties, expected);
  bool used = false;  // the material's colour is a voxel colour of the model
  for (const Layer& layer : state.layers) {
    layer.volume.for_each_voxel([&](Vec3i, Color c) { used = used || (c.packed() >> 8U) == emit.rgb; });
  }
  EXPECT_TRUE(used);

  // The panel: robo.vox's three LAYR rows, and each object (voxd layer) in the row its nTRN names.
  using Properties = std::vector<std::pair<std::string, std::string>>;
  const std::vector<VoxLayer> panel{{0, Properties{{"_name", "Head_Upper"}, {"_color", "0 0 0"}}},
                                    {1, Properties{{"_name", "Head_Lower"}, {"_color", "0 0 0"}}},
                                    {2, Properties{{"_name", "Head_Neck"}, {"_color", "0 0 0"}}}};
  EXPECT_EQ(state.vox_layers, panel);
  ASSERT_EQ(state.layers.size(), 3U);
  for (std::size_t i = 0; i < state.layers.size(); ++i) {
    EXPECT_EQ(state.layers[i].vox_layer, static_cast<std::int32_t>(i)) << state.layers[i].name;
  }

  const Bytes out = write_ok(state);
  EXPECT_TRUE(has(out, "MATL"));
  EXPECT_TRUE(has(out, "_color"));
  const ProjectState back = read_ok(out);
  EXPECT_EQ(back.color_materials, state.color_materials);
  EXPECT_EQ(back.vox_layers, state.vox_layers);
  ASSERT_EQ(back.layers.size(), state.layers.size());
  for (std::size_t i = 0; i < back.layers.size(); ++i) {
    EXPECT_EQ(back.layers[i].vox_layer, state.layers[i].vox_layer);
    EXPECT_EQ(back.layers[i].name, state.layers[i].name);
  }
  EXPECT_EQ(visible_solid_voxels(back), visible_solid_voxels(state));
  EXPECT_EQ(write_ok(back), out);
  // .gox has no place for them: its write says so.
  Bytes gox;
  const auto report = write_bytes(state, "robo.gox", gox);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->lossy);
  EXPECT_NE(report->warning.find("MATL"), std::string::npos) << report->warning;
  EXPECT_NE(report->warning.find("LAYR"), std::string::npos) << report->warning;
}

// The LAYR rows of a written file, by id: its dictionary (tests/formats/vox_test_support.hpp builds them).
std::map<std::int32_t, std::vector<std::pair<std::string, std::string>>> written_layer_rows(const Bytes& file) {
  std::map<std::int32_t, std::vector<std::pair<std::string, std::string>>> rows;
  const auto i32 = [&file](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t b = 0; b < 4; ++b) {
      v |= std::uint32_t{file.at(at + b)} << (8U * b);
    }
    return static_cast<std::int32_t>(v);
  };
  const auto text = [&](std::size_t& at) {
    const auto n = static_cast<std::size_t>(i32(at));
    std::string s(file.begin() + static_cast<std::ptrdiff_t>(at + 4),
                  file.begin() + static_cast<std::ptrdiff_t>(at + 4 + n));
    at += 4 + n;
    return s;
  };
  for (std::size_t at = 20; at + 12 <= file.size();) {  // past "VOX ", the version and MAIN's header
    const std::string id(file.begin() + static_cast<std::ptrdiff_t>(at), file.begin() + static_cast<std::ptrdiff_t>(at + 4));
    const auto content = static_cast<std::size_t>(i32(at + 4));
    if (id == "LAYR") {
      std::size_t p = at + 16;
      auto& row = rows[i32(at + 12)];
      const std::int32_t entries = i32(p);
      p += 4;
      for (std::int32_t e = 0; e < entries; ++e) {
        std::string key = text(p);
        row.emplace_back(std::move(key), text(p));
      }
    }
    at += 12 + content + static_cast<std::size_t>(i32(at + 8));
  }
  return rows;
}

// A row's visibility follows its layers: hidden when all of them are (so showing one voxd layer shows it in
// MagicaVoxel), as read when none is in it. Layers in no row go to an unnamed row 0.
TEST(VoxWrite, TheLayerPanelsVisibilityFollowsItsLayers) {
  using Properties = std::vector<std::pair<std::string, std::string>>;
  ProjectState state;
  for (std::uint32_t i = 1; i <= 3; ++i) {
    Layer layer;
    layer.id = i;
    layer.name = "layer " + std::to_string(i);
    layer.volume.set({static_cast<int>(i), 0, 0}, kRed);
    state.layers.push_back(layer);
  }
  state.next_layer_id = 4;
  state.layers[0].vox_layer = 5;
  state.layers[1].vox_layer = 5;
  state.layers[2].vox_layer = 9;  // no such row: it goes to row 0
  state.layers[0].visible = false;
  state.layers[1].visible = false;
  state.vox_layers = {{5, Properties{{"_name", "walls"}, {"_color", "255 0 0"}}},
                      {7, Properties{{"_hidden", "1"}, {"_name", "unused"}}}};
  auto rows = written_layer_rows(write_ok(state));
  EXPECT_EQ(rows[0], Properties{});
  EXPECT_EQ(rows[5], (Properties{{"_name", "walls"}, {"_color", "255 0 0"}, {"_hidden", "1"}}));
  EXPECT_EQ(rows[7], (Properties{{"_hidden", "1"}, {"_name", "unused"}}));
  EXPECT_EQ(rows.size(), 3U);
  ProjectState back = read_ok(write_ok(state));
  ASSERT_EQ(back.layers.size(), 3U);
  EXPECT_FALSE(back.layers[0].visible);
  EXPECT_FALSE(back.layers[1].visible);
  EXPECT_TRUE(back.layers[2].visible);
  EXPECT_EQ(back.layers[2].vox_layer, -1);  // row 0 has nothing to keep

  // Showing one of row 5's layers shows the row; its other layer stays hidden by its own nTRN.
  state.layers[1].visible = true;
  rows = written_layer_rows(write_ok(state));
  EXPECT_EQ(rows[5], (Properties{{"_name", "walls"}, {"_color", "255 0 0"}}));
  back = read_ok(write_ok(state));
  EXPECT_FALSE(back.layers[0].visible);
  EXPECT_TRUE(back.layers[1].visible);
  EXPECT_EQ(back.layers[0].vox_layer, 5);
  EXPECT_EQ(back.layers[1].vox_layer, 5);
}

// LAYR rows without properties (what voxd wrote before keeping the panel), or with a negative id, are not
// kept; of two rows of one id the last counts; more rows than ReadLimits::max_layers is a limit error.
TEST(VoxRead, LayerPanelRowsKeptAndBounded) {
  using testing::VoxBytes;
  const auto layr = [](int id, const std::vector<std::pair<std::string, std::string>>& entries) {
    return VoxBytes{}.chunk("LAYR", VoxBytes{}.i32(id).dict(entries).i32(-1));
  };
  const std::vector<VoxBytes> scene{
      testing::size_chunk(1, 1, 1), testing::xyzi_chunk({{0, 0, 0, 1}}), testing::transform_chunk(0, 1, {}, {}),
      testing::group_chunk(1, {2}), testing::transform_chunk(2, 3, {}, {}, 4), testing::shape_chunk(3, 0)};
  std::vector<VoxBytes> chunks = scene;
  for (const VoxBytes& row : {layr(0, {}), layr(-1, {{"_name", "minus"}}), layr(4, {{"_name", "first"}}),
                              layr(4, {{"_name", "second"}, {"_color", "1 2 3"}})}) {
    chunks.push_back(row);
  }
  const ProjectState state = read_ok(testing::vox_file(chunks));
  using Properties = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(state.vox_layers, (std::vector<VoxLayer>{{4, Properties{{"_name", "second"}, {"_color", "1 2 3"}}}}));
  ASSERT_EQ(state.layers.size(), 1U);
  EXPECT_EQ(state.layers[0].vox_layer, 4);

  chunks = scene;
  for (int id = 0; id < 5; ++id) {
    chunks.push_back(layr(id, {{"_name", "row"}}));
  }
  ReadLimits limits;
  limits.max_layers = 4;
  const auto refused = read_bytes(testing::vox_file(chunks), "rows.vox", limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::limit_exceeded);
  EXPECT_NE(refused.error().message.find("ReadLimits::max_layers"), std::string::npos) << refused.error().message;
}

// As the fuzz seed materials.vox: two voxels (colour indices 5 and 6); index 5 has a metal MATL then a glass
// one (the first wins), 6 a diffuse one (dropped), and ids 0 and 300 name no colour index (ignored).
TEST(VoxRead, MaterialsFirstWinsDiffuseDroppedBadIdsIgnored) {
  using testing::VoxBytes;
  const auto matl = [](int id, const std::vector<std::pair<std::string, std::string>>& entries) {
    return VoxBytes{}.chunk("MATL", VoxBytes{}.i32(id).dict(entries));
  };
  const ProjectState state = read_ok(testing::vox_file(
      {testing::size_chunk(2, 1, 1), testing::xyzi_chunk({{0, 0, 0, 5}, {1, 0, 0, 6}}),
       matl(5, {{"_type", "_metal"}, {"_rough", "0.2"}, {"_metal", "1"}}), matl(5, {{"_type", "_glass"}}),
       matl(6, {{"_type", "_diffuse"}}), matl(0, {{"_type", "_emit"}}), matl(300, {{"_type", "_emit"}})}));
  ASSERT_EQ(state.color_materials.size(), 1U);
  EXPECT_EQ(state.color_materials[0].rgb, kVoxDefaultPalette[5].packed() >> 8U);
  const std::vector<std::pair<std::string, std::string>> metal{{"_type", "_metal"}, {"_rough", "0.2"}, {"_metal", "1"}};
  EXPECT_EQ(state.color_materials[0].properties, metal);
}

// A material of a colour no voxel has, or whose colour is quantised into another entry, is not written; a
// diffuse MATL (MagicaVoxel writes one per entry) is the default and is not kept.
TEST(VoxWrite, MaterialsOnlyForColoursWrittenExactly) {
  ProjectState state;
  Layer layer;
  layer.id = 1;
  layer.volume.set({0, 0, 0}, Color{10, 20, 30, 255});
  state.layers.push_back(layer);
  state.next_layer_id = 2;
  state.color_materials = {{0x0a141eU, {{"_type", "_glass"}, {"_ior", "0.3"}}},
                           {0xffffffU, {{"_type", "_metal"}}}};
  const ProjectState back = read_ok(write_ok(state));
  ASSERT_EQ(back.color_materials.size(), 1U);
  EXPECT_EQ(back.color_materials[0], state.color_materials[0]);
  state.color_materials = {{0x0a141eU, {{"_type", "_diffuse"}, {"_rough", "0.5"}}}};
  EXPECT_TRUE(read_ok(write_ok(state)).color_materials.empty());
}

TEST(VoxRegistry, TheRegistryFindsVoxByExtensionAndMagic) {
  const FileFormat* by_name = format_for_path("models/Robo.VOX");
  ASSERT_NE(by_name, nullptr);
  EXPECT_EQ(by_name->name, "vox");
  const Bytes file = testing::read_file(std::string(VOXD_FIXTURES_DIR) + "/robo.vox");
  const FileFormat* by_content = format_for_content(file);
  ASSERT_NE(by_content, nullptr);
  EXPECT_EQ(by_content->name, "vox");
  auto state = read_bytes(file, "no-extension", {});
  ASSERT_TRUE(state.ok()) << state.error().message;
  Bytes out;
  auto report = write_bytes(*state, "copy.vox", out);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(vox_matches(out));
  EXPECT_EQ(visible_solid_voxels(read_ok(out)), visible_solid_voxels(*state));
}

// ---------------------------------------------------------------------------------------------
// The quantiser

TEST(ColorQuantizer, FewColoursMapToThemselves) {
  const std::vector<WeightedColor> colors{{kRed, 3}, {kGreen, 1}, {kBlue, 9}};
  const QuantizedPalette q = quantize_median_cut(colors, 255);
  ASSERT_EQ(q.palette.size(), 3U);
  for (std::size_t i = 0; i < colors.size(); ++i) {
    EXPECT_EQ(q.palette[q.index_of_input[i]], colors[i].color);
  }
}

TEST(ColorQuantizer, ReducesToTheRequestedCountIndependentlyOfInputOrder) {
  std::vector<WeightedColor> colors;
  for (int i = 0; i < 1000; ++i) {
    colors.push_back({Color{static_cast<std::uint8_t>(i % 256), static_cast<std::uint8_t>((i * 7) % 256),
                            static_cast<std::uint8_t>(i / 4), 255},
                      static_cast<std::uint64_t>(1 + i % 5)});
  }
  const QuantizedPalette q = quantize_median_cut(colors, 16);
  EXPECT_EQ(q.palette.size(), 16U);
  std::vector<WeightedColor> reversed(colors.rbegin(), colors.rend());
  const QuantizedPalette r = quantize_median_cut(reversed, 16);
  EXPECT_EQ(r.palette, q.palette);
  for (std::size_t i = 0; i < colors.size(); ++i) {
    EXPECT_EQ(q.palette[q.index_of_input[i]], r.palette[r.index_of_input[colors.size() - 1 - i]]);
  }
}

TEST(ColorQuantizer, AHeavyColourIsKeptExactly) {
  std::vector<WeightedColor> colors{{Color{200, 10, 10, 255}, 1000000}};
  for (int i = 0; i < 100; ++i) {
    colors.push_back({Color{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(2 * i), 50, 255}, 1});
  }
  const QuantizedPalette q = quantize_median_cut(colors, 8);
  EXPECT_EQ(q.palette[q.index_of_input[0]], (Color{200, 10, 10, 255}));
}

TEST(ColorQuantizer, ManyColoursAreBinnedFirstAndStillMapNearby) {
  std::vector<WeightedColor> colors;
  for (std::uint32_t i = 0; i < 100000; ++i) {
    const std::uint32_t v = i * 167U;  // spread over the cube, all distinct
    colors.push_back({Color{static_cast<std::uint8_t>(v >> 16U), static_cast<std::uint8_t>(v >> 8U),
                            static_cast<std::uint8_t>(v), 255},
                      1});
  }
  const QuantizedPalette q = quantize_median_cut(colors, 255);
  ASSERT_EQ(q.palette.size(), 255U);
  int max_error = 0;
  for (std::size_t i = 0; i < colors.size(); ++i) {
    ASSERT_LT(q.index_of_input[i], 255U);
    const Color a = colors[i].color;
    const Color b = q.palette[q.index_of_input[i]];
    max_error = std::max({max_error, std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
  }
  // 255 entries over the whole cube are about 40 apart per channel.
  EXPECT_LE(max_error, 48);
}

}  // namespace
}  // namespace voxd::core::formats
