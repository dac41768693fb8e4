#include "visible_model.hpp"

#include "../ops/compose.hpp"
#include "voxd/core/blend_mode.hpp"

namespace voxd::core::formats {

Volume visible_model(const ProjectState& state) {
  Volume merged;
  for (const Layer& layer : state.layers) {
    if (layer.visible) {
      ops_detail::compose_into(merged, layer.volume, BlendMode::over);
    }
  }
  return merged;
}

}  // namespace voxd::core::formats
