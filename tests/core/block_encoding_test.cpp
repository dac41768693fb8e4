// The block encodings (dense, uniform, sparse): which one a volume picks for what a block holds, when it promotes
// and demotes a block, that every change of encoding keeps the voxels, copy-on-write sharing and the byte
// accounting exact, and a fuzz-style test that drives blocks back and forth across the thresholds.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <random>
#include <vector>

#include "voxd/core/error.hpp"
#include "voxd/core/memory_budget.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};
using Encoding = Block::Encoding;

Encoding encoding_at(const Volume& v, BlockCoord c) {
  const Block* b = v.find_block(c);
  EXPECT_NE(b, nullptr);
  return b == nullptr ? Encoding::dense : b->encoding();
}

std::size_t blocks_heap_bytes(const Volume& v) {
  std::size_t bytes = 0;
  v.for_each_block([&](BlockCoord, const SharedBlock& b) { bytes += b.heap_bytes(); });
  return bytes;
}

// memory_bytes() is the blocks' own heap bytes plus whole map slots: an encoding change never leaves it behind.
void expect_exact_accounting(const Volume& v) {
  constexpr std::size_t kSlot = sizeof(std::pair<const BlockCoord, SharedBlock>) + 1;
  const std::size_t rest = v.memory_bytes() - sizeof(Volume) - blocks_heap_bytes(v);
  EXPECT_EQ(rest % kSlot, 0U);
  EXPECT_GE(rest / kSlot, v.block_count());
}

// What each encoding promises about the block it holds.
void expect_encoding_invariants(const Volume& v) {
  v.for_each_block([](BlockCoord c, const SharedBlock& b) {
    switch (b->encoding()) {
      case Encoding::uniform:
        EXPECT_EQ(b->filled(), kBlockVoxels) << c.x;
        EXPECT_EQ(b->heap_bytes(), sizeof(Block));
        break;
      case Encoding::sparse:
        EXPECT_LE(b->filled(), Block::kSparseMax) << c.x;
        EXPECT_LE(b->filled(), b->capacity()) << c.x;
        EXPECT_EQ(b->heap_bytes(), SharedBlock::bytes_for(Encoding::sparse, b->capacity()));
        break;
      case Encoding::palette:
        EXPECT_TRUE(b->palette_bits() == 1 || b->palette_bits() == 2 || b->palette_bits() == 4 ||
                    b->palette_bits() == 8);
        EXPECT_LE(b->capacity(), 1 << b->palette_bits());
        EXPECT_GT(b->capacity(), 1 << (b->palette_bits() / 2)) << "a palette wider than its colours need";
        EXPECT_EQ(b->heap_bytes(), SharedBlock::bytes_for(Encoding::palette, b->palette_bits()));
        break;
      case Encoding::dense:
        // Demotion happens at kSparseDemote (nothing in these tests refuses its reservation).
        EXPECT_GT(b->filled(), Block::kSparseDemote) << c.x;
        EXPECT_EQ(b->heap_bytes(), SharedBlock::max_heap_bytes());
        break;
    }
  });
}

TEST(BlockEncoding, EachVolumePicksTheSmallestForWhatItHolds) {
  Volume v;
  v.set({1, 2, 3}, kRed);
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::sparse);
  EXPECT_LT(v.find_block({0, 0, 0})->heap_bytes(), 64U);
  v.fill_box({{16, 0, 0}, {31, 15, 15}}, kBlue);  // a whole block of one colour
  EXPECT_EQ(encoding_at(v, {1, 0, 0}), Encoding::uniform);
  EXPECT_LE(v.find_block({1, 0, 0})->heap_bytes(), 64U);
  EXPECT_EQ(v.get({20, 5, 5}), kBlue);
  // Past kSparseMax voxels a block is dense.
  for (int i = 0; i <= Block::kSparseMax; ++i) {
    v.set(local_of_index(i * 7), kRed);
  }
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::dense);
  // Falling to kSparseDemote makes it sparse again.
  for (int i = 0; i <= Block::kSparseMax; ++i) {
    if (v.find_block({0, 0, 0})->filled() > Block::kSparseDemote) {
      v.set(local_of_index(i * 7), kEmpty);
    }
  }
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::sparse);
  // Filled voxel by voxel with one colour, a block ends uniform.
  VolumeAccessor acc(v);
  for (int i = 0; i < kBlockVoxels; ++i) {
    acc.set(Vec3i{0, 16, 0} + local_of_index(i), kBlue);
  }
  EXPECT_EQ(encoding_at(v, {0, 1, 0}), Encoding::uniform);
  // One voxel changed: dense again, every other voxel kept.
  acc.set({3, 20, 7}, kRed);
  EXPECT_EQ(encoding_at(v, {0, 1, 0}), Encoding::dense);
  EXPECT_EQ(v.get({3, 20, 7}), kRed);
  EXPECT_EQ(v.get({4, 20, 7}), kBlue);
  EXPECT_EQ(v.voxel_count(), 64 + kBlockVoxels + kBlockVoxels);
  expect_exact_accounting(v);
  expect_encoding_invariants(v);
}

