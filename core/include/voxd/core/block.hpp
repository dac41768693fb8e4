// A 16x16x16 tile of voxels, in whichever of three encodings suits what it holds, and the reference-counted
// handle that shares it copy-on-write between a volume and its snapshots (undo history, exports running while
// editing continues).
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
#include <cstring>
#include <functional>
#include <span>

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

using BlockVoxels = std::array<Color, kBlockVoxels>;

// The 4096 voxels of a tile in one of four encodings, each in one allocation with the block's header (so a dense
// read costs no more pointer hops than a plain array would):
// - dense: a 4096-bit occupancy mask and 4 bytes per voxel (16.5 KiB). The mask pays twice: a write learns whether
//   it fills or empties a voxel from a word that stays in L1, and iteration skips empty voxels 64 at a time.
// - uniform: all 4096 voxels one non-empty colour, no payload (a filled box, the inside of a sphere or terrain);
// - sparse: up to kSparseMax voxels as (index, colour) pairs sorted by index (scattered points, thin lines), with
//   room for `capacity` pairs;
// - palette: 1, 2, 4 or 8 bits per voxel indexing up to 2, 4, 16 or 256 colours (entry 0 is empty): voxel art,
//   terrain bands, the surface blocks of a one-colour shape (1 bit: 544 bytes instead of 16.5 KiB).
// Only dense blocks are written in place voxel by voxel (set, fill), and sparse ones through sparse_set; Volume
// re-encodes the others into a new block when a write does not fit them, and compacts the blocks an edit step
// touched when it ends (docs/performance.md says where each pays). Empty voxels read as kEmpty.
class alignas(8) Block {
 public:
  enum class Encoding : std::uint8_t { dense = 0, uniform = 1, sparse = 2, palette = 3 };
  static constexpr int kMaskWords = kBlockVoxels / 64;
  using Occupancy = std::array<std::uint64_t, kMaskWords>;
  // Beyond this many voxels a block is dense: a sparse pair costs 6 bytes, so at 128 the sparse payload is still
  // under 1 KiB, and a lookup is a binary search of 7 steps.
  static constexpr int kSparseMax = 128;
  // A dense block that falls to this many voxels becomes sparse again (half of kSparseMax, so a voxel written and
  // removed at the boundary does not re-encode the block every time).
  static constexpr int kSparseDemote = kSparseMax / 2;

  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;
  Block(Block&&) = delete;
  Block& operator=(Block&&) = delete;
  ~Block() = default;

  [[nodiscard]] Color get(int index) const noexcept { return std::bit_cast<Color>(get_bits(index)); }
  // get(index) as its four bytes in one integer (std::bit_cast<Color> of it is the colour; kEmpty is 0). Readers
  // that choose between colours (a missing block reads kEmpty) choose between these: where paths meet, g++ 12
  // splits a Color into its four bytes, and then loads a dense voxel and rebuilds it byte by byte.
  [[nodiscard]] std::uint32_t get_bits(int index) const noexcept {
    if (encoding_ == Encoding::dense) [[likely]] {
      return dense_slots()[index];  // one 32-bit load
    }
    switch (encoding_) {
      case Encoding::uniform: return std::bit_cast<std::uint32_t>(uniform_);
      case Encoding::palette: return std::bit_cast<std::uint32_t>(palette_colors()[palette_index(index)]);
      default: return std::bit_cast<std::uint32_t>(sparse_get(index));
    }
  }
  // Non-empty voxels in the block (0..4096).
  [[nodiscard]] int filled() const noexcept { return filled_; }
  [[nodiscard]] Encoding encoding() const noexcept { return encoding_; }
  [[nodiscard]] bool dense() const noexcept { return encoding_ == Encoding::dense; }
  // Bit (i % 64) of word (i / 64) is set when voxel i is non-empty. Word w holds the 4 rows y = 4*(w%4)..+3
  // of the slice z = w/4. Computed for the compact encodings.
  [[nodiscard]] Occupancy occupancy() const noexcept;
  // The 4096 voxels, decoded (codecs, comparisons); per-voxel work should use for_each_filled instead.
  void decode(std::span<Color, kBlockVoxels> out) const noexcept;
  // The same as get_bits() values.
  void decode_bits(std::span<std::uint32_t, kBlockVoxels> out) const noexcept;
  [[nodiscard]] BlockVoxels decoded() const noexcept {
    BlockVoxels out;  // NOLINT(cppcoreguidelines-pro-type-member-init): decode() writes every element
    decode(out);
    return out;
  }
  // The 4096 voxels of a dense block as get_bits() values (null for the other encodings), for readers that walk
  // them directly. Integers rather than Colors: a loop over them vectorizes (g++ 12 takes a Color apart into its
  // four bytes), and a store of one does not alias every other object as a store of four bytes does.
  [[nodiscard]] const std::uint32_t* dense_bits() const noexcept { return dense() ? dense_slots() : nullptr; }
  // Where get(index) will read: prefetching it makes a later get hit the cache.
  [[nodiscard]] const void* address_of(int index) const noexcept {
    return dense() ? static_cast<const void*>(dense_slots() + index) : static_cast<const void*>(this);
  }
  // Bytes this block occupies on the heap (header and payload, its reference count included). Every memory limit
  // (project, history, daemon) counts blocks through this one function, so it is exact for every encoding.
  [[nodiscard]] std::size_t heap_bytes() const noexcept { return bytes_; }
  // Sparse blocks: the pairs the payload has room for; palette blocks: the colours in the palette (empty included).
  [[nodiscard]] int capacity() const noexcept { return capacity_; }
  // Palette blocks: bits per voxel (1, 2, 4 or 8).
  [[nodiscard]] int palette_bits() const noexcept { return bits_; }
  // The same 4096 voxels, whatever the encodings.
  friend bool operator==(const Block& a, const Block& b) noexcept;

