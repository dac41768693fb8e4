#include "endpoint.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace voxd::daemon {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::make_error;

fs::path default_runtime_dir() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");  // NOLINT(concurrency-mt-unsafe): read before threads start
  if (xdg != nullptr && xdg[0] == '/') {
    return fs::path(xdg) / "voxd";
  }
  return fs::path("/tmp") / ("voxd-" + std::to_string(::getuid()));
}

std::string default_endpoint() {
  return "ipc://" + (default_runtime_dir() / "voxd.sock").string();
}

std::string client_default_endpoint() {
  const char* env = std::getenv("VOXD_ENDPOINT");  // NOLINT(concurrency-mt-unsafe)
  if (env != nullptr && env[0] != '\0') {
    return env;
  }
  return default_endpoint();
}

core::Status make_private_dir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return make_error(ErrorCode::io, "cannot create " + dir.string() + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0) {
    return make_error(ErrorCode::io, "cannot inspect " + dir.string() + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(info.st_mode)) {
    return make_error(ErrorCode::permission_denied, dir.string() + " is not a directory (a symlink?)");
  }
  if (info.st_uid != ::getuid()) {
    return make_error(ErrorCode::permission_denied, dir.string() + " belongs to another user");
  }
  if ((info.st_mode & 0077U) != 0 && ::chmod(dir.c_str(), 0700) != 0) {
    return make_error(ErrorCode::io, "cannot make " + dir.string() + " private: " + std::strerror(errno));
  }
  return {};
}

}  // namespace voxd::daemon
