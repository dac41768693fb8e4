// Executes one verified request against the workspace and writes the Response. One handler per worker
// thread; the services it uses are shared and thread-safe. Its requests are defined by area: handler.cpp
// (envelope, dispatch), handler_system.cpp, handler_projects.cpp, handler_files.cpp, handler_edits.cpp and
// handler_reads.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include <flatbuffers/flatbuffers.h>

#include "config.hpp"
#include "project_owners.hpp"
#include "rate_limited_log.hpp"
#include "root_dir.hpp"
#include "stats.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/error.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/memory_budget.hpp"
#include "voxd/core/workspace.hpp"
#include "voxd/protocol/voxd_generated.h"
#include "voxel_budget.hpp"

namespace voxd::daemon {

class Durability;

class Durability;

// What every worker shares. The workspace serialises each project; the rest is read-only or atomic.
struct Services {
  core::Workspace& workspace;
  const RootDir& root;
  const DaemonConfig& config;
  Stats& stats;
  VoxelBudget& budget;
  core::MemoryBudget& memory;        // the bytes every project holds, state and history (--max-memory-bytes)
  ProjectOwners& owners;             // who may use which project (project_owners.hpp)
  Durability* durability = nullptr;  // null with --ephemeral
};

class RequestHandler {
 public:
  explicit RequestHandler(Services services) : services_(services) {}

  // Fills `builder` (cleared first) with the finished Response and returns its status. `identity` is the
  // client's, as the ZAP handler named its connection ("curve:<key>", "uid:<n>", "" = anonymous).
  core::ErrorCode handle(const protocol::Request& request, flatbuffers::FlatBufferBuilder& builder,
                         std::string_view identity = {});
  [[nodiscard]] const Services& services() const noexcept { return services_; }

 private:
  struct Reply {
    protocol::ResultBody type = protocol::ResultBody::NONE;
    flatbuffers::Offset<void> offset;
    std::string message;  // e.g. a warning on success
  };
  using Fb = flatbuffers::FlatBufferBuilder;
  using Handle = core::ProjectHandle;

  core::Result<Reply> dispatch(const protocol::Request& request, Fb& fb);
  // Ok when the caller may do this request to its project; counts and logs (rate-limited) what it refuses.
  core::Status check_access(const protocol::Request& request);

  // system
  Reply hello(Fb& fb) const;
  Reply health(Fb& fb) const;
  Reply stats(Fb& fb) const;
  Reply list_projects(Fb& fb);
  // projects and files
  core::Result<Reply> create_project(const protocol::CreateProject& request, Fb& fb);
  core::Result<Reply> close_project(Handle handle);
  core::Result<Reply> share_project(Handle handle, const protocol::ShareProject& request);
  core::Result<Reply> open_file(const protocol::OpenFile& request, Fb& fb);
  core::Result<Reply> write_project(Handle handle, const flatbuffers::String* path, const flatbuffers::String* format,
                                    bool must_be_readable, Fb& fb);
  core::Result<Reply> project_info(Handle handle, Fb& fb);
  core::Result<Reply> copy_project(Handle handle, const protocol::CopyProject& request, Fb& fb);
  core::Result<Reply> render(Handle handle, const protocol::Render& request, Fb& fb);
  core::Result<Reply> remove_file(const protocol::RemoveFile& request, Fb& fb);
  // edits and history
  core::Result<std::int64_t> mutate(Handle handle,
                                    const std::function<core::Result<std::int64_t>(core::Project&)>& edit);
  core::Result<Reply> edit(Handle handle, protocol::EditOperation type, const void* table, Fb& fb);
  core::Result<Reply> batch(Handle handle, const protocol::Batch& request, Fb& fb);
  core::Result<Reply> history(Handle handle, bool redo, Fb& fb);
  // reads
  core::Result<Reply> get_voxels(Handle handle, const protocol::GetVoxels& request, Fb& fb);
  core::Result<Reply> read_box(Handle handle, const protocol::ReadBox& request, Fb& fb);
  core::Result<Reply> list_layers(Handle handle, Fb& fb);
  core::Result<Reply> query(Handle handle, const protocol::Request& request, Fb& fb);

  // Registers a project made from a state (file, copy), within the voxel limits.
  core::Result<Handle> add_project(std::string name, core::ProjectState state);
  // Charges a just-added project's bytes to max_memory_bytes; closes it again when they do not fit.
  core::Status charge_new_project(Handle handle);
  // Bytes out: written under the root when `path` is given (the report's side files first, beside it), else
  // inline within max_reply_bytes; the reply carries what the writer reported (lossy, warning, a mesh's
  // topology).
  core::Result<Reply> deliver_bytes(const std::vector<std::uint8_t>& bytes, const flatbuffers::String* path,
                                    const core::formats::WriteReport& report, Fb& fb);
  [[nodiscard]] std::size_t reply_budget_items(std::size_t bytes_per_item) const;

  Services services_;
  std::string_view identity_;  // the client of the request being handled (valid during handle())
  RateLimitedLog refusals_;    // refused project accesses (one handler per thread, as the log needs)
};

}  // namespace voxd::daemon
