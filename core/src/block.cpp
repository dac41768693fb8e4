#include "voxd/core/block.hpp"

namespace voxd::core {

SharedBlock SharedBlock::make_empty() {
  return SharedBlock(new Node());
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

Block& SharedBlock::make_unique(bool* copied) {
  const bool shared = !is_unique();
  if (shared) {
    gsl::owner<Node*> copy = new Node();  // NOLINT(modernize-use-auto): the owner<> type is the point
    copy->block = node_->block;
    release();
    node_ = copy;
  }
  if (copied != nullptr) {
    *copied = shared;
  }
  return node_->block;
}

}  // namespace voxd::core
