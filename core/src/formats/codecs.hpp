// The codecs behind the format registry (internal to core). To add a format:
//   1. implement its functions in core/src/formats/NAME.cpp and declare them in a block below;
//   2. describe it with an `inline constexpr FileFormat kNameFormat{...}` next to them
//      (null `read` = write-only, null `write` = read-only, null `matches` = no magic);
//   3. append kNameFormat to kFormats in registry.cpp, and NAME.cpp to core/CMakeLists.txt.
#pragma once

#include "qb.hpp"
#include "vox.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/limits.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats {

// ---- Goxel .gox (gox.cpp) ----
[[nodiscard]] bool gox_matches(ByteView head) noexcept;
[[nodiscard]] Result<ProjectState> read_gox(ByteView bytes, const ReadLimits& limits);
[[nodiscard]] Result<WriteReport> write_gox(const ProjectState& state, Bytes& out, const WriteOptions& options);
inline constexpr FileFormat kGoxFormat{"gox",        ".gox",    "Goxel project (layers, materials, cameras)",
                                       &gox_matches, &read_gox, &write_gox};

// ---- Goxel .txt (txt.cpp): one "X Y Z RRGGBB" line per voxel ----
[[nodiscard]] Result<ProjectState> read_txt(ByteView bytes, const ReadLimits& limits);
[[nodiscard]] Result<WriteReport> write_txt(const ProjectState& state, Bytes& out, const WriteOptions& options);
inline constexpr FileFormat kTxtFormat{"txt",   ".txt",    "Goxel text export (one voxel per line)",
                                       nullptr, &read_txt, &write_txt};

// ---- mesh export (mesh.cpp) and PNG render (render_png.cpp): write-only ----
[[nodiscard]] Result<WriteReport> write_obj(const ProjectState& state, Bytes& out, const WriteOptions& options);
[[nodiscard]] Result<WriteReport> write_ply(const ProjectState& state, Bytes& out, const WriteOptions& options);
[[nodiscard]] Result<WriteReport> write_stl(const ProjectState& state, Bytes& out, const WriteOptions& options);
// The default render: iso view, 512 x 512.
[[nodiscard]] Result<WriteReport> write_png(const ProjectState& state, Bytes& out, const WriteOptions& options);
inline constexpr FileFormat kObjFormat{"obj",   ".obj",  "Wavefront OBJ mesh (merged faces, vertex colours)",
                                       nullptr, nullptr, &write_obj};
inline constexpr FileFormat kPlyFormat{"ply",   ".ply",  "binary PLY mesh (merged faces, vertex colours)",
                                       nullptr, nullptr, &write_ply};
inline constexpr FileFormat kStlFormat{"stl",   ".stl",  "binary STL mesh (merged faces, no colour)",
                                       nullptr, nullptr, &write_stl};
inline constexpr FileFormat kPngFormat{"png",   ".png",  "PNG render of the model (iso view, 512 x 512)",
                                       nullptr, nullptr, &write_png};
// ---- glTF 2.0 (gltf_write.cpp): write-only; one node and mesh per visible layer, y up ----
[[nodiscard]] Result<WriteReport> write_gltf(const ProjectState& state, Bytes& out, const WriteOptions& options);
[[nodiscard]] Result<WriteReport> write_glb(const ProjectState& state, Bytes& out, const WriteOptions& options);
inline constexpr FileFormat kGltfFormat{
    "gltf", ".gltf", "glTF 2.0 scene, JSON with the buffer embedded (a mesh per layer)", nullptr, nullptr, &write_gltf};
inline constexpr FileFormat kGlbFormat{"glb",   ".glb",  "glTF 2.0 scene, binary container (a mesh per layer)",
                                       nullptr, nullptr, &write_glb};
// ---- MagicaVoxel .vox (vox_read.cpp, vox_write.cpp; functions declared in vox.hpp) ----
inline constexpr FileFormat kVoxFormat{
    "vox", ".vox", "MagicaVoxel model (models in a scene graph, 255 colours)", &vox_matches, &read_vox, &write_vox};
// SLAB6 .vox files (slab6.cpp) share the extension and are read through this entry: vox_matches
// also accepts their layout (they have no magic) and read_vox hands them to read_slab6.
// ---- Qubicle .qb (qb_read.cpp, qb_write.cpp; functions declared in qb.hpp) ----
inline constexpr FileFormat kQbFormat{
    "qb", ".qb", "Qubicle binary (a matrix per layer, run-length compressed)", &qb_matches, &read_qb, &write_qb};

}  // namespace voxd::core::formats
