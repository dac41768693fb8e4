#include "block_words.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace voxd::store {

namespace {

using core::ErrorCode;
using core::make_error;

enum Kind : std::uint8_t { kDense = 0, kUniform = 1, kSparse = 2, kPalette = 3 };
constexpr std::size_t kVoxels = core::kBlockVoxels;

// Bits per voxel for a palette of `colors` non-empty entries (index 0 is empty).
unsigned palette_bits_for(std::size_t colors) {
  unsigned bits = 1;
  while ((std::size_t{1} << bits) - 1 < colors) {
    bits *= 2;
  }
  return bits;
}

void append_dense(const core::BlockVoxels& voxels, std::vector<std::uint8_t>& kinds,
                  std::vector<std::uint32_t>& words) {
  kinds.push_back(kDense);
  for (const core::Color c : voxels) {
    words.push_back(c.packed());
  }
}

void append_palette(const core::Block& block, std::vector<std::uint8_t>& kinds, std::vector<std::uint32_t>& words) {
  const core::BlockVoxels voxels = block.decoded();
  // Colour -> palette entry (1..255), by open addressing over 512 slots: a key of 0 is a free slot (a stored
  // colour is never 0, which is the empty voxel). Entries are numbered in the order the colours first appear.
  constexpr std::size_t kSlots = 512;
  std::array<std::uint32_t, kSlots> keys{};
  std::array<std::uint8_t, kSlots> entries{};
  std::array<std::uint8_t, kVoxels> index_of{};
  std::vector<std::uint32_t> colors;
  colors.reserve(255);
  for (std::size_t i = 0; i < kVoxels; ++i) {
    if (voxels[i].empty()) {
      continue;
    }
    const std::uint32_t packed = voxels[i].packed();
    std::size_t slot = (packed * 0x9E3779B1U) >> 23U;  // the top 9 bits
    while (keys[slot] != 0 && keys[slot] != packed) {
      slot = (slot + 1) % kSlots;
    }
    if (keys[slot] == 0) {
      if (colors.size() == 255) {  // core said palette; a block it misjudged still checkpoints, as dense
        append_dense(voxels, kinds, words);
        return;
      }
      keys[slot] = packed;
      colors.push_back(packed);
      entries[slot] = static_cast<std::uint8_t>(colors.size());
    }
    index_of[i] = entries[slot];
  }
  const unsigned bits = palette_bits_for(colors.size());
  kinds.push_back(kPalette);
  words.push_back(bits | static_cast<std::uint32_t>(colors.size() << 8U));
  words.insert(words.end(), colors.begin(), colors.end());
  const std::size_t first = words.size();
  words.resize(first + kVoxels * bits / 32, 0);
  for (std::size_t i = 0; i < kVoxels; ++i) {
    const std::size_t bit = i * bits;
    words[first + bit / 32] |= std::uint32_t{index_of[i]} << (bit % 32);
  }
}

core::Error damaged(const std::string& what) {
  return make_error(ErrorCode::format, "damaged " + what);
}

// A stored colour: alpha 0 is an empty voxel, which is only ever stored as 0.
bool valid_color(std::uint32_t packed, bool may_be_empty) {
  const core::Color c = core::Color::from_packed(packed);
  return c.empty() ? (may_be_empty && packed == 0) : true;
}

}  // namespace

void append_block_words(const core::Block& block, std::vector<std::uint8_t>& kinds, std::vector<std::uint32_t>& words) {
  int capacity = 0;
  switch (core::SharedBlock::best_encoding(block, capacity)) {
    case core::Block::Encoding::uniform:
      kinds.push_back(kUniform);
      words.push_back(block.get(0).packed());
      return;
    case core::Block::Encoding::sparse:
      kinds.push_back(kSparse);
      words.push_back(static_cast<std::uint32_t>(block.filled()));
      block.for_each_filled([&](int index, core::Color c) {
        words.push_back(static_cast<std::uint32_t>(index));
        words.push_back(c.packed());
      });
      return;
    case core::Block::Encoding::palette: append_palette(block, kinds, words); return;
    case core::Block::Encoding::dense: break;
  }
  append_dense(block.decoded(), kinds, words);
}

