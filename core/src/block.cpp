#include "voxd/core/block.hpp"

#include <algorithm>
#include <cstring>

namespace voxd::core {

namespace {

// Any colour with alpha 0 is stored as kEmpty, so every encoding agrees on what an empty voxel reads back as.
Color normalized(Color c) noexcept {
  return c.empty() ? kEmpty : c;
}

constexpr std::size_t kDenseWords = Block::kMaskWords + kBlockVoxels / 2;

// The distinct colours of a tile, up to 256 (more: too_many), with a small open-addressing table.
class PaletteBuilder {
 public:
  static constexpr int kMaxColors = 256;
  // The palette index of c, added if new; -1 once there are more than kMaxColors.
  int index_of(Color c) noexcept {
    const std::uint32_t key = c.packed();
    std::uint32_t slot = (key * 0x9E3779B1U) >> (32U - kSlotBits);
    while (used_[slot]) {
      if (keys_[slot] == key) {
        return indices_[slot];
      }
      slot = (slot + 1) & (kSlots - 1);
    }
    if (count_ == kMaxColors) {
      return -1;
    }
    used_[slot] = true;
    keys_[slot] = key;
    indices_[slot] = static_cast<std::uint8_t>(count_);
    colors_[static_cast<std::size_t>(count_)] = c;
    return count_++;
  }
  [[nodiscard]] int count() const noexcept { return count_; }
  [[nodiscard]] const std::array<Color, kMaxColors>& colors() const noexcept { return colors_; }

