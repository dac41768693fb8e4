// A sparse voxel volume: a hash map from block coordinates to copy-on-write 16^3 blocks.
// Empty blocks are never stored. Copying a Volume is a snapshot: O(blocks) reference-count increments,
// no voxel is copied until one side writes to a shared block.
#pragma once

#include <bit>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include <absl/container/flat_hash_map.h>

#include "voxd/core/block.hpp"
#include "voxd/core/color.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/memory_budget.hpp"

namespace voxd::core {

// What an undo step keeps of one volume: for each block position the step changed, the block that was there
// before (shared, so keeping it costs a reference, not a copy), or nothing where the step created the block.
using BlockChanges = absl::flat_hash_map<BlockCoord, std::optional<SharedBlock>>;

class Volume {
 public:
  Volume() = default;
  Volume(const Volume& other);
  // A recording volume's changes are noted; the copy does not record.
  Volume& operator=(const Volume& other);
  // A recording moves with the blocks it describes.
  Volume(Volume&&) noexcept = default;
  Volume& operator=(Volume&&) noexcept = default;
  ~Volume() = default;

  // Inline: a loop of random reads then overlaps the cache misses of consecutive reads instead of waiting for
  // each behind a call.
  [[nodiscard]] Color get(Vec3i p) const noexcept {
    const auto it = blocks_.find(block_of(p));
    return it == blocks_.end() ? kEmpty : it->second->get(index_in_block(p));
  }
  // Starts loading the voxel at p into the cache (no effect on the value): bulk loops call it some positions
  // ahead, so the cache misses of many random positions overlap instead of coming one after the other.
  void prefetch(Vec3i p) const noexcept {
    const auto it = blocks_.find(block_of(p));
    if (it != blocks_.end()) {
      __builtin_prefetch(&it->second->voxels()[static_cast<std::size_t>(index_in_block(p))]);
    }
  }
  // out[i] = get(positions[i]) for every i, with the misses overlapped. Precondition: same sizes.
  void get_many(std::span<const Vec3i> positions, std::span<Color> out) const noexcept;
  // How many positions ahead the bulk calls prefetch: about one DRAM latency of work.
  static constexpr std::size_t kPrefetchDistance = 16;
  // Any int32 coordinate is storable; callers that take coordinates from outside validate the range.
  void set(Vec3i p, Color c);
  // Sets every voxel of the box to c (kEmpty removes them), like set() on each voxel but a block at a time:
  // blocks the box covers whole are replaced outright, so they are neither copied nor visited voxel by voxel.
  // The cost is O(voxels in the box): callers that take boxes from outside bound their size.
  void fill_box(const Box& box, Color c);
  // Removes every voxel.
  void clear();

  // Non-empty voxels (alpha > 0); kept up to date on every write, O(1).
  [[nodiscard]] std::int64_t voxel_count() const noexcept { return voxel_count_; }
  [[nodiscard]] bool empty() const noexcept { return voxel_count_ == 0; }
  [[nodiscard]] std::size_t block_count() const noexcept { return blocks_.size(); }
  // The exact box around the non-empty voxels; nullopt when empty. Scans only blocks on the boundary.
  [[nodiscard]] std::optional<Box> bounding_box() const;
  // Bytes of voxel data plus map overhead (shared blocks are counted in full, as if unshared). O(1).
  [[nodiscard]] std::size_t memory_bytes() const noexcept;
  // Bytes one more stored block may cost, map slot included: what creating a block reserves.
  [[nodiscard]] static std::size_t new_block_bytes() noexcept;

  // Recording, for undo steps that cost what they touch. From start_recording() on, the first change of each
  // block position notes the block that was there (see BlockChanges), and every block about to be allocated
  // is first reserved from `allowance` (when not null), which may refuse it by throwing AllocationRefused
  // before anything at that position changed.
  void start_recording(BlockAllowance* allowance);
  // Ends recording and hands over what was noted.
  [[nodiscard]] BlockChanges stop_recording();
  [[nodiscard]] bool recording() const noexcept { return recording_ != nullptr; }
  // Puts back the blocks in `changes` (nothing = no block) and leaves in it the blocks they replaced, so
  // swapping again redoes what this undid. O(changes).
  void swap_blocks(BlockChanges& changes);
  // Bytes of blocks this volume had to copy because a snapshot still shared them (see history).
  [[nodiscard]] std::size_t copied_bytes() const noexcept { return copied_bytes_; }

