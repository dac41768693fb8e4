#include "block_walk.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>

namespace voxd::core::ops_detail {

namespace {
// Number of block coordinates along one axis of the box.
std::int64_t block_span(std::int32_t lo, std::int32_t hi) {
  return std::int64_t{hi >> kBlockShift} - (lo >> kBlockShift) + 1;
}

std::int64_t block_count_of(const Box& box) {
  const std::int64_t xy = block_span(box.min.x, box.max.x) * block_span(box.min.y, box.max.y);
  const std::int64_t z = block_span(box.min.z, box.max.z);
  return xy > std::numeric_limits<std::int64_t>::max() / z ? std::numeric_limits<std::int64_t>::max() : xy * z;
}
}  // namespace

Box block_box(BlockCoord c) noexcept {
  const Vec3i origin = c.origin();
  return {origin, origin + Vec3i{kBlockEdge - 1, kBlockEdge - 1, kBlockEdge - 1}};
}

std::optional<Box> intersect_boxes(const Box& a, const Box& b) noexcept {
  const Box common{{std::max(a.min.x, b.min.x), std::max(a.min.y, b.min.y), std::max(a.min.z, b.min.z)},
                   {std::min(a.max.x, b.max.x), std::min(a.max.y, b.max.y), std::min(a.max.z, b.max.z)}};
  if (common.min.x > common.max.x || common.min.y > common.max.y || common.min.z > common.max.z) {
    return std::nullopt;
  }
  return common;
}

bool block_order(BlockCoord a, BlockCoord b) noexcept {
  return std::tie(a.z, a.y, a.x) < std::tie(b.z, b.y, b.x);
}

std::vector<BlockCoord> blocks_in_box(const Box& box) {
  const BlockCoord lo = block_of(box.min);
  const BlockCoord hi = block_of(box.max);
  std::vector<BlockCoord> out;
  out.reserve(static_cast<std::size_t>(block_count_of(box)));
  for (std::int32_t z = lo.z; z <= hi.z; ++z) {
    for (std::int32_t y = lo.y; y <= hi.y; ++y) {
      for (std::int32_t x = lo.x; x <= hi.x; ++x) {
        out.push_back({x, y, z});
      }
    }
  }
  return out;
}

std::vector<BlockCoord> stored_blocks_in_box(const Volume& volume, const Box& box) {
  std::vector<BlockCoord> out;
  if (block_count_of(box) <= static_cast<std::int64_t>(volume.block_count())) {
    for (const BlockCoord c : blocks_in_box(box)) {
      if (volume.find_block(c) != nullptr) {
        out.push_back(c);
      }
    }
    return out;  // already in block order
  }
  const BlockCoord lo = block_of(box.min);
  const BlockCoord hi = block_of(box.max);
  volume.for_each_block([&](BlockCoord c, const SharedBlock& /*block*/) {
    if (c.x >= lo.x && c.x <= hi.x && c.y >= lo.y && c.y <= hi.y && c.z >= lo.z && c.z <= hi.z) {
      out.push_back(c);
    }
  });
  std::sort(out.begin(), out.end(), block_order);
  return out;
}

std::vector<BlockCoord> stored_blocks(const Volume& volume) {
  std::vector<BlockCoord> out;
  out.reserve(volume.block_count());
  volume.for_each_block([&](BlockCoord c, const SharedBlock& /*block*/) { out.push_back(c); });
  std::sort(out.begin(), out.end(), block_order);
  return out;
}

}  // namespace voxd::core::ops_detail
