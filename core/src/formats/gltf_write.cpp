// glTF 2.0 export: .gltf (JSON, with the buffer in a side .bin file when the caller names one, which it
// writes beside the .gltf, else embedded as a base64 data: URI, so one byte stream is the whole asset) and .glb (the binary container: a 12-byte header, a JSON chunk padded with spaces, a BIN chunk padded with
// zeros). See docs/formats-mesh-render.md.
//
// One node and one mesh per visible layer, named after it; each mesh is one triangle primitive of the
// layer's greedy mesh, T-junctions removed and each rectangle fanned (junction_free_mesh.hpp), with POSITION (min/max given, as the spec requires), NORMAL and COLOR_0 (linear float
// RGB, or RGBA when the layer has translucent solid voxels), and indices (unsigned short up to 65535 vertices,
// else unsigned int: 65535 itself is the primitive-restart value). A layer's primitive takes its project
// material (gltf_materials.hpp), or a plain one that multiplies the vertex colours by white, metallic 0,
// roughness 1; blended when any colour has alpha < 255.
// glTF is y-up, voxd z-up: points are turned by the rotation (x, y, z) -> (x, z, -y), which keeps handedness
// and so the winding of the faces (counter-clockwise from outside).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <nlohmann/json.hpp>

#include "base64.hpp"
#include "codecs.hpp"
#include "formats/gltf_materials.hpp"
#include "greedy_mesher.hpp"
#include "junction_free_mesh.hpp"
#include "mesh_topology.hpp"

