// A project's state as checkpoint bytes for the state store, and back (schema: checkpoint.fbs).
//
// Why not .gox: it recomputes layer ids' successor (next_layer_id) and drops the active layer, so a journal
// replayed onto a .gox checkpoint could name different layers than it did live; and its PNG-compressed
// tiles cost far more CPU to write than a checkpoint may. This encoding keeps every field of
// core::ProjectState and writes each block in its smallest encoding (block_words.hpp), cheap to encode.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "voxd/core/error.hpp"
#include "voxd/core/limits.hpp"
#include "voxd/core/project.hpp"

namespace voxd::store {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// The bytes of `state`.
[[nodiscard]] Bytes encode_checkpoint(const core::ProjectState& state);

// The state in `bytes`, verified first (a damaged or foreign blob is a format error, a newer version
// unsupported); at most `limits.max_layers` layers and `limits.max_blocks` blocks.
[[nodiscard]] core::Result<core::ProjectState> decode_checkpoint(ByteView bytes, const core::ReadLimits& limits);

}  // namespace voxd::store
