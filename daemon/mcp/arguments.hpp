// Reading a tool call's `arguments` object. Every reader throws ToolError naming the argument, which the
// server answers as a tool result with isError: true (a model reads it and retries), never a protocol error.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "voxd/protocol/voxd_generated.h"

namespace voxd::mcp {

struct ToolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using nlohmann::json;

[[nodiscard]] std::uint64_t arg_project(const json& args);
[[nodiscard]] std::int64_t arg_int(const json& args, const char* name, std::int64_t min, std::int64_t max);
[[nodiscard]] std::int64_t arg_int_or(const json& args, const char* name, std::int64_t fallback, std::int64_t min,
                                      std::int64_t max);
[[nodiscard]] std::uint32_t arg_layer(const json& args);  // "layer", default 0 (active / all visible)
[[nodiscard]] std::optional<std::string> arg_string(const json& args, const char* name);
[[nodiscard]] std::string arg_required_string(const json& args, const char* name);
[[nodiscard]] bool arg_bool_or(const json& args, const char* name, bool fallback);
// A finite number (integer or not) in [min, max]; nullopt when absent or null.
[[nodiscard]] std::optional<double> arg_number(const json& args, const char* name, double min, double max);
// "#RRGGBB" or "#RRGGBBAA" (the # is optional) -> 0xRRGGBBAA.
[[nodiscard]] std::uint32_t color_value(const json& value, const std::string& what);
[[nodiscard]] std::uint32_t arg_color(const json& args, const char* name);
[[nodiscard]] std::string color_text(std::uint32_t rgba);
// [x, y, z]
[[nodiscard]] protocol::Vec3 vec3_value(const json& value, const std::string& what);
[[nodiscard]] protocol::Vec3 arg_vec3(const json& args, const char* name);
[[nodiscard]] protocol::Box3 arg_box(const json& args);  // "min" and "max", both inclusive, sorted
[[nodiscard]] protocol::BlendMode arg_mode(const json& args);
[[nodiscard]] const json& arg_array(const json& args, const char* name, std::size_t max_items);
[[nodiscard]] json vec3_json(const protocol::Vec3& v);

}  // namespace voxd::mcp
