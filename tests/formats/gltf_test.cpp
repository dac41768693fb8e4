// glTF 2.0 export (.gltf and .glb): the containers taken apart byte by byte, the JSON checked against the
// spec's rules (accessor counts and byte lengths, 4-byte alignment, POSITION min/max, index types), and the
// triangles decoded back into voxd's axes to check winding, normals, colours, surface area and that each
// layer's mesh is watertight as reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "formats/greedy_mesher.hpp"
#include "voxd/core/formats/format.hpp"
#include "watertight_check.hpp"

namespace voxd::core::formats {
namespace {

using Json = nlohmann::json;

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kGreen{0, 255, 0, 255};
constexpr std::string_view kDataPrefix = "data:application/octet-stream;base64,";

Layer make_layer(std::uint32_t id, std::string name, bool visible = true) {
  Layer layer;
  layer.id = id;
  layer.name = std::move(name);
  layer.visible = visible;
  return layer;
}

ProjectState one_layer(const std::vector<std::pair<Vec3i, Color>>& voxels, std::string name = "layer") {
  ProjectState state;
  state.layers.push_back(make_layer(1, std::move(name)));
  for (const auto& [p, c] : voxels) {
    state.layers.back().volume.set(p, c);
  }
  return state;
}

std::uint32_t le32(const Bytes& b, std::size_t at) {
  return std::uint32_t{b.at(at)} | (std::uint32_t{b.at(at + 1)} << 8U) | (std::uint32_t{b.at(at + 2)} << 16U) |
         (std::uint32_t{b.at(at + 3)} << 24U);
}

std::optional<Bytes> base64_decode(std::string_view text) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  Bytes out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t group = 0;
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      std::uint32_t v = 0;
      if (c == '=') {
        ++pad;
      } else {
        const std::size_t at = kAlphabet.find(c);
        if (at == std::string_view::npos || pad > 0) {
          return std::nullopt;
        }
        v = static_cast<std::uint32_t>(at);
      }
      group = (group << 6U) | v;
    }
    out.push_back(static_cast<std::uint8_t>(group >> 16U));
    if (pad < 2) {
      out.push_back(static_cast<std::uint8_t>(group >> 8U));
    }
    if (pad < 1) {
      out.push_back(static_cast<std::uint8_t>(group));
    }
  }
  return out;
}

// A written file taken apart: its JSON and its binary buffer.
struct Asset {
  Json json;
  Bytes buffer;
};

Asset parse_gltf(const Bytes& file) {
  Asset asset;
  asset.json = Json::parse(file.begin(), file.end());
  if (asset.json.contains("buffers")) {
    const std::string uri = asset.json["buffers"][0]["uri"];
    EXPECT_TRUE(uri.starts_with(kDataPrefix)) << uri.substr(0, 60);
    auto decoded = base64_decode(std::string_view(uri).substr(kDataPrefix.size()));
    EXPECT_TRUE(decoded.has_value());
    asset.buffer = decoded.value_or(Bytes{});
  }
  return asset;
}

Asset parse_glb(const Bytes& file) {
  Asset asset;
  EXPECT_GE(file.size(), 20U);
  EXPECT_EQ(le32(file, 0), 0x46546C67U);  // "glTF"
  EXPECT_EQ(le32(file, 4), 2U);
  EXPECT_EQ(le32(file, 8), file.size());
  const std::uint32_t json_length = le32(file, 12);
  EXPECT_EQ(le32(file, 16), 0x4E4F534AU);  // "JSON"
  EXPECT_EQ(json_length % 4, 0U);
  const auto json_begin = file.begin() + 20;
  const auto json_end = json_begin + json_length;
  asset.json = Json::parse(json_begin, json_end);
  // The padding of the JSON chunk is spaces, which the parse above has shown to be trailing whitespace.
  const std::string text(json_begin, json_end);
  const std::size_t last = text.find_last_not_of(' ');
  EXPECT_LE(text.size() - last - 1, 3U);
  const std::size_t bin_at = 20 + json_length;
  if (bin_at == file.size()) {
    return asset;
  }
  const std::uint32_t bin_length = le32(file, bin_at);
  EXPECT_EQ(le32(file, bin_at + 4), 0x004E4942U);  // "BIN\0"
  EXPECT_EQ(bin_length % 4, 0U);
  EXPECT_EQ(bin_at + 8 + bin_length, file.size());
  asset.buffer.assign(file.begin() + static_cast<std::ptrdiff_t>(bin_at + 8), file.end());
  return asset;
}

