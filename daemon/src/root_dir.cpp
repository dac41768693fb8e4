#include "root_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace voxd::daemon {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::make_error;
using core::Result;

namespace {

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// Closes a file descriptor on every path out of a function.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&&) = delete;
  FileDescriptor& operator=(FileDescriptor&&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  [[nodiscard]] int get() const noexcept { return fd_; }
  // Closes now and reports the error close() may carry for writes.
  int close() noexcept {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

}  // namespace

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
  if (!path) {
    return std::move(path).error();
  }
  FileDescriptor fd(::open(path->c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    const int error = errno;
    return make_error(error == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                      "cannot open " + std::string(requested) + ": " + errno_text(error));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return make_error(ErrorCode::io, std::string(requested) + " is not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes) {
    return make_error(ErrorCode::limit_exceeded, std::string(requested) + " is " + std::to_string(size) +
                                                     " bytes, over the file size limit of " +
                                                     std::to_string(max_bytes));
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return make_error(ErrorCode::io, "cannot read " + std::string(requested) + ": " +
                                           (n < 0 ? errno_text(errno) : std::string("file shrank")));
    }
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

Result<fs::path> RootDir::write_file(std::string_view requested, std::span<const std::uint8_t> bytes) const {
  auto path = resolve(requested);
  if (!path) {
    return std::move(path).error();
  }
  std::string temp = path->string() + ".voxd-XXXXXX";
  FileDescriptor fd(::mkstemp(temp.data()));
  if (fd.get() < 0) {
    return make_error(ErrorCode::io, "cannot write " + std::string(requested) + ": " + errno_text(errno));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int error = errno;
      ::unlink(temp.c_str());
      return make_error(ErrorCode::io, "cannot write " + std::string(requested) + ": " + errno_text(error));
    }
    done += static_cast<std::size_t>(n);
  }
  ::fchmod(fd.get(), 0644);
  if (fd.close() != 0 || ::rename(temp.c_str(), path->c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return make_error(ErrorCode::io, "cannot write " + std::string(requested) + ": " + errno_text(error));
  }
  return std::move(path).value();
}

}  // namespace voxd::daemon
