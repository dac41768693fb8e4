#include "mesh_topology.hpp"

#include <algorithm>
#include <cstddef>
#include <tuple>

namespace voxd::core::formats {

EdgeTally::EdgeTally(std::span<const HalfPoint> points) : points_(points), axis_edges_(3 * points.size()) {}

void EdgeTally::count(Uses& uses, bool forward) noexcept {
  std::uint16_t& n = forward ? uses.forward : uses.backward;
  if (n != 0xFFFFU) {
    ++n;
  }
}

void EdgeTally::add_edge(std::uint32_t from, std::uint32_t to) {
  const HalfPoint& a = points_[from];
  const HalfPoint& b = points_[to];
  int moving = 0;
  std::size_t axis = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    if (a[k] != b[k]) {
      ++moving;
      axis = k;
    }
  }
  const bool forward = a[axis] < b[axis];
  const std::uint32_t lower = forward ? from : to;
  const std::uint32_t upper = forward ? to : from;
  if (moving == 1) {
    Uses& slot = axis_edges_[3 * std::size_t{lower} + axis];
    if (slot.other == 0xFFFFFFFFU) {
      slot.other = upper;
    }
    if (slot.other == upper) {
      count(slot, forward);
      return;
    }
  }
  const bool by_index = from < to;
  const std::uint64_t key = by_index ? (std::uint64_t{from} << 32U) | to : (std::uint64_t{to} << 32U) | from;
  count(other_edges_[key], by_index);
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

namespace {
void classify(std::uint32_t forward, std::uint32_t backward, MeshTopology& t) {
  const std::uint32_t uses = forward + backward;
  if (uses == 1) {
    ++t.boundary_edges;
  } else if (uses > 2) {
    ++t.nonmanifold_edges;
  } else if (uses == 2 && forward != 1) {
    ++t.inconsistent_edges;
  }
}
}  // namespace

void EdgeTally::add_counted_edge(std::uint32_t forward, std::uint32_t backward) {
  classify(forward, backward, counted_);
}

MeshTopology EdgeTally::result(std::int64_t triangles) const {
  MeshTopology t = counted_;
  t.faces = faces_;
  t.triangles = triangles;
  for (const Uses& uses : axis_edges_) {
    classify(uses.forward, uses.backward, t);
  }
  for (const auto& [key, uses] : other_edges_) {
    classify(uses.forward, uses.backward, t);
  }
  t.watertight = t.boundary_edges == 0 && t.nonmanifold_edges == 0 && t.inconsistent_edges == 0;
  return t;
}

MeshTopology outline_topology(const JunctionFreeMesh& mesh) {
  EdgeTally tally(mesh.points);
  for (std::size_t qi = 0; qi < mesh.quads.size(); ++qi) {
    tally.add_face(mesh.outline_of(qi));
  }
  return tally.result(static_cast<std::int64_t>(mesh.outline.size()) -
                      2 * static_cast<std::int64_t>(mesh.quads.size()));
}

MeshTopology fan_topology(const JunctionFreeMesh& mesh) {
  EdgeTally tally(mesh.points);
  struct InnerUse {
    std::uint32_t lo;
    std::uint32_t hi;
    bool forward;
  };
  std::vector<InnerUse> inner;
  for (std::size_t qi = 0; qi < mesh.quads.size(); ++qi) {
    // The rectangle in half units on its two in-plane axes: an edge whose midpoint is strictly inside it
    // is an inner edge of the fan.
    const Quad& q = mesh.quads[qi];
    const auto a = static_cast<std::size_t>(axis_of(q.direction));
    const std::size_t ua = (a + 1) % 3;
    const std::size_t va = (a + 2) % 3;
    const auto strictly_inside = [&](std::uint32_t p, std::uint32_t r) {
      // Midpoint in quarter units against the rectangle in quarter units.
      const std::int64_t mu = mesh.points[p][ua] + mesh.points[r][ua];
      const std::int64_t mv = mesh.points[p][va] + mesh.points[r][va];
      return mu > 4 * std::int64_t{q.u0} && mu < 4 * std::int64_t{q.u1} && mv > 4 * std::int64_t{q.v0} &&
             mv < 4 * std::int64_t{q.v1};
    };
    inner.clear();
    const auto edge = [&](std::uint32_t from, std::uint32_t to) {
      if (strictly_inside(from, to)) {
        inner.push_back(from < to ? InnerUse{from, to, true} : InnerUse{to, from, false});
      } else {
        tally.add_edge(from, to);
      }
    };
    for_each_triangle(mesh, qi, [&](std::uint32_t p0, std::uint32_t p1, std::uint32_t p2) {
      tally.count_face();
      edge(p0, p1);
      edge(p1, p2);
      edge(p2, p0);
    });
    std::sort(inner.begin(), inner.end(),
              [](const InnerUse& x, const InnerUse& y) { return std::tie(x.lo, x.hi) < std::tie(y.lo, y.hi); });
    for (std::size_t i = 0; i < inner.size();) {
      std::uint32_t forward = 0;
      std::uint32_t backward = 0;
      std::size_t j = i;
      for (; j < inner.size() && inner[j].lo == inner[i].lo && inner[j].hi == inner[i].hi; ++j) {
        ++(inner[j].forward ? forward : backward);
      }
      tally.add_counted_edge(forward, backward);
      i = j;
    }
  }
  return tally.result(mesh.triangles);
}

}  // namespace voxd::core::formats
