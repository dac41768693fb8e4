// A mesh export's topology (docs/formats-mesh-render.md) as voxctl shows it: a JSON object for --json, a
// short phrase for people.
#pragma once

#include <string>

#include "voxd/core/formats/format.hpp"

namespace voxd::voxctl {

// {"triangles":..,"faces":..,"watertight":..,"boundary_edges":..,"nonmanifold_edges":..,"inconsistent_edges":..}
[[nodiscard]] std::string mesh_json(const core::formats::MeshTopology& mesh);
// "2404 triangles, watertight" or "2404 triangles, not watertight: 3 non-manifold edges (...)".
[[nodiscard]] std::string mesh_phrase(const core::formats::MeshTopology& mesh);

}  // namespace voxd::voxctl
