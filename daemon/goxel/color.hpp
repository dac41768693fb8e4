// Goxel's colour parameter forms, read into voxd's packed RGBA (r << 24 | g << 16 | b << 8 | a):
// `color` as [r,g,b(,a)], "#RRGGBB(AA)" or {r,g,b(,a)}; or separate r, g, b, a parameters (by name or from a
// position). Components are integers 0-255, or floats 0-1 (goxel-daemon's float form). With no colour at all the
// colour is opaque white, as in goxel-daemon; a missing alpha is 255.
#pragma once

#include <cstddef>
#include <cstdint>

#include "voxd/jsonrpc/params.hpp"

namespace voxd::goxel {

// Throws jsonrpc::RpcError (-32602) naming the malformed part.
[[nodiscard]] std::uint32_t read_color(const jsonrpc::Params& params, std::size_t first_position);
// One colour value in any of the `color` forms.
[[nodiscard]] std::uint32_t color_value(const nlohmann::json& value);
[[nodiscard]] nlohmann::json color_array(std::uint32_t rgba);

}  // namespace voxd::goxel