  // f(int index, Color) for every non-empty voxel, in increasing index order.
  template <typename F>
  void for_each_filled(F&& f) const;

  // Writes, dense blocks only (SharedBlock::make_unique() always gives one).
  // Stores c and returns how the count of non-empty voxels changed: -1, 0 or +1.
  int set(int index, Color c) noexcept {
    const auto i = static_cast<std::size_t>(index);
    std::uint64_t& word = dense_mask()[i >> 6U];
    const std::uint64_t bit = std::uint64_t{1} << (i & 63U);
    const bool was_filled = (word & bit) != 0;
    const bool now_filled = !c.empty();
    dense_slots()[i] = now_filled ? std::bit_cast<std::uint32_t>(c) : std::uint32_t{0};
    word = now_filled ? (word | bit) : (word & ~bit);
    const int delta = static_cast<int>(now_filled) - static_cast<int>(was_filled);
    filled_ = static_cast<std::uint16_t>(filled_ + delta);
    return delta;
  }
  // Stores c in the count voxels from index first on (a run along x, or the whole block) and returns how the
  // count of non-empty voxels changed. Precondition: 0 <= first, first + count <= kBlockVoxels.
  int fill(int first, int count, Color c) noexcept;
  // Starts loading what set(index, ...) touches (the header, the mask word and the voxel), for writing.
  void prefetch_for_writing(int index) const noexcept {
    const auto i = static_cast<std::size_t>(index);
    __builtin_prefetch(this, 1);
    __builtin_prefetch(dense_mask() + (i >> 6U), 1);
    __builtin_prefetch(dense_slots() + i, 1);
  }
  // Whether a dense block holds one colour in all 4096 voxels (it could be uniform).
  [[nodiscard]] bool all_one_color() const noexcept;

  // Sparse blocks, written in place by Volume when the block is unshared: stores c at index if the pairs have room
  // (a removal or a replacement always has) and returns how the count changed; false in `fits` when they do not.
  int sparse_set(int index, Color c, bool& fits) noexcept;

 private:
  friend class SharedBlock;
  Block(Encoding encoding, std::size_t bytes, int capacity) noexcept
      : bytes_(static_cast<std::uint32_t>(bytes)),
        encoding_(encoding),
        capacity_(static_cast<std::uint16_t>(capacity)) {}

