#include "curve_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <system_error>

#include "voxd/fileio/file_io.hpp"

namespace voxd::daemon {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::make_error;
using core::Result;

namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
constexpr std::size_t kMaxCertificateBytes = 64 * 1024;
constexpr std::size_t kMaxClientFiles = 100000;

bool is_zpl_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("$-_@.&+/").find(c) != std::string_view::npos;
}

core::Error zpl_error(const std::string& shown, std::size_t line, const std::string& what) {
  return make_error(ErrorCode::invalid_argument,
                    "certificate " + shown + " line " + std::to_string(line) + ": " + what);
}

// ZPL (czmq's config text, rfc.zeromq.org/spec/4): one `name` or `name = value` per line, children indented
// four spaces deeper than their parent, `#` comments. Returns "parent/child" paths with their values.
Result<std::map<std::string, std::string>> parse_zpl(std::string_view text, const std::string& shown) {
  std::map<std::string, std::string> values;
  std::vector<std::string> parents;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') {
      ++indent;
    }
    if (indent == line.size() || line[indent] == '#') {
      continue;  // blank or comment
    }
    if (line[indent] == '\t') {
      return zpl_error(shown, line_number, "indent with spaces, not tabs");
    }
    if (indent % 4 != 0 || indent / 4 > parents.size()) {
      return zpl_error(shown, line_number, "indentation must be four spaces per level below a parent");
    }
    parents.resize(indent / 4);
    std::size_t i = indent;
    while (i < line.size() && is_zpl_name_char(line[i])) {
      ++i;
    }
    const std::string name(line.substr(indent, i - indent));
    if (name.empty()) {
      return zpl_error(shown, line_number, "expected a name");
    }
    const auto skip_spaces = [&] {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
      }
    };
    skip_spaces();
    std::string value;
    if (i < line.size() && line[i] == '=') {
      ++i;
      skip_spaces();
      if (i < line.size() && (line[i] == '"' || line[i] == '\'')) {
        const char quote = line[i];
        const std::size_t close = line.find(quote, i + 1);
        if (close == std::string_view::npos) {
          return zpl_error(shown, line_number, "unterminated quoted value");
        }
        value = std::string(line.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '#') {
          ++i;
        }
        value = std::string(line.substr(start, i - start));
      }
      skip_spaces();
    }
    if (i < line.size() && line[i] != '#') {
      return zpl_error(shown, line_number, "unexpected text after '" + name + "'");
    }
    std::string path;
    for (const std::string& parent : parents) {
      path += parent + "/";
    }
    path += name;
    if (!value.empty() && !values.emplace(path, value).second) {
      return zpl_error(shown, line_number, "'" + path + "' is given twice");
    }
    parents.push_back(name);
  }
  return values;
}

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message();
}

core::Status write_new_file(const fs::path& path, const std::string& text, mode_t mode) {
  // O_EXCL: never replace an existing key; O_NOFOLLOW: never write through a planted symlink.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);  // NOLINT
  if (fd < 0) {
    const int err = errno;
    return make_error(err == EEXIST ? ErrorCode::invalid_argument : ErrorCode::io,
                      "cannot create " + path.string() + ": " + errno_text(err) +
                          (err == EEXIST ? " (remove it first: keys are never overwritten)" : ""));
  }
  bool ok = ::fchmod(fd, mode) == 0;  // the umask may have narrowed a public file; never widens a secret one
  std::size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0;
    done += ok ? static_cast<std::size_t>(n) : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  const int err = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return make_error(ErrorCode::io, "cannot write " + path.string() + ": " + errno_text(err));
  }
  return {};
}

}  // namespace

core::Status check_z85_key(std::string_view text, std::string_view what) {
  if (text.size() != kCurveKeyZ85Chars) {
    return make_error(ErrorCode::invalid_argument, std::string(what) + " must be " +
                                                       std::to_string(kCurveKeyZ85Chars) +
                                                       " Z85 characters, got " + std::to_string(text.size()));
  }
  for (const char c : text) {
    if (kZ85Alphabet.find(c) == std::string_view::npos) {
      return make_error(ErrorCode::invalid_argument,
                        std::string(what) + " holds a character that is not Z85 (byte " +
                            std::to_string(static_cast<unsigned char>(c)) + ")");
    }
  }
  std::array<std::uint8_t, kCurveKeyBytes> bytes{};
  const std::string copy(text);
  if (zmq_z85_decode(bytes.data(), copy.c_str()) == nullptr) {
    return make_error(ErrorCode::invalid_argument, std::string(what) + " is not a valid Z85 key");
  }
  return {};
}

Result<std::vector<std::uint8_t>> decode_z85_key(std::string_view text, std::string_view what) {
  VOXD_TRY(check_z85_key(text, what));
  std::vector<std::uint8_t> bytes(kCurveKeyBytes);
  const std::string copy(text);
  (void)zmq_z85_decode(bytes.data(), copy.c_str());
  return bytes;
}

std::string encode_z85_key(const std::uint8_t* bytes) {
  std::array<char, kCurveKeyZ85Chars + 1> text{};
  (void)zmq_z85_encode(text.data(), bytes, kCurveKeyBytes);
  return {text.data(), kCurveKeyZ85Chars};
}

