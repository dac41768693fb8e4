#include "voxd/core/error.hpp"

namespace voxd::core {

std::string_view error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::ok: return "ok";
    case ErrorCode::invalid_argument: return "invalid argument";
    case ErrorCode::not_found: return "not found";
    case ErrorCode::stale_handle: return "stale handle";
    case ErrorCode::limit_exceeded: return "limit exceeded";
    case ErrorCode::io: return "i/o error";
    case ErrorCode::format: return "format error";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::permission_denied: return "permission denied";
    case ErrorCode::protocol: return "protocol error";
    case ErrorCode::internal: return "internal error";
    case ErrorCode::nothing_to_do: return "nothing to do";
    case ErrorCode::busy: return "busy";
  }
  return "unknown error";
}

}  // namespace voxd::core