// Reads in every encoding, through the block, the volume and an accessor, agree (they read the voxel's bits as one
// integer), through snapshots, compaction and copy-on-write.
TEST(BlockEncoding, ReadsAgreeInEveryEncoding) {
  Volume v;
  v.set({1, 2, 3}, kRed);                         // sparse
  v.fill_box({{16, 0, 0}, {31, 15, 15}}, kBlue);  // uniform
  for (int i = 0; i < kBlockVoxels; i += 2) {     // dense (a palette once compacted)
    v.set(Vec3i{32, 0, 0} + local_of_index(i), i % 4 == 0 ? kRed : kBlue);
  }
  for (int i = 0; i < kBlockVoxels; ++i) {  // dense: a colour per voxel
    v.set(Vec3i{48, 0, 0} + local_of_index(i),
          Color{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8), 7, 255});
  }
  const auto expect_consistent = [](Volume& vol) {
    VolumeAccessor acc(vol);
    vol.for_each_block([&](BlockCoord c, const SharedBlock& b) {
      // The whole-block readers agree with get(): decoded(), decode_bits(), and dense_bits() for dense blocks only.
      const BlockVoxels colors = b->decoded();
      std::array<std::uint32_t, kBlockVoxels> bits{};
      b->decode_bits(bits);
      const std::uint32_t* dense = b->dense_bits();
      ASSERT_EQ(dense != nullptr, b->dense()) << c.x;
      for (int i = 0; i < kBlockVoxels; ++i) {
        const Vec3i p = c.origin() + local_of_index(i);
        const auto u = static_cast<std::size_t>(i);
        ASSERT_EQ(colors[u], b->get(i)) << c.x << " " << i;
        ASSERT_EQ(bits[u], b->get_bits(i)) << c.x << " " << i;
        if (dense != nullptr) {
          ASSERT_EQ(dense[u], b->get_bits(i)) << c.x << " " << i;
        }
        ASSERT_EQ(std::bit_cast<Color>(b->get_bits(i)), b->get(i)) << c.x << " " << i;
        ASSERT_EQ(vol.get(p), b->get(i)) << c.x << " " << i;
        ASSERT_EQ(acc.get(p), b->get(i)) << c.x << " " << i;
      }
    });
    EXPECT_EQ(vol.get({100, 100, 100}), kEmpty);
    EXPECT_EQ(acc.get({100, 100, 100}), kEmpty);
  };
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::sparse);
  EXPECT_EQ(encoding_at(v, {1, 0, 0}), Encoding::uniform);
  EXPECT_EQ(encoding_at(v, {2, 0, 0}), Encoding::dense);
  EXPECT_EQ(encoding_at(v, {3, 0, 0}), Encoding::dense);
  expect_consistent(v);
  Volume snapshot = v;  // shares every block
  v.compact();
  EXPECT_EQ(encoding_at(v, {2, 0, 0}), Encoding::palette);
  expect_consistent(v);
  expect_consistent(snapshot);
  // Copy-on-write of each encoding: the written volume's blocks are new and dense, the snapshot's unchanged.
  Volume compacted = v;
  for (int bx = 0; bx < 4; ++bx) {
    v.set({bx * 16 + 5, 5, 5}, kBlue);
  }
  EXPECT_EQ(encoding_at(v, {2, 0, 0}), Encoding::dense);
  expect_consistent(v);
  expect_consistent(compacted);
  expect_exact_accounting(v);
  expect_exact_accounting(compacted);
}

