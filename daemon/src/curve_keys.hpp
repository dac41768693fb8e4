// CURVE keys and the certificate files that hold them, in czmq's format (ZPL text), so keys made with
// czmq's tools (zcert_save) and with `voxctl keygen` are interchangeable:
//
//   metadata
//   curve
//       public-key = "<40 Z85 characters>"
//       secret-key = "<40 Z85 characters>"      (secret files only)
//
// Every file read here is untrusted: size-bounded, parsed strictly, each key checked to be 40 valid Z85
// characters, with errors naming the file and the line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "voxd/core/error.hpp"

namespace voxd::daemon {

inline constexpr std::size_t kCurveKeyBytes = 32;
inline constexpr std::size_t kCurveKeyZ85Chars = 40;

// Keys are kept as their Z85 text (what the files, the options and the logs show).
struct CurveCertificate {
  std::string public_key;
  std::string secret_key;  // empty in a public certificate
};

// Checks `text` is a Z85-encoded 32-byte key; `what` names it in the error ("--curve-server-key").
[[nodiscard]] core::Status check_z85_key(std::string_view text, std::string_view what);
// The 32 bytes of a checked Z85 key.
[[nodiscard]] core::Result<std::vector<std::uint8_t>> decode_z85_key(std::string_view text, std::string_view what);
// The Z85 text of 32 key bytes (a ZAP request carries the client's key in binary).
[[nodiscard]] std::string encode_z85_key(const std::uint8_t* bytes);

// Parses a certificate's text; `shown` names the file in errors. The public key is required; so is the
// secret key when `need_secret`, and then a public key given alongside must be the secret's.
[[nodiscard]] core::Result<CurveCertificate> parse_certificate(std::string_view text, const std::string& shown,
                                                               bool need_secret);
// Reads and parses a certificate file (a regular file of at most 64 KiB).
[[nodiscard]] core::Result<CurveCertificate> read_certificate(const std::filesystem::path& path, bool need_secret);

// A new key pair (libzmq's zmq_curve_keypair, from libsodium's random source).
[[nodiscard]] core::Result<CurveCertificate> generate_certificate();
// The certificate's text: with the secret key when `with_secret` (czmq's layout and comments).
[[nodiscard]] std::string certificate_text(const CurveCertificate& certificate, bool with_secret);
// Writes `path` (secret, mode 0600) and `path`.pub (public, 0644). Refuses to replace an existing file.
[[nodiscard]] core::Status write_certificate_pair(const std::filesystem::path& path,
                                                  const CurveCertificate& certificate);

// The allowed client keys: the public key of every certificate file in a directory (hidden files and
// anything that is not a regular file are skipped). A file that does not parse is reported in `problems`
// and contributes no key.
struct ClientKeys {
  std::set<std::string> keys;  // Z85
  std::vector<std::string> problems;
};
[[nodiscard]] core::Result<ClientKeys> load_client_keys(const std::filesystem::path& directory);

}  // namespace voxd::daemon