namespace voxd::core::formats {
namespace {

// Insertion order is kept, so the JSON reads in a natural order and the buffer's uri comes before any name.
using Json = nlohmann::ordered_json;

constexpr int kFloat = 5126;
constexpr int kUnsignedShort = 5123;
constexpr int kUnsignedInt = 5125;
constexpr int kArrayBuffer = 34962;
constexpr int kElementArrayBuffer = 34963;
constexpr std::size_t kMaxShortIndexedVertices = 65535;  // indices 0..65534: 65535 means primitive restart

using Vec3f = std::array<float, 3>;

// voxd z-up to glTF y-up.
Vec3f to_gltf(std::int64_t x, std::int64_t y, std::int64_t z) noexcept {
  return {static_cast<float>(x), static_cast<float>(z), static_cast<float>(-y)};
}
Vec3f to_gltf(const HalfPoint& p) noexcept {
  const auto v = to_float(p);
  return {v[0], v[2], -v[1]};
}

// glTF vertex colours are linear; voxel colours are sRGB.
std::array<float, 256> srgb_to_linear_table() {
  std::array<float, 256> table{};
  for (std::size_t i = 0; i < table.size(); ++i) {
    const double c = static_cast<double>(i) / 255.0;
    table[i] = static_cast<float>(c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
  }
  return table;
}

// A vertex is shared by the quads that meet at one point with one direction and one colour.
struct VertexKey {
  std::uint32_t point = 0;  // JunctionFreeMesh::points
  FaceDirection direction = FaceDirection::pos_x;
  std::uint32_t rgba = 0;
  friend bool operator==(const VertexKey&, const VertexKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const VertexKey& k) {  // NOLINT(readability-identifier-naming): absl's name
    return H::combine(std::move(h), k.point, k.direction, k.rgba);
  }
};

// One layer's triangles, ready for the buffer.
struct LayerGeometry {
  std::vector<Vec3f> positions;
  std::vector<Vec3f> normals;
  std::vector<Color> colors;
  std::vector<std::uint32_t> indices;
  bool translucent = false;  // some colour has alpha < 255
  MeshTopology topology;     // of these triangles, welded by position
};

LayerGeometry geometry_of(const JunctionFreeMesh& mesh) {
  LayerGeometry g;
  absl::flat_hash_map<VertexKey, std::uint32_t> index;
  index.reserve(mesh.quads.size() * 2);
  g.indices.reserve(static_cast<std::size_t>(mesh.triangles) * 3);
  for (std::size_t qi = 0; qi < mesh.quads.size(); ++qi) {
    const Quad& q = mesh.quads[qi];
    const auto n = normal_of(q.direction);
    const Vec3f normal = to_gltf(n[0], n[1], n[2]);
    const auto vertex = [&](std::uint32_t point) {
      const VertexKey key{point, q.direction, q.color.packed()};
      const auto [it, inserted] = index.try_emplace(key, static_cast<std::uint32_t>(g.positions.size()));
      if (inserted) {
        g.positions.push_back(to_gltf(mesh.points[point]));
        g.normals.push_back(normal);
        g.colors.push_back(q.color);
      }
      g.indices.push_back(it->second);
    };
    // The fan is counter-clockwise seen from outside, as glTF wants its front faces.
    for_each_triangle(mesh, qi, [&](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
      vertex(a);
      vertex(b);
      vertex(c);
    });
    g.translucent = g.translucent || q.color.a < 255;
  }
  g.topology = fan_topology(mesh);
  return g;
}

// The binary buffer and the bufferViews and accessors that describe it.
class BufferBuilder {
 public:
  BufferBuilder(Json& views, Json& accessors) : views_(&views), accessors_(&accessors) {}

  [[nodiscard]] const Bytes& bytes() const noexcept { return bytes_; }
  [[nodiscard]] Bytes take() noexcept { return std::move(bytes_); }

  // Appends one tightly packed bufferView and an accessor over all of it; returns the accessor's index.
  template <typename Write>
  std::size_t add(std::size_t count, std::size_t element_bytes, int target, Json accessor, Write write) {
    // Every view starts 4-aligned, so every component type is aligned within the buffer.
    bytes_.resize((bytes_.size() + 3) & ~std::size_t{3}, 0);
    const std::size_t offset = bytes_.size();
    bytes_.reserve(offset + count * element_bytes);
    write(bytes_);
    Json view{{"buffer", 0}, {"byteOffset", offset}, {"byteLength", bytes_.size() - offset}, {"target", target}};
    views_->push_back(std::move(view));
    Json full{{"bufferView", views_->size() - 1}};
    for (auto& [key, value] : accessor.items()) {
      full[key] = value;
    }
    full["count"] = count;
    accessors_->push_back(std::move(full));
    return accessors_->size() - 1;
  }

  // Pads the end to 4 bytes, so the buffer's length is the BIN chunk's.
  void finish() { bytes_.resize((bytes_.size() + 3) & ~std::size_t{3}, 0); }

 private:
  Json* views_;
  Json* accessors_;
  Bytes bytes_;
};

void put_u32(Bytes& out, std::uint32_t v) {
  for (unsigned shift = 0; shift < 32; shift += 8) {
    out.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}
void put_u16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8U));
}
void put_f32(Bytes& out, float v) {
  put_u32(out, std::bit_cast<std::uint32_t>(v));
}
void put_vec3(Bytes& out, const Vec3f& v) {
  for (const float c : v) {
    put_f32(out, c);
  }
}

// Appends one layer's buffer views and accessors; returns the mesh primitive.
Json add_primitive(const LayerGeometry& g, BufferBuilder& buffer, const std::array<float, 256>& linear) {
  Vec3f lo{std::numeric_limits<float>::max(), std::numeric_limits<float>::max(), std::numeric_limits<float>::max()};
  Vec3f hi{-lo[0], -lo[1], -lo[2]};
  for (const Vec3f& p : g.positions) {
    for (std::size_t i = 0; i < 3; ++i) {
      lo[i] = std::min(lo[i], p[i]);
      hi[i] = std::max(hi[i], p[i]);
    }
  }
  const std::size_t n = g.positions.size();
  const std::size_t position =
      buffer.add(n, 12, kArrayBuffer, Json{{"componentType", kFloat}, {"type", "VEC3"}, {"min", lo}, {"max", hi}},
                 [&](Bytes& out) {
                   for (const Vec3f& p : g.positions) {
                     put_vec3(out, p);
                   }
                 });
  const std::size_t normal =
      buffer.add(n, 12, kArrayBuffer, Json{{"componentType", kFloat}, {"type", "VEC3"}}, [&](Bytes& out) {
        for (const Vec3f& v : g.normals) {
          put_vec3(out, v);
        }
      });
  const std::size_t channels = g.translucent ? 4 : 3;
  const std::size_t color =
      buffer.add(n, 4 * channels, kArrayBuffer,
                 Json{{"componentType", kFloat}, {"type", g.translucent ? "VEC4" : "VEC3"}}, [&](Bytes& out) {
                   for (const Color& c : g.colors) {
                     put_f32(out, linear[c.r]);
                     put_f32(out, linear[c.g]);
                     put_f32(out, linear[c.b]);
                     if (g.translucent) {
                       put_f32(out, static_cast<float>(c.a) / 255.0F);
                     }
                   }
                 });
  const bool short_indices = n <= kMaxShortIndexedVertices;
  const std::size_t indices = buffer.add(
      g.indices.size(), short_indices ? 2 : 4, kElementArrayBuffer,
      Json{{"componentType", short_indices ? kUnsignedShort : kUnsignedInt}, {"type", "SCALAR"}}, [&](Bytes& out) {
        for (const std::uint32_t i : g.indices) {
          if (short_indices) {
            put_u16(out, static_cast<std::uint16_t>(i));
          } else {
            put_u32(out, i);
          }
        }
      });
  return Json{{"attributes", {{"POSITION", position}, {"NORMAL", normal}, {"COLOR_0", color}}},
              {"indices", indices},
              {"mode", 4}};
}

struct GltfDocument {
  Json json;
  Bytes buffer;            // empty when no layer has a visible face
  MeshTopology topology;   // the layers' meshes together: watertight when each is
};

Result<GltfDocument> build_document(const ProjectState& state) {
  const std::array<float, 256> linear = srgb_to_linear_table();
  Json views = Json::array();
  Json accessors = Json::array();
  Json meshes = Json::array();
  Json nodes = Json::array();
  BufferBuilder buffer(views, accessors);
  GltfMaterials materials(state);
  std::int64_t exposed = 0;
  MeshTopology topology;
  for (const Layer& layer : state.layers) {
    if (!layer.visible) {
      continue;
    }
    Json node{{"name", layer.name}};
    Result<Mesh> mesh = greedy_mesh(layer.volume, kAllDirections, QuadAlpha::kept);
    if (!mesh.ok()) {
      return std::move(mesh).error();
    }
    // Each layer is meshed on its own: the bound of one mesh applies to all of them together.
    exposed += mesh->exposed_faces;
    if (exposed > kMaxExposedFaces) {
      return make_error(ErrorCode::limit_exceeded, "gltf: the visible layers have more than " +
                                                       std::to_string(kMaxExposedFaces) +
                                                       " exposed voxel faces (the mesh size limit)");
    }
    if (!mesh->quads.empty()) {
      const LayerGeometry geometry = geometry_of(remove_t_junctions(std::move(mesh).value()));
      topology.faces += geometry.topology.faces;
      topology.triangles += geometry.topology.triangles;
      topology.boundary_edges += geometry.topology.boundary_edges;
      topology.nonmanifold_edges += geometry.topology.nonmanifold_edges;
      topology.inconsistent_edges += geometry.topology.inconsistent_edges;
      Json primitive = add_primitive(geometry, buffer, linear);
      primitive["material"] = materials.use(layer, geometry.translucent);
      meshes.push_back(Json{{"name", layer.name}, {"primitives", Json::array({std::move(primitive)})}});
      node["mesh"] = meshes.size() - 1;
    }
    nodes.push_back(std::move(node));
  }
  buffer.finish();

  GltfDocument doc;
  doc.json = Json{{"asset", {{"version", "2.0"}, {"generator", "voxd"}}}};
  if (!buffer.bytes().empty()) {
    doc.json["buffers"] = Json::array({Json{{"byteLength", buffer.bytes().size()}}});
    doc.json["bufferViews"] = std::move(views);
    doc.json["accessors"] = std::move(accessors);
    doc.json["materials"] = materials.json();
    doc.json["meshes"] = std::move(meshes);
  }
  Json scene = Json::object();
  if (!nodes.empty()) {
    Json roots = Json::array();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      roots.push_back(i);
    }
    scene["nodes"] = std::move(roots);
    doc.json["nodes"] = std::move(nodes);
  }
  doc.json["scenes"] = Json::array({std::move(scene)});
  doc.json["scene"] = 0;
  doc.buffer = buffer.take();
  topology.watertight =
      topology.boundary_edges == 0 && topology.nonmanifold_edges == 0 && topology.inconsistent_edges == 0;
  doc.topology = topology;
  return doc;
}

