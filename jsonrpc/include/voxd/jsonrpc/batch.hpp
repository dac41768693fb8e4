// One incoming message (a single request or a batch) read into the requests to run and the error responses
// already known, and the reply assembled from the responses.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "voxd/jsonrpc/message.hpp"

namespace voxd::jsonrpc {

struct MessageLimits {
  std::size_t max_batch_requests = 1000;
  std::string max_batch_requests_name = "max_batch_requests";  // how the limit is called in its error
  ParseLimits parse;
};

struct IncomingMessage {
  bool is_batch = false;
  // In message order: a request to run, or the error response for an element that was not a valid request.
  std::vector<std::variant<Request, Response>> items;
};

// Reads message text. A message that is not JSON, an empty batch or an oversized batch is answered as a whole:
// the error Response is returned instead.
[[nodiscard]] std::variant<IncomingMessage, Response> read_message(std::string_view text, const MessageLimits& limits);

// The reply text for a message: one response object, or the array of a batch's responses; nothing when every
// element was a notification (`responses` holds only what is to be sent, in order).
[[nodiscard]] std::optional<std::string> assemble_reply(bool is_batch, const std::vector<Response>& responses);

// The error answered for a message that went over the size limit (its bytes were never kept).
[[nodiscard]] Response message_too_large(std::size_t bytes, std::size_t limit, std::string_view limit_name);

}  // namespace voxd::jsonrpc
