// What every Goxel method handler gets: the caller's session, the link to the daemon's request path, and the
// front's settings.
#pragma once

#include <cstdint>

#include "render_registry.hpp"
#include "session.hpp"
#include "voxd/jsonrpc/dispatcher.hpp"
#include "voxd_link.hpp"

namespace voxd::goxel {

struct CallContext {
  Session* session = nullptr;
  VoxdLink* link = nullptr;
  RenderRegistry* renders = nullptr;  // the front's, shared by every connection
};

using GoxelDispatcher = jsonrpc::Dispatcher<CallContext>;

// Registers every goxel-daemon method (and voxd's extensions) in `dispatcher`.
void register_goxel_methods(GoxelDispatcher& dispatcher);

}  // namespace voxd::goxel
