#include <gtest/gtest.h>

#include <climits>
#include <limits>
#include <set>
#include <tuple>

#include "voxd/core/volume.hpp"

namespace voxd::core {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};

TEST(Volume, StartsEmpty) {
  const Volume v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.voxel_count(), 0);
  EXPECT_EQ(v.block_count(), 0U);
  EXPECT_FALSE(v.bounding_box().has_value());
  EXPECT_EQ(v.get({0, 0, 0}), kEmpty);
}

TEST(Volume, SetGetAcrossBlockBoundariesAndNegativeCoordinates) {
  Volume v;
  const Vec3i points[] = {{0, 0, 0}, {15, 15, 15}, {16, 0, 0}, {-1, 0, 0}, {-16, -16, -16}, {-17, 5, 33}};
  for (const Vec3i p : points) {
    v.set(p, kRed);
  }
  for (const Vec3i p : points) {
    EXPECT_EQ(v.get(p), kRed) << to_string(p);
  }
  EXPECT_EQ(v.get({1, 0, 0}), kEmpty);
  EXPECT_EQ(v.get({-2, 0, 0}), kEmpty);
  EXPECT_EQ(v.voxel_count(), 6);
  // (0,0,0),(15,15,15) share a block; (-16..) and (-1,0,0) are in separate ones.
  EXPECT_EQ(v.block_count(), 5U);
}

TEST(Volume, Int32ExtremesAreStorable) {
  Volume v;
  v.set({INT32_MAX, INT32_MIN, 0}, kRed);
  EXPECT_EQ(v.get({INT32_MAX, INT32_MIN, 0}), kRed);
  EXPECT_EQ(v.get({INT32_MAX - 1, INT32_MIN, 0}), kEmpty);
}

TEST(Volume, RemovingTheLastVoxelDropsTheBlock) {
  Volume v;
  v.set({3, 4, 5}, kRed);
  v.set({3, 4, 5}, kEmpty);
  EXPECT_EQ(v.block_count(), 0U);
  EXPECT_EQ(v.voxel_count(), 0);
  v.set({100, 100, 100}, kEmpty);  // removing nothing creates nothing
  EXPECT_EQ(v.block_count(), 0U);
}

TEST(Volume, CountTracksOverwrites) {
  Volume v;
  v.set({1, 1, 1}, kRed);
  v.set({1, 1, 1}, kBlue);
  EXPECT_EQ(v.voxel_count(), 1);
  EXPECT_EQ(v.get({1, 1, 1}), kBlue);
}

TEST(Volume, ExactBoundingBox) {
  Volume v;
  v.set({-5, 2, 7}, kRed);
  v.set({20, -3, 7}, kRed);
  v.set({4, 4, 40}, kRed);
  const auto box = v.bounding_box();
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(box->min, (Vec3i{-5, -3, 7}));
  EXPECT_EQ(box->max, (Vec3i{20, 4, 40}));
  v.set({4, 4, 40}, kEmpty);
  EXPECT_EQ(v.bounding_box()->max, (Vec3i{20, 2, 7}));
}

TEST(Volume, CopyIsASnapshotThatEditsNeverChange) {
  Volume v;
  for (int i = 0; i < 100; ++i) {
    v.set({i, 0, 0}, kRed);
  }
  const Volume snapshot = v;
  v.set({5, 0, 0}, kBlue);
  v.set({500, 0, 0}, kBlue);
  v.set({6, 0, 0}, kEmpty);
  EXPECT_EQ(snapshot.get({5, 0, 0}), kRed);
  EXPECT_EQ(snapshot.get({6, 0, 0}), kRed);
  EXPECT_EQ(snapshot.get({500, 0, 0}), kEmpty);
  EXPECT_EQ(snapshot.voxel_count(), 100);
  EXPECT_EQ(v.voxel_count(), 100);
  // Only the block written to was copied (the snapshot keeps its bytes; 16 voxels: a sparse block).
  EXPECT_EQ(v.copied_bytes(), snapshot.find_block({0, 0, 0})->heap_bytes());
  EXPECT_EQ(snapshot.find_block({0, 0, 0})->encoding(), Block::Encoding::sparse);
}

TEST(Volume, SnapshotSharesBlocksUntilWritten) {
  Volume v;
  v.set({0, 0, 0}, kRed);
  v.set({32, 0, 0}, kRed);
  const Volume snapshot = v;
  EXPECT_EQ(v.find_shared_block({0, 0, 0})->identity(), snapshot.find_shared_block({0, 0, 0})->identity());
  v.set({1, 0, 0}, kRed);
  EXPECT_NE(v.find_shared_block({0, 0, 0})->identity(), snapshot.find_shared_block({0, 0, 0})->identity());
  EXPECT_EQ(v.find_shared_block({2, 0, 0})->identity(), snapshot.find_shared_block({2, 0, 0})->identity());
}

