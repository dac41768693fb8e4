// MagicaVoxel's default palette: the colours of a .vox file that has no RGBA chunk.
// Entry c is the colour of voxel colour index c (entry 0 is unused: index 0 means empty).
// The palette is regular, so it is generated rather than listed:
//   1..215   the 6x6x6 cube of channel values ff, cc, 99, 66, 33, 00 (red slowest, blue fastest),
//            without black;
//   216..255 four ramps of 10 shades ee, dd, bb, aa, 88, 77, 55, 44, 22, 11: red, green, blue, grey.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "voxd/core/color.hpp"

namespace voxd::core::formats {

inline constexpr std::size_t kVoxPaletteSize = 256;

namespace detail {
[[nodiscard]] constexpr std::array<Color, kVoxPaletteSize> make_vox_default_palette() {
  std::array<Color, kVoxPaletteSize> palette{};
  constexpr int cube_side = 6;
  constexpr int cube_step = 0x33;
  std::size_t entry = 1;
  for (int i = 0; i < cube_side * cube_side * cube_side - 1; ++i) {
    const auto level = [](int digit) { return static_cast<std::uint8_t>(0xff - cube_step * digit); };
    palette[entry++] =
        Color{level(i / (cube_side * cube_side)), level((i / cube_side) % cube_side), level(i % cube_side), 0xff};
  }
  // The shades are multiples of 0x11 that the cube does not already hold.
  constexpr std::array<int, 10> ramp{14, 13, 11, 10, 8, 7, 5, 4, 2, 1};
  for (int channel = 0; channel < 4; ++channel) {
    for (const int step : ramp) {
      const auto v = static_cast<std::uint8_t>(0x11 * step);
      const bool grey = channel == 3;
      palette[entry++] =
          Color{(channel == 0 || grey) ? v : std::uint8_t{0}, (channel == 1 || grey) ? v : std::uint8_t{0},
                (channel == 2 || grey) ? v : std::uint8_t{0}, 0xff};
    }
  }
  return palette;
}
}  // namespace detail

inline constexpr std::array<Color, kVoxPaletteSize> kVoxDefaultPalette = detail::make_vox_default_palette();

static_assert(kVoxDefaultPalette[1] == Color{0xff, 0xff, 0xff, 0xff});
static_assert(kVoxDefaultPalette[215] == Color{0x00, 0x00, 0x33, 0xff});
static_assert(kVoxDefaultPalette[255] == Color{0x11, 0x11, 0x11, 0xff});

}  // namespace voxd::core::formats