Bytes write(const ProjectState& state, std::string_view extension) {
  Bytes out;
  const auto report = write_bytes(state, extension, out);
  EXPECT_TRUE(report.ok()) << report.error().message;
  return out;
}

std::size_t component_bytes(int type) {
  switch (type) {
    case 5121: return 1;
    case 5123: return 2;
    case 5125:
    case 5126: return 4;
    default: ADD_FAILURE() << "component type " << type; return 1;
  }
}
std::size_t components(const std::string& type) {
  return type == "SCALAR" ? 1 : type == "VEC2" ? 2 : type == "VEC3" ? 3 : type == "VEC4" ? 4 : 0;
}

// Reads accessor `index` as doubles (count x components), checking its bufferView's bounds and alignment.
std::vector<std::vector<double>> read_accessor(const Asset& a, std::size_t index) {
  const Json& accessor = a.json["accessors"].at(index);
  const Json& view = a.json["bufferViews"].at(accessor["bufferView"].get<std::size_t>());
  const int type = accessor["componentType"];
  const std::size_t n = components(accessor["type"]);
  const std::size_t count = accessor["count"];
  const std::size_t size = component_bytes(type);
  const std::size_t offset = view["byteOffset"].get<std::size_t>() + accessor.value("byteOffset", std::size_t{0});
  EXPECT_EQ(offset % size, 0U);
  EXPECT_EQ(view["byteOffset"].get<std::size_t>() % 4, 0U);
  EXPECT_EQ(view["byteLength"].get<std::size_t>(), count * n * size) << "tightly packed";
  EXPECT_LE(offset + count * n * size, a.buffer.size());
  EXPECT_GE(count, 1U);
  std::vector<std::vector<double>> out(count, std::vector<double>(n));
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t c = 0; c < n; ++c) {
      const std::size_t at = offset + (i * n + c) * size;
      switch (type) {
        case 5126: out[i][c] = std::bit_cast<float>(le32(a.buffer, at)); break;
        case 5125: out[i][c] = le32(a.buffer, at); break;
        case 5123: out[i][c] = a.buffer[at] | (a.buffer[at + 1] << 8U); break;
        default: out[i][c] = a.buffer[at];
      }
    }
  }
  return out;
}

