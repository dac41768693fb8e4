// Mesh export: the greedy mesh of the visible model written as .obj, .ply or .stl.
//
// .obj and .ply share vertices between quads of one colour (a vertex carries its colour) and keep the
// merged rectangles as 4-sided faces; .stl has no faces wider than triangles, so each quad is two.
// Coordinates are voxel units, z up (Goxel's axes): voxel (x,y,z) spans [x,x+1]^3.
#include "voxd/core/formats/mesh.hpp"

#include <bit>
#include <charconv>
#include <cstddef>
#include <new>
#include <string>
#include <string_view>
#include <system_error>

#include <absl/container/flat_hash_map.h>

#include "codecs.hpp"
#include "greedy_mesher.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core::formats {

namespace {

struct VertexKey {
  std::int32_t x = 0;
  std::int32_t y = 0;
  std::int32_t z = 0;
  std::uint32_t rgb = 0;
  friend bool operator==(const VertexKey&, const VertexKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const VertexKey& k) {  // NOLINT(readability-identifier-naming): absl's name
    return H::combine(std::move(h), k.x, k.y, k.z, k.rgb);
  }
};

// Vertices shared by the quads that meet at one position with one colour.
struct IndexedMesh {
  std::vector<VertexKey> vertices;
  std::vector<std::array<std::uint32_t, 4>> faces;
};

IndexedMesh index_quads(const std::vector<Quad>& quads) {
  IndexedMesh mesh;
  absl::flat_hash_map<VertexKey, std::uint32_t> index;
  index.reserve(quads.size() * 2);
  mesh.faces.reserve(quads.size());
  for (const Quad& q : quads) {
    std::array<std::uint32_t, 4> face{};
    const auto corners = corners_of(q);
    for (std::size_t i = 0; i < 4; ++i) {
      // Corners of voxels in the coordinate range fit int32 (the mesher refuses anything else).
      const VertexKey key{static_cast<std::int32_t>(corners[i][0]), static_cast<std::int32_t>(corners[i][1]),
                          static_cast<std::int32_t>(corners[i][2]), q.color.packed()};
      const auto [it, inserted] = index.try_emplace(key, static_cast<std::uint32_t>(mesh.vertices.size()));
      if (inserted) {
        mesh.vertices.push_back(key);
      }
      face[i] = it->second;
    }
    mesh.faces.push_back(face);
  }
  return mesh;
}

void put_u8(Bytes& out, std::uint8_t v) {
  out.push_back(v);
}
void put_u16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8U));
}
void put_u32(Bytes& out, std::uint32_t v) {
  for (unsigned shift = 0; shift < 32; shift += 8) {
    out.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}
void put_f32(Bytes& out, float v) {
  put_u32(out, std::bit_cast<std::uint32_t>(v));
}
void put_text(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

template <typename T>
void put_number(Bytes& out, T value) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.insert(out.end(), buf.data(), res.ptr);
}

std::string header_comment(const Mesh& mesh) {
  return "voxd mesh export: " + std::to_string(mesh.quads.size()) + " merged quads from " +
         std::to_string(mesh.exposed_faces) + " voxel faces; voxel (x,y,z) spans [x,x+1]^3, z up";
}

Bytes encode_obj(const Mesh& mesh) {
  const IndexedMesh indexed = index_quads(mesh.quads);
  // Colour channels as fractions 0..1 with four decimals, formatted once.
  std::array<std::string, 256> channel;
  for (std::size_t c = 0; c < channel.size(); ++c) {
    std::array<char, 16> buf{};
    const auto res =
        std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<double>(c) / 255.0, std::chars_format::fixed, 4);
    channel[c].assign(buf.data(), res.ptr);
  }
  Bytes out;
  out.reserve(indexed.vertices.size() * 40 + indexed.faces.size() * 32 + 128);
  put_text(out, "# " + header_comment(mesh) + "\n");
  for (const VertexKey& v : indexed.vertices) {
    const Color c = Color::from_packed(v.rgb);
    put_text(out, "v ");
    put_number(out, v.x);
    put_u8(out, ' ');
    put_number(out, v.y);
    put_u8(out, ' ');
    put_number(out, v.z);
    for (const std::uint8_t ch : {c.r, c.g, c.b}) {
      put_u8(out, ' ');
      put_text(out, channel[ch]);
    }
    put_u8(out, '\n');
  }
  for (const auto& face : indexed.faces) {
    put_u8(out, 'f');
    for (const std::uint32_t i : face) {
      put_u8(out, ' ');
      put_number(out, i + 1);  // .obj indices start at 1
    }
    put_u8(out, '\n');
  }
  return out;
}

