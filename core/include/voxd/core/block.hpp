// A 16x16x16 tile of voxels and the reference-counted handle that shares it copy-on-write between a
// volume and its snapshots (undo history, exports running while editing continues).
//
// SharedBlock is a small intrusive reference count rather than std::shared_ptr<const Block> for one
// reason: copy-on-write must know, with acquire ordering, that no other owner can still read the block
// before writing it in place (Rust's Arc::get_mut). libstdc++'s shared_ptr::use_count() is a relaxed
// load, so a snapshot released on another thread would race with the in-place write.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include <gsl/pointers>

#include "voxd/core/color.hpp"
#include "voxd/core/geometry.hpp"

namespace voxd::core {

inline constexpr int kBlockShift = 4;
inline constexpr int kBlockEdge = 1 << kBlockShift;                        // 16
inline constexpr int kBlockVoxels = kBlockEdge * kBlockEdge * kBlockEdge;  // 4096
inline constexpr std::size_t kBlockBytes = kBlockVoxels * sizeof(Color);   // 16 KiB

// The coordinates of a block: voxel coordinates divided by 16, rounded towards negative infinity.
struct BlockCoord {
  std::int32_t x = 0;
  std::int32_t y = 0;
  std::int32_t z = 0;
  friend constexpr bool operator==(const BlockCoord&, const BlockCoord&) = default;

  // The voxel coordinates of the block's minimum corner.
  [[nodiscard]] constexpr Vec3i origin() const noexcept { return {x * kBlockEdge, y * kBlockEdge, z * kBlockEdge}; }
  template <typename H>
  friend H AbslHashValue(H h, const BlockCoord& c) {  // NOLINT(readability-identifier-naming): absl's name
    return H::combine(std::move(h), c.x, c.y, c.z);
  }
};

// A cheaper hash than absl's three-step combine for the volume's own index: three independent multiplies (they
// overlap in the pipeline) folded so that the low bits, which absl's tables use as a tag, see every coordinate bit.
struct BlockCoordHash {
  [[nodiscard]] std::size_t operator()(const BlockCoord& c) const noexcept {
    const std::uint64_t h = (std::uint64_t{static_cast<std::uint32_t>(c.x)} * 0x9E3779B97F4A7C15ULL) ^
                            (std::uint64_t{static_cast<std::uint32_t>(c.y)} * 0xC2B2AE3D27D4EB4FULL) ^
                            (std::uint64_t{static_cast<std::uint32_t>(c.z)} * 0x165667B19E3779F9ULL);
    return static_cast<std::size_t>(h ^ (h >> 32U));
  }
};

// C++20 defines >> on negative values as arithmetic shift, i.e. floor division by 16.
[[nodiscard]] constexpr BlockCoord block_of(Vec3i p) noexcept {
  return {p.x >> kBlockShift, p.y >> kBlockShift, p.z >> kBlockShift};
}
// Voxel (x,y,z) of a tile is element x + 16*y + 256*z: Goxel's BL16 pixel order.
[[nodiscard]] constexpr int index_in_block(Vec3i p) noexcept {
  constexpr int mask = kBlockEdge - 1;
  return (p.x & mask) | ((p.y & mask) << kBlockShift) | ((p.z & mask) << (2 * kBlockShift));
}
[[nodiscard]] constexpr Vec3i local_of_index(int i) noexcept {
  constexpr int mask = kBlockEdge - 1;
  return {i & mask, (i >> kBlockShift) & mask, i >> (2 * kBlockShift)};
}

// Voxels plus a bitmask of the non-empty ones. The mask costs 1/32 of the voxel bytes and pays twice: a write
// learns whether it fills or empties a voxel from a word that stays in L1 instead of a load of the (often cold)
// old voxel, and iteration skips empty voxels 64 at a time.
class Block {
 public:
  static constexpr int kMaskWords = kBlockVoxels / 64;
  using Occupancy = std::array<std::uint64_t, kMaskWords>;

  // Every voxel empty.
  Block() noexcept : voxels_{} {}
  // Every voxel c, written once (not zeroed first: a whole-block fill costs one pass over 16 KiB, not two).
  explicit Block(Color c) noexcept;
  Block(const Block&) noexcept = default;
  Block& operator=(const Block&) noexcept = default;
  Block(Block&&) noexcept = default;
  Block& operator=(Block&&) noexcept = default;
  ~Block() = default;

