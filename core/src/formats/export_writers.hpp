// The write-only formats' entries for the format registry (the FileFormat write signature): the mesh
// files (mesh.cpp) and the PNG render (render_png.cpp, the default iso 512x512 view).
#pragma once

#include "voxd/core/error.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats {

[[nodiscard]] Result<WriteReport> write_obj(const ProjectState& state, Bytes& out, const WriteOptions& options);
[[nodiscard]] Result<WriteReport> write_ply(const ProjectState& state, Bytes& out, const WriteOptions& options);
[[nodiscard]] Result<WriteReport> write_stl(const ProjectState& state, Bytes& out, const WriteOptions& options);
[[nodiscard]] Result<WriteReport> write_png(const ProjectState& state, Bytes& out, const WriteOptions& options);

}  // namespace voxd::core::formats
