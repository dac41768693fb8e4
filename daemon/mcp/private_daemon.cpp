#include "private_daemon.hpp"

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <memory>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace voxd::mcp {

core::Result<PrivateDaemon*> PrivateDaemon::start(const std::filesystem::path& voxd_path,
                                                  const std::filesystem::path& root) {
  std::string pattern = (std::filesystem::temp_directory_path() / "voxd-mcp-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return core::make_error(core::ErrorCode::io, "cannot create a private runtime directory in /tmp");
  }
  auto daemon = std::unique_ptr<PrivateDaemon>(new PrivateDaemon());
  daemon->dir_ = pattern;
  daemon->endpoint_ = "ipc://" + (daemon->dir_ / "voxd.sock").string();
  std::vector<std::string> args = {voxd_path.string(), "--endpoint", daemon->endpoint_, "--root", root.string(),
                                   "--log-level", "warn"};
  const pid_t pid = fork();
  if (pid < 0) return core::make_error(core::ErrorCode::io, "fork failed");
  if (pid == 0) {
    // stdout is the MCP stream: the daemon must never write there.
    const int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, STDIN_FILENO);
    dup2(STDERR_FILENO, STDOUT_FILENO);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  daemon->pid_ = pid;
  return daemon.release();
}

PrivateDaemon::~PrivateDaemon() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace voxd::mcp
