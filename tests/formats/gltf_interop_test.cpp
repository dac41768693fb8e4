// .gltf and .glb files written by voxd, checked by independent readers: the Khronos glTF Validator (npm
// gltf-validator, run by gltf_validate.cjs; scripts/install-gltf-validator.sh installs it) must report no
// error and no warning, and assimp (`assimp info`, Debian's assimp-utils) must load each file with one mesh
// per layer that has faces and the triangle count voxd reports (its write report's mesh topology). The other
// mesh exports (.obj, .ply, .stl: one mesh of the merged visible layers) must load in assimp with the
// triangles reported too (assimp triangulates the polygons of .obj and .ply itself).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "formats/greedy_mesher.hpp"
#include "formats_test_support.hpp"
#include "interop_test_support.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core::formats {
namespace {

namespace fs = std::filesystem;
using test::run_logged;
using test::ScratchDir;
using test::slurp;

Layer make_layer(std::uint32_t id, std::string name, bool visible = true) {
  Layer layer;
  layer.id = id;
  layer.name = std::move(name);
  layer.visible = visible;
  return layer;
}

struct Model {
  std::string name;
  ProjectState state;
};

// Real MagicaVoxel models (one layer, 8 layers, a large one with more than 65535 vertices), and one made here
// with what the real ones lack: translucent voxels, a hidden and an empty layer, names that need escaping.
std::vector<Model> models() {
  std::vector<Model> out;
  for (const char* name : {"chr_knight.vox", "T-Rex.vox", "deer.vox", "teapot.vox"}) {
    const auto bytes = test::read_file(fs::path(VOXD_FIXTURES_DIR) / "magicavoxel" / name);
    EXPECT_TRUE(bytes.has_value()) << name;
    if (!bytes) {
      continue;
    }
    auto state = read_bytes(*bytes, name, {});
    EXPECT_TRUE(state.ok()) << name << ": " << state.error().message;
    if (state.ok()) {
      out.push_back({fs::path(name).stem().string(), std::move(state).value()});
    }
  }
  Model made{"made", {}};
  made.state.layers.push_back(make_layer(1, "glass \"pane\"\n"));
  made.state.layers.push_back(make_layer(2, "hidden", false));
  made.state.layers.push_back(make_layer(3, "caf\xc3\xa9 \\ empty"));
  made.state.layers.push_back(make_layer(4, "solid"));
  made.state.layers[0].volume.fill_box(Box{{0, 0, 0}, {7, 0, 5}}, Color{120, 200, 255, 140});
  made.state.layers[1].volume.fill_box(Box{{0, 5, 0}, {3, 8, 3}}, Color{255, 0, 0, 255});
  made.state.layers[3].volume.fill_box(Box{{-6, -6, -6}, {-2, 3, 0}}, Color{40, 160, 40, 255});
  made.state.layers[3].volume.set({-4, -4, 1}, Color{250, 250, 0, 255});
  // A project material (as a .gox brings): glTF's metallic-roughness factors and emission.
  made.state.materials.push_back(Material{"brass", {1.0F, 0.8F, 0.3F, 1.0F}, 1.0F, 0.35F, {0.2F, 0.1F, 0.0F}});
  made.state.layers[3].material = 0;
  out.push_back(std::move(made));
  return out;
}

struct Expected {
  std::int64_t meshes = 0;
  std::int64_t triangles = 0;  // what the writer reports
};

// The meshes voxd's mesher makes of the visible layers, computed independently of the writer.
std::int64_t meshes_of(const ProjectState& state) {
  std::int64_t meshes = 0;
  for (const Layer& layer : state.layers) {
    if (!layer.visible) {
      continue;
    }
    const auto mesh = greedy_mesh(layer.volume, kAllDirections, QuadAlpha::kept);
    EXPECT_TRUE(mesh.ok());
    meshes += mesh.ok() && !mesh->quads.empty() ? 1 : 0;
  }
  return meshes;
}

// The one mesh .obj, .ply and .stl hold: the greedy mesh of the visible layers merged (none when empty).
std::int64_t merged_meshes_of(const ProjectState& state) {
  const auto mesh = greedy_mesh(merged_visible(state));
  EXPECT_TRUE(mesh.ok());
  return mesh.ok() && !mesh->quads.empty() ? 1 : 0;
}

// "Faces:              5588" and the like from `assimp info`.
// (Parsed by hand: std::regex trips g++ 12's -Wmaybe-uninitialized under ASan at -O2.)
std::int64_t assimp_count(const std::string& info, const std::string& label) {
  std::istringstream lines(info);
  std::string line;
  const std::string prefix = label + ":";
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) != 0) {
      continue;
    }
    const std::size_t digits = line.find_first_not_of(" \t", prefix.size());
    if (digits == std::string::npos || digits == prefix.size() ||
        !std::isdigit(static_cast<unsigned char>(line[digits]))) {
      continue;
    }
    return std::stoll(line.substr(digits));
  }
  return -1;
}

