#include "formats/gltf_materials.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace voxd::core::formats {
namespace {

using Json = nlohmann::ordered_json;

// glTF factors are 0..1 (the validator refuses others); a file's NaN or infinity falls back to the default.
double factor(float value, double fallback) {
  return std::isfinite(value) ? std::clamp(static_cast<double>(value), 0.0, 1.0) : fallback;
}

}  // namespace

std::size_t GltfMaterials::use(const Layer& layer, bool translucent) {
  const bool valid = layer.material >= 0 && static_cast<std::size_t>(layer.material) < state_.materials.size();
  const std::int32_t source = valid ? layer.material : -1;
  const auto [it, inserted] = index_of_.try_emplace(source, materials_.size());
  if (inserted) {
    materials_.push_back(Entry{source, false});
  }
  materials_[it->second].blend = materials_[it->second].blend || translucent;
  return it->second;
}

Json GltfMaterials::json() const {
  Json out = Json::array();
  for (const Entry& entry : materials_) {
    out.push_back(json_of(entry));
  }
  return out;
}

Json GltfMaterials::json_of(const Entry& entry) const {
  if (entry.source < 0) {
    // The vertex colours show as they are.
    Json plain{{"name", "voxels"},
               {"pbrMetallicRoughness",
                {{"baseColorFactor", {1.0, 1.0, 1.0, 1.0}}, {"metallicFactor", 0.0}, {"roughnessFactor", 1.0}}}};
    if (entry.blend) {
      plain["alphaMode"] = "BLEND";
    }
    return plain;
  }
  const Material& m = state_.materials[static_cast<std::size_t>(entry.source)];
  Json base = Json::array();
  for (const float c : m.color) {
    base.push_back(factor(c, 1.0));
  }
  Json material{{"name", m.name.empty() ? "material " + std::to_string(entry.source) : m.name},
                {"pbrMetallicRoughness",
                 {{"baseColorFactor", base},
                  {"metallicFactor", factor(m.metallic, 0.0)},
                  {"roughnessFactor", factor(m.roughness, 1.0)}}}};
  if (std::any_of(m.emission.begin(), m.emission.end(), [](float e) { return factor(e, 0.0) > 0.0; })) {
    Json emissive = Json::array();
    for (const float e : m.emission) {
      emissive.push_back(factor(e, 0.0));
    }
    material["emissiveFactor"] = std::move(emissive);
  }
  if (entry.blend || factor(m.color[3], 1.0) < 1.0) {
    material["alphaMode"] = "BLEND";
  }
  return material;
}

}  // namespace voxd::core::formats
