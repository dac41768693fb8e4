#include "file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string_view>

namespace voxd::capi {
namespace {

core::Error io_error(std::string_view what, const std::string& path, int err) {
  const core::ErrorCode code = err == ENOENT ? core::ErrorCode::not_found : core::ErrorCode::io;
  return core::make_error(code, std::string(what) + " '" + path + "': " + std::strerror(err));
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

}  // namespace

core::Result<std::vector<std::uint8_t>> read_file(const std::string& path, std::size_t max_bytes) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));  // NOLINT(cppcoreguidelines-pro-type-vararg)
  if (file.get() < 0) {
    return io_error("cannot open", path, errno);
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) {
    return io_error("cannot stat", path, errno);
  }
  if (!S_ISREG(info.st_mode)) {
    return core::make_error(core::ErrorCode::invalid_argument, "'" + path + "' is not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes) {
    return core::make_error(
        core::ErrorCode::limit_exceeded,
        "'" + path + "' is " + std::to_string(size) + " bytes; max_file_bytes is " + std::to_string(max_bytes));
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(file.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return io_error("cannot read", path, errno);
    }
    if (n == 0) {  // the file shrank meanwhile
      bytes.resize(done);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

core::Status write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  // O_EXCL with a random name rather than mkstemp: mkstemp makes 0600 files, and the file saved should get
  // the usual 0666 & ~umask (reading the umask means setting it, which races with other threads).
  std::random_device random;
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    const std::uint64_t suffix = (std::uint64_t{random()} << 32U) | random();
    temporary = path + ".voxd-" + std::to_string(suffix) + ".tmp";
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);  // NOLINT
    if (fd < 0 && errno != EEXIST) {
      break;
    }
  }
  FileDescriptor file(fd);
  if (file.get() < 0) {
    return io_error("cannot create a temporary file for", path, errno);
  }
  const auto fail_and_remove = [&](std::string_view what, int err) {
    ::unlink(temporary.c_str());
    return core::Status(io_error(what, path, err));
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
  if (::fsync(file.get()) != 0) {
    return fail_and_remove("cannot finish", errno);
  }
  if (file.close() != 0) {
    return fail_and_remove("cannot close", errno);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return fail_and_remove("cannot rename the temporary file onto", errno);
  }
  return {};
}

}  // namespace voxd::capi