TEST(VolumeAccessor, MatchesDirectAccess) {
  Volume v;
  VolumeAccessor acc(v);
  for (int z = -20; z < 20; ++z) {
    for (int x = -20; x < 20; x += 3) {
      acc.set({x, 1, z}, Color{static_cast<std::uint8_t>(x + 20), 0, static_cast<std::uint8_t>(z + 20), 255});
    }
  }
  Volume direct;
  for (int z = -20; z < 20; ++z) {
    for (int x = -20; x < 20; x += 3) {
      direct.set({x, 1, z}, Color{static_cast<std::uint8_t>(x + 20), 0, static_cast<std::uint8_t>(z + 20), 255});
    }
  }
  EXPECT_EQ(v, direct);
  EXPECT_EQ(acc.get({-20, 1, -20}), (Color{0, 0, 0, 255}));
  EXPECT_EQ(acc.get({-19, 1, -20}), kEmpty);
}

TEST(VolumeAccessor, SnapshotTakenWhileAccessorLivesStaysIntact) {
  Volume v;
  VolumeAccessor acc(v);
  acc.set({1, 1, 1}, kRed);
  const Volume snapshot = v;  // the accessor's cached block is now shared
  acc.set({1, 1, 1}, kBlue);
  acc.set({2, 1, 1}, kBlue);
  EXPECT_EQ(snapshot.get({1, 1, 1}), kRed);
  EXPECT_EQ(snapshot.get({2, 1, 1}), kEmpty);
  EXPECT_EQ(v.get({1, 1, 1}), kBlue);
}

TEST(VolumeAccessor, ErasingTheCachedBlockIsSafe) {
  Volume v;
  VolumeAccessor acc(v);
  acc.set({1, 1, 1}, kRed);
  acc.set({1, 1, 1}, kEmpty);
  EXPECT_EQ(v.block_count(), 0U);
  acc.set({2, 1, 1}, kRed);
  EXPECT_EQ(v.voxel_count(), 1);
  EXPECT_EQ(acc.get({2, 1, 1}), kRed);
}

TEST(VolumeAccessor, SeesBlocksCreatedOrCopiedOutsideIt) {
  Volume v;
  VolumeAccessor acc(v);
  EXPECT_EQ(acc.get({1, 1, 1}), kEmpty);  // caches "no block here"
  v.set({1, 1, 1}, kRed);                 // creates the block behind the accessor's back
  EXPECT_EQ(acc.get({1, 1, 1}), kRed);
  const Volume snapshot = v;
  EXPECT_EQ(acc.get({1, 1, 1}), kRed);  // caches the block now shared with the snapshot
  v.set({1, 1, 1}, kBlue);              // copies it
  EXPECT_EQ(acc.get({1, 1, 1}), kBlue);
  EXPECT_EQ(snapshot.get({1, 1, 1}), kRed);
}

TEST(Volume, ForEachVoxelVisitsEachNonEmptyVoxelOnce) {
  Volume v;
  v.set({-1, -1, -1}, kRed);
  v.set({40, 0, 0}, kBlue);
  int visits = 0;
  v.for_each_voxel([&](Vec3i p, Color c) {
    ++visits;
    EXPECT_EQ(v.get(p), c);
  });
  EXPECT_EQ(visits, 2);
}

TEST(Volume, ForEachVoxelWalksFullAndPartlyFilledBlocks) {
  Volume v;
  // One full block at a negative origin (walked row by row) and a few voxels of a partly filled one.
  for (int z = -16; z < 0; ++z) {
    for (int y = -32; y < -16; ++y) {
      for (int x = 16; x < 32; ++x) {
        v.set({x, y, z},
              Color{static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(-y), static_cast<std::uint8_t>(-z), 255});
      }
    }
  }
  v.set({3, 7, 9}, kRed);
  v.set({15, 15, 15}, kBlue);
  std::set<std::tuple<int, int, int>> seen;
  v.for_each_voxel([&](Vec3i p, Color c) {
    EXPECT_EQ(v.get(p), c) << to_string(p);
    EXPECT_TRUE(seen.insert({p.x, p.y, p.z}).second) << to_string(p);
  });
  EXPECT_EQ(seen.size(), 4096U + 2U);
}

