#include "handler.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "edits.hpp"
#include "envelope.hpp"
#include "read_box.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/formats/render.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Result;
using protocol::RequestBody;
using protocol::ResultBody;

namespace {

// Room kept in a reply for the envelope and vector headers.
constexpr std::size_t kReplyOverhead = 4096;

std::int64_t state_voxels(const core::ProjectState& state) {
  std::int64_t total = 0;
  for (const core::Layer& layer : state.layers) {
    total += layer.volume.voxel_count();
  }
  return total;
}

std::string file_stem(std::string_view path) {
  const std::string stem = std::filesystem::path(std::string(path)).stem().string();
  return stem.empty() ? std::string("untitled") : stem;
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<protocol::LayerInfo>>> layer_infos(
    flatbuffers::FlatBufferBuilder& fb, const core::Project& project) {
  std::vector<flatbuffers::Offset<protocol::LayerInfo>> layers;
  const auto& all = project.layers();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const core::Layer& layer = all[i];
    layers.push_back(protocol::CreateLayerInfo(fb, layer.id, fb.CreateString(layer.name), layer.visible,
                                               static_cast<protocol::BlendMode>(layer.mode), layer.volume.voxel_count(),
                                               static_cast<std::uint32_t>(i)));
  }
  return fb.CreateVector(layers);
}

template <typename T>
Result<T> need(const T* table, std::string_view what) {
  if (table == nullptr) {
    return make_error(ErrorCode::protocol, "the request body is not a " + std::string(what));
  }
  return *table;
}

}  // namespace