Result<CurveCertificate> parse_certificate(std::string_view text, const std::string& shown, bool need_secret) {
  auto values = parse_zpl(text, shown);
  VOXD_TRY(values);
  CurveCertificate certificate;
  if (auto it = values->find("curve/public-key"); it != values->end()) {
    certificate.public_key = it->second;
    VOXD_TRY(check_z85_key(certificate.public_key, "the public-key of " + shown));
  }
  if (auto it = values->find("curve/secret-key"); it != values->end()) {
    certificate.secret_key = it->second;
    VOXD_TRY(check_z85_key(certificate.secret_key, "the secret-key of " + shown));
  }
  if (need_secret) {
    if (certificate.secret_key.empty()) {
      return make_error(ErrorCode::invalid_argument,
                        "certificate " + shown + " holds no curve secret-key (is it the public .pub file?)");
    }
    std::array<char, kCurveKeyZ85Chars + 1> derived{};
    if (zmq_curve_public(derived.data(), certificate.secret_key.c_str()) != 0) {
      return make_error(ErrorCode::invalid_argument,
                        "cannot derive the public key of " + shown + " (libzmq built without CURVE?)");
    }
    const std::string derived_key(derived.data(), kCurveKeyZ85Chars);
    if (!certificate.public_key.empty() && certificate.public_key != derived_key) {
      return make_error(ErrorCode::invalid_argument,
                        "certificate " + shown + ": its public-key does not belong to its secret-key");
    }
    certificate.public_key = derived_key;
  }
  if (certificate.public_key.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "certificate " + shown + " holds no 'curve' section with a public-key");
  }
  return certificate;
}

Result<CurveCertificate> read_certificate(const fs::path& path, bool need_secret) {
  auto bytes = fileio::read_file(path.string(), path.string(),
                                 {.max_bytes = kMaxCertificateBytes, .limit_name = "the certificate limit (64 KiB)"});
  VOXD_TRY(bytes);
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());  // NOLINT: bytes as text
  return parse_certificate(text, path.string(), need_secret);
}

Result<CurveCertificate> generate_certificate() {
  std::array<char, kCurveKeyZ85Chars + 1> public_key{};
  std::array<char, kCurveKeyZ85Chars + 1> secret_key{};
  if (zmq_curve_keypair(public_key.data(), secret_key.data()) != 0) {
    return make_error(ErrorCode::internal, "libzmq cannot make CURVE keys (built without CURVE?)");
  }
  return CurveCertificate{std::string(public_key.data(), kCurveKeyZ85Chars),
                          std::string(secret_key.data(), kCurveKeyZ85Chars)};
}

std::string certificate_text(const CurveCertificate& certificate, bool with_secret) {
  std::array<char, 32> date{};
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  (void)std::strftime(date.data(), date.size(), "%Y-%m-%d %H:%M:%S", &utc);
  std::string text = "#   ****  Generated on " + std::string(date.data()) + " by voxctl keygen  ****\n";
  if (with_secret) {
    text +=
        "#   ZeroMQ CURVE **Secret** Certificate\n"
        "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n";
  } else {
    text +=
        "#   ZeroMQ CURVE Public Certificate\n"
        "#   Exchange securely, or use a secure mechanism to verify the contents\n"
        "#   of this file after exchange.\n";
  }
  text += "\nmetadata\ncurve\n    public-key = \"" + certificate.public_key + "\"\n";
  if (with_secret) {
    text += "    secret-key = \"" + certificate.secret_key + "\"\n";
  }
  return text;
}

core::Status write_certificate_pair(const fs::path& path, const CurveCertificate& certificate) {
  fs::path public_path = path;
  public_path += ".pub";
  for (const fs::path& target : {path, public_path}) {
    struct stat existing {};
    if (::lstat(target.c_str(), &existing) == 0) {
      return make_error(ErrorCode::invalid_argument,
                        target.string() + " exists (remove it first: keys are never overwritten)");
    }
  }
  VOXD_TRY(write_new_file(path, certificate_text(certificate, true), 0600));
  if (auto written = write_new_file(public_path, certificate_text(certificate, false), 0644); !written) {
    ::unlink(path.c_str());
    return written;
  }
  return {};
}

Result<ClientKeys> load_client_keys(const fs::path& directory) {
  std::error_code error;
  fs::directory_iterator it(directory, error);
  if (error) {
    return make_error(ErrorCode::io, "cannot read the clients directory " + directory.string() + ": " +
                                         error.message());
  }
  ClientKeys result;
  std::size_t files = 0;
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) {
      return make_error(ErrorCode::io, "cannot read the clients directory " + directory.string() + ": " +
                                           error.message());
    }
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    if (name.empty() || name.front() == '.' || !it->is_regular_file(error)) {
      continue;  // hidden files (editors' swap files), subdirectories, sockets ...
    }
    if (++files > kMaxClientFiles) {
      result.problems.push_back("more than " + std::to_string(kMaxClientFiles) + " files; the rest are ignored");
      break;
    }
    auto certificate = read_certificate(path, false);
    if (!certificate) {
      result.problems.push_back(certificate.error().message);
      continue;
    }
    result.keys.insert(std::move(certificate->public_key));
  }
  return result;
}

}  // namespace voxd::daemon
