// One error enum for core, the C ABI and the protocol, and the [[nodiscard]] result type every
// fallible core function returns. Values are stable: the C ABI and the wire protocol mirror them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace voxd::core {

enum class ErrorCode : std::int32_t {
  ok = 0,
  invalid_argument = 1,   // a value the caller passed is out of range or malformed
  not_found = 2,          // a named thing (layer, file, colour) does not exist
  stale_handle = 3,       // the project handle was closed (or never existed)
  limit_exceeded = 4,     // a configured limit would be exceeded; nothing was changed
  io = 5,                 // the operating system refused a read or write
  format = 6,             // a file or buffer is not valid in its format
  unsupported = 7,        // valid, but not something voxd can do (e.g. a newer file version)
  permission_denied = 8,  // a path escapes the configured root
  protocol = 9,           // a wire message failed verification
  internal = 10,          // a bug in voxd; the message says where
  nothing_to_do = 11,     // undo/redo with an empty history
  busy = 12,              // the daemon is shutting down or overloaded
};

// The stable lowercase name of a code, e.g. "stale handle".
[[nodiscard]] std::string_view error_code_name(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
};

[[nodiscard]] inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

// A value or an error, like std::expected (C++23). Holding an error and asking for the value is a bug,
// so value() on an error is checked in every build (it terminates rather than read garbage).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  [[nodiscard]] const Error& error() const& { return std::get<1>(state_); }
  [[nodiscard]] Error&& error() && { return std::get<1>(std::move(state_)); }
  [[nodiscard]] ErrorCode code() const noexcept { return ok() ? ErrorCode::ok : std::get<1>(state_).code; }

 private:
  std::variant<T, Error> state_;
};

// Success or an error, for functions with nothing to return.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] static Status success() { return {}; }

  [[nodiscard]] bool ok() const noexcept { return error_.code == ErrorCode::ok; }
  explicit operator bool() const noexcept { return ok(); }
  [[nodiscard]] const Error& error() const& noexcept { return error_; }
  [[nodiscard]] Error&& error() && noexcept { return std::move(error_); }
  [[nodiscard]] ErrorCode code() const noexcept { return error_.code; }

 private:
  Error error_{ErrorCode::ok, {}};
};

}  // namespace voxd::core

// Early return of the error of a Status or Result: a temporary (VOXD_TRY(f(x))) or a named result checked
// before its value is used (auto r = f(x); VOXD_TRY(r); use *r). The error is moved out, never copied, and
// the value is left alone.
#define VOXD_TRY(expr) VOXD_TRY_IMPL_(expr, VOXD_TRY_NAME_(__COUNTER__))
// A name of its own per use, so a VOXD_TRY inside a lambda inside another's argument shadows nothing.
#define VOXD_TRY_NAME_(n) VOXD_TRY_CONCAT_(voxd_try_result_, n)
#define VOXD_TRY_CONCAT_(a, b) a##b
// `name` is the identifier being declared, which cannot be parenthesised (hence the NOLINTs).
#define VOXD_TRY_IMPL_(expr, name)                                 \
  do {                                                             \
    auto&& name = (expr); /* NOLINT(bugprone-macro-parentheses) */ \
    if (!name.ok()) {     /* NOLINT(bugprone-macro-parentheses) */ \
      return ::voxd::core::Error(std::move(name).error());         \
    }                                                              \
  } while (false)
