// Paged reads of a box of voxels (ReadBox). Sparse pages hold whole 16^3 blocks in (z, y, x) block
// order and their cursor names the next block; dense pages hold whole z slices and their cursor names
// the next z. Cursors are opaque to clients.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "voxd/core/error.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/volume.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon {

struct BoxPage {
  std::vector<protocol::Voxel> voxels;  // sparse
  std::vector<std::uint32_t> dense;     // dense, x fastest
  core::Box dense_box;
  std::vector<std::uint8_t> next_cursor;
  bool done = true;
};

// At most `max_voxels` voxels per page (raised to one block, 4096, if lower: a page always advances).
[[nodiscard]] core::Result<BoxPage> read_box_page(const core::Volume& volume, const core::Box& box,
                                                  protocol::ReadBoxMode mode, std::span<const std::uint8_t> cursor,
                                                  std::size_t max_voxels);

}  // namespace voxd::daemon