TEST(BlockEncoding, AStepEndsWithItsBlocksInPalettes) {
  Volume v;
  const std::array<Color, 3> colors{kRed, kBlue, Color{0, 200, 0, 255}};
  v.start_recording(nullptr);
  for (int i = 0; i < 3000; ++i) {
    v.set(local_of_index(i), colors[static_cast<std::size_t>(i % 3)]);
  }
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::dense);  // written in place while the step runs
  BlockChanges first = v.stop_recording();
  ASSERT_EQ(encoding_at(v, {0, 0, 0}), Encoding::palette);
  EXPECT_EQ(v.find_block({0, 0, 0})->palette_bits(), 2);  // 3 colours and empty
  EXPECT_EQ(v.find_block({0, 0, 0})->heap_bytes(), sizeof(Block) + 4 * sizeof(Color) + kBlockVoxels / 4);
  for (int i = 0; i < kBlockVoxels; ++i) {
    ASSERT_EQ(v.get(local_of_index(i)), i < 3000 ? colors[static_cast<std::size_t>(i % 3)] : kEmpty) << i;
  }
  EXPECT_EQ(v.voxel_count(), 3000);
  // A later step writes a fourth and a fifth colour: dense while it runs, a 4-bit palette after.
  v.start_recording(nullptr);
  const Volume before = v;
  VolumeAccessor acc(v);
  acc.set(local_of_index(4000), Color{1, 2, 3, 255});
  acc.set(local_of_index(4001), Color{4, 5, 6, 255});
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::dense);
  BlockChanges second = v.stop_recording();
  ASSERT_EQ(encoding_at(v, {0, 0, 0}), Encoding::palette);
  EXPECT_EQ(v.find_block({0, 0, 0})->palette_bits(), 4);
  EXPECT_EQ(v.get(local_of_index(4001)), (Color{4, 5, 6, 255}));
  EXPECT_EQ(v.voxel_count(), 3002);
  v.swap_blocks(second);  // undo: the 2-bit palette block again, shared with the copy taken before
  EXPECT_TRUE(v == before);
  EXPECT_EQ(v.find_block({0, 0, 0})->palette_bits(), 2);
  expect_exact_accounting(v);
  // More than 255 colours stay dense.
  Volume many;
  for (int i = 0; i < kBlockVoxels; ++i) {
    many.set(local_of_index(i), Color::from_packed((static_cast<std::uint32_t>(i) << 8U) | 0xffU));
  }
  many.compact();
  EXPECT_EQ(encoding_at(many, {0, 0, 0}), Encoding::dense);
  Volume sphere_surface;  // one colour, partly filled: 1 bit per voxel
  for (int i = 0; i < 2000; ++i) {
    sphere_surface.set(local_of_index(i * 2), kRed);
  }
  sphere_surface.compact();
  ASSERT_EQ(encoding_at(sphere_surface, {0, 0, 0}), Encoding::palette);
  EXPECT_EQ(sphere_surface.find_block({0, 0, 0})->palette_bits(), 1);
  EXPECT_LE(sphere_surface.find_block({0, 0, 0})->heap_bytes(), 544U);
  EXPECT_EQ(sphere_surface.get(local_of_index(2)), kRed);
  EXPECT_EQ(sphere_surface.get(local_of_index(3)), kEmpty);
}

TEST(BlockEncoding, ScatteredVoxelsCostFarLessThanABlockEach) {
  Volume v;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> coord(0, 1023);
  for (int i = 0; i < 20000; ++i) {
    v.set({coord(rng), coord(rng), coord(rng)}, kRed);
  }
  const double per_voxel = static_cast<double>(v.memory_bytes()) / static_cast<double>(v.voxel_count());
  EXPECT_LT(per_voxel, 200.0);  // the target; a dense block per voxel would be 16,920
  expect_encoding_invariants(v);
}

