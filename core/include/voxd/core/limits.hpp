// Configurable limits. Exceeding one is a limit_exceeded error naming it; nothing is half-applied.
#pragma once

#include <cstddef>
#include <cstdint>

namespace voxd::core {

struct ProjectLimits {
  std::int64_t max_voxels = 256LL * 1024 * 1024;  // non-empty voxels over all layers
  std::size_t max_layers = 256;
  std::size_t max_history_steps = 256;                         // undo steps kept
  std::size_t max_history_bytes = 512ULL * 1024 * 1024;        // memory the undo history may keep alive
  std::size_t max_project_bytes = 4ULL * 1024 * 1024 * 1024;   // state plus history, in bytes
  std::int64_t max_voxels_per_operation = 64LL * 1024 * 1024;  // voxels one shape/fill may visit
};

struct WorkspaceLimits {
  std::size_t max_projects = 1024;
  ProjectLimits project;
};

// Limits of file readers: a hostile file may not make a reader allocate or loop beyond these.
struct ReadLimits {
  std::size_t max_file_bytes = 1024ULL * 1024 * 1024;
  std::int64_t max_voxels = 256LL * 1024 * 1024;
  std::size_t max_layers = 256;
  std::size_t max_blocks = 1024ULL * 1024;  // 16^3 tiles
  std::size_t max_scene_depth = 64;         // .vox scene graph nesting
};

}  // namespace voxd::core
