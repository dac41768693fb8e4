#include "front.hpp"

#include <fcntl.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): kill(pid, 0) is POSIX
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <utility>

#include "add_voxels.hpp"
#include "add_voxels_fast_reader.hpp"
#include "call_context.hpp"
#include "voxd/jsonrpc/stream_framer.hpp"

namespace voxd::goxel {

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// Back-pressure: a connection is not read while this many messages wait or this many reply bytes are unsent.
constexpr std::size_t kMaxPendingMessages = 64;
constexpr std::size_t kMaxUnsentBytes = 16ULL * 1024 * 1024;

struct Connection {
  Connection(int socket, std::size_t max_message_bytes) : fd(socket), framer(max_message_bytes) {}
  int fd;
  jsonrpc::StreamFramer framer;
  std::deque<jsonrpc::Frame> pending;
  std::string out;
  std::size_t sent = 0;
  bool busy = false;        // a message is being answered
  bool processing = false;  // inside process(): an inline answer returns to its loop
  bool peer_done = false;   // the peer closed its side: answer what came, then close
  bool broken = false;      // a write failed: close as soon as no call refers to this connection
  std::shared_ptr<Session> session;
  CallContext context;
};

class Loop {
 public:
  Loop(zmq::context_t& context, const FrontConfig& config, std::vector<int> listeners, int wake)
      : config_(config),
        listeners_(std::move(listeners)),
        wake_(wake),
        link_(context, config.broker_endpoint, config.reply_timeout) {
    register_goxel_methods(dispatcher_);
  }
  ~Loop() {
    for (auto& entry : connections_) ::close(entry.first);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  Loop(Loop&&) = delete;
  Loop& operator=(Loop&&) = delete;

  void run() {
    std::vector<zmq::pollitem_t> items;
    for (;;) {
      items.clear();
      items.push_back({link_.socket().handle(), 0, ZMQ_POLLIN, 0});
      items.push_back({nullptr, wake_, ZMQ_POLLIN, 0});
      for (const int fd : listeners_) {
        const bool room = connections_.size() < config_.max_connections;
        items.push_back({nullptr, fd, static_cast<short>(room ? ZMQ_POLLIN : 0), 0});
      }
      std::vector<Connection*> polled;
      for (auto& [fd, connection] : connections_) {
        short events = 0;
        if (!connection->peer_done && connection->pending.size() < kMaxPendingMessages &&
            connection->out.size() - connection->sent < kMaxUnsentBytes) {
          events |= ZMQ_POLLIN;
        }
        if (connection->sent < connection->out.size()) events |= ZMQ_POLLOUT;
        items.push_back({nullptr, fd, events, 0});
        polled.push_back(connection.get());
      }
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(link_.next_expiry_ms(VoxdLink::Clock::now())));
      if ((items[1].revents & ZMQ_POLLIN) != 0) return;
      if ((items[0].revents & ZMQ_POLLIN) != 0) link_.drain();
      link_.expire(VoxdLink::Clock::now());
      for (std::size_t i = 0; i < listeners_.size(); ++i) {
        if ((items[2 + i].revents & ZMQ_POLLIN) != 0) accept_from(listeners_[i]);
      }
      for (std::size_t i = 0; i < polled.size(); ++i) {
        const auto revents = items[2 + listeners_.size() + i].revents;
        if ((revents & ZMQ_POLLOUT) != 0) flush(*polled[i]);
        if ((revents & (ZMQ_POLLIN | ZMQ_POLLERR)) != 0) read_from(*polled[i]);
      }
      sweep();
    }
  }

 private:
  void accept_from(int listener) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    auto connection = std::make_unique<Connection>(fd, config_.max_message_bytes);
    const Peer peer = peer_of(fd);
    const std::string key = session_key(config_.session_mode, peer, next_connection_++);
    if (!sessions_.contains(key)) forget_exited_sessions();
    auto& session = sessions_[key];
    if (!session) {
      session = std::make_shared<Session>();
      session->key = key;
      session->identity = identity_of(peer);
      session->pid = config_.session_mode == SessionMode::kProcess ? peer.pid : 0;
    }
    connection->session = session;
    connection->context = CallContext{session.get(), &link_, &renders_};
    connections_.emplace(fd, std::move(connection));
  }

