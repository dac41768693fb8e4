// The core volume benchmarks: voxd::core::Volume side by side with OpenVDB's tree (the reference sparse voxel
// structure) in the same run, so both see the same machine load.
//
// Names are "<scenario>/<implementation>". Implementations: "voxd" (Volume's own methods), "voxd_accessor"
// (VolumeAccessor) and "openvdb" (Tree4<uint32_t,5,4,4> with a ValueAccessor). scripts/bench_ratios.py pairs every
// voxd implementation with openvdb of the same scenario. Random scenarios use the same coordinates and colours
// (fixed seed) on both sides. Rates are the counter voxels_per_second, memory the counters bytes_per_voxel (the
// structure's own accounting) and rss_bytes_per_voxel (growth of the resident set).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "voxd/core/formats/format.hpp"
#include "voxd/core/ops.hpp"
#include "voxd/core/project.hpp"
#include "voxd/core/volume.hpp"

#if VOXD_HAVE_OPENVDB
#include <openvdb/openvdb.h>
#include <openvdb/tree/Tree.h>
#include <openvdb/tree/ValueAccessor.h>
#include <tbb/global_control.h>
#endif

namespace {

using voxd::core::BlockCoord;
using voxd::core::Box;
using voxd::core::Color;
using voxd::core::SharedBlock;
using voxd::core::Vec3i;
using voxd::core::Volume;
using voxd::core::VolumeAccessor;

constexpr int kDenseEdge = 256;  // the dense box [0,256)^3: 16M voxels
constexpr double kDenseVoxels = double{kDenseEdge} * kDenseEdge * kDenseEdge;
constexpr std::size_t kRandomCount = std::size_t{1} << 20;  // 1M random accesses
constexpr int kSparseEdge = 1024;                           // the sparse-memory domain [0,1024)^3
constexpr std::uint64_t kSeed = 0x766f7864;                 // "voxd"

struct RandomVoxels {
  std::vector<Vec3i> points;
  std::vector<std::uint32_t> colors;  // packed RGBA, alpha never 0
};

RandomVoxels make_random_voxels(std::size_t count, int edge) {
  std::mt19937_64 rng(kSeed);
  std::uniform_int_distribution<int> coord(0, edge - 1);
  RandomVoxels r;
  r.points.reserve(count);
  r.colors.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const int x = coord(rng);
    const int y = coord(rng);
    const int z = coord(rng);
    r.points.push_back({x, y, z});
    r.colors.push_back(static_cast<std::uint32_t>(rng()) | 1U);
  }
  return r;
}

// A colour that differs from voxel to voxel, so neither side can collapse the dense box into constant tiles.
std::uint32_t dense_color(int x, int y, int z) {
  const std::uint32_t h = (static_cast<std::uint32_t>(x) * 73856093U) ^ (static_cast<std::uint32_t>(y) * 19349663U) ^
                          (static_cast<std::uint32_t>(z) * 83492791U);
  return h | 1U;
}

void set_rate(benchmark::State& state, double voxels_per_iteration) {
  state.counters["voxels_per_second"] =
      benchmark::Counter(voxels_per_iteration * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t total_pages = 0;
  std::size_t resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// The resident set after handing free heap pages back: before a measurement, so memory freed by earlier benchmarks
// is not reused unseen; after it, so what building freed (voxd's dense blocks before compaction) is not counted as
// held.
std::size_t resident_baseline() {
  malloc_trim(0);
  return resident_bytes();
}

void set_memory_counters(benchmark::State& state, double structure_bytes, std::size_t rss_before, std::size_t rss_after,
                         double voxels) {
  state.counters["bytes_per_voxel"] = structure_bytes / voxels;
  state.counters["rss_bytes_per_voxel"] = static_cast<double>(rss_after - rss_before) / voxels;
  state.counters["voxels"] = voxels;
}

// ---------------------------------------------------------------------------------------------------------------
// voxd

// Fills the dense box in voxd's native order (x fastest: the order of voxels inside a block).
void voxd_fill_dense(Volume& v) {
  VolumeAccessor a(v);
  for (int z = 0; z < kDenseEdge; ++z) {
    for (int y = 0; y < kDenseEdge; ++y) {
      for (int x = 0; x < kDenseEdge; ++x) {
        a.set({x, y, z}, Color::from_packed(dense_color(x, y, z)));
      }
    }
  }
}

Volume voxd_dense_volume() {
  Volume v;
  voxd_fill_dense(v);
  return v;
}

template <bool kUseAccessor>
void voxd_set_random(Volume& v, const RandomVoxels& r) {
  if constexpr (kUseAccessor) {
    VolumeAccessor a(v);
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      a.set(r.points[i], Color::from_packed(r.colors[i]));
    }
  } else {
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      v.set(r.points[i], Color::from_packed(r.colors[i]));
    }
  }
}