  // The payload starts right after the header, 8-byte aligned.
  [[nodiscard]] std::byte* payload() const noexcept {
    auto* self = const_cast<std::byte*>(reinterpret_cast<const std::byte*>(this));  // NOLINT: trailing storage
    return self + sizeof(Block);
  }
  [[nodiscard]] std::uint64_t* dense_mask() const noexcept {
    return reinterpret_cast<std::uint64_t*>(payload());  // NOLINT: typed view of the payload
  }
  // The dense voxels are stored as 32-bit integers (the bytes of their Color): see dense_bits().
  [[nodiscard]] std::uint32_t* dense_slots() const noexcept {
    return reinterpret_cast<std::uint32_t*>(payload() + sizeof(Occupancy));  // NOLINT: typed view of the payload
  }
  [[nodiscard]] std::uint16_t* sparse_indices() const noexcept {
    return reinterpret_cast<std::uint16_t*>(payload());  // NOLINT: typed view of the payload
  }
  [[nodiscard]] Color* sparse_colors() const noexcept {
    // capacity_ is even, so the colours are 4-byte aligned.
    return reinterpret_cast<Color*>(payload() + sizeof(std::uint16_t) * capacity_);  // NOLINT: typed view
  }
  // Palette payload: Color colors[1 << bits] (entry 0 empty), then std::uint64_t words[64 * bits] of indices.
  [[nodiscard]] Color* palette_colors() const noexcept {
    return reinterpret_cast<Color*>(payload());  // NOLINT: typed view of the payload
  }
  [[nodiscard]] std::uint64_t* palette_words() const noexcept {
    // 2^bits colours of 4 bytes: at least 8 bytes, so the words stay 8-byte aligned.
    return reinterpret_cast<std::uint64_t*>(payload() + (sizeof(Color) << bits_));  // NOLINT: typed view
  }
  [[nodiscard]] unsigned palette_index(int index) const noexcept {
    const auto bit = static_cast<unsigned>(index) * bits_;
    return static_cast<unsigned>(palette_words()[bit >> 6U] >> (bit & 63U)) & ((1U << bits_) - 1U);
  }
  // decode() and decode_bits(): T is Color or std::uint32_t.
  template <typename T>
  void decode_into(std::span<T, kBlockVoxels> out) const noexcept;
  [[nodiscard]] Color sparse_get(int index) const noexcept;
  // Position of index among the sparse pairs, or of where it would go.
  [[nodiscard]] int sparse_position(int index) const noexcept;

  // The reference count of SharedBlock, kept in the block's own allocation; not part of the value.
  mutable std::atomic<std::uint32_t> refs_{1};
  std::uint32_t bytes_ = 0;  // the whole allocation
  std::uint16_t filled_ = 0;
  Encoding encoding_ = Encoding::dense;
  std::uint8_t bits_ = 0;       // palette: bits per voxel
  std::uint16_t capacity_ = 0;  // sparse: pairs the payload has room for (even); palette: colours in use
  Color uniform_{};             // uniform: the colour
};
static_assert(sizeof(Block) % 8 == 0, "the payload follows the header 8-byte aligned");
static_assert(std::bit_cast<std::uint32_t>(kEmpty) == 0, "a missing block reads as 0 bits");

template <typename F>
void Block::for_each_filled(F&& f) const {
  switch (encoding_) {
    case Encoding::uniform:
      for (int i = 0; i < kBlockVoxels; ++i) {
        f(i, uniform_);
      }
      return;
    case Encoding::sparse: {
      const std::uint16_t* indices = sparse_indices();
      const Color* colors = sparse_colors();
      for (int k = 0; k < filled_; ++k) {
        f(int{indices[k]}, colors[k]);
      }
      return;
    }
    case Encoding::palette: {
      const Color* colors = palette_colors();
      const std::uint64_t* words = palette_words();
      const unsigned bits = bits_;
      const std::uint64_t mask = (std::uint64_t{1} << bits) - 1U;
      const int per_word = 64 / static_cast<int>(bits);
      for (int w = 0; w < 64 * static_cast<int>(bits); ++w) {
        std::uint64_t word = words[w];
        for (int k = 0; word != 0; ++k, word >>= bits) {  // index 0 is empty: a word of zeros ends early
          if (const auto p = static_cast<unsigned>(word & mask); p != 0) {
            f(w * per_word + k, colors[p]);
          }
        }
      }
      return;
    }
    case Encoding::dense: {
      const std::uint32_t* voxels = dense_slots();
      const std::uint64_t* mask = dense_mask();
      for (int w = 0; w < kMaskWords; ++w) {
        std::uint64_t bits = mask[w];
        const int first = w * 64;
        if (bits == ~std::uint64_t{0}) {  // a full word: 64 voxels without decoding bits
          for (int i = first; i < first + 64; ++i) {
            f(i, std::bit_cast<Color>(voxels[i]));
          }
          continue;
        }
        while (bits != 0) {
          const int i = first + std::countr_zero(bits);
          bits &= bits - 1;
          f(i, std::bit_cast<Color>(voxels[i]));
        }
      }
      return;
    }
  }
}

