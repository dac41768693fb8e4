// The volume a query or a read looks at: one layer's, or (layer id 0) the visible layers merged.
#pragma once

#include <cstdint>

#include <gsl/pointers>

#include "voxd/core/error.hpp"
#include "voxd/core/project.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core::ops_detail {

// Points into the project for a layer id, or into `merged` (filled here) for kVisibleLayers.
// not_found for an unknown id.
[[nodiscard]] Result<gsl::not_null<const Volume*>> query_volume(const Project& project, std::uint32_t layer_id,
                                                                Volume& merged);

}  // namespace voxd::core::ops_detail
