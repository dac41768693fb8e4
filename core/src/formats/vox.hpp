// MagicaVoxel .vox: the codec behind the registry's "vox" entry (see docs/formats-vox.md).
#pragma once

#include "voxd/core/formats/format.hpp"

namespace voxd::core::formats {

// True when the bytes start with the "VOX " magic, or are a whole SLAB6 .vox file (slab6.hpp).
[[nodiscard]] bool vox_matches(ByteView head);
// One layer per model instance of the scene graph (or per model when there is none); a SLAB6 file
// gives one layer.
[[nodiscard]] Result<ProjectState> read_vox(ByteView bytes, const ReadLimits& limits);
// Every layer as one or more models (at most 256^3 each) placed by the scene graph, with one shared
// palette of at most 255 colours; more colours are quantised and the report says so.
[[nodiscard]] Result<WriteReport> write_vox(const ProjectState& state, Bytes& out, const WriteOptions& options);

}  // namespace voxd::core::formats
