#include "color_analysis.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace voxd::goxel {

using jsonrpc::Params;
using nlohmann::json;

protocol::Vec3 vec3_value(const json& value, const char* what) {
  const auto fits = [](const json& v) {
    if (!v.is_number_integer()) return false;
    if (v.is_number_unsigned()) return v.get<std::uint64_t>() <= INT32_MAX;
    const auto n = v.get<std::int64_t>();
    return n >= INT32_MIN && n <= INT32_MAX;
  };
  if (!value.is_array() || value.size() != 3 || !fits(value[0]) || !fits(value[1]) || !fits(value[2])) {
    jsonrpc::throw_invalid_params(std::string("Parameter '") + what + "' must be an array of 3 integers");
  }
  return {value[0].get<std::int32_t>(), value[1].get<std::int32_t>(), value[2].get<std::int32_t>()};
}

std::optional<protocol::Box3> region_param(const Params& p) {
  const auto* value = p.find(Params::kNoPosition, "region");
  if (value == nullptr) return std::nullopt;
  if (!value->is_object() || !value->contains("min") || !value->contains("max")) {
    jsonrpc::throw_invalid_params(R"(Parameter 'region' must be {"min": [x,y,z], "max": [x,y,z]})");
  }
  const protocol::Vec3 lo = vec3_value(value->at("min"), "region.min");
  const protocol::Vec3 hi = vec3_value(value->at("max"), "region.max");
  if (lo.x() > hi.x() || lo.y() > hi.y() || lo.z() > hi.z()) {
    jsonrpc::throw_invalid_params("Parameter 'region' has min above max on some axis");
  }
  return protocol::Box3(lo, hi);
}

int bin_size_param(const Params& p) {
  return static_cast<int>(p.integer_or(Params::kNoPosition, "bin_size", 0, 0, kMaxBinSize));
}

int merge_bin_size_param(const Params& p) {
  const bool merge = p.boolean_or(Params::kNoPosition, "merge_similar", false);
  const auto threshold = p.integer_or(Params::kNoPosition, "merge_threshold", kDefaultMergeThreshold, 0, kMaxBinSize);
  return merge ? static_cast<int>(threshold) : 0;
}

std::uint32_t bin_color(std::uint32_t rgba, int bin_size) noexcept {
  if (bin_size <= 1) return rgba;
  const auto size = static_cast<std::uint32_t>(bin_size);
  const auto bin = [size](std::uint32_t channel) {
    return std::min<std::uint32_t>(channel / size * size + size / 2, 255);
  };
  const std::uint32_t r = bin(rgba >> 24U);
  const std::uint32_t g = bin((rgba >> 16U) & 0xFFU);
  const std::uint32_t b = bin((rgba >> 8U) & 0xFFU);
  return (r << 24U) | (g << 16U) | (b << 8U) | (rgba & 0xFFU);
}

std::vector<ColorCount> group_colors(std::span<const ColorCount> histogram, int bin_size) {
  std::unordered_map<std::uint32_t, std::int64_t> bins;
  bins.reserve(histogram.size());
  for (const auto& [rgba, count] : histogram) bins[bin_color(rgba, bin_size)] += count;
  std::vector<ColorCount> out(bins.begin(), bins.end());
  std::sort(out.begin(), out.end(), [](const ColorCount& a, const ColorCount& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

}  // namespace voxd::goxel
