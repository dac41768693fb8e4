// A sparse voxel volume: a hash map from block coordinates to copy-on-write 16^3 blocks, each in the encoding
// that suits what it holds (block.hpp).
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
    return std::bit_cast<Color>(it == blocks_.end() ? std::uint32_t{0} : it->second->get_bits(index_in_block(p)));
  }
  // Starts loading the voxel at p into the cache (no effect on the value): bulk loops call it some positions
  // ahead, so the cache misses of many random positions overlap instead of coming one after the other.
  void prefetch(Vec3i p) const noexcept {
    const auto it = blocks_.find(block_of(p));
    if (it != blocks_.end()) {
      __builtin_prefetch(it->second->address_of(index_in_block(p)));
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
  // Stores every dense block in its smallest encoding (palettes included), as the end of a recording does for the
  // blocks it touched: for volumes built outside an edit step (readers, benchmarks). O(voxels in dense blocks).
  void compact();

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
  // f(Vec3i, Color) for every non-empty voxel, block by block, each block in its own encoding (in a dense block
  // empty voxels are skipped 64 at a time).
  template <typename F>
  void for_each_voxel(F&& f) const {
    for (const auto& [coord, block] : blocks_) {
      const Vec3i origin = coord.origin();
      block->for_each_filled([&](int i, Color c) { f(origin + local_of_index(i), c); });
    }
  }

  friend bool operator==(const Volume& a, const Volume& b);

 private:
  friend class VolumeAccessor;
  using BlockMap = absl::flat_hash_map<BlockCoord, SharedBlock, BlockCoordHash>;
  // A new block starts sparse with room for this many voxels and doubles its room up to Block::kSparseMax.
  static constexpr int kFirstSparseCapacity = 4;
  // Whether a write that changed a dense block's count by delta leaves it for another encoding: empty, few enough
  // voxels for sparse, or full (maybe of one colour).
  [[nodiscard]] static bool due_for_reencoding(int filled, int delta) noexcept {
    return delta != 0 && (filled <= Block::kSparseDemote || filled == kBlockVoxels);
  }
  // fill_box within one block: local corners lo..hi (inclusive).
  void fill_in_block(BlockCoord bc, Vec3i lo, Vec3i hi, Color c);
  // A stored block made writable and dense (copied if shared, decoded if compact).
  Block& writable(BlockCoord c, SharedBlock& block);
  // A new block at bc holding the one non-empty voxel c at index.
  void insert_new(BlockCoord bc, int index, Color c);
  // Any write the dense unshared fast path does not take: copy-on-write, notes, reservations, the compact
  // encodings and their changes of encoding. Returns the block written when it is dense, still stored and
  // unshared (accessors cache it), else null.
  Block* write_slow(BlockMap::iterator it, int index, Color c);
  // Stores the block at it in the smallest encoding for what it holds (erases it when empty); palettes only when
  // asked (they cost a count of the block's colours).
  void reencode(BlockMap::iterator it, bool palettes = false);
  void reencode_at(BlockCoord bc);
  // Every change of the entry at c goes through note() first, and every allocation through reserve_block().
  void note(BlockCoord c, const SharedBlock* current);
  void reserve_block();
  void reserve_bytes(std::size_t bytes);
  // For optional allocations (a smaller encoding): false instead of throwing when refused.
  [[nodiscard]] bool try_reserve(std::size_t bytes);
  [[nodiscard]] static std::size_t new_slot_bytes() noexcept;
  BlockMap::iterator insert_block(BlockCoord c, SharedBlock block);
  void replace_entry(BlockMap::iterator it, SharedBlock block);
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
    return std::bit_cast<Color>(block == nullptr ? std::uint32_t{0} : block->get_bits(index_in_block(p)));
  }
  // Starts loading what set(p, ...) will touch (the block's count, its mask word and the voxel), for writing.
  void prefetch_for_writing(Vec3i p) const noexcept {
    const auto it = volume_.blocks_.find(block_of(p));
    if (it != volume_.blocks_.end() && it->second->dense()) {
      it->second->prefetch_for_writing(index_in_block(p));
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
      if (it == volume_.blocks_.end() || !it->second->dense() || !it->second.is_unique()) {
        set_uncached(p, c);
        return;
      }
      block = &it->second.unique_in_place();
      write_coord_ = bc;
      write_block_ = block;
      read_coord_ = bc;
      read_block_ = block;
    }
    const int delta = block->set(index, c);
    volume_.voxel_count_ += delta;
    if (Volume::due_for_reencoding(block->filled(), delta)) [[unlikely]] {
      volume_.reencode_at(bc);  // may bump the epoch: the cache is dropped
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
  // Inline: an out-of-line call would take the accessor's address, and a loop of reads would then keep the
  // cache in memory (stored and reloaded on every miss) instead of in registers.
  void drop_cache() noexcept {
    epoch_ = volume_.epoch_;
    read_coord_ = kNoBlock;
    read_block_ = nullptr;
    write_coord_ = kNoBlock;
    write_block_ = nullptr;
  }
  // The rare misses: a stale cache, a recording, a missing, shared or compact block.
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
