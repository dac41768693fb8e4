// One 16^3 block as checkpoint words (checkpoint.fbs, version 2): the block's smallest encoding, written in a
// layout of this file's own, so that a checkpoint does not depend on how core lays a block out in memory.
//
// Each block is one kind byte and a run of 32-bit words:
//   uniform (1): 1 word, the colour (packed RGBA) of all 4096 voxels;
//   sparse  (2): 1 word n (1..4096), then n pairs of words: voxel index (strictly increasing), colour;
//   palette (3): 1 word bits | (colours << 8) (bits 1, 2, 4 or 8; colours 1..2^bits - 1), then the colours
//                (entry k is index k + 1; index 0 is an empty voxel), then 128 * bits words of indices,
//                voxel i at bits [i * bits % 32, +bits) of word i * bits / 32;
//   dense   (0): 4096 words, the packed colours (0 is an empty voxel).
// So a voxel costs 8 bytes in a sparse block, at most one byte in a palette block, and a whole block of one
// colour 4 bytes, where version 1 stored every block as 16 KiB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "voxd/core/block.hpp"
#include "voxd/core/error.hpp"

namespace voxd::store {

// Appends `block`'s kind to `kinds` and its words to `words`, in its smallest encoding.
void append_block_words(const core::Block& block, std::vector<std::uint8_t>& kinds, std::vector<std::uint32_t>& words);

// The block of kind `kind` whose words start at words[cursor]; advances cursor past them. Every count, index
// and colour is checked: a damaged run is a format error, never a read past the end or a wrong block.
[[nodiscard]] core::Result<core::SharedBlock> read_block_words(std::uint8_t kind, std::span<const std::uint32_t> words,
                                                               std::size_t& cursor);

}  // namespace voxd::store
