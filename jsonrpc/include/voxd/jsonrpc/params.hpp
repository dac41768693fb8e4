// Reading a request's params, given by position (an array) or by name (an object), with typed accessors that
// throw RpcError(-32602, naming the parameter) on a missing or mistyped value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "voxd/jsonrpc/error.hpp"

namespace voxd::jsonrpc {

class Params {
 public:
  explicit Params(const nlohmann::json& params) : params_(params) {}

  [[nodiscard]] bool by_position() const { return params_.is_array(); }
  [[nodiscard]] bool by_name() const { return params_.is_object(); }
  [[nodiscard]] const nlohmann::json& raw() const { return params_; }

  // The value named `name` (by-name params) or at `index` (by-position params); nullptr when absent or JSON null.
  // Pass kNoPosition for parameters that only exist by name.
  static constexpr std::size_t kNoPosition = std::numeric_limits<std::size_t>::max();
  [[nodiscard]] const nlohmann::json* find(std::size_t index, std::string_view name) const;
  [[nodiscard]] bool has(std::size_t index, std::string_view name) const { return find(index, name) != nullptr; }

  [[nodiscard]] std::int64_t integer(std::size_t index, std::string_view name, std::int64_t min = INT32_MIN,
                                     std::int64_t max = INT32_MAX) const;
  [[nodiscard]] std::int64_t integer_or(std::size_t index, std::string_view name, std::int64_t fallback,
                                        std::int64_t min = INT32_MIN, std::int64_t max = INT32_MAX) const;
  [[nodiscard]] double number(std::size_t index, std::string_view name) const;
  [[nodiscard]] double number_or(std::size_t index, std::string_view name, double fallback) const;
  [[nodiscard]] std::string string(std::size_t index, std::string_view name) const;
  [[nodiscard]] std::string string_or(std::size_t index, std::string_view name, std::string fallback) const;
  [[nodiscard]] bool boolean_or(std::size_t index, std::string_view name, bool fallback) const;
  [[nodiscard]] const nlohmann::json& array(std::size_t index, std::string_view name) const;
  [[nodiscard]] const nlohmann::json& object(std::size_t index, std::string_view name) const;

 private:
  [[nodiscard]] const nlohmann::json& required(std::size_t index, std::string_view name) const;
  const nlohmann::json& params_;
};

// Reads a JSON number as an integer in [min, max]; integral floats (3.0) count. Throws RpcError naming `what`.
[[nodiscard]] std::int64_t integer_value(const nlohmann::json& value, std::string_view what,
                                         std::int64_t min = INT32_MIN, std::int64_t max = INT32_MAX);
// Throws RpcError(-32602) with "Invalid params: <message>".
[[noreturn]] void throw_invalid_params(const std::string& message);

}  // namespace voxd::jsonrpc
