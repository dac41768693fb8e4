// The checkpoint encoding (daemon/store/checkpoint_codec.hpp, block_words.hpp): every field of a project's state
// round-trips, each block is stored in its smallest encoding (so a checkpoint costs about what the project
// costs in memory), version 1 checkpoints still read, and damaged bytes are an error, never a crash.
#include "checkpoint_codec.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "block_words.hpp"
#include "voxd/store/checkpoint_generated.h"

namespace voxd::store {
namespace {

using Bytes = std::vector<std::uint8_t>;

// ---- the checkpoint encoding ----

core::ProjectState rich_state() {
  core::ProjectState state;
  core::Layer ground;
  ground.id = 4;
  ground.name = "ground";
  ground.material = 0;
  for (int x = -40; x < 40; ++x) {
    ground.volume.set({x, x / 3, -x}, core::Color{static_cast<std::uint8_t>(x + 40), 20, 30, 255});
  }
  core::Layer glass;
  glass.id = 9;
  glass.name = "glass";
  glass.visible = false;
  glass.mode = core::BlendMode::paint;
  glass.transform = {2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, -6, 7, 1};
  glass.volume.set({0, 0, 0}, core::Color{1, 2, 3, 100});
  glass.vox_layer = 3;
  state.layers = {ground, glass};
  // The .vox notions: a MATL kept by colour and MagicaVoxel's layer panel (issue 16).
  state.color_materials.push_back(core::ColorMaterial{0x010203U, {{"_type", "_glass"}, {"_ior", "0.3"}}});
  state.vox_layers.push_back(core::VoxLayer{3, {{"_name", "windows"}, {"_color", "255 0 0"}, {"_hidden", "1"}}});
  state.materials.push_back(core::Material{"stone", {0.5F, 0.5F, 0.5F, 1}, 0.25F, 0.75F, {0, 0, 0.5F}});
  state.working_box = core::Box{{-1, -2, -3}, {4, 5, 6}};
  state.cameras.push_back(core::Camera{"main", 10, true, true, core::kIdentity});
  state.light = core::Light{1, 2, 0.5F, true, 0.25F, 0.5F};
  state.active_layer_id = 4;
  state.next_layer_id = 12;  // layers 10 and 11 were removed: a journal may name 12 next
  return state;
}

TEST(CheckpointCodec, KeepsEveryFieldOfTheState) {
  const core::ProjectState state = rich_state();
  auto decoded = decode_checkpoint(encode_checkpoint(state), core::ReadLimits{});
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, state);
  EXPECT_EQ(decoded->next_layer_id, 12U);
}

TEST(CheckpointCodec, EmptyStateRoundTrips) {
  auto decoded = decode_checkpoint(encode_checkpoint(core::ProjectState{}), core::ReadLimits{});
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, core::ProjectState{});
}

TEST(CheckpointCodec, DamagedBytesAreAFormatError) {
  Bytes bytes = encode_checkpoint(rich_state());
  EXPECT_EQ(decode_checkpoint(Bytes(bytes.begin(), bytes.begin() + 40), {}).code(), core::ErrorCode::format);
  Bytes foreign = bytes;
  foreign[4] = 'Z';
  EXPECT_EQ(decode_checkpoint(foreign, {}).code(), core::ErrorCode::format);
  int failures = 0;
  for (std::size_t i = 8; i < 256 && i < bytes.size(); ++i) {
    Bytes damaged = bytes;
    damaged[i] ^= 0xFF;
    auto decoded = decode_checkpoint(damaged, {});  // must never crash; either an error or some state
    failures += decoded ? 0 : 1;
  }
  EXPECT_GT(failures, 0);
}

TEST(CheckpointCodec, LimitsBoundLayersAndBlocks) {
  const Bytes bytes = encode_checkpoint(rich_state());
  core::ReadLimits few_layers;
  few_layers.max_layers = 1;
  EXPECT_EQ(decode_checkpoint(bytes, few_layers).code(), core::ErrorCode::limit_exceeded);
  core::ReadLimits few_blocks;
  few_blocks.max_blocks = 2;
  EXPECT_EQ(decode_checkpoint(bytes, few_blocks).code(), core::ErrorCode::limit_exceeded);
}

// One layer whose blocks each want a different encoding: uniform, sparse, palettes of 1, 2, 4 and 8 bits, dense.
core::ProjectState every_encoding() {
  core::ProjectState state;
  core::Layer layer;
  layer.id = 1;
  layer.name = "encodings";
  core::Volume& v = layer.volume;
  v.fill_box(core::Box{{0, 0, 0}, {15, 15, 15}}, core::Color{9, 8, 7, 255});  // block (0,0,0): uniform
  v.set({16 + 3, 5, 7}, core::Color{1, 2, 3, 4});                             // block (1,0,0): sparse, 2 voxels
  v.set({16 + 15, 15, 15}, core::Color{5, 6, 7, 8});
  const int palette_sizes[] = {1, 3, 15, 255};  // 1, 2, 4 and 8 bits, each on a half-filled block
  for (int k = 0; k < 4; ++k) {
    const int x0 = 32 + 16 * k;
    for (int i = 0; i < core::kBlockVoxels / 2; ++i) {
      const auto c = static_cast<std::uint8_t>(1 + i % palette_sizes[k]);
      v.set({x0 + i % 16, (i / 16) % 16, i / 256}, core::Color{c, static_cast<std::uint8_t>(255 - c), 0, 255});
    }
  }
  for (int i = 0; i < core::kBlockVoxels; ++i) {  // block (6,0,0): 4096 colours, dense
    v.set({96 + i % 16, (i / 16) % 16, i / 256},
          core::Color{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8), 1, 255});
  }
  state.layers.push_back(std::move(layer));
  return state;
}

