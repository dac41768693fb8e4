#include "voxd/jsonrpc/line_framer.hpp"

#include <algorithm>
#include <utility>

namespace voxd::jsonrpc {

void LineFramer::finish(std::vector<Frame>& out) {
  if (!discarding_ && !line_.empty() && line_.back() == '\r') {
    line_.pop_back();
    --size_;
  }
  if (size_ > max_message_bytes_) discarding_ = true;
  const bool blank = !discarding_ &&
                     std::all_of(line_.begin(), line_.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
  if (!blank) {
    Frame frame;
    frame.bytes = size_;
    if (discarding_) {
      frame.kind = Frame::Kind::kTooLarge;
    } else {
      frame.text = std::move(line_);
    }
    out.push_back(std::move(frame));
  }
  line_.clear();
  discarding_ = false;
  size_ = 0;
}

void LineFramer::feed(std::string_view bytes, std::vector<Frame>& out) {
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    const auto chunk = bytes.substr(0, newline);
    size_ += chunk.size();
    // One byte of slack for a "\r" that the line end will strip.
    if (!discarding_ && size_ > max_message_bytes_ + 1) {
      discarding_ = true;
      line_.clear();
      line_.shrink_to_fit();
    }
    if (!discarding_) line_.append(chunk);
    if (newline == std::string_view::npos) return;
    finish(out);
    bytes.remove_prefix(newline + 1);
  }
}

}  // namespace voxd::jsonrpc
