// A project: ordered layers of voxels, materials, the working box, cameras and light (kept for .gox
// round trips), and the undo history. A Project is a plain single-threaded value; Workspace serialises
// access to it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "voxd/core/blend_mode.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/limits.hpp"
#include "voxd/core/memory_budget.hpp"
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

// A MagicaVoxel material (a .vox MATL chunk). MagicaVoxel gives materials to palette colours, not to layers, so
// it is kept by colour: a .vox round trip keeps glass, metal and emissive voxels. Only .vox reads and writes it.
struct ColorMaterial {
  std::uint32_t rgb = 0;  // 0xRRGGBB of the colour it belongs to
  std::vector<std::pair<std::string, std::string>> properties;  // the MATL dictionary as read: {"_type", "_emit"}, ...
  friend bool operator==(const ColorMaterial&, const ColorMaterial&) = default;
};

// A MagicaVoxel layer (a .vox LAYR chunk): a row of MagicaVoxel's layer panel, which groups objects under a
// name, a colour and a visibility. voxd's layers are MagicaVoxel's objects (docs/formats-vox.md), so the panel is
// kept beside them, and each voxd layer names the row it belongs to. Only .vox reads and writes it.
struct VoxLayer {
  std::int32_t id = 0;
  std::vector<std::pair<std::string, std::string>> properties;  // the LAYR dictionary as read: {"_color", "0 0 0"}, ...
  friend bool operator==(const VoxLayer&, const VoxLayer&) = default;
};

struct Layer {
  std::uint32_t id = 0;  // unique within the project, never reused
  std::string name;
  bool visible = true;
  BlendMode mode = BlendMode::over;
  std::int32_t material = -1;   // index into Project::materials, -1 = none
  std::int32_t vox_layer = -1;  // the VoxLayer id (ProjectState::vox_layers) it belongs to, -1 = none
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
  std::vector<ColorMaterial> color_materials;  // sorted by rgb, one per colour (.vox MATL; docs/formats-vox.md)
  std::vector<VoxLayer> vox_layers;            // sorted by id, unique ids (.vox LAYR; docs/formats-vox.md)
  friend bool operator==(const ProjectState&, const ProjectState&) = default;
};

class Project {
 public:
  // A project with one empty layer named "background".
  explicit Project(std::string name, ProjectLimits limits = {});
  // A project from a loaded state (e.g. a file); an empty layer list gets one empty layer.
  Project(std::string name, ProjectState state, ProjectLimits limits = {});
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;
  Project(Project&&) noexcept;
  Project& operator=(Project&&) noexcept;
  ~Project();

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  [[nodiscard]] const ProjectLimits& limits() const noexcept { return limits_; }

  [[nodiscard]] const ProjectState& state() const noexcept { return state_; }
  // Mutable state for operations, between begin_step() and commit_step(). Layers are removed with
  // erase_layer(), never by erasing from the vector, so the step can put them back.
  [[nodiscard]] ProjectState& mutable_state();
  [[nodiscard]] const std::vector<Layer>& layers() const noexcept { return state_.layers; }
  void erase_layer(std::size_t index);

  // Index of the layer with this id, or not_found.
  [[nodiscard]] Result<std::size_t> layer_index(std::uint32_t layer_id) const;
  // The layer edits naming layer 0 ("the active layer") reach: the state's active layer, or the top one when
  // none is set (a new project stores 0) or the one set is gone. 0 only when there is no layer.
  [[nodiscard]] std::uint32_t effective_active_layer_id() const noexcept;
  // Non-empty voxels over all layers.
  [[nodiscard]] std::int64_t voxel_count() const noexcept;
  // Bytes of the state and of the history together; O(layers). max_project_bytes bounds it.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

  // History. Each mutating request is one undo step:
  //   project.begin_step(); ...change mutable_state()...; project.commit_step();   (abort_step() on failure)
  // A step records only what it touches: the layer list and settings as they were (O(layers)) and, per layer,
  // the prior block of each block it changed (pointers, copy-on-write). So an edit, its undo and its redo cost
  // O(what the edit touches), never O(blocks in the project). Until commit_step() the history is untouched:
  // abort_step() leaves voxels, undo list and redo list exactly as they were.
  // While a step is open, every block allocated is reserved first against max_project_bytes and `shared`
  // (when not null; e.g. the daemon's max_memory_bytes); a refusal throws AllocationRefused.
  void begin_step(MemoryBudget* shared = nullptr);
  void commit_step();
  void abort_step();
  [[nodiscard]] bool in_step() const noexcept { return pending_ != nullptr; }
  [[nodiscard]] Status undo();
  [[nodiscard]] Status redo();
  [[nodiscard]] std::size_t undo_depth() const noexcept { return undo_.size(); }
  [[nodiscard]] std::size_t redo_depth() const noexcept { return redo_.size(); }
  // Bytes the undo and redo steps keep alive: every block they hold, counted in full even if it is still
  // shared with the current state (an upper bound), plus their bookkeeping.
  [[nodiscard]] std::size_t history_bytes() const noexcept { return history_bytes_; }

  // A deep-enough copy for export while editing continues: same state, no history. O(blocks) pointer copies.
  [[nodiscard]] ProjectState snapshot() const { return state_; }

 private:
  struct Step {
    ProjectState before;                                      // layer settings and the rest; volumes left empty
    absl::flat_hash_map<std::uint32_t, BlockChanges> blocks;  // per layer that lived through the step
    std::vector<Layer> removed;                               // layers the step removed, whole
    std::size_t bytes = 0;
  };
  struct PendingStep;

  // Applies `step` to the state and returns the step that reverts it.
  [[nodiscard]] Step apply(Step step);
  [[nodiscard]] Step finish_recording();
  // Sets step.bytes and counts them in history_bytes_. O(what the step holds).
  void measure(Step& step) noexcept;
  void drop_redo() noexcept;
  void trim_history() noexcept;
  void settle_shared_budget() noexcept;

  std::string name_;
  ProjectLimits limits_;
  ProjectState state_;
  std::deque<Step> undo_;   // oldest first; a deque, as trimming drops from the front
  std::vector<Step> redo_;  // most recently undone last
  std::size_t history_bytes_ = 0;
  std::unique_ptr<PendingStep> pending_;
};

}  // namespace voxd::core
