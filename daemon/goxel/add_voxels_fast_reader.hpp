// The fast path of goxel.add_voxels. Reading 1,000 voxels into nlohmann::json's tree (an allocated std::map per
// voxel) costs about 2 us a voxel, four times the front's whole budget at 2 M voxels/s. This reader goes from
// the message text straight to the voxels with simdjson's On-Demand API (no tree; about 0.1 us a voxel), but
// only for the plain form clients send in bulk: one request object with an id, integer coordinates and integer
// colours (r,g,b,a or color [r,g,b,a]), no duplicate or unknown keys. Anything else, valid or not, is left to the
// dispatcher (nullopt), which reads every form and words every error; so this path can only be faster, never
// different. The jsonrpc_front fuzzer checks that both read the same call from every message this one accepts.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "add_voxels.hpp"

namespace voxd::goxel {

struct FastAddVoxels {
  nlohmann::json id;  // the request's id, for the response
  AddVoxelsCall call;
};

class AddVoxelsFastReader {
 public:
  // The call in `text` (one framed message), or nullopt when the dispatcher should read it.
  [[nodiscard]] std::optional<FastAddVoxels> read(std::string_view text);

 private:
  // Both kept: they grow once to the largest message (at most the framer's --goxel-max-message-bytes), not per
  // message.
  simdjson::ondemand::parser parser_;
  std::vector<char> buffer_;  // the message and simdjson's padding
};

}  // namespace voxd::goxel
