#include "voxd/core/blend_mode.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace voxd::core {

namespace {
constexpr std::array<std::pair<BlendMode, std::string_view>, 9> kNames{{
    {BlendMode::over, "over"},
    {BlendMode::subtract, "subtract"},
    {BlendMode::subtract_clamp, "subtract_clamp"},
    {BlendMode::paint, "paint"},
    {BlendMode::max, "max"},
    {BlendMode::intersect, "intersect"},
    {BlendMode::intersect_fill, "intersect_fill"},
    {BlendMode::mult_alpha, "mult_alpha"},
    {BlendMode::replace, "replace"},
}};

// Goxel works on 0..255 integers and truncates; so do we, so that results match its files bit for bit.
std::uint8_t channel(unsigned value) {
  return static_cast<std::uint8_t>(std::min(value, 255U));
}

// A result with alpha 0 is the empty voxel, whatever its colour channels held.
Color normalized(Color c) {
  return c.empty() ? kEmpty : c;
}

// Goxel's MODE_OVER: "source over" compositing of non-premultiplied colours.
Color over(Color a, Color b) {
  const unsigned aa = a.a;
  const unsigned ba = b.a;
  const unsigned weight = 255U * ba + aa * (255U - ba);
  if (weight == 0) {
    return kEmpty;
  }
  const auto mix = [&](std::uint8_t ac, std::uint8_t bc) {
    return channel((255U * bc * ba + unsigned{ac} * aa * (255U - ba)) / weight);
  };
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b), channel(ba + aa * (255U - ba) / 255U)};
}

// Goxel's MODE_PAINT: the colour channels move towards the shape's by its alpha; alpha is kept.
Color paint(Color a, Color b) {
  const unsigned t = b.a;
  const auto mix = [t](std::uint8_t ac, std::uint8_t bc) {
    return channel((unsigned{ac} * (255U - t) + unsigned{bc} * t + 127U) / 255U);
  };
  return normalized({mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b), a.a});
}

std::uint8_t scale(std::uint8_t v, std::uint8_t by) {
  return channel(unsigned{v} * by / 255U);
}
}  // namespace

std::string_view blend_mode_name(BlendMode mode) noexcept {
  for (const auto& [m, name] : kNames) {
    if (m == mode) {
      return name;
    }
  }
  return "unknown";
}

std::optional<BlendMode> parse_blend_mode(std::string_view name) noexcept {
  if (name == "add") {
    return BlendMode::over;
  }
  if (name == "sub") {
    return BlendMode::subtract;
  }
  for (const auto& [m, n] : kNames) {
    if (n == name) {
      return m;
    }
  }
  return std::nullopt;
}

std::optional<BlendMode> blend_mode_from_int(std::int32_t value) noexcept {
  if (value < static_cast<std::int32_t>(BlendMode::over) || value > static_cast<std::int32_t>(BlendMode::replace)) {
    return std::nullopt;
  }
  return static_cast<BlendMode>(value);
}

// The formulas are those of Goxel's combine() (volume_utils.c), so layers and shapes compose as in Goxel.
Color blend(BlendMode mode, Color existing, Color shape) noexcept {
  switch (mode) {
    case BlendMode::over: return over(existing, shape);
    case BlendMode::subtract: {
      Color out = existing;
      out.a = static_cast<std::uint8_t>(existing.a > shape.a ? existing.a - shape.a : 0);
      return normalized(out);
    }
    case BlendMode::subtract_clamp: {
      // Lower alpha to at most (255 - shape alpha): a half-transparent brush removes half.
      Color out = existing;
      out.a = std::min(existing.a, static_cast<std::uint8_t>(255 - shape.a));
      return normalized(out);
    }
    case BlendMode::paint: return paint(existing, shape);
    case BlendMode::max:
      // Goxel takes the shape's colour and the larger alpha. An empty source changes nothing (Goxel
      // would blacken the voxel: its tile merge skips such tiles, so that case is unintended).
      if (shape.empty()) {
        return normalized(existing);
      }
      return {shape.r, shape.g, shape.b, std::max(existing.a, shape.a)};
    case BlendMode::intersect: {
      Color out = existing;
      out.a = std::min(existing.a, shape.a);
      return normalized(out);
    }
    case BlendMode::intersect_fill: {
      const std::uint8_t alpha = std::min(existing.a, shape.a);
      return normalized({shape.r, shape.g, shape.b, alpha});
    }
    case BlendMode::mult_alpha:
      return normalized({scale(existing.r, shape.a), scale(existing.g, shape.a), scale(existing.b, shape.a),
                         scale(existing.a, shape.a)});
    case BlendMode::replace: return normalized(shape);
  }
  return existing;
}

}  // namespace voxd::core
