#include "read_box.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>

#include "convert.hpp"
#include "voxd/core/block.hpp"

namespace voxd::daemon {

using core::BlockCoord;
using core::ErrorCode;
using core::make_error;

namespace {

auto order_key(const BlockCoord& c) {
  return std::tuple(c.z, c.y, c.x);
}

template <typename T>
std::vector<std::uint8_t> encode_cursor(const T& value) {
  std::vector<std::uint8_t> bytes(sizeof(T));
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

template <typename T>
core::Result<T> decode_cursor(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != sizeof(T)) {
    return make_error(ErrorCode::invalid_argument,
                      "the cursor is not one this daemon made (" + std::to_string(bytes.size()) + " bytes)");
  }
  T value{};
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

core::Result<BoxPage> sparse_page(const core::Volume& volume, const core::Box& box,
                                  std::span<const std::uint8_t> cursor, std::size_t max_voxels) {
  const BlockCoord low = core::block_of(box.min);
  const BlockCoord high = core::block_of(box.max);
  BlockCoord start = low;
  if (!cursor.empty()) {
    auto decoded = decode_cursor<BlockCoord>(cursor);
    VOXD_TRY(decoded);
    start = *decoded;
  }
  std::vector<BlockCoord> blocks;
  volume.for_each_block([&](const BlockCoord& c, const core::SharedBlock& /*block*/) {
    if (c.x >= low.x && c.x <= high.x && c.y >= low.y && c.y <= high.y && c.z >= low.z && c.z <= high.z &&
        order_key(c) >= order_key(start)) {
      blocks.push_back(c);
    }
  });
  std::sort(blocks.begin(), blocks.end(),
            [](const BlockCoord& a, const BlockCoord& b) { return order_key(a) < order_key(b); });

  BoxPage page;
  std::vector<protocol::Voxel> in_block;
  for (const BlockCoord& c : blocks) {
    const core::Block* block = volume.find_block(c);
    in_block.clear();
    const core::Vec3i origin = c.origin();
    for (int i = 0; i < core::kBlockVoxels; ++i) {
      const core::Color color = block->get(i);
      const core::Vec3i p = origin + core::local_of_index(i);
      if (!color.empty() && box.contains(p)) {
        in_block.emplace_back(p.x, p.y, p.z, color.packed());
      }
    }
    if (!page.voxels.empty() && page.voxels.size() + in_block.size() > max_voxels) {
      page.next_cursor = encode_cursor(c);
      page.done = false;
      return page;
    }
    page.voxels.insert(page.voxels.end(), in_block.begin(), in_block.end());
  }
  return page;
}

core::Result<BoxPage> dense_page(const core::Volume& volume, const core::Box& box, std::span<const std::uint8_t> cursor,
                                 std::size_t max_voxels) {
  const std::int64_t slice = box.size_x() * box.size_y();
  if (slice > static_cast<std::int64_t>(max_voxels)) {
    return make_error(ErrorCode::limit_exceeded, "one z slice of the box holds " + std::to_string(slice) +
                                                     " voxels, more than a page may (max_reply_bytes); read it "
                                                     "sparse or in smaller boxes");
  }
  std::int32_t z = box.min.z;
  if (!cursor.empty()) {
    auto decoded = decode_cursor<std::int32_t>(cursor);
    VOXD_TRY(decoded);
    z = *decoded;
    if (z < box.min.z || z > box.max.z) {
      return make_error(ErrorCode::invalid_argument, "the cursor does not belong to this box");
    }
  }
  const std::int64_t slices =
      std::min<std::int64_t>(static_cast<std::int64_t>(max_voxels) / slice, std::int64_t{box.max.z} - z + 1);
  BoxPage page;
  page.dense_box = {{box.min.x, box.min.y, z}, {box.max.x, box.max.y, static_cast<std::int32_t>(z + slices - 1)}};
  const core::Box& out = page.dense_box;
  page.dense.assign(static_cast<std::size_t>(slice * slices), 0);
  const BlockCoord low = core::block_of(out.min);
  const BlockCoord high = core::block_of(out.max);
  // Block by block: one map lookup per block, not per voxel.
  for (std::int32_t bz = low.z; bz <= high.z; ++bz) {
    for (std::int32_t by = low.y; by <= high.y; ++by) {
      for (std::int32_t bx = low.x; bx <= high.x; ++bx) {
        const core::Block* block = volume.find_block({bx, by, bz});
        if (block == nullptr) {
          continue;
        }
        const core::Vec3i origin = BlockCoord{bx, by, bz}.origin();
        for (int i = 0; i < core::kBlockVoxels; ++i) {
          const core::Color color = block->get(i);
          const core::Vec3i p = origin + core::local_of_index(i);
          if (color.empty() || !out.contains(p)) {
            continue;
          }
          const std::int64_t index = (std::int64_t{p.z} - out.min.z) * slice +
                                     (std::int64_t{p.y} - out.min.y) * out.size_x() + (std::int64_t{p.x} - out.min.x);
          page.dense[static_cast<std::size_t>(index)] = color.packed();
        }
      }
    }
  }
  const std::int64_t next = std::int64_t{z} + slices;
  page.done = next > box.max.z;
  if (!page.done) {
    page.next_cursor = encode_cursor(static_cast<std::int32_t>(next));
  }
  return page;
}

}  // namespace

core::Result<BoxPage> read_box_page(const core::Volume& volume, const core::Box& box, protocol::ReadBoxMode mode,
                                    std::span<const std::uint8_t> cursor, std::size_t max_voxels) {
  max_voxels = std::max<std::size_t>(max_voxels, core::kBlockVoxels);
  if (mode == protocol::ReadBoxMode::dense) {
    return dense_page(volume, box, cursor, max_voxels);
  }
  if (mode != protocol::ReadBoxMode::sparse) {
    return make_error(ErrorCode::invalid_argument, "unknown read mode");
  }
  return sparse_page(volume, box, cursor, max_voxels);
}

}  // namespace voxd::daemon
