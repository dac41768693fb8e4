// The daemon benchmarks: the real voxd process, measured side by side in one run with a bare ZeroMQ
// ROUTER echo (a thread of this program) that answers every frame with the frame itself, over ipc in the same
// temporary directory. Names are "<scenario>/<implementation>", implementation "voxd" or "zmq_echo";
// bench/daemon_ratios.py pairs them and checks the targets of docs/performance-daemon.md.
//
//   ping, set1      round trip of one request (a Ping; a SetVoxels of one voxel), one in flight.
//   bulk_set        SetVoxels of 1,000 voxels per message, kWindow messages in flight (voxels_per_second).
//   create_close    CreateProject then CloseProject, one round trip each (projects_per_second).
//   scaling         bulk_set from 1, 2 and 4 clients at once, each on its own project and socket.
//
// voxd runs with its default limits and --workers 4; the path of the binary is VOXD_DAEMON_PATH.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "voxd/protocol/voxd_generated.h"

namespace {

namespace fs = std::filesystem;
namespace protocol = voxd::protocol;
using Frame = std::vector<std::uint8_t>;

constexpr int kBulkVoxels = 1000;  // voxels per bulk SetVoxels message (a 10 x 10 x 10 cube)
constexpr int kBulkCubes = 64;     // distinct cubes the bulk messages cycle through
constexpr int kWindow = 8;         // bulk messages in flight per client
constexpr std::uint32_t kRed = 0xFF0000FFU;
constexpr std::uint32_t kGreen = 0x00FF00FFU;

// ---- the processes and sockets ----

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "voxd-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  return pattern;
}

// A temporary directory, removed with everything in it when destroyed.
struct TempDir {
  fs::path path = make_temp_dir();
  TempDir() = default;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

// The real voxd on ipc://<dir>/voxd.sock, stopped with SIGTERM when destroyed.
class DaemonProcess {
 public:
  explicit DaemonProcess(const fs::path& dir) : endpoint_("ipc://" + (dir / "voxd.sock").string()) {
    const fs::path out = dir / "voxd.out";
    std::vector<std::string> args = {VOXD_DAEMON_PATH, "--endpoint", endpoint_,     "--root", (dir / "root").string(),
                                     "--workers",      "4",          "--log-level", "error"};
    // VOXD_BENCH_DAEMON_ARGS adds daemon flags, e.g. "--quick-max-voxels 0 --pipeline-depth 1" to measure
    // without the quick path and the per-project pipelining.
    if (const char* extra = std::getenv("VOXD_BENCH_DAEMON_ARGS"); extra != nullptr) {  // NOLINT: before threads
      std::istringstream words(extra);
      for (std::string word; words >> word;) {
        args.push_back(word);
      }
    }
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) {
      throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
      const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);  // NOLINT: POSIX varargs
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    // The daemon prints "listening on" once its sockets are bound.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
      std::ifstream in(out);
      std::stringstream text;
      text << in.rdbuf();
      if (text.str().find("listening on") != std::string::npos) {
        break;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_ || std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("voxd did not start: " + text.str());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;
  ~DaemonProcess() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  [[nodiscard]] const std::string& endpoint() const { return endpoint_; }

 private:
  std::string endpoint_;
  pid_t pid_ = -1;
};

// The reference: a bare ROUTER that answers every frame with a frame of `reply_bytes` (set to the size voxd
// answers the same request with, so both sides move the same bytes), or with the frame itself when 0.
class EchoServer {
 public:
  EchoServer(zmq::context_t& ctx, const fs::path& dir)
      : endpoint_("ipc://" + (dir / "echo.sock").string()), socket_(ctx, zmq::socket_type::router) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.bind(endpoint_);
    thread_ = std::thread([this] { run(); });
  }
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;
  ~EchoServer() {
    stop_ = true;
    thread_.join();
  }
  [[nodiscard]] const std::string& endpoint() const { return endpoint_; }
  void set_reply_bytes(std::size_t bytes) { reply_bytes_ = bytes; }

 private:
  void run() {
    std::vector<zmq::pollitem_t> items = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
    while (!stop_) {
      zmq::poll(items, std::chrono::milliseconds(50));
      // Drain what is there; the thread owns the socket (it is only touched here after construction).
      while (true) {
        zmq::message_t identity;
        if (!socket_.recv(identity, zmq::recv_flags::dontwait)) {
          break;
        }
        zmq::message_t payload;
        (void)socket_.recv(payload, zmq::recv_flags::none);
        const std::size_t reply_bytes = reply_bytes_;
        if (reply_bytes != 0) {
          payload.rebuild(reply_bytes);
          std::memset(payload.data(), 0, reply_bytes);  // the size matters here, not the content
        }
        socket_.send(identity, zmq::send_flags::sndmore);
        socket_.send(payload, zmq::send_flags::none);
      }
    }
  }

