// goxel.add_voxels, the front's bulk edit: the call read from its parameters (the dispatcher's path) or straight
// from the request text (add_voxels_fast_reader.hpp), and sent as one SetVoxels request. Both paths end in
// send_add_voxels, so the edit itself exists once.
#pragma once

#include <cstdint>
#include <vector>

#include "method_support.hpp"

namespace voxd::goxel {

struct AddVoxelsCall {
  std::vector<pr::Voxel> voxels;
  std::uint32_t layer = 0;    // 0: the active layer (goxel-daemon's default)
  std::uint64_t project = 0;  // the `project` extension; 0: the session's current project
};

// Reads goxel-daemon's parameters (0: voxels [{x,y,z, colour}], 1: layer_id; `project` by name). Throws RpcError
// (invalid params) on anything it cannot read.
[[nodiscard]] AddVoxelsCall read_add_voxels_params(const Params& p);

// Sends the call's SetVoxels and answers {success, count, voxels_added}, or goxel's -1004 with voxd's message.
void send_add_voxels(CallContext& c, AddVoxelsCall call, Respond respond);

}  // namespace voxd::goxel
