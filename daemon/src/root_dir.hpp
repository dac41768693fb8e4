// The daemon's file sandbox: every path in a request is resolved below --root, through a directory
// descriptor opened once at start, so nothing done to the tree meanwhile (a folder swapped for a symlink
// between a check and the open) can make a file operation leave it. A request's directory is opened with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) from the root's descriptor — symlinks that stay below the
// root are followed, any step out (an absolute symlink, `..` above the root, /proc magic links) fails — and
// where the kernel has no openat2 (before Linux 5.6, ENOSYS), by a walk of one O_NOFOLLOW openat per
// component, which follows no symlink at all. The file itself is then opened, or written through a temporary
// file, relative to that directory with O_NOFOLLOW (fileio's *_at functions). Leaving the root is
// permission_denied.
//
// With --root-per-client each client identity (a CURVE key, an ipc uid, or anonymous) gets its own subfolder
// of the root, made on first use, and its paths are resolved below that folder instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "unique_fd.hpp"
#include "voxd/core/error.hpp"

namespace voxd::daemon {

struct RootOptions {
  bool per_client = false;  // --root-per-client
  bool use_openat2 = true;  // false: always the O_NOFOLLOW walk (so tests cover the older kernels' path)
};

class RootDir {
 public:
  // Creates the directory (and parents) if missing and opens it; fails if it cannot be made or opened.
  [[nodiscard]] static core::Result<RootDir> open(const std::filesystem::path& root, RootOptions options = {});

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return root_; }
  [[nodiscard]] bool per_client() const noexcept { return options_.per_client; }

  // `identity` names the request's client ("curve:<key>", "uid:<n>", "" for anonymous); it matters only with
  // per_client. Each call resolves the path anew, beneath the root.
  //
  // Checks that the path's directory exists below the root; returns the path as named below it (what a
  // reply shows).
  [[nodiscard]] core::Result<std::filesystem::path> resolve(std::string_view requested,
                                                            std::string_view identity = {}) const;
  // Reads a whole regular file below the root, refusing files larger than max_bytes.
  [[nodiscard]] core::Result<std::vector<std::uint8_t>> read_file(std::string_view requested, std::size_t max_bytes,
                                                                  std::string_view identity = {}) const;
  // Writes a file below the root atomically (a temporary file renamed over the target), so a failed
  // write never leaves a half-written file. Returns the path as named below the root.
  [[nodiscard]] core::Result<std::filesystem::path> write_file(std::string_view requested,
                                                               std::span<const std::uint8_t> bytes,
                                                               std::string_view identity = {}) const;
  // Removes a regular file below the root (never a directory, symlink or special file). Returns the path as
  // named below the root.
  [[nodiscard]] core::Result<std::filesystem::path> remove_file(std::string_view requested,
                                                                std::string_view identity = {}) const;

  // The subfolder of the root an identity gets with per_client: "anonymous", "uid-1000",
  // "curve-<Z85 key with '/' written '_'>".
  [[nodiscard]] static std::string client_folder(std::string_view identity);

 private:
  // A request's file: its directory, opened beneath the root, and its name in it.
  struct Located {
    UniqueFd directory;
    std::string name;
    std::filesystem::path shown;
  };

  RootDir(std::filesystem::path root, UniqueFd fd, RootOptions options)
      : root_(std::move(root)), fd_(std::move(fd)), options_(options) {}
  [[nodiscard]] core::Result<Located> locate(std::string_view requested, std::string_view identity) const;
  [[nodiscard]] core::Result<UniqueFd> open_beneath(int base, const std::string& relative,
                                                    const std::string& shown) const;
  [[nodiscard]] core::Result<UniqueFd> walk_beneath(int base, const std::filesystem::path& relative,
                                                    const std::string& shown) const;

  std::filesystem::path root_;  // canonical, for messages and absolute requests
  UniqueFd fd_;                 // the root, opened once: every lookup starts here
  RootOptions options_;
};

}  // namespace voxd::daemon
