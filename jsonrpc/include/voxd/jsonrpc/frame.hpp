// What a framer cuts out of a byte stream: one message's text, or the fact that a message was over the limit.
#pragma once

#include <cstddef>
#include <string>

namespace voxd::jsonrpc {

struct Frame {
  enum class Kind { kMessage, kTooLarge };
  Kind kind = Kind::kMessage;
  std::string text;       // the message (kMessage); empty for kTooLarge, whose bytes were dropped as they came
  std::size_t bytes = 0;  // the message's size on the wire
};

}  // namespace voxd::jsonrpc