core::Result<core::SharedBlock> read_block_words(std::uint8_t kind, std::span<const std::uint32_t> words,
                                                 std::size_t& cursor) {
  const auto take = [&](std::size_t count) -> const std::uint32_t* {
    if (cursor > words.size() || words.size() - cursor < count) {
      return nullptr;
    }
    const std::uint32_t* run = words.data() + cursor;
    cursor += count;
    return run;
  };
  if (kind == kUniform) {
    const std::uint32_t* color = take(1);
    if (color == nullptr || !valid_color(*color, false)) {
      return damaged(color == nullptr ? "uniform block past the end" : "uniform block of an empty colour");
    }
    return core::SharedBlock::make_filled(core::Color::from_packed(*color));
  }
  core::SharedBlock block = core::SharedBlock::make_empty();
  core::Block& out = block.make_unique();
  switch (kind) {
    case kSparse: {
      const std::uint32_t* count = take(1);
      if (count == nullptr || *count == 0 || *count > kVoxels) {
        return damaged("sparse block count");
      }
      const std::uint32_t* pairs = take(2 * std::size_t{*count});
      if (pairs == nullptr) {
        return damaged("sparse block past the end");
      }
      for (std::size_t k = 0; k < *count; ++k) {
        const std::uint32_t index = pairs[2 * k];
        if (index >= kVoxels || (k > 0 && index <= pairs[2 * (k - 1)]) || !valid_color(pairs[2 * k + 1], false)) {
          return damaged("sparse block voxel " + std::to_string(k));
        }
        out.set(static_cast<int>(index), core::Color::from_packed(pairs[2 * k + 1]));
      }
      return block;
    }
    case kPalette: {
      const std::uint32_t* header = take(1);
      const unsigned bits = header != nullptr ? (*header & 0xFFU) : 0;
      const std::uint32_t colors = header != nullptr ? (*header >> 8U) : 0;
      if (header == nullptr || (bits != 1 && bits != 2 && bits != 4 && bits != 8) || colors == 0 ||
          colors > (1U << bits) - 1) {
        return damaged("palette header");
      }
      const std::uint32_t* palette = take(colors);
      const std::uint32_t* indices = take(kVoxels * bits / 32);
      if (palette == nullptr || indices == nullptr) {
        return damaged("palette block past the end");
      }
      if (!std::all_of(palette, palette + colors, [](std::uint32_t c) { return valid_color(c, false); })) {
        return damaged("palette of an empty colour");
      }
      const std::uint32_t mask = (1U << bits) - 1;
      for (std::size_t i = 0; i < kVoxels; ++i) {
        const std::size_t bit = i * bits;
        const std::uint32_t entry = (indices[bit / 32] >> (bit % 32)) & mask;
        if (entry > colors) {
          return damaged("palette index " + std::to_string(entry) + " of " + std::to_string(colors) + " colours");
        }
        if (entry != 0) {
          out.set(static_cast<int>(i), core::Color::from_packed(palette[entry - 1]));
        }
      }
      break;
    }
    case kDense: {
      const std::uint32_t* colors = take(kVoxels);
      if (colors == nullptr) {
        return damaged("dense block past the end");
      }
      for (std::size_t i = 0; i < kVoxels; ++i) {
        if (!valid_color(colors[i], true)) {
          return damaged("dense block voxel " + std::to_string(i) + " has alpha 0 and a colour");
        }
        out.set(static_cast<int>(i), core::Color::from_packed(colors[i]));
      }
      break;
    }
    default: return damaged("block: kind " + std::to_string(kind));
  }
  if (out.filled() == 0) {
    return damaged("block: stored with no voxel");
  }
  return block;
}

}  // namespace voxd::store
