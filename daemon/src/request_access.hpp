// The access to its project that each request needs (project_owners.hpp): reading requests need read;
// edits, undo, redo and save need edit (a save writes the project under the root as the file of record);
// closing and sharing stay the owner's. A request type added later needs own until it is listed here.
#pragma once

#include "edits.hpp"
#include "project_owners.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon {

[[nodiscard]] inline ProjectAccess access_needed(protocol::RequestBody type) noexcept {
  using protocol::RequestBody;
  if (edit_of(type).has_value()) {
    return ProjectAccess::edit;
  }
  switch (type) {
    case RequestBody::GetProjectInfo:
    case RequestBody::CopyProject:
    case RequestBody::ExportProject:
    case RequestBody::GetVoxels:
    case RequestBody::ReadBox:
    case RequestBody::ListLayers:
    case RequestBody::GetBoundingBox:
    case RequestBody::CountVoxels:
    case RequestBody::GetHistogram:
    case RequestBody::GetUniqueColors:
    case RequestBody::FindByColor:
    case RequestBody::Render: return ProjectAccess::read;
    case RequestBody::Undo:
    case RequestBody::Redo:
    case RequestBody::Batch:
    case RequestBody::SaveProject: return ProjectAccess::edit;
    default: return ProjectAccess::own;  // CloseProject, ShareProject, and anything not listed
  }
}

}  // namespace voxd::daemon
