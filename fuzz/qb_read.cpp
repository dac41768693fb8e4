// Fuzzes the Qubicle .qb reader (both colour formats and orientations, the visibility mask, dense and
// run-length matrices) and the writer on whatever the reader accepts: no input may crash, hang or allocate
// without bound, and whatever is read must write and read back to the same layers and voxels.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formats/qb.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voxd::core;
  ReadLimits limits;
  limits.max_voxels = 1 << 20;  // keep each run fast; the limits themselves are part of what is tested
  limits.max_blocks = 1 << 12;
  limits.max_file_bytes = 1 << 24;
  auto state = formats::read_qb(formats::ByteView(data, size), limits);
  if (!state.ok()) {
    return 0;
  }
  formats::Bytes out;
  if (!formats::write_qb(*state, out, {}).ok()) {
    std::abort();  // the writer accepts every project the reader produces
  }
  ReadLimits generous;
  auto back = formats::read_qb(out, generous);
  if (!back.ok() || back->layers.size() != state->layers.size()) {
    std::abort();  // and reads back everything it writes
  }
  for (std::size_t i = 0; i < back->layers.size(); ++i) {
    if (!(back->layers[i].volume == state->layers[i].volume) || back->layers[i].name != state->layers[i].name) {
      std::abort();
    }
  }
  return 0;
}