 private:
  static constexpr unsigned kSlotBits = 9;
  static constexpr std::uint32_t kSlots = 1U << kSlotBits;
  std::array<bool, kSlots> used_{};
  std::array<std::uint32_t, kSlots> keys_{};
  std::array<std::uint8_t, kSlots> indices_{};
  std::array<Color, kMaxColors> colors_{};
  int count_ = 0;
};

unsigned bits_for(int colors) noexcept {
  return colors <= 2 ? 1U : colors <= 4 ? 2U : colors <= 16 ? 4U : 8U;
}

}  // namespace

Block::Block(const Block& other)
    : encoding_(other.encoding_),
      palette_bits_(other.palette_bits_),
      filled_(other.filled_),
      count_(other.count_),
      capacity_(other.capacity_),
      uniform_(other.uniform_) {
  if (other.payload_bytes_ != 0) {
    allocate(other.payload_bytes_ / sizeof(std::uint64_t));
    std::memcpy(payload_.get(), other.payload_.get(), payload_bytes_);
  }
}

Block& Block::operator=(const Block& other) {
  if (this != &other) {
    release_payload();
    encoding_ = other.encoding_;
    palette_bits_ = other.palette_bits_;
    filled_ = other.filled_;
    count_ = other.count_;
    capacity_ = other.capacity_;
    uniform_ = other.uniform_;
    if (other.payload_bytes_ != 0) {
      allocate(other.payload_bytes_ / sizeof(std::uint64_t));
      std::memcpy(payload_.get(), other.payload_.get(), payload_bytes_);
    }
  }
  return *this;
}

void Block::allocate(std::size_t words) {
  payload_ = std::make_unique<std::uint64_t[]>(words);  // NOLINT(modernize-avoid-c-arrays): see payload_
  payload_bytes_ = static_cast<std::uint32_t>(words * sizeof(std::uint64_t));
}

void Block::release_payload() noexcept {
  payload_.reset();
  payload_bytes_ = 0;
}

Color Block::sparse_get(int index) const noexcept {
  const std::uint16_t* indices = sparse_indices();
  const std::uint16_t* end = indices + count_;
  const std::uint16_t* it = std::lower_bound(indices, end, static_cast<std::uint16_t>(index));
  return it != end && *it == index ? sparse_colors()[it - indices] : kEmpty;
}

int Block::set_encoded(int index, Color c) {
  c = normalized(c);
  switch (encoding_) {
    case Encoding::sparse: return set_sparse(index, c);
    case Encoding::palette: return set_palette(index, c);
    case Encoding::uniform: {
      if (c == uniform_) {
        return 0;
      }
      BlockVoxels voxels;
      voxels.fill(uniform_);
      voxels[static_cast<std::size_t>(index)] = c;
      assign(voxels);
      return c.empty() ? -1 : 0;
    }
    case Encoding::dense: break;
  }
  return set(index, c);
}

int Block::set_sparse(int index, Color c) {
  std::uint16_t* indices = sparse_indices();
  const auto key = static_cast<std::uint16_t>(index);
  const int k = static_cast<int>(std::lower_bound(indices, indices + count_, key) - indices);
  if (k < count_ && indices[k] == key) {
    if (!c.empty()) {
      sparse_colors()[k] = c;
      return 0;
    }
    Color* colors = sparse_colors();
    std::memmove(colors + k, colors + k + 1, static_cast<std::size_t>(count_ - k - 1) * sizeof(Color));
    std::memmove(indices + k, indices + k + 1, static_cast<std::size_t>(count_ - k - 1) * sizeof(std::uint16_t));
    --count_;
    --filled_;
    return -1;
  }
  if (c.empty()) {
    return 0;
  }
  if (count_ == kSparseMax) {
    to_palette(8);  // a direct conversion: a growing block must not pay a full re-encode per step
    if (count_ > kSparseMax / 2) {
      to_dense();  // mostly distinct colours (photographic data): a palette would fill up and be slow to search
    }
    return set(index, c);
  }
  if (count_ == capacity_) {
    // Grow by doubling: colours first, then indices, in one allocation.
    const int capacity = std::max(4, capacity_ * 2);
    std::unique_ptr<std::uint64_t[]> old = std::move(payload_);           // NOLINT(modernize-avoid-c-arrays)
    const Color* old_colors = reinterpret_cast<const Color*>(old.get());  // NOLINT: typed view of the payload
    const auto* old_indices = reinterpret_cast<const std::uint16_t*>(old_colors + capacity_);  // NOLINT: same
    allocate((static_cast<std::size_t>(capacity) * 6 + 7) / 8);
    const int old_capacity = capacity_;
    capacity_ = static_cast<std::uint16_t>(capacity);
    if (old_capacity != 0) {
      std::memcpy(sparse_colors(), old_colors, static_cast<std::size_t>(count_) * sizeof(Color));
      std::memcpy(sparse_indices(), old_indices, static_cast<std::size_t>(count_) * sizeof(std::uint16_t));
    }
    indices = sparse_indices();
  }
  Color* colors = sparse_colors();
  std::memmove(colors + k + 1, colors + k, static_cast<std::size_t>(count_ - k) * sizeof(Color));
  std::memmove(indices + k + 1, indices + k, static_cast<std::size_t>(count_ - k) * sizeof(std::uint16_t));
  colors[k] = c;
  indices[k] = key;
  ++count_;
  ++filled_;
  return 1;
}

int Block::set_palette(int index, Color c) {
  Color* colors = palette_colors();
  const unsigned old_index = palette_index(index);
  const Color old = colors[old_index];
  if (old == c) {
    return 0;
  }
  int found = -1;
  for (int k = 0; k < count_; ++k) {
    if (colors[k] == c) {
      found = k;
      break;
    }
  }
  if (found < 0) {
    if (count_ == (1 << palette_bits_)) {
      // Full: wider indices, or dense beyond 256 colours (direct conversions, no re-encode).
      if (palette_bits_ < 8) {
        to_palette(8);
      } else {
        to_dense();
      }
      return set(index, c);
    }
    found = count_++;
    colors[found] = c;
  }
  const auto bit = static_cast<unsigned>(index) * palette_bits_;
  std::uint64_t& word = palette_words()[bit >> 6U];
  const std::uint64_t mask = ((std::uint64_t{1} << palette_bits_) - 1U) << (bit & 63U);
  word = (word & ~mask) | (static_cast<std::uint64_t>(found) << (bit & 63U));
  const int delta = static_cast<int>(!c.empty()) - static_cast<int>(!old.empty());
  filled_ = static_cast<std::uint16_t>(filled_ + delta);
  if (delta != 0 && (filled_ == kBlockVoxels || filled_ <= kSparseMax / 2)) {
    reencode();
  }
  return delta;
}

void Block::assign_uniform(Color c) noexcept {
  release_payload();
  count_ = 0;
  capacity_ = 0;
  palette_bits_ = 0;
  c = normalized(c);
  if (c.empty()) {
    encoding_ = Encoding::sparse;
    filled_ = 0;
    uniform_ = kEmpty;
  } else {
    encoding_ = Encoding::uniform;
    filled_ = kBlockVoxels;
    uniform_ = c;
  }
}

void Block::assign(const BlockVoxels& voxels) {
  int filled = 0;
  bool uniform = true;
  for (const Color c : voxels) {
    filled += static_cast<int>(!c.empty());
    uniform = uniform && c == voxels[0];
  }
  if (filled == 0 || (filled == kBlockVoxels && uniform)) {
    assign_uniform(voxels[0]);
    return;
  }
  release_payload();
  uniform_ = kEmpty;
  palette_bits_ = 0;
  filled_ = static_cast<std::uint16_t>(filled);
  if (filled <= kSparseMax) {
    encoding_ = Encoding::sparse;
    const int capacity = std::clamp(static_cast<int>(std::bit_ceil(static_cast<unsigned>(filled))), 4, kSparseMax);
    capacity_ = static_cast<std::uint16_t>(capacity);
    allocate((static_cast<std::size_t>(capacity) * 6 + 7) / 8);
    count_ = 0;
    for (int i = 0; i < kBlockVoxels; ++i) {
      const Color c = voxels[static_cast<std::size_t>(i)];
      if (!c.empty()) {
        sparse_colors()[count_] = normalized(c);
        sparse_indices()[count_] = static_cast<std::uint16_t>(i);
        ++count_;
      }
    }
    return;
  }
  capacity_ = 0;
  std::array<std::uint8_t, kBlockVoxels> indices{};
  PaletteBuilder palette;
  bool fits = true;
  for (int i = 0; i < kBlockVoxels && fits; ++i) {
    const int k = palette.index_of(normalized(voxels[static_cast<std::size_t>(i)]));
    fits = k >= 0;
    indices[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(k);
  }
  if (fits) {
    encoding_ = Encoding::palette;
    palette_bits_ = static_cast<std::uint8_t>(bits_for(palette.count()));
    count_ = static_cast<std::uint16_t>(palette.count());
    allocate((std::size_t{1} << palette_bits_) / 2 + 64U * palette_bits_);
    std::copy_n(palette.colors().begin(), count_, palette_colors());
    std::uint64_t* words = palette_words();
    for (int i = 0; i < kBlockVoxels; ++i) {
      const auto bit = static_cast<unsigned>(i) * palette_bits_;
      words[bit >> 6U] |= static_cast<std::uint64_t>(indices[static_cast<std::size_t>(i)]) << (bit & 63U);
    }
    return;
  }
  encoding_ = Encoding::dense;
  count_ = 0;
  allocate(kDenseWords);
  Color* out = dense_voxels();
  std::uint64_t* mask = dense_mask();
  for (int i = 0; i < kBlockVoxels; ++i) {
    const Color c = normalized(voxels[static_cast<std::size_t>(i)]);
    out[i] = c;
    mask[i >> 6] |= static_cast<std::uint64_t>(!c.empty()) << static_cast<unsigned>(i & 63);
  }
}

void Block::reencode() {
  const BlockVoxels voxels = decoded();
  if (encoding_ == Encoding::dense && filled_ > kSparseMax) {
    // Stays dense unless all one colour or at most 256 colours: both tests stop at the first counter-example.
    const bool uniform =
        filled_ == kBlockVoxels && std::all_of(voxels.begin(), voxels.end(), [&](Color c) { return c == voxels[0]; });
    if (!uniform) {
      PaletteBuilder palette;
      if (!std::all_of(voxels.begin(), voxels.end(), [&](Color c) { return palette.index_of(c) >= 0; })) {
        return;
      }
    }
  }
  assign(voxels);
}

void Block::to_palette(unsigned bits) {
  std::array<Color, 256> colors{};
  int count = 0;
  const auto index_of = [&](Color c) {
    for (int k = 0; k < count; ++k) {
      if (colors[static_cast<std::size_t>(k)] == c) {
        return k;
      }
    }
    colors[static_cast<std::size_t>(count)] = c;
    return count++;
  };
  std::array<std::uint8_t, kBlockVoxels> indices{};
  if (encoding_ == Encoding::palette) {
    std::copy_n(palette_colors(), count_, colors.begin());
    count = count_;
    for (int i = 0; i < kBlockVoxels; ++i) {
      indices[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(palette_index(i));
    }
  } else {  // sparse: empty at index 0 (the indices' default), then at most kSparseMax colours
    count = 1;
    for (int k = 0; k < count_; ++k) {
      indices[sparse_indices()[k]] = static_cast<std::uint8_t>(index_of(sparse_colors()[k]));
    }
  }
  release_payload();
  encoding_ = Encoding::palette;
  capacity_ = 0;
  palette_bits_ = static_cast<std::uint8_t>(bits);
  count_ = static_cast<std::uint16_t>(count);
  allocate((std::size_t{1} << bits) / 2 + 64U * bits);
  std::copy_n(colors.begin(), count, palette_colors());
  std::uint64_t* words = palette_words();
  for (int i = 0; i < kBlockVoxels; ++i) {
    const auto bit = static_cast<unsigned>(i) * bits;
    words[bit >> 6U] |= static_cast<std::uint64_t>(indices[static_cast<std::size_t>(i)]) << (bit & 63U);
  }
}

void Block::to_dense() {
  const BlockVoxels voxels = decoded();
  release_payload();
  encoding_ = Encoding::dense;
  count_ = 0;
  capacity_ = 0;
  palette_bits_ = 0;
  allocate(kDenseWords);
  std::copy(voxels.begin(), voxels.end(), dense_voxels());
  std::uint64_t* mask = dense_mask();
  for (int i = 0; i < kBlockVoxels; ++i) {
    mask[i >> 6] |= static_cast<std::uint64_t>(!voxels[static_cast<std::size_t>(i)].empty())
                    << static_cast<unsigned>(i & 63);
  }
}

void Block::decode(std::span<Color, kBlockVoxels> out) const {
  switch (encoding_) {
    case Encoding::uniform: std::fill(out.begin(), out.end(), uniform_); return;
    case Encoding::dense: std::copy_n(dense_voxels(), kBlockVoxels, out.begin()); return;
    case Encoding::sparse:
      std::fill(out.begin(), out.end(), kEmpty);
      for (int k = 0; k < count_; ++k) {
        out[sparse_indices()[k]] = sparse_colors()[k];
      }
      return;
    case Encoding::palette:
      for (int i = 0; i < kBlockVoxels; ++i) {
        out[static_cast<std::size_t>(i)] = palette_colors()[palette_index(i)];
      }
      return;
  }
}

BlockVoxels Block::decoded() const {
  BlockVoxels voxels;
  decode(voxels);
  return voxels;
}

int Block::fill(int first, int count, Color c) {
  c = normalized(c);
  const int before = filled_;
  if (first == 0 && count == kBlockVoxels) {
    assign_uniform(c);
    return filled_ - before;
  }
  if (encoding_ != Encoding::dense) {
    BlockVoxels voxels = decoded();
    std::fill_n(voxels.begin() + first, count, c);
    assign(voxels);
    return filled_ - before;
  }
  std::fill_n(dense_voxels() + first, count, c);
  // The mask, a word (64 voxels) at a time.
  int delta = 0;
  const int end = first + count;
  for (int i = first; i < end;) {
    const int offset = i & 63;
    const int n = std::min(64 - offset, end - i);
    const std::uint64_t bits = (n == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << static_cast<unsigned>(n)) - 1))
                               << static_cast<unsigned>(offset);
    std::uint64_t& word = dense_mask()[i >> 6];
    const int had = std::popcount(word & bits);
    if (c.empty()) {
      word &= ~bits;
      delta -= had;
    } else {
      word |= bits;
      delta += n - had;
    }
    i += n;
  }
  filled_ = static_cast<std::uint16_t>(filled_ + delta);
  if (delta != 0 && (filled_ == kBlockVoxels || filled_ <= kSparseMax / 2)) {
    reencode();
  }
  return delta;
}

int Block::fill_box(Vec3i lo, Vec3i hi, Color c) {
  const int before = filled_;
  if (lo == Vec3i{} && hi == Vec3i{kBlockEdge - 1, kBlockEdge - 1, kBlockEdge - 1}) {
    assign_uniform(c);
    return filled_ - before;
  }
  c = normalized(c);
  BlockVoxels voxels = decoded();
  for (int z = lo.z; z <= hi.z; ++z) {
    for (int y = lo.y; y <= hi.y; ++y) {
      std::fill_n(voxels.begin() + index_in_block({lo.x, y, z}), hi.x - lo.x + 1, c);
    }
  }
  assign(voxels);
  return filled_ - before;
}

bool operator==(const Block& a, const Block& b) {
  if (a.filled_ != b.filled_) {
    return false;
  }
  if (a.encoding_ == Block::Encoding::uniform && b.encoding_ == Block::Encoding::uniform) {
    return a.uniform_ == b.uniform_;
  }
  return a.decoded() == b.decoded();
}

SharedBlock SharedBlock::make_empty() {
  return SharedBlock(new Block());
}

SharedBlock SharedBlock::make_uniform(Color c) {
  gsl::owner<Block*> block = new Block();  // NOLINT(modernize-use-auto): the owner<> type is the point
  block->assign_uniform(c);
  return SharedBlock(block);
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
    delete block_;
  }
  block_ = nullptr;
}

Block& SharedBlock::make_unique(bool* copied) {
  const bool shared = !is_unique();
  if (shared) {
    gsl::owner<Block*> copy = new Block(*block_);  // NOLINT(modernize-use-auto): the owner<> type is the point
    release();
    block_ = copy;
  }
  if (copied != nullptr) {
    *copied = shared;
  }
  return *block_;
}

}  // namespace voxd::core
