// Helpers shared by the .vox tests: building raw .vox bytes chunk by chunk, and comparing what a
// project shows as a set of (x, y, z, rgb).
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "voxd/core/formats/format.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats::testing {

// (x, y, z, 0xRRGGBB)
using VoxelSet = std::set<std::tuple<int, int, int, std::uint32_t>>;

inline std::uint32_t rgb_of(Color c) {
  return (std::uint32_t{c.r} << 16U) | (std::uint32_t{c.g} << 8U) | c.b;
}

// What Goxel's txt export shows: visible layers merged bottom to top, voxels with alpha >= 127.
inline VoxelSet visible_solid_voxels(const ProjectState& state) {
  std::map<std::tuple<int, int, int>, Color> merged;
  for (const Layer& layer : state.layers) {
    if (!layer.visible) {
      continue;
    }
    layer.volume.for_each_voxel([&](Vec3i p, Color c) { merged[{p.x, p.y, p.z}] = c; });
  }
  VoxelSet out;
  for (const auto& [p, c] : merged) {
    if (c.solid()) {
      out.emplace(std::get<0>(p), std::get<1>(p), std::get<2>(p), rgb_of(c));
    }
  }
  return out;
}

inline VoxelSet layer_voxels(const Layer& layer) {
  VoxelSet out;
  layer.volume.for_each_voxel([&](Vec3i p, Color c) { out.emplace(p.x, p.y, p.z, rgb_of(c)); });
  return out;
}

// Goxel's txt export: three '#' lines, then "X Y Z RRGGBB" per voxel.
inline VoxelSet parse_goxel_txt(std::istream& in) {
  VoxelSet out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::istringstream fields(line);
    int x = 0;
    int y = 0;
    int z = 0;
    std::string hex;
    fields >> x >> y >> z >> hex;
    out.emplace(x, y, z, static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16)));
  }
  return out;
}

inline Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Little-endian .vox bytes, written field by field.
class VoxBytes {
 public:
  VoxBytes& i32(std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    for (unsigned shift = 0; shift < 32; shift += 8) {
      bytes_.push_back(static_cast<std::uint8_t>(u >> shift));
    }
    return *this;
  }
  VoxBytes& u8(std::uint8_t v) {
    bytes_.push_back(v);
    return *this;
  }
  VoxBytes& text(std::string_view s) {
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
  }
  VoxBytes& string(std::string_view s) { return i32(static_cast<std::int32_t>(s.size())).text(s); }
  VoxBytes& dict(const std::vector<std::pair<std::string, std::string>>& entries) {
    i32(static_cast<std::int32_t>(entries.size()));
    for (const auto& [k, v] : entries) {
      string(k).string(v);
    }
    return *this;
  }
  VoxBytes& bytes(const Bytes& b) {
    bytes_.insert(bytes_.end(), b.begin(), b.end());
    return *this;
  }
  // A chunk with content and children; sizes are those of the given parts.
  VoxBytes& chunk(std::string_view id, const VoxBytes& content, const VoxBytes& children = {}) {
    text(id).i32(static_cast<std::int32_t>(content.size())).i32(static_cast<std::int32_t>(children.size()));
    return bytes(content.bytes_).bytes(children.bytes_);
  }
  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }
  [[nodiscard]] const Bytes& data() const noexcept { return bytes_; }

 private:
  Bytes bytes_;
};

// Common chunks.
inline VoxBytes size_chunk(int x, int y, int z) {
  return VoxBytes{}.chunk("SIZE", VoxBytes{}.i32(x).i32(y).i32(z));
}
inline VoxBytes xyzi_chunk(const std::vector<std::array<std::uint8_t, 4>>& voxels) {
  VoxBytes content;
  content.i32(static_cast<std::int32_t>(voxels.size()));
  for (const auto& v : voxels) {
    content.u8(v[0]).u8(v[1]).u8(v[2]).u8(v[3]);
  }
  return VoxBytes{}.chunk("XYZI", content);
}
inline VoxBytes transform_chunk(int id, int child, const std::vector<std::pair<std::string, std::string>>& attributes,
                                const std::vector<std::pair<std::string, std::string>>& frame, int layer = 0) {
  return VoxBytes{}.chunk("nTRN", VoxBytes{}.i32(id).dict(attributes).i32(child).i32(-1).i32(layer).i32(1).dict(frame));
}
inline VoxBytes group_chunk(int id, const std::vector<int>& children) {
  VoxBytes content;
  content.i32(id).dict({}).i32(static_cast<std::int32_t>(children.size()));
  for (const int c : children) {
    content.i32(c);
  }
  return VoxBytes{}.chunk("nGRP", content);
}
inline VoxBytes shape_chunk(int id, int model) {
  return VoxBytes{}.chunk("nSHP", VoxBytes{}.i32(id).dict({}).i32(1).i32(model).dict({}));
}
// "VOX ", version, MAIN holding the given children.
inline Bytes vox_file(const std::vector<VoxBytes>& children, int version = 150) {
  VoxBytes all;
  for (const VoxBytes& c : children) {
    all.bytes(c.data());
  }
  VoxBytes file;
  file.text("VOX ").i32(version).chunk("MAIN", VoxBytes{}, all);
  return file.data();
}

}  // namespace voxd::core::formats::testing
