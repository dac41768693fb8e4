// Hand-made broken and unusual .gox files: each is refused with a clear error, or read as Goxel would.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "formats_test_support.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::test {
namespace {

using core::ErrorCode;
using core::ReadLimits;
using core::formats::read_bytes;

const Color kRed{255, 0, 0, 255};

core::Result<core::ProjectState> read(const GoxBuilder& file, const ReadLimits& limits = {}) {
  return read_bytes(file.bytes(), "broken.gox", limits);
}

void expect_error(const core::Result<core::ProjectState>& result, ErrorCode code, const std::string& fragment) {
  ASSERT_FALSE(result.ok()) << "expected an error containing '" << fragment << "'";
  EXPECT_EQ(result.code(), code) << result.error().message;
  EXPECT_NE(result.error().message.find(fragment), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.rfind("gox: offset ", 0), 0U) << result.error().message;
}

// One BL16 tile with voxel 0 red, and a layer using it at `position`.
GoxBuilder one_tile_file(std::int32_t version, std::array<std::int32_t, 3> position) {
  GoxBuilder file(version);
  file.chunk("BL16", GoxBuilder::tile_png({0}, kRed));
  file.chunk("LAYR", GoxBuilder::layer_body({{0, position[0], position[1], position[2]}}));
  return file;
}

TEST(GoxMalformed, TruncatedHeader) {
  GoxBuilder file;
  Bytes bytes(file.bytes().begin(), file.bytes().begin() + 6);
  const auto result = read_bytes(bytes, "x.gox", {});
  expect_error(result, ErrorCode::format, "truncated header");
}

TEST(GoxMalformed, WrongMagic) {
  Bytes bytes{'G', 'O', 'X', '!', 2, 0, 0, 0};
  expect_error(read_bytes(bytes, "x.gox", {}), ErrorCode::format, "magic");
}

TEST(GoxMalformed, VersionThreeIsUnsupported) {
  expect_error(read(GoxBuilder(3)), ErrorCode::unsupported, "version 3");
  expect_error(read(GoxBuilder(0)), ErrorCode::unsupported, "version 0");
}

TEST(GoxMalformed, ChunkLengthPastTheEnd) {
  GoxBuilder file;
  file.chunk_with_length("LAYR", GoxBuilder::layer_body({}), 1000);
  expect_error(read(file), ErrorCode::format, "runs past the end of the file");
}

TEST(GoxMalformed, NegativeChunkLength) {
  GoxBuilder file;
  file.chunk_with_length("LAYR", {}, static_cast<std::size_t>(std::numeric_limits<std::uint32_t>::max()));
  expect_error(read(file), ErrorCode::format, "chunk length -1");
}

TEST(GoxMalformed, TruncatedChunkHeaderAndMissingCrc) {
  GoxBuilder file;
  file.raw({'L', 'A', 'Y'});
  expect_error(read(file), ErrorCode::format, "truncated chunk header");
  GoxBuilder no_crc;
  no_crc.raw({'L', 'A', 'Y', 'R', 4, 0, 0, 0, 0, 0, 0, 0});
  expect_error(read(no_crc), ErrorCode::format, "no CRC");
}

TEST(GoxMalformed, BadPngInTile) {
  GoxBuilder file;
  file.chunk("BL16", Bytes{0x89, 'P', 'N', 'G', 1, 2, 3});
  expect_error(read(file), ErrorCode::format, "BL16 tile is not a 64x64 PNG");
}

TEST(GoxMalformed, WrongPngSize) {
  GoxBuilder small;
  small.chunk("BL16", GoxBuilder::tile_png({0}, kRed, 32, 32));
  expect_error(read(small), ErrorCode::format, "is 32x32 pixels, expected 64x64");
  GoxBuilder large;
  large.chunk("BL16", GoxBuilder::tile_png({0}, kRed, 128, 128));
  expect_error(read(large), ErrorCode::format, "BL16 tile is not a 64x64 PNG");
  GoxBuilder long_strip;  // 4096 pixels, wrong shape
  long_strip.chunk("BL16", GoxBuilder::tile_png({0}, kRed, 4096, 1));
  expect_error(read(long_strip), ErrorCode::format, "is 4096x1 pixels");
}

TEST(GoxMalformed, BlockIndexOutOfRange) {
  GoxBuilder file;
  file.chunk("BL16", GoxBuilder::tile_png({0}, kRed));
  file.chunk("LAYR", GoxBuilder::layer_body({{1, 0, 0, 0}}));
  expect_error(read(file), ErrorCode::format, "block index 1 out of range (1 BL16 tiles before it)");
  GoxBuilder negative;
  negative.chunk("BL16", GoxBuilder::tile_png({0}, kRed));
  negative.chunk("LAYR", GoxBuilder::layer_body({{-1, 0, 0, 0}}));
  expect_error(read(negative), ErrorCode::format, "block index -1 out of range");
}

TEST(GoxMalformed, TileMustComeBeforeTheLayerUsingIt) {
  GoxBuilder file;
  file.chunk("LAYR", GoxBuilder::layer_body({{0, 0, 0, 0}}));
  file.chunk("BL16", GoxBuilder::tile_png({0}, kRed));
  expect_error(read(file), ErrorCode::format, "block index 0 out of range (0 BL16 tiles before it)");
}

TEST(GoxMalformed, NegativeBlockCount) {
  GoxBuilder file;
  Bytes body;
  GoxBuilder::i32(body, -5);
  file.chunk("LAYR", body);
  expect_error(read(file), ErrorCode::format, "block count -5 is negative");
}

TEST(GoxMalformed, HugeBlockCount) {
  GoxBuilder file;
  Bytes body;
  GoxBuilder::i32(body, std::numeric_limits<std::int32_t>::max());
  body.resize(body.size() + 40);
  file.chunk("LAYR", body);
  expect_error(read(file), ErrorCode::format, "does not fit the chunk");
}

TEST(GoxMalformed, DictKeyTooLong) {
  GoxBuilder file;
  Bytes dict;
  GoxBuilder::entry(dict, std::string(300, 'k'), GoxBuilder::int_value(1));
  file.chunk("LAYR", GoxBuilder::layer_body({}, dict));
  expect_error(read(file), ErrorCode::format, "key length 300 out of range");
}

TEST(GoxMalformed, DictValuePastTheChunk) {
  GoxBuilder file;
  Bytes dict;
  GoxBuilder::i32(dict, 4);
  GoxBuilder::text(dict, "name");
  GoxBuilder::i32(dict, 1000);
  GoxBuilder::text(dict, "abc");
  file.chunk("LAYR", GoxBuilder::layer_body({}, dict));
  expect_error(read(file), ErrorCode::format, "value of 1000 bytes runs past the end of the chunk");
}

TEST(GoxMalformed, WrongValueLengthsAreIgnored) {
  GoxBuilder file;
  Bytes dict;
  GoxBuilder::entry(dict, "name", Bytes{'r', 'o', 'c', 'k'});
  GoxBuilder::entry(dict, "visible", GoxBuilder::int_value(0));   // a bool is 1 byte: ignored
  GoxBuilder::entry(dict, "mat", Bytes(12, 0));                   // a matrix is 64 bytes: ignored
  GoxBuilder::entry(dict, "id", Bytes{7});                        // an int is 4 bytes: ignored
  GoxBuilder::entry(dict, "mode", GoxBuilder::int_value(99));     // no such blend mode: ignored
  GoxBuilder::entry(dict, "material", GoxBuilder::int_value(3));  // no such material
  file.chunk("BL16", GoxBuilder::tile_png({0, 4095}, kRed));
  file.chunk("LAYR", GoxBuilder::layer_body({{0, 16, 0, -16}}, dict));
  const auto state = read(file);
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_EQ(state->layers.size(), 1U);
  const core::Layer& layer = state->layers[0];
  EXPECT_EQ(layer.name, "rock");
  EXPECT_TRUE(layer.visible);
  EXPECT_EQ(layer.transform, core::kIdentity);
  EXPECT_EQ(layer.mode, core::BlendMode::over);
  EXPECT_EQ(layer.material, -1);
  EXPECT_EQ(layer.volume.voxel_count(), 2);
  EXPECT_EQ(layer.volume.get({16, 0, -16}), kRed);
  EXPECT_EQ(layer.volume.get({31, 15, -1}), kRed);
}

TEST(GoxMalformed, UnknownChunksAreSkipped) {
  GoxBuilder file;
  file.chunk("ZZZZ", Bytes(10, 0xAB));
  file.chunk("BL16", GoxBuilder::tile_png({0}, kRed));
  file.chunk("PLAC", Bytes{1, 2, 3});
  file.chunk("LAYR", GoxBuilder::layer_body({{0, 0, 0, 0}}));
  const auto state = read(file);
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->layers[0].volume.voxel_count(), 1);
}

