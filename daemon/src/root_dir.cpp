#include "root_dir.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "voxd/fileio/file_io.hpp"

namespace voxd::daemon {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::make_error;
using core::Result;

namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;  // O_RDONLY, not O_PATH: fsync needs it

// A missing directory is not_found whether reading or saving, as fileio (and the C ABI) says it.
core::Error directory_error(const std::string& shown, int err) {
  if (err == EXDEV || err == ELOOP) {
    return make_error(ErrorCode::permission_denied, shown + " leads outside the root");
  }
  if (err == EACCES || err == EPERM) {
    return make_error(ErrorCode::permission_denied, "cannot open the directory of " + shown + ": permission denied");
  }
  const std::string why = std::error_code(err, std::generic_category()).message();
  return make_error(err == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                    "cannot open the directory of " + shown + ": " + why);
}

// The openat2 system call (Linux 5.6+); glibc 2.36 has no wrapper. -1 with errno ENOSYS on older kernels.
int openat2_beneath(int base, const std::string& relative) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(kDirectoryFlags);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  while (true) {
    const long fd = ::syscall(SYS_openat2, base, relative.c_str(), &how, sizeof(how));  // NOLINT(vararg)
    if (fd >= 0 || errno != EINTR) {
      return static_cast<int>(fd);
    }
  }
}

}  // namespace

Result<RootDir> RootDir::open(const fs::path& root, RootOptions options) {
  std::error_code error;
  fs::create_directories(root, error);
  if (error) {
    return make_error(ErrorCode::io, "cannot create the root directory " + root.string() + ": " + error.message());
  }
  fs::path canonical = fs::canonical(root, error);
  if (error) {
    return make_error(ErrorCode::io, "the root " + root.string() + " is not a usable directory");
  }
  UniqueFd fd(::open(canonical.c_str(), kDirectoryFlags));  // NOLINT(cppcoreguidelines-pro-type-vararg)
  if (!fd.valid()) {
    return make_error(ErrorCode::io, "the root " + root.string() + " is not a usable directory: " +
                                         std::error_code(errno, std::generic_category()).message());
  }
  return RootDir(std::move(canonical), std::move(fd), options);
}

std::string RootDir::client_folder(std::string_view identity) {
  if (identity.empty()) {
    return "anonymous";
  }
  // The first ':' separates the kind ("curve:", "uid:"); '/' is a Z85 character but not a file name one.
  std::string folder(identity);
  if (const std::size_t colon = folder.find(':'); colon != std::string::npos) {
    folder[colon] = '-';
  }
  for (char& c : folder) {
    if (c == '/' || c < 0x21 || c > 0x7e) {
      c = '_';
    }
  }
  if (folder.front() == '.') {
    folder.front() = '_';
  }
  return folder;
}

Result<UniqueFd> RootDir::walk_beneath(int base, const fs::path& relative, const std::string& shown) const {
  UniqueFd current(::openat(base, ".", kDirectoryFlags));  // NOLINT(cppcoreguidelines-pro-type-vararg)
  for (const fs::path& part : relative) {
    if (!current.valid()) {
      break;
    }
    const std::string name = part.string();
    if (name.empty() || name == ".") {
      continue;
    }
    UniqueFd next(::openat(current.get(), name.c_str(), kDirectoryFlags | O_NOFOLLOW));  // NOLINT
    if (!next.valid()) {
      const int err = errno;
      struct stat info {};
      if (::fstatat(current.get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(info.st_mode)) {
        return make_error(ErrorCode::permission_denied,
                          shown + " goes through the symlink '" + name +
                              "': without openat2 (Linux 5.6+) symlinks under the root are not followed");
      }
      return directory_error(shown, err);
    }
    current = std::move(next);
  }
  if (!current.valid()) {
    return directory_error(shown, errno);
  }
  return current;
}

Result<UniqueFd> RootDir::open_beneath(int base, const std::string& relative, const std::string& shown) const {
  if (options_.use_openat2) {
    UniqueFd fd(openat2_beneath(base, relative));
    if (fd.valid()) {
      return fd;
    }
    if (errno != ENOSYS) {
      return directory_error(shown, errno);
    }
  }
  return walk_beneath(base, fs::path(relative), shown);
}

Result<RootDir::Located> RootDir::locate(std::string_view requested, std::string_view identity) const {
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
  // The directory this client's paths start from: the root, or its own folder in it (made on first use).
  fs::path base_path = root_;
  UniqueFd client_base;
  int base = fd_.get();
  if (options_.per_client) {
    const std::string folder = client_folder(identity);
    base_path /= folder;
    if (::mkdirat(fd_.get(), folder.c_str(), 0700) != 0 && errno != EEXIST) {
      return directory_error(base_path.string(), errno);
    }
    client_base = UniqueFd(::openat(fd_.get(), folder.c_str(), kDirectoryFlags | O_NOFOLLOW));  // NOLINT
    if (!client_base.valid()) {
      return directory_error(base_path.string(), errno);
    }
    base = client_base.get();
  }
  // Absolute paths are accepted only inside that directory, compared by name (the root is canonical).
  fs::path relative = path;
  if (path.is_absolute()) {
    relative = path.lexically_normal().lexically_relative(base_path);
    if (relative.empty() || *relative.begin() == "..") {
      return make_error(ErrorCode::permission_denied, path.string() + " is outside the root " + base_path.string());
    }
  }
  relative = relative.lexically_normal();
  if (relative.empty() || relative == "." || !relative.has_filename()) {
    return make_error(ErrorCode::permission_denied, path.string() + " names a directory, not a file below the root");
  }
  const fs::path shown = base_path / relative;
  const fs::path parent = relative.parent_path();
  auto directory =
      parent.empty() ? open_beneath(base, ".", shown.string()) : open_beneath(base, parent.string(), shown.string());
  VOXD_TRY(directory);
  std::string name = relative.filename().string();
  struct stat info {};
  if (::fstatat(directory->get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(info.st_mode)) {
    // Neither followed nor replaced (the opens below use O_NOFOLLOW too, should one appear after this check).
    return make_error(ErrorCode::permission_denied,
                      path.string() + " is a symlink; a file's own name is never followed");
  }
  return Located{std::move(directory).value(), std::move(name), shown};
}

Result<fs::path> RootDir::resolve(std::string_view requested, std::string_view identity) const {
  auto located = locate(requested, identity);
  VOXD_TRY(located);
  return std::move(located->shown);
}

Result<std::vector<std::uint8_t>> RootDir::read_file(std::string_view requested, std::size_t max_bytes,
                                                     std::string_view identity) const {
  auto located = locate(requested, identity);
  VOXD_TRY(located);
  // The name itself must not be a symlink: it is looked up in a directory known to be below the root, and
  // a link there could point anywhere.
  return fileio::read_file_at(located->directory.get(), located->name, std::string(requested),
                              {.max_bytes = max_bytes, .limit_name = "max_file_bytes", .follow_last_symlink = false});
}

Result<fs::path> RootDir::write_file(std::string_view requested, std::span<const std::uint8_t> bytes,
                                     std::string_view identity) const {
  auto located = locate(requested, identity);
  VOXD_TRY(located);
  VOXD_TRY(fileio::write_file_atomically_at(located->directory.get(), located->name, std::string(requested), bytes));
  return std::move(located->shown);
}

Result<fs::path> RootDir::remove_file(std::string_view requested, std::string_view identity) const {
  auto located = locate(requested, identity);
  VOXD_TRY(located);
  VOXD_TRY(fileio::remove_file_at(located->directory.get(), located->name, std::string(requested)));
  return std::move(located->shown);
}

}  // namespace voxd::daemon
