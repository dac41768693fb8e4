// A 16x16x16 tile of voxels, stored in whichever of four encodings is smallest for what it holds, and the
// reference-counted handle that shares it copy-on-write between a volume and its snapshots (undo history,
// exports running while editing continues).
//
// SharedBlock is a small intrusive reference count rather than std::shared_ptr<const Block> for one
// reason: copy-on-write must know, with acquire ordering, that no other owner can still read the block
// before writing it in place (Rust's Arc::get_mut). libstdc++'s shared_ptr::use_count() is a relaxed
// load, so a snapshot released on another thread would race with the in-place write.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include <gsl/pointers>

#include "voxd/core/color.hpp"
#include "voxd/core/geometry.hpp"

namespace voxd::core {

inline constexpr int kBlockShift = 4;
inline constexpr int kBlockEdge = 1 << kBlockShift;                        // 16
inline constexpr int kBlockVoxels = kBlockEdge * kBlockEdge * kBlockEdge;  // 4096
inline constexpr std::size_t kBlockBytes = kBlockVoxels * sizeof(Color);   // 16 KiB of decoded voxels

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

using BlockVoxels = std::array<Color, kBlockVoxels>;

// The 4096 voxels of a tile in one of four encodings (docs/performance.md has the measurements behind them):
// - uniform: every voxel one non-empty colour; no payload (a filled box, the inside of a sphere);
// - sparse: up to kSparseMax voxels as sorted (index, colour) pairs (scattered points, thin lines);
// - palette: up to 256 distinct colours as 1-, 2-, 4- or 8-bit indices into a palette (voxel art);
// - dense: 4 bytes per voxel plus a 4096-bit occupancy mask (photographic colour).
// Writes promote a block to the next encoding when the current one cannot hold the new voxel; a block that
// becomes full of one colour, or falls to a few voxels, is demoted again. The Block object's address never
// changes when its encoding does (only its payload is reallocated), so cached Block pointers stay valid.
class Block {
 public:
  enum class Encoding : std::uint8_t { sparse = 0, uniform = 1, palette = 2, dense = 3 };
  // More voxels than this leave the sparse encoding: beyond it a lookup (a binary search) gets slow and a
  // palette is as small.
  static constexpr int kSparseMax = 128;
  static constexpr int kMaskWords = kBlockVoxels / 64;

  Block() noexcept = default;  // all empty
  Block(const Block& other);
  Block& operator=(const Block& other);
  Block(Block&&) = delete;
  Block& operator=(Block&&) = delete;
  ~Block() = default;

  [[nodiscard]] Color get(int index) const noexcept {
    switch (encoding_) {
      case Encoding::dense: return dense_voxels()[index];
      case Encoding::uniform: return uniform_;
      case Encoding::palette: return palette_colors()[palette_index(index)];
      case Encoding::sparse: break;
    }
    return sparse_get(index);
  }
  // Stores c and returns how the count of non-empty voxels changed: -1, 0 or +1.
  int set(int index, Color c) {
    if (encoding_ == Encoding::dense) {
      c = c.empty() ? Color{} : c;
      const auto i = static_cast<std::size_t>(index);
      std::uint64_t& word = dense_mask()[i >> 6U];
      const std::uint64_t bit = std::uint64_t{1} << (i & 63U);
      const bool was_filled = (word & bit) != 0;
      const bool now_filled = !c.empty();
      dense_voxels()[i] = c;
      word = now_filled ? (word | bit) : (word & ~bit);
      const int delta = static_cast<int>(now_filled) - static_cast<int>(was_filled);
      filled_ = static_cast<std::uint16_t>(filled_ + delta);
      if (delta != 0 && (filled_ == kBlockVoxels || filled_ <= kSparseMax / 2)) {
        reencode();  // maybe all one colour now, or few enough for sparse
      }
      return delta;
    }
    return set_encoded(index, c);
  }
  // Stores c in the count voxels from index first on (a run along x, or the whole block) and returns how the
  // count of non-empty voxels changed. Precondition: 0 <= first, first + count <= kBlockVoxels.
  int fill(int first, int count, Color c);
  // Stores c in the box lo..hi of local coordinates (inclusive) and returns how the count changed.
  int fill_box(Vec3i lo, Vec3i hi, Color c);
  // Every voxel c (kEmpty empties the block).
  void assign_uniform(Color c) noexcept;
  // Replaces the contents with these voxels, in the smallest encoding.
  void assign(const BlockVoxels& voxels);

