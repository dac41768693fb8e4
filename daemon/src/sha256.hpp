// The SHA-256 digest of a file's bytes, as FileWritten reports it (libsodium's crypto_hash_sha256).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace voxd::daemon {

// 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::span<const std::uint8_t> bytes);

}  // namespace voxd::daemon
