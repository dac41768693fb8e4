// JSON-RPC 2.0 errors: the standard codes and the error object of a response.
#pragma once

#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace voxd::jsonrpc {

// The codes JSON-RPC 2.0 reserves (section 5.1). Applications add their own codes outside -32768..-32000.
namespace code {
inline constexpr int kParseError = -32700;      // the bytes are not JSON
inline constexpr int kInvalidRequest = -32600;  // JSON, but not a request object (or over a size limit)
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
}  // namespace code

// The "error" member of a response. `data` is omitted from the wire when null.
struct Error {
  int code = code::kInternalError;
  std::string message;
  nlohmann::json data;

  [[nodiscard]] nlohmann::json to_json() const;
};

// Thrown by handlers (and the parameter readers) to answer with `error`; the dispatcher turns it into the
// error response, so a translator can validate in straight-line code.
class RpcError : public std::exception {
 public:
  explicit RpcError(Error error) : error_(std::move(error)) {}
  [[nodiscard]] const Error& error() const { return error_; }
  [[nodiscard]] const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

[[nodiscard]] Error parse_error(std::string message);
[[nodiscard]] Error invalid_request(std::string message);
[[nodiscard]] Error method_not_found(const std::string& method);
[[nodiscard]] Error invalid_params(std::string message);
[[nodiscard]] Error internal_error(std::string message);

}  // namespace voxd::jsonrpc
