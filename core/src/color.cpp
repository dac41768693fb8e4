#include "voxd/core/color.hpp"

#include <array>

namespace voxd::core {

std::string to_hex(Color c) {
  static constexpr std::array<char, 16> kDigits{'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out(8, '0');
  const std::uint32_t v = c.packed();
  for (std::size_t i = 0; i < 8; ++i) {
    out[7 - i] = kDigits[(v >> (4 * i)) & 0xFU];
  }
  return out;
}

std::optional<Color> parse_hex_color(std::string_view text) {
  if (!text.empty() && text.front() == '#') {
    text.remove_prefix(1);
  }
  if (text.size() != 6 && text.size() != 8) {
    return std::nullopt;
  }
  std::uint32_t v = 0;
  for (const char ch : text) {
    std::uint32_t digit = 0;
    if (ch >= '0' && ch <= '9') {
      digit = static_cast<std::uint32_t>(ch - '0');
    } else if (ch >= 'a' && ch <= 'f') {
      digit = static_cast<std::uint32_t>(ch - 'a' + 10);
    } else if (ch >= 'A' && ch <= 'F') {
      digit = static_cast<std::uint32_t>(ch - 'A' + 10);
    } else {
      return std::nullopt;
    }
    v = (v << 4U) | digit;
  }
  if (text.size() == 6) {
    v = (v << 8U) | 0xFFU;
  }
  return Color::from_packed(v);
}

}  // namespace voxd::core