ErrorCode RequestHandler::handle(const protocol::Request& request, flatbuffers::FlatBufferBuilder& builder) {
  builder.Clear();
  Result<Reply> reply = make_error(ErrorCode::internal, "unhandled");
  try {
    reply = dispatch(request, builder);
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
        return make_error(ErrorCode::limit_exceeded,
                          "the ping payload is " + std::to_string(payload->size()) +
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
    default: break;
  }
  return make_error(ErrorCode::protocol, "unknown request type " + std::to_string(static_cast<int>(type)));
}

// ---- system ----

RequestHandler::Reply RequestHandler::hello(Fb& fb) const {
  const DaemonLimits& limits = services_.config.limits;
  const auto offset =
      protocol::CreateHelloResult(fb, kProtocolVersion, kMinProtocolVersion, fb.CreateString(VOXD_VERSION),
                                  limits.max_message_bytes, limits.max_reply_bytes, limits.max_voxels_per_request);
  return {ResultBody::HelloResult, offset.Union(), {}};
}

RequestHandler::Reply RequestHandler::health(Fb& fb) const {
  const auto offset = protocol::CreateHealthResult(
      fb, services_.stats.accepting.load(), services_.stats.uptime_seconds(), services_.workspace.project_count());
  return {ResultBody::HealthResult, offset.Union(), {}};
}

RequestHandler::Reply RequestHandler::stats(Fb& fb) const {
  const StatsSnapshot snapshot = services_.stats.snapshot();
  std::vector<flatbuffers::Offset<protocol::RequestTypeStats>> per_type;
  for (std::size_t i = 1; i <= static_cast<std::size_t>(RequestBody::MAX); ++i) {
    const TypeCounters& counters = snapshot.per_type.at(i);
    if (counters.requests > 0) {
      const char* name = protocol::EnumNameRequestBody(static_cast<RequestBody>(i));
      per_type.push_back(
          protocol::CreateRequestTypeStats(fb, fb.CreateString(name), counters.requests, counters.errors));
    }
  }
  if (snapshot.malformed > 0) {
    per_type.push_back(
        protocol::CreateRequestTypeStats(fb, fb.CreateString("malformed"), snapshot.malformed, snapshot.malformed));
  }
  std::size_t project_memory = 0;
  std::size_t history_memory = 0;
  for (const core::ProjectSummary& summary : services_.workspace.list()) {
    project_memory += summary.memory_bytes;
    history_memory += summary.history_bytes;
  }
  const auto per_type_offset = fb.CreateVector(per_type);
  protocol::StatsResultBuilder result(fb);
  result.add_uptime_seconds(services_.stats.uptime_seconds());
  result.add_projects(services_.workspace.project_count());
  result.add_voxels(services_.budget.used());
  result.add_project_memory_bytes(project_memory);
  result.add_resident_memory_bytes(resident_memory_bytes());
  result.add_requests(snapshot.requests);
  result.add_errors(snapshot.errors);
  result.add_malformed(snapshot.malformed);
  result.add_busy(snapshot.busy);
  result.add_queued(services_.stats.queued.load());
  result.add_per_type(per_type_offset);
  result.add_latency_p50_us(snapshot.latency.percentile(0.50));
  result.add_latency_p90_us(snapshot.latency.percentile(0.90));
  result.add_latency_p99_us(snapshot.latency.percentile(0.99));
  result.add_latency_max_us(static_cast<double>(snapshot.latency.max()));
  const DaemonLimits& limits = services_.config.limits;
  result.add_history_bytes(history_memory);
  result.add_accounted_bytes(services_.memory.used());
  result.add_max_memory_bytes(limits.max_memory_bytes);
  result.add_max_project_bytes(limits.max_project_bytes);
  result.add_max_history_bytes(limits.max_history_bytes);
  result.add_held_request_bytes(services_.stats.held_request_bytes.load());
  result.add_max_queued_bytes(limits.max_queued_bytes);
  result.add_max_queued_bytes_per_client(limits.max_queued_bytes_per_client);
  result.add_dropped_replies(snapshot.dropped_replies);
  return {ResultBody::StatsResult, result.Finish().Union(), {}};
}

RequestHandler::Reply RequestHandler::list_projects(Fb& fb) {
  std::vector<flatbuffers::Offset<protocol::ProjectSummary>> projects;
  for (const core::ProjectSummary& summary : services_.workspace.list()) {
    projects.push_back(protocol::CreateProjectSummary(fb, summary.handle.value, fb.CreateString(summary.name),
                                                      summary.voxels, static_cast<std::uint32_t>(summary.layers),
                                                      summary.memory_bytes, summary.history_bytes));
  }
  return {ResultBody::ProjectList, protocol::CreateProjectList(fb, fb.CreateVector(projects)).Union(), {}};
}

// ---- projects and files ----

Result<RequestHandler::Reply> RequestHandler::create_project(const protocol::CreateProject& request, Fb& fb) {
  auto name = checked_name(request.name(), "untitled");
  VOXD_TRY(name);
  auto handle = services_.workspace.create_project(std::move(name).value());
  VOXD_TRY(handle);
  VOXD_TRY(charge_new_project(*handle));
  return Reply{ResultBody::ProjectCreated, protocol::CreateProjectCreated(fb, handle->value).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::close_project(Handle handle) {
  std::int64_t voxels = 0;
  std::size_t bytes = 0;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    voxels = (*guard)->voxel_count();
    bytes = (*guard)->memory_bytes();
  }
  // Requests of one project run one at a time, so nothing changed the counts since.
  VOXD_TRY(services_.workspace.close_project(handle));
  services_.budget.release(voxels);
  services_.memory.release(bytes);
  return Reply{};
}

Result<RequestHandler::Handle> RequestHandler::add_project(std::string name, core::ProjectState state) {
  const std::int64_t voxels = state_voxels(state);
  const DaemonLimits& limits = services_.config.limits;
  if (voxels > limits.max_voxels_per_project) {
    return make_error(ErrorCode::limit_exceeded, "the project holds " + std::to_string(voxels) +
                                                     " voxels, over max_voxels_per_project (" +
                                                     std::to_string(limits.max_voxels_per_project) + ")");
  }
  VOXD_TRY(services_.budget.reserve(voxels));
  auto handle = services_.workspace.add_project(std::move(name), std::move(state));
  if (!handle) {
    services_.budget.release(voxels);
    return handle;
  }
  VOXD_TRY(charge_new_project(*handle));
  return handle;
}

core::Status RequestHandler::charge_new_project(Handle handle) {
  std::size_t bytes = 0;
  std::int64_t voxels = 0;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    bytes = (*guard)->memory_bytes();
    voxels = (*guard)->voxel_count();
  }
  const core::Status reserved = services_.memory.reserve(bytes);
  if (!reserved.ok()) {
    (void)services_.workspace.close_project(handle);
    services_.budget.release(voxels);
  }
  return reserved;
}

Result<RequestHandler::Reply> RequestHandler::open_file(const protocol::OpenFile& request, Fb& fb) {
  const bool has_path = request.path() != nullptr && request.path()->size() > 0;
  const bool has_data = request.data() != nullptr;
  if (has_path == has_data) {
    return make_error(ErrorCode::invalid_argument, "give exactly one of 'path' and 'data'");
  }
  core::ReadLimits read_limits;
  read_limits.max_voxels = services_.config.limits.max_voxels_per_project;
  read_limits.max_file_bytes = std::min(read_limits.max_file_bytes, services_.config.limits.max_message_bytes * 16);
  // The reader stops once its blocks would pass what this project, or the daemon as a whole, may still take
  // (the project is charged in full when it is registered; this keeps a hostile file from allocating first).
  const std::size_t memory_used = services_.memory.used();
  const std::size_t memory_left = memory_used < services_.memory.limit() ? services_.memory.limit() - memory_used : 0;
  read_limits.max_bytes = std::min(services_.config.limits.max_project_bytes, memory_left);
  read_limits.max_bytes_name =
      memory_left < services_.config.limits.max_project_bytes ? "max_memory_bytes" : "max_project_bytes";
  std::vector<std::uint8_t> file_bytes;
  core::formats::ByteView bytes;
  std::string hint;
  if (has_path) {
    auto read = services_.root.read_file(request.path()->string_view(), read_limits.max_file_bytes);
    VOXD_TRY(read);
    file_bytes = std::move(read).value();
    bytes = file_bytes;
    hint = request.path()->str();
  } else {
    bytes = {request.data()->data(), request.data()->size()};
    hint = request.name() != nullptr ? request.name()->str() : std::string();
  }
  if (request.format() != nullptr && request.format()->size() > 0) {
    hint = "." + request.format()->str();
  }
  auto state = core::formats::read_bytes(bytes, hint, read_limits);
  VOXD_TRY(state);
  auto name = checked_name(request.name(), has_path ? file_stem(request.path()->string_view()) : "untitled");
  VOXD_TRY(name);
  auto handle = add_project(std::move(name).value(), std::move(state).value());
  VOXD_TRY(handle);
  return Reply{ResultBody::ProjectCreated, protocol::CreateProjectCreated(fb, handle->value).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::deliver_bytes(const std::vector<std::uint8_t>& bytes,
                                                            const flatbuffers::String* path, bool lossy,
                                                            const std::string& warning, Fb& fb) {
  if (path != nullptr && path->size() > 0) {
    auto written = services_.root.write_file(path->string_view(), bytes);
    VOXD_TRY(written);
    const auto offset = protocol::CreateFileWritten(fb, fb.CreateString(written->string()), bytes.size(), lossy,
                                                    warning.empty() ? 0 : fb.CreateString(warning));
    return Reply{ResultBody::FileWritten, offset.Union(), warning};
  }
  const std::size_t limit = services_.config.limits.max_reply_bytes;
  if (bytes.size() + kReplyOverhead > limit) {
    return make_error(ErrorCode::limit_exceeded, "the file is " + std::to_string(bytes.size()) +
                                                     " bytes, over max_reply_bytes (" + std::to_string(limit) +
                                                     "); write it to a path instead");
  }
  const auto offset =
      protocol::CreateFileData(fb, fb.CreateVector(bytes), lossy, warning.empty() ? 0 : fb.CreateString(warning));
  return Reply{ResultBody::FileData, offset.Union(), warning};
}

Result<RequestHandler::Reply> RequestHandler::write_project(Handle handle, const flatbuffers::String* path,
                                                            const flatbuffers::String* format, bool must_be_readable,
                                                            Fb& fb) {
  if (path != nullptr && path->size() > 0) {
    // Refuse a bad path before any work is done.
    auto resolved = services_.root.resolve(path->string_view());
    VOXD_TRY(resolved);
  }
  std::string extension;
  if (format != nullptr && format->size() > 0) {
    extension = format->str();
  } else if (path != nullptr && path->size() > 0) {
    extension = std::filesystem::path(path->str()).extension().string();
  }
  const core::formats::FileFormat* file_format = core::formats::format_for_path(extension);
  if (file_format == nullptr || file_format->write == nullptr) {
    return make_error(ErrorCode::invalid_argument,
                      "no writable file format for '" + extension + "' (give a path with an extension or 'format')");
  }
  if (must_be_readable && file_format->read == nullptr) {
    return make_error(ErrorCode::invalid_argument,
                      std::string(file_format->name) + " files cannot be opened again: use export, not save");
  }
  core::ProjectState snapshot;
  {
    // Copy-on-write snapshot under the guard; the encoding runs without holding the project.
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    snapshot = (*guard)->snapshot();
  }
  std::vector<std::uint8_t> bytes;
  auto report = core::formats::write_bytes(snapshot, file_format->extension, bytes);
  VOXD_TRY(report);
  return deliver_bytes(bytes, path, report->lossy, report->warning, fb);
}

Result<RequestHandler::Reply> RequestHandler::render(Handle handle, const protocol::Render& request, Fb& fb) {
  const auto view = static_cast<std::int32_t>(request.view());
  if (view < 0 || view > static_cast<std::int32_t>(core::formats::View::bottom)) {
    return make_error(ErrorCode::invalid_argument, "unknown view " + std::to_string(view));
  }
  if (request.width() < 1 || request.width() > 4096 || request.height() < 1 || request.height() > 4096) {
    return make_error(ErrorCode::invalid_argument, "the picture size must be 1..4096 x 1..4096");
  }
  if (request.path() != nullptr && request.path()->size() > 0) {
    auto resolved = services_.root.resolve(request.path()->string_view());
    VOXD_TRY(resolved);
  }
  core::ProjectState snapshot;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    snapshot = (*guard)->snapshot();
  }
  core::formats::RenderParams params;
  params.view = static_cast<core::formats::View>(view);
  params.width = static_cast<int>(request.width());
  params.height = static_cast<int>(request.height());
  auto png = core::formats::render_png(snapshot, params);
  VOXD_TRY(png);
  return deliver_bytes(*png, request.path(), false, {}, fb);
}

Result<RequestHandler::Reply> RequestHandler::project_info(Handle handle, Fb& fb) {
  auto guard = services_.workspace.lock(handle);
  VOXD_TRY(guard);
  const core::Project& project = **guard;
  auto box = core::bounding_box(project, core::kVisibleLayers);
  VOXD_TRY(box);
  const protocol::Box3 wire_box = box->has_value() ? to_wire(**box) : protocol::Box3{};
  const auto name = fb.CreateString(project.name());
  const auto layers = layer_infos(fb, project);
  const auto offset = protocol::CreateProjectInfo(
      fb, handle.value, name, project.voxel_count(), project.memory_bytes(), box->has_value() ? &wire_box : nullptr,
      layers, project.effective_active_layer_id(), static_cast<std::uint32_t>(project.undo_depth()),
      static_cast<std::uint32_t>(project.redo_depth()));
  return Reply{ResultBody::ProjectInfo, offset.Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::copy_project(Handle handle, const protocol::CopyProject& request,
                                                           Fb& fb) {
  core::ProjectState snapshot;
  std::string source_name;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    snapshot = (*guard)->snapshot();
    source_name = (*guard)->name();
  }
  auto name = checked_name(request.name(), source_name + " copy");
  VOXD_TRY(name);
  auto copy = add_project(std::move(name).value(), std::move(snapshot));
  VOXD_TRY(copy);
  return Reply{ResultBody::ProjectCreated, protocol::CreateProjectCreated(fb, copy->value).Union(), {}};
}

// ---- edits and history ----

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

// ---- reads ----

Result<RequestHandler::Reply> RequestHandler::get_voxels(Handle handle, const protocol::GetVoxels& request, Fb& fb) {
  std::vector<core::Vec3i> positions;
  if (request.positions() != nullptr) {
    const auto count = static_cast<std::int64_t>(request.positions()->size());
    if (count > services_.config.limits.max_voxels_per_request) {
      return make_error(ErrorCode::limit_exceeded,
                        "the request lists " + std::to_string(count) + " positions, over max_voxels_per_request (" +
                            std::to_string(services_.config.limits.max_voxels_per_request) + ")");
    }
    if (static_cast<std::size_t>(count) > reply_budget_items(sizeof(std::uint32_t))) {
      return make_error(ErrorCode::limit_exceeded,
                        "the colours of " + std::to_string(count) + " positions would pass max_reply_bytes (" +
                            std::to_string(services_.config.limits.max_reply_bytes) + "); ask in smaller requests");
    }
    positions.reserve(static_cast<std::size_t>(count));
    for (const protocol::Vec3* p : *request.positions()) {
      positions.push_back(to_core(*p));
    }
  }
  std::vector<std::uint32_t> colors;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    auto found = core::get_voxels(**guard, request.layer(), positions);
    VOXD_TRY(found);
    colors.reserve(found->size());
    for (const core::Color c : *found) {
      colors.push_back(c.packed());
    }
  }
  return Reply{ResultBody::Colors, protocol::CreateColors(fb, fb.CreateVector(colors)).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::read_box(Handle handle, const protocol::ReadBox& request, Fb& fb) {
  auto box = to_core_box(request.box(), "box");
  VOXD_TRY(box);
  const bool dense = request.mode() == protocol::ReadBoxMode::dense;
  std::size_t page_voxels = reply_budget_items(dense ? sizeof(std::uint32_t) : sizeof(protocol::Voxel));
  if (request.max_voxels() > 0) {
    page_voxels = std::min<std::size_t>(page_voxels, request.max_voxels());
  }
  std::span<const std::uint8_t> cursor;
  if (request.cursor() != nullptr) {
    cursor = {request.cursor()->data(), request.cursor()->size()};
  }
  Result<BoxPage> page = make_error(ErrorCode::internal, "unread");
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    const core::Project& project = **guard;
    if (request.layer() == core::kVisibleLayers) {
      const core::Volume merged = core::merged_visible(project);
      page = read_box_page(merged, *box, request.mode(), cursor, page_voxels);
    } else {
      auto index = project.layer_index(request.layer());
      VOXD_TRY(index);
      page = read_box_page(project.layers()[*index].volume, *box, request.mode(), cursor, page_voxels);
    }
  }
  VOXD_TRY(page);
  const auto voxels = dense ? 0 : fb.CreateVectorOfStructs(page->voxels);
  const auto dense_values = dense ? fb.CreateVector(page->dense) : 0;
  const protocol::Box3 dense_box = to_wire(page->dense_box);
  const auto next = page->next_cursor.empty() ? 0 : fb.CreateVector(page->next_cursor);
  const auto offset =
      protocol::CreateVoxelPage(fb, voxels, dense_values, dense ? &dense_box : nullptr, next, page->done);
  return Reply{ResultBody::VoxelPage, offset.Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::list_layers(Handle handle, Fb& fb) {
  auto guard = services_.workspace.lock(handle);
  VOXD_TRY(guard);
  const auto layers = layer_infos(fb, **guard);
  return Reply{
      ResultBody::LayerList, protocol::CreateLayerList(fb, layers, (*guard)->effective_active_layer_id()).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::query(Handle handle, const protocol::Request& request, Fb& fb) {
  auto guard = services_.workspace.lock(handle);
  VOXD_TRY(guard);
  const core::Project& project = **guard;
  switch (request.body_type()) {
    case RequestBody::GetBoundingBox: {
      auto box = core::bounding_box(project, request.body_as_GetBoundingBox()->layer());
      VOXD_TRY(box);
      const protocol::Box3 wire = box->has_value() ? to_wire(**box) : protocol::Box3{};
      return Reply{
          ResultBody::BoundingBox, protocol::CreateBoundingBox(fb, box->has_value() ? &wire : nullptr).Union(), {}};
    }
    case RequestBody::CountVoxels: {
      auto count = core::count_voxels(project, request.body_as_CountVoxels()->layer());
      VOXD_TRY(count);
      return Reply{ResultBody::Count, protocol::CreateCount(fb, *count).Union(), {}};
    }
    case RequestBody::GetHistogram: {
      const auto* body = request.body_as_GetHistogram();
      auto histogram = core::color_histogram(project, body->layer());
      VOXD_TRY(histogram);
      std::size_t keep = std::min(histogram->size(), reply_budget_items(sizeof(protocol::ColorCount)));
      if (body->max_entries() > 0) {
        keep = std::min<std::size_t>(keep, body->max_entries());
      }
      std::vector<protocol::ColorCount> entries;
      entries.reserve(keep);
      for (std::size_t i = 0; i < keep; ++i) {
        entries.emplace_back((*histogram)[i].color.packed(), (*histogram)[i].count);
      }
      const auto offset = protocol::CreateHistogram(fb, fb.CreateVectorOfStructs(entries), histogram->size());
      return Reply{ResultBody::Histogram, offset.Union(), {}};
    }
    case RequestBody::GetUniqueColors: {
      auto colors = core::unique_colors(project, request.body_as_GetUniqueColors()->layer());
      VOXD_TRY(colors);
      if (colors->size() > reply_budget_items(sizeof(std::uint32_t))) {
        return make_error(ErrorCode::limit_exceeded, std::to_string(colors->size()) +
                                                         " colours do not fit in max_reply_bytes; use GetHistogram "
                                                         "with max_entries");
      }
      std::vector<std::uint32_t> packed;
      packed.reserve(colors->size());
      for (const core::Color c : *colors) {
        packed.push_back(c.packed());
      }
      return Reply{ResultBody::Colors, protocol::CreateColors(fb, fb.CreateVector(packed)).Union(), {}};
    }
    case RequestBody::FindByColor: {
      const auto* body = request.body_as_FindByColor();
      std::size_t max_results = reply_budget_items(sizeof(protocol::Vec3));
      if (body->max_results() > 0) {
        max_results = std::min<std::size_t>(max_results, body->max_results());
      }
      // One more than wanted tells whether the list was cut.
      auto found = core::find_by_color(project, body->layer(), to_core_color(body->rgba()), body->tolerance(),
                                       static_cast<std::int64_t>(max_results) + 1);
      VOXD_TRY(found);
      const bool truncated = found->size() > max_results;
      std::vector<protocol::Vec3> positions;
      positions.reserve(std::min(found->size(), max_results));
      for (std::size_t i = 0; i < found->size() && i < max_results; ++i) {
        positions.push_back(to_wire((*found)[i]));
      }
      const auto offset = protocol::CreatePositions(fb, fb.CreateVectorOfStructs(positions), truncated);
      return Reply{ResultBody::Positions, offset.Union(), {}};
    }
    default: break;
  }
  return make_error(ErrorCode::internal, "query() called with a non-query request");
}

}  // namespace voxd::daemon
