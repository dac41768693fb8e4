// The renders goxel-daemon's file_path mode hands out: the front remembers each file it had the daemon render
// (path, size, format, size in pixels, digest, times, session) for get_render_info, list_renders and
// cleanup_render.
// Only the front's thread uses it. Entries expire after an hour, as goxel-daemon's did.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <string>

namespace voxd::goxel {

struct RenderInfo {
  std::string path;
  std::uint64_t size = 0;
  std::string format = "png";
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::string sha256;  // hex, as the daemon's FileWritten reported it for the bytes it wrote
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::string session;
};

class RenderRegistry {
 public:
  static constexpr std::int64_t kLifetimeSeconds = 3600;

  void add(RenderInfo info) {
    forget_expired();
    const std::string path = info.path;
    renders_[path] = std::move(info);
  }
  [[nodiscard]] const RenderInfo* find(const std::string& path) {
    forget_expired();
    const auto it = renders_.find(path);
    return it != renders_.end() ? &it->second : nullptr;
  }
  bool remove(const std::string& path) { return renders_.erase(path) > 0; }
  [[nodiscard]] const std::map<std::string, RenderInfo>& all() {
    forget_expired();
    return renders_;
  }
  // A name unique within this daemon's run, for a managed render file.
  [[nodiscard]] std::string next_name(const std::string& session_tag) {
    return "goxel-render-" + std::to_string(std::time(nullptr)) + "-" + session_tag + "-" +
           std::to_string(++counter_) + ".png";
  }

 private:
  void forget_expired() {
    const std::int64_t now = std::time(nullptr);
    std::erase_if(renders_, [now](const auto& entry) { return entry.second.expires_at <= now; });
  }

  std::map<std::string, RenderInfo> renders_;
  std::uint64_t counter_ = 0;
};

}  // namespace voxd::goxel
