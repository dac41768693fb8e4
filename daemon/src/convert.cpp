#include "convert.hpp"

#include <algorithm>

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;

core::Result<core::Box> to_core_box(const protocol::Box3* box, std::string_view field) {
  if (box == nullptr) {
    return make_error(ErrorCode::invalid_argument, "the field '" + std::string(field) + "' is required");
  }
  const core::Box result = core::Box::spanning(to_core(box->min()), to_core(box->max()));
  if (!core::in_coord_range(result)) {
    return make_error(ErrorCode::invalid_argument,
                      "'" + std::string(field) + "' " + core::to_string(result) + " leaves the coordinate range");
  }
  return result;
}

core::Result<std::optional<core::Box>> to_core_region(const protocol::Box3* box, std::string_view field) {
  if (box == nullptr) {
    return std::optional<core::Box>();
  }
  const core::Box result{to_core(box->min()), to_core(box->max())};
  if (!core::in_coord_range(result)) {
    return make_error(ErrorCode::invalid_argument, "'" + std::string(field) + "' " + core::to_string(result) +
                                                       " leaves the coordinate range or has min above max");
  }
  return std::optional<core::Box>(result);
}

core::Result<core::Vec3i> to_core_position(const protocol::Vec3* position, std::string_view field) {
  if (position == nullptr) {
    return make_error(ErrorCode::invalid_argument, "the field '" + std::string(field) + "' is required");
  }
  const core::Vec3i p = to_core(*position);
  if (!core::in_coord_range(p)) {
    return make_error(ErrorCode::invalid_argument,
                      "'" + std::string(field) + "' " + core::to_string(p) + " leaves the coordinate range");
  }
  return p;
}

core::Result<core::BlendMode> to_core_mode(protocol::BlendMode mode) {
  const auto value = static_cast<std::int32_t>(mode);
  if (auto core_mode = core::blend_mode_from_int(value)) {
    return *core_mode;
  }
  return make_error(ErrorCode::invalid_argument, "unknown blend mode " + std::to_string(value));
}

core::Result<std::string> checked_name(const flatbuffers::String* name, std::string_view fallback) {
  if (name == nullptr || name->size() == 0) {
    return std::string(fallback);
  }
  const std::string_view text = name->string_view();
  if (text.size() > kMaxNameBytes) {
    return make_error(ErrorCode::invalid_argument,
                      "the name is " + std::to_string(text.size()) + " bytes, over " + std::to_string(kMaxNameBytes));
  }
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return make_error(ErrorCode::invalid_argument, "the name holds a control character");
  }
  return std::string(text);
}

}  // namespace voxd::daemon
