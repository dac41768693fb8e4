// What every C ABI function body needs: the noexcept wrapper that turns any failure into a status (and an
// optional voxd_error), validation of raw arguments, and the conversions between C and core types.
// Nothing here is exported; the library is built with hidden visibility and a version script.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "voxd/core/error.hpp"
#include "voxd/core/geometry.hpp"
#include "voxd/core/limits.hpp"
#include "voxd/core/workspace.hpp"
#include "voxd/voxd.h"

// The engine behind a voxd_engine*: the core workspace and the limits of file readers.
struct voxd_engine {
  explicit voxd_engine(const voxd::core::WorkspaceLimits& limits, const voxd::core::ReadLimits& reads)
      : workspace(limits), read_limits(reads) {}
  voxd::core::Workspace workspace;
  voxd::core::ReadLimits read_limits;
};

// A failure handed to the caller.
struct voxd_error {
  voxd_status code = VOXD_ERROR_INTERNAL;
  std::string message;
};

namespace voxd::capi {

using core::ErrorCode;
using core::Status;

// Fills *error (when asked for) and returns the code. Never throws: if the error object itself cannot be
// allocated, *error is null and the code still reports the failure.
voxd_status fail(voxd_error** error, ErrorCode code, std::string_view message) noexcept;
inline voxd_status fail(voxd_error** error, const core::Error& e) noexcept {
  return fail(error, e.code, e.message);
}

// Runs a body returning core::Status and converts the outcome; no exception leaves it.
template <typename Body>
voxd_status guarded(voxd_error** error, Body&& body) noexcept {
  try {
    const Status status = std::forward<Body>(body)();
    return status.ok() ? VOXD_OK : fail(error, status.error());
  } catch (const std::bad_alloc&) {
    return fail(error, ErrorCode::limit_exceeded, "out of memory");
  } catch (const std::exception& e) {
    return fail(error, ErrorCode::internal, e.what());
  } catch (...) {
    return fail(error, ErrorCode::internal, "unknown exception");
  }
}

[[nodiscard]] inline core::Error invalid(std::string message) {
  return core::make_error(ErrorCode::invalid_argument, std::move(message));
}

// A required pointer argument.
template <typename T>
[[nodiscard]] Status require(const T* pointer, std::string_view what) {
  if (pointer == nullptr) {
    return invalid(std::string(what) + " is NULL");
  }
  return {};
}

// A string argument (pointer + length, or VOXD_NUL_TERMINATED read up to max_bytes).
[[nodiscard]] core::Result<std::string_view> string_arg(const char* text, std::size_t length, std::size_t max_bytes,
                                                        std::string_view what);

// An array argument: NULL is allowed only with count 0; count is bounded by the operation limit before the
// array is touched.
[[nodiscard]] Status array_arg(const void* data, std::size_t count, std::int64_t max_count, std::string_view what);
// An out array: NULL only with capacity 0.
[[nodiscard]] Status out_array_arg(const void* out, std::size_t capacity, std::string_view what);

// Input structs that may grow: struct_size must cover at least the first field and at most what this library
// knows. Copies the caller's fields over `defaults`.
template <typename Struct>
[[nodiscard]] core::Result<Struct> versioned_in(const Struct* in, const Struct& defaults, std::string_view what) {
  static_assert(std::is_trivially_copyable_v<Struct>);
  VOXD_TRY(require(in, what));
  if (in->struct_size < sizeof(std::size_t) + 1 || in->struct_size > sizeof(Struct)) {
    return invalid(std::string(what) + ".struct_size is " + std::to_string(in->struct_size) + "; expected " +
                   std::to_string(sizeof(Struct)) + " (sizeof) from this library's voxd.h");
  }
  Struct out = defaults;
  std::memcpy(&out, in, in->struct_size);
  out.struct_size = sizeof(Struct);
  return out;
}

// Output structs that may grow: writes the fields that fit in the caller's struct_size.
template <typename Struct>
[[nodiscard]] Status versioned_out(Struct* out, const Struct& value, std::string_view what) {
  static_assert(std::is_trivially_copyable_v<Struct>);
  VOXD_TRY(require(out, what));
  const std::size_t size = out->struct_size;
  if (size < sizeof(std::size_t)) {
    return invalid(std::string(what) + ".struct_size is " + std::to_string(size) + "; set it to sizeof");
  }
  std::memcpy(out, &value, std::min(size, sizeof(Struct)));
  out->struct_size = size;
  return {};
}

// Hands bytes to the caller as library-owned voxd_bytes (malloc'd; voxd_bytes_free releases them).
[[nodiscard]] Status give_bytes(const std::vector<std::uint8_t>& bytes, voxd_bytes* out);

[[nodiscard]] Status require_engine(const voxd_engine* engine);
// Exclusive access to a project; stale_handle when it is closed.
[[nodiscard]] core::Result<core::ProjectGuard> lock_project(voxd_engine* engine, voxd_project project);
// The largest count one call may pass or return.
[[nodiscard]] std::int64_t operation_limit(const voxd_engine& engine) noexcept;

// ---- conversions ----
[[nodiscard]] inline core::Vec3i to_core(voxd_vec3 v) noexcept {
  return {v.x, v.y, v.z};
}
[[nodiscard]] inline voxd_vec3 to_c(core::Vec3i v) noexcept {
  return {v.x, v.y, v.z};
}
[[nodiscard]] inline core::Color to_core(voxd_color c) noexcept {
  return {c.r, c.g, c.b, c.a};
}
[[nodiscard]] inline voxd_color to_c(core::Color c) noexcept {
  return {c.r, c.g, c.b, c.a};
}
[[nodiscard]] inline voxd_box to_c(const core::Box& b) noexcept {
  return {to_c(b.min), to_c(b.max)};
}
// A box argument: both corners in range and min <= max.
[[nodiscard]] core::Result<core::Box> box_arg(const voxd_box* box, std::string_view what);

// Copies min(count, capacity) converted elements into out and reports the full count.
template <typename In, typename Out, typename Convert>
void copy_out(const In& items, Out* out, std::size_t capacity, std::size_t* out_count, Convert convert) {
  const std::size_t n = std::min(items.size(), capacity);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = convert(items[i]);
  }
  *out_count = items.size();
}

// snprintf-like: at most capacity - 1 bytes and a NUL (nothing when capacity is 0); *out_len = full length.
inline void copy_string_out(std::string_view text, char* out, std::size_t capacity, std::size_t* out_len) noexcept {
  if (capacity > 0) {
    const std::size_t n = std::min(text.size(), capacity - 1);
    std::memcpy(out, text.data(), n);
    out[n] = '\0';
  }
  *out_len = text.size();
}

}  // namespace voxd::capi
