// A project: ordered layers of voxels, materials, the working box, cameras and light (kept for .gox
// round trips), and the undo history. A Project is a plain single-threaded value; Workspace serialises
// access to it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "voxd/core/blend_mode.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/limits.hpp"
#include "voxd/core/volume.hpp"

namespace voxd::core {

using Matrix4 = std::array<float, 16>;  // column-major, as in .gox files
inline constexpr Matrix4 kIdentity{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

struct Material {
  std::string name;
  std::array<float, 4> color{1, 1, 1, 1};
  float metallic = 0.0F;
  float roughness = 1.0F;
  std::array<float, 3> emission{0, 0, 0};
  friend bool operator==(const Material&, const Material&) = default;
};

struct Layer {
  std::uint32_t id = 0;  // unique within the project, never reused
  std::string name;
  bool visible = true;
  BlendMode mode = BlendMode::over;
  std::int32_t material = -1;  // index into Project::materials, -1 = none
  Matrix4 transform = kIdentity;
  Volume volume;
  friend bool operator==(const Layer&, const Layer&) = default;
};

struct Camera {
  std::string name;
  float distance = 0.0F;
  bool orthographic = false;
  bool active = false;
  Matrix4 transform = kIdentity;
  friend bool operator==(const Camera&, const Camera&) = default;
};

struct Light {
  float pitch = 0.0F;
  float yaw = 0.0F;
  float intensity = 1.0F;
  bool fixed = false;
  float ambient = 0.0F;
  float shadow = 0.0F;
  friend bool operator==(const Light&, const Light&) = default;
};

// Everything undo restores. Copying it is a snapshot (volumes share blocks copy-on-write).
struct ProjectState {
  std::vector<Layer> layers;  // bottom to top; never empty in a valid project
  std::vector<Material> materials;
  std::optional<Box> working_box;
  std::vector<Camera> cameras;
  std::optional<Light> light;
  std::uint32_t active_layer_id = 0;  // the layer edits go to by default (0: the top layer)
  std::uint32_t next_layer_id = 1;
  friend bool operator==(const ProjectState&, const ProjectState&) = default;
};

class Project {
 public:
  // A project with one empty layer named "background".
  explicit Project(std::string name, ProjectLimits limits = {});
  // A project from a loaded state (e.g. a file); an empty layer list gets one empty layer.
  Project(std::string name, ProjectState state, ProjectLimits limits = {});

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  [[nodiscard]] const ProjectLimits& limits() const noexcept { return limits_; }

  [[nodiscard]] const ProjectState& state() const noexcept { return state_; }
  // Mutable state for operations. Call checkpoint() before the first change of an undo step.
  [[nodiscard]] ProjectState& mutable_state() noexcept { return state_; }
  [[nodiscard]] const std::vector<Layer>& layers() const noexcept { return state_.layers; }

  // Index of the layer with this id, or not_found.
  [[nodiscard]] Result<std::size_t> layer_index(std::uint32_t layer_id) const;
  // The layer edits naming layer 0 ("the active layer") reach: the state's active layer, or the top one when
  // none is set (a new project stores 0) or the one set is gone. 0 only when there is no layer.
  [[nodiscard]] std::uint32_t effective_active_layer_id() const noexcept;
  // Non-empty voxels over all layers.
  [[nodiscard]] std::int64_t voxel_count() const noexcept;
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

  // History. Each mutating request is one undo step:
  //   project.checkpoint(); ...change mutable_state()...;   (or rollback() if it failed midway)
  // checkpoint() snapshots the state (O(blocks) pointer copies) and clears the redo list.
  void checkpoint();
  // Restores the state saved by the last checkpoint() and drops that step (for a failed change).
  void rollback();
  [[nodiscard]] Status undo();
  [[nodiscard]] Status redo();
  [[nodiscard]] std::size_t undo_depth() const noexcept { return undo_.size(); }
  [[nodiscard]] std::size_t redo_depth() const noexcept { return redo_.size(); }
  // Approximate bytes the history keeps alive beyond the current state (blocks copied since).
  [[nodiscard]] std::size_t history_bytes() const noexcept;

  // A deep-enough copy for export while editing continues: same state, no history.
  [[nodiscard]] ProjectState snapshot() const { return state_; }

 private:
  struct Step {
    ProjectState state;
    std::size_t bytes = 0;  // what keeping this step costs, measured when the next step begins
  };
  void trim_history();
  [[nodiscard]] std::size_t copied_bytes() const noexcept;

  std::string name_;
  ProjectLimits limits_;
  ProjectState state_;
  std::deque<Step> undo_;   // oldest first; a deque, as trimming drops from the front at every step
  std::vector<Step> redo_;  // most recently undone last
  std::size_t copied_at_checkpoint_ = 0;
};

}  // namespace voxd::core
