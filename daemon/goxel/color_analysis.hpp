// goxel-daemon's colour analysis in the front: its parameters `region`, `bin_size`, `merge_similar` and
// `merge_threshold` (by name, as goxel-daemon read them), and the colour grouping that `bin_size` and
// `merge_similar` ask for, applied to the exact histogram voxd answers. The region is counted in the daemon.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "voxd/jsonrpc/params.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::goxel {

// The largest bin size: one bin per channel.
inline constexpr int kMaxBinSize = 256;
// goxel-daemon's merge_threshold when merge_similar is given without one.
inline constexpr int kDefaultMergeThreshold = 10;

// A colour 0xRRGGBBAA and how many voxels have it.
using ColorCount = std::pair<std::uint32_t, std::int64_t>;

// An array of 3 integers that fit an int32 (as `[x, y, z]`), else -32602 naming `what`.
[[nodiscard]] protocol::Vec3 vec3_value(const nlohmann::json& value, const char* what);
// `region`: {min: [x,y,z], max: [x,y,z]}, both corners inclusive; nullopt when absent. -32602 naming `region`
// when malformed or when min is above max on some axis (the daemon checks the coordinate range).
[[nodiscard]] std::optional<protocol::Box3> region_param(const jsonrpc::Params& p);
// `bin_size` in [0, kMaxBinSize], default 0 (exact colours).
[[nodiscard]] int bin_size_param(const jsonrpc::Params& p);
// The bin size `merge_similar` asks for: `merge_threshold` (default kDefaultMergeThreshold, in [0, kMaxBinSize]),
// which goxel-daemon used as a bin size, when merge_similar is true; else 0.
[[nodiscard]] int merge_bin_size_param(const jsonrpc::Params& p);

// goxel-daemon's bin of a colour: each of red, green and blue goes to the middle of its bin of `bin_size` values
// (bin * bin_size + bin_size / 2), alpha is kept; bin sizes 0 and 1 keep the colour. Where the last bin of a
// channel is cut short by 255 its middle is capped at 255 (goxel-daemon's uint8 wrapped round to small values).
// `bin_size` must be in [0, kMaxBinSize].
[[nodiscard]] std::uint32_t bin_color(std::uint32_t rgba, int bin_size) noexcept;

// The counts summed per bin, most frequent first, equal counts by colour value. With bin sizes 0 and 1 that is
// the histogram itself, in that order.
[[nodiscard]] std::vector<ColorCount> group_colors(std::span<const ColorCount> histogram, int bin_size);

}  // namespace voxd::goxel
