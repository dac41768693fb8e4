// Teardown's TDCZ chunk of .vox files: a model stored as its size and a zlib-compressed dense
// grid of colour indices, in place of a SIZE/XYZI pair (see docs/formats-vox.md).
#pragma once

#include <cstddef>

#include "voxd/core/formats/format.hpp"
#include "voxd/core/geometry.hpp"

namespace voxd::core::formats {

struct TdczModel {
  Vec3i size;
  Bytes records;  // XYZI records (x, y, z, colour index) of the non-empty voxels, z, y, x order
};

// Decodes the content of one TDCZ chunk found at `offset` of the file. `byte_budget` is what the
// decoder may still allocate (the grid plus the records); it is charged and an allocation beyond
// it is a limit_exceeded error naming `budget_name`.
[[nodiscard]] Result<TdczModel> decode_tdcz(ByteView content, std::size_t offset, std::size_t& byte_budget,
                                            std::string_view budget_name);

}  // namespace voxd::core::formats
