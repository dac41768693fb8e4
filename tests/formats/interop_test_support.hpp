// Helpers shared by the tests that check voxd's files with independent programs (goxel, assimp, the glTF
// validator): a scratch directory, reading a file whole, and running a fixed command with its output logged.
#pragma once

#include <stdlib.h>  // mkdtemp
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace voxd::test {

// A fresh directory under the system temporary directory ("voxd-<name>-XXXXXX"), removed at the end of the
// test. path() is empty when it could not be made.
class ScratchDir {
 public:
  explicit ScratchDir(std::string_view name) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("voxd-" + std::string(name) + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The whole file as bytes in a string ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs a fixed command with its standard output and error sent to `log`; returns its exit status, or -1 when it
// did not exit normally. 124 is `timeout` killing it, 127 a missing program.
inline int run_logged(const std::string& command, const std::filesystem::path& log) {
  const std::string line = command + " >'" + log.string() + "' 2>&1";
  const int status = std::system(line.c_str());  // NOLINT(cert-env33-c,concurrency-mt-unsafe): fixed commands
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Debian's goxel run headless: `goxel IN --export OUT` under xvfb-run, with its own HOME in `dir` and at most
// 60 s. Returns the exit status; its output is in dir/<OUT's name>.log.
inline int goxel_export(const std::filesystem::path& dir, const std::filesystem::path& in,
                        const std::filesystem::path& out) {
  const std::filesystem::path home = dir / "goxel-home";
  std::error_code ignored;
  std::filesystem::create_directories(home, ignored);
  const std::string command = "HOME='" + home.string() + "' timeout 60 xvfb-run -a goxel '" + in.string() +
                              "' --export '" + out.string() + "'";
  return run_logged(command, dir / (out.filename().string() + ".log"));
}

}  // namespace voxd::test
