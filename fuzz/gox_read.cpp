// Fuzzes the .gox reader; whatever it accepts must write back and read again to the same voxels.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "voxd/core/formats/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voxd::core;
  ReadLimits limits;  // small enough to keep each run fast
  limits.max_voxels = 1 << 20;
  limits.max_blocks = 4096;
  limits.max_layers = 64;
  const auto state = formats::read_bytes(std::span(data, size), "fuzz.gox", limits);
  if (!state.ok()) {
    return 0;
  }
  formats::Bytes out;
  if (!formats::write_bytes(*state, "fuzz.gox", out, formats::WriteOptions{.thumbnail = false}).ok()) {
    std::abort();
  }
  const auto again = formats::read_bytes(out, "fuzz.gox", limits);
  if (!again.ok() || again->layers.size() != state->layers.size()) {
    std::abort();
  }
  for (std::size_t i = 0; i < state->layers.size(); ++i) {
    if (!(again->layers[i].volume == state->layers[i].volume)) {
      std::abort();
    }
  }
  return 0;
}