using P3 = std::array<double, 3>;
P3 sub(const P3& a, const P3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
P3 cross(const P3& a, const P3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
// glTF y-up back to voxd z-up: the inverse of (x, y, z) -> (x, z, -y).
P3 to_voxd(const std::vector<double>& p) {
  return {p[0], -p[2], p[1]};
}

struct DecodedTriangle {
  std::array<P3, 3> corners;  // voxd axes
  P3 normal;                  // voxd axes, from NORMAL
  std::vector<double> color;  // COLOR_0 as stored
};

// The triangles of one mesh, after checking its primitive's accessors against the spec's rules.
std::vector<DecodedTriangle> decode_mesh(const Asset& a, std::size_t mesh_index) {
  const Json& primitive = a.json["meshes"].at(mesh_index)["primitives"].at(0);
  EXPECT_EQ(primitive.value("mode", 4), 4);
  const Json& attributes = primitive["attributes"];
  const std::size_t pos_index = attributes["POSITION"];
  const auto positions = read_accessor(a, pos_index);
  const auto normals = read_accessor(a, attributes["NORMAL"]);
  const auto colors = read_accessor(a, attributes["COLOR_0"]);
  const auto indices = read_accessor(a, primitive["indices"]);
  EXPECT_EQ(normals.size(), positions.size());
  EXPECT_EQ(colors.size(), positions.size());
  EXPECT_EQ(indices.size() % 3, 0U);

  // POSITION min and max are required and must be exact.
  const Json& accessor = a.json["accessors"][pos_index];
  for (std::size_t c = 0; c < 3; ++c) {
    double lo = std::numeric_limits<double>::max();
    double hi = -lo;
    for (const auto& p : positions) {
      lo = std::min(lo, p[c]);
      hi = std::max(hi, p[c]);
    }
    EXPECT_EQ(accessor["min"][c].get<double>(), lo) << c;
    EXPECT_EQ(accessor["max"][c].get<double>(), hi) << c;
  }
  // Unsigned short indices up to 65535 vertices (65535 itself is primitive restart), else unsigned int.
  const int index_type = a.json["accessors"][primitive["indices"].get<std::size_t>()]["componentType"];
  EXPECT_EQ(index_type, positions.size() <= 65535 ? 5123 : 5125);
  EXPECT_EQ(
      a.json["bufferViews"]
            [a.json["accessors"][primitive["indices"].get<std::size_t>()]["bufferView"].get<std::size_t>()]["target"],
      34963);

  std::vector<DecodedTriangle> out;
  for (std::size_t t = 0; t + 2 < indices.size(); t += 3) {
    DecodedTriangle tri;
    for (std::size_t k = 0; k < 3; ++k) {
      const auto i = static_cast<std::size_t>(indices[t + k][0]);
      EXPECT_LT(i, positions.size());
      tri.corners[k] = to_voxd(positions.at(i));
      tri.normal = to_voxd(normals.at(i));
      tri.color = colors.at(i);
    }
    out.push_back(tri);
  }
  return out;
}

// Checks what every written asset must satisfy, and returns its triangles per mesh.
std::vector<std::vector<DecodedTriangle>> check_asset(const Asset& a) {
  EXPECT_EQ(a.json["asset"]["version"], "2.0");
  EXPECT_EQ(a.json["asset"]["generator"], "voxd");
  EXPECT_EQ(a.json["scene"], 0);
  if (a.json.contains("buffers")) {
    EXPECT_EQ(a.json["buffers"].size(), 1U);
    EXPECT_EQ(a.json["buffers"][0]["byteLength"].get<std::size_t>(), a.buffer.size());
    EXPECT_EQ(a.buffer.size() % 4, 0U);
    for (const Json& view : a.json["bufferViews"]) {
      EXPECT_EQ(view["buffer"], 0);
      EXPECT_LE(view["byteOffset"].get<std::size_t>() + view["byteLength"].get<std::size_t>(), a.buffer.size());
    }
    // Every primitive names a material; without project materials, that is the plain one.
    for (const Json& mesh : a.json["meshes"]) {
      EXPECT_LT(mesh["primitives"][0]["material"].get<std::size_t>(), a.json["materials"].size());
    }
    for (const Json& material : a.json["materials"]) {
      if (material["name"] == "voxels") {
        EXPECT_EQ(material["pbrMetallicRoughness"]["baseColorFactor"], Json::parse("[1.0,1.0,1.0,1.0]"));
        EXPECT_EQ(material["pbrMetallicRoughness"]["metallicFactor"], 0.0);
        EXPECT_EQ(material["pbrMetallicRoughness"]["roughnessFactor"], 1.0);
      }
    }
  } else {
    EXPECT_TRUE(a.buffer.empty());
    EXPECT_FALSE(a.json.contains("meshes"));
  }
  std::vector<std::vector<DecodedTriangle>> meshes;
  for (std::size_t m = 0; m < a.json.value("meshes", Json::array()).size(); ++m) {
    meshes.push_back(decode_mesh(a, m));
    for (const DecodedTriangle& t : meshes.back()) {
      // Counter-clockwise seen from outside: the winding's normal is the stored NORMAL.
      const P3 n = cross(sub(t.corners[1], t.corners[0]), sub(t.corners[2], t.corners[0]));
      const double length = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
      EXPECT_GT(length, 0.0);
      for (std::size_t c = 0; c < 3; ++c) {
        EXPECT_DOUBLE_EQ(n[c] / length, t.normal[c]);
      }
    }
  }
  return meshes;
}

double area(const std::vector<DecodedTriangle>& triangles) {
  double total = 0;
  for (const DecodedTriangle& t : triangles) {
    const P3 n = cross(sub(t.corners[1], t.corners[0]), sub(t.corners[2], t.corners[0]));
    total += std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) / 2;
  }
  return total;
}

// Solid voxel faces that touch non-solid space, counted voxel by voxel: the area the mesh must cover.
double exposed_area(const Volume& volume) {
  double faces = 0;
  volume.for_each_voxel([&](Vec3i p, Color c) {
    if (!c.solid()) {
      return;
    }
    for (const Vec3i d :
         {Vec3i{1, 0, 0}, Vec3i{-1, 0, 0}, Vec3i{0, 1, 0}, Vec3i{0, -1, 0}, Vec3i{0, 0, 1}, Vec3i{0, 0, -1}}) {
      faces += volume.get(p + d).solid() ? 0 : 1;
    }
  });
  return faces;
}

double srgb_to_linear(double c) {
  c /= 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

// A mesh's triangles checked edge by edge (watertight_check.hpp), positions in half voxel units.
test::EdgeCheck check_triangles(const std::vector<DecodedTriangle>& triangles) {
  std::vector<test::Polygon> polygons;
  for (const DecodedTriangle& t : triangles) {
    test::Polygon p;
    for (const P3& c : t.corners) {
      p.push_back({std::llround(2 * c[0]), std::llround(2 * c[1]), std::llround(2 * c[2])});
    }
    polygons.push_back(std::move(p));
  }
  return test::check_edges(polygons);
}

TEST(GltfExport, RegisteredAsWriteOnlyFormats) {
  for (const char* path : {"a.gltf", "A.GLTF", "b.glb", "x/y.GlB"}) {
    const FileFormat* format = format_for_path(path);
    ASSERT_NE(format, nullptr) << path;
    EXPECT_EQ(format->read, nullptr);
    EXPECT_NE(format->write, nullptr);
  }
  EXPECT_EQ(format_for_path("a.gltf")->name, "gltf");
  EXPECT_EQ(format_for_path("a.glb")->name, "glb");
  const Bytes bytes = write(one_layer({{{0, 0, 0}, kRed}}), "glb");
  EXPECT_EQ(read_bytes(bytes, "model.glb", {}).code(), ErrorCode::unsupported);
}

TEST(GltfExport, OneVoxelIsACubeTurnedYUp) {
  for (const char* extension : {"gltf", "glb"}) {
    SCOPED_TRACE(extension);
    const Bytes file = write(one_layer({{{1, 2, 3}, kRed}}, "cube"), extension);
    const Asset a = std::string_view(extension) == "glb" ? parse_glb(file) : parse_gltf(file);
    const auto meshes = check_asset(a);
    ASSERT_EQ(meshes.size(), 1U);
    EXPECT_EQ(meshes[0].size(), 12U);  // 6 faces, 2 triangles each
    EXPECT_DOUBLE_EQ(area(meshes[0]), 6.0);
    const Json& primitive = a.json["meshes"][0]["primitives"][0];
    const Json& position = a.json["accessors"][primitive["attributes"]["POSITION"].get<std::size_t>()];
    // Voxel (1,2,3) spans x [1,2], y [2,3], z [3,4]; glTF (x, z, -y).
    EXPECT_EQ(position["min"], Json::parse("[1.0, 3.0, -3.0]"));
    EXPECT_EQ(position["max"], Json::parse("[2.0, 4.0, -2.0]"));
    EXPECT_EQ(position["count"], 24);  // a vertex per corner and face direction (normals differ)
    EXPECT_EQ(a.json["accessors"][primitive["indices"].get<std::size_t>()]["count"], 36);
    const Json& color = a.json["accessors"][primitive["attributes"]["COLOR_0"].get<std::size_t>()];
    EXPECT_EQ(color["type"], "VEC3");
    EXPECT_EQ(color["componentType"], 5126);
    EXPECT_EQ(meshes[0][0].color, (std::vector<double>{1.0, 0.0, 0.0}));
    EXPECT_FALSE(a.json["materials"][0].contains("alphaMode"));
    EXPECT_EQ(a.json["nodes"], Json::parse(R"([{"name":"cube","mesh":0}])"));
    EXPECT_EQ(a.json["scenes"], Json::parse(R"([{"nodes":[0]}])"));
    EXPECT_EQ(a.json["meshes"][0]["name"], "cube");
  }
}

TEST(GltfExport, ColoursAreLinear) {
  const Color c{128, 64, 250, 255};
  const Asset a = parse_glb(write(one_layer({{{0, 0, 0}, c}}), "glb"));
  const auto meshes = check_asset(a);
  ASSERT_EQ(meshes.size(), 1U);
  const std::vector<double>& stored = meshes[0][0].color;
  ASSERT_EQ(stored.size(), 3U);
  EXPECT_NEAR(stored[0], srgb_to_linear(128), 1e-6);
  EXPECT_NEAR(stored[1], srgb_to_linear(64), 1e-6);
  EXPECT_NEAR(stored[2], srgb_to_linear(250), 1e-6);
}

TEST(GltfExport, TranslucentSolidVoxelsBlendAndKeepTheirAlpha) {
  // Alpha 200 is solid (>= 127) and translucent; alpha 100 is not solid and is not meshed at all.
  const Asset a =
      parse_gltf(write(one_layer({{{0, 0, 0}, Color{10, 20, 30, 200}}, {{5, 0, 0}, Color{1, 2, 3, 100}}}), "gltf"));
  const auto meshes = check_asset(a);
  ASSERT_EQ(meshes.size(), 1U);
  EXPECT_EQ(meshes[0].size(), 12U);
  EXPECT_EQ(a.json["materials"][0]["alphaMode"], "BLEND");
  const Json& primitive = a.json["meshes"][0]["primitives"][0];
  EXPECT_EQ(a.json["accessors"][primitive["attributes"]["COLOR_0"].get<std::size_t>()]["type"], "VEC4");
  ASSERT_EQ(meshes[0][0].color.size(), 4U);
  EXPECT_NEAR(meshes[0][0].color[3], 200.0 / 255.0, 1e-6);
}

TEST(GltfExport, FacesOfOneColourButDifferentAlphaDoNotMerge) {
  // Two voxels side by side: merged by RGB their top would be one quad; alpha keeps them apart.
  const Asset a =
      parse_glb(write(one_layer({{{0, 0, 0}, Color{9, 9, 9, 255}}, {{1, 0, 0}, Color{9, 9, 9, 128}}}), "glb"));
  const auto meshes = check_asset(a);
  ASSERT_EQ(meshes.size(), 1U);
  EXPECT_EQ(meshes[0].size(), 2U * 10U);  // 5 faces each (the shared face is inside the solid)
}

TEST(GltfExport, OneNodePerVisibleLayerNamedAfterIt) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "ground"));
  state.layers.push_back(make_layer(2, "hidden", false));
  state.layers.push_back(make_layer(3, "empty"));
  state.layers.push_back(make_layer(4, "tower"));
  state.layers[0].volume.fill_box(Box{{0, 0, 0}, {3, 3, 0}}, kGreen);
  state.layers[1].volume.set({9, 9, 9}, kRed);
  for (int z = 1; z <= 4; ++z) {
    state.layers[3].volume.set({1, 1, z}, z % 2 == 0 ? kRed : kGreen);
  }
  for (const char* extension : {"gltf", "glb"}) {
    SCOPED_TRACE(extension);
    const Bytes file = write(state, extension);
    const Asset a = std::string_view(extension) == "glb" ? parse_glb(file) : parse_gltf(file);
    const auto meshes = check_asset(a);
    EXPECT_EQ(a.json["nodes"],
              Json::parse(R"([{"name":"ground","mesh":0},{"name":"empty"},{"name":"tower","mesh":1}])"));
    EXPECT_EQ(a.json["scenes"][0]["nodes"], Json::parse("[0,1,2]"));
    ASSERT_EQ(meshes.size(), 2U);
    EXPECT_EQ(a.json["meshes"][0]["name"], "ground");
    EXPECT_EQ(a.json["meshes"][1]["name"], "tower");
    EXPECT_DOUBLE_EQ(area(meshes[0]), exposed_area(state.layers[0].volume));
    EXPECT_DOUBLE_EQ(area(meshes[1]), exposed_area(state.layers[3].volume));
    // The ground is one slab (6 quads, nothing on their edges); the tower of alternating colours is a
    // column on it whose sides are 4 unit quads each, with corners on each other's edges only at corners.
    EXPECT_EQ(meshes[0].size(), 12U);
    EXPECT_EQ(meshes[1].size(), 4U * 4U * 2U + 2U * 2U);
    for (const auto& mesh : meshes) {
      const test::EdgeCheck check = check_triangles(mesh);
      EXPECT_EQ(check.t_junctions, 0);
      EXPECT_EQ(check.boundary + check.nonmanifold + check.inconsistent + check.degenerate, 0);
    }
  }
}

