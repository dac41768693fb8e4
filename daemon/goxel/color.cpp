#include "color.hpp"

#include <array>
#include <cmath>
#include <string>

namespace voxd::goxel {

namespace {
std::uint32_t component(const nlohmann::json& value, const char* what) {
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d >= 0.0 && d <= 1.0) return static_cast<std::uint32_t>(std::lround(d * 255.0));
  }
  return static_cast<std::uint32_t>(jsonrpc::integer_value(value, what, 0, 255));
}

std::uint32_t pack(const std::array<std::uint32_t, 4>& c) {
  return c[0] << 24U | c[1] << 16U | c[2] << 8U | c[3];
}

std::uint32_t hex_color(const std::string& text) {
  const bool ok = (text.size() == 7 || text.size() == 9) && text[0] == '#' &&
                  text.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
  if (!ok) jsonrpc::throw_invalid_params("colour '" + text + "' is not #RRGGBB or #RRGGBBAA");
  const auto value = static_cast<std::uint32_t>(std::stoul(text.substr(1), nullptr, 16));
  return text.size() == 7 ? (value << 8U | 0xffU) : value;
}
}  // namespace

std::uint32_t color_value(const nlohmann::json& value) {
  if (value.is_string()) return hex_color(value.get<std::string>());
  std::array<std::uint32_t, 4> c{0, 0, 0, 255};
  if (value.is_array()) {
    if (value.size() < 3 || value.size() > 4)
      jsonrpc::throw_invalid_params("colour array must be [r,g,b] or [r,g,b,a]");
    static constexpr std::array<const char*, 4> kNames{"color[0]", "color[1]", "color[2]", "color[3]"};
    for (std::size_t i = 0; i < value.size(); ++i) c[i] = component(value[i], kNames[i]);
    return pack(c);
  }
  if (value.is_object()) {
    static constexpr std::array<const char*, 4> kNames{"r", "g", "b", "a"};
    for (std::size_t i = 0; i < 4; ++i) {
      const auto it = value.find(kNames[i]);
      if (it == value.end()) {
        if (i < 3) jsonrpc::throw_invalid_params(std::string("colour object needs '") + kNames[i] + "'");
        continue;
      }
      c[i] = component(*it, kNames[i]);
    }
    return pack(c);
  }
  jsonrpc::throw_invalid_params("'color' must be [r,g,b,a], \"#RRGGBBAA\" or {r,g,b,a}");
}

std::uint32_t read_color(const jsonrpc::Params& params, std::size_t first_position) {
  if (const auto* color = params.find(jsonrpc::Params::kNoPosition, "color")) return color_value(*color);
  if (const auto* first = params.find(first_position, "r"); first != nullptr && !first->is_number()) {
    return color_value(*first);  // a hex string or array in the first colour position
  }
  static constexpr std::array<const char*, 4> kNames{"r", "g", "b", "a"};
  std::array<std::uint32_t, 4> c{255, 255, 255, 255};
  bool any = false;
  std::array<std::uint32_t, 4> given{0, 0, 0, 255};
  for (std::size_t i = 0; i < 4; ++i) {
    if (const auto* v = params.find(first_position + i, kNames[i])) {
      given[i] = component(*v, kNames[i]);
      any = true;
    }
  }
  return pack(any ? given : c);
}

nlohmann::json color_array(std::uint32_t rgba) {
  return nlohmann::json::array({rgba >> 24U, (rgba >> 16U) & 0xffU, (rgba >> 8U) & 0xffU, rgba & 0xffU});
}

}  // namespace voxd::goxel
