// RequestHandler: the envelope of every request (exceptions, error replies) and the dispatch by type. The
// requests themselves live by area in handler_system.cpp, handler_projects.cpp, handler_files.cpp,
// handler_edits.cpp and handler_reads.cpp.
#include "handler.hpp"

#include <new>
#include <string>

#include "edits.hpp"
#include "envelope.hpp"
#include "handler_support.hpp"
#include "request_access.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Result;
using handler_support::kReplyOverhead;
using protocol::RequestBody;
using protocol::ResultBody;

ErrorCode RequestHandler::handle(const protocol::Request& request, flatbuffers::FlatBufferBuilder& builder,
                                 std::string_view identity) {
  builder.Clear();
  identity_ = identity;
  Result<Reply> reply = make_error(ErrorCode::internal, "unhandled");
  try {
    // Another identity's project is answered as a closed one, before anything about it is looked at.
    auto allowed = request.project() != 0 ? check_access(request) : core::Status{};
    reply = allowed ? dispatch(request, builder) : Result<Reply>(allowed.error());
  } catch (const std::bad_alloc&) {
    reply = make_error(ErrorCode::limit_exceeded, "out of memory while handling the request");
  } catch (const std::exception& e) {
    reply = make_error(ErrorCode::internal, std::string("unexpected exception: ") + e.what());
  }
  if (!reply) {
    builder.Clear();
    finish_error(builder, request.id(), request.project(), reply.error());
    return reply.code();
  }
  finish_response(builder, request.id(), request.project(), ErrorCode::ok, reply->message, reply->type, reply->offset);
  return ErrorCode::ok;
}

core::Status RequestHandler::check_access(const protocol::Request& request) {
  const Handle handle{request.project()};
  const ProjectAccess needed = access_needed(request.body_type());
  const ProjectAccess granted = services_.owners.access(handle, identity_);
  if (granted >= needed) {
    return {};
  }
  if (!services_.owners.owned(handle)) {
    return ProjectOwners::not_yours(handle);  // really closed: nothing refused, nothing to count
  }
  services_.stats.access_refused.fetch_add(1, std::memory_order_relaxed);
  const std::string who = identity_.empty() ? std::string("an anonymous client") : std::string(identity_);
  const char* body = protocol::EnumNameRequestBody(request.body_type());
  refusals_.warn("refused " + std::string(body) + " on project " + std::to_string(handle.value) + " to " + who +
                 " (it has " + std::string(access_name(granted)) + " access)");
  if (granted == ProjectAccess::none) {
    return ProjectOwners::not_yours(handle);
  }
  return make_error(ErrorCode::permission_denied, "project " + std::to_string(handle.value) +
                                                      " is shared with you for " + std::string(access_name(granted)) +
                                                      "; " + body + " needs " + std::string(access_name(needed)));
}

std::size_t RequestHandler::reply_budget_items(std::size_t bytes_per_item) const {
  const std::size_t bytes = services_.config.limits.max_reply_bytes;
  return bytes > kReplyOverhead ? (bytes - kReplyOverhead) / bytes_per_item : 1;
}

Result<RequestHandler::Reply> RequestHandler::dispatch(const protocol::Request& request, Fb& fb) {
  const Handle handle{request.project()};
  const RequestBody type = request.body_type();
  if (auto edit_type = edit_of(type)) {
    return edit(handle, *edit_type, request.body(), fb);
  }
  switch (type) {
    case RequestBody::Hello: return hello(fb);
    case RequestBody::Ping: {
      const auto* payload = request.body_as_Ping()->payload();
      if (payload != nullptr && payload->size() + kReplyOverhead > services_.config.limits.max_reply_bytes) {
        return make_error(ErrorCode::limit_exceeded, "the ping payload is " + std::to_string(payload->size()) +
                                                         " bytes; its echo would pass max_reply_bytes (" +
                                                         std::to_string(services_.config.limits.max_reply_bytes) + ")");
      }
      const auto offset = payload == nullptr ? 0 : fb.CreateVector(payload->data(), payload->size());
      return Reply{ResultBody::PingResult, protocol::CreatePingResult(fb, offset).Union(), {}};
    }
    case RequestBody::GetHealth: return health(fb);
    case RequestBody::GetStats: return stats(fb);
    case RequestBody::ListProjects: return list_projects(fb);
    case RequestBody::CreateProject: return create_project(*request.body_as_CreateProject(), fb);
    case RequestBody::CloseProject: return close_project(handle);
    case RequestBody::OpenFile: return open_file(*request.body_as_OpenFile(), fb);
    case RequestBody::SaveProject: {
      const auto* body = request.body_as_SaveProject();
      return write_project(handle, body->path(), body->format(), true, fb);
    }
    case RequestBody::ExportProject: {
      const auto* body = request.body_as_ExportProject();
      return write_project(handle, body->path(), body->format(), false, fb);
    }
    case RequestBody::GetProjectInfo: return project_info(handle, fb);
    case RequestBody::CopyProject: return copy_project(handle, *request.body_as_CopyProject(), fb);
    case RequestBody::GetVoxels: return get_voxels(handle, *request.body_as_GetVoxels(), fb);
    case RequestBody::ReadBox: return read_box(handle, *request.body_as_ReadBox(), fb);
    case RequestBody::ListLayers: return list_layers(handle, fb);
    case RequestBody::Undo: return history(handle, false, fb);
    case RequestBody::Redo: return history(handle, true, fb);
    case RequestBody::Batch: return batch(handle, *request.body_as_Batch(), fb);
    case RequestBody::GetBoundingBox:
    case RequestBody::CountVoxels:
    case RequestBody::GetHistogram:
    case RequestBody::GetUniqueColors:
    case RequestBody::FindByColor: return query(handle, request, fb);
    case RequestBody::Render: return render(handle, *request.body_as_Render(), fb);
    case RequestBody::ShareProject: return share_project(handle, *request.body_as_ShareProject());
    case RequestBody::RemoveFile: return remove_file(*request.body_as_RemoveFile(), fb);
    default: break;
  }
  return make_error(ErrorCode::protocol, "unknown request type " + std::to_string(static_cast<int>(type)));
}

}  // namespace voxd::daemon
