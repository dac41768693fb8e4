#include "formats/color_quantizer.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>

namespace voxd::core::formats {
namespace {

// Above this many colours the k-means refinement (colours x palette work per round) is skipped.
constexpr std::size_t kMaxRefinedColors = 1U << 16U;

std::uint8_t channel(Color c, std::size_t i) {
  const std::array<std::uint8_t, 3> rgb{c.r, c.g, c.b};
  return rgb[i];
}

// A range of the sorted input and the channel along which it spreads most.
struct ColorBox {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t widest_channel = 0;
  int widest_range = 0;
};

struct Item {
  Color color;
  std::uint64_t weight = 0;
  std::size_t input = 0;
};

ColorBox make_box(const std::vector<Item>& items, std::size_t begin, std::size_t end) {
  ColorBox box{begin, end, 0, 0};
  for (std::size_t ch = 0; ch < 3; ++ch) {
    int lo = 255;
    int hi = 0;
    for (std::size_t i = begin; i < end; ++i) {
      lo = std::min<int>(lo, channel(items[i].color, ch));
      hi = std::max<int>(hi, channel(items[i].color, ch));
    }
    if (hi - lo > box.widest_range) {
      box.widest_range = hi - lo;
      box.widest_channel = ch;
    }
  }
  return box;
}

Color weighted_mean(const std::vector<Item>& items, const ColorBox& box) {
  std::array<std::uint64_t, 3> sum{};
  std::uint64_t total = 0;
  for (std::size_t i = box.begin; i < box.end; ++i) {
    const std::uint64_t w = std::max<std::uint64_t>(items[i].weight, 1);
    for (std::size_t ch = 0; ch < 3; ++ch) {
      sum[ch] += w * channel(items[i].color, ch);
    }
    total += w;
  }
  std::array<std::uint8_t, 3> mean{};
  for (std::size_t ch = 0; ch < 3; ++ch) {
    mean[ch] = static_cast<std::uint8_t>((sum[ch] + total / 2) / total);
  }
  return Color{mean[0], mean[1], mean[2], 255};
}

std::size_t nearest_entry(Color c, const std::vector<Color>& palette) {
  std::size_t best = 0;
  int best_distance = std::numeric_limits<int>::max();
  for (std::size_t i = 0; i < palette.size(); ++i) {
    const int dr = int{c.r} - palette[i].r;
    const int dg = int{c.g} - palette[i].g;
    const int db = int{c.b} - palette[i].b;
    const int distance = dr * dr + dg * dg + db * db;
    if (distance < best_distance) {
      best_distance = distance;
      best = i;
    }
  }
  return best;
}

// A few k-means (Lloyd) rounds starting from the median-cut palette: each colour moves to its
// nearest entry, each entry to the weighted mean of its colours. Median cut alone can leave a colour
// in a box whose mean is farther than another entry.
void refine(const std::vector<WeightedColor>& colors, QuantizedPalette& result) {
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::array<std::uint64_t, 4>> sums(result.palette.size(), {0, 0, 0, 0});
    for (std::size_t i = 0; i < colors.size(); ++i) {
      const std::size_t entry = nearest_entry(colors[i].color, result.palette);
      result.index_of_input[i] = entry;
      const std::uint64_t w = std::max<std::uint64_t>(colors[i].weight, 1);
      sums[entry][0] += w * colors[i].color.r;
      sums[entry][1] += w * colors[i].color.g;
      sums[entry][2] += w * colors[i].color.b;
      sums[entry][3] += w;
    }
    for (std::size_t e = 0; e < sums.size(); ++e) {
      const std::uint64_t total = sums[e][3];
      if (total == 0) {
        continue;  // an entry nobody chose keeps its colour
      }
      const auto mean = [&](std::size_t ch) { return static_cast<std::uint8_t>((sums[e][ch] + total / 2) / total); };
      result.palette[e] = Color{mean(0), mean(1), mean(2), 255};
    }
  }
  for (std::size_t i = 0; i < colors.size(); ++i) {
    result.index_of_input[i] = nearest_entry(colors[i].color, result.palette);
  }
}

// Many colours are first merged into bins of 8^3 shades (at most 32768, each at the weighted mean of
// its colours, so off by at most 7 per channel), which keeps the work bounded; the bins are then
// quantised like any small set.
QuantizedPalette quantize_binned(const std::vector<WeightedColor>& colors, std::size_t max_colors) {
  constexpr unsigned kShift = 3;
  constexpr std::size_t kBins = std::size_t{1} << (3 * (8 - kShift));
  const auto bin_of = [](Color c) {
    return (std::size_t{c.r} >> kShift) << (2 * (8 - kShift)) | (std::size_t{c.g} >> kShift) << (8 - kShift) |
           (std::size_t{c.b} >> kShift);
  };
  std::vector<std::array<std::uint64_t, 4>> sums(kBins, {0, 0, 0, 0});
  for (const WeightedColor& c : colors) {
    const std::uint64_t w = std::max<std::uint64_t>(c.weight, 1);
    auto& sum = sums[bin_of(c.color)];
    sum[0] += w * c.color.r;
    sum[1] += w * c.color.g;
    sum[2] += w * c.color.b;
    sum[3] += w;
  }
  std::vector<WeightedColor> bins;
  std::vector<std::size_t> input_of_bin(kBins, 0);
  for (std::size_t b = 0; b < kBins; ++b) {
    const std::uint64_t total = sums[b][3];
    if (total == 0) {
      continue;
    }
    const auto mean = [&](std::size_t ch) { return static_cast<std::uint8_t>((sums[b][ch] + total / 2) / total); };
    input_of_bin[b] = bins.size();
    bins.push_back(WeightedColor{Color{mean(0), mean(1), mean(2), 255}, total});
  }
  QuantizedPalette of_bins = quantize_median_cut(bins, max_colors);
  QuantizedPalette result;
  result.palette = std::move(of_bins.palette);
  result.index_of_input.reserve(colors.size());
  for (const WeightedColor& c : colors) {
    result.index_of_input.push_back(of_bins.index_of_input[input_of_bin[bin_of(c.color)]]);
  }
  return result;
}

}  // namespace

