#include "voxd/fileio/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string_view>

namespace voxd::fileio {
namespace {

using core::ErrorCode;
using core::make_error;

// A file (or, when saving, its directory) that is not there is not_found; what access rules refuse is
// permission_denied; the rest is io.
core::Error io_error(std::string_view what, const std::string& shown, int err) {
  ErrorCode code = ErrorCode::io;
  if (err == ENOENT) {
    code = ErrorCode::not_found;
  } else if (err == EACCES || err == EPERM || err == ELOOP || err == EXDEV) {
    code = ErrorCode::permission_denied;
  }
  return make_error(code, std::string(what) + " '" + shown + "': " + std::strerror(err));
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "a device";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  if (S_ISLNK(mode)) {
    return "a symbolic link";
  }
  return "not a regular file";
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
  // Closes now, reporting the error close() may give (a deferred write failure on some file systems).
  [[nodiscard]] int close() noexcept {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

core::Result<std::vector<std::uint8_t>> read_file(const std::string& path, const std::string& shown,
                                                const ReadOptions& options) {
  return read_file_at(AT_FDCWD, path, shown, options);
}

core::Result<std::vector<std::uint8_t>> read_file_at(int directory, const std::string& name, const std::string& shown,
                                                   const ReadOptions& options) {
  // O_NONBLOCK: opening a FIFO (or some devices) would otherwise wait for a writer; checked below.
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  if (!options.follow_last_symlink) {
    flags |= O_NOFOLLOW;
  }
  const FileDescriptor file(::openat(directory, name.c_str(), flags));  // NOLINT(cppcoreguidelines-pro-type-vararg)
  if (file.get() < 0) {
    return io_error("cannot open", shown, errno);
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) {
    return io_error("cannot stat", shown, errno);
  }
  if (!S_ISREG(info.st_mode)) {
    return make_error(ErrorCode::invalid_argument, "'" + shown + "' is " + kind_of(info.st_mode) +
                                                       ", not a regular file; only regular files are read");
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > options.max_bytes) {
    return make_error(ErrorCode::limit_exceeded, "'" + shown + "' is " + std::to_string(size) + " bytes, over " +
                                                     options.limit_name + " (" + std::to_string(options.max_bytes) +
                                                     ")");
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(file.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return io_error("cannot read", shown, errno);
    }
    if (n == 0) {  // the file shrank meanwhile: what is there is all there is
      bytes.resize(done);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

namespace {

// Writes `bytes` to a fresh temporary file in `directory`, then renames it over `name` and flushes the
// directory. The caller has checked what `name` is now.
core::Status replace_in_directory(int directory, const std::string& name, const std::string& shown,
                                  std::span<const std::uint8_t> bytes) {
  // O_EXCL with a random name rather than mkstemp: mkstemp makes 0600 files, and the file saved should get
  // the usual 0666 & ~umask (reading the umask means setting it, which races with other threads).
  std::random_device random;
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    const std::uint64_t suffix = (std::uint64_t{random()} << 32U) | random();
    temporary = name + ".voxd-" + std::to_string(suffix) + ".tmp";
    fd = ::openat(directory, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);  // NOLINT
    if (fd < 0 && errno != EEXIST) {
      break;
    }
  }
  FileDescriptor file(fd);
  if (file.get() < 0) {
    return io_error("cannot create a temporary file for", shown, errno);
  }
  const auto fail_and_remove = [&](std::string_view what, int err) {
    ::unlinkat(directory, temporary.c_str(), 0);
    return core::Status(io_error(what, shown, err));
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(file.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return fail_and_remove("cannot write", errno);
    }
    done += static_cast<std::size_t>(n);
  }
  // The bytes reach the disk before the name points at them...
  if (::fsync(file.get()) != 0) {
    return fail_and_remove("cannot flush", errno);
  }
  if (file.close() != 0) {
    return fail_and_remove("cannot close", errno);
  }
  if (::renameat(directory, temporary.c_str(), directory, name.c_str()) != 0) {
    return fail_and_remove("cannot rename the temporary file onto", errno);
  }
  // ...and the rename itself is durable once the directory is flushed.
  if (::fsync(directory) != 0) {
    return io_error("saved, but cannot flush the directory of", shown, errno);
  }
  return {};
}

}  // namespace

core::Status write_file_atomically(const std::string& path, const std::string& shown,
                                   std::span<const std::uint8_t> bytes) {
  // By path the target may be a symlink to a regular file (the C ABI's callers name their own files).
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    return make_error(ErrorCode::invalid_argument,
                      "'" + shown + "' is " + kind_of(existing.st_mode) + "; only regular files are replaced");
  }
  const auto slash = path.find_last_of('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const FileDescriptor directory(::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));  // NOLINT
  if (directory.get() < 0) {
    return io_error("cannot open the directory to write", shown, errno);
  }
  return replace_in_directory(directory.get(), name, shown, bytes);
}

namespace {

bool names_one_file(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

core::Status write_file_atomically_at(int directory, const std::string& name, const std::string& shown,
                                      std::span<const std::uint8_t> bytes) {
  if (!names_one_file(name)) {
    return make_error(ErrorCode::invalid_argument, "'" + shown + "' does not name a file");
  }
  struct stat existing {};
  if (::fstatat(directory, name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(existing.st_mode)) {
    return make_error(ErrorCode::invalid_argument,
                      "'" + shown + "' is " + kind_of(existing.st_mode) + "; only regular files are replaced");
  }
  return replace_in_directory(directory, name, shown, bytes);
}

core::Status remove_file_at(int directory, const std::string& name, const std::string& shown) {
  if (!names_one_file(name)) {
    return make_error(ErrorCode::invalid_argument, "'" + shown + "' does not name a file");
  }
  struct stat existing {};
  if (::fstatat(directory, name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) != 0) {
    return io_error("cannot remove", shown, errno);
  }
  if (!S_ISREG(existing.st_mode)) {
    return make_error(ErrorCode::invalid_argument,
                      "'" + shown + "' is " + kind_of(existing.st_mode) + "; only regular files are removed");
  }
  // Should the name be swapped for something else after the check, unlinkat removes that entry, never
  // what a symlink points to, and a directory not at all (flags 0).
  if (::unlinkat(directory, name.c_str(), 0) != 0) {
    return io_error("cannot remove", shown, errno);
  }
  if (::fsync(directory) != 0) {
    return io_error("removed, but cannot flush the directory of", shown, errno);
  }
  return {};
}

}  // namespace voxd::fileio
