// One undo step around a change, all or nothing.
#include <exception>
#include <string>

#include "voxd/core/ops.hpp"

namespace voxd::core {

Status apply_step(Project& project, const std::function<Status(Project&)>& change) {
  bool checkpointed = false;
  try {
    project.checkpoint();
    checkpointed = true;
    Status status = change(project);
    if (status.ok() && project.voxel_count() > project.limits().max_voxels) {
      status = make_error(ErrorCode::limit_exceeded, "the project would hold " + std::to_string(project.voxel_count()) +
                                                         " voxels, above max_voxels (" +
                                                         std::to_string(project.limits().max_voxels) + ")");
    }
    if (!status.ok()) {
      project.rollback();
    }
    return status;
  } catch (const std::exception& e) {
    // Out of memory mid-change, typically: the snapshot taken above restores the project.
    if (checkpointed) {
      project.rollback();
    }
    return make_error(ErrorCode::internal, std::string("operation failed: ") + e.what());
  }
}

}  // namespace voxd::core
