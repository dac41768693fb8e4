// Mesh export: the greedy mesh of the visible model, T-junctions removed, written as .obj, .ply or .stl.
//
// .obj and .ply share vertices between faces of one colour (a vertex carries its colour) and write each
// merged rectangle as one polygon: its four corners and the other quads' corners on its edges, counter-
// clockwise from outside. .stl has no faces wider than triangles, so each polygon is its fan
// (junction_free_mesh.hpp). Coordinates are voxel units, z up (Goxel's axes): voxel (x,y,z) spans [x,x+1]^3.
#include "voxd/core/formats/mesh.hpp"

#include <algorithm>
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
#include "junction_free_mesh.hpp"
#include "mesh_topology.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core::formats {

namespace {

// Vertices shared by the faces that meet at one position with one colour: the position's point index and
// the colour (RGB, alpha forced to 255 by the mesher).
using VertexKey = std::uint64_t;

VertexKey vertex_key(std::uint32_t point, Color color) noexcept {
  return (std::uint64_t{point} << 32U) | color.packed();
}

struct IndexedMesh {
  std::vector<VertexKey> vertices;
  std::vector<std::uint32_t> corners;  // each quad's outline as vertex indices (mesh.outline_start's ranges)
  std::size_t largest_face = 0;
};

IndexedMesh index_outlines(const JunctionFreeMesh& mesh) {
  IndexedMesh indexed;
  absl::flat_hash_map<VertexKey, std::uint32_t> index;
  index.reserve(mesh.quads.size() * 2);
  indexed.corners.reserve(mesh.outline.size());
  for (std::size_t qi = 0; qi < mesh.quads.size(); ++qi) {
    const Color color = mesh.quads[qi].color;
    const auto outline = mesh.outline_of(qi);
    indexed.largest_face = std::max(indexed.largest_face, outline.size());
    for (const std::uint32_t point : outline) {
      const VertexKey key = vertex_key(point, color);
      const auto [it, inserted] = index.try_emplace(key, static_cast<std::uint32_t>(indexed.vertices.size()));
      if (inserted) {
        indexed.vertices.push_back(key);
      }
      indexed.corners.push_back(it->second);
    }
  }
  return indexed;
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

std::string header_comment(const JunctionFreeMesh& mesh) {
  return "voxd mesh export: " + std::to_string(mesh.quads.size()) + " merged quads from " +
         std::to_string(mesh.exposed_faces) + " voxel faces; voxel (x,y,z) spans [x,x+1]^3, z up";
}

Bytes encode_obj(const JunctionFreeMesh& mesh) {
  const IndexedMesh indexed = index_outlines(mesh);
  // Colour channels as fractions 0..1 with four decimals, formatted once.
  std::array<std::string, 256> channel;
  for (std::size_t c = 0; c < channel.size(); ++c) {
    std::array<char, 16> buf{};
    const auto res =
        std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<double>(c) / 255.0, std::chars_format::fixed, 4);
    channel[c].assign(buf.data(), res.ptr);
  }
  Bytes out;
  out.reserve(indexed.vertices.size() * 40 + indexed.corners.size() * 8 + 128);
  put_text(out, "# " + header_comment(mesh) + "\n");
  for (const VertexKey v : indexed.vertices) {
    const Color c = Color::from_packed(static_cast<std::uint32_t>(v));
    // Outlines hold lattice points only (centres are for fans): half units are even.
    const HalfPoint& p = mesh.points[v >> 32U];
    put_text(out, "v ");
    put_number(out, p[0] / 2);
    put_u8(out, ' ');
    put_number(out, p[1] / 2);
    put_u8(out, ' ');
    put_number(out, p[2] / 2);
    for (const std::uint8_t ch : {c.r, c.g, c.b}) {
      put_u8(out, ' ');
      put_text(out, channel[ch]);
    }
    put_u8(out, '\n');
  }
  for (std::size_t qi = 0; qi < mesh.quads.size(); ++qi) {
    put_u8(out, 'f');
    for (std::size_t i = mesh.outline_start[qi]; i < mesh.outline_start[qi + 1]; ++i) {
      put_u8(out, ' ');
      put_number(out, indexed.corners[i] + 1);  // .obj indices start at 1
    }
    put_u8(out, '\n');
  }
  return out;
}

Bytes encode_ply(const JunctionFreeMesh& mesh) {
  const IndexedMesh indexed = index_outlines(mesh);
  // A face's vertex count is a uchar, as most readers expect, unless some polygon needs more.
  const bool wide_counts = indexed.largest_face > 255;
  Bytes out;
  out.reserve(indexed.vertices.size() * 15 + indexed.corners.size() * 4 + mesh.quads.size() * 4 + 512);
  put_text(out, "ply\nformat binary_little_endian 1.0\ncomment " + header_comment(mesh) + "\nelement vertex " +
                    std::to_string(indexed.vertices.size()) +
                    "\nproperty float x\nproperty float y\nproperty float z\n"
                    "property uchar red\nproperty uchar green\nproperty uchar blue\nelement face " +
                    std::to_string(mesh.quads.size()) + "\nproperty list " + (wide_counts ? "uint" : "uchar") +
                    " int vertex_indices\nend_header\n");
  for (const VertexKey v : indexed.vertices) {
    for (const float component : to_float(mesh.points[v >> 32U])) {
      put_f32(out, component);
    }
    const Color c = Color::from_packed(static_cast<std::uint32_t>(v));
    put_u8(out, c.r);
    put_u8(out, c.g);
    put_u8(out, c.b);
  }
  for (std::size_t qi = 0; qi < mesh.quads.size(); ++qi) {
    const std::uint32_t n = mesh.outline_start[qi + 1] - mesh.outline_start[qi];
    if (wide_counts) {
      put_u32(out, n);
    } else {
      put_u8(out, static_cast<std::uint8_t>(n));
    }
    for (std::size_t i = mesh.outline_start[qi]; i < mesh.outline_start[qi + 1]; ++i) {
      put_u32(out, indexed.corners[i]);
    }
  }
  return out;
}

Bytes encode_stl(const JunctionFreeMesh& mesh) {
  constexpr std::size_t kHeaderBytes = 80;
  constexpr std::size_t kTriangleBytes = 50;
  Bytes out;
  out.reserve(kHeaderBytes + 4 + static_cast<std::size_t>(mesh.triangles) * kTriangleBytes);
  // The header must not begin with "solid": readers would take the file for ASCII STL.
  std::string header = header_comment(mesh);
  header.resize(kHeaderBytes, ' ');
  put_text(out, header);
  // At most 1.5 times the unmerged mesh's triangles (junction_free_mesh.hpp): well within 32 bits.
  put_u32(out, static_cast<std::uint32_t>(mesh.triangles));
  for (std::size_t qi = 0; qi < mesh.quads.size(); ++qi) {
    const auto n = normal_of(mesh.quads[qi].direction);
    for_each_triangle(mesh, qi, [&](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
      for (const int component : n) {
        put_f32(out, static_cast<float>(component));
      }
      for (const std::uint32_t p : {a, b, c}) {
        for (const float component : to_float(mesh.points[p])) {
          put_f32(out, component);
        }
      }
      put_u16(out, 0);
    });
  }
  return out;
}

}  // namespace

