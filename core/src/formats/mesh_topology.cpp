#include "mesh_topology.hpp"

#include <cstddef>

namespace voxd::core::formats {

void EdgeTally::add_edge(std::uint32_t from, std::uint32_t to) {
  const bool forward = from < to;
  const std::uint64_t key = forward ? (std::uint64_t{from} << 32U) | to : (std::uint64_t{to} << 32U) | from;
  std::uint32_t& count = uses_[key];
  const unsigned shift = forward ? 0U : 16U;
  if (((count >> shift) & 0xFFFFU) != 0xFFFFU) {
    count += 1U << shift;
  }
}

void EdgeTally::add_face(std::span<const std::uint32_t> vertices) {
  ++faces_;
  for (std::size_t i = 0; i < vertices.size(); ++i) {
    add_edge(vertices[i], vertices[(i + 1) % vertices.size()]);
  }
}

void EdgeTally::add_triangle(std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  ++faces_;
  add_edge(a, b);
  add_edge(b, c);
  add_edge(c, a);
}

MeshTopology EdgeTally::result(std::int64_t triangles) const {
  MeshTopology t;
  t.faces = faces_;
  t.triangles = triangles;
  for (const auto& [key, count] : uses_) {
    const std::uint32_t forward = count & 0xFFFFU;
    const std::uint32_t backward = count >> 16U;
    const std::uint32_t uses = forward + backward;
    if (uses == 1) {
      ++t.boundary_edges;
    } else if (uses > 2) {
      ++t.nonmanifold_edges;
    } else if (forward != 1) {
      ++t.inconsistent_edges;
    }
  }
  t.watertight = t.boundary_edges == 0 && t.nonmanifold_edges == 0 && t.inconsistent_edges == 0;
  return t;
}

}  // namespace voxd::core::formats