// A layer's primitive takes its project material (Goxel's: base colour, metallic, roughness, emission), others
// the plain "voxels" one; factors outside 0..1 are clamped and NaN falls back to the default.
TEST(GltfExport, LayersTakeTheirProjectMaterials) {
  ProjectState state;
  for (std::uint32_t id = 1; id <= 4; ++id) {
    state.layers.push_back(make_layer(id, "layer " + std::to_string(id)));
    state.layers.back().volume.set({static_cast<int>(id) * 3, 0, 0}, kRed);
  }
  state.materials.push_back(Material{"gold", {1.0F, 0.8F, 0.25F, 1.0F}, 1.0F, 0.25F, {0.5F, 0.0F, 0.0F}});
  state.materials.push_back(Material{"", {2.0F, -1.0F, 0.5F, 0.5F}, std::nanf(""), 7.0F, {0.0F, 0.0F, 0.0F}});
  state.layers[0].material = 0;
  state.layers[1].material = 1;
  state.layers[2].material = 0;
  state.layers[3].material = 5;  // names no material: the plain one
  const Asset a = parse_glb(write(state, "glb"));
  check_asset(a);
  const Json expected = Json::parse(R"([
    {"name":"gold","pbrMetallicRoughness":{"baseColorFactor":[1.0,0.800000011920929,0.25,1.0],"metallicFactor":1.0,
     "roughnessFactor":0.25},"emissiveFactor":[0.5,0.0,0.0]},
    {"name":"material 1","pbrMetallicRoughness":{"baseColorFactor":[1.0,0.0,0.5,0.5],"metallicFactor":0.0,
     "roughnessFactor":1.0},"alphaMode":"BLEND"},
    {"name":"voxels","pbrMetallicRoughness":{"baseColorFactor":[1.0,1.0,1.0,1.0],"metallicFactor":0.0,
     "roughnessFactor":1.0}}])");
  EXPECT_EQ(a.json["materials"], expected);
  ASSERT_EQ(a.json["meshes"].size(), 4U);
  const std::vector<int> used{0, 1, 0, 2};
  for (std::size_t i = 0; i < used.size(); ++i) {
    EXPECT_EQ(a.json["meshes"][i]["primitives"][0]["material"], used[i]) << i;
  }
}

