// Configurable limits. Exceeding one is a limit_exceeded error naming it; nothing is half-applied.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "voxd/core/error.hpp"

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
  // The caller's byte budget for what is read (the daemon: what --max-project-bytes and --max-memory-bytes
  // leave; the C ABI: max_project_bytes). Readers stop once their blocks would pass it.
  std::size_t max_bytes = 4ULL * 1024 * 1024 * 1024;
  const char* max_bytes_name = "max_project_bytes";  // how errors name that budget

  // What one block of a read volume costs, at least: its 16^3 colours, its reference count and summary, and
  // its map slot (volume.cpp checks it against SharedBlock::max_heap_bytes()).
  static constexpr std::size_t kBytesPerBlock = 17 * 1024;

  // limit_exceeded once a read holds more than max_blocks blocks or more blocks than max_bytes pays for.
  [[nodiscard]] Status check_blocks(std::size_t blocks, std::string_view format) const {
    if (blocks > max_blocks) {
      return make_error(ErrorCode::limit_exceeded, std::string(format) + ": more than " + std::to_string(max_blocks) +
                                                       " blocks (ReadLimits::max_blocks)");
    }
    if (blocks > max_bytes / kBytesPerBlock) {
      return make_error(ErrorCode::limit_exceeded,
                        std::string(format) + ": " + std::to_string(blocks) + " blocks take more than " +
                            max_bytes_name + " (" + std::to_string(max_bytes) + " bytes)");
    }
    return Status::success();
  }
};

}  // namespace voxd::core