// Layer names are bytes; JSON is UTF-8: invalid sequences become U+FFFD rather than an error.
std::string dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

template <typename Encode>
Result<WriteReport> write_document(const ProjectState& state, Bytes& out, Encode encode) {
  try {
    Result<GltfDocument> doc = build_document(state);
    if (!doc.ok()) {
      return std::move(doc).error();
    }
    WriteReport report;
    VOXD_TRY(encode(*doc, out, report));
    report.mesh = doc->topology;
    if (!state.color_materials.empty()) {
      report.lossy = true;
      report.warning = std::to_string(state.color_materials.size()) +
                       " MagicaVoxel colour materials (.vox MATL) are not written: glTF gets the layers' materials";
    }
    return report;
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "gltf: out of memory while exporting");
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, std::string("gltf: ") + e.what());
  }
}

bool uri_unreserved(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// A file name as a relative URI reference (RFC 3986): every byte but the unreserved ones percent-encoded.
std::string uri_of_file_name(std::string_view name) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string uri;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (uri_unreserved(ch)) {
      uri += ch;
    } else {
      uri += '%';
      uri += kHex[c >> 4U];
      uri += kHex[c & 15U];
    }
  }
  return uri;
}

Status check_buffer_file_name(std::string_view name) {
  if (name.empty() || name == "." || name == ".." || name.size() > 255 ||
      name.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument,
                      "gltf: the buffer file name '" + std::string(name.substr(0, 64)) +
                          "' must be a plain file name (no folder, at most 255 bytes)");
  }
  return {};
}

