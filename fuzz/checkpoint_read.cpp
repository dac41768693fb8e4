// Fuzzes the state store's checkpoint reader (daemon/store/checkpoint_codec.cpp): a damaged store file must be
// an error, never a crash. Whatever it accepts must write back and read again to the same state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "checkpoint_codec.hpp"

namespace {

using voxd::core::ProjectState;

// The same voxels in every layer and, bit for bit, the same other fields (compared as their encoding with the
// voxels left out: a NaN in a transform, which a .gox file may hold, is kept but is not equal to itself).
bool same_state(const ProjectState& a, const ProjectState& b) {
  if (a.layers.size() != b.layers.size()) {
    return false;
  }
  ProjectState a_rest = a;  // copies share their blocks
  ProjectState b_rest = b;
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    if (!(a.layers[i].volume == b.layers[i].volume)) {
      return false;
    }
    a_rest.layers[i].volume = {};
    b_rest.layers[i].volume = {};
  }
  return voxd::store::encode_checkpoint(a_rest) == voxd::store::encode_checkpoint(b_rest);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  voxd::core::ReadLimits limits;
  limits.max_layers = 64;
  limits.max_blocks = 1 << 12;
  const auto state = voxd::store::decode_checkpoint(std::span(data, size), limits);
  if (!state.ok()) {
    return 0;
  }
  const auto again = voxd::store::decode_checkpoint(voxd::store::encode_checkpoint(*state), limits);
  if (!again.ok() || !same_state(*again, *state)) {
    std::abort();
  }
  return 0;
}
