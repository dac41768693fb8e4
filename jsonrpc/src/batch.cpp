#include "voxd/jsonrpc/batch.hpp"

#include <utility>

namespace voxd::jsonrpc {

std::variant<IncomingMessage, Response> read_message(std::string_view text, const MessageLimits& limits) {
  auto parsed = parse_json(text, limits.parse);
  if (auto* error = std::get_if<Error>(&parsed)) return Response::failure(nullptr, std::move(*error));
  const auto& value = std::get<nlohmann::json>(parsed);
  IncomingMessage message;
  if (!value.is_array()) {
    message.items.push_back(read_request(value));
    return message;
  }
  if (value.empty()) return Response::failure(nullptr, invalid_request("Invalid Request: empty batch"));
  if (value.size() > limits.max_batch_requests) {
    return Response::failure(nullptr, invalid_request("Invalid Request: batch of " + std::to_string(value.size()) +
                                                      " requests exceeds the limit " + limits.max_batch_requests_name +
                                                      " (" + std::to_string(limits.max_batch_requests) + ")"));
  }
  message.is_batch = true;
  message.items.reserve(value.size());
  for (const auto& element : value) message.items.push_back(read_request(element));
  return message;
}

std::optional<std::string> assemble_reply(bool is_batch, const std::vector<Response>& responses) {
  if (responses.empty()) return std::nullopt;
  if (!is_batch) return to_wire(responses.front().to_json());
  nlohmann::json array = nlohmann::json::array();
  for (const auto& response : responses) array.push_back(response.to_json());
  return to_wire(array);
}

Response message_too_large(std::size_t bytes, std::size_t limit, std::string_view limit_name) {
  return Response::failure(
      nullptr, invalid_request("Invalid Request: message of " + std::to_string(bytes) + " bytes exceeds the limit " +
                               std::string(limit_name) + " (" + std::to_string(limit) + " bytes)"));
}

}  // namespace voxd::jsonrpc