  // Process sessions of processes that have exited, with no connection left, are dropped (their projects stay
  // open in voxd, listed by goxel.list_projects).
  void forget_exited_sessions() {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      const bool exited = it->second->pid > 0 && ::kill(it->second->pid, 0) != 0 && errno == ESRCH;
      if (exited && it->second.use_count() == 1) {
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void read_from(Connection& c) {
    char buffer[kReadChunk];
    const ssize_t got = ::recv(c.fd, buffer, sizeof(buffer), 0);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
      c.peer_done = true;
    } else if (got > 0) {
      std::vector<jsonrpc::Frame> frames;
      c.framer.feed(std::string_view(buffer, static_cast<std::size_t>(got)), frames);
      for (auto& frame : frames) c.pending.push_back(std::move(frame));
    }
    process(c);
  }

  void process(Connection& c) {
    if (c.processing) return;
    c.processing = true;
    while (!c.busy && !c.pending.empty() && !c.broken) {
      auto frame = std::move(c.pending.front());
      c.pending.pop_front();
      if (frame.kind == jsonrpc::Frame::Kind::kTooLarge) {
        queue_reply(c, jsonrpc::to_wire(jsonrpc::message_too_large(frame.bytes, config_.max_message_bytes,
                                                                   "--goxel-max-message-bytes")
                                            .to_json()));
        continue;
      }
      c.busy = true;
      Connection* connection = &c;
      auto answered = [this, connection](std::optional<std::string> reply) {
        if (reply) queue_reply(*connection, *reply);
        connection->busy = false;
        process(*connection);
      };
      if (auto bulk = add_voxels_reader_.read(frame.text)) {
        // Read already: only the sending is left, answered by the dispatcher as any call is.
        auto call = std::make_shared<AddVoxelsCall>(std::move(bulk->call));
        dispatcher_.handle_read(
            c.context, jsonrpc::Request{std::move(bulk->id), "goxel.add_voxels", nullptr},
            [call](CallContext& context, const jsonrpc::Request&, Respond respond) {
              send_add_voxels(context, std::move(*call), std::move(respond));
            },
            std::move(answered));
      } else {
        dispatcher_.handle(c.context, frame.text, std::move(answered));
      }
    }
    c.processing = false;
  }

  void queue_reply(Connection& c, const std::string& reply) {
    if (c.broken) return;
    c.out.append(reply);
    c.out.push_back('\n');
    flush(c);
  }

  void flush(Connection& c) {
    while (c.sent < c.out.size()) {
      const ssize_t put = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (put < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        c.broken = true;
        return;
      }
      c.sent += static_cast<std::size_t>(put);
    }
    c.out.clear();
    c.sent = 0;
  }

  // Closes connections that are finished: broken, or closed by the peer with everything answered and sent.
  void sweep() {
    for (auto it = connections_.begin(); it != connections_.end();) {
      Connection& c = *it->second;
      const bool answered = !c.busy && c.pending.empty();
      if ((c.broken && !c.busy) || (c.peer_done && answered && c.sent >= c.out.size())) {
        ::close(c.fd);
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }

  const FrontConfig& config_;
  std::vector<int> listeners_;
  int wake_;
  VoxdLink link_;
  RenderRegistry renders_;
  GoxelDispatcher dispatcher_;
  AddVoxelsFastReader add_voxels_reader_;
  std::map<int, std::unique_ptr<Connection>> connections_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
  std::uint64_t next_connection_ = 1;
};

core::Error front_error(std::string message) {
  return core::Error{core::ErrorCode::io, std::move(message)};
}

// A socket file that nobody accepts on is left over from a daemon that died: it may be replaced.
bool socket_answers(const sockaddr_un& address) {
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return false;
  const bool answers = ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  ::close(probe);
  return answers;
}

core::Result<int> listen_on(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string text = path.string();
  if (text.empty() || text.size() >= sizeof(address.sun_path)) {
    return front_error("--goxel-socket path '" + text + "' is empty or longer than " +
                       std::to_string(sizeof(address.sun_path) - 1) + " bytes");
  }
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  std::error_code ignored;
  if (std::filesystem::is_socket(path, ignored)) {
    if (socket_answers(address)) return front_error("--goxel-socket " + text + ": another program listens there");
    std::filesystem::remove(path, ignored);
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return front_error("--goxel-socket " + text + ": " + std::strerror(errno));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 || ::listen(fd, 128) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return front_error("--goxel-socket " + text + ": " + why);
  }
  return fd;
}

}  // namespace

GoxelFront::GoxelFront(zmq::context_t& context, FrontConfig config) : context_(context), config_(std::move(config)) {}

core::Result<std::unique_ptr<GoxelFront>> GoxelFront::start(zmq::context_t& context, FrontConfig config) {
  std::unique_ptr<GoxelFront> front(new GoxelFront(context, std::move(config)));
  for (const auto& path : front->config_.socket_paths) {
    auto fd = listen_on(path);
    if (!fd) return fd.error();
    front->listeners_.push_back(*fd);
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return front_error(std::string("goxel front: pipe: ") + std::strerror(errno));
  front->wake_read_ = pipe_fds[0];
  front->wake_write_ = pipe_fds[1];
  front->thread_ = std::thread([raw = front.get()] { raw->run(); });
  return front;
}

void GoxelFront::run() {
  Loop loop(context_, config_, listeners_, wake_read_);
  loop.run();
}

GoxelFront::~GoxelFront() {
  if (thread_.joinable()) {
    const char stop = 's';
    [[maybe_unused]] const auto written = ::write(wake_write_, &stop, 1);
    thread_.join();
  }
  for (const int fd : listeners_) ::close(fd);
  std::error_code ignored;
  for (const auto& path : config_.socket_paths) std::filesystem::remove(path, ignored);
  if (wake_read_ >= 0) ::close(wake_read_);
  if (wake_write_ >= 0) ::close(wake_write_);
}

}  // namespace voxd::goxel
