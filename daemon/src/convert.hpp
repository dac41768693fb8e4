// Conversions between wire types and core types, with the checks the wire needs (missing fields,
// coordinate ranges, names).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <flatbuffers/flatbuffers.h>

#include "voxd/core/blend_mode.hpp"
#include "voxd/core/color.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon {

inline constexpr std::size_t kMaxNameBytes = 256;

[[nodiscard]] inline core::Vec3i to_core(const protocol::Vec3& v) noexcept {
  return {v.x(), v.y(), v.z()};
}
[[nodiscard]] inline protocol::Vec3 to_wire(core::Vec3i v) noexcept {
  return {v.x, v.y, v.z};
}
[[nodiscard]] inline protocol::Box3 to_wire(const core::Box& b) noexcept {
  return {to_wire(b.min), to_wire(b.max)};
}
[[nodiscard]] inline core::Color to_core_color(std::uint32_t rgba) noexcept {
  return core::Color::from_packed(rgba);
}

// A box from the wire: required, corners in any order, inside the coordinate range.
[[nodiscard]] core::Result<core::Box> to_core_box(const protocol::Box3* box, std::string_view field);
// An optional region from the wire: absent = nullopt; else its corners as given, which must be in order
// (min <= max on every axis) and inside the coordinate range.
[[nodiscard]] core::Result<std::optional<core::Box>> to_core_region(const protocol::Box3* box, std::string_view field);
// A position from the wire: required and inside the coordinate range.
[[nodiscard]] core::Result<core::Vec3i> to_core_position(const protocol::Vec3* position, std::string_view field);
[[nodiscard]] core::Result<core::BlendMode> to_core_mode(protocol::BlendMode mode);
// A name: `fallback` when absent, at most kMaxNameBytes, no control characters.
[[nodiscard]] core::Result<std::string> checked_name(const flatbuffers::String* name, std::string_view fallback);

}  // namespace voxd::daemon
