#include "root_dir.hpp"

#include <string>
#include <system_error>

#include "voxd/fileio/file_io.hpp"

namespace voxd::daemon {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::make_error;
using core::Result;

Result<RootDir> RootDir::open(const fs::path& root) {
  std::error_code error;
  fs::create_directories(root, error);
  if (error) {
    return make_error(ErrorCode::io, "cannot create the root directory " + root.string() + ": " + error.message());
  }
  fs::path canonical = fs::canonical(root, error);
  if (error || !fs::is_directory(canonical, error)) {
    return make_error(ErrorCode::io, "the root " + root.string() + " is not a usable directory");
  }
  return RootDir(std::move(canonical));
}

bool RootDir::inside(const fs::path& canonical) const {
  auto root_it = root_.begin();
  auto path_it = canonical.begin();
  for (; root_it != root_.end(); ++root_it, ++path_it) {
    if (path_it == canonical.end() || *path_it != *root_it) {
      return false;
    }
  }
  return true;
}

Result<fs::path> RootDir::resolve(std::string_view requested) const {
  if (requested.empty()) {
    return make_error(ErrorCode::invalid_argument, "the path is empty");
  }
  if (requested.size() > 4096 || requested.find('\0') != std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument, "the path is too long or holds a NUL byte");
  }
  const fs::path path{std::string(requested)};
  for (const fs::path& part : path) {
    if (part == "..") {
      return make_error(ErrorCode::permission_denied, "'..' is not allowed in paths (" + path.string() + ")");
    }
  }
  fs::path full = path.is_absolute() ? path : root_ / path;
  if (!inside(full.lexically_normal())) {
    return make_error(ErrorCode::permission_denied, path.string() + " is outside the root " + root_.string());
  }
  // Resolves every symlink of the part that exists: a link pointing out of the root is refused.
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(full, error);
  if (error) {
    return make_error(ErrorCode::io, "cannot resolve " + path.string() + ": " + error.message());
  }
  if (!inside(canonical) || canonical == root_) {
    return make_error(ErrorCode::permission_denied, path.string() + " leads outside the root " + root_.string());
  }
  return canonical;
}

Result<std::vector<std::uint8_t>> RootDir::read_file(std::string_view requested, std::size_t max_bytes) const {
  auto path = resolve(requested);
  VOXD_TRY(path);
  // The last component must not be a symlink: resolve() checked where links lead, and a link swapped in
  // meanwhile must not be followed out of the root.
  return fileio::read_file(path->string(), std::string(requested),
                           {.max_bytes = max_bytes, .limit_name = "max_file_bytes", .follow_last_symlink = false});
}

Result<fs::path> RootDir::write_file(std::string_view requested, std::span<const std::uint8_t> bytes) const {
  auto path = resolve(requested);
  VOXD_TRY(path);
  VOXD_TRY(fileio::write_file_atomically(path->string(), std::string(requested), bytes));
  return std::move(path).value();
}

}  // namespace voxd::daemon
