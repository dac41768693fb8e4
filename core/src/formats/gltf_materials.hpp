// The glTF materials of an export: one per project material a visible layer uses (Goxel's layer materials:
// a base colour that multiplies the voxel colours, metallic, roughness, emission), and a plain "voxels" one
// for layers without a material. See docs/formats-mesh-render.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <nlohmann/json.hpp>

#include "voxd/core/project.hpp"

namespace voxd::core::formats {

class GltfMaterials {
 public:
  explicit GltfMaterials(const ProjectState& state) : state_(state) {}

  // The index of the glTF material for a layer's primitive (translucent: some face has alpha < 255).
  std::size_t use(const Layer& layer, bool translucent);

  [[nodiscard]] bool empty() const noexcept { return materials_.empty(); }
  // The "materials" array, in order of first use.
  [[nodiscard]] nlohmann::ordered_json json() const;

 private:
  struct Entry {
    std::int32_t source = -1;  // index into ProjectState::materials, -1 = the plain one
    bool blend = false;
  };
  [[nodiscard]] nlohmann::ordered_json json_of(const Entry& entry) const;

  const ProjectState& state_;
  std::vector<Entry> materials_;
  absl::flat_hash_map<std::int32_t, std::size_t> index_of_;
};

}  // namespace voxd::core::formats
