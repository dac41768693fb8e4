// What the RequestHandler's files share: the reply room kept for envelopes and small helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "voxd/core/error.hpp"
#include "voxd/core/project.hpp"
#include "voxd/protocol/voxd_generated.h"

namespace voxd::daemon::handler_support {

// Room kept in a reply for the envelope and vector headers.
inline constexpr std::size_t kReplyOverhead = 4096;

inline std::int64_t state_voxels(const core::ProjectState& state) {
  std::int64_t total = 0;
  for (const core::Layer& layer : state.layers) {
    total += layer.volume.voxel_count();
  }
  return total;
}

inline std::string file_stem(std::string_view path) {
  const std::string stem = std::filesystem::path(std::string(path)).stem().string();
  return stem.empty() ? std::string("untitled") : stem;
}

inline flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<protocol::LayerInfo>>> layer_infos(
    flatbuffers::FlatBufferBuilder& fb, const core::Project& project) {
  std::vector<flatbuffers::Offset<protocol::LayerInfo>> layers;
  const auto& all = project.layers();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const core::Layer& layer = all[i];
    layers.push_back(protocol::CreateLayerInfo(fb, layer.id, fb.CreateString(layer.name), layer.visible,
                                               static_cast<protocol::BlendMode>(layer.mode), layer.volume.voxel_count(),
                                               static_cast<std::uint32_t>(i)));
  }
  return fb.CreateVector(layers);
}

}  // namespace voxd::daemon::handler_support
