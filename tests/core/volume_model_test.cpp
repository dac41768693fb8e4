// Property tests of Volume against a plain std::map model: random sequences of set (through the volume and through
// accessors, one by one and in bulk), fill_box, put_block of a shared tile, erase_block and clear, with snapshots
// (copies) and undo/redo (recording and swap_blocks, as Project's steps do), checked voxel by voxel, with the byte
// accounting checked after every step. And a fuzz-style test of one block against an array model.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "voxd/core/volume.hpp"

namespace voxd::core {
namespace {

using Model = std::map<std::tuple<int, int, int>, std::uint32_t>;

void model_set(Model& m, Vec3i p, Color c) {
  if (c.empty()) {
    m.erase({p.x, p.y, p.z});
  } else {
    m[{p.x, p.y, p.z}] = c.packed();
  }
}

// Counts what a recording volume reserves; refuses nothing.
struct CountingAllowance : BlockAllowance {
  std::size_t reserved = 0;
  Status reserve(std::size_t bytes) override {
    reserved += bytes;
    return Status::success();
  }
};

std::size_t block_bytes_of(const Volume& v) {
  std::size_t bytes = 0;
  v.for_each_block([&](BlockCoord, const SharedBlock& b) { bytes += b.heap_bytes(); });
  return bytes;
}

// Every voxel of the domain, the voxel count, for_each_voxel, the blocks and the byte accounting agree with the
// model.
void expect_matches(const Volume& v, const Model& m, int lo, int hi) {
  ASSERT_EQ(v.voxel_count(), static_cast<std::int64_t>(m.size()));
  for (int z = lo; z <= hi; ++z) {
    for (int y = lo; y <= hi; ++y) {
      for (int x = lo; x <= hi; ++x) {
        const auto it = m.find({x, y, z});
        if (it == m.end()) {
          ASSERT_TRUE(v.get({x, y, z}).empty()) << x << ' ' << y << ' ' << z;
        } else {
          ASSERT_EQ(v.get({x, y, z}), Color::from_packed(it->second)) << x << ' ' << y << ' ' << z;
        }
      }
    }
  }
  std::size_t visited = 0;
  v.for_each_voxel([&](Vec3i p, Color c) {
    ++visited;
    const auto it = m.find({p.x, p.y, p.z});
    ASSERT_NE(it, m.end()) << p.x << ' ' << p.y << ' ' << p.z;
    EXPECT_EQ(c.packed(), it->second);
  });
  EXPECT_EQ(visited, m.size());
  std::int64_t filled = 0;
  v.for_each_block([&](BlockCoord c, const SharedBlock& b) {
    EXPECT_GT(b->filled(), 0) << "an empty block is stored";
    int mask_count = 0;
    for (const std::uint64_t word : b->occupancy()) {
      mask_count += std::popcount(word);
    }
    EXPECT_EQ(mask_count, b->filled());
    filled += b->filled();
    EXPECT_EQ(v.find_shared_block(c), &b);
  });
  EXPECT_EQ(filled, v.voxel_count());
  // Exact accounting: what the volume reports is its blocks' heap bytes plus whole map slots, nothing drifts.
  constexpr std::size_t kSlot = sizeof(std::pair<const BlockCoord, SharedBlock>) + 1;
  const std::size_t rest = v.memory_bytes() - sizeof(Volume) - block_bytes_of(v);
  EXPECT_EQ(rest % kSlot, 0U) << "memory_bytes drifted from the blocks' heap bytes";
  EXPECT_GE(rest / kSlot, v.block_count());
}

struct Scenario {
  const char* name;
  int palette;      // distinct colours drawn from
  int fill_chance;  // in 1/100: how often an operation is a fill_box instead of a set
};

class VolumeModel : public ::testing::TestWithParam<Scenario> {};

TEST_P(VolumeModel, RandomOperationsSnapshotsAndUndoMatchAMap) {
  const Scenario s = GetParam();
  std::mt19937 rng(0x5eed);
  constexpr int kLo = -20;  // a domain of 40^3 voxels: 4^3 blocks, partly negative
  constexpr int kHi = 19;
  std::uniform_int_distribution<int> coord(kLo, kHi);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> color_index(0, s.palette - 1);
  const auto random_color = [&]() -> Color {
    if (percent(rng) < 25) {
      return percent(rng) < 50 ? kEmpty : Color{12, 34, 56, 0};  // alpha 0 with colour bits still empties
    }
    const auto k = static_cast<std::uint32_t>(color_index(rng));
    return Color::from_packed((k * 2654435761U) | 0xffU);
  };
  // What reading back a write must give: the colour, or any empty voxel for an empty colour.
  const auto reads_back = [](Color got, Color c) { return c.empty() ? got.empty() : got == c; };

  Volume v;
  Model m;
  std::vector<std::pair<Volume, Model>> snapshots;
  struct Step {
    BlockChanges changes;
    Model before;
    Model after;
  };
  std::vector<Step> undo;
  std::vector<Step> redo;
  for (int step = 0; step < 40; ++step) {
    const bool record = percent(rng) < 70;
    CountingAllowance allowance;
    const std::size_t blocks_before = block_bytes_of(v);
    const Model model_before = m;
    if (record) {
      v.start_recording(&allowance);
    }
    const int ops = 1 + percent(rng) * 3;
    VolumeAccessor acc(v);
    VolumeAccessor other(v);
    for (int i = 0; i < ops; ++i) {
      const int kind = percent(rng);
      if (kind < s.fill_chance) {
        const Vec3i a{coord(rng), coord(rng), coord(rng)};
        std::uniform_int_distribution<int> extent(0, 24);  // partial and whole blocks
        const Vec3i b{std::min(a.x + extent(rng), kHi), std::min(a.y + extent(rng), kHi),
                      std::min(a.z + extent(rng), kHi)};
        const Box box{a, b};
        const Color c = random_color();
        v.fill_box(box, c);
        for (int z = box.min.z; z <= box.max.z; ++z) {
          for (int y = box.min.y; y <= box.max.y; ++y) {
            for (int x = box.min.x; x <= box.max.x; ++x) {
              model_set(m, {x, y, z}, c);
            }
          }
        }
      } else if (kind < s.fill_chance + 2) {
        // A shared uniform tile, as shapes put them, or an erased block.
        const BlockCoord bc{coord(rng) >> kBlockShift, coord(rng) >> kBlockShift, coord(rng) >> kBlockShift};
        const Color c = random_color();
        if (c.empty()) {
          v.erase_block(bc);
        } else {
          v.put_block(bc, SharedBlock::make_filled(c));
        }
        const Vec3i o = bc.origin();
        for (int z = 0; z < kBlockEdge; ++z) {
          for (int y = 0; y < kBlockEdge; ++y) {
            for (int x = 0; x < kBlockEdge; ++x) {
              model_set(m, o + Vec3i{x, y, z}, c);
            }
          }
        }
      } else if (kind < s.fill_chance + 8) {
        // A bulk write (set_many) of scattered and repeated positions, then a bulk read (get_many) of them.
        std::vector<Vec3i> positions;
        std::vector<Color> colors;
        const int count = 1 + percent(rng) * 2;
        for (int k = 0; k < count; ++k) {
          const Vec3i p = (k > 0 && percent(rng) < 20) ? positions[static_cast<std::size_t>(k - 1)]
                                                       : Vec3i{coord(rng), coord(rng), coord(rng)};
          positions.push_back(p);
          colors.push_back(random_color());
        }
        acc.set_many(positions, colors);
        for (std::size_t k = 0; k < positions.size(); ++k) {
          model_set(m, positions[k], colors[k]);
        }
        std::vector<Color> read(positions.size());
        v.get_many(positions, read);
        for (std::size_t k = 0; k < positions.size(); ++k) {
          const auto it = m.find({positions[k].x, positions[k].y, positions[k].z});
          ASSERT_TRUE(reads_back(read[k], it == m.end() ? kEmpty : Color::from_packed(it->second))) << k;
        }
      } else if (kind == 99 && percent(rng) < 10) {
        v.clear();
        m.clear();
      } else {
        // A cluster of writes near one point, so the accessors' caches hit as well as miss.
        const Vec3i p0{coord(rng), coord(rng), coord(rng)};
        std::uniform_int_distribution<int> near(-2, 2);
        const int run = 1 + percent(rng) % 8;
        for (int k = 0; k < run; ++k) {
          const Vec3i p{std::clamp(p0.x + near(rng), kLo, kHi), std::clamp(p0.y + near(rng), kLo, kHi),
                        std::clamp(p0.z + near(rng), kLo, kHi)};
          const Color c = random_color();
          const int how = percent(rng);
          if (how < 40) {
            acc.set(p, c);
          } else if (how < 60) {
            other.set(p, c);
          } else {
            v.set(p, c);
          }
          model_set(m, p, c);
          ASSERT_TRUE(reads_back(acc.get(p), c));
          ASSERT_TRUE(reads_back(other.get(p), c));
          ASSERT_TRUE(reads_back(v.get(p), c));
        }
      }
    }
    if (record) {
      Step st{v.stop_recording(), model_before, m};
      // Every block allocated while recording was reserved first.
      const std::size_t blocks_after = block_bytes_of(v);
      if (blocks_after > blocks_before) {
        EXPECT_GE(allowance.reserved, blocks_after - blocks_before) << s.name << " step " << step;
      }
      undo.push_back(std::move(st));
      redo.clear();
    } else {
      // Changes outside a recording invalidate the steps, as a project never does.
      undo.clear();
      redo.clear();
    }
    const int action = percent(rng);
    if (action < 25) {
      snapshots.emplace_back(v, m);  // a snapshot shares every block
    } else if (action < 45 && !undo.empty()) {
      Step st = std::move(undo.back());
      undo.pop_back();
      v.swap_blocks(st.changes);
      m = st.before;
      redo.push_back(std::move(st));
    } else if (action < 55 && !redo.empty()) {
      Step st = std::move(redo.back());
      redo.pop_back();
      v.swap_blocks(st.changes);
      m = st.after;
      undo.push_back(std::move(st));
    } else if (action < 60 && !snapshots.empty()) {
      v = snapshots.back().first;  // back to a snapshot, whose voxels later writes must not have touched
      m = snapshots.back().second;
      undo.clear();
      redo.clear();
    }
    ASSERT_NO_FATAL_FAILURE(expect_matches(v, m, kLo, kHi)) << s.name << " step " << step;
  }
  for (const auto& [snapshot, model] : snapshots) {
    ASSERT_NO_FATAL_FAILURE(expect_matches(snapshot, model, kLo, kHi)) << s.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Mixes, VolumeModel,
                         ::testing::Values(Scenario{"few_colors", 3, 5}, Scenario{"palette", 200, 5},
                                           Scenario{"many_colors", 100000, 5}, Scenario{"fills", 20, 40}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// One block under random set, fill runs, whole fills, copies and copy-on-write, against an array: every voxel, the
// count and the occupancy mask after every operation.
TEST(BlockFuzz, RandomWritesMatchAnArray) {
  std::mt19937 rng(0xb10c);
  std::uniform_int_distribution<int> index(0, kBlockVoxels - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  SharedBlock shared = SharedBlock::make_empty();
  std::array<Color, kBlockVoxels> expected{};
  const auto color = [&]() -> Color {
    const int k = percent(rng);
    if (k < 30) {
      return kEmpty;
    }
    return Color::from_packed((static_cast<std::uint32_t>(k % 7) * 0x01020300U) | 0xffU);
  };
  for (int round = 0; round < 2000; ++round) {
    const int kind = percent(rng);
    const SharedBlock keep = shared;  // sometimes a snapshot holds it: the write must copy
    const std::array<Color, kBlockVoxels> kept = expected;
    if (kind < 2) {
      const Color c = color();
      shared = SharedBlock::make_filled(c);
      expected.fill(c.empty() ? kEmpty : c);
    } else if (kind < 20) {
      const int first = index(rng);
      const int count = 1 + (index(rng) % (kBlockVoxels - first));
      const Color c = color();
      Block& b = shared.make_unique();
      const int before = b.filled();
      const int delta = b.fill(first, count, c);
      EXPECT_EQ(b.filled(), before + delta);
      std::fill_n(expected.begin() + first, count, c);
    } else {
      const int i = index(rng);
      const Color c = color();
      Block& b = shared.make_unique();
      const int before = b.filled();
      const int delta = b.set(i, c);
      EXPECT_EQ(b.filled(), before + delta);
      expected[static_cast<std::size_t>(i)] = c;
    }
    int count = 0;
    const Block::Occupancy occupancy = shared->occupancy();
    for (int i = 0; i < kBlockVoxels; ++i) {
      const Color want = expected[static_cast<std::size_t>(i)];
      const bool bit = ((occupancy[static_cast<std::size_t>(i / 64)] >> (i % 64)) & 1U) != 0;
      ASSERT_EQ(bit, !want.empty()) << "round " << round << " voxel " << i;
      if (!want.empty()) {
        ASSERT_EQ(shared->get(i), want) << "round " << round << " voxel " << i;
      }
      count += static_cast<int>(!want.empty());
    }
    ASSERT_EQ(shared->filled(), count) << "round " << round;
    for (int i = 0; i < kBlockVoxels; ++i) {
      const Color was = kept[static_cast<std::size_t>(i)];
      if (!was.empty()) {
        ASSERT_EQ(keep->get(i), was) << "the snapshot changed, round " << round;
      }
    }
  }
}

}  // namespace
}  // namespace voxd::core
