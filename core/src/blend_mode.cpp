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

std::uint8_t mul8(std::uint8_t a, std::uint8_t b) {
  return static_cast<std::uint8_t>((static_cast<unsigned>(a) * b + 127U) / 255U);
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

Color blend(BlendMode mode, Color existing, Color shape) noexcept {
  switch (mode) {
    case BlendMode::over: return shape.empty() ? existing : shape;
    case BlendMode::subtract: return kEmpty;
    case BlendMode::subtract_clamp: {
      // Lower alpha to at most (255 - shape alpha): a half-transparent brush removes half.
      const auto limit = static_cast<std::uint8_t>(255 - shape.a);
      Color out = existing;
      out.a = std::min(existing.a, limit);
      return out.a == 0 ? kEmpty : out;
    }
    case BlendMode::paint: return existing.empty() ? kEmpty : Color{shape.r, shape.g, shape.b, existing.a};
    case BlendMode::max:
      return {std::max(existing.r, shape.r), std::max(existing.g, shape.g), std::max(existing.b, shape.b),
              std::max(existing.a, shape.a)};
    case BlendMode::intersect: return existing;
    case BlendMode::intersect_fill: return existing.empty() ? kEmpty : shape;
    case BlendMode::mult_alpha: {
      const Color out{mul8(existing.r, shape.a), mul8(existing.g, shape.a), mul8(existing.b, shape.a),
                      mul8(existing.a, shape.a)};
      return out.a == 0 ? kEmpty : out;
    }
    case BlendMode::replace: return shape;
  }
  return existing;
}

}  // namespace voxd::core
