// Where one byte of JSON text stands: inside a string (and just after a backslash there) or outside, where
// brackets nest. The stream framer (where a message ends) and nesting_depth (how deep a message goes) both
// read text this way, so they cannot disagree about what is a string.
#pragma once

namespace voxd::jsonrpc {

struct JsonTextScanner {
  bool in_string = false;
  bool escaped = false;  // the previous byte was a backslash inside a string

  // +1 for an opening bracket outside strings, -1 for a closing one, 0 for any other byte.
  int step(char c) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      return 0;
    }
    switch (c) {
      case '"': in_string = true; return 0;
      case '{':
      case '[': return 1;
      case '}':
      case ']': return -1;
      default: return 0;
    }
  }
};

}  // namespace voxd::jsonrpc
