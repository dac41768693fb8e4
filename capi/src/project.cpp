// Projects: create, close, open (file or bytes), copy, save and export, info, name, undo and redo.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "boundary.hpp"
#include "voxd/fileio/file_io.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/formats/mesh.hpp"
#include "voxd/core/formats/render.hpp"
#include "voxd/core/ops.hpp"

using voxd::capi::guarded;
using voxd::capi::lock_project;
using voxd::capi::require;
using voxd::capi::require_engine;
using voxd::capi::string_arg;
using voxd::core::Result;
using voxd::core::Status;
using Bytes = std::vector<std::uint8_t>;

namespace {

// The file in `format` (an extension, with or without the dot) of a snapshot of the project. The snapshot is
// taken under the project's lock; encoding runs after the lock is released, so edits continue meanwhile.
Result<Bytes> encode(voxd_engine* engine, voxd_project project, std::string_view format) {
  std::string extension(format.substr(format.starts_with('.') ? 1 : 0));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension.empty()) {
    return voxd::capi::invalid("the format is empty; give an extension such as \"gox\"");
  }
  voxd::core::ProjectState state;
  {
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    state = (*guard)->snapshot();
  }
  using voxd::core::formats::MeshFormat;
  const auto mesh = [&](MeshFormat f) { return voxd::core::formats::export_mesh(state, f); };
  if (extension == "obj") {
    return mesh(MeshFormat::obj);
  }
  if (extension == "ply") {
    return mesh(MeshFormat::ply);
  }
  if (extension == "stl") {
    return mesh(MeshFormat::stl);
  }
  if (extension == "png") {
    return voxd::core::formats::render_png(state, {});
  }
  if (voxd::core::formats::format_for_path(extension) == nullptr) {
    return voxd::core::make_error(voxd::core::ErrorCode::unsupported,
                                  "no file format has the extension '" + extension + "'");
  }
  Bytes out;
  auto report = voxd::core::formats::write_bytes(state, extension, out);
  VOXD_TRY(report);
  return out;
}

// Registers a state read from a file as a new project.
Status add_read_project(voxd_engine* engine, Result<voxd::core::ProjectState> state, std::string name,
                        voxd_project* out) {
  VOXD_TRY(state);
  auto handle = engine->workspace.add_project(std::move(name), std::move(state).value());
  VOXD_TRY(handle);
  *out = handle->value;
  return {};
}

}  // namespace

extern "C" {

VOXD_API voxd_status voxd_project_create(voxd_engine* engine, const char* name, size_t name_len, voxd_project* out,
                                         voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(require(out, "out"));
    auto text = string_arg(name, name_len, VOXD_MAX_NAME_BYTES, "name");
    VOXD_TRY(text);
    auto handle = engine->workspace.create_project(std::string(*text));
    VOXD_TRY(handle);
    *out = handle->value;
    return {};
  });
}

VOXD_API voxd_status voxd_project_close(voxd_engine* engine, voxd_project project, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    return engine->workspace.close_project(voxd::core::ProjectHandle{project});
  });
}

VOXD_API voxd_status voxd_project_open_file(voxd_engine* engine, const char* path, size_t path_len, voxd_project* out,
                                            voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(require(out, "out"));
    auto text = string_arg(path, path_len, VOXD_MAX_PATH_BYTES, "path");
    VOXD_TRY(text);
    const std::string file(*text);
    if (file.empty()) {
      return voxd::capi::invalid("path is empty");
    }
    auto bytes = voxd::fileio::read_file(file, file, {.max_bytes = engine->read_limits.max_file_bytes});
    VOXD_TRY(bytes);
    return add_read_project(engine, voxd::core::formats::read_bytes(*bytes, file, engine->read_limits),
                            std::filesystem::path(file).stem().string(), out);
  });
}

VOXD_API voxd_status voxd_project_open_bytes(voxd_engine* engine, const uint8_t* data, size_t size, const char* name,
                                             size_t name_len, voxd_project* out, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(require(out, "out"));
    auto text = string_arg(name, name_len, VOXD_MAX_NAME_BYTES, "name");
    VOXD_TRY(text);
    if (size > engine->read_limits.max_file_bytes) {
      return voxd::core::make_error(voxd::core::ErrorCode::limit_exceeded,
                                    "the buffer is " + std::to_string(size) + " bytes; max_file_bytes is " +
                                        std::to_string(engine->read_limits.max_file_bytes));
    }
    if (data == nullptr && size != 0) {
      return voxd::capi::invalid("data is NULL with a size of " + std::to_string(size));
    }
    const voxd::core::formats::ByteView bytes(data, size);
    return add_read_project(engine, voxd::core::formats::read_bytes(bytes, *text, engine->read_limits),
                            std::filesystem::path(std::string(*text)).stem().string(), out);
  });
}

