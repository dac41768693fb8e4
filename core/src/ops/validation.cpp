#include "validation.hpp"

#include <limits>
#include <string>
#include <utility>

namespace voxd::core::ops_detail {

namespace {
// Built with append(): GCC 12 at -O3 warns falsely (-Wrestrict) on `"[" + std::to_string(...)`.
std::string range_text() {
  std::string text("[");
  text.append(std::to_string(kMinCoord)).append(", ").append(std::to_string(kMaxCoord)).append("]");
  return text;
}

Status check_axis(std::int64_t value, char axis, std::string_view what) {
  if (in_coord_range(value)) {
    return Status::success();
  }
  std::string message(what);
  message.append(": ").append(1, axis).append(" = ").append(std::to_string(value)).append(" is outside ");
  message.append(range_text());
  return make_error(ErrorCode::invalid_argument, std::move(message));
}
}  // namespace

Result<std::size_t> edit_layer_index(const Project& project, std::uint32_t layer_id) {
  if (layer_id != 0) {
    return project.layer_index(layer_id);
  }
  const auto& layers = project.layers();
  if (layers.empty()) {
    return make_error(ErrorCode::internal, "project has no layer");
  }
  const std::uint32_t active = project.state().active_layer_id;
  if (active != 0) {
    auto index = project.layer_index(active);
    if (index.ok()) {
      return index;
    }
  }
  return layers.size() - 1;
}

Status check_point(Vec3i p, std::string_view what) {
  VOXD_TRY(check_axis(p.x, 'x', what));
  VOXD_TRY(check_axis(p.y, 'y', what));
  return check_axis(p.z, 'z', what);
}

Status check_point_at(Vec3i p, std::string_view what, std::size_t index) {
  if (in_coord_range(p)) {
    return Status::success();
  }
  std::string name(what);
  name.append(" ").append(std::to_string(index));
  return check_point(p, name);
}

Status check_box(const Box& box, std::string_view what) {
  VOXD_TRY(check_point(box.min, std::string(what) + " min"));
  VOXD_TRY(check_point(box.max, std::string(what) + " max"));
  if (box.min.x > box.max.x || box.min.y > box.max.y || box.min.z > box.max.z) {
    return make_error(ErrorCode::invalid_argument,
                      std::string(what) + " " + to_string(box) + ": min is above max on some axis");
  }
  return Status::success();
}

Status check_blend_mode(BlendMode mode) {
  if (!blend_mode_from_int(static_cast<std::int32_t>(mode))) {
    return make_error(ErrorCode::invalid_argument,
                      "unknown blend mode " + std::to_string(static_cast<std::int32_t>(mode)));
  }
  return Status::success();
}

std::int64_t box_voxels(const Box& box) noexcept {
  const std::int64_t xy = box.size_x() * box.size_y();  // each size <= 2^31, so this fits
  const std::int64_t z = box.size_z();
  return xy > std::numeric_limits<std::int64_t>::max() / z ? std::numeric_limits<std::int64_t>::max() : xy * z;
}

Status check_operation_size(const Project& project, std::int64_t voxels, std::string_view what) {
  const std::int64_t limit = project.limits().max_voxels_per_operation;
  if (voxels > limit) {
    return make_error(ErrorCode::limit_exceeded, std::string(what) + " has " + std::to_string(voxels) +
                                                     " voxels, above max_voxels_per_operation (" +
                                                     std::to_string(limit) + ")");
  }
  return Status::success();
}

}  // namespace voxd::core::ops_detail
