// voxd-mcp: the MCP server of voxd over stdio (docs/mcp.md). A client of a running voxd; with none answering on
// the default endpoint, it starts a private voxd for its own lifetime.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>
#include <unistd.h>

#include "client.hpp"
#include "endpoint.hpp"
#include "private_daemon.hpp"
#include "server.hpp"

namespace {

volatile std::sig_atomic_t g_stop = 0;  // set by SIGTERM/SIGINT so the private daemon is still stopped
void on_signal(int) { g_stop = 1; }

bool answers(voxd::voxctl::Client& client) {
  auto reply = client.call(0, voxd::protocol::RequestBody::Hello, [](flatbuffers::FlatBufferBuilder& fb) {
    return voxd::protocol::CreateHello(fb, fb.CreateString("voxd-mcp")).Union();
  });
  return reply.ok();
}

bool write_all(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"voxd-mcp: MCP server (stdio) for AI agents editing voxel models in voxd"};
  std::string endpoint;
  std::string voxd_path;
  std::string root = std::filesystem::current_path().string();
  int timeout_ms = 30000;
  std::size_t max_message_bytes = 64U << 20U;
  app.add_option("--endpoint", endpoint, "voxd's endpoint (default: $VOXD_ENDPOINT or voxd's default); no private "
                                         "daemon is started when given");
  app.add_option("--voxd", voxd_path, "The voxd to start when none answers (default: next to voxd-mcp)");
  app.add_option("--root", root, "--root of a private voxd (default: the current directory)");
  app.add_option("--timeout-ms", timeout_ms, "How long one request to voxd may take")->check(CLI::PositiveNumber);
  app.add_option("--max-message-bytes", max_message_bytes, "Largest MCP message line accepted")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  struct sigaction action {};
  action.sa_handler = on_signal;  // no SA_RESTART: read() returns EINTR and the loop ends
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  const bool explicit_endpoint = !endpoint.empty();
  if (!explicit_endpoint) endpoint = voxd::daemon::client_default_endpoint();
  std::unique_ptr<voxd::mcp::PrivateDaemon> private_daemon;
  // A named endpoint gets the whole request timeout to answer (a loaded machine, a daemon still starting);
  // the default one only a short probe, since a private daemon is started when it is silent.
  const auto probe = explicit_endpoint ? std::chrono::milliseconds(timeout_ms) : std::chrono::milliseconds(500);
  auto client = std::make_unique<voxd::voxctl::Client>(endpoint, probe);
  if (!answers(*client)) {
    if (explicit_endpoint) {
      std::cerr << "voxd-mcp: no voxd answers on " << endpoint << "\n";
      return 1;
    }
    if (voxd_path.empty()) {
      voxd_path = (std::filesystem::canonical("/proc/self/exe").parent_path() / "voxd").string();
    }
    auto started = voxd::mcp::PrivateDaemon::start(voxd_path, root);
    if (!started.ok()) {
      std::cerr << "voxd-mcp: " << started.error().message << "\n";
      return 1;
    }
    private_daemon.reset(started.value());
    endpoint = private_daemon->endpoint();
    bool up = false;
    for (int attempt = 0; attempt < 50 && !up && g_stop == 0; ++attempt) {
      client = std::make_unique<voxd::voxctl::Client>(endpoint, std::chrono::milliseconds(200));
      up = answers(*client);
    }
    if (!up) {
      std::cerr << "voxd-mcp: the private voxd (" << voxd_path << ") did not start\n";
      return 1;
    }
    std::cerr << "voxd-mcp: started a private voxd on " << endpoint << "\n";
  }
  client = std::make_unique<voxd::voxctl::Client>(endpoint, std::chrono::milliseconds(timeout_ms));

  voxd::mcp::Server server(
      [&client](std::uint64_t project, voxd::protocol::RequestBody type, const voxd::mcp::BodyBuilder& body) {
        return client->call(project, type, body);
      },
      max_message_bytes);
  std::string buffer(1U << 16U, '\0');
  while (g_stop == 0) {
    const ssize_t n = read(STDIN_FILENO, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (auto& line : server.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)))) {
      line += '\n';
      if (!write_all(line)) return 0;
    }
  }
  return 0;
}
