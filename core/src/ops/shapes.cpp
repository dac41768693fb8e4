// Box, sphere and cylinder shapes applied to a layer with a blend mode.
//
// The shape is inscribed in its box and tested at voxel centres. Only the box is visited, block by
// block; tiles that the shape covers entirely and that are empty get one shared tile when the result
// does not depend on what was there (an opaque "over", "replace"), so a huge box costs O(blocks).
#include <array>
#include <optional>

#include "block_walk.hpp"
#include "validation.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core {

namespace {

// Which voxel centres are inside the shape.
class ShapeTest {
 public:
  ShapeTest(ShapeKind kind, const Box& box)
      : kind_(kind),
        centre_{(static_cast<double>(box.min.x) + static_cast<double>(box.max.x) + 1.0) / 2.0,
                (static_cast<double>(box.min.y) + static_cast<double>(box.max.y) + 1.0) / 2.0,
                (static_cast<double>(box.min.z) + static_cast<double>(box.max.z) + 1.0) / 2.0},
        radius_{double(box.size_x()) / 2.0, double(box.size_y()) / 2.0, double(box.size_z()) / 2.0} {}

  // p must lie in the shape's box.
  [[nodiscard]] bool contains(Vec3i p) const noexcept {
    if (kind_ == ShapeKind::box) {
      return true;
    }
    const double dx = (static_cast<double>(p.x) + 0.5 - centre_[0]) / radius_[0];
    const double dy = (static_cast<double>(p.y) + 0.5 - centre_[1]) / radius_[1];
    double sum = dx * dx + dy * dy;
    if (kind_ == ShapeKind::sphere) {
      const double dz = (static_cast<double>(p.z) + 0.5 - centre_[2]) / radius_[2];
      sum += dz * dz;
    }
    return sum <= 1.0;
  }

  // Whether every voxel of `part` (inside the shape's box) is in the shape. The shapes are convex, so
  // the eight corner voxels decide.
  [[nodiscard]] bool contains_all(const Box& part) const noexcept {
    if (kind_ == ShapeKind::box) {
      return true;
    }
    for (int corner = 0; corner < 8; ++corner) {
      const Vec3i p{(corner & 1) != 0 ? part.max.x : part.min.x, (corner & 2) != 0 ? part.max.y : part.min.y,
                    (corner & 4) != 0 ? part.max.z : part.min.z};
      if (!contains(p)) {
        return false;
      }
    }
    return true;
  }

 private:
  ShapeKind kind_;
  std::array<double, 3> centre_;
  std::array<double, 3> radius_;
};

Status check_shape_kind(ShapeKind kind) {
  if (kind != ShapeKind::box && kind != ShapeKind::sphere && kind != ShapeKind::cylinder) {
    return make_error(ErrorCode::invalid_argument,
                      "unknown shape kind " + std::to_string(static_cast<std::int32_t>(kind)));
  }
  return Status::success();
}

// The colour every voxel inside the shape gets whatever it held before, if there is one.
std::optional<Color> uniform_result(BlendMode mode, Color color) {
  switch (mode) {
    case BlendMode::replace: return color.empty() ? kEmpty : color;
    case BlendMode::over: return color.a == 255 ? std::optional<Color>(color) : std::nullopt;
    case BlendMode::subtract:
    case BlendMode::subtract_clamp: return color.a == 255 ? std::optional<Color>(kEmpty) : std::nullopt;
    default: return std::nullopt;
  }
}

SharedBlock make_uniform_tile(Color color) {
  return SharedBlock::make_filled(color);
}

// Intersect modes: inside the shape blend, everywhere else in the layer clear.
std::int64_t apply_intersect(Volume& volume, const ShapeTest& shape, const ShapeParams& params) {
  std::int64_t changed = 0;
  VolumeAccessor access(volume);
  for (const BlockCoord c : ops_detail::stored_blocks(volume)) {
    const auto part = ops_detail::intersect_boxes(params.bounds, ops_detail::block_box(c));
    if (!part) {
      changed += volume.find_block(c)->filled();
      volume.erase_block(c);
      continue;
    }
    ops_detail::for_each_position(ops_detail::block_box(c), [&](Vec3i p) {
      const Color before = access.get(p);
      if (before.empty()) {
        return;
      }
      const Color after = part->contains(p) && shape.contains(p) ? blend(params.mode, before, params.color) : kEmpty;
      if (after != before) {
        access.set(p, after);
        ++changed;
      }
    });
  }
  return changed;
}

}  // namespace

Result<std::int64_t> apply_shape(Project& project, std::uint32_t layer_id, const ShapeParams& shape) {
  auto index = ops_detail::edit_layer_index(project, layer_id);
  if (!index.ok()) {
    return index.error();
  }
  VOXD_TRY(check_shape_kind(shape.kind));
  VOXD_TRY(ops_detail::check_box(shape.bounds, "shape bounds"));
  VOXD_TRY(ops_detail::check_blend_mode(shape.mode));
  VOXD_TRY(ops_detail::check_operation_size(project, ops_detail::box_voxels(shape.bounds), "shape box"));

  Volume& volume = project.mutable_state().layers[*index].volume;
  const ShapeTest test(shape.kind, shape.bounds);
  if (shape.mode == BlendMode::intersect || shape.mode == BlendMode::intersect_fill) {
    return apply_intersect(volume, test, shape);
  }

  // Modes that leave empty voxels empty need only the tiles that exist.
  const bool fills_empty = !blend(shape.mode, kEmpty, shape.color).empty();
  const auto blocks =
      fills_empty ? ops_detail::blocks_in_box(shape.bounds) : ops_detail::stored_blocks_in_box(volume, shape.bounds);
  const std::optional<Color> uniform = uniform_result(shape.mode, shape.color);
  std::optional<SharedBlock> uniform_tile;

  std::int64_t changed = 0;
  VolumeAccessor access(volume);
  for (const BlockCoord c : blocks) {
    const Box tile = ops_detail::block_box(c);
    const Box part = *ops_detail::intersect_boxes(shape.bounds, tile);
    if (uniform && !uniform->empty() && part == tile && volume.find_block(c) == nullptr && test.contains_all(part)) {
      if (!uniform_tile) {
        uniform_tile = make_uniform_tile(*uniform);
      }
      volume.put_block(c, *uniform_tile);
      changed += kBlockVoxels;
      continue;
    }
    ops_detail::for_each_position(part, [&](Vec3i p) {
      if (!test.contains(p)) {
        return;
      }
      const Color before = access.get(p);
      if (before.empty() && !fills_empty) {
        return;
      }
      const Color after = blend(shape.mode, before, shape.color);
      if (after != before) {
        access.set(p, after);
        ++changed;
      }
    });
  }
  return changed;
}

}  // namespace voxd::core
