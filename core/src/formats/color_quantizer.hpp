// Reduces a set of colours to a palette of at most N colours by median cut: the box of colours with
// the widest channel range is split at the weighted median of that channel until there are N boxes;
// each box is represented by the weighted mean of its colours; then, for up to 65536 colours, a few
// k-means rounds move colours to their nearest entry. More colours are first merged into 8^3-shade bins
// (32768 at most) so that the work stays bounded. Deterministic for a given input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "voxd/core/color.hpp"

namespace voxd::core::formats {

struct WeightedColor {
  Color color;               // alpha is ignored
  std::uint64_t weight = 1;  // e.g. how many voxels use it
};

struct QuantizedPalette {
  std::vector<Color> palette;               // at most max_colors entries, alpha 255
  std::vector<std::size_t> index_of_input;  // for each input colour, its palette entry
};

// Colours given once each; with no more than max_colors of them, each gets its own entry.
[[nodiscard]] QuantizedPalette quantize_median_cut(const std::vector<WeightedColor>& colors, std::size_t max_colors);

}  // namespace voxd::core::formats
