#include "query_volume.hpp"

#include "voxd/core/ops.hpp"

namespace voxd::core::ops_detail {

Result<gsl::not_null<const Volume*>> query_volume(const Project& project, std::uint32_t layer_id, Volume& merged) {
  if (layer_id == kVisibleLayers) {
    merged = merged_visible(project);
    return gsl::not_null<const Volume*>(&merged);
  }
  auto index = project.layer_index(layer_id);
  if (!index.ok()) {
    return std::move(index).error();
  }
  return gsl::not_null<const Volume*>(&project.layers()[*index].volume);
}

}  // namespace voxd::core::ops_detail
