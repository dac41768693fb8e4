// voxctl's --json output: a small writer for flat JSON objects and arrays (no dependency needed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace voxd::voxctl {

[[nodiscard]] std::string json_string(std::string_view text);

class JsonObject {
 public:
  JsonObject& add(std::string_view key, std::int64_t value);
  JsonObject& add(std::string_view key, std::uint64_t value);
  JsonObject& add(std::string_view key, double value);
  JsonObject& add(std::string_view key, bool value);
  JsonObject& add(std::string_view key, std::string_view value);
  JsonObject& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  // `json` must already be valid JSON (an object or array made with these helpers).
  JsonObject& add_raw(std::string_view key, std::string_view json);
  [[nodiscard]] std::string str() const { return "{" + body_ + "}"; }

 private:
  void key(std::string_view name);
  std::string body_;
};

[[nodiscard]] std::string json_array(const std::vector<std::string>& items);

}  // namespace voxd::voxctl
