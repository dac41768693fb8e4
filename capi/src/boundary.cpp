#include "boundary.hpp"

#include <cstdlib>
#include <cstring>

#include <gsl/pointers>
#include <string>

namespace voxd::capi {

voxd_status fail(voxd_error** error, ErrorCode code, std::string_view message) noexcept {
  const auto status = static_cast<voxd_status>(code);
  if (error != nullptr) {
    try {
      *error = new voxd_error{status, std::string(message)};  // NOLINT(cppcoreguidelines-owning-memory)
    } catch (...) {
      *error = nullptr;
    }
  }
  return status;
}

core::Result<std::string_view> string_arg(const char* text, std::size_t length, std::size_t max_bytes,
                                          std::string_view what) {
  VOXD_TRY(require(text, what));
  if (length == VOXD_NUL_TERMINATED) {
    // Bounded: a missing terminator is found within max_bytes + 1 bytes, never by reading on.
    const void* nul = std::memchr(text, '\0', max_bytes + 1);
    if (nul == nullptr) {
      return invalid(std::string(what) + " has no NUL terminator within " + std::to_string(max_bytes) + " bytes");
    }
    length = static_cast<std::size_t>(static_cast<const char*>(nul) - text);
  } else if (length > max_bytes) {
    return core::make_error(ErrorCode::invalid_argument, std::string(what) + " is " + std::to_string(length) +
                                                             " bytes; at most " + std::to_string(max_bytes));
  }
  const std::string_view view(text, length);
  if (view.find('\0') != std::string_view::npos) {
    return invalid(std::string(what) + " contains a NUL byte at " + std::to_string(view.find('\0')));
  }
  return view;
}

Status array_arg(const void* data, std::size_t count, std::int64_t max_count, std::string_view what) {
  if (count > static_cast<std::uint64_t>(max_count)) {
    return core::make_error(ErrorCode::limit_exceeded, std::string(what) + ": " + std::to_string(count) +
                                                           " elements exceed max_voxels_per_operation (" +
                                                           std::to_string(max_count) + ")");
  }
  if (data == nullptr && count != 0) {
    return invalid(std::string(what) + " is NULL with a count of " + std::to_string(count));
  }
  return {};
}

Status out_array_arg(const void* out, std::size_t capacity, std::string_view what) {
  if (out == nullptr && capacity != 0) {
    return invalid(std::string(what) + " is NULL with a capacity of " + std::to_string(capacity));
  }
  return {};
}

Status give_bytes(const std::vector<std::uint8_t>& bytes, voxd_bytes* out) {
  VOXD_TRY(require(out, "out"));
  // malloc(0) may return NULL; one spare byte keeps "data != NULL on success" true for empty outputs.
  const gsl::owner<std::uint8_t*> data =
      static_cast<std::uint8_t*>(std::malloc(bytes.empty() ? 1 : bytes.size()));  // NOLINT(cppcoreguidelines-no-malloc)
  if (data == nullptr) {
    return core::make_error(ErrorCode::limit_exceeded,
                            "out of memory allocating " + std::to_string(bytes.size()) + " bytes");
  }
  if (!bytes.empty()) {
    std::memcpy(data, bytes.data(), bytes.size());
  }
  out->data = data;
  out->size = bytes.size();
  return {};
}

Status require_engine(const voxd_engine* engine) {
  return require(engine, "engine");
}

core::Result<core::ProjectGuard> lock_project(voxd_engine* engine, voxd_project project) {
  VOXD_TRY(require_engine(engine));
  return engine->workspace.lock(core::ProjectHandle{project});
}

std::int64_t operation_limit(const voxd_engine& engine) noexcept {
  return engine.workspace.limits().project.max_voxels_per_operation;
}

core::Result<core::Box> box_arg(const voxd_box* box, std::string_view what) {
  VOXD_TRY(require(box, what));
  const core::Box b{to_core(box->min), to_core(box->max)};
  if (!core::in_coord_range(b)) {
    return invalid(std::string(what) + " " + core::to_string(b) +
                   " is not a box with min <= max and coordinates within +-2^30");
  }
  return b;
}

}  // namespace voxd::capi
