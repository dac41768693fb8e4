// Base64 (RFC 4648, with padding): MCP carries images and file bytes as base64 text.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace voxd::mcp {

[[nodiscard]] std::string base64_encode(std::span<const std::uint8_t> bytes);
// nullopt when `text` is not valid padded base64 (whitespace is not allowed).
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace voxd::mcp
