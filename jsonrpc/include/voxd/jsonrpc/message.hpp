// The JSON-RPC 2.0 message model: requests, notifications and responses, and their wire text.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "voxd/jsonrpc/error.hpp"

namespace voxd::jsonrpc {

// A request; a notification is a request without an id (it gets no response, not even an error).
struct Request {
  std::optional<nlohmann::json> id;  // a string, a number or null when present
  std::string method;
  nlohmann::json params;  // an array, an object, or null when absent

  [[nodiscard]] bool is_notification() const { return !id.has_value(); }
};

// A response carries either a result or an error, and the id of its request (null when unknown).
struct Response {
  nlohmann::json id;
  std::variant<nlohmann::json, Error> outcome;

  [[nodiscard]] static Response success(nlohmann::json id, nlohmann::json result);
  [[nodiscard]] static Response failure(nlohmann::json id, Error error);
  [[nodiscard]] bool is_error() const { return std::holds_alternative<Error>(outcome); }
  [[nodiscard]] nlohmann::json to_json() const;
};

// A handler's answer: the result value, or an error.
using Outcome = std::variant<nlohmann::json, Error>;

// Reads one element of a message (a request object) into a Request. When the element is not a valid request, the
// error response to send; its id is the element's id when one could be read, else null.
[[nodiscard]] std::variant<Request, Response> read_request(const nlohmann::json& element);

// Parse limits. JSON nesting deeper than max_depth is refused before the parser sees it, so no input can exhaust
// the stack of anything that walks the tree later.
struct ParseLimits {
  std::size_t max_depth = 64;
};

// Parses message text. On failure, the -32700 error to answer with (null id, as JSON-RPC says).
[[nodiscard]] std::variant<nlohmann::json, Error> parse_json(std::string_view text, const ParseLimits& limits);

// The deepest nesting of arrays/objects in `text`, counting outside strings. Stops counting at `stop_above`.
[[nodiscard]] std::size_t nesting_depth(std::string_view text, std::size_t stop_above);

// Wire text of a JSON value: compact; invalid UTF-8 inside strings is replaced rather than thrown on.
[[nodiscard]] std::string to_wire(const nlohmann::json& value);

}  // namespace voxd::jsonrpc