QuantizedPalette quantize_median_cut(const std::vector<WeightedColor>& colors, std::size_t max_colors) {
  QuantizedPalette result;
  result.index_of_input.assign(colors.size(), 0);
  if (colors.empty() || max_colors == 0) {
    return result;
  }
  if (colors.size() > kMaxRefinedColors) {
    return quantize_binned(colors, max_colors);
  }
  std::vector<Item> items;
  items.reserve(colors.size());
  for (std::size_t i = 0; i < colors.size(); ++i) {
    items.push_back(Item{colors[i].color, colors[i].weight, i});
  }
  std::vector<ColorBox> boxes{make_box(items, 0, items.size())};
  while (boxes.size() < max_colors) {
    // The box that spreads most; the first one on ties, for determinism.
    const auto widest = std::max_element(boxes.begin(), boxes.end(), [](const ColorBox& a, const ColorBox& b) {
      return a.widest_range < b.widest_range;
    });
    if (widest->widest_range == 0) {
      break;  // every box holds one colour
    }
    const ColorBox box = *widest;
    const std::size_t ch = box.widest_channel;
    const auto first = items.begin() + static_cast<std::ptrdiff_t>(box.begin);
    const auto last = items.begin() + static_cast<std::ptrdiff_t>(box.end);
    std::sort(first, last, [ch](const Item& a, const Item& b) {
      const auto ka = channel(a.color, ch);
      const auto kb = channel(b.color, ch);
      return ka != kb ? ka < kb : a.color.packed() < b.color.packed();
    });
    // Split at the weighted median, between two different values of the channel so that equal
    // values stay together; the range is non-zero, so such a place exists.
    const std::uint64_t total =
        std::accumulate(first, last, std::uint64_t{0}, [](std::uint64_t s, const Item& it) { return s + it.weight; });
    std::uint64_t running = 0;
    std::size_t split = box.end;
    std::size_t last_boundary = box.end;
    for (std::size_t i = box.begin; i + 1 < box.end; ++i) {
      running += items[i].weight;
      if (channel(items[i].color, ch) == channel(items[i + 1].color, ch)) {
        continue;
      }
      last_boundary = i + 1;
      if (2 * running >= total) {
        split = i + 1;
        break;
      }
    }
    if (split == box.end) {
      split = last_boundary;  // the last colour outweighs all the others
    }
    *widest = make_box(items, box.begin, split);
    boxes.push_back(make_box(items, split, box.end));
  }
  for (const ColorBox& box : boxes) {
    const std::size_t entry = result.palette.size();
    result.palette.push_back(weighted_mean(items, box));
    for (std::size_t i = box.begin; i < box.end; ++i) {
      result.index_of_input[items[i].input] = entry;
    }
  }
  if (colors.size() > max_colors && colors.size() <= kMaxRefinedColors) {
    refine(colors, result);
  }
  return result;
}

}  // namespace voxd::core::formats
