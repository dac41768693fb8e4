#include "voxd/core/block.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace voxd::core {

Block::Block(Color c) noexcept {
  std::array<Color, 64> row;  // NOLINT(cppcoreguidelines-pro-type-member-init): filled on the next line
  row.fill(c);
  auto* out = reinterpret_cast<unsigned char*>(&voxels_);  // NOLINT: raw storage, filled by memcpy
  for (std::size_t k = 0; k < kBlockVoxels / row.size(); ++k) {
    std::memcpy(out + k * sizeof(row), row.data(), sizeof(row));
  }
  if (!c.empty()) {
    filled_ = kBlockVoxels;
    occupied_.fill(~std::uint64_t{0});
  }
}

int Block::fill(int first, int count, Color c) noexcept {
  std::fill_n(voxels_.begin() + first, count, c);
  // The mask, a word (64 voxels) at a time.
  int delta = 0;
  const int end = first + count;
  for (int i = first; i < end;) {
    const int offset = i & 63;
    const int n = std::min(64 - offset, end - i);
    const std::uint64_t bits = (n == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << static_cast<unsigned>(n)) - 1))
                               << static_cast<unsigned>(offset);
    std::uint64_t& word = occupied_[static_cast<std::size_t>(i >> 6)];
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

SharedBlock SharedBlock::make_empty() {
  return SharedBlock(new Node());
}

SharedBlock SharedBlock::make_filled(Color c) {
  return SharedBlock(new Node(c));
}

SharedBlock::SharedBlock(const SharedBlock& other) noexcept : node_(other.node_) {
  // Taking another reference needs no ordering: the caller already sees the block.
  node_->refs.fetch_add(1, std::memory_order_relaxed);
}

SharedBlock& SharedBlock::operator=(const SharedBlock& other) noexcept {
  if (this != &other) {
    other.node_->refs.fetch_add(1, std::memory_order_relaxed);
    release();
    node_ = other.node_;
  }
  return *this;
}

SharedBlock& SharedBlock::operator=(SharedBlock&& other) noexcept {
  if (this != &other) {
    release();
    node_ = other.node_;
    other.node_ = nullptr;
  }
  return *this;
}

SharedBlock::~SharedBlock() {
  release();
}

void SharedBlock::release() noexcept {
  // acq_rel: our reads of the block happen before whoever frees it or writes it in place.
  if (node_ != nullptr && node_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete node_;
  }
  node_ = nullptr;
}

Block& SharedBlock::copy_for_writing(bool* copied) {
  gsl::owner<Node*> copy = new Node(node_->block);  // NOLINT(modernize-use-auto): the owner<> type is the point
  release();
  node_ = copy;
  if (copied != nullptr) {
    *copied = true;
  }
  return node_->block;
}

}  // namespace voxd::core