  std::string endpoint_;
  zmq::socket_t socket_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> reply_bytes_{0};
  std::thread thread_;
};

// Everything the benchmarks share, made on first use and torn down at exit.
// Members are destroyed in reverse: the echo thread, then voxd, then the directory, the context last.
struct Environment {
  zmq::context_t ctx{1};
  TempDir dir;
  DaemonProcess daemon{dir.path};
  EchoServer echo{ctx, dir.path};
};

Environment& environment() {
  static Environment env;  // the bench program's one shared fixture (a process and a thread)
  return env;
}

enum class Target { voxd, echo };

zmq::socket_t connect(Target target) {
  Environment& env = environment();
  zmq::socket_t socket(env.ctx, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::rcvtimeo, 30000);
  socket.connect(target == Target::voxd ? env.daemon.endpoint() : env.echo.endpoint());
  return socket;
}

// ---- messages ----

template <typename Body>
Frame request(std::uint64_t project, protocol::RequestBody type, Body body_of, std::uint64_t id = 1) {
  flatbuffers::FlatBufferBuilder fb(1024);
  const auto body = body_of(fb);
  fb.Finish(protocol::CreateRequest(fb, 1, id, project, type, body), protocol::RequestIdentifier());
  return {fb.GetBufferPointer(), fb.GetBufferPointer() + fb.GetSize()};
}

Frame ping_request() {
  return request(0, protocol::RequestBody::Ping, [](auto& fb) { return protocol::CreatePing(fb).Union(); });
}

Frame set_request(std::uint64_t project, const std::vector<protocol::Voxel>& voxels) {
  return request(project, protocol::RequestBody::SetVoxels,
                 [&](auto& fb) { return protocol::CreateSetVoxels(fb, 0, fb.CreateVectorOfStructs(voxels)).Union(); });
}

// A 10 x 10 x 10 cube of voxels, the n-th of kBulkCubes spread over a 4 x 4 x 4 grid of 16^3 blocks.
std::vector<protocol::Voxel> bulk_cube(int n, std::uint32_t rgba) {
  std::vector<protocol::Voxel> voxels;
  voxels.reserve(kBulkVoxels);
  const int ox = (n % 4) * 16;
  const int oy = (n / 4 % 4) * 16;
  const int oz = (n / 16 % 4) * 16;
  for (int z = 0; z < 10; ++z) {
    for (int y = 0; y < 10; ++y) {
      for (int x = 0; x < 10; ++x) {
        voxels.emplace_back(ox + x, oy + y, oz + z, rgba);
      }
    }
  }
  return voxels;
}

void send(zmq::socket_t& socket, const Frame& frame) {
  socket.send(zmq::buffer(frame), zmq::send_flags::none);
}

// Receives one reply; for voxd, fails the benchmark unless its status is ok.
zmq::message_t receive(zmq::socket_t& socket, Target target, benchmark::State& state) {
  zmq::message_t reply;
  if (!socket.recv(reply, zmq::recv_flags::none)) {
    state.SkipWithError("no reply within 30 s");
    return reply;
  }
  if (target == Target::voxd) {
    const auto* response = flatbuffers::GetRoot<protocol::Response>(reply.data());
    if (response->status() != protocol::Status::ok) {
      state.SkipWithError(("voxd: " + (response->message() != nullptr ? response->message()->str() : "")).c_str());
    }
  }
  return reply;
}

// A round trip on a fresh connection, outside any timing: the new project's handle.
std::uint64_t create_project(zmq::socket_t& socket, benchmark::State& state, const char* name) {
  send(socket, request(0, protocol::RequestBody::CreateProject,
                       [&](auto& fb) { return protocol::CreateCreateProjectDirect(fb, name).Union(); }));
  const auto reply = receive(socket, Target::voxd, state);
  const auto* created = flatbuffers::GetRoot<protocol::Response>(reply.data())->result_as_ProjectCreated();
  return created != nullptr ? created->handle() : 0;
}

void close_project(zmq::socket_t& socket, benchmark::State& state, std::uint64_t project) {
  send(socket, request(project, protocol::RequestBody::CloseProject,
                       [](auto& fb) { return protocol::CreateCloseProject(fb).Union(); }));
  (void)receive(socket, Target::voxd, state);
}

// The size of voxd's reply to `frame` (which it applies once).
std::size_t voxd_reply_size(const Frame& frame, benchmark::State& state) {
  zmq::socket_t socket = connect(Target::voxd);
  send(socket, frame);
  return receive(socket, Target::voxd, state).size();
}

// Before an echo benchmark: the echo answers with as many bytes as voxd answers `frame` with.
void match_reply_size(Target target, const Frame& frame, benchmark::State& state) {
  if (target == Target::echo) {
    environment().echo.set_reply_bytes(voxd_reply_size(frame, state));
  }
}

// ---- benchmarks ----

void round_trips(benchmark::State& state, Target target, const std::vector<Frame>& frames) {
  match_reply_size(target, frames.front(), state);
  auto socket = connect(target);
  std::size_t reply_bytes = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    send(socket, frames[i++ % frames.size()]);
    reply_bytes = receive(socket, target, state).size();
  }
  state.counters["request_bytes"] = static_cast<double>(frames.front().size());
  state.counters["reply_bytes"] = static_cast<double>(reply_bytes);
  state.counters["round_trips_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Ping(benchmark::State& state, Target target) {
  round_trips(state, target, {ping_request()});
}

void BM_SetOne(benchmark::State& state, Target target) {
  // The echo gets the same frames (project handle included) as voxd.
  zmq::socket_t setup = connect(Target::voxd);
  const std::uint64_t project = create_project(setup, state, "set1");
  // Two colours in turn, so every request changes the voxel.
  round_trips(state, target,
              {set_request(project, {protocol::Voxel(1, 2, 3, kRed)}),
               set_request(project, {protocol::Voxel(1, 2, 3, kGreen)})});
  close_project(setup, state, project);
}

// kWindow bulk messages in flight; one iteration = one message of kBulkVoxels voxels sent and answered.
void bulk_set(benchmark::State& state, Target target, const char* project_name) {
  zmq::socket_t socket = connect(target);
  zmq::socket_t setup = connect(Target::voxd);
  const std::uint64_t project = create_project(setup, state, project_name);
  std::vector<Frame> frames;
  for (int n = 0; n < kBulkCubes; ++n) {
    frames.push_back(set_request(project, bulk_cube(n, n % 2 == 0 ? kRed : kGreen)));
  }
  if (state.thread_index() == 0) {
    match_reply_size(target, frames.front(), state);
  }
  std::size_t sent = 0;
  std::size_t received = 0;
  for (auto _ : state) {
    while (sent - received < kWindow) {
      send(socket, frames[sent++ % frames.size()]);
    }
    (void)receive(socket, target, state);
    ++received;
  }
  while (received < sent) {
    (void)receive(socket, target, state);
    ++received;
  }
  close_project(setup, state, project);
  state.SetItemsProcessed(state.iterations() * kBulkVoxels);
  state.counters["request_bytes"] =
      benchmark::Counter(static_cast<double>(frames.front().size()), benchmark::Counter::kAvgThreads);
  state.counters["voxels_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kBulkVoxels, benchmark::Counter::kIsRate);
}

void BM_BulkSet(benchmark::State& state, Target target) {
  bulk_set(state, target, "bulk");
}

void BM_Scaling(benchmark::State& state) {
  bulk_set(state, Target::voxd, ("scaling-" + std::to_string(state.thread_index())).c_str());
}

void BM_CreateClose(benchmark::State& state) {
  zmq::socket_t socket = connect(Target::voxd);
  for (auto _ : state) {
    const std::uint64_t project = create_project(socket, state, "c");
    close_project(socket, state, project);
  }
  state.counters["projects_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_Ping, voxd, Target::voxd)->Name("ping/voxd")->UseRealTime();
BENCHMARK_CAPTURE(BM_Ping, zmq_echo, Target::echo)->Name("ping/zmq_echo")->UseRealTime();
BENCHMARK_CAPTURE(BM_SetOne, voxd, Target::voxd)->Name("set1/voxd")->UseRealTime();
BENCHMARK_CAPTURE(BM_SetOne, zmq_echo, Target::echo)->Name("set1/zmq_echo")->UseRealTime();
BENCHMARK_CAPTURE(BM_BulkSet, voxd, Target::voxd)->Name("bulk_set/voxd")->UseRealTime();
BENCHMARK_CAPTURE(BM_BulkSet, zmq_echo, Target::echo)->Name("bulk_set/zmq_echo")->UseRealTime();
BENCHMARK(BM_CreateClose)->Name("create_close/voxd")->UseRealTime();
BENCHMARK(BM_Scaling)->Name("scaling/voxd")->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