// The buffer in a side file named in the buffer's uri.
Status encode_gltf_with_side_buffer(GltfDocument& doc, const std::string& buffer_file, Bytes& out,
                                    WriteReport& report) {
  VOXD_TRY(check_buffer_file_name(buffer_file));
  if (!doc.buffer.empty()) {
    doc.json["buffers"][0] = Json{{"uri", uri_of_file_name(buffer_file)}, {"byteLength", doc.buffer.size()}};
    report.side_files.push_back(SideFile{buffer_file, std::move(doc.buffer)});
  }
  const std::string text = dump(doc.json);
  out.assign(text.begin(), text.end());
  return {};
}

// The buffer embedded as a base64 data: URI.
Status encode_gltf(GltfDocument& doc, Bytes& out, WriteReport& /*report*/) {
  if (doc.buffer.empty()) {
    const std::string text = dump(doc.json);
    out.assign(text.begin(), text.end());
    return {};
  }
  // The base64 text is spliced into the dumped JSON rather than put in a JSON string first: that would
  // hold the buffer three times over. It needs no escaping, and the buffer's uri is the first "uri" of the
  // document (only "asset", fixed text, comes before "buffers"), so no layer name can be mistaken for it.
  doc.json["buffers"][0] = Json{{"uri", ""}, {"byteLength", doc.buffer.size()}};
  const std::string text = dump(doc.json);
  constexpr std::string_view kEmptyUri = R"("uri":"")";
  constexpr std::string_view kPrefix = "data:application/octet-stream;base64,";
  const std::size_t at = text.find(kEmptyUri) + kEmptyUri.size() - 1;  // before the closing quote
  out.clear();
  out.reserve(text.size() + kPrefix.size() + base64_size(doc.buffer.size()));
  out.insert(out.end(), text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at));
  out.insert(out.end(), kPrefix.begin(), kPrefix.end());
  append_base64(doc.buffer, out);
  out.insert(out.end(), text.begin() + static_cast<std::ptrdiff_t>(at), text.end());
  return {};
}

