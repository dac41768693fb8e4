#include "junction_free_mesh.hpp"

#include <algorithm>
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

constexpr std::uint32_t kNoPoint = 0xFFFFFFFFU;

// The point of each corner position. A surface that fills its bounding box densely (noise, terrain) gets
// a grid over the box's lattice points (at most 32 entries, 128 bytes, per quad and 256 MiB in all), whose
// lookups stay in cache where a hash table's miss it; anything sparser gets the hash table.
class CornerIndex {
 public:
  explicit CornerIndex(const std::vector<Quad>& quads) {
    Corner lo{};
    Corner hi{};
    bool first = true;
    for (const Quad& q : quads) {
      for (const Corner& c : corners_of(q)) {
        for (std::size_t k = 0; k < 3; ++k) {
          lo[k] = first ? c[k] : std::min(lo[k], c[k]);
          hi[k] = first ? c[k] : std::max(hi[k], c[k]);
        }
        first = false;
      }
    }
    std::int64_t lattice = 1;
    for (std::size_t k = 0; k < 3 && !first; ++k) {
      extent_[k] = hi[k] - lo[k] + 1;
      lattice = lattice > kMaxGrid ? lattice : lattice * extent_[k];
    }
    origin_ = lo;
    if (!first && lattice <= std::min<std::int64_t>(kMaxGrid, 32 * static_cast<std::int64_t>(quads.size()))) {
      grid_.assign(static_cast<std::size_t>(lattice), kNoPoint);
    } else {
      map_.reserve(quads.size() * 2);
    }
  }

  // The point at c, made `next` when there is none yet; returns it and whether it was made.
  std::pair<std::uint32_t, bool> insert(const Corner& c, std::uint32_t next) {
    if (!grid_.empty()) {
      std::uint32_t& slot = grid_[cell(c)];
      const bool made = slot == kNoPoint;
      if (made) {
        slot = next;
      }
      return {slot, made};
    }
    const auto [it, made] = map_.try_emplace(key_of(c), next);
    return {it->second, made};
  }

  // The point at c, or kNoPoint (c lies within the corners' bounding box: it is inside a quad's edge).
  [[nodiscard]] std::uint32_t find(const Corner& c) const {
    if (!grid_.empty()) {
      return grid_[cell(c)];
    }
    const auto it = map_.find(key_of(c));
    return it == map_.end() ? kNoPoint : it->second;
  }

 private:
  static constexpr std::int64_t kMaxGrid = std::int64_t{1} << 26;  // 256 MiB

  [[nodiscard]] std::size_t cell(const Corner& c) const noexcept {
    return static_cast<std::size_t>((c[0] - origin_[0]) +
                                    extent_[0] * ((c[1] - origin_[1]) + extent_[1] * (c[2] - origin_[2])));
  }

  Corner origin_{};
  std::array<std::int64_t, 3> extent_{};
  std::vector<std::uint32_t> grid_;
  absl::flat_hash_map<LatticeKey, std::uint32_t> map_;
};

}  // namespace

JunctionFreeMesh remove_t_junctions(Mesh mesh) {
  JunctionFreeMesh out;
  out.quads = std::move(mesh.quads);
  out.exposed_faces = mesh.exposed_faces;
  const std::size_t quads = out.quads.size();

  // Each corner's point, found once (the second pass only looks up points inside long edges).
  CornerIndex corner_index(out.quads);
  std::vector<std::uint32_t> corner_points;
  corner_points.reserve(quads * 4);
  for (const Quad& q : out.quads) {
    for (const Corner& c : corners_of(q)) {
      const auto [point, made] = corner_index.insert(c, static_cast<std::uint32_t>(out.points.size()));
      if (made) {
        out.points.push_back(half_of(c));
      }
      corner_points.push_back(point);
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
      ring.push_back(corner_points[4 * qi + k]);
      // An edge runs along one axis; the lattice points strictly inside it, in order from a to b. Their
      // number over all quads is at most the perimeters', bounded as the header says (and unit edges,
      // most of a noisy model's, have none).
      std::size_t axis = 0;
      while (a[axis] == b[axis]) {
        ++axis;
      }
      const std::int64_t step = b[axis] > a[axis] ? 1 : -1;
      Corner p = a;
      for (p[axis] += step; p[axis] != b[axis]; p[axis] += step) {
        if (const std::uint32_t point = corner_index.find(p); point != kNoPoint) {
          ring.push_back(point);
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
