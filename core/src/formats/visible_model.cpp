#include "visible_model.hpp"

#include <cstddef>

#include "voxd/core/blend_mode.hpp"

namespace voxd::core::formats {

namespace {

// Blends one layer over the composed volume, block by block: a block with nothing beneath it under
// `over` is shared as is; otherwise the two blocks are blended voxel by voxel into a private copy.
void blend_layer_into(Volume& composed, const Layer& layer) {
  layer.volume.for_each_block([&](BlockCoord coord, const SharedBlock& upper) {
    const SharedBlock* lower = composed.find_shared_block(coord);
    if (lower == nullptr && layer.mode == BlendMode::over) {
      composed.put_block(coord, upper);
      return;
    }
    SharedBlock result = lower != nullptr ? *lower : SharedBlock::make_empty();
    Block& out = result.make_unique();
    for (int i = 0; i < kBlockVoxels; ++i) {
      const Color c = upper->get(i);
      if (!c.empty()) {
        out.set(i, blend(layer.mode, out.get(i), c));
      }
    }
    composed.put_block(coord, result);
  });
}

}  // namespace

Volume visible_model(const ProjectState& state) {
  Volume composed;
  for (const Layer& layer : state.layers) {
    if (layer.visible) {
      blend_layer_into(composed, layer);
    }
  }
  return composed;
}

}  // namespace voxd::core::formats
