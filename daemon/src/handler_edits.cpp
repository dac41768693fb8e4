// RequestHandler, edits and history: every edit (layers included) as one undo step, batches, undo/redo.
#include "handler.hpp"

#include <string>
#include <vector>

#include "convert.hpp"
#include "edits.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Result;
using protocol::RequestBody;
using protocol::ResultBody;

Result<std::int64_t> RequestHandler::mutate(Handle handle,
                                            const std::function<Result<std::int64_t>(core::Project&)>& change) {
  auto guard = services_.workspace.lock(handle);
  VOXD_TRY(guard);
  core::Project& project = **guard;
  const std::int64_t before = project.voxel_count();
  const std::int64_t project_limit = services_.config.limits.max_voxels_per_project;
  std::int64_t result = 0;
  std::int64_t reserved = 0;
  const core::Status status = core::apply_step(
      project,
      [&](core::Project& p) -> core::Status {
        auto changed = change(p);
        if (!changed) {
          return std::move(changed).error();
        }
        result = *changed;
        const std::int64_t after = p.voxel_count();
        if (after > project_limit) {
          return make_error(ErrorCode::limit_exceeded, "the project would hold " + std::to_string(after) +
                                                           " voxels, over max_voxels_per_project (" +
                                                           std::to_string(project_limit) + ")");
        }
        // Reserved last: nothing after this can fail and leave the reservation behind.
        if (after > before) {
          VOXD_TRY(services_.budget.reserve(after - before));
          reserved = after - before;
        }
        return {};
      },
      &services_.memory);
  if (!status) {
    services_.budget.release(reserved);
    return status.error();
  }
  const std::int64_t after = project.voxel_count();
  if (after < before) {
    services_.budget.release(before - after);
  }
  return result;
}

Result<RequestHandler::Reply> RequestHandler::edit(Handle handle, protocol::EditOperation type, const void* table,
                                                   Fb& fb) {
  const DaemonLimits& limits = services_.config.limits;
  auto result = mutate(handle, [&](core::Project& p) { return apply_edit(p, type, table, limits); });
  VOXD_TRY(result);
  if (type == protocol::EditOperation::AddLayer || type == protocol::EditOperation::DuplicateLayer) {
    return Reply{
        ResultBody::LayerCreated, protocol::CreateLayerCreated(fb, static_cast<std::uint32_t>(*result)).Union(), {}};
  }
  return Reply{ResultBody::Changed, protocol::CreateChanged(fb, *result).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::batch(Handle handle, const protocol::Batch& request, Fb& fb) {
  const DaemonLimits& limits = services_.config.limits;
  const auto* operations = request.operations();
  if (operations == nullptr || operations->size() == 0) {
    return make_error(ErrorCode::invalid_argument, "the batch is empty");
  }
  std::int64_t voxels = 0;
  for (const protocol::BatchOperation* op : *operations) {
    voxels += explicit_voxels(op->op_type(), op->op());
  }
  if (voxels > limits.max_voxels_per_request) {
    return make_error(ErrorCode::limit_exceeded, "the batch lists " + std::to_string(voxels) +
                                                     " voxels, over max_voxels_per_request (" +
                                                     std::to_string(limits.max_voxels_per_request) + ")");
  }
  std::vector<std::int64_t> results;
  auto applied = mutate(handle, [&](core::Project& p) -> Result<std::int64_t> {
    results.clear();
    for (flatbuffers::uoffset_t i = 0; i < operations->size(); ++i) {
      const protocol::BatchOperation* op = operations->Get(i);
      Result<std::int64_t> result = make_error(ErrorCode::internal, "not applied");
      try {
        result = apply_edit(p, op->op_type(), op->op(), limits);
      } catch (const core::AllocationRefused& refused) {  // a byte limit: say which operation met it
        result = refused.error();
      }
      if (!result) {
        return make_error(result.code(), "operation " + std::to_string(i) + " (" +
                                             protocol::EnumNameEditOperation(op->op_type()) +
                                             "): " + result.error().message + "; nothing was applied");
      }
      results.push_back(*result);
    }
    return std::int64_t{0};
  });
  VOXD_TRY(applied);
  return Reply{ResultBody::BatchResult, protocol::CreateBatchResult(fb, fb.CreateVector(results)).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::history(Handle handle, bool redo, Fb& fb) {
  auto guard = services_.workspace.lock(handle);
  VOXD_TRY(guard);
  core::Project& project = **guard;
  const std::int64_t before = project.voxel_count();
  const std::size_t bytes_before = project.memory_bytes();
  VOXD_TRY(redo ? project.redo() : project.undo());
  // Undo and redo move blocks between the state and the history: the byte total barely changes.
  const auto settle_bytes = [&] {
    services_.memory.adjust(static_cast<std::int64_t>(project.memory_bytes()) -
                            static_cast<std::int64_t>(bytes_before));
  };
  const std::int64_t after = project.voxel_count();
  if (after > before) {
    if (auto reserved = services_.budget.reserve(after - before); !reserved) {
      // Step back to where we were: the history is as it was before the request.
      (void)(redo ? project.undo() : project.redo());
      settle_bytes();
      return reserved.error();
    }
  } else {
    services_.budget.release(before - after);
  }
  settle_bytes();
  const auto offset = protocol::CreateHistoryResult(fb, static_cast<std::uint32_t>(project.undo_depth()),
                                                    static_cast<std::uint32_t>(project.redo_depth()));
  return Reply{ResultBody::HistoryResult, offset.Union(), {}};
}

}  // namespace voxd::daemon
