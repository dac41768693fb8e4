// An independent watertightness check of mesh files parsed back: vertices welded by position (as trimesh and
// slicers do), then every edge's uses counted per direction, and every vertex looked for strictly inside every
// edge (a T-junction). Positions are in half voxel units, so that a fan's centre is a lattice point too.
#pragma once

#include <array>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "voxd/core/volume.hpp"

namespace voxd::test {

using HalfPoint = std::array<std::int64_t, 3>;
using Polygon = std::vector<HalfPoint>;  // counter-clockwise seen from outside

struct EdgeCheck {
  std::int64_t faces = 0;
  std::int64_t boundary = 0;      // an edge used once
  std::int64_t nonmanifold = 0;   // used more than twice
  std::int64_t inconsistent = 0;  // used twice, the same way
  std::int64_t unbalanced = 0;    // walked more often one way than the other (a crack or a flipped face)
  std::int64_t t_junctions = 0;   // a vertex strictly inside an edge
  std::int64_t degenerate = 0;    // a face with a repeated vertex, or a triangle of zero area
};

inline HalfPoint half_sub(const HalfPoint& a, const HalfPoint& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

inline EdgeCheck check_edges(const std::vector<Polygon>& faces) {
  EdgeCheck check;
  std::set<HalfPoint> vertices;
  std::map<std::pair<HalfPoint, HalfPoint>, std::array<int, 2>> uses;  // (lower, higher) -> {forward, backward}
  for (const Polygon& face : faces) {
    ++check.faces;
    for (std::size_t i = 0; i < face.size(); ++i) {
      vertices.insert(face[i]);
      const HalfPoint& a = face[i];
      const HalfPoint& b = face[(i + 1) % face.size()];
      if (a == b) {
        ++check.degenerate;
        continue;
      }
      auto& count = a < b ? uses[{a, b}] : uses[{b, a}];
      ++count[a < b ? 0 : 1];
    }
    if (face.size() == 3) {
      const HalfPoint u = half_sub(face[1], face[0]);
      const HalfPoint v = half_sub(face[2], face[0]);
      const HalfPoint n{u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
      check.degenerate += n == HalfPoint{0, 0, 0} ? 1 : 0;
    }
  }
  for (const auto& [edge, count] : uses) {
    const int total = count[0] + count[1];
    check.boundary += total == 1 ? 1 : 0;
    check.nonmanifold += total > 2 ? 1 : 0;
    check.inconsistent += total == 2 && count[0] != 1 ? 1 : 0;
    check.unbalanced += count[0] != count[1] ? 1 : 0;
    // Every half-unit lattice point strictly inside the edge, looked up among the vertices.
    const HalfPoint d = half_sub(edge.second, edge.first);
    const std::int64_t steps = std::gcd(std::gcd(std::abs(d[0]), std::abs(d[1])), std::abs(d[2]));
    for (std::int64_t k = 1; k < steps; ++k) {
      const HalfPoint p{edge.first[0] + d[0] / steps * k, edge.first[1] + d[1] / steps * k,
                        edge.first[2] + d[2] / steps * k};
      check.t_junctions += vertices.contains(p) ? 1 : 0;
    }
  }
  return check;
}

// Unit edges of the voxel grid where exactly two diagonally opposite voxels of the four around it are solid:
// the surface meets itself there, and no mesh of it can be a manifold.
inline std::int64_t diagonal_contacts(const core::Volume& volume) {
  std::set<std::array<std::int64_t, 4>> found;  // axis and the edge's lower end
  volume.for_each_voxel([&](core::Vec3i p, core::Color c) {
    if (!c.solid()) {
      return;
    }
    const auto solid = [&](int x, int y, int z) { return volume.get({x, y, z}).solid(); };
    for (int axis = 0; axis < 3; ++axis) {
      // The two other axes, and the four diagonal neighbours across an edge along `axis`.
      const int a = (axis + 1) % 3;
      const int b = (axis + 2) % 3;
      for (const auto& [da, db] : {std::pair{1, 1}, std::pair{1, -1}, std::pair{-1, 1}, std::pair{-1, -1}}) {
        std::array<int, 3> q{p.x, p.y, p.z};
        std::array<int, 3> side_a = q;
        std::array<int, 3> side_b = q;
        q[static_cast<std::size_t>(a)] += da;
        q[static_cast<std::size_t>(b)] += db;
        side_a[static_cast<std::size_t>(a)] += da;
        side_b[static_cast<std::size_t>(b)] += db;
        if (solid(q[0], q[1], q[2]) && !solid(side_a[0], side_a[1], side_a[2]) &&
            !solid(side_b[0], side_b[1], side_b[2])) {
          std::array<std::int64_t, 4> key{axis, p.x, p.y, p.z};
          key[static_cast<std::size_t>(a) + 1] += da > 0 ? 1 : 0;
          key[static_cast<std::size_t>(b) + 1] += db > 0 ? 1 : 0;
          found.insert(key);
        }
      }
    }
  });
  return static_cast<std::int64_t>(found.size());
}

}  // namespace voxd::test
