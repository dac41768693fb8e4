// What the Goxel method files share: goxel-daemon's error codes, sending one protocol request and shaping its
// reply, the call's project (the `project` extension, else the session's, made on first use), coordinates and
// layer ids.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "call_context.hpp"
#include "voxd/jsonrpc/params.hpp"

namespace voxd::goxel {

using jsonrpc::Params;
using jsonrpc::Request;
using nlohmann::json;
using Respond = GoxelDispatcher::Respond;
namespace fb = flatbuffers;
namespace pr = protocol;

inline constexpr const char* kGoxelVersion = "0.19.0";  // the goxel-daemon release whose protocol this front speaks

// goxel-daemon's application error codes: -1000 minus the method's number.
enum AppError : int {
  kCreateProject = -1001,
  kLoadProject = -1002,
  kSaveProject = -1003,
  kAddVoxel = -1004,
  kRemoveVoxel = -1005,
  kGetVoxel = -1006,
  kExportModel = -1007,
  kCreateLayer = -1008,
  kPaintVoxels = -1009,
  kFloodFill = -1010,
  kProceduralShape = -1011,
  kDeleteLayer = -1012,
  kMergeLayers = -1013,
  kLayerVisibility = -1014,
  kRenderScene = -1015,
  // voxd's own codes for the methods goxel-daemon only planned (its numbers end at -1015, then -1020/-1021)
  kClearVoxels = -1016,
  kSetActiveLayer = -1017,
  kImportModel = -1018,
  kQuery = -1019,
  kRenderInfo = -1020,
  kCleanupRender = -1021,
};

inline void succeed(const Respond& respond, json result) {
  respond(jsonrpc::Outcome{std::in_place_index<0>, std::move(result)});
}
inline void fail(const Respond& respond, jsonrpc::Error error) {
  respond(jsonrpc::Outcome{std::in_place_index<1>, std::move(error)});
}

using Then = std::function<json(const pr::Response&)>;

// Sends one request; an ok reply is turned into the result by `then`, an error into goxel's application error
// `app_code` with voxd's message (and voxd's status name in `data`).
inline void call(CallContext& c, std::uint64_t project, pr::RequestBody type, fb::Offset<void> body, int app_code,
          std::string what, Respond respond, Then then) {
  c.link->send(c.session->identity, project, type, body,
               [respond = std::move(respond), then = std::move(then), app_code,
                what = std::move(what)](const pr::Response& reply) {
                 if (reply.status() != pr::Status::ok) {
                   const std::string message = reply.message() != nullptr ? reply.message()->str() : "";
                   fail(respond, jsonrpc::Error{app_code, std::string("Failed to ") + what + ": " + message,
                                                json{{"voxd_status", pr::EnumNameStatus(reply.status())}}});
                   return;
                 }
                 try {
                   succeed(respond, then(reply));
                 } catch (const jsonrpc::RpcError& e) {
                   fail(respond, e.error());
                 }
               });
}

// The project a call works on: the `project` parameter (voxd's extension: a handle), else the session's.
inline std::uint64_t named_project(const Params& p) {
  const auto* value = p.find(Params::kNoPosition, "project");
  if (value == nullptr) return 0;
  if (value->is_string()) {
    try {
      return std::stoull(value->get<std::string>(), nullptr, 0);
    } catch (const std::exception&) {
      jsonrpc::throw_invalid_params("'project' must be a voxd project handle");
    }
  }
  if (!value->is_number_unsigned() && !value->is_number_integer()) {
    jsonrpc::throw_invalid_params("'project' must be a voxd project handle");
  }
  return value->get<std::uint64_t>();
}

// Makes `handle` the session's current project. goxel-daemon had one project, so a client that creates or loads
// again means to replace it: the previous current project is closed (else a long-running client would fill
// max_projects), unless the call said keep_current: true (voxd's extension, for clients that use `project`).
inline void replace_current(CallContext& c, std::uint64_t handle, bool keep_current) {
  const std::uint64_t previous = c.session->project;
  c.session->project = handle;
  if (previous == 0 || previous == handle || keep_current) return;
  auto& b = c.link->builder();
  const auto body = pr::CreateCloseProject(b);
  c.link->send(c.session->identity, previous, pr::RequestBody::CloseProject, body.Union(),
               [](const pr::Response&) {});  // already closed (close_project, another client) is fine
}

inline bool keep_current_param(const Params& p) {
  return p.boolean_or(Params::kNoPosition, "keep_current", false);
}

inline void create_project(CallContext& c, const std::string& name, bool keep_current, int app_code, Respond respond,
                           Then then) {
  auto& b = c.link->builder();
  const auto body = pr::CreateCreateProject(b, b.CreateString(name));
  CallContext* context = &c;
  call(c, 0, pr::RequestBody::CreateProject, body.Union(), app_code, "create project", std::move(respond),
       [context, keep_current, then = std::move(then)](const pr::Response& reply) {
         replace_current(*context, reply.result_as_ProjectCreated()->handle(), keep_current);
         return then(reply);
       });
}

// Runs `work(project)` on the call's project. goxel-daemon always had a project; a session without one gets a
// new empty project first, so a client that starts with add_voxel works as it did there.
// `named` is the call's `project` parameter (0: none).
inline void with_project(CallContext& c, std::uint64_t named, int app_code, Respond respond,
                         std::function<void(std::uint64_t, Respond)> work) {
  if (named != 0) {
    work(named, std::move(respond));
    return;
  }
  if (c.session->project != 0) {
    work(c.session->project, std::move(respond));
    return;
  }
  // The creation's reply value is not the method's; the method's own reply follows from `work`.
  auto& b = c.link->builder();
  const auto body = pr::CreateCreateProject(b, b.CreateString("New Project"));
  Session* session = c.session;
  c.link->send(
      c.session->identity, 0, pr::RequestBody::CreateProject, body.Union(),
      [session, app_code, respond = std::move(respond), work = std::move(work)](const pr::Response& reply) {
        if (reply.status() != pr::Status::ok) {
          fail(respond, jsonrpc::Error{app_code, "Failed to create a project: " + (reply.message() != nullptr ? reply.message()->str() : std::string()), nullptr});
          return;
        }
        session->project = reply.result_as_ProjectCreated()->handle();
        work(session->project, respond);
      });
}

inline void with_project(CallContext& c, const Params& p, int app_code, Respond respond,
                         std::function<void(std::uint64_t, Respond)> work) {
  with_project(c, named_project(p), app_code, std::move(respond), std::move(work));
}

inline std::int32_t coord(const Params& p, std::size_t index, const char* name) {
  return static_cast<std::int32_t>(p.integer(index, name));
}
// goxel-daemon's layer_id: absent or <= 0 means its default; voxd's 0 is the active layer for edits and all
// visible layers merged for reads, which is what their clients meant.
inline std::uint32_t layer_param(const Params& p, std::size_t index) {
  const auto id = p.integer_or(index, "layer_id", 0, INT64_MIN, UINT32_MAX);
  return id <= 0 ? 0 : static_cast<std::uint32_t>(id);
}

void add_system_methods(GoxelDispatcher& d);
void add_project_methods(GoxelDispatcher& d);
void add_voxel_methods(GoxelDispatcher& d);
void add_layer_methods(GoxelDispatcher& d);
void add_edit_methods(GoxelDispatcher& d);    // methods_edits.cpp
void add_query_methods(GoxelDispatcher& d);   // methods_queries.cpp
void add_render_methods(GoxelDispatcher& d);  // methods_render.cpp

}  // namespace voxd::goxel
