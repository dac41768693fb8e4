// Operations on a project: voxels, shapes with blend modes, flood fill, regions, layers, queries.
//
// Conventions for every function here:
// - They validate all arguments (coordinates in [kMinCoord, kMaxCoord], counts within the project's
//   limits, layer ids) and return invalid_argument / not_found / limit_exceeded without changing anything.
// - They do not create undo steps: the caller wraps one request (or one batch) in
//   Project::begin_step() ... commit_step() (abort_step() on failure); see apply_step().
// - Layer id 0 means "the active layer" for edits, and "all visible layers, merged" for queries.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "voxd/core/blend_mode.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core {

inline constexpr std::uint32_t kActiveLayer = 0;
inline constexpr std::uint32_t kVisibleLayers = 0;

struct VoxelWrite {
  Vec3i position;
  Color color;
};

// Runs `change` as one undo step: begin, change, then the per-project voxel limit; on any error (a byte limit
// refusing a block included) the project, its undo list and its redo list are exactly what they were.
// Blocks the change allocates are reserved against max_project_bytes and, when given, `shared`.
[[nodiscard]] Status apply_step(Project& project, const std::function<Status(Project&)>& change,
                                MemoryBudget* shared = nullptr);

// ---- voxels ----
[[nodiscard]] Status set_voxels(Project& project, std::uint32_t layer_id, std::span<const VoxelWrite> voxels);
[[nodiscard]] Status remove_voxels(Project& project, std::uint32_t layer_id, std::span<const Vec3i> positions);
// Colours at the positions (kEmpty where nothing is); layer 0 reads the merged visible layers.
[[nodiscard]] Result<std::vector<Color>> get_voxels(const Project& project, std::uint32_t layer_id,
                                                    std::span<const Vec3i> positions);
// Every non-empty voxel inside `box`, in block order; at most `max_voxels` (limit_exceeded beyond).
[[nodiscard]] Result<std::vector<VoxelWrite>> read_box(const Project& project, std::uint32_t layer_id, const Box& box,
                                                       std::int64_t max_voxels);
[[nodiscard]] Status clear_layer(Project& project, std::uint32_t layer_id);

// ---- shapes ----
enum class ShapeKind : std::int32_t { box = 0, sphere = 1, cylinder = 2 };

struct ShapeParams {
  ShapeKind kind = ShapeKind::box;
  Box bounds;  // the shape is inscribed in this box (sphere = ellipsoid, cylinder along z)
  Color color{255, 255, 255, 255};
  BlendMode mode = BlendMode::over;
};
// Returns the number of voxels whose value changed.
[[nodiscard]] Result<std::int64_t> apply_shape(Project& project, std::uint32_t layer_id, const ShapeParams& shape);

struct LineParams {
  Vec3i from;
  Vec3i to;
  Color color{255, 255, 255, 255};
  BlendMode mode = BlendMode::over;
};
[[nodiscard]] Result<std::int64_t> draw_line(Project& project, std::uint32_t layer_id, const LineParams& line);

struct FloodFillParams {
  Vec3i seed;
  Color color{255, 255, 255, 255};
  // Neighbours join the region while each RGBA channel differs from the seed's by at most this.
  std::uint8_t tolerance = 0;
  std::optional<Box> bounds;  // never leaves this box (default: the layer's bounding box grown by 1)
  std::int64_t max_voxels = 16LL * 1024 * 1024;
};
// 6-connected fill from the seed over voxels like the seed's (empty seeds fill empty space inside the
// bounds). Returns the number of voxels filled.
[[nodiscard]] Result<std::int64_t> flood_fill(Project& project, std::uint32_t layer_id, const FloodFillParams& fill);

// Moves (or copies) the voxels inside `source` by `offset`. Overlapping source and target work.
[[nodiscard]] Result<std::int64_t> move_region(Project& project, std::uint32_t layer_id, const Box& source,
                                               Vec3i offset, bool keep_source);

// ---- layers ----
[[nodiscard]] Result<std::uint32_t> add_layer(Project& project, std::string name);  // becomes active
[[nodiscard]] Status remove_layer(Project& project, std::uint32_t layer_id);        // the last layer cannot go
[[nodiscard]] Status rename_layer(Project& project, std::uint32_t layer_id, std::string name);
[[nodiscard]] Status move_layer(Project& project, std::uint32_t layer_id, std::size_t new_index);
[[nodiscard]] Result<std::uint32_t> duplicate_layer(Project& project, std::uint32_t layer_id);
[[nodiscard]] Status set_layer_visible(Project& project, std::uint32_t layer_id, bool visible);
[[nodiscard]] Status select_layer(Project& project, std::uint32_t layer_id);
// Merges `upper` into `lower` (upper's voxels over lower's, by upper's blend mode); upper is removed.
[[nodiscard]] Status merge_layers(Project& project, std::uint32_t upper_id, std::uint32_t lower_id);
// All visible layers composed bottom to top: the model as Goxel shows and exports it.
[[nodiscard]] Volume merged_visible(const Project& project);
[[nodiscard]] Volume merged_visible(const ProjectState& state);
// The colour merged_visible() has at p, composed from the layers at that one position.
[[nodiscard]] Color visible_color(const Project& project, Vec3i p) noexcept;

// ---- queries (layer 0 = merged visible layers) ----
// The colour queries take an optional `region`: only voxels inside it count (both corners inclusive, min <= max
// on every axis, else invalid_argument), and blocks outside it are not read.
[[nodiscard]] Result<std::optional<Box>> bounding_box(const Project& project, std::uint32_t layer_id);
[[nodiscard]] Result<std::int64_t> count_voxels(const Project& project, std::uint32_t layer_id);
struct ColorCount {
  Color color;
  std::int64_t count = 0;
};
// Most frequent first.
[[nodiscard]] Result<std::vector<ColorCount>> color_histogram(const Project& project, std::uint32_t layer_id,
                                                              const std::optional<Box>& region = std::nullopt);
[[nodiscard]] Result<std::vector<Color>> unique_colors(const Project& project, std::uint32_t layer_id,
                                                       const std::optional<Box>& region = std::nullopt);
// Positions of voxels whose colour is within `tolerance` per channel of `color`; at most max_results.
[[nodiscard]] Result<std::vector<Vec3i>> find_by_color(const Project& project, std::uint32_t layer_id, Color color,
                                                       std::uint8_t tolerance, std::int64_t max_results,
                                                       const std::optional<Box>& region = std::nullopt);

}  // namespace voxd::core