  // Non-empty voxels in the block (0..4096).
  [[nodiscard]] int filled() const noexcept { return filled_; }
  [[nodiscard]] Encoding encoding() const noexcept { return encoding_; }
  // The voxels decoded, 16 KiB (codecs, comparisons); per-voxel work should use for_each_filled instead.
  [[nodiscard]] BlockVoxels decoded() const;
  void decode(std::span<Color, kBlockVoxels> out) const;
  // Bytes this block owns on the heap: the Block object (with its reference count) and its payload.
  [[nodiscard]] std::size_t heap_bytes() const noexcept { return sizeof(Block) + payload_bytes_; }
  // Address of voxel `index` when the block is dense (for prefetching), else null.
  [[nodiscard]] const void* dense_address(int index) const noexcept {
    return encoding_ == Encoding::dense ? &dense_voxels()[index] : nullptr;
  }

  // f(int index, Color) for every non-empty voxel, in increasing index order.
  template <typename F>
  void for_each_filled(F&& f) const;

  friend bool operator==(const Block& a, const Block& b);

 private:
  friend class SharedBlock;

  // Payload layouts (all in 8-byte words):
  //   sparse:  Color colors[capacity], std::uint16_t indices[capacity] (sorted)
  //   palette: Color colors[1 << bits], std::uint64_t indices[64 * bits]
  //   dense:   std::uint64_t mask[64], Color voxels[4096]
  [[nodiscard]] Color* dense_voxels() const noexcept {
    return reinterpret_cast<Color*>(payload_.get() + kMaskWords);  // NOLINT: typed view of the payload
  }
  [[nodiscard]] std::uint64_t* dense_mask() const noexcept { return payload_.get(); }
  [[nodiscard]] Color* palette_colors() const noexcept {
    return reinterpret_cast<Color*>(payload_.get());  // NOLINT: typed view of the payload
  }
  [[nodiscard]] std::uint64_t* palette_words() const noexcept {
    return payload_.get() + (std::size_t{1} << palette_bits_) / 2;
  }
  [[nodiscard]] unsigned palette_index(int index) const noexcept {
    const auto bit = static_cast<unsigned>(index) * palette_bits_;
    const std::uint64_t word = palette_words()[bit >> 6U];
    return static_cast<unsigned>(word >> (bit & 63U)) & ((1U << palette_bits_) - 1U);
  }
  [[nodiscard]] Color* sparse_colors() const noexcept {
    return reinterpret_cast<Color*>(payload_.get());  // NOLINT: typed view of the payload
  }
  [[nodiscard]] std::uint16_t* sparse_indices() const noexcept {
    return reinterpret_cast<std::uint16_t*>(sparse_colors() + capacity_);  // NOLINT: typed view of the payload
  }

  [[nodiscard]] Color sparse_get(int index) const noexcept;
  int set_encoded(int index, Color c);
  int set_sparse(int index, Color c);
  int set_palette(int index, Color c);
  // Re-encodes the current voxels in the smallest encoding.
  void reencode();
  // Direct promotions (from sparse or a narrower palette; from sparse or palette).
  void to_palette(unsigned bits);
  void to_dense();
  void allocate(std::size_t words);
  void release_payload() noexcept;

