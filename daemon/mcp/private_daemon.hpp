// A voxd started by voxd-mcp for its own lifetime when no daemon answers: its socket lives in a private
// temporary directory, and it is stopped (SIGTERM, then waited for) when this object goes away.
#pragma once

#include <filesystem>
#include <string>
#include <sys/types.h>

#include "voxd/core/error.hpp"

namespace voxd::mcp {

class PrivateDaemon {
 public:
  // Starts `voxd_path` with --root `root`; returns once it is started (the caller then waits for its Hello).
  [[nodiscard]] static core::Result<PrivateDaemon*> start(const std::filesystem::path& voxd_path,
                                                          const std::filesystem::path& root);
  ~PrivateDaemon();
  PrivateDaemon(const PrivateDaemon&) = delete;
  PrivateDaemon& operator=(const PrivateDaemon&) = delete;

  [[nodiscard]] const std::string& endpoint() const { return endpoint_; }

 private:
  PrivateDaemon() = default;
  pid_t pid_ = -1;
  std::filesystem::path dir_;
  std::string endpoint_;
};

}  // namespace voxd::mcp
