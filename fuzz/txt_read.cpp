// Fuzzes the Goxel .txt reader; whatever it accepts must write back and read again to the same voxels.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "voxd/core/formats/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voxd::core;
  ReadLimits limits;
  limits.max_voxels = 1 << 20;
  const auto state = formats::read_bytes(std::span(data, size), "fuzz.txt", limits);
  if (!state.ok()) {
    return 0;
  }
  formats::Bytes out;
  if (!formats::write_bytes(*state, "fuzz.txt", out).ok()) {
    std::abort();
  }
  const auto again = formats::read_bytes(out, "fuzz.txt", limits);
  if (!again.ok() || again->layers.size() != 1 || !(again->layers[0].volume == state->layers[0].volume)) {
    std::abort();
  }
  return 0;
}
