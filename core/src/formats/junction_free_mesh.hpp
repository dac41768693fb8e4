// T-junction removal: a greedy mesh's rectangles, each given every vertex that lies on its outline.
//
// Where a large quad meets smaller ones, a corner of a small quad lies in the middle of the large quad's
// edge (a T-junction). The surface is closed, but once vertices are welded by position the long edge and the
// short ones are different edges: watertightness checks (slicers, trimesh) call the mesh open and renderers
// show cracks there. So each quad's outline takes, in order along each edge, every quad corner that lies
// strictly inside that edge. The outlines of two quads that meet then share each piece of their common
// edge exactly.
//
// A quad with such points is a polygon. Triangle formats fan it from a corner whose two edges gained no
// point (no fan triangle is then degenerate: the other vertices lie on the two edges that do not pass
// through that corner), else from the rectangle's centre, an extra vertex strictly inside it. Either way
// each piece of the outline is an edge of exactly one triangle, and the inner edges of the fan are shared
// by two triangles of that quad, walked both ways.
//
// Bounds: an outline's vertices are lattice points of a w x h rectangle's boundary, at most 2(w+h) <= 4wh,
// so never more than four per merged voxel face (the unmerged mesh's count). A corner fan has n - 2 <=
// 2wh triangles; a centre fan (two opposite edges gained points, so the rectangle covers two faces or
// more) has n <= 2wh + 2 <= 3wh. kMaxExposedFaces therefore bounds these too, at most 1.5 times the
// triangles of the unmerged mesh.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "greedy_mesher.hpp"

namespace voxd::core::formats {

// A vertex position in half voxel units (the centre of an odd-sized rectangle is a half-integer point).
using HalfPoint = std::array<std::int64_t, 3>;

[[nodiscard]] inline std::array<float, 3> to_float(const HalfPoint& p) noexcept {
  return {static_cast<float>(p[0]) / 2.0F, static_cast<float>(p[1]) / 2.0F, static_cast<float>(p[2]) / 2.0F};
}

inline constexpr std::uint32_t kNoCentre = 0xFFFFFFFFU;

struct JunctionFreeMesh {
  std::vector<Quad> quads;
  std::int64_t exposed_faces = 0;
  // Every distinct vertex position, each once: the quads' corners, then the centres of centre fans. A
  // point's index is its welded vertex.
  std::vector<HalfPoint> points;
  // Quad i's outline is outline[outline_start[i] .. outline_start[i+1]), point indices counter-clockwise
  // seen from outside, starting at the corner its fan starts from (any corner for a centre fan).
  std::vector<std::uint32_t> outline;
  std::vector<std::uint32_t> outline_start;
  std::vector<std::uint32_t> centre;  // per quad: its centre's point, or kNoCentre for a corner fan
  std::int64_t junction_points = 0;   // outline vertices that are not the quad's own corners
  std::int64_t triangles = 0;         // of all the fans

  [[nodiscard]] std::span<const std::uint32_t> outline_of(std::size_t quad) const noexcept {
    return std::span(outline).subspan(outline_start[quad], outline_start[quad + 1] - outline_start[quad]);
  }
};

// Takes the mesh's quads; the corners' coordinates fit int32 (greedy_mesh refuses anything else).
[[nodiscard]] JunctionFreeMesh remove_t_junctions(Mesh mesh);

// Calls emit(a, b, c) with the point indices of quad i's fan triangles, counter-clockwise from outside.
template <typename Emit>
void for_each_triangle(const JunctionFreeMesh& mesh, std::size_t quad, Emit&& emit) {
  const std::span<const std::uint32_t> o = mesh.outline_of(quad);
  const std::size_t n = o.size();
  if (const std::uint32_t c = mesh.centre[quad]; c != kNoCentre) {
    for (std::size_t i = 0; i < n; ++i) {
      emit(c, o[i], o[(i + 1) % n]);
    }
    return;
  }
  for (std::size_t i = 1; i + 1 < n; ++i) {
    emit(o[0], o[i], o[i + 1]);
  }
}

}  // namespace voxd::core::formats
