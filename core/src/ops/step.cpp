// One undo step around a change, all or nothing.
#include <exception>
#include <new>
#include <string>

#include "voxd/core/ops.hpp"

namespace voxd::core {

Status apply_step(Project& project, const std::function<Status(Project&)>& change, MemoryBudget* shared) {
  try {
    project.begin_step(shared);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "out of memory before the change began; nothing was changed");
  }
  Status status;
  try {
    status = change(project);
    if (status.ok() && project.voxel_count() > project.limits().max_voxels) {
      status = make_error(ErrorCode::limit_exceeded, "the project would hold " + std::to_string(project.voxel_count()) +
                                                         " voxels, above max_voxels (" +
                                                         std::to_string(project.limits().max_voxels) + ")");
    }
  } catch (const AllocationRefused& refused) {
    status = Error(refused.error());
  } catch (const std::bad_alloc&) {
    status = make_error(ErrorCode::limit_exceeded, "out of memory during the change; nothing was changed");
  } catch (const std::exception& e) {
    status = make_error(ErrorCode::internal, std::string("operation failed: ") + e.what());
  }
  if (!status.ok()) {
    project.abort_step();
    return status;
  }
  project.commit_step();
  return status;
}

}  // namespace voxd::core
