// The model the mesh export and the render draw: every visible layer composed bottom to top.
//
// Interim: ops' merged_visible(const Project&) is the one definition of this composition; until it is
// available here, this local version composes a ProjectState the same way (each layer's voxels blended
// over the ones below by the layer's blend mode; layer transforms are not applied).
#pragma once

#include "voxd/core/project.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core::formats {

// A snapshot volume: when a single visible layer is blended with `over`, its blocks are shared, not copied.
[[nodiscard]] Volume visible_model(const ProjectState& state);

}  // namespace voxd::core::formats
