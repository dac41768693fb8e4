// RequestHandler, files: open (path or inline bytes), save and export, render, remove.
#include "handler.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "handler_support.hpp"
#include "sha256.hpp"
#include "voxd/core/formats/contact_sheet.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/formats/render.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Result;
using protocol::RequestBody;
using protocol::ResultBody;
using handler_support::file_stem;
using handler_support::kReplyOverhead;

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
    auto read = services_.root.read_file(request.path()->string_view(), read_limits.max_file_bytes, identity_);
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

namespace {
flatbuffers::Offset<protocol::MeshReport> mesh_report(const core::formats::WriteReport& report,
                                                      flatbuffers::FlatBufferBuilder& fb) {
  if (!report.mesh) {
    return 0;
  }
  const core::formats::MeshTopology& m = *report.mesh;
  return protocol::CreateMeshReport(fb, m.triangles, m.faces, m.watertight, m.boundary_edges, m.nonmanifold_edges,
                                    m.inconsistent_edges);
}
}  // namespace

Result<RequestHandler::Reply> RequestHandler::deliver_bytes(const std::vector<std::uint8_t>& bytes,
                                                            const flatbuffers::String* path,
                                                            const core::formats::WriteReport& report, Fb& fb) {
  const std::string& warning = report.warning;
  if (path != nullptr && path->size() > 0) {
    // Side files first: the main file refers to them, so it is never there without them.
    std::vector<flatbuffers::Offset<flatbuffers::String>> side_paths;
    for (const core::formats::SideFile& side : report.side_files) {
      const std::string requested = (std::filesystem::path(path->str()).parent_path() / side.name).string();
      auto side_written = services_.root.write_file(requested, side.bytes, identity_);
      VOXD_TRY(side_written);
      side_paths.push_back(fb.CreateString(side_written->string()));
    }
    auto written = services_.root.write_file(path->string_view(), bytes, identity_);
    VOXD_TRY(written);
    const auto path_offset = fb.CreateString(written->string());
    const auto warning_offset = warning.empty() ? 0 : fb.CreateString(warning);
    const auto digest = fb.CreateString(sha256_hex(bytes));
    const auto also_written = side_paths.empty() ? 0 : fb.CreateVector(side_paths);
    const auto mesh = mesh_report(report, fb);
    const auto offset = protocol::CreateFileWritten(fb, path_offset, bytes.size(), report.lossy, warning_offset,
                                                    digest, also_written, mesh);
    return Reply{ResultBody::FileWritten, offset.Union(), warning};
  }
  const std::size_t limit = services_.config.limits.max_reply_bytes;
  if (bytes.size() + kReplyOverhead > limit) {
    return make_error(ErrorCode::limit_exceeded, "the file is " + std::to_string(bytes.size()) +
                                                     " bytes, over max_reply_bytes (" + std::to_string(limit) +
                                                     "); write it to a path instead");
  }
  const auto data = fb.CreateVector(bytes);
  const auto warning_offset = warning.empty() ? 0 : fb.CreateString(warning);
  const auto mesh = mesh_report(report, fb);
  const auto offset = protocol::CreateFileData(fb, data, report.lossy, warning_offset, mesh);
  return Reply{ResultBody::FileData, offset.Union(), warning};
}

