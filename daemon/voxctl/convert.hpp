// voxctl convert: reads a model file and writes it in another format with the core in-process (no daemon),
// optionally cropped, scaled, with its layers merged or split into one file each. docs/daemon.md.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "voxd/core/error.hpp"
#include "voxd/core/geometry.hpp"

namespace voxd::voxctl {

inline constexpr int kMaxScale = 64;

struct ConvertOptions {
  std::string input;
  std::string output;
  int scale = 1;                  // each voxel becomes scale^3 voxels, 1..kMaxScale
  std::optional<core::Box> crop;  // keep only the voxels inside (both corners inclusive), before scaling
  bool merge_layers = false;      // one layer: the visible layers composed (hidden layers are left out)
  bool split_layers = false;      // one file per layer: OUT's stem + "-" + the layer's name + OUT's extension
  bool json = false;              // the summary as JSON
  bool progress = false;          // progress lines on `err` even when it is not a terminal
};

// Runs the conversion and returns the summary to print (a line per file written, or a JSON object);
// progress lines and warnings go to `err`. Errors name the file and the limit they hit.
[[nodiscard]] core::Result<std::string> convert(const ConvertOptions& options, std::ostream& err);

}  // namespace voxd::voxctl
