#include "voxd/jsonrpc/error.hpp"

#include <utility>

namespace voxd::jsonrpc {

nlohmann::json Error::to_json() const {
  nlohmann::json out = {{"code", code}, {"message", message}};
  if (!data.is_null()) out["data"] = data;
  return out;
}

Error parse_error(std::string message) {
  return {code::kParseError, std::move(message), nullptr};
}
Error invalid_request(std::string message) {
  return {code::kInvalidRequest, std::move(message), nullptr};
}
Error method_not_found(const std::string& method) {
  return {code::kMethodNotFound, "Method not found: " + method, nullptr};
}
Error invalid_params(std::string message) {
  return {code::kInvalidParams, std::move(message), nullptr};
}
Error internal_error(std::string message) {
  return {code::kInternalError, std::move(message), nullptr};
}

}  // namespace voxd::jsonrpc
