// Whole-file reads and all-or-nothing writes, shared by the C ABI and the daemon.
//
// Reads open without blocking (a FIFO under the root would otherwise hang the caller until someone writes to
// it), then refuse anything that is not a regular file, and refuse files over the caller's byte budget before
// allocating. Writes go to a temporary file next to the target, are fsynced, renamed over the target, and the
// directory is fsynced after the rename: after a crash the target holds either the old or the new bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "voxd/core/error.hpp"

namespace voxd::fileio {

struct ReadOptions {
  std::size_t max_bytes = 0;        // larger files get limit_exceeded naming `limit_name`, before reading
  const char* limit_name = "max_file_bytes";
  bool follow_last_symlink = true;  // false: a symlink as the last component is refused (O_NOFOLLOW)
};

// `path` is opened; `shown` is how errors name it (the caller's own spelling, e.g. relative to a root).
[[nodiscard]] core::Result<std::vector<std::uint8_t>> read_file(const std::string& path, const std::string& shown,
                                                                const ReadOptions& options);

// Replaces `path` (which, if it exists, must be a regular file) with `bytes`, atomically and durably. New
// files get 0666 & ~umask.
[[nodiscard]] core::Status write_file_atomically(const std::string& path, const std::string& shown,
                                                 std::span<const std::uint8_t> bytes);

// The same, relative to an open directory: `name` is one path component in `directory` (a descriptor opened
// O_RDONLY | O_DIRECTORY), opened with openat. The daemon's sandbox resolves the directory once, beneath its
// root, and never lets a path be looked up again by name (docs/daemon.md, "Files and the root"). Writes
// refuse an existing symlink as the target (O_NOFOLLOW semantics), create the temporary file in `directory`,
// renameat it over `name` and fsync `directory`.
[[nodiscard]] core::Result<std::vector<std::uint8_t>> read_file_at(int directory, const std::string& name,
                                                                   const std::string& shown,
                                                                   const ReadOptions& options);
[[nodiscard]] core::Status write_file_atomically_at(int directory, const std::string& name, const std::string& shown,
                                                    std::span<const std::uint8_t> bytes);
// Removes `name` from `directory` if it is a regular file (never a directory, symlink, FIFO, socket or
// device), and fsyncs `directory`. A missing file is not_found.
[[nodiscard]] core::Status remove_file_at(int directory, const std::string& name, const std::string& shown);

}  // namespace voxd::fileio
