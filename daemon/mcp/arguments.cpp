#include "arguments.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <string_view>

namespace voxd::mcp {

namespace {
const json* find(const json& args, const char* name) {
  if (!args.is_object()) return nullptr;
  const auto it = args.find(name);
  return it == args.end() || it->is_null() ? nullptr : &*it;
}

std::int64_t integer_of(const json& value, const std::string& what, std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      throw ToolError(what + " is out of range");
    }
    n = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!(d >= static_cast<double>(min) && d <= static_cast<double>(max)) || d != static_cast<double>(static_cast<std::int64_t>(d))) {
      throw ToolError(what + " must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    n = static_cast<std::int64_t>(d);
  } else {
    throw ToolError(what + " must be an integer");
  }
  if (n < min || n > max) {
    throw ToolError(what + " must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
                    std::to_string(n));
  }
  return n;
}

constexpr std::array<std::pair<std::string_view, protocol::BlendMode>, 9> kModes{{
    {"over", protocol::BlendMode::over},
    {"subtract", protocol::BlendMode::subtract},
    {"subtract_clamp", protocol::BlendMode::subtract_clamp},
    {"paint", protocol::BlendMode::paint},
    {"max", protocol::BlendMode::max},
    {"intersect", protocol::BlendMode::intersect},
    {"intersect_fill", protocol::BlendMode::intersect_fill},
    {"mult_alpha", protocol::BlendMode::mult_alpha},
    {"replace", protocol::BlendMode::replace},
}};
}  // namespace

std::uint64_t arg_project(const json& args) {
  const json* v = find(args, "project");
  if (v == nullptr) throw ToolError("missing argument 'project' (a handle from project_create, project_open or project_list)");
  return static_cast<std::uint64_t>(integer_of(*v, "'project'", 1, INT64_MAX));
}

std::int64_t arg_int(const json& args, const char* name, std::int64_t min, std::int64_t max) {
  const json* v = find(args, name);
  if (v == nullptr) throw ToolError(std::string("missing argument '") + name + "'");
  return integer_of(*v, std::string("'") + name + "'", min, max);
}

std::int64_t arg_int_or(const json& args, const char* name, std::int64_t fallback, std::int64_t min,
                        std::int64_t max) {
  const json* v = find(args, name);
  return v == nullptr ? fallback : integer_of(*v, std::string("'") + name + "'", min, max);
}

std::uint32_t arg_layer(const json& args) {
  return static_cast<std::uint32_t>(arg_int_or(args, "layer", 0, 0, UINT32_MAX));
}

std::optional<std::string> arg_string(const json& args, const char* name) {
  const json* v = find(args, name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) throw ToolError(std::string("'") + name + "' must be a string");
  return v->get<std::string>();
}

std::string arg_required_string(const json& args, const char* name) {
  auto s = arg_string(args, name);
  if (!s) throw ToolError(std::string("missing argument '") + name + "'");
  return *s;
}

bool arg_bool_or(const json& args, const char* name, bool fallback) {
  const json* v = find(args, name);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) throw ToolError(std::string("'") + name + "' must be true or false");
  return v->get<bool>();
}

std::optional<double> arg_number(const json& args, const char* name, double min, double max) {
  const json* v = find(args, name);
  if (v == nullptr) return std::nullopt;
  const auto range = [&] {
    std::array<char, 64> text{};
    std::snprintf(text.data(), text.size(), "[%g, %g]", min, max);
    return std::string(text.data());
  };
  if (!v->is_number()) throw ToolError(std::string("'") + name + "' must be a number in " + range());
  const double d = v->get<double>();
  if (!(d >= min && d <= max)) {  // also refuses NaN
    throw ToolError(std::string("'") + name + "' must be in " + range() + ", got " + v->dump());
  }
  return d;
}

std::uint32_t color_value(const json& value, const std::string& what) {
  if (!value.is_string()) throw ToolError(what + " must be a colour string like \"#ff8800\" or \"#ff880080\"");
  std::string_view text = value.get_ref<const std::string&>();
  if (!text.empty() && text.front() == '#') text.remove_prefix(1);
  std::uint32_t rgba = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), rgba, 16);
  if ((text.size() != 6 && text.size() != 8) || error != std::errc() || end != text.data() + text.size()) {
    throw ToolError(what + " must be \"#RRGGBB\" or \"#RRGGBBAA\" in hex, got \"" + value.get<std::string>() + "\"");
  }
  return text.size() == 6 ? (rgba << 8U) | 0xffU : rgba;
}

std::uint32_t arg_color(const json& args, const char* name) {
  const json* v = find(args, name);
  if (v == nullptr) throw ToolError(std::string("missing argument '") + name + "'");
  return color_value(*v, std::string("'") + name + "'");
}

std::string color_text(std::uint32_t rgba) {
  std::array<char, 10> text{};
  std::snprintf(text.data(), text.size(), "#%08x", rgba);
  return text.data();
}

protocol::Vec3 vec3_value(const json& value, const std::string& what) {
  if (!value.is_array() || value.size() != 3) throw ToolError(what + " must be [x, y, z]");
  return {static_cast<int>(integer_of(value[0], what + "[0]", INT32_MIN, INT32_MAX)),
          static_cast<int>(integer_of(value[1], what + "[1]", INT32_MIN, INT32_MAX)),
          static_cast<int>(integer_of(value[2], what + "[2]", INT32_MIN, INT32_MAX))};
}

protocol::Vec3 arg_vec3(const json& args, const char* name) {
  const json* v = find(args, name);
  if (v == nullptr) throw ToolError(std::string("missing argument '") + name + "' ([x, y, z])");
  return vec3_value(*v, std::string("'") + name + "'");
}

protocol::Box3 arg_box(const json& args) {
  const auto a = arg_vec3(args, "min");
  const auto b = arg_vec3(args, "max");
  return {{std::min(a.x(), b.x()), std::min(a.y(), b.y()), std::min(a.z(), b.z())},
          {std::max(a.x(), b.x()), std::max(a.y(), b.y()), std::max(a.z(), b.z())}};
}

protocol::BlendMode arg_mode(const json& args) {
  const auto name = arg_string(args, "mode");
  if (!name) return protocol::BlendMode::over;
  for (const auto& [text, mode] : kModes) {
    if (text == *name) return mode;
  }
  throw ToolError("unknown 'mode' \"" + *name +
                  "\" (over, subtract, subtract_clamp, paint, max, intersect, intersect_fill, mult_alpha, replace)");
}

const json& arg_array(const json& args, const char* name, std::size_t max_items) {
  const json* v = find(args, name);
  if (v == nullptr || !v->is_array()) throw ToolError(std::string("'") + name + "' must be an array");
  if (v->size() > max_items) {
    throw ToolError(std::string("'") + name + "' has " + std::to_string(v->size()) + " items; the limit is " +
                    std::to_string(max_items) + " (max_items_per_call)");
  }
  return *v;
}

json vec3_json(const protocol::Vec3& v) { return json::array({v.x(), v.y(), v.z()}); }

}  // namespace voxd::mcp