VOXD_API voxd_status voxd_project_copy(voxd_engine* engine, voxd_project project, const char* name, size_t name_len,
                                       voxd_project* out, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(out, "out"));
    auto text = string_arg(name, name_len, VOXD_MAX_NAME_BYTES, "name");
    VOXD_TRY(text);
    voxd::core::ProjectState state;
    {
      auto guard = lock_project(engine, project);
      VOXD_TRY(guard);
      state = (*guard)->snapshot();
    }
    return add_read_project(engine, std::move(state), std::string(*text), out);
  });
}

VOXD_API voxd_status voxd_project_save(voxd_engine* engine, voxd_project project, const char* path, size_t path_len,
                                       voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    auto text = string_arg(path, path_len, VOXD_MAX_PATH_BYTES, "path");
    VOXD_TRY(text);
    const std::filesystem::path file{std::string(*text)};
    if (!file.has_filename() || !file.has_extension()) {
      return voxd::capi::invalid("path '" + file.string() + "' has no file name with an extension");
    }
    auto bytes = encode(engine, project, file.extension().string());
    VOXD_TRY(bytes);
    return voxd::fileio::write_file_atomically(file.string(), file.string(), *bytes);
  });
}

VOXD_API voxd_status voxd_project_export(voxd_engine* engine, voxd_project project, const char* format,
                                         size_t format_len, voxd_bytes* out, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(require(out, "out"));
    auto text = string_arg(format, format_len, VOXD_MAX_NAME_BYTES, "format");
    VOXD_TRY(text);
    auto bytes = encode(engine, project, *text);
    VOXD_TRY(bytes);
    return voxd::capi::give_bytes(*bytes, out);
  });
}

VOXD_API voxd_status voxd_project_export_to_buffer(voxd_engine* engine, voxd_project project, const char* format,
                                                   size_t format_len, uint8_t* buffer, size_t capacity,
                                                   size_t* out_size, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require_engine(engine));
    VOXD_TRY(voxd::capi::out_array_arg(buffer, capacity, "buffer"));
    VOXD_TRY(require(out_size, "out_size"));
    auto text = string_arg(format, format_len, VOXD_MAX_NAME_BYTES, "format");
    VOXD_TRY(text);
    auto bytes = encode(engine, project, *text);
    VOXD_TRY(bytes);
    *out_size = bytes->size();
    if (buffer == nullptr) {
      return {};
    }
    if (capacity < bytes->size()) {
      return voxd::core::make_error(
          voxd::core::ErrorCode::limit_exceeded,
          "the buffer holds " + std::to_string(capacity) + " bytes; the file needs " + std::to_string(bytes->size()));
    }
    std::copy(bytes->begin(), bytes->end(), buffer);
    return {};
  });
}

VOXD_API voxd_status voxd_project_get_info(voxd_engine* engine, voxd_project project, voxd_project_info* out,
                                           voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(require(out, "out"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    const voxd::core::Project& p = **guard;
    auto box = voxd::core::bounding_box(p, VOXD_LAYER_VISIBLE);
    VOXD_TRY(box);
    voxd_project_info info{};
    info.struct_size = sizeof(info);
    info.voxel_count = p.voxel_count();
    info.layer_count = p.layers().size();
    info.active_layer_id = p.effective_active_layer_id();
    info.has_bounding_box = box->has_value();
    if (box->has_value()) {
      info.bounding_box = voxd::capi::to_c(**box);
    }
    info.undo_depth = p.undo_depth();
    info.redo_depth = p.redo_depth();
    info.memory_bytes = p.memory_bytes();
    return voxd::capi::versioned_out(out, info, "out");
  });
}

VOXD_API voxd_status voxd_project_get_name(voxd_engine* engine, voxd_project project, char* out, size_t capacity,
                                           size_t* out_len, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    VOXD_TRY(voxd::capi::out_array_arg(out, capacity, "out"));
    VOXD_TRY(require(out_len, "out_len"));
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    voxd::capi::copy_string_out((*guard)->name(), out, capacity, out_len);
    return {};
  });
}

VOXD_API voxd_status voxd_project_undo(voxd_engine* engine, voxd_project project, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    return (*guard)->undo();
  });
}

VOXD_API voxd_status voxd_project_redo(voxd_engine* engine, voxd_project project, voxd_error** error) {
  return guarded(error, [&]() -> Status {
    auto guard = lock_project(engine, project);
    VOXD_TRY(guard);
    return (*guard)->redo();
  });
}

}  // extern "C"
