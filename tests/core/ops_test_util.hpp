// Helpers shared by the operation tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "voxd/core/ops.hpp"

namespace voxd::core::testing {

inline constexpr Color kRed{255, 0, 0, 255};
inline constexpr Color kGreen{0, 255, 0, 255};
inline constexpr Color kBlue{0, 0, 255, 255};

struct Voxel {
  Vec3i p;
  Color c;
  friend bool operator==(const Voxel&, const Voxel&) = default;
};

// Every voxel of a volume, copied out and sorted: a deep copy to compare snapshots against.
inline std::vector<Voxel> voxels_of(const Volume& volume) {
  std::vector<Voxel> out;
  volume.for_each_voxel([&](Vec3i p, Color c) { out.push_back({p, c}); });
  std::sort(out.begin(), out.end(), [](const Voxel& a, const Voxel& b) {
    return std::tie(a.p.z, a.p.y, a.p.x) < std::tie(b.p.z, b.p.y, b.p.x);
  });
  return out;
}

// The voxels of every layer, deep-copied.
inline std::vector<std::vector<Voxel>> deep_copy(const ProjectState& state) {
  std::vector<std::vector<Voxel>> out;
  for (const Layer& layer : state.layers) {
    out.push_back(voxels_of(layer.volume));
  }
  return out;
}

inline void put(Project& project, Vec3i p, Color c, std::uint32_t layer = kActiveLayer) {
  const VoxelWrite write{p, c};
  ASSERT_TRUE(set_voxels(project, layer, std::span<const VoxelWrite>(&write, 1)).ok());
}

inline Color at(const Project& project, Vec3i p, std::uint32_t layer = kActiveLayer) {
  if (layer == kActiveLayer) {
    layer = project.state().active_layer_id != 0 ? project.state().active_layer_id : project.layers().back().id;
  }
  const auto index = project.layer_index(layer);
  return index.ok() ? project.layers()[*index].volume.get(p) : kEmpty;
}

}  // namespace voxd::core::testing