TEST(BlockEncoding, CompactBlocksAreSharedCopyOnWrite) {
  Volume v;
  v.set({1, 1, 1}, kRed);
  v.fill_box({{16, 0, 0}, {31, 15, 15}}, kRed);
  const Volume snapshot = v;
  EXPECT_EQ(v.find_block({0, 0, 0}), snapshot.find_block({0, 0, 0}));
  v.set({2, 1, 1}, kBlue);   // sparse, shared: copied
  v.set({17, 1, 1}, kBlue);  // uniform, shared: decoded into a new dense block
  v.set({18, 1, 1}, kRed);   // unchanged voxel: nothing copied
  EXPECT_EQ(snapshot.get({2, 1, 1}), kEmpty);
  EXPECT_EQ(snapshot.get({17, 1, 1}), kRed);
  EXPECT_EQ(v.get({17, 1, 1}), kBlue);
  EXPECT_EQ(v.get({18, 1, 1}), kRed);
  EXPECT_EQ(encoding_at(snapshot, {1, 0, 0}), Encoding::uniform);
  EXPECT_EQ(encoding_at(v, {1, 0, 0}), Encoding::dense);
  EXPECT_EQ(v.copied_bytes(),
            snapshot.find_block({0, 0, 0})->heap_bytes() + snapshot.find_block({1, 0, 0})->heap_bytes());
  expect_exact_accounting(v);
  expect_exact_accounting(snapshot);
}

TEST(BlockEncoding, PutBlockStoresATileInTheSmallestEncoding) {
  SharedBlock few = SharedBlock::make_empty();
  few.make_unique().set(5, kRed);
  SharedBlock many = SharedBlock::make_empty();  // 1000 colours: nothing smaller than dense holds them
  for (int i = 0; i < 1000; ++i) {
    many.make_unique().set(i, Color::from_packed((static_cast<std::uint32_t>(i + 1) << 8U) | 0xffU));
  }
  SharedBlock two_colors = SharedBlock::make_empty();
  for (int i = 0; i < 1000; ++i) {
    two_colors.make_unique().set(i, i % 2 == 0 ? kRed : kBlue);
  }
  SharedBlock full = SharedBlock::make_empty();
  full.make_unique().fill(0, kBlockVoxels, kBlue);
  Volume v;
  v.put_block({0, 0, 0}, few);
  v.put_block({1, 0, 0}, many);
  v.put_block({2, 0, 0}, full);
  v.put_block({3, 0, 0}, two_colors);
  EXPECT_EQ(encoding_at(v, {3, 0, 0}), Encoding::palette);
  EXPECT_EQ(*v.find_block({3, 0, 0}), *two_colors);
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::sparse);
  EXPECT_EQ(encoding_at(v, {1, 0, 0}), Encoding::dense);
  EXPECT_EQ(v.find_shared_block({1, 0, 0})->identity(), many.identity());  // shared, not copied
  EXPECT_EQ(encoding_at(v, {2, 0, 0}), Encoding::uniform);
  EXPECT_EQ(*v.find_block({0, 0, 0}), *few);
  EXPECT_EQ(*v.find_block({2, 0, 0}), *full);
  EXPECT_EQ(v.voxel_count(), 1 + 1000 + kBlockVoxels + 1000);
  expect_exact_accounting(v);
}

// Refuses every reservation after the first `allowed` bytes.
struct LimitedAllowance : BlockAllowance {
  std::size_t allowed = 0;
  std::size_t reserved = 0;
  Status reserve(std::size_t bytes) override {
    if (reserved + bytes > allowed) {
      return make_error(ErrorCode::limit_exceeded, "test allowance");
    }
    reserved += bytes;
    return Status::success();
  }
};

TEST(BlockEncoding, ARefusedPromotionChangesNothing) {
  Volume v;
  for (int i = 0; i < Block::kSparseMax; ++i) {
    v.set(local_of_index(i), kRed);
  }
  ASSERT_EQ(encoding_at(v, {0, 0, 0}), Encoding::sparse);
  const Volume before = v;
  LimitedAllowance allowance;
  allowance.allowed = 1000;  // less than a dense block
  v.start_recording(&allowance);
  EXPECT_THROW(v.set(local_of_index(Block::kSparseMax), kBlue), AllocationRefused);
  BlockChanges changes = v.stop_recording();
  EXPECT_TRUE(v == before);
  EXPECT_EQ(v.get(local_of_index(Block::kSparseMax)), kEmpty);
  EXPECT_EQ(v.voxel_count(), Block::kSparseMax);
  expect_exact_accounting(v);
}

