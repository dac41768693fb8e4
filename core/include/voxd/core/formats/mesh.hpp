// Mesh export of the model (merged visible layers): faces between solid and empty voxels only, coplanar
// faces of one colour merged into rectangles (greedy meshing), T-junctions removed so that the surface is
// watertight once vertices are welded by position (except where voxels touch only along an edge, which
// the topology reports), in voxel coordinates (voxel (x,y,z) spans [x,x+1] x [y,y+1] x [z,z+1]).
#pragma once

#include <cstdint>

#include "voxd/core/error.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats {

enum class MeshFormat : std::int32_t { obj = 0, ply = 1, stl = 2 };

struct MeshStats {
  std::int64_t quads = 0;              // after merging: the faces .obj and .ply write
  std::int64_t triangles = 0;          // what .stl writes: 2 per quad without T-junction vertices, more with
  std::int64_t unmerged_quads = 0;     // one per exposed voxel face, for comparison
  std::int64_t junction_vertices = 0;  // corners of quads put into other quads' edges (T-junctions removed)
  MeshTopology topology;               // of the format's faces as written (the file's WriteReport::mesh)
};

[[nodiscard]] Result<Bytes> export_mesh(const ProjectState& state, MeshFormat format, MeshStats* stats = nullptr);

}  // namespace voxd::core::formats
