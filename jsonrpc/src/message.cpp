#include "voxd/jsonrpc/message.hpp"

#include <utility>

#include "voxd/jsonrpc/json_text_scanner.hpp"

namespace voxd::jsonrpc {

Response Response::success(nlohmann::json id, nlohmann::json result) {
  return {std::move(id), Outcome{std::in_place_index<0>, std::move(result)}};
}

Response Response::failure(nlohmann::json id, Error error) {
  return {std::move(id), Outcome{std::in_place_index<1>, std::move(error)}};
}

nlohmann::json Response::to_json() const {
  nlohmann::json out = {{"jsonrpc", "2.0"}};
  if (const auto* error = std::get_if<Error>(&outcome)) {
    out["error"] = error->to_json();
  } else {
    out["result"] = std::get<nlohmann::json>(outcome);
  }
  out["id"] = id;
  return out;
}

namespace {
bool valid_id(const nlohmann::json& id) {
  return id.is_string() || id.is_number() || id.is_null();
}
}  // namespace

std::variant<Request, Response> read_request(const nlohmann::json& element) {
  if (!element.is_object()) {
    return Response::failure(nullptr, invalid_request("Invalid Request: a request must be a JSON object"));
  }
  nlohmann::json reply_id = nullptr;
  std::optional<nlohmann::json> id;
  if (const auto it = element.find("id"); it != element.end()) {
    if (!valid_id(*it)) {
      return Response::failure(nullptr, invalid_request("Invalid Request: id must be a string, a number or null"));
    }
    id = *it;
    reply_id = *it;
  }
  const auto version = element.find("jsonrpc");
  if (version == element.end() || !version->is_string() || version->get_ref<const std::string&>() != "2.0") {
    return Response::failure(reply_id, invalid_request("Invalid Request: \"jsonrpc\" must be \"2.0\""));
  }
  const auto method = element.find("method");
  if (method == element.end() || !method->is_string()) {
    return Response::failure(reply_id, invalid_request("Invalid Request: \"method\" must be a string"));
  }
  nlohmann::json params = nullptr;
  if (const auto it = element.find("params"); it != element.end()) {
    if (!it->is_array() && !it->is_object()) {
      return Response::failure(reply_id, invalid_request("Invalid Request: \"params\" must be an array or an object"));
    }
    params = *it;
  }
  return Request{std::move(id), method->get<std::string>(), std::move(params)};
}

std::size_t nesting_depth(std::string_view text, std::size_t stop_above) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  JsonTextScanner scanner;
  for (const char c : text) {
    const int change = scanner.step(c);
    if (change > 0) {
      if (++depth > deepest) deepest = depth;
      if (deepest > stop_above) return deepest;
    } else if (change < 0 && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::variant<nlohmann::json, Error> parse_json(std::string_view text, const ParseLimits& limits) {
  if (nesting_depth(text, limits.max_depth) > limits.max_depth) {
    return parse_error("Parse error: JSON nested deeper than the limit max_json_depth (" +
                       std::to_string(limits.max_depth) + ")");
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return parse_error(std::string("Parse error: ") + e.what());
  } catch (const nlohmann::json::out_of_range& e) {  // a number beyond a double, such as 1e400
    return parse_error(std::string("Parse error: ") + e.what());
  }
}

std::string to_wire(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace voxd::jsonrpc
