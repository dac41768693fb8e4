// One edit of a project, from its wire table: the shared body of the single edit requests and of the
// operations of a Batch. No undo step of its own: the caller wraps it (or the whole batch) in one.
#pragma once

#include <cstdint>
#include <optional>

#include "config.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/project.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon {

// The EditOperation member of a request type, or nullopt when the request is not an edit.
[[nodiscard]] std::optional<protocol::EditOperation> edit_of(protocol::RequestBody type) noexcept;

// The voxels an edit names explicitly (set/remove), to bound a batch by max_voxels_per_request.
[[nodiscard]] std::int64_t explicit_voxels(protocol::EditOperation type, const void* table) noexcept;

// Applies the edit. Returns the voxels changed, or the new layer's id for AddLayer/DuplicateLayer.
[[nodiscard]] core::Result<std::int64_t> apply_edit(core::Project& project, protocol::EditOperation type,
                                                    const void* table, const DaemonLimits& limits);

}  // namespace voxd::daemon