Status encode_glb(GltfDocument& doc, Bytes& out, WriteReport& /*report*/) {
  constexpr std::uint32_t kMagic = 0x46546C67;      // "glTF"
  constexpr std::uint32_t kJsonChunk = 0x4E4F534A;  // "JSON"
  constexpr std::uint32_t kBinChunk = 0x004E4942;   // "BIN\0"
  std::string text = dump(doc.json);
  text.resize((text.size() + 3) & ~std::size_t{3}, ' ');
  const std::size_t bin = doc.buffer.empty() ? 0 : 8 + doc.buffer.size();  // the buffer is 4-aligned already
  const std::size_t total = 12 + 8 + text.size() + bin;
  if (total > std::numeric_limits<std::uint32_t>::max()) {
    return make_error(ErrorCode::limit_exceeded,
                      "glb: the file would take " + std::to_string(total) + " bytes; a .glb holds at most 4 GiB");
  }
  out.clear();
  out.reserve(total);
  put_u32(out, kMagic);
  put_u32(out, 2);
  put_u32(out, static_cast<std::uint32_t>(total));
  put_u32(out, static_cast<std::uint32_t>(text.size()));
  put_u32(out, kJsonChunk);
  out.insert(out.end(), text.begin(), text.end());
  if (!doc.buffer.empty()) {
    put_u32(out, static_cast<std::uint32_t>(doc.buffer.size()));
    put_u32(out, kBinChunk);
    out.insert(out.end(), doc.buffer.begin(), doc.buffer.end());
  }
  return {};
}

}  // namespace

Result<WriteReport> write_gltf(const ProjectState& state, Bytes& out, const WriteOptions& options) {
  if (options.gltf_buffer_file.empty()) {
    return write_document(state, out, encode_gltf);
  }
  return write_document(state, out, [&options](GltfDocument& doc, Bytes& bytes, WriteReport& report) {
    return encode_gltf_with_side_buffer(doc, options.gltf_buffer_file, bytes, report);
  });
}

Result<WriteReport> write_glb(const ProjectState& state, Bytes& out, const WriteOptions& /*options*/) {
  return write_document(state, out, encode_glb);
}

// Bytes a URI may hold as they are (RFC 3986's unreserved) keep the name readable; others become '_', so that
// the uri is the file name itself: assimp 5.2 reads a percent-encoded uri literally and misses the file.
std::string gltf_buffer_name_for(std::string_view gltf_path) {
  const std::size_t slash = gltf_path.find_last_of("/\\");
  std::string_view stem = slash == std::string_view::npos ? gltf_path : gltf_path.substr(slash + 1);
  const std::size_t dot = stem.rfind('.');
  if (dot != std::string_view::npos && dot > 0) {
    stem = stem.substr(0, dot);
  }
  std::string name;
  for (const char ch : stem.substr(0, 200)) {
    name += uri_unreserved(ch) ? ch : '_';
  }
  return (name.empty() ? std::string("buffer") : name) + ".bin";
}

}  // namespace voxd::core::formats