// .gltf + .bin: with a buffer file named, the .gltf refers to it by a relative uri and the bytes come back as a
// side file; the buffer is the one a .glb holds. The derived name keeps only bytes a uri holds as they are.
TEST(GltfExport, TheBufferGoesToASideFileWhenOneIsNamed) {
  EXPECT_EQ(gltf_buffer_name_for("renders/my model.v2.gltf"), "my_model.v2.bin");
  EXPECT_EQ(gltf_buffer_name_for("caf\xc3\xa9.gltf"), "caf__.bin");
  EXPECT_EQ(gltf_buffer_name_for("dir\\x.gltf"), "x.bin");
  EXPECT_EQ(gltf_buffer_name_for("/.gltf"), ".gltf.bin");
  EXPECT_EQ(gltf_buffer_name_for("out/"), "buffer.bin");

  ProjectState state;
  state.layers.push_back(make_layer(1, "cube"));
  state.layers[0].volume.fill_box(Box{{0, 0, 0}, {2, 2, 2}}, kRed);
  WriteOptions options;
  options.gltf_buffer_file = "a b.bin";  // a caller's own name: percent-encoded in the uri
  Bytes text;
  const auto report = write_bytes(state, ".gltf", text, options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->side_files.size(), 1U);
  EXPECT_EQ(report->side_files[0].name, "a b.bin");
  const Json json = Json::parse(text.begin(), text.end());
  EXPECT_EQ(json["buffers"][0]["uri"], "a%20b.bin");
  EXPECT_EQ(json["buffers"][0]["byteLength"].get<std::size_t>(), report->side_files[0].bytes.size());
  const Asset glb = parse_glb(write(state, "glb"));
  EXPECT_EQ(report->side_files[0].bytes, glb.buffer);

  for (const char* bad : {"..", ".", "dir/x.bin", "dir\\x.bin"}) {  // (empty: embedded)
    options.gltf_buffer_file = bad;
    const auto refused = write_bytes(state, ".gltf", text, options);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument) << bad;
  }
  options.gltf_buffer_file = "x.bin";  // .glb holds its buffer itself: no side file
  const auto glb_report = write_bytes(state, ".glb", text, options);
  ASSERT_TRUE(glb_report.ok());
  EXPECT_TRUE(glb_report->side_files.empty());
}