Result<Bytes> export_mesh(const ProjectState& state, MeshFormat format, MeshStats* stats) {
  try {
    if (format != MeshFormat::obj && format != MeshFormat::ply && format != MeshFormat::stl) {
      return make_error(ErrorCode::invalid_argument, "mesh: unknown mesh format");
    }
    Result<Mesh> merged = greedy_mesh(merged_visible(state));
    if (!merged.ok()) {
      return std::move(merged).error();
    }
    const JunctionFreeMesh mesh = remove_t_junctions(std::move(merged).value());
    if (stats != nullptr) {
      stats->quads = static_cast<std::int64_t>(mesh.quads.size());
      stats->triangles = mesh.triangles;
      stats->unmerged_quads = mesh.exposed_faces;
      stats->junction_vertices = mesh.junction_points;
      stats->topology = format == MeshFormat::stl ? fan_topology(mesh) : outline_topology(mesh);
    }
    switch (format) {
      case MeshFormat::obj: return encode_obj(mesh);
      case MeshFormat::ply: return encode_ply(mesh);
      case MeshFormat::stl: return encode_stl(mesh);
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
  MeshStats stats;
  Result<Bytes> bytes = export_mesh(state, format, &stats);
  if (!bytes.ok()) {
    return std::move(bytes).error();
  }
  out = std::move(bytes).value();
  WriteReport report;
  report.mesh = stats.topology;
  return report;
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