  // Block-level access for bulk algorithms and codecs.
  [[nodiscard]] const Block* find_block(BlockCoord c) const noexcept;
  [[nodiscard]] const SharedBlock* find_shared_block(BlockCoord c) const noexcept;
  // Inserts (or replaces) a whole block; an all-empty block removes the entry instead.
  void put_block(BlockCoord c, const SharedBlock& block);
  void erase_block(BlockCoord c);

  // f(BlockCoord, const SharedBlock&) for every stored block, in unspecified order.
  template <typename F>
  void for_each_block(F&& f) const {
    for (const auto& [coord, block] : blocks_) {
      f(coord, block);
    }
  }
  // f(Vec3i, Color) for every non-empty voxel, block by block; empty voxels are skipped 64 at a time.
  template <typename F>
  void for_each_voxel(F&& f) const {
    for (const auto& [coord, block] : blocks_) {
      const Vec3i origin = coord.origin();
      const auto& voxels = block->voxels();
      const auto& occupied = block->occupancy();
      for (int w = 0; w < Block::kMaskWords; ++w) {
        std::uint64_t bits = occupied[static_cast<std::size_t>(w)];
        const int first = w * 64;
        if (bits == ~std::uint64_t{0}) {
          // A full word: four whole rows of the block, walked without decoding bits.
          const int z = origin.z + (first >> (2 * kBlockShift));
          const int y0 = origin.y + ((first >> kBlockShift) & (kBlockEdge - 1));
          for (int row = 0; row < 4; ++row) {
            for (int x = 0; x < kBlockEdge; ++x) {
              const int i = first + row * kBlockEdge + x;
              f(Vec3i{origin.x + x, y0 + row, z}, voxels[static_cast<std::size_t>(i)]);
            }
          }
          continue;
        }
        while (bits != 0) {
          const int i = first + std::countr_zero(bits);
          bits &= bits - 1;
          f(origin + local_of_index(i), voxels[static_cast<std::size_t>(i)]);
        }
      }
    }
  }

  friend bool operator==(const Volume& a, const Volume& b);

 private:
  friend class VolumeAccessor;
  // The block at c made writable (created if missing, copied if shared).
  Block& writable_block(BlockCoord c);
  // fill_box within one block: local corners lo..hi (inclusive).
  void fill_in_block(BlockCoord bc, Vec3i lo, Vec3i hi, Color c);
  // A stored block made writable (copied if shared).
  Block& writable(BlockCoord c, SharedBlock& block);
  // Every change of the entry at c goes through note() first, and every allocation through reserve_block().
  void note(BlockCoord c, const SharedBlock* current);
  void reserve_block();
  void reserve_bytes(std::size_t bytes);
  using BlockMap = absl::flat_hash_map<BlockCoord, SharedBlock, BlockCoordHash>;
  BlockMap::iterator insert_block(BlockCoord c, SharedBlock block);
  void erase_entry(BlockMap::iterator it);

  struct Recording {
    BlockChanges changes;
    BlockAllowance* allowance = nullptr;
  };

  BlockMap blocks_;
  std::int64_t voxel_count_ = 0;
  std::size_t block_bytes_ = 0;  // heap bytes of the stored blocks, kept by insert/erase/copy
  std::size_t copied_bytes_ = 0;
  std::unique_ptr<Recording> recording_;
  // Bumped whenever a copy is taken or a block is created, copied, replaced or erased, so accessors know
  // their cached block pointer (or cached absence of a block) may be stale or no longer theirs alone.
  mutable std::uint64_t epoch_ = 0;
};

// Random access that caches the last block read and the last block written: neighbouring reads and writes
// skip the hash map. Valid while the volume lives; taking a copy of the volume meanwhile is safe (the cache is
// dropped), and so are writes through the volume or other accessors. Not thread-safe, like the volume itself.
class VolumeAccessor {
 public:
  explicit VolumeAccessor(Volume& volume) noexcept : volume_(volume) {}

