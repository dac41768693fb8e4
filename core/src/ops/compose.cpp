#include "compose.hpp"

#include <vector>

namespace voxd::core::ops_detail {

bool empty_source_clears(BlendMode mode) noexcept {
  return mode == BlendMode::intersect || mode == BlendMode::intersect_fill || mode == BlendMode::mult_alpha ||
         mode == BlendMode::replace;
}

bool empty_destination_takes_source(BlendMode mode) noexcept {
  return mode == BlendMode::over || mode == BlendMode::max || mode == BlendMode::replace;
}

void compose_into(Volume& dst, const Volume& src, BlendMode mode) {
  // Decide per tile first: the maps must not change while they are iterated.
  std::vector<BlockCoord> dst_only;
  std::vector<BlockCoord> both;
  std::vector<BlockCoord> src_only;
  dst.for_each_block([&](BlockCoord c, const SharedBlock& /*block*/) {
    (src.find_block(c) == nullptr ? dst_only : both).push_back(c);
  });
  src.for_each_block([&](BlockCoord c, const SharedBlock& /*block*/) {
    if (dst.find_block(c) == nullptr) {
      src_only.push_back(c);
    }
  });

  if (empty_source_clears(mode)) {
    for (const BlockCoord c : dst_only) {
      dst.erase_block(c);
    }
  }
  if (empty_destination_takes_source(mode)) {
    for (const BlockCoord c : src_only) {
      dst.put_block(c, *src.find_shared_block(c));  // shared, not copied
    }
  }
  VolumeAccessor out(dst);
  for (const BlockCoord c : both) {
    const Block& source = *src.find_block(c);
    const Vec3i origin = c.origin();
    for (int i = 0; i < kBlockVoxels; ++i) {
      const Vec3i p = origin + local_of_index(i);
      const Color before = out.get(p);
      const Color after = blend(mode, before, source.get(i));
      if (after != before) {
        out.set(p, after);
      }
    }
  }
}

}  // namespace voxd::core::ops_detail