  mutable std::atomic<std::uint32_t> refs_{1};  // SharedBlock's count; not part of the value
  Encoding encoding_ = Encoding::sparse;
  std::uint8_t palette_bits_ = 0;  // palette: bits per index (1, 2, 4 or 8)
  std::uint16_t filled_ = 0;
  std::uint16_t count_ = 0;     // sparse: stored pairs; palette: colours in use
  std::uint16_t capacity_ = 0;  // sparse: pairs the payload holds
  Color uniform_{};
  std::uint32_t payload_bytes_ = 0;
  std::unique_ptr<std::uint64_t[]> payload_;  // NOLINT(modernize-avoid-c-arrays): one allocation per encoding
};

template <typename F>
void Block::for_each_filled(F&& f) const {
  switch (encoding_) {
    case Encoding::uniform:
      for (int i = 0; i < kBlockVoxels; ++i) {
        f(i, uniform_);
      }
      return;
    case Encoding::sparse: {
      const Color* colors = sparse_colors();
      const std::uint16_t* indices = sparse_indices();
      for (int k = 0; k < count_; ++k) {
        f(int{indices[k]}, colors[k]);
      }
      return;
    }
    case Encoding::palette: {
      const Color* colors = palette_colors();
      const unsigned bits = palette_bits_;
      const unsigned mask = (1U << bits) - 1U;
      const std::uint64_t* words = palette_words();
      const int per_word = 64 / static_cast<int>(bits);
      for (int w = 0; w < static_cast<int>(bits) * 64; ++w) {
        std::uint64_t word = words[w];
        for (int k = 0; k < per_word; ++k, word >>= bits) {
          const Color c = colors[static_cast<unsigned>(word) & mask];
          if (!c.empty()) {
            f(w * per_word + k, c);
          }
        }
      }
      return;
    }
    case Encoding::dense: {
      const Color* voxels = dense_voxels();
      const std::uint64_t* mask = dense_mask();
      for (int w = 0; w < kMaskWords; ++w) {
        std::uint64_t bits = mask[w];
        const int first = w * 64;
        if (bits == ~std::uint64_t{0}) {
          for (int i = first; i < first + 64; ++i) {
            f(i, voxels[i]);
          }
          continue;
        }
        while (bits != 0) {
          const int i = first + std::countr_zero(bits);
          bits &= bits - 1;
          f(i, voxels[i]);
        }
      }
      return;
    }
  }
}

// Shared ownership of one Block. Copies share; make_unique() gives write access, copying first if shared.
class SharedBlock {
 public:
  // A new block with every voxel empty.
  [[nodiscard]] static SharedBlock make_empty();
  // A new block with every voxel c.
  [[nodiscard]] static SharedBlock make_uniform(Color c);

  SharedBlock(const SharedBlock& other) noexcept;
  SharedBlock(SharedBlock&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  SharedBlock& operator=(const SharedBlock& other) noexcept;
  SharedBlock& operator=(SharedBlock&& other) noexcept;
  ~SharedBlock();

  [[nodiscard]] const Block& operator*() const noexcept { return *block_; }
  [[nodiscard]] const Block* operator->() const noexcept { return block_; }
  // Identity of the shared tile, e.g. to write a tile shared by several layers only once.
  [[nodiscard]] const void* identity() const noexcept { return block_; }
  // Bytes the shared tile occupies on the heap (the reference count is part of the Block object).
  [[nodiscard]] std::size_t heap_bytes() const noexcept { return block_->heap_bytes(); }
  // The most one block can occupy (dense): what an allocation reserves before it is made.
  [[nodiscard]] static constexpr std::size_t max_heap_bytes() noexcept {
    return sizeof(Block) + (Block::kMaskWords + kBlockVoxels / 2) * sizeof(std::uint64_t);
  }
  [[nodiscard]] bool is_unique() const noexcept { return block_->refs_.load(std::memory_order_acquire) == 1; }
  // Write access to a block that this handle alone refers to (copied first if it was shared).
  // Returns true in `copied` when a copy was made.
  Block& make_unique(bool* copied = nullptr);

 private:
  explicit SharedBlock(gsl::owner<Block*> block) noexcept : block_(block) {}
  void release() noexcept;

  gsl::owner<Block*> block_;  // never null except after a move
};

}  // namespace voxd::core