TEST(BlockEncoding, ARefusedDemotionKeepsTheBlockDenseAndCorrect) {
  Volume v;
  for (int i = 0; i < 200; ++i) {
    v.set(local_of_index(i), kRed);
  }
  ASSERT_EQ(encoding_at(v, {0, 0, 0}), Encoding::dense);
  LimitedAllowance allowance;
  allowance.allowed = SharedBlock::max_heap_bytes();  // the copy the recording forces, and nothing more
  v.start_recording(&allowance);
  for (int i = 0; i < 150; ++i) {
    v.set(local_of_index(i), kEmpty);  // at kSparseDemote and below: demotion refused, quietly
  }
  BlockChanges changes = v.stop_recording();
  EXPECT_EQ(v.voxel_count(), 50);
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::dense);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(v.get(local_of_index(i)), i < 150 ? kEmpty : kRed) << i;
  }
  expect_exact_accounting(v);
  v.set(local_of_index(199), kEmpty);  // outside the recording: the next change demotes it
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::sparse);
  EXPECT_EQ(v.voxel_count(), 49);
  v.set(local_of_index(199), kRed);
  v.swap_blocks(changes);  // undo the removals
  EXPECT_EQ(v.voxel_count(), 200);
  EXPECT_EQ(encoding_at(v, {0, 0, 0}), Encoding::dense);
  expect_exact_accounting(v);
}

