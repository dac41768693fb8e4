// Version, status names, error objects and library-owned bytes: the functions that need no engine.
#include "boundary.hpp"

#include <cstdlib>

#include <gsl/pointers>

// Stringified at compile time so voxd_version_string() needs no storage of its own.
#define VOXD_STRINGIFY_(x) #x
#define VOXD_STRINGIFY(x) VOXD_STRINGIFY_(x)

extern "C" {

VOXD_API uint32_t voxd_version(void) {
  return VOXD_VERSION_NUMBER;
}

VOXD_API const char* voxd_version_string(void) {
  return VOXD_STRINGIFY(VOXD_VERSION_MAJOR) "." VOXD_STRINGIFY(VOXD_VERSION_MINOR) "." VOXD_STRINGIFY(
      VOXD_VERSION_PATCH);
}

VOXD_API const char* voxd_status_name(voxd_status status) {
  // error_code_name returns literals, so data() is NUL-terminated.
  return voxd::core::error_code_name(static_cast<voxd::core::ErrorCode>(status)).data();
}

VOXD_API voxd_status voxd_error_code(const voxd_error* error) {
  return error == nullptr ? VOXD_ERROR_INVALID_ARGUMENT : error->code;
}

VOXD_API const char* voxd_error_message(const voxd_error* error) {
  return error == nullptr ? "" : error->message.c_str();
}

VOXD_API void voxd_error_free(voxd_error** error) {
  if (error == nullptr) {
    return;
  }
  const gsl::owner<voxd_error*> owned = *error;
  *error = nullptr;
  delete owned;  // NOLINT(cppcoreguidelines-owning-memory): the boundary's owning pointer
}

VOXD_API void voxd_bytes_free(voxd_bytes* bytes) {
  if (bytes == nullptr) {
    return;
  }
  const gsl::owner<uint8_t*> owned = bytes->data;
  bytes->data = nullptr;
  bytes->size = 0;
  std::free(owned);  // NOLINT(cppcoreguidelines-no-malloc): allocated with malloc in make_bytes
}

}  // extern "C"
