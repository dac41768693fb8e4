#include "junction_free_mesh.hpp"

#include <cstddef>
#include <utility>

#include <absl/container/flat_hash_map.h>

namespace voxd::core::formats {

namespace {

struct LatticeKey {
  std::int32_t x = 0;
  std::int32_t y = 0;
  std::int32_t z = 0;
  friend bool operator==(const LatticeKey&, const LatticeKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const LatticeKey& k) {  // NOLINT(readability-identifier-naming): absl's name
    return H::combine(std::move(h), k.x, k.y, k.z);
  }
};

LatticeKey key_of(const Corner& c) noexcept {
  return {static_cast<std::int32_t>(c[0]), static_cast<std::int32_t>(c[1]), static_cast<std::int32_t>(c[2])};
}

HalfPoint half_of(const Corner& c) noexcept {
  return {2 * c[0], 2 * c[1], 2 * c[2]};
}

}  // namespace

JunctionFreeMesh remove_t_junctions(Mesh mesh) {
  JunctionFreeMesh out;
  out.quads = std::move(mesh.quads);
  out.exposed_faces = mesh.exposed_faces;
  const std::size_t quads = out.quads.size();

  absl::flat_hash_map<LatticeKey, std::uint32_t> corner_index;
  corner_index.reserve(quads * 2);
  for (const Quad& q : out.quads) {
    for (const Corner& c : corners_of(q)) {
      const auto [it, inserted] = corner_index.try_emplace(key_of(c), static_cast<std::uint32_t>(out.points.size()));
      if (inserted) {
        out.points.push_back(half_of(c));
      }
    }
  }

  out.outline_start.reserve(quads + 1);
  out.outline.reserve(quads * 4);
  out.centre.assign(quads, kNoCentre);
  std::vector<std::uint32_t> ring;  // one quad's outline from corner 0
  for (std::size_t qi = 0; qi < quads; ++qi) {
    const auto corners = corners_of(out.quads[qi]);
    ring.clear();
    std::array<std::size_t, 4> at{};  // where each corner is in `ring`
    std::array<bool, 4> gained{};     // edge k (corner k to k+1) gained points
    for (std::size_t k = 0; k < 4; ++k) {
      const Corner& a = corners[k];
      const Corner& b = corners[(k + 1) % 4];
      at[k] = ring.size();
      ring.push_back(corner_index.at(key_of(a)));
      // An edge runs along one axis; the lattice points strictly inside it, in order from a to b. Their
      // number over all quads is at most the perimeters', bounded as the header says.
      std::size_t axis = 0;
      while (a[axis] == b[axis]) {
        ++axis;
      }
      const std::int64_t step = b[axis] > a[axis] ? 1 : -1;
      Corner p = a;
      for (p[axis] += step; p[axis] != b[axis]; p[axis] += step) {
        if (const auto it = corner_index.find(key_of(p)); it != corner_index.end()) {
          ring.push_back(it->second);
          gained[k] = true;
        }
      }
    }
    out.junction_points += static_cast<std::int64_t>(ring.size()) - 4;

    // A fan from corner k needs its two edges (k-1 to k, k to k+1) without points.
    std::size_t apex = 4;
    for (std::size_t k = 0; k < 4 && apex == 4; ++k) {
      if (!gained[k] && !gained[(k + 3) % 4]) {
        apex = k;
      }
    }
    out.outline_start.push_back(static_cast<std::uint32_t>(out.outline.size()));
    const std::size_t first = apex == 4 ? 0 : at[apex];
    for (std::size_t i = 0; i < ring.size(); ++i) {
      out.outline.push_back(ring[(first + i) % ring.size()]);
    }
    if (apex == 4) {
      // Opposite corners summed are twice the centre, which is what half units hold.
      out.centre[qi] = static_cast<std::uint32_t>(out.points.size());
      out.points.push_back({corners[0][0] + corners[2][0], corners[0][1] + corners[2][1], corners[0][2] + corners[2][2]});
      out.triangles += static_cast<std::int64_t>(ring.size());
    } else {
      out.triangles += static_cast<std::int64_t>(ring.size()) - 2;
    }
  }
  out.outline_start.push_back(static_cast<std::uint32_t>(out.outline.size()));
  return out;
}

}  // namespace voxd::core::formats
