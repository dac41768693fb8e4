// Helpers shared by the format tests: files, voxel sets, and a builder of hand-made .gox files.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "voxd/core/formats/format.hpp"
#include "voxd/core/formats/render.hpp"
#include "voxd/core/project.hpp"

namespace voxd::test {

using core::Color;
using core::Vec3i;
using core::formats::Bytes;

// One solid voxel as Goxel's txt export lists it: position and 0xRRGGBB.
struct SolidVoxel {
  std::int32_t x = 0;
  std::int32_t y = 0;
  std::int32_t z = 0;
  std::uint32_t rgb = 0;
  friend auto operator<=>(const SolidVoxel&, const SolidVoxel&) = default;
};
using VoxelSet = std::set<SolidVoxel>;

inline std::optional<Bytes> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool write_file(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// The voxels of a Goxel txt export (comments skipped); nullopt if a line does not parse.
inline std::optional<VoxelSet> parse_goxel_txt(const std::string& text) {
  VoxelSet set;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::istringstream fields(line);
    SolidVoxel v;
    std::string hex;
    if (!(fields >> v.x >> v.y >> v.z >> hex) || hex.size() != 6) {
      return std::nullopt;
    }
    v.rgb = static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16));
    set.insert(v);
  }
  return set;
}

// Solid voxels (alpha >= 127) of the visible layers, upper layers over lower ones.
inline VoxelSet solid_visible_voxels(const core::ProjectState& state) {
  core::Volume merged;
  for (const core::Layer& layer : state.layers) {
    if (layer.visible) {
      layer.volume.for_each_voxel([&merged](Vec3i p, Color c) { merged.set(p, c); });
    }
  }
  VoxelSet set;
  merged.for_each_voxel([&set](Vec3i p, Color c) {
    if (c.solid()) {
      set.insert(SolidVoxel{p.x, p.y, p.z, c.packed() >> 8U});
    }
  });
  return set;
}

// A short description of how two sets differ, for failure messages.
inline std::string describe_difference(const VoxelSet& actual, const VoxelSet& expected) {
  std::vector<SolidVoxel> missing;
  std::vector<SolidVoxel> extra;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(extra));
  std::ostringstream out;
  out << actual.size() << " voxels read, " << expected.size() << " expected; " << missing.size() << " missing, "
      << extra.size() << " extra";
  const auto show = [&out](const char* what, const std::vector<SolidVoxel>& v) {
    for (std::size_t i = 0; i < std::min<std::size_t>(v.size(), 5); ++i) {
      out << "\n  " << what << " " << v[i].x << " " << v[i].y << " " << v[i].z << " " << std::hex << v[i].rgb
          << std::dec;
    }
  };
  show("missing", missing);
  show("extra", extra);
  return out.str();
}

// Builds .gox files byte by byte, for malformed-input tests.
class GoxBuilder {
 public:
  explicit GoxBuilder(std::int32_t version = 2) {
    text(bytes_, "GOX ");
    i32(bytes_, version);
  }
  static void i32(Bytes& out, std::int32_t v) {
    for (int i = 0; i < 4; ++i) {
      out.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(v) >> (8 * i)));
    }
  }
  static void text(Bytes& out, std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }
  static void entry(Bytes& out, std::string_view key, const Bytes& value) {
    i32(out, static_cast<std::int32_t>(key.size()));
    text(out, key);
    i32(out, static_cast<std::int32_t>(value.size()));
    out.insert(out.end(), value.begin(), value.end());
  }
  static Bytes int_value(std::int32_t v) {
    Bytes b;
    i32(b, v);
    return b;
  }
  // A 64x64 RGBA PNG whose pixel i is `color` for i in `filled`, else empty.
  static Bytes tile_png(const std::vector<int>& filled, Color color, int width = 64, int height = 64) {
    core::formats::Image image;
    image.width = width;
    image.height = height;
    image.rgba.assign(static_cast<std::size_t>(width * height * 4), 0);
    for (const int i : filled) {
      const auto p = static_cast<std::size_t>(i) * 4;
      image.rgba[p] = color.r;
      image.rgba[p + 1] = color.g;
      image.rgba[p + 2] = color.b;
      image.rgba[p + 3] = color.a;
    }
    return core::formats::encode_png(image).value();
  }
  // LAYR body: block count, records (index, x, y, z, 0), then dict bytes.
  static Bytes layer_body(const std::vector<std::array<std::int32_t, 4>>& records, const Bytes& dict = {}) {
    Bytes b;
    i32(b, static_cast<std::int32_t>(records.size()));
    for (const auto& r : records) {
      for (const std::int32_t v : r) {
        i32(b, v);
      }
      i32(b, 0);
    }
    b.insert(b.end(), dict.begin(), dict.end());
    return b;
  }

  GoxBuilder& chunk(std::string_view tag, const Bytes& body) { return chunk_with_length(tag, body, body.size()); }
  GoxBuilder& chunk_with_length(std::string_view tag, const Bytes& body, std::size_t declared) {
    text(bytes_, tag);
    i32(bytes_, static_cast<std::int32_t>(declared));
    bytes_.insert(bytes_.end(), body.begin(), body.end());
    i32(bytes_, 0);
    return *this;
  }
  GoxBuilder& raw(const Bytes& b) {
    bytes_.insert(bytes_.end(), b.begin(), b.end());
    return *this;
  }
  [[nodiscard]] const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

}  // namespace voxd::test
