// Property tests of Volume against a plain std::map model: random sequences of set, fill_box, snapshots and
// undo-like restores, checked voxel by voxel, with exact byte accounting. The colour mixes are chosen to drive
// blocks through every encoding (sparse, uniform, palette, dense) and back, i.e. promotion and demotion.
#include <gtest/gtest.h>

#include <array>
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

// Every voxel of a small domain, the voxel count, the block accounting and for_each_voxel agree with the model.
void expect_matches(const Volume& v, const Model& m, int lo, int hi) {
  ASSERT_EQ(v.voxel_count(), static_cast<std::int64_t>(m.size()));
  for (int z = lo; z <= hi; ++z) {
    for (int y = lo; y <= hi; ++y) {
      for (int x = lo; x <= hi; ++x) {
        const auto it = m.find({x, y, z});
        const Color expected = it == m.end() ? kEmpty : Color::from_packed(it->second);
        ASSERT_EQ(v.get({x, y, z}), expected) << x << ' ' << y << ' ' << z;
      }
    }
  }
  std::size_t visited = 0;
  v.for_each_voxel([&](Vec3i p, Color c) {
    ++visited;
    const auto it = m.find({p.x, p.y, p.z});
    ASSERT_NE(it, m.end());
    EXPECT_EQ(c.packed(), it->second);
  });
  EXPECT_EQ(visited, m.size());
  std::size_t block_bytes = 0;
  v.for_each_block([&](BlockCoord, const SharedBlock& b) {
    EXPECT_GT(b->filled(), 0);
    EXPECT_GE(b->heap_bytes(), sizeof(Block));
    block_bytes += b->heap_bytes();
  });
  EXPECT_GT(v.heap_bytes(), block_bytes);
}

struct Scenario {
  const char* name;
  int palette;      // distinct colours drawn from (more than 256: blocks go dense)
  int fill_chance;  // in 1/100: how often an operation is a fill_box instead of a set
};

class VolumeModel : public ::testing::TestWithParam<Scenario> {};

TEST_P(VolumeModel, RandomOperationsSnapshotsAndUndoMatchAMap) {
  const Scenario s = GetParam();
  std::mt19937 rng(0x5eed);
  constexpr int kLo = -20;  // a domain of 40^3 voxels: 3^3 blocks, partly negative
  constexpr int kHi = 19;
  std::uniform_int_distribution<int> coord(kLo, kHi);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> color_index(0, s.palette - 1);
  const auto random_color = [&]() -> Color {
    if (percent(rng) < 25) {
      return kEmpty;
    }
    const auto k = static_cast<std::uint32_t>(color_index(rng));
    return Color::from_packed((k * 2654435761U) | 0xffU);
  };

  Volume v;
  Model m;
  std::vector<std::pair<Volume, Model>> history;  // undo steps: whole snapshots, as Project keeps them
  for (int step = 0; step < 20; ++step) {
    const int ops = 1 + percent(rng) * 5;
    VolumeAccessor acc(v);
    for (int i = 0; i < ops; ++i) {
      if (percent(rng) < s.fill_chance) {
        const Vec3i a{coord(rng), coord(rng), coord(rng)};
        std::uniform_int_distribution<int> extent(0, 18);  // up to 19^3: partial and whole blocks, cheap to model
        const Vec3i b{std::min(a.x + extent(rng), kHi), std::min(a.y + extent(rng), kHi),
                      std::min(a.z + extent(rng), kHi)};
        const Box box{{std::min(a.x, b.x), std::min(a.y, b.y), std::min(a.z, b.z)},
                      {std::max(a.x, b.x), std::max(a.y, b.y), std::max(a.z, b.z)}};
        const Color c = random_color();
        v.fill_box(box, c);
        for (int z = box.min.z; z <= box.max.z; ++z) {
          for (int y = box.min.y; y <= box.max.y; ++y) {
            for (int x = box.min.x; x <= box.max.x; ++x) {
              model_set(m, {x, y, z}, c);
            }
          }
        }
      } else {
        const Vec3i p{coord(rng), coord(rng), coord(rng)};
        const Color c = random_color();
        if (percent(rng) < 50) {
          acc.set(p, c);
        } else {
          v.set(p, c);
        }
        model_set(m, p, c);
        ASSERT_EQ(acc.get(p), c.empty() ? kEmpty : c);
      }
    }
    const int action = percent(rng);
    if (action < 40) {
      history.emplace_back(v, m);  // a snapshot shares every block
    } else if (action < 55 && !history.empty()) {
      v = history.back().first;  // undo: back to the snapshot, whose voxels later writes must not have touched
      m = history.back().second;
      history.pop_back();
    }
    ASSERT_NO_FATAL_FAILURE(expect_matches(v, m, kLo, kHi)) << s.name << " step " << step;
  }
  for (const auto& [snapshot, model] : history) {
    ASSERT_NO_FATAL_FAILURE(expect_matches(snapshot, model, kLo, kHi)) << s.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Encodings, VolumeModel,
                         ::testing::Values(Scenario{"few_colors", 3, 5}, Scenario{"palette", 200, 5},
                                           Scenario{"dense", 100000, 5}, Scenario{"fills", 20, 40}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// Walks one block through every encoding and back and checks the encoding chosen and every voxel on the way.
TEST(BlockEncoding, PromotesAndDemotes) {
  SharedBlock shared = SharedBlock::make_empty();
  Block& b = shared.make_unique();
  std::array<Color, kBlockVoxels> expected{};
  const auto check = [&](Block::Encoding encoding) {
    EXPECT_EQ(b.encoding(), encoding);
    for (int i = 0; i < kBlockVoxels; ++i) {
      ASSERT_EQ(b.get(i), expected[static_cast<std::size_t>(i)]) << i;
    }
    EXPECT_EQ(b.decoded(), expected);
  };
  const auto put = [&](int i, Color c) {
    b.set(i, c);
    expected[static_cast<std::size_t>(i)] = c;
  };
  const Color red{255, 0, 0, 255};
  for (int i = 0; i < Block::kSparseMax; ++i) {
    put(i * 7 % kBlockVoxels, red);
  }
  check(Block::Encoding::sparse);
  EXPECT_LT(b.heap_bytes(), 1024U);
  for (int i = 0; i < kBlockVoxels; ++i) {
    put(i, i % 3 == 0 ? Color{0, 0, 255, 255} : red);
  }
  check(Block::Encoding::palette);
  EXPECT_LE(b.heap_bytes(), kBlockVoxels * 3 / 2);  // at most 1.5 bytes per voxel
  for (int i = 0; i < kBlockVoxels; ++i) {
    put(i, Color::from_packed((static_cast<std::uint32_t>(i) << 8U) | 0xffU));
  }
  check(Block::Encoding::dense);
  EXPECT_LE(b.heap_bytes(), static_cast<std::size_t>(kBlockVoxels * 4.2));
  for (int i = 0; i < kBlockVoxels; ++i) {
    put(i, red);
  }
  // Demotion is checked when the count of voxels changes (a full block overwritten stays as it is).
  put(0, kEmpty);
  put(0, red);
  check(Block::Encoding::uniform);  // full of one colour: demoted
  EXPECT_LE(b.heap_bytes(), 64U);
  for (int i = 10; i < kBlockVoxels; ++i) {
    put(i, kEmpty);
  }
  check(Block::Encoding::sparse);   // few voxels left: demoted
  const SharedBlock copy = shared;  // copy-on-write copies keep the encoding and the bytes
  EXPECT_EQ(copy->heap_bytes(), b.heap_bytes());
}

}  // namespace
}  // namespace voxd::core