TEST(Block, OccupancyMaskFollowsEveryWrite) {
  SharedBlock shared = SharedBlock::make_empty();
  Block& block = shared.make_unique();
  block.set(0, kRed);
  block.set(63, kRed);
  block.set(64, kBlue);
  block.set(4095, kRed);
  block.set(63, kEmpty);
  block.set(0, kBlue);  // overwrite keeps the bit
  const SharedBlock copy = shared;
  int bits = 0;
  const Block::Occupancy occupancy = copy->occupancy();
  for (int i = 0; i < kBlockVoxels; ++i) {
    const auto word = occupancy[static_cast<std::size_t>(i / 64)];
    const bool bit = ((word >> static_cast<unsigned>(i % 64)) & 1U) != 0;
    EXPECT_EQ(bit, !copy->get(i).empty()) << i;
    bits += static_cast<int>(bit);
  }
  EXPECT_EQ(bits, 3);
  EXPECT_EQ(copy->filled(), 3);
}

// Reference for fill_box: set() on every voxel of the box.
void fill_voxel_by_voxel(Volume& v, const Box& box, Color c) {
  for (int z = box.min.z; z <= box.max.z; ++z) {
    for (int y = box.min.y; y <= box.max.y; ++y) {
      for (int x = box.min.x; x <= box.max.x; ++x) {
        v.set({x, y, z}, c);
      }
    }
  }
}

// Some voxels in and around the boxes below, so fills overwrite, extend and remove.
Volume scattered_voxels() {
  Volume v;
  for (int i = -40; i < 40; i += 3) {
    v.set({i, i / 2, -i}, kBlue);
    v.set({i, 0, 5}, kRed);
  }
  return v;
}

TEST(Volume, FillBoxMatchesSettingEachVoxel) {
  // Whole blocks (-32..-1 in x), partial ones, negative coordinates, a one-voxel box.
  const Box boxes[] = {{{-37, -20, -5}, {20, 3, 17}}, {{-32, -16, -16}, {-1, 15, 15}}, {{7, 7, 7}, {7, 7, 7}}};
  for (const Box& box : boxes) {
    for (const Color c : {kRed, kEmpty}) {
      Volume bulk = scattered_voxels();
      Volume reference = scattered_voxels();
      bulk.fill_box(box, c);
      fill_voxel_by_voxel(reference, box, c);
      EXPECT_EQ(bulk, reference) << to_string(box) << " " << to_hex(c);
      EXPECT_EQ(bulk.voxel_count(), reference.voxel_count());
      EXPECT_EQ(bulk.block_count(), reference.block_count());
    }
  }
}

TEST(Volume, FillBoxLeavesSnapshotsAndAccessorsConsistent) {
  Volume v;
  v.fill_box({{0, 0, 0}, {31, 15, 15}}, kRed);
  EXPECT_EQ(v.voxel_count(), 2 * kBlockVoxels);
  VolumeAccessor acc(v);
  EXPECT_EQ(acc.get({1, 1, 1}), kRed);  // cached
  const Volume snapshot = v;
  v.fill_box({{0, 0, 0}, {15, 15, 15}}, kBlue);  // a whole shared block: replaced, not copied
  v.fill_box({{16, 0, 0}, {16, 0, 0}}, kBlue);   // part of a shared block: copied
  EXPECT_EQ(v.copied_bytes(), snapshot.find_block({1, 0, 0})->heap_bytes());  // the uniform block it was
  EXPECT_EQ(snapshot.find_block({1, 0, 0})->encoding(), Block::Encoding::uniform);
  EXPECT_EQ(acc.get({1, 1, 1}), kBlue);
  EXPECT_EQ(snapshot.get({1, 1, 1}), kRed);
  EXPECT_EQ(snapshot.get({16, 0, 0}), kRed);
  v.fill_box({{-5, -5, -5}, {40, 40, 40}}, kEmpty);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.block_count(), 0U);
  EXPECT_EQ(acc.get({1, 1, 1}), kEmpty);
  EXPECT_EQ(snapshot.voxel_count(), 2 * kBlockVoxels);
}

}  // namespace
}  // namespace voxd::core

namespace voxd::core {
namespace {

TEST(Box, VolumeSaturatesInsteadOfOverflowing) {
  const Box whole{{INT32_MIN, INT32_MIN, INT32_MIN}, {INT32_MAX, INT32_MAX, INT32_MAX}};
  EXPECT_EQ(whole.volume(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ((Box{{0, 0, 0}, {1, 2, 3}}.volume()), 24);
  EXPECT_EQ((Box{{5, 0, 0}, {4, 0, 0}}.volume()), 0);
}

}  // namespace
}  // namespace voxd::core
