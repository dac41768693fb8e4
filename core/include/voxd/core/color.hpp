// A voxel's colour: RGBA8, sRGB. Alpha 0 means empty; alpha >= kSolidAlpha counts as solid for
// meshing, rendering and export (Goxel's rule).
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace voxd::core {

inline constexpr std::uint8_t kSolidAlpha = 127;

struct Color {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  std::uint8_t a = 0;
  friend constexpr bool operator==(const Color&, const Color&) = default;

  [[nodiscard]] constexpr bool empty() const noexcept { return a == 0; }
  [[nodiscard]] constexpr bool solid() const noexcept { return a >= kSolidAlpha; }
  // 0xRRGGBBAA, handy as a map key and for printing.
  [[nodiscard]] constexpr std::uint32_t packed() const noexcept {
    if constexpr (std::endian::native == std::endian::little) {
      // One load and a byte swap: g++ 12 builds the shifts below from four byte loads once inlined.
      return __builtin_bswap32(std::bit_cast<std::uint32_t>(*this));
    } else {
      return (std::uint32_t{r} << 24U) | (std::uint32_t{g} << 16U) | (std::uint32_t{b} << 8U) | a;
    }
  }
  [[nodiscard]] static constexpr Color from_packed(std::uint32_t rgba) noexcept {
    return {static_cast<std::uint8_t>(rgba >> 24U), static_cast<std::uint8_t>(rgba >> 16U),
            static_cast<std::uint8_t>(rgba >> 8U), static_cast<std::uint8_t>(rgba)};
  }
};
static_assert(sizeof(Color) == 4);

inline constexpr Color kEmpty{};

// "rrggbbaa" (8 lowercase hex digits).
[[nodiscard]] std::string to_hex(Color c);
// Accepts "rrggbbaa", "rrggbb" (alpha 255), with an optional leading '#'; nullopt otherwise.
[[nodiscard]] std::optional<Color> parse_hex_color(std::string_view text);

}  // namespace voxd::core