TEST(GltfExport, LayerNamesAreEscapedJson) {
  const std::vector<std::string> names{"quote \" and \\ backslash", "line\nbreak\ttab\x01", "caf\xc3\xa9",
                                       R"(looks like "uri":"" here)", "data:application/octet-stream;base64,"};
  ProjectState state;
  for (std::size_t i = 0; i < names.size(); ++i) {
    state.layers.push_back(make_layer(static_cast<std::uint32_t>(i + 1), names[i]));
    state.layers.back().volume.set({static_cast<int>(i) * 3, 0, 0}, kRed);
  }
  state.layers.push_back(make_layer(99, "bad \xff utf-8"));
  for (const char* extension : {"gltf", "glb"}) {
    SCOPED_TRACE(extension);
    const Bytes file = write(state, extension);
    const Asset a = std::string_view(extension) == "glb" ? parse_glb(file) : parse_gltf(file);
    check_asset(a);
    ASSERT_EQ(a.json["nodes"].size(), names.size() + 1);
    for (std::size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(a.json["nodes"][i]["name"], names[i]);
    }
    EXPECT_EQ(a.json["nodes"][names.size()]["name"], "bad \xef\xbf\xbd utf-8");  // U+FFFD
  }
}

TEST(GltfExport, ManyVerticesTakeUnsignedIntIndices) {
  // Isolated voxels: 24 vertices each, so 3000 of them need more than 65535 vertices.
  std::vector<std::pair<Vec3i, Color>> voxels;
  for (int i = 0; i < 3000; ++i) {
    voxels.push_back({{2 * (i % 20), 2 * ((i / 20) % 20), 2 * (i / 400)}, kRed});
  }
  const Asset a = parse_glb(write(one_layer(voxels), "glb"));
  const auto meshes = check_asset(a);  // checks the index type against the vertex count
  ASSERT_EQ(meshes.size(), 1U);
  const Json& primitive = a.json["meshes"][0]["primitives"][0];
  EXPECT_EQ(a.json["accessors"][primitive["attributes"]["POSITION"].get<std::size_t>()]["count"], 72000);
  EXPECT_EQ(a.json["accessors"][primitive["indices"].get<std::size_t>()]["componentType"], 5125);
  EXPECT_EQ(meshes[0].size(), 36000U);
}

