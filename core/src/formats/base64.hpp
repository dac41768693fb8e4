// Base64 (RFC 4648, standard alphabet, '=' padding), for data: URIs such as the buffer of a .gltf file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace voxd::core::formats {

[[nodiscard]] constexpr std::size_t base64_size(std::size_t bytes) noexcept {
  return (bytes + 2) / 3 * 4;
}

// Appends the encoding of `bytes` to `out`.
inline void append_base64(std::span<const std::uint8_t> bytes, std::vector<std::uint8_t>& out) {
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto sextet = [&](std::uint32_t group, unsigned shift) {
    return static_cast<std::uint8_t>(kAlphabet[(group >> shift) & 0x3FU]);
  };
  constexpr auto kPad = static_cast<std::uint8_t>('=');
  out.reserve(out.size() + base64_size(bytes.size()));
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{bytes[i]} << 16U) | (std::uint32_t{bytes[i + 1]} << 8U) | bytes[i + 2];
    out.push_back(sextet(group, 18));
    out.push_back(sextet(group, 12));
    out.push_back(sextet(group, 6));
    out.push_back(sextet(group, 0));
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = std::uint32_t{bytes[i]} << 16U;
    if (rest == 2) {
      group |= std::uint32_t{bytes[i + 1]} << 8U;
    }
    out.push_back(sextet(group, 18));
    out.push_back(sextet(group, 12));
    out.push_back(rest == 2 ? sextet(group, 6) : kPad);
    out.push_back(kPad);
  }
}

}  // namespace voxd::core::formats