// The heap bytes of a volume's blocks (its index aside, whose size depends on how it grew).
std::size_t block_bytes(const core::Volume& volume) {
  std::size_t bytes = 0;
  volume.for_each_block([&](core::BlockCoord, const core::SharedBlock& b) { bytes += b->heap_bytes(); });
  return bytes;
}

// The kinds checkpoint_codec writes for a volume, in its block order.
std::vector<std::uint8_t> kinds_of(const core::Volume& volume, std::size_t& words) {
  std::vector<std::uint8_t> kinds;
  std::vector<std::uint32_t> all;
  volume.for_each_block([&](core::BlockCoord, const core::SharedBlock& b) { append_block_words(*b, kinds, all); });
  words = all.size();
  return kinds;
}

TEST(CheckpointCodec, EachBlockIsStoredInItsSmallestEncodingAndReadsBackExactly) {
  const core::ProjectState state = every_encoding();
  std::size_t words = 0;
  std::vector<std::uint8_t> kinds = kinds_of(state.layers[0].volume, words);
  std::sort(kinds.begin(), kinds.end());
  // dense 0, uniform 1, sparse 2, palette 3 (four of them).
  EXPECT_EQ(kinds, (std::vector<std::uint8_t>{0, 1, 2, 3, 3, 3, 3}));
  // uniform 1 + sparse 5 + palettes (2 + 128) + (4 + 256) + (16 + 512) + (256 + 1024) + dense 4096 words.
  EXPECT_EQ(words, 1U + 5U + 130U + 260U + 528U + 1280U + 4096U);
  const Bytes bytes = encode_checkpoint(state);
  auto decoded = decode_checkpoint(bytes, core::ReadLimits{});
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, state);
  // The reader stores what it reads compactly too: the uniform block is one small allocation again.
  const core::Block* uniform = decoded->layers[0].volume.find_block({0, 0, 0});
  ASSERT_NE(uniform, nullptr);
  EXPECT_EQ(uniform->encoding(), core::Block::Encoding::uniform);
  core::Volume compacted = state.layers[0].volume;
  compacted.compact();
  EXPECT_LE(block_bytes(decoded->layers[0].volume), block_bytes(compacted));  // sparse room: exact, not doubled
}

TEST(CheckpointCodec, ScatteredVoxelsCostBytesNotBlocks) {
  // 2,000 voxels each in a block of its own: version 1 wrote 2,000 x 16 KiB = 32 MB.
  core::ProjectState state;
  core::Layer layer;
  std::mt19937 random(7);
  std::uniform_int_distribution<int> coord(-2000, 2000);
  while (layer.volume.voxel_count() < 2000) {
    layer.volume.set({coord(random) * 16, coord(random) * 16, coord(random) * 16}, core::Color{200, 10, 10, 255});
  }
  state.layers.push_back(std::move(layer));
  const Bytes bytes = encode_checkpoint(state);
  // Per voxel: its block coordinate (12 B), kind (1 B) and count, index, colour (12 B); plus the buffer's frame.
  EXPECT_LT(bytes.size(), 2000U * 26U + 1024U);
  auto decoded = decode_checkpoint(bytes, core::ReadLimits{});
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, state);

  // A solid 64^3 of one colour: 64 uniform blocks, a few bytes each.
  core::ProjectState solid;
  solid.layers.emplace_back();
  solid.layers[0].volume.fill_box(core::Box{{0, 0, 0}, {63, 63, 63}}, core::Color{1, 1, 1, 255});
  EXPECT_LT(encode_checkpoint(solid).size(), 64U * 17U + 1024U);
}

