// Newline-delimited framing (MCP's stdio transport): every message is one line; "\r\n" is accepted, blank lines
// are skipped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "voxd/jsonrpc/frame.hpp"

namespace voxd::jsonrpc {

class LineFramer {
 public:
  // A line longer than max_message_bytes (without its line end) is dropped as it arrives and reported as one
  // kTooLarge frame at its newline.
  explicit LineFramer(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  void feed(std::string_view bytes, std::vector<Frame>& out);

  [[nodiscard]] std::size_t buffered() const { return line_.size(); }
  [[nodiscard]] bool mid_message() const { return size_ > 0; }
  [[nodiscard]] std::size_t max_message_bytes() const { return max_message_bytes_; }

 private:
  void finish(std::vector<Frame>& out);

  std::size_t max_message_bytes_;
  bool discarding_ = false;
  std::size_t size_ = 0;
  std::string line_;
};

}  // namespace voxd::jsonrpc