// Random writes that push a few blocks back and forth across every threshold (kSparseDemote, kSparseMax, full of
// one colour), through Volume and accessors, one by one and in bulk, with fills, snapshots and undo, against an
// array per block; after every operation the voxels, counts, encodings and bytes are checked.
TEST(BlockEncodingFuzz, PromotionAndDemotionKeepEveryVoxel) {
  constexpr int kBlocks = 3;  // along x
  std::mt19937 rng(0xe9c0);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> voxel(0, kBlockVoxels - 1);
  std::uniform_int_distribution<int> block_pick(0, kBlocks - 1);
  std::vector<std::array<Color, kBlockVoxels>> model(kBlocks);
  for (auto& m : model) {
    m.fill(kEmpty);
  }
  Volume v;
  std::vector<Volume> snapshots;
  std::vector<decltype(model)> snapshot_models;
  int palette = 1;
  const auto color = [&]() -> Color {
    return Color::from_packed((static_cast<std::uint32_t>(percent(rng) % palette + 1) * 0x01030500U) | 0xffU);
  };
  const auto at = [](int b, int i) { return Vec3i{b * kBlockEdge, 0, 0} + local_of_index(i); };
  // The target size a phase drives one block towards: around each threshold in turn.
  const std::array<int, 6> targets{Block::kSparseDemote - 3, Block::kSparseMax + 3, 10, kBlockVoxels,
                                   Block::kSparseMax - 2,    kBlockVoxels - 5};
  std::array<int, 4> seen{};  // rounds that ended with a block in each encoding
  for (int round = 0; round < 1500; ++round) {
    const int b = block_pick(rng);
    const int target = targets[(static_cast<std::size_t>(round) / 40) % targets.size()];
    palette = (round / 240) % 2 == 0 ? 1 : 5;
    const int kind = percent(rng);
    const int filled =
        static_cast<int>(std::count_if(model[static_cast<std::size_t>(b)].begin(),
                                       model[static_cast<std::size_t>(b)].end(), [](Color c) { return !c.empty(); }));
    if (kind < 3) {
      snapshots.push_back(v);
      snapshot_models.push_back(model);
      if (snapshots.size() > 3) {
        snapshots.erase(snapshots.begin());
        snapshot_models.erase(snapshot_models.begin());
      }
    } else if (kind < 6) {
      // A whole-block fill, or a fill of a box part, of one colour (or empty).
      const Color c = percent(rng) < 20 ? kEmpty : color();
      const int x0 = voxel(rng) % kBlockEdge;
      const int x1 = std::min(kBlockEdge - 1, x0 + voxel(rng) % kBlockEdge);
      const bool whole = percent(rng) < 40;
      const Box box = whole ? Box{at(b, 0), at(b, kBlockVoxels - 1)}
                            : Box{at(b, 0) + Vec3i{x0, 0, 0}, at(b, 0) + Vec3i{x1, 15, percent(rng) % 4}};
      v.fill_box(box, c);
      for (int i = 0; i < kBlockVoxels; ++i) {
        if (box.contains(at(b, i))) {
          model[static_cast<std::size_t>(b)][static_cast<std::size_t>(i)] = c;
        }
      }
    } else if (kind < 7) {
      v.compact();
    } else if (kind < 10) {
      // Undo-style: record a burst of writes, then swap back.
      v.start_recording(nullptr);
      const auto saved = model;
      for (int k = 0; k < 30; ++k) {
        const int i = voxel(rng);
        v.set(at(b, i), color());
      }
      BlockChanges changes = v.stop_recording();
      v.swap_blocks(changes);
      model = saved;
    } else {
      // A burst of writes towards the target: fill when below it, empty when above.
      const int n = 1 + percent(rng) % 40;
      std::vector<Vec3i> positions;
      std::vector<Color> colors;
      for (int k = 0; k < n; ++k) {
        const int i = voxel(rng);
        const Color c = filled < target ? color() : kEmpty;
        positions.push_back(at(b, i));
        colors.push_back(c);
        model[static_cast<std::size_t>(b)][static_cast<std::size_t>(i)] = c;
      }
      const int how = percent(rng) % 3;
      if (how == 0) {
        for (std::size_t k = 0; k < positions.size(); ++k) {
          v.set(positions[k], colors[k]);
        }
      } else if (how == 1) {
        VolumeAccessor acc(v);
        for (std::size_t k = 0; k < positions.size(); ++k) {
          acc.set(positions[k], colors[k]);
          ASSERT_EQ(acc.get(positions[k]), colors[k].empty() ? kEmpty : colors[k]);
        }
      } else {
        VolumeAccessor acc(v);
        acc.set_many(positions, colors);
      }
      if (filled < target && target == kBlockVoxels && percent(rng) < 30) {
        // Finish the block with one colour, so it can become uniform.
        const Color c = color();
        VolumeAccessor acc(v);
        for (int i = 0; i < kBlockVoxels; ++i) {
          acc.set(at(b, i), c);
          model[static_cast<std::size_t>(b)][static_cast<std::size_t>(i)] = c;
        }
      }
    }
    std::int64_t total = 0;
    for (int bb = 0; bb < kBlocks; ++bb) {
      for (int i = 0; i < kBlockVoxels; ++i) {
        const Color want = model[static_cast<std::size_t>(bb)][static_cast<std::size_t>(i)];
        ASSERT_EQ(v.get(at(bb, i)), want.empty() ? kEmpty : want)
            << "round " << round << " block " << bb << " voxel " << i;
        total += static_cast<int>(!want.empty());
      }
    }
    ASSERT_EQ(v.voxel_count(), total) << "round " << round;
    for (std::size_t s = 0; s < snapshots.size(); ++s) {
      for (int bb = 0; bb < kBlocks; ++bb) {
        for (int i = 0; i < kBlockVoxels; i += 17) {
          const Color want = snapshot_models[s][static_cast<std::size_t>(bb)][static_cast<std::size_t>(i)];
          ASSERT_EQ(snapshots[s].get(at(bb, i)), want.empty() ? kEmpty : want) << "round " << round;
        }
      }
    }
    expect_exact_accounting(v);
    expect_encoding_invariants(v);
    if (::testing::Test::HasFailure()) {
      FAIL() << "round " << round;
    }
    v.for_each_block(
        [&seen](BlockCoord, const SharedBlock& block) { ++seen[static_cast<std::size_t>(block->encoding())]; });
  }
  // The phases reached every encoding, many times.
  EXPECT_GT(seen[static_cast<std::size_t>(Encoding::dense)], 100);
  EXPECT_GT(seen[static_cast<std::size_t>(Encoding::uniform)], 30);
  EXPECT_GT(seen[static_cast<std::size_t>(Encoding::sparse)], 100);
  EXPECT_GT(seen[static_cast<std::size_t>(Encoding::palette)], 30);
}

}  // namespace
}  // namespace voxd::core
