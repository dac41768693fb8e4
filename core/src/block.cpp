#include "voxd/core/block.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>

namespace voxd::core {

namespace {

constexpr std::size_t kDenseBytes = sizeof(Block) + sizeof(Block::Occupancy) + kBlockBytes;

// Pairs rounded up to even, so the colours after the indices stay 4-byte aligned.
int even_capacity(int capacity) noexcept {
  return std::clamp((capacity + 1) & ~1, 2, Block::kSparseMax);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Block

Color Block::sparse_get(int index) const noexcept {
  const int k = sparse_position(index);
  return k < filled_ && sparse_indices()[k] == index ? sparse_colors()[k] : kEmpty;
}

int Block::sparse_position(int index) const noexcept {
  const std::uint16_t* indices = sparse_indices();
  return static_cast<int>(std::lower_bound(indices, indices + filled_, static_cast<std::uint16_t>(index)) - indices);
}

int Block::sparse_set(int index, Color c, bool& fits) noexcept {
  fits = true;
  std::uint16_t* indices = sparse_indices();
  Color* colors = sparse_colors();
  const int k = sparse_position(index);
  const bool present = k < filled_ && indices[k] == index;
  const auto tail = static_cast<std::size_t>(filled_ - k);
  if (c.empty()) {
    if (!present) {
      return 0;
    }
    std::memmove(indices + k, indices + k + 1, (tail - 1) * sizeof(std::uint16_t));
    std::memmove(colors + k, colors + k + 1, (tail - 1) * sizeof(Color));
    --filled_;
    return -1;
  }
  if (present) {
    colors[k] = c;
    return 0;
  }
  if (filled_ == capacity_) {
    fits = false;
    return 0;
  }
  std::memmove(indices + k + 1, indices + k, tail * sizeof(std::uint16_t));
  std::memmove(colors + k + 1, colors + k, tail * sizeof(Color));
  indices[k] = static_cast<std::uint16_t>(index);
  colors[k] = c;
  ++filled_;
  return 1;
}

Block::Occupancy Block::occupancy() const noexcept {
  Occupancy mask{};
  switch (encoding_) {
    case Encoding::dense: std::memcpy(mask.data(), dense_mask(), sizeof(mask)); break;
    case Encoding::uniform: mask.fill(~std::uint64_t{0}); break;
    case Encoding::sparse:
      for (int k = 0; k < filled_; ++k) {
        const unsigned i = sparse_indices()[k];
        mask[i >> 6U] |= std::uint64_t{1} << (i & 63U);
      }
      break;
    case Encoding::palette:
      for_each_filled([&mask](int i, Color /*c*/) {
        const auto u = static_cast<unsigned>(i);
        mask[u >> 6U] |= std::uint64_t{1} << (u & 63U);
      });
      break;
  }
  return mask;
}

template <typename T>
void Block::decode_into(std::span<T, kBlockVoxels> out) const noexcept {
  const auto as_t = [](Color c) { return std::bit_cast<T>(c); };
  switch (encoding_) {
    case Encoding::dense: std::memcpy(static_cast<void*>(out.data()), dense_slots(), kBlockBytes); break;
    case Encoding::uniform: std::fill(out.begin(), out.end(), as_t(uniform_)); break;
    case Encoding::sparse:
      std::fill(out.begin(), out.end(), as_t(kEmpty));
      for (int k = 0; k < filled_; ++k) {
        out[sparse_indices()[k]] = as_t(sparse_colors()[k]);
      }
      break;
    case Encoding::palette:
      for (int i = 0; i < kBlockVoxels; ++i) {
        out[static_cast<std::size_t>(i)] = as_t(palette_colors()[palette_index(i)]);
      }
      break;
  }
}

void Block::decode(std::span<Color, kBlockVoxels> out) const noexcept {
  decode_into(out);
}
void Block::decode_bits(std::span<std::uint32_t, kBlockVoxels> out) const noexcept {
  decode_into(out);
}

bool operator==(const Block& a, const Block& b) noexcept {
  if (a.filled_ != b.filled_) {
    return false;
  }
  if (a.dense() && b.dense()) {
    return std::memcmp(a.dense_slots(), b.dense_slots(), kBlockBytes) == 0;
  }
  if (a.encoding_ == Block::Encoding::uniform && b.encoding_ == Block::Encoding::uniform) {
    return a.uniform_ == b.uniform_;
  }
  // Mixed encodings: the same count, so comparing a's voxels with b's is enough.
  bool same = true;
  a.for_each_filled([&](int i, Color c) { same = same && b.get(i) == c; });
  return same;
}

int Block::fill(int first, int count, Color c) noexcept {
  if (c.empty()) {
    c = kEmpty;
  }
  std::fill_n(dense_slots() + first, count, std::bit_cast<std::uint32_t>(c));
  // The mask, a word (64 voxels) at a time.
  int delta = 0;
  const int end = first + count;
  std::uint64_t* mask = dense_mask();
  for (int i = first; i < end;) {
    const int offset = i & 63;
    const int n = std::min(64 - offset, end - i);
    const std::uint64_t bits = (n == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << static_cast<unsigned>(n)) - 1))
                               << static_cast<unsigned>(offset);
    std::uint64_t& word = mask[i >> 6];
    const int before = std::popcount(word & bits);
    if (c.empty()) {
      word &= ~bits;
      delta -= before;
    } else {
      word |= bits;
      delta += n - before;
    }
    i += n;
  }
  filled_ = static_cast<std::uint16_t>(filled_ + delta);
  return delta;
}

bool Block::all_one_color() const noexcept {
  const std::uint32_t* voxels = dense_slots();
  const std::uint32_t first = voxels[0];
  return std::all_of(voxels + 1, voxels + kBlockVoxels, [first](std::uint32_t c) { return c == first; });
}

// ---------------------------------------------------------------------------------------------------------------
// SharedBlock

std::size_t SharedBlock::bytes_for(Block::Encoding encoding, int capacity) noexcept {
  switch (encoding) {
    case Block::Encoding::dense: return kDenseBytes;
    case Block::Encoding::uniform: return sizeof(Block);
    case Block::Encoding::palette: {
      const auto bits = static_cast<std::size_t>(capacity);
      return sizeof(Block) + (sizeof(Color) << bits) + kBlockVoxels * bits / 8;
    }
    case Block::Encoding::sparse: break;
  }
  return sizeof(Block) + static_cast<std::size_t>(even_capacity(capacity)) * (sizeof(std::uint16_t) + sizeof(Color));
}

gsl::owner<Block*> SharedBlock::allocate(Block::Encoding encoding, int capacity) {
  const int pairs = encoding == Block::Encoding::sparse ? even_capacity(capacity) : 0;
  const std::size_t bytes = bytes_for(encoding, encoding == Block::Encoding::palette ? capacity : pairs);
  void* storage = ::operator new (bytes, std::align_val_t{alignof(Block)});
  return new (storage) Block(encoding, bytes, pairs);
}

namespace {

// The distinct non-empty colours of a dense block, up to `most` (more: returns most + 1), found with a small
// open-addressing table (colours of neighbouring voxels repeat, so the last one found is tried first).
int count_colors(const std::uint32_t* voxels, int most, std::array<Color, 256>& found) noexcept {
  constexpr std::size_t kSlots = 1024;
  std::array<std::uint32_t, kSlots> table{};  // packed colours; 0 (transparent black) never stored: empty
  int count = 0;
  std::uint32_t last = 0;
  for (int i = 0; i < kBlockVoxels; ++i) {
    const auto c = std::bit_cast<Color>(voxels[i]);
    const std::uint32_t key = c.packed();
    if (c.empty() || key == last) {
      continue;
    }
    last = key;
    std::size_t slot = (key * 0x9E3779B1U) >> 22U;
    while (table[slot] != 0 && table[slot] != key) {
      slot = (slot + 1) & (kSlots - 1);
    }
    if (table[slot] == 0) {
      if (count == most) {
        return most + 1;
      }
      table[slot] = key;
      found[static_cast<std::size_t>(count)] = c;
      ++count;
    }
  }
  return count;
}

// Bits per voxel for a palette of `colors` non-empty colours plus empty.
int palette_bits_for(int colors) noexcept {
  const int entries = colors + 1;
  return entries <= 2 ? 1 : entries <= 4 ? 2 : entries <= 16 ? 4 : 8;
}

}  // namespace

SharedBlock SharedBlock::make_empty() {
  gsl::owner<Block*> block = allocate(Block::Encoding::dense, 0);
  std::memset(block->payload(), 0, kDenseBytes - sizeof(Block));
  return SharedBlock(block);
}

SharedBlock SharedBlock::make_filled(Color c) {
  if (c.empty()) {
    return make_empty();
  }
  gsl::owner<Block*> block = allocate(Block::Encoding::uniform, 0);
  block->uniform_ = c;
  block->filled_ = kBlockVoxels;
  return SharedBlock(block);
}

SharedBlock SharedBlock::make_sparse(int capacity) {
  return SharedBlock(allocate(Block::Encoding::sparse, capacity));
}

Block::Encoding SharedBlock::best_encoding(const Block& block, int& capacity, bool palettes) noexcept {
  capacity = 0;
  if (block.encoding() == Block::Encoding::uniform) {
    return Block::Encoding::uniform;
  }
  if (block.filled() == kBlockVoxels && block.dense() && block.all_one_color()) {
    return Block::Encoding::uniform;
  }
  Block::Encoding best = Block::Encoding::dense;
  std::size_t best_bytes = kDenseBytes;
  if (block.filled() <= Block::kSparseMax) {
    best = Block::Encoding::sparse;
    capacity = even_capacity(block.filled());
    best_bytes = bytes_for(best, capacity);
  }
  if (palettes && block.dense()) {
    std::array<Color, 256> found;  // NOLINT(cppcoreguidelines-pro-type-member-init): count_colors fills it
    const int colors = count_colors(block.dense_bits(), 255, found);
    if (colors <= 255) {
      const int bits = palette_bits_for(colors);
      if (bytes_for(Block::Encoding::palette, bits) < best_bytes) {
        best = Block::Encoding::palette;
        capacity = bits;
      }
    }
  } else if (block.encoding() == Block::Encoding::palette && best == Block::Encoding::dense) {
    best = Block::Encoding::palette;  // already a palette (and not sparse-sized): keep it
    capacity = block.palette_bits();
  }
  return best;
}

SharedBlock SharedBlock::palette_of(const Block& block, int bits) {
  SharedBlock out(allocate(Block::Encoding::palette, bits));
  Block& b = *out.block_;
  b.bits_ = static_cast<std::uint8_t>(bits);
  Color* colors = b.palette_colors();
  std::uint64_t* words = b.palette_words();
  const std::size_t entries = std::size_t{1} << static_cast<unsigned>(bits);
  std::fill_n(colors, entries, kEmpty);
  std::fill_n(words, 64 * static_cast<std::size_t>(bits), std::uint64_t{0});
  int count = 1;  // entry 0: empty
  // Packed colour -> palette entry, open addressing (packed 0 is transparent, never looked up).
  constexpr std::size_t kSlots = 1024;
  std::array<std::uint32_t, kSlots> keys{};
  std::array<std::uint8_t, kSlots> entry{};
  Color last = kEmpty;
  unsigned last_index = 0;
  block.for_each_filled([&](int i, Color c) {
    unsigned p = last_index;
    if (c != last) {
      const std::uint32_t key = c.packed();
      std::size_t slot = (key * 0x9E3779B1U) >> 22U;
      while (keys[slot] != 0 && keys[slot] != key) {
        slot = (slot + 1) & (kSlots - 1);
      }
      if (keys[slot] == 0) {
        keys[slot] = key;
        entry[slot] = static_cast<std::uint8_t>(count);
        colors[count] = c;  // precondition: the colours fit
        ++count;
      }
      p = entry[slot];
      last = c;
      last_index = p;
    }
    const auto bit = static_cast<unsigned>(i) * static_cast<unsigned>(bits);
    words[bit >> 6U] |= std::uint64_t{p} << (bit & 63U);
  });
  b.capacity_ = static_cast<std::uint16_t>(count);
  b.filled_ = static_cast<std::uint16_t>(block.filled());
  return out;
}

SharedBlock SharedBlock::compacted(const SharedBlock& block) {
  int capacity = 0;
  const Block::Encoding best = best_encoding(*block, capacity);
  return in_best_encoding(*block, best, capacity) ? block : reencoded(*block, best, capacity);
}

SharedBlock SharedBlock::reencoded(const Block& block, Block::Encoding encoding, int capacity) {
  switch (encoding) {
    case Block::Encoding::uniform: return make_filled(block.get(0));
    case Block::Encoding::sparse: {
      SharedBlock out = make_sparse(std::max(capacity, block.filled()));
      Block& b = *out.block_;
      std::uint16_t* indices = b.sparse_indices();
      Color* colors = b.sparse_colors();
      int k = 0;
      block.for_each_filled([&](int i, Color c) {
        indices[k] = static_cast<std::uint16_t>(i);
        colors[k] = c;
        ++k;
      });
      b.filled_ = static_cast<std::uint16_t>(k);
      return out;
    }
    case Block::Encoding::palette: return palette_of(block, capacity);
    case Block::Encoding::dense: break;
  }
  gsl::owner<Block*> out = allocate(Block::Encoding::dense, 0);
  if (block.dense()) {
    // A copy writes the payload once (not zeroed first).
    std::memcpy(out->payload(), block.payload(), kDenseBytes - sizeof(Block));
  } else {
    const Block::Occupancy mask = block.occupancy();
    std::memcpy(out->dense_mask(), mask.data(), sizeof(mask));
    block.decode_bits(std::span<std::uint32_t, kBlockVoxels>(out->dense_slots(), kBlockVoxels));
  }
  out->filled_ = static_cast<std::uint16_t>(block.filled());
  return SharedBlock(out);
}

SharedBlock::SharedBlock(const SharedBlock& other) noexcept : block_(other.block_) {
  // Taking another reference needs no ordering: the caller already sees the block.
  block_->refs_.fetch_add(1, std::memory_order_relaxed);
}

SharedBlock& SharedBlock::operator=(const SharedBlock& other) noexcept {
  if (this != &other) {
    other.block_->refs_.fetch_add(1, std::memory_order_relaxed);
    release();
    block_ = other.block_;
  }
  return *this;
}

SharedBlock& SharedBlock::operator=(SharedBlock&& other) noexcept {
  if (this != &other) {
    release();
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

SharedBlock::~SharedBlock() {
  release();
}

void SharedBlock::release() noexcept {
  // acq_rel: our reads of the block happen before whoever frees it or writes it in place.
  if (block_ != nullptr && block_->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    block_->~Block();
    ::operator delete (static_cast<void*>(block_), std::align_val_t{alignof(Block)});
  }
  block_ = nullptr;
}

Block& SharedBlock::copy_for_writing(bool* copied) {
  SharedBlock copy = reencoded(*block_, Block::Encoding::dense);
  *this = std::move(copy);
  if (copied != nullptr) {
    *copied = true;
  }
  return *block_;
}

}  // namespace voxd::core
