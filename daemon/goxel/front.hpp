// The Goxel compatibility front: goxel-daemon's JSON-RPC 2.0 protocol on Unix stream sockets
// (`voxd --goxel-socket PATH`). One thread runs a poll loop over the listening sockets, the connections and the
// link to the broker; every call becomes protocol requests on the daemon's own request path (voxd_link.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "session.hpp"
#include "voxd/core/error.hpp"

namespace voxd::goxel {

struct FrontConfig {
  std::vector<std::filesystem::path> socket_paths;
  SessionMode session_mode = SessionMode::kProcess;
  std::size_t max_message_bytes = 64ULL * 1024 * 1024;  // --goxel-max-message-bytes
  std::size_t max_connections = 256;                    // --goxel-max-connections
  std::chrono::milliseconds reply_timeout{600000};      // --goxel-reply-timeout-ms (voxd_link.hpp)
  std::string broker_endpoint;                          // the broker's in-process endpoint
};

class GoxelFront {
 public:
  // Binds every socket path (an existing socket file that no one answers on is replaced) and starts the thread.
  [[nodiscard]] static core::Result<std::unique_ptr<GoxelFront>> start(zmq::context_t& context, FrontConfig config);
  GoxelFront(const GoxelFront&) = delete;
  GoxelFront& operator=(const GoxelFront&) = delete;
  GoxelFront(GoxelFront&&) = delete;
  GoxelFront& operator=(GoxelFront&&) = delete;
  // Stops the thread, closes every connection and removes the socket files.
  ~GoxelFront();

 private:
  GoxelFront(zmq::context_t& context, FrontConfig config);
  void run();

  zmq::context_t& context_;
  FrontConfig config_;
  std::vector<int> listeners_;
  int wake_read_ = -1;  // a byte on this pipe stops the loop
  int wake_write_ = -1;
  std::thread thread_;
};

}  // namespace voxd::goxel