template <bool kUseAccessor>
void voxd_set_random_existing(benchmark::State& state) {
  Volume v = voxd_dense_volume();
  const RandomVoxels r = make_random_voxels(kRandomCount, kDenseEdge);
  for (auto _ : state) {
    voxd_set_random<kUseAccessor>(v, r);
    benchmark::ClobberMemory();
  }
  set_rate(state, kRandomCount);
}

template <bool kUseAccessor>
void voxd_set_random_empty(benchmark::State& state) {
  const RandomVoxels r = make_random_voxels(kRandomCount, kDenseEdge);
  Volume v;
  for (auto _ : state) {
    state.PauseTiming();
    v.clear();
    state.ResumeTiming();
    voxd_set_random<kUseAccessor>(v, r);
    benchmark::ClobberMemory();
  }
  set_rate(state, kRandomCount);
}

void voxd_fill_box(benchmark::State& state) {
  Volume v;
  for (auto _ : state) {
    state.PauseTiming();
    v.clear();
    state.ResumeTiming();
    voxd_fill_dense(v);
    benchmark::ClobberMemory();
  }
  set_rate(state, kDenseVoxels);
}

constexpr std::uint32_t kBulkColor = 0xc08040ffU;

void voxd_fill_box_bulk(benchmark::State& state) {
  Volume v;
  for (auto _ : state) {
    state.PauseTiming();
    v.clear();
    state.ResumeTiming();
    v.fill_box({{0, 0, 0}, {kDenseEdge - 1, kDenseEdge - 1, kDenseEdge - 1}}, Color::from_packed(kBulkColor));
    benchmark::ClobberMemory();
  }
  set_rate(state, kDenseVoxels);
}