Result<RequestHandler::Reply> RequestHandler::write_project(Handle handle, const flatbuffers::String* path,
                                                            const flatbuffers::String* format, bool must_be_readable,
                                                            Fb& fb) {
  if (path != nullptr && path->size() > 0) {
    // Refuse a bad path before any work is done.
    auto resolved = services_.root.resolve(path->string_view(), identity_);
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
  core::formats::WriteOptions options;
  if (path != nullptr && path->size() > 0 && file_format->name == "gltf") {
    options.gltf_buffer_file = core::formats::gltf_buffer_name_for(path->string_view());  // .gltf + .bin
  }
  std::vector<std::uint8_t> bytes;
  auto report = core::formats::write_bytes(snapshot, file_format->extension, bytes, options);
  VOXD_TRY(report);
  return deliver_bytes(bytes, path, *report, fb);
}

Result<RequestHandler::Reply> RequestHandler::render(Handle handle, const protocol::Render& request, Fb& fb) {
  const auto view = static_cast<std::int32_t>(request.view());
  if (view < 0 || view > static_cast<std::int32_t>(core::formats::View::free)) {
    return make_error(ErrorCode::invalid_argument, "unknown view " + std::to_string(view));
  }
  if (request.width() < 1 || request.width() > 4096 || request.height() < 1 || request.height() > 4096) {
    return make_error(ErrorCode::invalid_argument, "the picture size must be 1..4096 x 1..4096");
  }
  core::formats::RenderParams params;
  params.view = static_cast<core::formats::View>(view);
  params.width = static_cast<int>(request.width());
  params.height = static_cast<int>(request.height());
  params.ambient_occlusion = request.ambient_occlusion();
  params.shadows = request.shadows();
  params.edges = request.edges();
  params.background = core::Color::from_packed(request.background());
  if (const auto* camera = request.camera(); camera != nullptr) {
    params.camera = {camera->yaw(), camera->pitch(), camera->distance(), camera->perspective()};
  }
  // A contact sheet: each shot is the look above with its own view and camera.
  std::vector<core::formats::RenderParams> shots;
  if (const auto* sheet = request.sheet(); sheet != nullptr && sheet->size() > 0) {
    if (sheet->size() > core::formats::kMaxSheetShots) {
      return make_error(ErrorCode::invalid_argument, "a contact sheet has at most " +
                                                         std::to_string(core::formats::kMaxSheetShots) + " views, not " +
                                                         std::to_string(sheet->size()));
    }
    for (const protocol::RenderShot* shot : *sheet) {
      const auto shot_view = static_cast<std::int32_t>(shot->view());
      if (shot_view < 0 || shot_view > static_cast<std::int32_t>(core::formats::View::free)) {
        return make_error(ErrorCode::invalid_argument, "view " + std::to_string(shots.size() + 1) +
                                                           " of the sheet: unknown view " + std::to_string(shot_view));
      }
      core::formats::RenderParams one = params;
      one.view = static_cast<core::formats::View>(shot_view);
      one.camera = core::formats::FreeCamera{};
      if (const auto* camera = shot->camera(); camera != nullptr) {
        one.camera = {camera->yaw(), camera->pitch(), camera->distance(), camera->perspective()};
      }
      if (auto checked = core::formats::check_render_params(one); !checked.ok()) {
        return make_error(checked.code(),
                          "view " + std::to_string(shots.size() + 1) + " of the sheet: " + checked.error().message);
      }
      shots.push_back(one);
    }
  }
  // Refused before the snapshot is taken; core's message names the field that is out of range.
  VOXD_TRY(core::formats::check_render_params(params));
  if (request.path() != nullptr && request.path()->size() > 0) {
    auto resolved = services_.root.resolve(request.path()->string_view(), identity_);
    VOXD_TRY(resolved);
  }
  core::ProjectState snapshot;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    snapshot = (*guard)->snapshot();
  }
  auto png = shots.empty() ? core::formats::render_png(snapshot, params)
                           : core::formats::render_contact_sheet_png(snapshot, shots);
  VOXD_TRY(png);
  return deliver_bytes(*png, request.path(), core::formats::WriteReport{}, fb);
}

Result<RequestHandler::Reply> RequestHandler::remove_file(const protocol::RemoveFile& request, Fb& fb) {
  const std::string_view path = request.path() != nullptr ? request.path()->string_view() : std::string_view();
  if (path.empty()) {
    return make_error(ErrorCode::invalid_argument, "RemoveFile needs a path");
  }
  // Only what voxd could have written: the extension is checked before the file system is looked at, so a
  // refusal tells nothing about other files.
  const std::string extension = std::filesystem::path(std::string(path)).extension().string();
  const core::formats::FileFormat* format = extension.empty() ? nullptr : core::formats::format_for_path(extension);
  if (format == nullptr || format->write == nullptr) {
    std::string written;
    for (const core::formats::FileFormat& each : core::formats::all_formats()) {
      if (each.write != nullptr) {
        written += std::string(written.empty() ? "" : " ") + std::string(each.extension);
      }
    }
    return make_error(ErrorCode::permission_denied, "cannot remove '" + std::string(path) +
                                                        "': RemoveFile removes only files of the formats " +
                                                        "voxd writes (" + written + ")");
  }
  auto removed = services_.root.remove_file(path, identity_);
  VOXD_TRY(removed);
  const auto offset = protocol::CreateFileRemoved(fb, fb.CreateString(removed->string()));
  return Reply{ResultBody::FileRemoved, offset.Union(), {}};
}

}  // namespace voxd::daemon