TEST(GoxMalformed, TilePositionOutOfRange) {
  expect_error(read(one_tile_file(2, {std::numeric_limits<std::int32_t>::max(), 0, 0})), ErrorCode::format,
               "tile position out of the coordinate range");
}

TEST(GoxVersions, VersionOneStoresTileCentres) {
  const auto state = read(one_tile_file(1, {8, 8, 24}));
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->layers[0].volume.get({0, 0, 16}), kRed);
  EXPECT_EQ(state->layers[0].volume.voxel_count(), 1);
}

TEST(GoxVersions, UnalignedTilesAreBlittedInRecordOrderWithTheirEmptyVoxels) {
  GoxBuilder file(1);
  file.chunk("BL16", GoxBuilder::tile_png({0, 1, 2}, kRed));
  file.chunk("BL16", GoxBuilder::tile_png({}, kRed));  // all empty
  // The second record, an empty tile centred one voxel further, clears what the first put there.
  file.chunk("LAYR", GoxBuilder::layer_body({{0, 8, 8, 8}, {1, 10, 8, 8}}));
  const auto state = read(file);
  ASSERT_TRUE(state.ok()) << state.error().message;
  const core::Volume& v = state->layers[0].volume;
  EXPECT_EQ(v.get({0, 0, 0}), kRed);
  EXPECT_EQ(v.get({1, 0, 0}), kRed);
  EXPECT_TRUE(v.get({2, 0, 0}).empty());
  EXPECT_EQ(v.voxel_count(), 2);
}