template <bool kUseAccessor>
void voxd_get_random(benchmark::State& state) {
  Volume v = voxd_dense_volume();
  const RandomVoxels r = make_random_voxels(kRandomCount, kDenseEdge);
  for (auto _ : state) {
    std::uint32_t sum = 0;
    if constexpr (kUseAccessor) {
      VolumeAccessor a(v);
      for (const Vec3i p : r.points) {
        sum += a.get(p).packed();
      }
    } else {
      for (const Vec3i p : r.points) {
        sum += v.get(p).packed();
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  set_rate(state, kRandomCount);
}

// The daemon's bulk calls (get_voxels, set_voxels): one call with 1M random positions.
void voxd_get_random_bulk(benchmark::State& state) {
  Volume v = voxd_dense_volume();
  const RandomVoxels r = make_random_voxels(kRandomCount, kDenseEdge);
  std::vector<Color> out(r.points.size());
  for (auto _ : state) {
    v.get_many(r.points, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_rate(state, kRandomCount);
}

void voxd_set_random_existing_bulk(benchmark::State& state) {
  Volume v = voxd_dense_volume();
  const RandomVoxels r = make_random_voxels(kRandomCount, kDenseEdge);
  std::vector<Color> colors;
  colors.reserve(r.colors.size());
  for (const std::uint32_t c : r.colors) {
    colors.push_back(Color::from_packed(c));
  }
  for (auto _ : state) {
    VolumeAccessor a(v);
    a.set_many(r.points, colors);
    benchmark::ClobberMemory();
  }
  set_rate(state, kRandomCount);
}

void voxd_iterate_voxels(benchmark::State& state) {
  const Volume v = voxd_dense_volume();
  for (auto _ : state) {
    std::uint32_t sum = 0;
    v.for_each_voxel(
        [&sum](Vec3i p, Color c) { sum += std::bit_cast<std::uint32_t>(c) + static_cast<std::uint32_t>(p.x); });
    benchmark::DoNotOptimize(sum);
  }
  set_rate(state, kDenseVoxels);
}

void voxd_iterate_blocks(benchmark::State& state) {
  const Volume v = voxd_dense_volume();
  for (auto _ : state) {
    std::uint32_t sum = 0;
    v.for_each_block([&sum](BlockCoord, const SharedBlock& block) {
      if (const std::uint32_t* voxels = block->dense_bits(); voxels != nullptr) {
        for (int i = 0; i < voxd::core::kBlockVoxels; ++i) {
          sum += voxels[i];  // the raw 32 bits, as OpenVDB's side reads them
        }
      } else {
        block->for_each_filled([&sum](int /*index*/, Color c) { sum += std::bit_cast<std::uint32_t>(c); });
      }
    });
    benchmark::DoNotOptimize(sum);
  }
  set_rate(state, kDenseVoxels);
}

void voxd_snapshot(benchmark::State& state) {
  const Volume v = voxd_dense_volume();
  for (auto _ : state) {
    const Volume snapshot(v);  // taken and released each iteration
    benchmark::DoNotOptimize(&snapshot);
  }
  set_rate(state, kDenseVoxels);
}

void voxd_memory_dense(benchmark::State& state) {
  for (auto _ : state) {
    const std::size_t before = resident_baseline();
    const Volume v = voxd_dense_volume();
    const std::size_t after = resident_baseline();  // freed pages handed back: what the structure holds
    set_memory_counters(state, static_cast<double>(v.memory_bytes()), before, after,
                        static_cast<double>(v.voxel_count()));
  }
}

// The filled 256³ box in one colour: 4096 whole blocks, each all one colour (a uniform block; OpenVDB: constant
// tiles from Tree::fill). Bytes per 16³ block, map or internal nodes included.
constexpr double kUniformBlocks = double{kDenseEdge / 16} * (kDenseEdge / 16) * (kDenseEdge / 16);
void voxd_memory_uniform(benchmark::State& state) {
  for (auto _ : state) {
    Volume v;
    v.fill_box({{0, 0, 0}, {kDenseEdge - 1, kDenseEdge - 1, kDenseEdge - 1}}, Color{90, 160, 40, 255});
    state.counters["bytes_per_block"] = static_cast<double>(v.memory_bytes()) / kUniformBlocks;
    state.counters["block_heap_bytes"] = static_cast<double>(v.find_block({0, 0, 0})->heap_bytes());  // without the map
  }
}

void voxd_memory_sparse(benchmark::State& state) {
  const RandomVoxels r = make_random_voxels(kRandomCount, kSparseEdge);
  for (auto _ : state) {
    const std::size_t before = resident_baseline();
    Volume v;
    voxd_set_random<true>(v, r);
    const std::size_t after = resident_baseline();  // freed pages handed back: what the structure holds
    set_memory_counters(state, static_cast<double>(v.memory_bytes()), before, after,
                        static_cast<double>(v.voxel_count()));
  }
}

// Editing operations through the accessor, as the daemon runs them: a sphere of radius 100 painted over the filled
// 256³ box (every voxel inside is read and written), and a flood fill of the empty space in a 128³ box.
void voxd_shape_sphere(benchmark::State& state) {
  voxd::core::Project project("bench");
  project.mutable_state().layers.front().volume = voxd_dense_volume();
  double voxels = 0;
  for (auto _ : state) {
    const voxd::core::ShapeParams shape{voxd::core::ShapeKind::sphere, Box{{28, 28, 28}, {228, 228, 228}},
                                        Color{10, 200, 30, 255}, voxd::core::BlendMode::over};
    auto changed = voxd::core::apply_shape(project, voxd::core::kActiveLayer, shape);
    voxels = changed.ok() ? static_cast<double>(*changed) : 0;
    benchmark::DoNotOptimize(voxels);
  }
  set_rate(state, 4.0 / 3.0 * 3.14159265358979 * 100.5 * 100.5 * 100.5);
}

void voxd_flood_fill(benchmark::State& state) {
  constexpr int kEdge = 128;
  for (auto _ : state) {
    state.PauseTiming();
    voxd::core::Project project("bench");
    state.ResumeTiming();
    voxd::core::FloodFillParams fill;
    fill.seed = {0, 0, 0};
    fill.color = Color{200, 20, 20, 255};
    fill.bounds = Box{{0, 0, 0}, {kEdge - 1, kEdge - 1, kEdge - 1}};
    auto filled = voxd::core::flood_fill(project, voxd::core::kActiveLayer, fill);
    benchmark::DoNotOptimize(filled.ok());
  }
  set_rate(state, double{kEdge} * kEdge * kEdge);
}

// Real models, for the memory targets: what users store. Each is a set of volumes (a file's layers).
std::vector<Volume> model_volumes(const std::string& model) {
  std::vector<Volume> out;
  if (model == "magicavoxel") {
    // Every sample file in shared/fixtures/magicavoxel (VOXD_FIXTURES overrides the directory).
    const char* env = std::getenv("VOXD_FIXTURES");
    const std::filesystem::path dir = env != nullptr
                                          ? std::filesystem::path(env) / "magicavoxel"
                                          : std::filesystem::path(VOXD_SOURCE_DIR) / "../shared/fixtures/magicavoxel";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".vox") {
        continue;
      }
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      voxd::core::formats::Bytes bytes(text.size());
      std::memcpy(bytes.data(), text.data(), text.size());
      auto state = voxd::core::formats::read_bytes(bytes, entry.path().filename().string(), voxd::core::ReadLimits{});
      if (!state.ok()) {
        continue;
      }
      for (auto& layer : state->layers) {
        out.push_back(std::move(layer.volume));
      }
    }
    return out;
  }
  Volume v;
  VolumeAccessor a(v);
  if (model == "sphere") {  // a solid sphere of radius 100, one colour
    constexpr int kR = 100;
    for (int z = -kR; z <= kR; ++z) {
      for (int y = -kR; y <= kR; ++y) {
        for (int x = -kR; x <= kR; ++x) {
          if (x * x + y * y + z * z <= kR * kR) {
            a.set({x, y, z}, Color{200, 120, 60, 255});
          }
        }
      }
    }
  } else if (model == "terrain") {  // a 512x512 height field, coloured by height band (grass, rock, snow...)
    constexpr int kEdge = 512;
    for (int z = 0; z < kEdge; ++z) {
      for (int x = 0; x < kEdge; ++x) {
        const double h = 40.0 + 20.0 * std::sin(x * 0.031) * std::cos(z * 0.027) + 8.0 * std::sin((x + z) * 0.11);
        const int top = static_cast<int>(h);
        for (int y = 0; y <= top; ++y) {
          const auto band = static_cast<std::uint8_t>(std::min(y / 8, 7));
          a.set({x, y, z},
                Color{static_cast<std::uint8_t>(30 * band), static_cast<std::uint8_t>(200 - 20 * band), 60, 255});
        }
      }
    }
  }
  v.compact();  // what the end of the edit step that drew it does in a project
  out.push_back(std::move(v));
  return out;
}

template <int kModel>
void voxd_memory_model(benchmark::State& state) {
  static constexpr const char* kNames[] = {"magicavoxel", "sphere", "terrain"};
  for (auto _ : state) {
    const std::size_t before = resident_baseline();
    const std::vector<Volume> volumes = model_volumes(kNames[kModel]);
    const std::size_t after = resident_baseline();  // freed pages handed back: what the structure holds
    double bytes = 0;
    double voxels = 0;
    for (const Volume& v : volumes) {
      bytes += static_cast<double>(v.memory_bytes());
      voxels += static_cast<double>(v.voxel_count());
    }
    set_memory_counters(state, bytes, before, after, voxels);
    state.counters["volumes"] = static_cast<double>(volumes.size());
  }
}

// ---------------------------------------------------------------------------------------------------------------
// OpenVDB

#if VOXD_HAVE_OPENVDB

using VdbTree = openvdb::tree::Tree4<std::uint32_t, 5, 4, 4>::Type;
using VdbAccessor = openvdb::tree::ValueAccessor<VdbTree>;

// Fills the dense box in OpenVDB's native order (z fastest: the order of values inside a leaf).
void vdb_fill_dense(VdbTree& tree) {
  VdbAccessor a(tree);
  for (int x = 0; x < kDenseEdge; ++x) {
    for (int y = 0; y < kDenseEdge; ++y) {
      for (int z = 0; z < kDenseEdge; ++z) {
        a.setValue(openvdb::Coord(x, y, z), dense_color(x, y, z));
      }
    }
  }
}

void vdb_set_random(VdbTree& tree, const RandomVoxels& r) {
  VdbAccessor a(tree);
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const Vec3i p = r.points[i];
    a.setValue(openvdb::Coord(p.x, p.y, p.z), r.colors[i]);
  }
}

void vdb_set_random_existing(benchmark::State& state) {
  VdbTree tree(0U);
  vdb_fill_dense(tree);
  const RandomVoxels r = make_random_voxels(kRandomCount, kDenseEdge);
  for (auto _ : state) {
    vdb_set_random(tree, r);
    benchmark::ClobberMemory();
  }
  set_rate(state, kRandomCount);
}

void vdb_set_random_empty(benchmark::State& state) {
  const RandomVoxels r = make_random_voxels(kRandomCount, kDenseEdge);
  VdbTree tree(0U);
  for (auto _ : state) {
    state.PauseTiming();
    tree.clear();
    state.ResumeTiming();
    vdb_set_random(tree, r);
    benchmark::ClobberMemory();
  }
  set_rate(state, kRandomCount);
}

void vdb_fill_box(benchmark::State& state) {
  VdbTree tree(0U);
  for (auto _ : state) {
    state.PauseTiming();
    tree.clear();
    state.ResumeTiming();
    vdb_fill_dense(tree);
    benchmark::ClobberMemory();
  }
  set_rate(state, kDenseVoxels);
}

// denseFill, not fill: fill() would store the box as a few constant tiles instead of voxels.
void vdb_fill_box_bulk(benchmark::State& state) {
  VdbTree tree(0U);
  for (auto _ : state) {
    state.PauseTiming();
    tree.clear();
    state.ResumeTiming();
    tree.denseFill(openvdb::CoordBBox(openvdb::Coord(0), openvdb::Coord(kDenseEdge - 1)), kBulkColor, true);
    benchmark::ClobberMemory();
  }
  set_rate(state, kDenseVoxels);
}

void vdb_get_random(benchmark::State& state) {
  VdbTree tree(0U);
  vdb_fill_dense(tree);
  const RandomVoxels r = make_random_voxels(kRandomCount, kDenseEdge);
  for (auto _ : state) {
    std::uint32_t sum = 0;
    VdbAccessor a(tree);
    for (const Vec3i p : r.points) {
      sum += a.getValue(openvdb::Coord(p.x, p.y, p.z));
    }
    benchmark::DoNotOptimize(sum);
  }
  set_rate(state, kRandomCount);
}

void vdb_iterate_voxels(benchmark::State& state) {
  VdbTree tree(0U);
  vdb_fill_dense(tree);
  for (auto _ : state) {
    std::uint32_t sum = 0;
    for (auto it = tree.cbeginValueOn(); it; ++it) {
      sum += *it + static_cast<std::uint32_t>(it.getCoord().x());
    }
    benchmark::DoNotOptimize(sum);
  }
  set_rate(state, kDenseVoxels);
}

void vdb_iterate_blocks(benchmark::State& state) {
  VdbTree tree(0U);
  vdb_fill_dense(tree);
  for (auto _ : state) {
    std::uint32_t sum = 0;
    for (auto leaf = tree.cbeginLeaf(); leaf; ++leaf) {
      const std::uint32_t* values = leaf->buffer().data();
      for (openvdb::Index i = 0; i < VdbTree::LeafNodeType::SIZE; ++i) {
        sum += values[i];
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  set_rate(state, kDenseVoxels);
}

void vdb_snapshot(benchmark::State& state) {
  VdbTree tree(0U);
  vdb_fill_dense(tree);
  for (auto _ : state) {
    const VdbTree snapshot(tree);  // a deep copy: OpenVDB trees do not share nodes
    benchmark::DoNotOptimize(&snapshot);
  }
  set_rate(state, kDenseVoxels);
}

void vdb_memory_dense(benchmark::State& state) {
  for (auto _ : state) {
    const std::size_t before = resident_baseline();
    VdbTree tree(0U);
    vdb_fill_dense(tree);
    const std::size_t after = resident_baseline();  // freed pages handed back: what the structure holds
    set_memory_counters(state, static_cast<double>(tree.memUsage()), before, after,
                        static_cast<double>(tree.activeVoxelCount()));
  }
}

void vdb_memory_uniform(benchmark::State& state) {
  for (auto _ : state) {
    VdbTree tree(0U);
    tree.fill(openvdb::CoordBBox(openvdb::Coord(0), openvdb::Coord(kDenseEdge - 1)), 0x5AA028FFU, true);
    state.counters["bytes_per_block"] = static_cast<double>(tree.memUsage()) / kUniformBlocks;
  }
}

void vdb_memory_sparse(benchmark::State& state) {
  const RandomVoxels r = make_random_voxels(kRandomCount, kSparseEdge);
  for (auto _ : state) {
    const std::size_t before = resident_baseline();
    VdbTree tree(0U);
    vdb_set_random(tree, r);
    const std::size_t after = resident_baseline();  // freed pages handed back: what the structure holds
    set_memory_counters(state, static_cast<double>(tree.memUsage()), before, after,
                        static_cast<double>(tree.activeVoxelCount()));
  }
}

// The sphere of voxd_shape_sphere, with the same inside test per voxel, through OpenVDB's accessor.
void vdb_shape_sphere(benchmark::State& state) {
  VdbTree tree(0U);
  vdb_fill_dense(tree);
  for (auto _ : state) {
    VdbAccessor a(tree);
    const std::uint32_t color = Color{10, 200, 30, 255}.packed();
    const double c = 128.0;
    const double r = 100.5;
    for (int x = 28; x <= 228; ++x) {
      for (int y = 28; y <= 228; ++y) {
        for (int z = 28; z <= 228; ++z) {
          const double dx = (x - c) / r;
          const double dy = (y - c) / r;
          const double dz = (z - c) / r;
          if (dx * dx + dy * dy + dz * dz <= 1.0) {
            const openvdb::Coord p(x, y, z);
            benchmark::DoNotOptimize(a.getValue(p));
            a.setValue(p, color);
          }
        }
      }
    }
  }
  set_rate(state, 4.0 / 3.0 * 3.14159265358979 * 100.5 * 100.5 * 100.5);
}

// The same models, copied voxel by voxel into OpenVDB trees (one per volume).
template <int kModel>
void vdb_memory_model(benchmark::State& state) {
  static constexpr const char* kNames[] = {"magicavoxel", "sphere", "terrain"};
  const std::vector<Volume> volumes = model_volumes(kNames[kModel]);
  for (auto _ : state) {
    const std::size_t before = resident_baseline();
    std::vector<std::unique_ptr<VdbTree>> trees;
    for (const Volume& v : volumes) {
      auto tree = std::make_unique<VdbTree>(0U);
      VdbAccessor a(*tree);
      v.for_each_voxel([&](Vec3i p, Color c) { a.setValue(openvdb::Coord(p.x, p.y, p.z), c.packed()); });
      trees.push_back(std::move(tree));
    }
    const std::size_t after = resident_baseline();  // freed pages handed back: what the structure holds
    double bytes = 0;
    double voxels = 0;
    for (const auto& t : trees) {
      bytes += static_cast<double>(t->memUsage());
      voxels += static_cast<double>(t->activeVoxelCount());
    }
    set_memory_counters(state, bytes, before, after, voxels);
  }
}

#endif  // VOXD_HAVE_OPENVDB

// ---------------------------------------------------------------------------------------------------------------

using BenchmarkFunction = void (*)(benchmark::State&);

struct Scenario {
  const char* name;
  BenchmarkFunction voxd;
  BenchmarkFunction voxd_accessor;  // null: the scenario has no accessor variant
  BenchmarkFunction openvdb;        // null: OpenVDB is unavailable
  benchmark::TimeUnit unit;
  bool memory;  // one iteration: the counters, not the time, are the result
};

void register_benchmarks() {
#if VOXD_HAVE_OPENVDB
#define VOXD_OPENVDB(f) (f)
#else
#define VOXD_OPENVDB(f) nullptr
#endif
  using benchmark::kMicrosecond;
  using benchmark::kMillisecond;
  const Scenario scenarios[] = {
      {"set_random_existing", voxd_set_random_existing<false>, voxd_set_random_existing<true>,
       VOXD_OPENVDB(vdb_set_random_existing), kMillisecond, false},
      {"set_random_empty", voxd_set_random_empty<false>, voxd_set_random_empty<true>,
       VOXD_OPENVDB(vdb_set_random_empty), kMillisecond, false},
      {"fill_box_256", nullptr, voxd_fill_box, VOXD_OPENVDB(vdb_fill_box), kMillisecond, false},
      {"fill_box_256_bulk", voxd_fill_box_bulk, nullptr, VOXD_OPENVDB(vdb_fill_box_bulk), kMillisecond, false},
      {"get_random", voxd_get_random<false>, voxd_get_random<true>, VOXD_OPENVDB(vdb_get_random), kMillisecond, false},
      {"get_random_bulk", voxd_get_random_bulk, nullptr, VOXD_OPENVDB(vdb_get_random), kMillisecond, false},
      {"set_random_existing_bulk", voxd_set_random_existing_bulk, nullptr, VOXD_OPENVDB(vdb_set_random_existing),
       kMillisecond, false},
      {"iterate_voxels", voxd_iterate_voxels, nullptr, VOXD_OPENVDB(vdb_iterate_voxels), kMillisecond, false},
      {"iterate_blocks", voxd_iterate_blocks, nullptr, VOXD_OPENVDB(vdb_iterate_blocks), kMillisecond, false},
      {"snapshot", voxd_snapshot, nullptr, VOXD_OPENVDB(vdb_snapshot), kMicrosecond, false},
      {"memory_dense", voxd_memory_dense, nullptr, VOXD_OPENVDB(vdb_memory_dense), kMillisecond, true},
      {"shape_sphere", voxd_shape_sphere, nullptr, VOXD_OPENVDB(vdb_shape_sphere), kMillisecond, false},
      {"flood_fill_128", voxd_flood_fill, nullptr, nullptr, kMillisecond, false},
      {"memory_magicavoxel", voxd_memory_model<0>, nullptr, VOXD_OPENVDB(vdb_memory_model<0>), kMillisecond, true},
      {"memory_sphere", voxd_memory_model<1>, nullptr, VOXD_OPENVDB(vdb_memory_model<1>), kMillisecond, true},
      {"memory_terrain", voxd_memory_model<2>, nullptr, VOXD_OPENVDB(vdb_memory_model<2>), kMillisecond, true},
      {"memory_sparse", voxd_memory_sparse, nullptr, VOXD_OPENVDB(vdb_memory_sparse), kMillisecond, true},
      {"memory_uniform", voxd_memory_uniform, nullptr, VOXD_OPENVDB(vdb_memory_uniform), kMillisecond, true},
  };
#undef VOXD_OPENVDB
  for (const Scenario& s : scenarios) {
    const std::pair<const char*, BenchmarkFunction> implementations[] = {
        {"voxd", s.voxd}, {"voxd_accessor", s.voxd_accessor}, {"openvdb", s.openvdb}};
    for (const auto& [implementation, function] : implementations) {
      if (function == nullptr) {
        continue;
      }
      auto* b = benchmark::RegisterBenchmark((std::string(s.name) + "/" + implementation).c_str(), function);
      b->Unit(s.unit);
      if (s.memory) {
        b->Iterations(1);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Keep freed heap pages mapped: otherwise glibc hands a volume's blocks back to the kernel when a benchmark
  // clears it, and the next iteration measures page faults (heavily, for whichever side's allocation pattern
  // glibc happens to trim) rather than the data structure. The memory benchmarks trim explicitly before measuring.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#if VOXD_HAVE_OPENVDB
  // One thread, like voxd: OpenVDB's copy and denseFill would otherwise run on TBB workers, whose time the
  // benchmark's CPU clock (the main thread's) does not see.
  const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  openvdb::initialize();
  benchmark::AddCustomContext("openvdb", OPENVDB_LIBRARY_VERSION_STRING);
#else
  benchmark::AddCustomContext("openvdb", "unavailable");
#endif
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