Bytes encode_ply(const Mesh& mesh) {
  const IndexedMesh indexed = index_quads(mesh.quads);
  Bytes out;
  out.reserve(indexed.vertices.size() * 15 + indexed.faces.size() * 17 + 512);
  put_text(out, "ply\nformat binary_little_endian 1.0\ncomment " + header_comment(mesh) + "\nelement vertex " +
                    std::to_string(indexed.vertices.size()) +
                    "\nproperty float x\nproperty float y\nproperty float z\n"
                    "property uchar red\nproperty uchar green\nproperty uchar blue\nelement face " +
                    std::to_string(indexed.faces.size()) + "\nproperty list uchar int vertex_indices\nend_header\n");
  for (const VertexKey& v : indexed.vertices) {
    put_f32(out, static_cast<float>(v.x));
    put_f32(out, static_cast<float>(v.y));
    put_f32(out, static_cast<float>(v.z));
    const Color c = Color::from_packed(v.rgb);
    put_u8(out, c.r);
    put_u8(out, c.g);
    put_u8(out, c.b);
  }
  for (const auto& face : indexed.faces) {
    put_u8(out, 4);
    for (const std::uint32_t i : face) {
      put_u32(out, i);
    }
  }
  return out;
}

Bytes encode_stl(const Mesh& mesh) {
  constexpr std::size_t kHeaderBytes = 80;
  constexpr std::size_t kTriangleBytes = 50;
  Bytes out;
  out.reserve(kHeaderBytes + 4 + mesh.quads.size() * 2 * kTriangleBytes);
  // The header must not begin with "solid": readers would take the file for ASCII STL.
  std::string header = header_comment(mesh);
  header.resize(kHeaderBytes, ' ');
  put_text(out, header);
  put_u32(out, static_cast<std::uint32_t>(mesh.quads.size() * 2));
  for (const Quad& q : mesh.quads) {
    const auto c = corners_of(q);
    const auto n = normal_of(q.direction);
    for (const auto& tri : {std::array{c[0], c[1], c[2]}, std::array{c[0], c[2], c[3]}}) {
      for (const int component : n) {
        put_f32(out, static_cast<float>(component));
      }
      for (const Corner& p : tri) {
        for (const std::int64_t component : p) {
          put_f32(out, static_cast<float>(component));
        }
      }
      put_u16(out, 0);
    }
  }
  return out;
}

}  // namespace

Result<Bytes> export_mesh(const ProjectState& state, MeshFormat format, MeshStats* stats) {
  try {
    if (format != MeshFormat::obj && format != MeshFormat::ply && format != MeshFormat::stl) {
      return make_error(ErrorCode::invalid_argument, "mesh: unknown mesh format");
    }
    Result<Mesh> mesh = greedy_mesh(merged_visible(state));
    if (!mesh.ok()) {
      return std::move(mesh).error();
    }
    if (stats != nullptr) {
      stats->quads = static_cast<std::int64_t>(mesh->quads.size());
      stats->triangles = 2 * stats->quads;
      stats->unmerged_quads = mesh->exposed_faces;
    }
    switch (format) {
      case MeshFormat::obj: return encode_obj(*mesh);
      case MeshFormat::ply: return encode_ply(*mesh);
      case MeshFormat::stl: return encode_stl(*mesh);
    }
    return make_error(ErrorCode::internal, "mesh: unhandled format");
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "mesh: out of memory while exporting");
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, std::string("mesh: ") + e.what());
  }
}

}  // namespace voxd::core::formats

namespace voxd::core::formats {

namespace {
Result<WriteReport> write_mesh_file(const ProjectState& state, MeshFormat format, Bytes& out) {
  Result<Bytes> bytes = export_mesh(state, format);
  if (!bytes.ok()) {
    return std::move(bytes).error();
  }
  out = std::move(bytes).value();
  return WriteReport{};
}
}  // namespace

Result<WriteReport> write_obj(const ProjectState& state, Bytes& out, const WriteOptions& /*options*/) {
  return write_mesh_file(state, MeshFormat::obj, out);
}
Result<WriteReport> write_ply(const ProjectState& state, Bytes& out, const WriteOptions& /*options*/) {
  return write_mesh_file(state, MeshFormat::ply, out);
}
Result<WriteReport> write_stl(const ProjectState& state, Bytes& out, const WriteOptions& /*options*/) {
  return write_mesh_file(state, MeshFormat::stl, out);
}

}  // namespace voxd::core::formats
