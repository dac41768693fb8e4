// The codecs behind the format registry (internal to core). To add a format:
//   1. implement its functions in core/src/formats/NAME.cpp and declare them in a block below;
//   2. describe it with an `inline constexpr FileFormat kNameFormat{...}` next to them
//      (null `read` = write-only, null `write` = read-only, null `matches` = no magic);
//   3. append kNameFormat to kFormats in registry.cpp, and NAME.cpp to core/CMakeLists.txt.
#pragma once

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

}  // namespace voxd::core::formats
