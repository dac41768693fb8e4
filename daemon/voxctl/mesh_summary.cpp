#include "mesh_summary.hpp"

#include "output.hpp"

namespace voxd::voxctl {

std::string mesh_json(const core::formats::MeshTopology& mesh) {
  return JsonObject()
      .add("triangles", mesh.triangles)
      .add("faces", mesh.faces)
      .add("watertight", mesh.watertight)
      .add("boundary_edges", mesh.boundary_edges)
      .add("nonmanifold_edges", mesh.nonmanifold_edges)
      .add("inconsistent_edges", mesh.inconsistent_edges)
      .str();
}

std::string mesh_phrase(const core::formats::MeshTopology& mesh) {
  std::string text = std::to_string(mesh.triangles) + " triangles, ";
  if (mesh.watertight) {
    return text + "watertight";
  }
  text += "not watertight:";
  const char* separator = " ";
  if (mesh.nonmanifold_edges > 0) {
    text += separator + std::to_string(mesh.nonmanifold_edges) +
            " non-manifold edges (voxels touching only along an edge)";
    separator = ", ";
  }
  if (mesh.boundary_edges > 0) {
    text += separator + std::to_string(mesh.boundary_edges) + " boundary edges";
    separator = ", ";
  }
  if (mesh.inconsistent_edges > 0) {
    text += separator + std::to_string(mesh.inconsistent_edges) + " inconsistently oriented edges";
  }
  return text;
}

}  // namespace voxd::voxctl
