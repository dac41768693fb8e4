#include "sha256.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace voxd::daemon {

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  // sodium_init is idempotent and thread-safe; crypto_hash_sha256 has one implementation, but libsodium asks
  // for the call before any other.
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not be initialised");
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return {hex.data(), crypto_hash_sha256_BYTES * 2};
}

}  // namespace voxd::daemon
