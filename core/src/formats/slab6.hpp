// Ken Silverman's SLAB6 .vox: no magic; int32 sizes x, y, z, the dense grid of colour indices
// (z fastest, then y, then x; 255 is empty; z points down), then a 768-byte RGB palette of 6-bit
// values. See docs/formats-vox.md ("SLAB6 .vox").
#pragma once

#include "voxd/core/formats/format.hpp"

namespace voxd::core::formats {

// True when the sizes in the header account for the whole file exactly.
[[nodiscard]] bool slab6_matches(ByteView bytes);
// One layer, centred like a MagicaVoxel model, z up.
[[nodiscard]] Result<ProjectState> read_slab6(ByteView bytes, const ReadLimits& limits);

}  // namespace voxd::core::formats
