// Goxel's stream framing: a message ends where its top-level JSON value closes (brace/bracket depth back to 0,
// counted outside strings) or, for a top-level value that is not an object or array, at a newline. Whitespace
// between messages is skipped, so "\n"-terminated and back-to-back messages both work, split across reads or
// coalesced in one. This is how goxel-daemon's json_socket_handler.c reads requests.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "voxd/jsonrpc/frame.hpp"
#include "voxd/jsonrpc/json_text_scanner.hpp"

namespace voxd::jsonrpc {

class StreamFramer {
 public:
  // A message longer than max_message_bytes is dropped as it arrives (memory stays bounded) and reported as one
  // kTooLarge frame when it ends, so the connection stays in step and can answer with an error.
  explicit StreamFramer(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  // Appends to `out` every frame that `bytes` completes.
  void feed(std::string_view bytes, std::vector<Frame>& out);

  // Bytes of an unfinished message held now (at most max_message_bytes).
  [[nodiscard]] std::size_t buffered() const { return message_.size(); }
  [[nodiscard]] bool mid_message() const { return state_ != State::kBetween; }
  [[nodiscard]] std::size_t max_message_bytes() const { return max_message_bytes_; }

 private:
  enum class State { kBetween, kStructured, kScalar };
  void take(std::string_view run);  // appends a run of the current message (or counts it, once over the limit)
  void finish(std::vector<Frame>& out);
  // Advance the scan state of a structured message over 8 bytes at p, unless they need byte-by-byte care (a
  // backslash, or a closing bracket that may end the message): then false, and nothing changed.
  bool scan_word(const char* p);
  bool scan_block(const char* p);  // the same over 64 bytes (SSE2; without it, always false)
  bool scan_byte(char c);          // one byte; true when it closes the message

  std::size_t max_message_bytes_;
  State state_ = State::kBetween;
  std::size_t depth_ = 0;
  JsonTextScanner text_;
  bool discarding_ = false;  // over the limit: counting, not keeping
  std::size_t size_ = 0;     // bytes of the current message so far
  std::string message_;
};

}  // namespace voxd::jsonrpc