// Each layer's mesh parsed back has no T-junction and no crack, and the report says what the parse finds.
void expect_reported_topology(const ProjectState& state, bool watertight) {
  for (const char* extension : {".gltf", ".glb"}) {
    SCOPED_TRACE(extension);
    Bytes file;
    const auto report = write_bytes(state, extension, file);
    ASSERT_TRUE(report.ok()) << report.error().message;
    ASSERT_TRUE(report->mesh.has_value());
    const Asset a = std::string_view(extension) == ".glb" ? parse_glb(file) : parse_gltf(file);
    test::EdgeCheck total;
    std::int64_t triangles = 0;
    for (const auto& mesh : check_asset(a)) {
      const test::EdgeCheck check = check_triangles(mesh);
      EXPECT_EQ(check.t_junctions, 0);
      EXPECT_EQ(check.degenerate, 0);
      EXPECT_EQ(check.unbalanced, 0);
      total.boundary += check.boundary;
      total.nonmanifold += check.nonmanifold;
      total.inconsistent += check.inconsistent;
      triangles += static_cast<std::int64_t>(mesh.size());
    }
    EXPECT_EQ(report->mesh->triangles, triangles);
    EXPECT_EQ(report->mesh->faces, triangles);
    EXPECT_EQ(report->mesh->boundary_edges, total.boundary);
    EXPECT_EQ(report->mesh->nonmanifold_edges, total.nonmanifold);
    EXPECT_EQ(report->mesh->inconsistent_edges, total.inconsistent);
    EXPECT_EQ(report->mesh->watertight, watertight);
    EXPECT_EQ(total.boundary, 0);
    EXPECT_EQ(total.inconsistent, 0);
  }
}