// Shared ownership of one Block. Copies share; make_unique() gives write access to a dense block, copying (and
// decoding) first if it was shared or compact.
class SharedBlock {
 public:
  // A new dense block with every voxel empty (for writers that fill a tile voxel by voxel).
  [[nodiscard]] static SharedBlock make_empty();
  // A new uniform block with every voxel c (an empty dense block if c is empty).
  [[nodiscard]] static SharedBlock make_filled(Color c);
  // A new sparse block with room for `capacity` pairs (rounded up to even, at most Block::kSparseMax).
  [[nodiscard]] static SharedBlock make_sparse(int capacity);
  // The voxels of `block` in the given encoding. Precondition: they fit it (uniform: one colour in all 4096;
  // sparse: at most capacity voxels, capacity <= kSparseMax).
  [[nodiscard]] static SharedBlock reencoded(const Block& block, Block::Encoding encoding, int capacity = 0);
  // The heap bytes of a block in that encoding (what re-encoding into it reserves). `capacity`: sparse pairs, or
  // palette bits.
  [[nodiscard]] static std::size_t bytes_for(Block::Encoding encoding, int capacity = 0) noexcept;
  // The smallest encoding for what `block` holds, and its capacity (sparse: room for exactly its voxels, rounded
  // to even; palette: bits per voxel): uniform when it is full of one colour, then whichever of sparse (at most
  // kSparseMax voxels), palette (at most 255 colours) and dense takes fewest bytes. Without `palettes`, only
  // uniform, sparse and dense are considered (cheap: no colour count), as writes do between steps.
  [[nodiscard]] static Block::Encoding best_encoding(const Block& block, int& capacity, bool palettes = true) noexcept;
  // `block` itself when it is in its best encoding already, else a copy in it. Readers compact a decoded tile
  // before sharing it between layers, so every layer stores the same small block.
  [[nodiscard]] static SharedBlock compacted(const SharedBlock& block);
  // Whether compacted() would keep `block` as it is.
  [[nodiscard]] static bool in_best_encoding(const Block& block, Block::Encoding best, int capacity) noexcept {
    if (best != block.encoding()) {
      return false;
    }
    switch (best) {
      case Block::Encoding::sparse: return capacity >= block.capacity();
      case Block::Encoding::palette: return capacity >= block.palette_bits();
      default: return true;
    }
  }

  SharedBlock(const SharedBlock& other) noexcept;
  SharedBlock(SharedBlock&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  SharedBlock& operator=(const SharedBlock& other) noexcept;
  SharedBlock& operator=(SharedBlock&& other) noexcept;
  ~SharedBlock();

  [[nodiscard]] const Block& operator*() const noexcept { return *block_; }
  [[nodiscard]] const Block* operator->() const noexcept { return block_; }
  // Identity of the shared tile, e.g. to write a tile shared by several layers only once.
  [[nodiscard]] const void* identity() const noexcept { return block_; }
  // Bytes the shared tile occupies on the heap.
  [[nodiscard]] std::size_t heap_bytes() const noexcept { return block_->heap_bytes(); }
  // The most a new block can occupy (a dense one): what an allocation reserves before it is made.
  [[nodiscard]] static constexpr std::size_t max_heap_bytes() noexcept {
    return sizeof(Block) + sizeof(Block::Occupancy) + kBlockBytes;
  }
  [[nodiscard]] bool is_unique() const noexcept { return block_->refs_.load(std::memory_order_acquire) == 1; }
  // Write access to a dense block that this handle alone refers to (copied first if it was shared, decoded into a
  // dense block first if it was compact). Returns true in `copied` when a new block was made.
  Block& make_unique(bool* copied = nullptr) {
    if (block_->dense() && is_unique()) {  // inline: the common case of a write to a block no snapshot shares
      if (copied != nullptr) {
        *copied = false;
      }
      return *block_;
    }
    return copy_for_writing(copied);
  }
  // Write access to an unshared block in its own encoding. Precondition: is_unique().
  [[nodiscard]] Block& unique_in_place() noexcept { return *block_; }

 private:
  explicit SharedBlock(gsl::owner<Block*> block) noexcept : block_(block) {}
  [[nodiscard]] static gsl::owner<Block*> allocate(Block::Encoding encoding, int capacity);
  // The voxels of `block` as a palette of 2^bits entries. Precondition: its colours fit.
  [[nodiscard]] static SharedBlock palette_of(const Block& block, int bits);
  void release() noexcept;
  Block& copy_for_writing(bool* copied);

  gsl::owner<Block*> block_;  // never null except after a move
};

}  // namespace voxd::core
