#include "voxd/core/volume.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

#include "voxd/core/limits.hpp"

namespace voxd::core {

Volume::Volume(const Volume& other)
    : blocks_(other.blocks_), voxel_count_(other.voxel_count_), block_bytes_(other.block_bytes_) {
  // Every block is now shared with the copy: accessors of `other` must stop writing in place.
  ++other.epoch_;
}

Volume& Volume::operator=(const Volume& other) {
  if (this != &other) {
    if (recording_) {
      for (const auto& [coord, block] : blocks_) {
        note(coord, &block);
      }
      for (const auto& [coord, block] : other.blocks_) {
        note(coord, find_shared_block(coord));
      }
    }
    blocks_ = other.blocks_;
    voxel_count_ = other.voxel_count_;
    block_bytes_ = other.block_bytes_;
    copied_bytes_ = 0;
    ++other.epoch_;
    ++epoch_;
  }
  return *this;
}

void Volume::start_recording(BlockAllowance* allowance) {
  recording_ = std::make_unique<Recording>();
  recording_->allowance = allowance;
  ++epoch_;  // a write cached by an accessor before now must be noted too
}

BlockChanges Volume::stop_recording() {
  if (!recording_) {
    return {};
  }
  // The end of an edit step: the blocks it wrote are stored in their smallest encodings (palettes included),
  // so what the step keeps is what the project costs from now on. O(blocks touched).
  for (const auto& [coord, prior] : recording_->changes) {
    if (const auto it = blocks_.find(coord); it != blocks_.end() && it->second->dense()) {
      reencode(it, /*palettes=*/true);
    }
  }
  BlockChanges changes = std::move(recording_->changes);
  recording_.reset();
  return changes;
}

void Volume::note(BlockCoord c, const SharedBlock* current) {
  if (recording_ && !recording_->changes.contains(c)) {
    // Keeping the block shares it, so the write that follows copies it instead of changing it in place.
    recording_->changes.emplace(c, current == nullptr ? std::nullopt : std::optional<SharedBlock>(*current));
  }
}

static_assert(ReadLimits::kBytesPerBlock >= SharedBlock::max_heap_bytes() + 64,
              "a reader's byte budget must not undercount the blocks it creates");

void Volume::reserve_block() {
  reserve_bytes(new_block_bytes());
}

void Volume::reserve_bytes(std::size_t bytes) {
  if (recording_ && recording_->allowance != nullptr) {
    Status status = recording_->allowance->reserve(bytes);
    if (!status.ok()) {
      throw AllocationRefused(status.error());
    }
  }
}

bool Volume::try_reserve(std::size_t bytes) {
  return !recording_ || recording_->allowance == nullptr || recording_->allowance->reserve(bytes).ok();
}

std::size_t Volume::new_slot_bytes() noexcept {
  // Two map slots: the table grows by doubling.
  return 2 * (sizeof(std::pair<const BlockCoord, SharedBlock>) + 1);
}

std::size_t Volume::new_block_bytes() noexcept {
  return SharedBlock::max_heap_bytes() + new_slot_bytes();
}

Volume::BlockMap::iterator Volume::insert_block(BlockCoord c, SharedBlock block) {
  block_bytes_ += block.heap_bytes();
  voxel_count_ += block->filled();
  ++epoch_;  // accessors may have cached "no block here"
  return blocks_.insert_or_assign(c, std::move(block)).first;
}

void Volume::replace_entry(BlockMap::iterator it, SharedBlock block) {
  SharedBlock& slot = it->second;
  if (!slot.is_unique()) {
    copied_bytes_ += slot.heap_bytes();  // the old block lives on in a snapshot or the recording
  }
  block_bytes_ = block_bytes_ - slot.heap_bytes() + block.heap_bytes();
  voxel_count_ += block->filled() - slot->filled();
  slot = std::move(block);
  ++epoch_;  // accessors may hold the old block
}

void Volume::insert_new(BlockCoord bc, int index, Color c) {
  note(bc, nullptr);
  reserve_bytes(SharedBlock::bytes_for(Block::Encoding::sparse, kFirstSparseCapacity) + new_slot_bytes());
  SharedBlock block = SharedBlock::make_sparse(kFirstSparseCapacity);
  bool fits = false;
  block.unique_in_place().sparse_set(index, c, fits);
  insert_block(bc, std::move(block));
}

void Volume::compact() {
  for (auto it = blocks_.begin(); it != blocks_.end(); ++it) {
    if (it->second->dense()) {
      reencode(it, /*palettes=*/true);
    }
  }
}

void Volume::reencode(BlockMap::iterator it, bool palettes) {
  const Block& block = *it->second;
  if (block.filled() == 0) {
    note(it->first, &it->second);
    erase_entry(it);
    return;
  }
  int capacity = 0;
  const Block::Encoding encoding = SharedBlock::best_encoding(block, capacity, palettes);
  if (SharedBlock::in_best_encoding(block, encoding, capacity)) {
    return;
  }
  // A smaller block: a refused reservation only leaves the block as it is, so nothing is lost by refusing.
  if (!try_reserve(SharedBlock::bytes_for(encoding, capacity))) {
    return;
  }
  note(it->first, &it->second);
  replace_entry(it, SharedBlock::reencoded(block, encoding, capacity));
}

void Volume::reencode_at(BlockCoord bc) {
  if (const auto it = blocks_.find(bc); it != blocks_.end()) {
    reencode(it);
  }
}

Block* Volume::write_slow(BlockMap::iterator it, int index, Color c) {
  const BlockCoord bc = it->first;
  SharedBlock& block = it->second;
  if (const Color old = block->get(index); old == c || (old.empty() && c.empty())) {
    return nullptr;  // nothing changes: a shared block stays shared
  }
  note(bc, &block);
  switch (block->encoding()) {
    case Block::Encoding::dense: {
      Block& b = writable(bc, block);
      const int delta = b.set(index, c);
      voxel_count_ += delta;
      if (due_for_reencoding(b.filled(), delta)) {
        reencode(it);
        return nullptr;
      }
      return &b;
    }
    case Block::Encoding::sparse: {
      if (block.is_unique()) {
        bool fits = false;
        const int delta = block.unique_in_place().sparse_set(index, c, fits);
        if (fits) {
          voxel_count_ += delta;
          if (block->filled() == 0) {
            erase_entry(it);
          }
          return nullptr;
        }
      }
      const int needed = block->filled() + (c.empty() ? 0 : 1);
      if (needed <= Block::kSparseMax) {
        // Copy-on-write at the same size, or a full block grown to twice its room.
        const int capacity =
            needed > block->capacity() ? std::min(Block::kSparseMax, 2 * block->capacity()) : block->capacity();
        reserve_bytes(SharedBlock::bytes_for(Block::Encoding::sparse, capacity));
        SharedBlock grown = SharedBlock::reencoded(*block, Block::Encoding::sparse, capacity);
        bool fits = false;
        grown.unique_in_place().sparse_set(index, c, fits);
        replace_entry(it, std::move(grown));
        if (it->second->filled() == 0) {
          erase_entry(it);
        }
        return nullptr;
      }
      break;  // past kSparseMax: dense
    }
    case Block::Encoding::uniform:  // any change: dense (compacted again when the step ends)
    case Block::Encoding::palette: break;
  }
  reserve_bytes(SharedBlock::max_heap_bytes());
  SharedBlock dense = SharedBlock::reencoded(*block, Block::Encoding::dense);
  Block& b = dense.unique_in_place();
  b.set(index, c);
  replace_entry(it, std::move(dense));
  return &b;
}

void Volume::erase_entry(BlockMap::iterator it) {
  block_bytes_ -= it->second.heap_bytes();
  voxel_count_ -= it->second->filled();
  blocks_.erase(it);
  ++epoch_;
}

void Volume::swap_blocks(BlockChanges& changes) {
  blocks_.reserve(blocks_.size() + changes.size());
  for (auto& [coord, prior] : changes) {
    std::optional<SharedBlock> current;
    if (const auto it = blocks_.find(coord); it != blocks_.end()) {
      current = it->second;
      erase_entry(it);
    }
    if (prior) {
      insert_block(coord, std::move(*prior));
    }
    prior = std::move(current);
  }
  ++epoch_;
}

Block& Volume::writable(BlockCoord c, SharedBlock& block) {
  if (!recording_ && block->dense() && block.is_unique()) {
    return block.unique_in_place();  // the common case: nothing to note, nothing to copy
  }
  note(c, &block);
  const bool shared = !block.is_unique();
  if (shared || !block->dense()) {
    reserve_bytes(SharedBlock::max_heap_bytes());
  }
  const std::size_t bytes_before = block.heap_bytes();
  bool copied = false;
  Block& result = block.make_unique(&copied);
  if (copied) {
    if (shared) {
      copied_bytes_ += bytes_before;
    }
    block_bytes_ = block_bytes_ - bytes_before + block.heap_bytes();
    ++epoch_;  // accessors may still hold the shared original for reading
  }
  return result;
}

void Volume::get_many(std::span<const Vec3i> positions, std::span<Color> out) const noexcept {
  // Two stages kPrefetchDistance positions apart: the first finds the voxel's address and starts loading it,
  // the second reads it. Reads cannot invalidate the addresses in between, so each position is looked up once.
  constexpr std::size_t kRing = kPrefetchDistance;
  static_assert(std::has_single_bit(kRing));
  std::array<const Block*, kRing> ring{};
  const std::size_t n = positions.size();
  const auto locate = [this](Vec3i p) -> const Block* {
    const auto it = blocks_.find(block_of(p));
    if (it == blocks_.end()) {
      return nullptr;
    }
    const Block* block = &*it->second;
    __builtin_prefetch(block->address_of(index_in_block(p)));
    return block;
  };
  const std::size_t ahead = std::min(n, kRing);
  for (std::size_t i = 0; i < ahead; ++i) {
    ring[i] = locate(positions[i]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Block* block = ring[i & (kRing - 1)];
    out[i] = block == nullptr ? kEmpty : block->get(index_in_block(positions[i]));
    if (i + kRing < n) {
      ring[i & (kRing - 1)] = locate(positions[i + kRing]);
    }
  }
}

void Volume::set(Vec3i p, Color c) {
  const BlockCoord bc = block_of(p);
  const int index = index_in_block(p);
  const auto it = blocks_.find(bc);
  if (it == blocks_.end()) {
    if (!c.empty()) {  // removing from a missing block must not create one
      insert_new(bc, index, c);
    }
    return;
  }
  SharedBlock& block = it->second;
  if (block->dense() && !recording_ && block.is_unique()) [[likely]] {
    const int delta = block.unique_in_place().set(index, c);
    voxel_count_ += delta;
    if (due_for_reencoding(block->filled(), delta)) [[unlikely]] {
      reencode(it);
    }
    return;
  }
  write_slow(it, index, c);
}

void Volume::fill_box(const Box& box, Color c) {
  const BlockCoord first = block_of(box.min);
  const BlockCoord last = block_of(box.max);
  for (std::int32_t bz = first.z; bz <= last.z; ++bz) {
    for (std::int32_t by = first.y; by <= last.y; ++by) {
      for (std::int32_t bx = first.x; bx <= last.x; ++bx) {
        const BlockCoord bc{bx, by, bz};
        const Vec3i origin = bc.origin();
        // The part of the box inside this block, in block-local coordinates.
        const Vec3i lo{std::max(box.min.x - origin.x, 0), std::max(box.min.y - origin.y, 0),
                       std::max(box.min.z - origin.z, 0)};
        const Vec3i hi{std::min(box.max.x - origin.x, kBlockEdge - 1), std::min(box.max.y - origin.y, kBlockEdge - 1),
                       std::min(box.max.z - origin.z, kBlockEdge - 1)};
        const bool whole = lo == Vec3i{} && hi == Vec3i{kBlockEdge - 1, kBlockEdge - 1, kBlockEdge - 1};
        if (c.empty() || !whole) {
          fill_in_block(bc, lo, hi, c);
          continue;
        }
        // Replaced outright: a block shared with a snapshot is released, not copied.
        const auto it = blocks_.find(bc);
        if (it != blocks_.end() && it->second->encoding() == Block::Encoding::uniform && it->second->get(0) == c) {
          continue;  // already this colour: a shared block stays shared
        }
        note(bc, it == blocks_.end() ? nullptr : &it->second);
        reserve_bytes(SharedBlock::bytes_for(Block::Encoding::uniform) + new_slot_bytes());
        SharedBlock filled = SharedBlock::make_filled(c);
        if (it != blocks_.end()) {
          erase_entry(it);
        }
        insert_block(bc, std::move(filled));
      }
    }
  }
}

void Volume::fill_in_block(BlockCoord bc, Vec3i lo, Vec3i hi, Color c) {
  auto it = blocks_.find(bc);
  if (it == blocks_.end()) {
    if (c.empty()) {
      return;  // nothing to remove
    }
    if (const int count = (hi.x - lo.x + 1) * (hi.y - lo.y + 1) * (hi.z - lo.z + 1); count <= Block::kSparseMax) {
      // A small part of a new block (a thin line or slab): sparse from the start, reserved at its own size.
      note(bc, nullptr);
      reserve_bytes(SharedBlock::bytes_for(Block::Encoding::sparse, count) + new_slot_bytes());
      SharedBlock part = SharedBlock::make_sparse(count);
      Block& block = part.unique_in_place();
      bool fits = false;
      for (int z = lo.z; z <= hi.z; ++z) {
        for (int y = lo.y; y <= hi.y; ++y) {
          for (int x = lo.x; x <= hi.x; ++x) {
            block.sparse_set(index_in_block({x, y, z}), c, fits);  // increasing index: each one appends
          }
        }
      }
      insert_block(bc, std::move(part));
      return;
    }
    note(bc, nullptr);
    reserve_block();
    it = insert_block(bc, SharedBlock::make_empty());
  } else if (it->second->encoding() == Block::Encoding::uniform && it->second->get(0) == c) {
    return;  // already this colour everywhere
  }
  Block& block = writable(bc, it->second);
  const int run = hi.x - lo.x + 1;
  for (int z = lo.z; z <= hi.z; ++z) {
    for (int y = lo.y; y <= hi.y; ++y) {
      voxel_count_ += block.fill(index_in_block({lo.x, y, z}), run, c);
    }
  }
  reencode(it);  // the smallest encoding for what the block holds now (or no block)
}

void Volume::clear() {
  for (const auto& [coord, block] : blocks_) {
    note(coord, &block);
  }
  blocks_.clear();
  voxel_count_ = 0;
  block_bytes_ = 0;
  ++epoch_;
}

std::optional<Box> Volume::bounding_box() const {
  if (blocks_.empty()) {
    return std::nullopt;
  }
  std::optional<Box> box;
  for (const auto& [coord, block] : blocks_) {
    const Vec3i origin = coord.origin();
    const Box block_box{origin, origin + Vec3i{kBlockEdge - 1, kBlockEdge - 1, kBlockEdge - 1}};
    // A block lying wholly inside the box found so far cannot grow it.
    if (box && box->contains(block_box.min) && box->contains(block_box.max)) {
      continue;
    }
    if (block->encoding() == Block::Encoding::uniform) {
      if (box) {
        box->include(block_box.min);
        box->include(block_box.max);
      } else {
        box = block_box;
      }
      continue;
    }
    block->for_each_filled([&](int i, Color /*c*/) {
      const Vec3i p = origin + local_of_index(i);
      if (box) {
        box->include(p);
      } else {
        box = Box{p, p};
      }
    });
  }
  return box;
}

std::size_t Volume::memory_bytes() const noexcept {
  const std::size_t slot_bytes = sizeof(std::pair<const BlockCoord, SharedBlock>) + 1;  // + control byte
  return block_bytes_ + blocks_.capacity() * slot_bytes + sizeof(*this);
}

const Block* Volume::find_block(BlockCoord c) const noexcept {
  const auto it = blocks_.find(c);
  return it == blocks_.end() ? nullptr : &*it->second;
}

const SharedBlock* Volume::find_shared_block(BlockCoord c) const noexcept {
  const auto it = blocks_.find(c);
  return it == blocks_.end() ? nullptr : &it->second;
}

void Volume::put_block(BlockCoord c, const SharedBlock& block) {
  erase_block(c);
  if (block->filled() == 0) {
    return;
  }
  // A tile that a smaller encoding holds is stored in it (a copy: small); any other is shared as it is.
  int capacity = 0;
  const Block::Encoding encoding = SharedBlock::best_encoding(*block, capacity);
  const bool keep = SharedBlock::in_best_encoding(*block, encoding, capacity);
  // A shared tile is counted in full by every holder (memory_bytes()), so it is reserved in full too: what
  // is accounted after the edit never passes what the limits allowed during it.
  reserve_bytes((keep ? block.heap_bytes() : SharedBlock::bytes_for(encoding, capacity)) + new_slot_bytes());
  note(c, nullptr);
  insert_block(c, keep ? block : SharedBlock::reencoded(*block, encoding, capacity));
}

void Volume::erase_block(BlockCoord c) {
  const auto it = blocks_.find(c);
  if (it != blocks_.end()) {
    note(c, &it->second);
    erase_entry(it);
  }
}

bool operator==(const Volume& a, const Volume& b) {
  if (a.voxel_count_ != b.voxel_count_ || a.blocks_.size() != b.blocks_.size()) {
    return false;
  }
  return std::all_of(a.blocks_.begin(), a.blocks_.end(), [&b](const auto& entry) {
    const auto it = b.blocks_.find(entry.first);
    return it != b.blocks_.end() && (it->second.identity() == entry.second.identity() || *it->second == *entry.second);
  });
}

void VolumeAccessor::set_many(std::span<const Vec3i> positions, std::span<const Color> colors) {
  // Two stages kPrefetchDistance writes apart, like Volume::get_many: the first finds the block and starts
  // loading what the write touches, the second writes. A block found in the first stage is written directly in
  // the second only if nothing structural happened in between (same epoch: no block created, copied, replaced
  // or erased, no snapshot taken), it was unshared, and (when recording) its first change was already noted;
  // every other write goes through set(), which does all of that.
  struct Found {
    Block* block = nullptr;
    std::uint64_t epoch = 0;
  };
  constexpr std::size_t kRing = Volume::kPrefetchDistance;
  std::array<Found, kRing> ring{};
  const auto locate = [this](Vec3i p) -> Found {
    const BlockCoord bc = block_of(p);
    const auto it = volume_.blocks_.find(bc);
    if (it == volume_.blocks_.end() || !it->second->dense() || !it->second.is_unique() ||
        (volume_.recording_ != nullptr && !volume_.recording_->changes.contains(bc))) {
      return {};
    }
    Block& b = it->second.unique_in_place();  // dense and unshared: written in place
    b.prefetch_for_writing(index_in_block(p));
    return {&b, volume_.epoch_};
  };
  const std::size_t n = positions.size();
  const std::size_t ahead = std::min(n, kRing);
  for (std::size_t i = 0; i < ahead; ++i) {
    ring[i] = locate(positions[i]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Found found = ring[i & (kRing - 1)];
    const Vec3i p = positions[i];
    if (found.block != nullptr && found.epoch == volume_.epoch_) {
      const int delta = found.block->set(index_in_block(p), colors[i]);
      volume_.voxel_count_ += delta;
      if (Volume::due_for_reencoding(found.block->filled(), delta)) [[unlikely]] {
        volume_.reencode_at(block_of(p));  // may bump the epoch: later entries of the ring go through set()
      }
    } else {
      set(p, colors[i]);
    }
    if (i + kRing < n) {
      ring[i & (kRing - 1)] = locate(positions[i + kRing]);
    }
  }
}

void VolumeAccessor::set_uncached(Vec3i p, Color c) {
  const BlockCoord bc = block_of(p);
  const int index = index_in_block(p);
  const auto it = volume_.blocks_.find(bc);
  if (it == volume_.blocks_.end()) {
    if (!c.empty()) {  // nothing to remove; do not create a block
      volume_.insert_new(bc, index, c);
    }
    return;
  }
  Block* block = volume_.write_slow(it, index, c);  // may bump the epoch
  drop_cache_if_stale();
  if (block != nullptr) {  // a dense block, still stored and now unshared: later writes to it hit the cache
    read_coord_ = bc;
    read_block_ = block;
    write_coord_ = bc;
    write_block_ = block;
  }
}

}  // namespace voxd::core