TEST(GltfExport, LayersWithTJunctionsAreWatertightAndReportedSo) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "box with a bump"));
  state.layers.push_back(make_layer(2, "steps"));
  state.layers[0].volume.fill_box(Box{{0, 0, 0}, {5, 4, 3}}, kRed);
  state.layers[0].volume.set({2, 1, 4}, kGreen);
  state.layers[0].volume.set({3, 1, 4}, Color{255, 0, 0, 200});  // translucent: merges apart by alpha
  for (int x = 0; x < 6; ++x) {
    state.layers[1].volume.fill_box(Box{{x, 10, 0}, {x, 12, x}}, x % 2 == 0 ? kRed : kGreen);
  }
  expect_reported_topology(state, true);
  // A layer of two voxels touching along an edge makes the whole asset not watertight.
  state.layers.push_back(make_layer(3, "edge"));
  state.layers[2].volume.set({20, 0, 0}, kRed);
  state.layers[2].volume.set({21, 1, 0}, kRed);
  expect_reported_topology(state, false);
}

TEST(GltfExport, TheTwoContainersHoldTheSameAsset) {
  ProjectState state = one_layer({{{0, 0, 0}, kRed}, {{0, 0, 1}, kGreen}, {{-4, 7, 2}, Color{1, 2, 3, 255}}});
  const Asset text = parse_gltf(write(state, "gltf"));
  const Asset binary = parse_glb(write(state, "glb"));
  EXPECT_EQ(text.buffer, binary.buffer);
  Json without_uri = text.json;
  without_uri["buffers"][0].erase("uri");
  EXPECT_EQ(without_uri, binary.json);
  EXPECT_FALSE(binary.json["buffers"][0].contains("uri"));
}

TEST(GltfExport, AnEmptyModelIsAValidAssetWithoutBuffers) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "nothing"));
  for (const char* extension : {"gltf", "glb"}) {
    SCOPED_TRACE(extension);
    const Bytes file = write(state, extension);
    const Asset a = std::string_view(extension) == "glb" ? parse_glb(file) : parse_gltf(file);
    check_asset(a);
    EXPECT_FALSE(a.json.contains("buffers"));
    EXPECT_FALSE(a.json.contains("accessors"));
    EXPECT_FALSE(a.json.contains("materials"));
    EXPECT_EQ(a.json["nodes"], Json::parse(R"([{"name":"nothing"}])"));
  }
  ProjectState hidden_only;
  hidden_only.layers.push_back(make_layer(1, "h", false));
  hidden_only.layers[0].volume.set({0, 0, 0}, kRed);
  const Asset a = parse_gltf(write(hidden_only, "gltf"));
  EXPECT_FALSE(a.json.contains("nodes"));
  EXPECT_EQ(a.json["scenes"], Json::parse("[{}]"));  // a scene's "nodes" may not be an empty array
}

TEST(GltfExport, Base64PaddingOfEveryRemainder) {
  // Buffers are 4-aligned, so the data URI's length mod 3 varies with the size: check all three cases decode.
  for (int n = 1; n <= 3; ++n) {
    std::vector<std::pair<Vec3i, Color>> voxels;
    for (int i = 0; i < n; ++i) {
      voxels.push_back({{3 * i, 0, 0}, kRed});
    }
    const Asset a = parse_gltf(write(one_layer(voxels), "gltf"));
    check_asset(a);
  }
}

}  // namespace
}  // namespace voxd::core::formats
