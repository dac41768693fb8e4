// The format registry: every file format voxd reads or writes, found by extension or by magic bytes.
// Readers treat their input as hostile (sizes bounded by what remains, allocations capped by
// ReadLimits, no unbounded recursion) and return a format error naming the position and the reason.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "voxd/core/error.hpp"
#include "voxd/core/limits.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

struct WriteOptions {
  bool thumbnail = true;  // .gox: write a PREV chunk (a small render) for Goxel's file browser
  // .gltf: the file name (no folder) of a side file to hold the binary buffer, which the caller writes beside
  // the .gltf (WriteReport::side_files), e.g. "model.bin" from gltf_buffer_name_for("out/model.gltf"). Empty:
  // the buffer is embedded as a base64 data: URI, so the one byte stream is the whole asset.
  std::string gltf_buffer_file{};
};

// A file that belongs beside the one written (a .gltf's .bin buffer).
struct SideFile {
  std::string name;  // a file name, no folder: it goes in the main file's folder
  std::vector<std::uint8_t> bytes;
};

// The surface a mesh file holds, measured on the faces written with their vertices welded by position (what
// slicers and trimesh's is_watertight look at). An edge is a segment between two welded vertices.
struct MeshTopology {
  std::int64_t faces = 0;      // faces written: triangles (.stl, glTF) or polygons (.obj, .ply)
  std::int64_t triangles = 0;  // the triangles of those faces (a polygon of n vertices is n - 2)
  std::int64_t boundary_edges = 0;      // used by one face: a crack (a T-junction shows up as one)
  std::int64_t nonmanifold_edges = 0;   // used by more than two faces: voxels that touch only along an edge
  std::int64_t inconsistent_edges = 0;  // used by two faces walking it the same way (a flipped face)
  bool watertight = false;              // none of the three
};

// What a writer tells its caller besides the bytes.
struct WriteReport {
  bool lossy = false;   // e.g. .vox with more than 255 colours was quantised; .txt drops layers
  std::string warning;  // why, for the user
  std::vector<SideFile> side_files{};  // to be written beside the main file, before it (it refers to them)
  std::optional<MeshTopology> mesh{};  // mesh formats (.obj, .ply, .stl, .gltf, .glb); glTF: all layers together
};

// The name of a .gltf's side buffer: the file name of the path with the extension ".bin".
[[nodiscard]] std::string gltf_buffer_name_for(std::string_view gltf_path);

struct FileFormat {
  std::string_view name;       // "gox"
  std::string_view extension;  // ".gox" (matched case-insensitively)
  std::string_view description;
  // True when the first bytes identify this format (null: no magic, e.g. .txt).
  bool (*matches)(ByteView head) = nullptr;
  // Null when the format is write-only (meshes, png).
  Result<ProjectState> (*read)(ByteView bytes, const ReadLimits& limits) = nullptr;
  // Null when the format is read-only.
  Result<WriteReport> (*write)(const ProjectState& state, Bytes& out, const WriteOptions& options) = nullptr;
};

// Every registered format, in a stable order.
[[nodiscard]] std::span<const FileFormat> all_formats() noexcept;
// The format of a file name or extension ("a/b.GOX", ".gox", "gox"); null when unknown.
[[nodiscard]] const FileFormat* format_for_path(std::string_view path_or_extension) noexcept;
// The format whose magic matches; null when none does.
[[nodiscard]] const FileFormat* format_for_content(ByteView head) noexcept;

// Reads bytes whose format comes from the magic, else from the name's extension.
[[nodiscard]] Result<ProjectState> read_bytes(ByteView bytes, std::string_view name_hint, const ReadLimits& limits);
// Writes in the format of the extension.
[[nodiscard]] Result<WriteReport> write_bytes(const ProjectState& state, std::string_view path_or_extension, Bytes& out,
                                              const WriteOptions& options = {});

}  // namespace voxd::core::formats
