#include "voxd/jsonrpc/params.hpp"

#include <cmath>
#include <utility>

namespace voxd::jsonrpc {

void throw_invalid_params(const std::string& message) {
  throw RpcError(invalid_params("Invalid params: " + message));
}

const nlohmann::json* Params::find(std::size_t index, std::string_view name) const {
  const nlohmann::json* value = nullptr;
  if (params_.is_object()) {
    const auto it = params_.find(name);
    if (it != params_.end()) value = &*it;
  } else if (params_.is_array() && index < params_.size()) {
    value = &params_[index];
  }
  return (value != nullptr && !value->is_null()) ? value : nullptr;
}

const nlohmann::json& Params::required(std::size_t index, std::string_view name) const {
  const auto* value = find(index, name);
  if (value == nullptr) throw_invalid_params("missing parameter '" + std::string(name) + "'");
  return *value;
}

std::int64_t integer_value(const nlohmann::json& value, std::string_view what, std::int64_t min, std::int64_t max) {
  std::int64_t out = 0;
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      throw_invalid_params("'" + std::string(what) + "' is out of range");
    }
    out = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    // Within +-2^53 every double that equals its floor is an exact integer.
    if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9007199254740992.0) {
      throw_invalid_params("'" + std::string(what) + "' must be an integer");
    }
    out = static_cast<std::int64_t>(d);
  } else {
    throw_invalid_params("'" + std::string(what) + "' must be an integer");
  }
  if (out < min || out > max) {
    throw_invalid_params("'" + std::string(what) + "' must be between " + std::to_string(min) + " and " +
                         std::to_string(max));
  }
  return out;
}

std::int64_t Params::integer(std::size_t index, std::string_view name, std::int64_t min, std::int64_t max) const {
  return integer_value(required(index, name), name, min, max);
}

std::int64_t Params::integer_or(std::size_t index, std::string_view name, std::int64_t fallback, std::int64_t min,
                                std::int64_t max) const {
  const auto* value = find(index, name);
  return value == nullptr ? fallback : integer_value(*value, name, min, max);
}

double Params::number(std::size_t index, std::string_view name) const {
  const auto& value = required(index, name);
  if (!value.is_number()) throw_invalid_params("'" + std::string(name) + "' must be a number");
  return value.get<double>();
}

double Params::number_or(std::size_t index, std::string_view name, double fallback) const {
  return has(index, name) ? number(index, name) : fallback;
}

std::string Params::string(std::size_t index, std::string_view name) const {
  const auto& value = required(index, name);
  if (!value.is_string()) throw_invalid_params("'" + std::string(name) + "' must be a string");
  return value.get<std::string>();
}

std::string Params::string_or(std::size_t index, std::string_view name, std::string fallback) const {
  return has(index, name) ? string(index, name) : std::move(fallback);
}

bool Params::boolean_or(std::size_t index, std::string_view name, bool fallback) const {
  const auto* value = find(index, name);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) throw_invalid_params("'" + std::string(name) + "' must be true or false");
  return value->get<bool>();
}

const nlohmann::json& Params::array(std::size_t index, std::string_view name) const {
  const auto& value = required(index, name);
  if (!value.is_array()) throw_invalid_params("'" + std::string(name) + "' must be an array");
  return value;
}

const nlohmann::json& Params::object(std::size_t index, std::string_view name) const {
  const auto& value = required(index, name);
  if (!value.is_object()) throw_invalid_params("'" + std::string(name) + "' must be an object");
  return value;
}

}  // namespace voxd::jsonrpc
