// The model the mesh export and the render draw: every visible layer composed bottom to top, as
// ops' merged_visible() composes them (Goxel's goxel_get_layers_volume: MODE_OVER whatever each layer's
// mode). merged_visible() takes a Project; the format entry points get a ProjectState, and wrapping it
// in a Project would copy its volumes (which bumps their accessor epochs), so this applies the same
// tile-sharing composition to the state directly.
#pragma once

#include "voxd/core/project.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core::formats {

// Tiles present in one visible layer only are shared, not copied.
[[nodiscard]] Volume visible_model(const ProjectState& state);

}  // namespace voxd::core::formats
