// Which requests the broker answers on its own thread instead of handing them to a worker.
//
// A hand-over costs two thread wake-ups (broker to worker and back), which for a one-voxel edit is most of
// the round trip. Requests that take microseconds whatever the project's size — ping, hello, and voxel
// sets, removes and reads of at most `max_voxels` positions — are served by the broker when nothing else
// of the same project (or client, for requests naming no project) is queued or running, so per-project
// order holds. Everything else, and anything bigger, still goes to the workers, so a large edit or a slow
// export never holds up the broker. max_voxels = 0 turns the quick path off.
#pragma once

#include <cstddef>

#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon {

[[nodiscard]] inline bool is_quick_request(const protocol::Request& request, std::size_t max_voxels) {
  if (max_voxels == 0) {
    return false;
  }
  const auto small = [max_voxels](const auto* vector) { return vector == nullptr || vector->size() <= max_voxels; };
  switch (request.body_type()) {
    case protocol::RequestBody::Ping: {  // a large echo is a copy the broker should not make for everyone
      const auto* payload = request.body_as_Ping()->payload();
      return payload == nullptr || payload->size() <= 4096;
    }
    case protocol::RequestBody::Hello: return true;
    case protocol::RequestBody::SetVoxels: return small(request.body_as_SetVoxels()->voxels());
    case protocol::RequestBody::RemoveVoxels: return small(request.body_as_RemoveVoxels()->positions());
    case protocol::RequestBody::GetVoxels: return small(request.body_as_GetVoxels()->positions());
    default: return false;
  }
}

}  // namespace voxd::daemon
