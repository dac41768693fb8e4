// The daemon's file sandbox: every path in a request is resolved below --root. Absolute paths outside
// it, `..` components and symlinks that lead out of it are refused with permission_denied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "voxd/core/error.hpp"

namespace voxd::daemon {

class RootDir {
 public:
  // Creates the directory (and parents) if missing; fails if it cannot be made or is not a directory.
  [[nodiscard]] static core::Result<RootDir> open(const std::filesystem::path& root);

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return root_; }

  // The real path a request's path names, checked to lie inside the root (symlinks resolved).
  [[nodiscard]] core::Result<std::filesystem::path> resolve(std::string_view requested) const;
  // Reads a whole regular file below the root, refusing files larger than max_bytes.
  [[nodiscard]] core::Result<std::vector<std::uint8_t>> read_file(std::string_view requested,
                                                                  std::size_t max_bytes) const;
  // Writes a file below the root atomically (a temporary file renamed over the target), so a failed
  // write never leaves a half-written file. Returns the resolved path.
  [[nodiscard]] core::Result<std::filesystem::path> write_file(std::string_view requested,
                                                               std::span<const std::uint8_t> bytes) const;

 private:
  explicit RootDir(std::filesystem::path root) : root_(std::move(root)) {}
  [[nodiscard]] bool inside(const std::filesystem::path& canonical) const;
  std::filesystem::path root_;  // canonical
};

}  // namespace voxd::daemon
