#include "voxd/jsonrpc/stream_framer.hpp"

#include <utility>

namespace voxd::jsonrpc {

namespace {
bool is_json_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
}  // namespace

void StreamFramer::take(char c) {
  ++size_;
  if (discarding_) return;
  if (size_ > max_message_bytes_) {
    discarding_ = true;
    message_.clear();
    message_.shrink_to_fit();
    return;
  }
  message_.push_back(c);
}

void StreamFramer::finish(std::vector<Frame>& out) {
  Frame frame;
  frame.bytes = size_;
  if (discarding_) {
    frame.kind = Frame::Kind::kTooLarge;
  } else {
    frame.text = std::move(message_);
  }
  out.push_back(std::move(frame));
  message_.clear();
  state_ = State::kBetween;
  depth_ = 0;
  in_string_ = false;
  escaped_ = false;
  discarding_ = false;
  size_ = 0;
}

void StreamFramer::feed(std::string_view bytes, std::vector<Frame>& out) {
  for (const char c : bytes) {
    switch (state_) {
      case State::kBetween:
        if (is_json_whitespace(c)) break;
        state_ = (c == '{' || c == '[') ? State::kStructured : State::kScalar;
        depth_ = state_ == State::kStructured ? 1 : 0;
        take(c);
        break;
      case State::kScalar:
        // A bare value (or garbage) has no closing bracket: the newline ends it, so a parse error can be answered.
        if (c == '\n') {
          finish(out);
        } else {
          take(c);
        }
        break;
      case State::kStructured:
        take(c);
        if (in_string_) {
          if (escaped_) {
            escaped_ = false;
          } else if (c == '\\') {
            escaped_ = true;
          } else if (c == '"') {
            in_string_ = false;
          }
        } else if (c == '"') {
          in_string_ = true;
        } else if (c == '{' || c == '[') {
          ++depth_;
        } else if ((c == '}' || c == ']') && --depth_ == 0) {
          finish(out);
        }
        break;
    }
  }
}

}  // namespace voxd::jsonrpc