  // The hits are inline, and so are the plain misses (one hash lookup, as in Volume::get/set): a run of accesses
  // inside one block costs no lookup, and random access costs no more than the volume's own get and set.
  [[nodiscard]] Color get(Vec3i p) {
    const BlockCoord bc = block_of(p);
    const Block* block = read_block_;
    if (!same_block(bc, read_coord_) || epoch_ != volume_.epoch_) {
      if (epoch_ != volume_.epoch_) {
        drop_cache();
      }
      const auto it = volume_.blocks_.find(bc);
      block = it == volume_.blocks_.end() ? nullptr : &*it->second;
      read_coord_ = bc;
      read_block_ = block;
    }
    return block == nullptr ? kEmpty : block->get(index_in_block(p));
  }
  // Starts loading what set(p, ...) will touch (the block's count, its mask word and the voxel), for writing.
  void prefetch_for_writing(Vec3i p) const noexcept {
    const auto it = volume_.blocks_.find(block_of(p));
    if (it != volume_.blocks_.end()) {
      const Block& b = *it->second;
      const auto i = static_cast<std::size_t>(index_in_block(p));
      __builtin_prefetch(&b, 1);
      __builtin_prefetch(&b.occupancy()[i >> 6U], 1);
      __builtin_prefetch(&b.voxels()[i], 1);
    }
  }
  // set(positions[i], colors[i]) in order, with the misses overlapped. Precondition: same sizes.
  void set_many(std::span<const Vec3i> positions, std::span<const Color> colors);
  void set(Vec3i p, Color c) {
    const BlockCoord bc = block_of(p);
    const int index = index_in_block(p);
    Block* block = write_block_;
    if (!same_block(bc, write_coord_) || epoch_ != volume_.epoch_) {
      // The plain miss: an existing block that no snapshot shares, outside a recording.
      if (epoch_ != volume_.epoch_ || volume_.recording_ != nullptr) {
        set_uncached(p, c);
        return;
      }
      const auto it = volume_.blocks_.find(bc);
      if (it == volume_.blocks_.end() || !it->second.is_unique()) {
        set_uncached(p, c);
        return;
      }
      block = &it->second.make_unique();
      write_coord_ = bc;
      write_block_ = block;
      read_coord_ = bc;
      read_block_ = block;
    }
    const int delta = block->set(index, c);
    volume_.voxel_count_ += delta;
    if (delta < 0 && block->filled() == 0) {
      volume_.erase_block(bc);  // bumps the epoch: the cache is dropped
    }
  }

 private:
  // Block coordinates are int32 voxel coordinates >> 4, so no voxel lies in this block: it marks "nothing cached".
  static constexpr BlockCoord kNoBlock{INT32_MAX, INT32_MAX, INT32_MAX};

  // One branch instead of three.
  [[nodiscard]] static bool same_block(BlockCoord a, BlockCoord b) noexcept {
    return ((a.x ^ b.x) | (a.y ^ b.y) | (a.z ^ b.z)) == 0;
  }
  void drop_cache_if_stale() noexcept {
    if (epoch_ != volume_.epoch_) {
      drop_cache();
    }
  }
  void drop_cache() noexcept;
  // The rare misses: a stale cache, a recording, a missing or shared block.
  void set_uncached(Vec3i p, Color c);

  Volume& volume_;
  // Both entries are valid only while the volume's epoch equals epoch_.
  std::uint64_t epoch_ = 0;
  BlockCoord read_coord_ = kNoBlock;
  const Block* read_block_ = nullptr;  // null: no block there (all empty)
  BlockCoord write_coord_ = kNoBlock;
  Block* write_block_ = nullptr;  // unshared and writable by this accessor
};

}  // namespace voxd::core