TEST(GltfInterop, ToolsAreInstalled) {
  EXPECT_EQ(std::system("command -v " VOXD_NODE " >/dev/null"), 0)
      << "node is needed (scripts/install-deps.sh)";  // NOLINT
  EXPECT_TRUE(fs::exists(fs::path(VOXD_GLTF_VALIDATOR_DIR) / "node_modules" / "gltf-validator" / "package.json"))
      << "run scripts/install-gltf-validator.sh";
  EXPECT_EQ(std::system("command -v assimp >/dev/null"), 0)  // NOLINT
      << "assimp is needed (Debian assimp-utils; scripts/install-deps.sh)";
}

class GltfFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    for (Model& model : models()) {
      const std::int64_t meshes = meshes_of(model.state);
      for (const char* extension : {".gltf", ".glb"}) {
        Bytes bytes;
        const auto written = write_bytes(model.state, extension, bytes);
        ASSERT_TRUE(written.ok()) << model.name << extension << ": " << written.error().message;
        ASSERT_TRUE(written->mesh.has_value());
        const fs::path path = dir_.path() / (model.name + extension);
        ASSERT_TRUE(test::write_file(path, bytes));
        files_.push_back({path, {meshes, written->mesh->triangles}});
      }
      {
        // .gltf + .bin, as the daemon and voxctl write files: the buffer beside, named by a relative uri (the
        // space of the .gltf's name becomes '_' in the .bin's, which assimp 5.2 needs).
        const fs::path path = dir_.path() / (model.name + " separate.gltf");
        WriteOptions options;
        options.gltf_buffer_file = gltf_buffer_name_for(path.string());
        Bytes bytes;
        const auto written = write_bytes(model.state, ".gltf", bytes, options);
        ASSERT_TRUE(written.ok()) << model.name << ": " << written.error().message;
        ASSERT_TRUE(written->mesh.has_value());
        ASSERT_EQ(written->side_files.size(), 1U);
        EXPECT_EQ(written->side_files[0].name, model.name + "_separate.bin");
        ASSERT_TRUE(test::write_file(dir_.path() / written->side_files[0].name, written->side_files[0].bytes));
        ASSERT_TRUE(test::write_file(path, bytes));
        files_.push_back({path, {meshes, written->mesh->triangles}});
      }
      const std::int64_t merged = merged_meshes_of(model.state);
      for (const char* extension : {".obj", ".ply", ".stl"}) {
        Bytes bytes;
        const auto written = write_bytes(model.state, extension, bytes);
        ASSERT_TRUE(written.ok()) << model.name << extension << ": " << written.error().message;
        ASSERT_TRUE(written->mesh.has_value());
        const fs::path path = dir_.path() / (model.name + extension);
        ASSERT_TRUE(test::write_file(path, bytes));
        mesh_files_.push_back({path, {merged, written->mesh->triangles}});
      }
    }
  }

  struct File {
    fs::path path;
    Expected expected;
  };
  ScratchDir dir_{"gltf-interop"};
  std::vector<File> files_;       // .gltf and .glb
  std::vector<File> mesh_files_;  // .obj, .ply and .stl
};

TEST_F(GltfFiles, KhronosValidatorReportsNoErrorAndNoWarning) {
  std::string command =
      std::string(VOXD_NODE) + " " + VOXD_GLTF_VALIDATE_SCRIPT + " " + VOXD_GLTF_VALIDATOR_DIR + " --no-warnings";
  for (const File& f : files_) {
    command += " '" + f.path.string() + "'";
  }
  const fs::path log = dir_.path() / "validator.log";
  EXPECT_EQ(run_logged(command, log), 0) << command << "\n" << slurp(log);
}

TEST_F(GltfFiles, AssimpLoadsEveryLayerMeshWithTheExpectedTriangles) {
  for (const File& f : files_) {
    SCOPED_TRACE(f.path.filename().string());
    const fs::path log = dir_.path() / (f.path.filename().string() + ".assimp.log");
    ASSERT_EQ(run_logged("timeout 60 assimp info '" + f.path.string() + "'", log), 0) << slurp(log);
    const std::string info = slurp(log);
    EXPECT_EQ(assimp_count(info, "Faces"), f.expected.triangles) << info;
    EXPECT_EQ(assimp_count(info, "Meshes"), f.expected.meshes) << info;
  }
}

TEST_F(GltfFiles, AssimpLoadsObjPlyAndStlWithTheExpectedTriangles) {
  ASSERT_FALSE(mesh_files_.empty());
  for (const File& f : mesh_files_) {
    SCOPED_TRACE(f.path.filename().string());
    const fs::path log = dir_.path() / (f.path.filename().string() + ".assimp.log");
    ASSERT_EQ(run_logged("timeout 60 assimp info '" + f.path.string() + "'", log), 0) << slurp(log);
    const std::string info = slurp(log);
    EXPECT_EQ(assimp_count(info, "Faces"), f.expected.triangles) << info;  // assimp triangulates quads
    EXPECT_EQ(assimp_count(info, "Meshes"), f.expected.meshes) << info;
  }
}

}  // namespace
}  // namespace voxd::core::formats
