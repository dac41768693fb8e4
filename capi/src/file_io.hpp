// Whole-file reads and all-or-nothing writes for voxd_project_open_file / voxd_project_save.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "voxd/core/error.hpp"

namespace voxd::capi {

// The file's bytes; limit_exceeded (before reading) when it is larger than max_bytes.
[[nodiscard]] core::Result<std::vector<std::uint8_t>> read_file(const std::string& path, std::size_t max_bytes);
// Writes a temporary file next to `path`, then renames it over `path`: readers never see half a file.
[[nodiscard]] core::Status write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

}  // namespace voxd::capi