TEST(CheckpointCodec, VersionOneCheckpointsStillRead) {
  // Written as voxd wrote them before version 2: 4096 raw packed colours per block.
  core::ProjectState expected;
  expected.layers.emplace_back();
  expected.layers[0].id = 3;
  expected.layers[0].name = "old";
  expected.next_layer_id = 4;
  expected.active_layer_id = 3;
  std::vector<std::uint32_t> raw(core::kBlockVoxels, 0);
  for (int i = 0; i < core::kBlockVoxels; i += 7) {
    const core::Color c{static_cast<std::uint8_t>(i), 2, 3, 255};
    raw[static_cast<std::size_t>(i)] = c.packed();
    expected.layers[0].volume.set({i % 16 - 16, (i / 16) % 16, i / 256}, c);  // block (-1,0,0)
  }
  flatbuffers::FlatBufferBuilder fb;
  const std::vector<fb::BlockCoord> coords{fb::BlockCoord(-1, 0, 0)};
  const auto layer =
      fb::CreateStoredLayer(fb, 3, fb.CreateString("old"), true, static_cast<std::uint8_t>(core::BlendMode::over), -1,
                            0, fb.CreateVectorOfStructs(coords), fb.CreateVector(raw));
  const std::vector<flatbuffers::Offset<fb::StoredLayer>> layers{layer};
  fb.Finish(fb::CreateStoredProject(fb, 1, fb.CreateVector(layers), 0, nullptr, 0, 0, 3, 4),
            fb::StoredProjectIdentifier());
  auto decoded = decode_checkpoint(Bytes(fb.GetBufferPointer(), fb.GetBufferPointer() + fb.GetSize()), {});
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, expected);
}

TEST(CheckpointCodec, DamagedBlockWordsAreAFormatErrorNamingTheBlock) {
  std::vector<std::uint8_t> kinds;
  std::vector<std::uint32_t> words;
  core::SharedBlock sparse = core::SharedBlock::make_empty();
  sparse.make_unique().set(5, core::Color{1, 2, 3, 255});
  sparse.make_unique().set(9, core::Color{4, 5, 6, 255});
  append_block_words(*sparse, kinds, words);
  ASSERT_EQ(kinds, std::vector<std::uint8_t>{2});
  ASSERT_EQ(words, (std::vector<std::uint32_t>{2, 5, core::Color{1, 2, 3, 255}.packed(), 9,
                                               core::Color{4, 5, 6, 255}.packed()}));
  const auto read = [](std::uint8_t kind, std::vector<std::uint32_t> w) {
    std::size_t cursor = 0;
    return read_block_words(kind, w, cursor);
  };
  EXPECT_TRUE(read(2, words));
  EXPECT_EQ(read(7, words).code(), core::ErrorCode::format);                                // no such kind
  EXPECT_EQ(read(2, {3, 5, 1, 9, 1}).code(), core::ErrorCode::format);                      // count past the end
  EXPECT_EQ(read(2, {2, 9, 0xFF000001U, 5, 0xFF000001U}).code(), core::ErrorCode::format);  // not increasing
  EXPECT_EQ(read(2, {1, 4096, 0xFF000001U}).code(), core::ErrorCode::format);               // index out of the block
  EXPECT_EQ(read(2, {1, 3, 0xFFFFFF00U}).code(), core::ErrorCode::format);                  // alpha 0 with a colour
  EXPECT_EQ(read(1, {0}).code(), core::ErrorCode::format);                                  // uniform of nothing
  EXPECT_EQ(read(3, {3U | (1U << 8U), 0xFF0000FFU}).code(), core::ErrorCode::format);       // 3 bits per voxel
  std::vector<std::uint32_t> palette{1U | (1U << 8U), 0xFF0000FFU};
  palette.resize(2 + 128, 0);
  EXPECT_EQ(read(3, palette).code(), core::ErrorCode::format);  // no voxel in it
  palette[2] = 1;
  EXPECT_TRUE(read(3, palette));
  std::vector<std::uint32_t> dense(core::kBlockVoxels - 1, 0xFF000001U);
  EXPECT_EQ(read(0, dense).code(), core::ErrorCode::format);  // one voxel short
  // Through the whole checkpoint: the message names the layer and the block.
  core::ProjectState state;
  state.layers.emplace_back();
  state.layers[0].id = 5;
  state.layers[0].volume.set({32 + 5, 6, 7}, core::Color{1, 2, 3, 255});
  Bytes bytes = encode_checkpoint(state);
  const std::uint32_t index = 5 + 16 * 6 + 256 * 7;  // the sparse block's one voxel index (0x765: no other word)
  const auto at = std::search(bytes.begin(), bytes.end(), reinterpret_cast<const std::uint8_t*>(&index),
                              reinterpret_cast<const std::uint8_t*>(&index) + 4);
  ASSERT_NE(at, bytes.end());
  std::fill_n(at, 4, 0xFF);
  auto decoded = decode_checkpoint(bytes, {});
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.code(), core::ErrorCode::format);
  EXPECT_NE(decoded.error().message.find("layer 5 block (2,0,0)"), std::string::npos) << decoded.error().message;
}

TEST(CheckpointCodec, DamageAnywhereInTheBlocksNeverCrashes) {
  const Bytes bytes = encode_checkpoint(every_encoding());
  std::mt19937 random(11);
  int failures = 0;
  for (int round = 0; round < 400; ++round) {
    Bytes damaged = bytes;
    const std::size_t at = std::uniform_int_distribution<std::size_t>(8, bytes.size() - 1)(random);
    damaged[at] ^= static_cast<std::uint8_t>(1U << (round % 8));
    auto decoded = decode_checkpoint(damaged, {});  // an error or a state; sanitizers catch any bad read
    failures += decoded ? 0 : 1;
  }
  EXPECT_GT(failures, 0);
}

}  // namespace
}  // namespace voxd::store
