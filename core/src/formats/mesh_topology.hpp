// Measures a mesh's topology the way watertightness checks do: vertices welded by position (the caller
// gives welded vertex indices and their positions), then every edge's uses counted per direction.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "junction_free_mesh.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::core::formats {

class EdgeTally {
 public:
  // `points` are the welded vertices' positions; they must outlive the tally.
  explicit EdgeTally(std::span<const HalfPoint> points);

  // One face written, its welded vertices in winding order (counter-clockwise seen from outside).
  void add_face(std::span<const std::uint32_t> vertices);
  void add_triangle(std::uint32_t a, std::uint32_t b, std::uint32_t c);
  // A face given edge by edge: count_face() once, add_edge() for each edge in winding order.
  void count_face() noexcept { ++faces_; }
  void add_edge(std::uint32_t from, std::uint32_t to);
  // An edge whose uses were counted by the caller (the inner edges of one rectangle's fan, which no other
  // face reaches).
  void add_counted_edge(std::uint32_t forward, std::uint32_t backward);

  // The counts so far; `triangles` is what the faces amount to (the caller knows how they were cut).
  [[nodiscard]] MeshTopology result(std::int64_t triangles) const;

 private:
  // Uses of one edge; both saturate, since anything above two is already non-manifold.
  struct Uses {
    std::uint32_t other = 0xFFFFFFFFU;  // the upper end (axis_edges_), unset while 0xFFFFFFFF
    std::uint16_t forward = 0;          // from the lower end to the upper
    std::uint16_t backward = 0;
  };
  static void count(Uses& uses, bool forward) noexcept;

  std::span<const HalfPoint> points_;
  // A voxel mesh's edges run along the axes. Without T-junctions only one edge leaves a point towards +x (it
  // ends at the next vertex on that line), so it has a slot: index 3 * lower end + axis. An edge that is not
  // axis-aligned, or finds its slot taken by an edge to another point, is kept in the map instead.
  std::vector<Uses> axis_edges_;
  absl::flat_hash_map<std::uint64_t, Uses> other_edges_;  // (lower index << 32 | higher index)
  std::int64_t faces_ = 0;
  MeshTopology counted_;  // add_counted_edge's edges, classified
};

// The topology of the fans .stl and glTF write: each fan's inner edges (inside its rectangle, where no
// other face reaches) counted within the rectangle, the outline pieces in the tally.
[[nodiscard]] MeshTopology fan_topology(const JunctionFreeMesh& mesh);
// The topology of the outlines .obj and .ply write as polygons.
[[nodiscard]] MeshTopology outline_topology(const JunctionFreeMesh& mesh);

}  // namespace voxd::core::formats