TEST(GoxLayers, CloneCopiesItsBaseMovedByItsMatrix) {
  GoxBuilder file;
  file.chunk("BL16", GoxBuilder::tile_png({0, 1}, kRed));
  Bytes base;
  GoxBuilder::entry(base, "id", GoxBuilder::int_value(5));
  Bytes clone;
  GoxBuilder::entry(clone, "id", GoxBuilder::int_value(6));
  GoxBuilder::entry(clone, "base_id", GoxBuilder::int_value(5));
  const std::array<float, 16> move{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 3, -20, 0, 1};
  Bytes mat(64);
  std::memcpy(mat.data(), move.data(), 64);
  GoxBuilder::entry(clone, "mat", mat);
  // The clone comes first: bases are resolved after every layer is read.
  file.chunk("LAYR", GoxBuilder::layer_body({}, clone));
  file.chunk("LAYR", GoxBuilder::layer_body({{0, 0, 0, 0}}, base));
  const auto state = read(file);
  ASSERT_TRUE(state.ok()) << state.error().message;
  const core::Volume& cloned = state->layers[0].volume;
  EXPECT_EQ(cloned.voxel_count(), 2);
  EXPECT_EQ(cloned.get({3, -20, 0}), kRed);
  EXPECT_EQ(cloned.get({4, -20, 0}), kRed);
  EXPECT_EQ(state->layers[0].id, 6U);
  EXPECT_EQ(state->layers[1].id, 5U);
}

TEST(GoxLayers, CloneCycleIsRefused) {
  GoxBuilder file;
  Bytes a;
  GoxBuilder::entry(a, "id", GoxBuilder::int_value(1));
  GoxBuilder::entry(a, "base_id", GoxBuilder::int_value(2));
  Bytes b;
  GoxBuilder::entry(b, "id", GoxBuilder::int_value(2));
  GoxBuilder::entry(b, "base_id", GoxBuilder::int_value(1));
  file.chunk("LAYR", GoxBuilder::layer_body({}, a));
  file.chunk("LAYR", GoxBuilder::layer_body({}, b));
  expect_error(read(file), ErrorCode::format, "clones form a cycle");
}

TEST(GoxLimits, TooManyTiles) {
  GoxBuilder file;
  file.chunk("BL16", GoxBuilder::tile_png({0}, kRed));
  file.chunk("BL16", GoxBuilder::tile_png({1}, kRed));
  ReadLimits limits;
  limits.max_blocks = 1;
  expect_error(read(file, limits), ErrorCode::limit_exceeded, "more than 1 blocks (ReadLimits::max_blocks)");
}

TEST(GoxLimits, TooManyVoxels) {
  GoxBuilder file;
  file.chunk("BL16", GoxBuilder::tile_png({0, 1, 2}, kRed));
  file.chunk("LAYR", GoxBuilder::layer_body({{0, 0, 0, 0}}));
  ReadLimits limits;
  limits.max_voxels = 2;
  expect_error(read(file, limits), ErrorCode::limit_exceeded, "max_voxels (2)");
}

TEST(GoxLimits, TooManyLayers) {
  GoxBuilder file;
  file.chunk("LAYR", GoxBuilder::layer_body({}));
  file.chunk("LAYR", GoxBuilder::layer_body({}));
  ReadLimits limits;
  limits.max_layers = 1;
  expect_error(read(file, limits), ErrorCode::limit_exceeded, "max_layers (1)");
}

TEST(GoxLimits, HugeShapeIsRefused) {
  GoxBuilder file;
  Bytes dict;
  GoxBuilder::entry(dict, "shape", Bytes{'c', 'u', 'b', 'e'});
  const std::array<float, 16> box{1e6F, 0, 0, 0, 0, 1e6F, 0, 0, 0, 0, 1e6F, 0, 0, 0, 0, 1};
  Bytes mat(64);
  std::memcpy(mat.data(), box.data(), 64);
  GoxBuilder::entry(dict, "mat", mat);
  file.chunk("LAYR", GoxBuilder::layer_body({}, dict));
  expect_error(read(file), ErrorCode::limit_exceeded, "max_voxels");
}

TEST(GoxLimits, FileLargerThanTheLimit) {
  ReadLimits limits;
  limits.max_file_bytes = 4;
  const auto result = read(one_tile_file(2, {0, 0, 0}), limits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(result.error().message.find("max_file_bytes (4)"), std::string::npos) << result.error().message;
}

}  // namespace
}  // namespace voxd::test