  [[nodiscard]] Color get(int index) const noexcept { return voxels_[static_cast<std::size_t>(index)]; }
  // Stores c and returns how the count of non-empty voxels changed: -1, 0 or +1.
  int set(int index, Color c) noexcept {
    const auto i = static_cast<std::size_t>(index);
    std::uint64_t& word = occupied_[i >> 6U];
    const std::uint64_t bit = std::uint64_t{1} << (i & 63U);
    const bool was_filled = (word & bit) != 0;
    const bool now_filled = !c.empty();
    voxels_[i] = c;
    word = now_filled ? (word | bit) : (word & ~bit);
    const int delta = static_cast<int>(now_filled) - static_cast<int>(was_filled);
    filled_ = static_cast<std::uint16_t>(filled_ + delta);
    return delta;
  }
  // Stores c in the count voxels from index first on (a run along x, or the whole block) and returns how the
  // count of non-empty voxels changed. Precondition: 0 <= first, first + count <= kBlockVoxels.
  int fill(int first, int count, Color c) noexcept;
  // Non-empty voxels in the block (0..4096).
  [[nodiscard]] int filled() const noexcept { return filled_; }
  [[nodiscard]] const std::array<Color, kBlockVoxels>& voxels() const noexcept { return voxels_; }
  // Bit (i % 64) of word (i / 64) is set when voxel i is non-empty. Word w holds the 4 rows y = 4*(w%4)..+3
  // of the slice z = w/4.
  [[nodiscard]] const Occupancy& occupancy() const noexcept { return occupied_; }
  // Bytes this block occupies on the heap. Every memory limit (project, history, daemon) counts blocks
  // through this one function, so another encoding of blocks keeps the accounting exact by changing it alone.
  [[nodiscard]] std::size_t heap_bytes() const noexcept { return sizeof(Block); }

 private:
  // The count and the mask first: next to the reference count of SharedBlock's node, so a random write touches
  // one line for the bookkeeping, one for the mask word and one for the voxel.
  std::uint16_t filled_ = 0;
  Occupancy occupied_{};
  // A union only so that Block(Color) can leave the voxels unwritten until it fills them (by memcpy, which
  // creates the array in place); every constructor leaves the array alive.
  union {
    std::array<Color, kBlockVoxels> voxels_;
  };
};

// Shared ownership of one Block. Copies share; make_unique() gives write access, copying first if shared.
class SharedBlock {
 public:
  // A new block with every voxel empty.
  [[nodiscard]] static SharedBlock make_empty();
  // A new block with every voxel c.
  [[nodiscard]] static SharedBlock make_filled(Color c);

  SharedBlock(const SharedBlock& other) noexcept;
  SharedBlock(SharedBlock&& other) noexcept : node_(other.node_) { other.node_ = nullptr; }
  SharedBlock& operator=(const SharedBlock& other) noexcept;
  SharedBlock& operator=(SharedBlock&& other) noexcept;
  ~SharedBlock();

  [[nodiscard]] const Block& operator*() const noexcept { return node_->block; }
  [[nodiscard]] const Block* operator->() const noexcept { return &node_->block; }
  // Identity of the shared tile, e.g. to write a tile shared by several layers only once.
  [[nodiscard]] const void* identity() const noexcept { return node_; }
  // Bytes the shared tile occupies on the heap (the block plus its reference count).
  [[nodiscard]] std::size_t heap_bytes() const noexcept {
    return sizeof(Node) - sizeof(Block) + node_->block.heap_bytes();
  }
  // The most a new block can occupy: what an allocation reserves before it is made.
  [[nodiscard]] static constexpr std::size_t max_heap_bytes() noexcept { return sizeof(Node); }
  [[nodiscard]] bool is_unique() const noexcept { return node_->refs.load(std::memory_order_acquire) == 1; }
  // Write access to a block that this handle alone refers to (copied first if it was shared).
  // Returns true in `copied` when a copy was made.
  Block& make_unique(bool* copied = nullptr) {
    if (is_unique()) {  // inline: the common case of a write to a block no snapshot shares
      if (copied != nullptr) {
        *copied = false;
      }
      return node_->block;
    }
    return copy_for_writing(copied);
  }

 private:
  struct Node {
    Node() noexcept = default;
    explicit Node(Color c) noexcept : block(c) {}
    explicit Node(const Block& b) noexcept : block(b) {}
    std::atomic<std::uint32_t> refs{1};
    Block block;
  };
  explicit SharedBlock(gsl::owner<Node*> node) noexcept : node_(node) {}
  void release() noexcept;
  Block& copy_for_writing(bool* copied);

  gsl::owner<Node*> node_;  // never null except after a move
};

}  // namespace voxd::core
