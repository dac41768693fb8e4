// Render and mesh-export speed on synthetic models, and how much greedy merging saves.
//   Render/*: a 512x512 iso render (greedy mesh + rasterisation + shading) of dense and sparse models, with
//   the default look (ambient occlusion and shadows on); the *Flat twins use the settings of the renderer before
//   those existed (flat shading only), so one run gives the cost of the new look as a ratio.
//   MeshExport/*: .stl export; counters give merged quads vs one quad per exposed voxel face.
//   MeshFile/*: one mesh file format (stl, obj, glb) of a dense 256^3 cube and of a MagicaVoxel fixture, with
//   the file's size, so a change to the mesh's topology shows its cost in time and bytes.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "voxd/core/formats/format.hpp"
#include "voxd/core/formats/mesh.hpp"
#include "voxd/core/formats/render.hpp"

namespace {

using voxd::core::Color;
using voxd::core::ProjectState;
using voxd::core::Volume;

constexpr Color kPalette[] = {{200, 60, 50, 255}, {70, 160, 60, 255}, {60, 90, 200, 255}, {220, 200, 90, 255}};

ProjectState one_layer() {
  ProjectState state;
  state.layers.emplace_back();
  return state;
}

// A full cube of edge n, coloured in horizontal bands 8 voxels high (so faces cannot all merge).
ProjectState dense_cube(int n) {
  ProjectState state = one_layer();
  Volume& v = state.layers.back().volume;
  for (int z = 0; z < n; ++z) {
    for (int y = 0; y < n; ++y) {
      for (int x = 0; x < n; ++x) {
        v.set({x, y, z}, kPalette[(z / 8) % 4]);
      }
    }
  }
  return state;
}

// Random voxels filling `percent` of an n^3 box, in four colours: the worst case for merging.
ProjectState noise(int n, int percent) {
  ProjectState state = one_layer();
  Volume& v = state.layers.back().volume;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> roll(0, 399);
  for (int z = 0; z < n; ++z) {
    for (int y = 0; y < n; ++y) {
      for (int x = 0; x < n; ++x) {
        const int r = roll(rng);
        if (r < percent * 4) {
          v.set({x, y, z}, kPalette[r % 4]);
        }
      }
    }
  }
  return state;
}

ProjectState sphere(int radius) {
  ProjectState state = one_layer();
  Volume& v = state.layers.back().volume;
  for (int z = -radius; z <= radius; ++z) {
    for (int y = -radius; y <= radius; ++y) {
      for (int x = -radius; x <= radius; ++x) {
        if (x * x + y * y + z * z <= radius * radius) {
          v.set({x, y, z}, kPalette[2]);
        }
      }
    }
  }
  return state;
}

// A 128x128 height field (rolling hills) filled down to z = 0, coloured by height: grass, rock, snow.
ProjectState terrain() {
  ProjectState state = one_layer();
  Volume& v = state.layers.back().volume;
  for (int y = 0; y < 128; ++y) {
    for (int x = 0; x < 128; ++x) {
      const double h = 16 + 10 * std::sin(x / 11.0) * std::cos(y / 13.0) + 6 * std::sin((x + 2 * y) / 7.0);
      const int top = static_cast<int>(h);
      for (int z = 0; z <= top; ++z) {
        const Color c = z < 14 ? kPalette[1] : (z < 24 ? Color{120, 110, 100, 255} : Color{240, 240, 250, 255});
        v.set({x, y, z}, c);
      }
    }
  }
  return state;
}

using voxd::core::formats::RenderParams;

RenderParams flat_params() {
  RenderParams params;
  params.ambient_occlusion = false;
  params.shadows = false;
  return params;
}

void render_bench(benchmark::State& bench, const ProjectState& model, const RenderParams& params = {}) {
  for (auto _ : bench) {
    auto image = voxd::core::formats::render(model, params);
    benchmark::DoNotOptimize(image);
  }
}

void mesh_bench(benchmark::State& bench, const ProjectState& model) {
  voxd::core::formats::MeshStats stats{};
  std::size_t bytes = 0;
  for (auto _ : bench) {
    auto out = voxd::core::formats::export_mesh(model, voxd::core::formats::MeshFormat::stl, &stats);
    bytes = out.ok() ? out->size() : 0;
    benchmark::DoNotOptimize(out);
  }
  bench.counters["quads"] = static_cast<double>(stats.quads);
  bench.counters["junction_vertices"] = static_cast<double>(stats.junction_vertices);
  bench.counters["triangles"] = static_cast<double>(stats.triangles);
  bench.counters["unmerged_triangles"] = static_cast<double>(2 * stats.unmerged_quads);
  bench.counters["reduction_x"] = static_cast<double>(stats.unmerged_quads) / static_cast<double>(stats.quads);
  bench.counters["stl_bytes"] = static_cast<double>(bytes);
}

// A file of shared/fixtures (empty when it is missing: the benchmark then reports an error).
ProjectState fixture(const std::string& name) {
  std::ifstream in(std::string(VOXD_FIXTURES_DIR) + "/" + name, std::ios::binary);
  const voxd::core::formats::Bytes bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto state = voxd::core::formats::read_bytes(bytes, name, {});
  return state.ok() ? std::move(state).value() : ProjectState{};
}

void mesh_file_bench(benchmark::State& bench, const ProjectState& model, const char* extension) {
  voxd::core::formats::Bytes out;
  voxd::core::formats::MeshTopology mesh;
  for (auto _ : bench) {
    const auto report = voxd::core::formats::write_bytes(model, extension, out);
    if (!report.ok()) {
      bench.SkipWithError(report.error().message.c_str());
      return;
    }
    mesh = report->mesh.value_or(mesh);
    benchmark::DoNotOptimize(out);
  }
  bench.counters["bytes"] = static_cast<double>(out.size());
  bench.counters["triangles"] = static_cast<double>(mesh.triangles);
  bench.counters["watertight"] = mesh.watertight ? 1 : 0;
}

void BM_RenderDense128(benchmark::State& s) {
  static const ProjectState model = dense_cube(128);
  render_bench(s, model);
}
void BM_RenderDense256(benchmark::State& s) {
  static const ProjectState model = dense_cube(256);
  render_bench(s, model);
}
void BM_RenderDense256Flat(benchmark::State& s) {
  static const ProjectState model = dense_cube(256);
  render_bench(s, model, flat_params());
}
void BM_RenderDense256Edges(benchmark::State& s) {
  static const ProjectState model = dense_cube(256);
  RenderParams params;
  params.edges = true;
  render_bench(s, model, params);
}
void BM_RenderDense256Perspective(benchmark::State& s) {
  static const ProjectState model = dense_cube(256);
  RenderParams params;
  params.view = voxd::core::formats::View::free;
  params.camera.perspective = true;
  render_bench(s, model, params);
}
void BM_RenderSparse128Flat(benchmark::State& s) {
  static const ProjectState model = noise(128, 5);
  render_bench(s, model, flat_params());
}
void BM_RenderTerrainFlat(benchmark::State& s) {
  static const ProjectState model = terrain();
  render_bench(s, model, flat_params());
}
void BM_RenderSparse128(benchmark::State& s) {
  static const ProjectState model = noise(128, 5);
  render_bench(s, model);
}
void BM_RenderTerrain(benchmark::State& s) {
  static const ProjectState model = terrain();
  render_bench(s, model);
}
void BM_MeshSphere32(benchmark::State& s) {
  static const ProjectState model = sphere(32);
  mesh_bench(s, model);
}
void BM_MeshNoise64(benchmark::State& s) {
  static const ProjectState model = noise(64, 30);
  mesh_bench(s, model);
}
void BM_MeshTerrain(benchmark::State& s) {
  static const ProjectState model = terrain();
  mesh_bench(s, model);
}
void BM_MeshDense128(benchmark::State& s) {
  static const ProjectState model = dense_cube(128);
  mesh_bench(s, model);
}

void BM_MeshFileDense256(benchmark::State& s, const char* extension) {
  static const ProjectState model = dense_cube(256);
  mesh_file_bench(s, model, extension);
}
void BM_MeshFileMonu1(benchmark::State& s, const char* extension) {
  static const ProjectState model = fixture("magicavoxel/monu1.vox");
  mesh_file_bench(s, model, extension);
}

BENCHMARK(BM_RenderDense128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderDense256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderDense256Flat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderDense256Edges)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderDense256Perspective)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderSparse128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderSparse128Flat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderTerrain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderTerrainFlat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MeshSphere32)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MeshNoise64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MeshTerrain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MeshDense128)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MeshFileDense256, stl, ".stl")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MeshFileDense256, obj, ".obj")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MeshFileDense256, glb, ".glb")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MeshFileMonu1, stl, ".stl")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MeshFileMonu1, obj, ".obj")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MeshFileMonu1, glb, ".glb")->Unit(benchmark::kMillisecond);

}  // namespace
