// Fuzzes the .vox reader (MagicaVoxel with TDCZ chunks, instancing and keyframes, and SLAB6 .vox,
// which read_vox detects and reads), and the writer on whatever the reader accepts: no input may crash, hang or
// allocate without bound, and whatever is read must write and read back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formats/vox.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voxd::core;
  ReadLimits limits;
  limits.max_voxels = 1 << 20;  // keep each run fast; the limits themselves are part of what is tested
  limits.max_blocks = 1 << 12;
  limits.max_file_bytes = 1 << 24;  // also the budget of inflated TDCZ grids
  auto state = formats::read_vox(formats::ByteView(data, size), limits);
  if (!state.ok()) {
    return 0;
  }
  formats::Bytes out;
  if (!formats::write_vox(*state, out, {}).ok()) {
    std::abort();  // the writer accepts every project the reader produces
  }
  ReadLimits generous;
  if (!formats::read_vox(out, generous).ok()) {
    std::abort();  // and reads back everything it writes
  }
  return 0;
}
