#include "checkpoint_codec.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "block_words.hpp"
#include "voxd/core/blend_mode.hpp"
#include "voxd/store/checkpoint_generated.h"

namespace voxd::store {

namespace {

// Raised when a field is added that older readers must not ignore. 2: blocks as block_kinds + block_words
// (block_words.hpp) instead of 4096 raw values each; version 1 checkpoints are still read.
constexpr std::uint32_t kCheckpointVersion = 2;

using core::ErrorCode;
using core::make_error;

template <std::size_t N>
flatbuffers::Offset<flatbuffers::Vector<float>> floats(flatbuffers::FlatBufferBuilder& fb,
                                                       const std::array<float, N>& values) {
  return fb.CreateVector(values.data(), values.size());
}

template <std::size_t N>
bool read_floats(const flatbuffers::Vector<float>* from, std::array<float, N>& to) {
  if (from == nullptr) {
    return true;  // absent: the default stays
  }
  if (from->size() != N) {
    return false;
  }
  std::copy(from->begin(), from->end(), to.begin());
  return true;
}

flatbuffers::Offset<fb::StoredLayer> encode_layer(flatbuffers::FlatBufferBuilder& fb, const core::Layer& layer) {
  std::vector<fb::BlockCoord> coords;
  coords.reserve(layer.volume.block_count());
  std::vector<std::uint8_t> kinds;
  kinds.reserve(layer.volume.block_count());
  std::vector<std::uint32_t> words;
  layer.volume.for_each_block([&](core::BlockCoord c, const core::SharedBlock& block) {
    coords.emplace_back(c.x, c.y, c.z);
    append_block_words(*block, kinds, words);
  });
  const auto name = fb.CreateString(layer.name);
  const auto transform = floats(fb, layer.transform);
  const auto coords_offset = fb.CreateVectorOfStructs(coords);
  const auto kinds_offset = fb.CreateVector(kinds);
  const auto words_offset = fb.CreateVector(words);
  return fb::CreateStoredLayer(fb, layer.id, name, layer.visible, static_cast<std::uint8_t>(layer.mode), layer.material,
                               transform, coords_offset, /*voxels=*/0, layer.vox_layer, kinds_offset, words_offset);
}

std::string block_name(const fb::BlockCoord& c) {
  return "(" + std::to_string(c.x()) + "," + std::to_string(c.y()) + "," + std::to_string(c.z()) + ")";
}

// Version 1: 4096 packed RGBA values per block.
core::Result<core::SharedBlock> read_raw_block(const flatbuffers::Vector<std::uint32_t>& voxels, std::size_t b) {
  core::SharedBlock block = core::SharedBlock::make_empty();
  core::Block& writable = block.make_unique();
  const std::size_t first = b * static_cast<std::size_t>(core::kBlockVoxels);
  for (int i = 0; i < core::kBlockVoxels; ++i) {
    writable.set(i, core::Color::from_packed(voxels.Get(static_cast<flatbuffers::uoffset_t>(first) +
                                                        static_cast<flatbuffers::uoffset_t>(i))));
  }
  return block;
}

core::Result<core::Layer> decode_layer(const fb::StoredLayer& stored, std::uint32_t version, std::size_t& blocks_left) {
  core::Layer layer;
  layer.id = stored.id();
  layer.name = stored.name() != nullptr ? stored.name()->str() : std::string();
  layer.visible = stored.visible();
  const auto mode = core::blend_mode_from_int(stored.mode());
  if (!mode) {
    return make_error(ErrorCode::format, "checkpoint: layer " + std::to_string(layer.id) + " has blend mode " +
                                             std::to_string(stored.mode()));
  }
  layer.mode = *mode;
  layer.material = stored.material();
  layer.vox_layer = stored.vox_layer();
  if (!read_floats(stored.transform(), layer.transform)) {
    return make_error(ErrorCode::format, "checkpoint: layer " + std::to_string(layer.id) + " transform is not 4x4");
  }
  const auto* coords = stored.block_coords();
  const std::size_t blocks = coords != nullptr ? coords->size() : 0;
  const auto* raw = stored.voxels();
  const auto* kinds = stored.block_kinds();
  const std::span<const std::uint32_t> words =
      stored.block_words() != nullptr ? std::span(stored.block_words()->data(), stored.block_words()->size())
                                      : std::span<const std::uint32_t>();
  if (version >= 2) {
    if ((kinds != nullptr ? kinds->size() : 0) != blocks) {
      return make_error(ErrorCode::format, "checkpoint: layer " + std::to_string(layer.id) + " has " +
                                               std::to_string(kinds != nullptr ? kinds->size() : 0) +
                                               " block kinds for " + std::to_string(blocks) + " blocks");
    }
  } else if ((raw != nullptr ? raw->size() : 0) != blocks * static_cast<std::size_t>(core::kBlockVoxels)) {
    return make_error(ErrorCode::format, "checkpoint: layer " + std::to_string(layer.id) + " has " +
                                             std::to_string(raw != nullptr ? raw->size() : 0) + " voxel values for " +
                                             std::to_string(blocks) + " blocks");
  }
  if (blocks > blocks_left) {
    return make_error(ErrorCode::limit_exceeded, "checkpoint: more blocks than max_blocks");
  }
  blocks_left -= blocks;
  std::size_t cursor = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    const auto at = static_cast<flatbuffers::uoffset_t>(b);
    const fb::BlockCoord* c = coords->Get(at);
    const core::BlockCoord coord{c->x(), c->y(), c->z()};
    if (layer.volume.find_block(coord) != nullptr) {
      return make_error(ErrorCode::format,
                        "checkpoint: layer " + std::to_string(layer.id) + " stores block " + block_name(*c) + " twice");
    }
    auto block = version >= 2 ? read_block_words(kinds->Get(at), words, cursor) : read_raw_block(*raw, b);
    if (!block) {
      return make_error(ErrorCode::format, "checkpoint: layer " + std::to_string(layer.id) + " block " +
                                               block_name(*c) + ": " + block.error().message);
    }
    layer.volume.put_block(coord, *block);
  }
  if (cursor != words.size()) {
    return make_error(ErrorCode::format, "checkpoint: layer " + std::to_string(layer.id) + " has " +
                                             std::to_string(words.size() - cursor) + " block words past its blocks");
  }
  return layer;
}

using Properties = std::vector<std::pair<std::string, std::string>>;

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> encode_properties(
    flatbuffers::FlatBufferBuilder& fb, const Properties& properties) {
  std::vector<flatbuffers::Offset<flatbuffers::String>> texts;
  texts.reserve(2 * properties.size());
  for (const auto& [key, value] : properties) {
    texts.push_back(fb.CreateString(key));
    texts.push_back(fb.CreateString(value));
  }
  return fb.CreateVector(texts);
}

core::Result<Properties> decode_properties(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* texts,
                                           std::string_view owner) {
  Properties properties;
  if (texts == nullptr) {
    return properties;
  }
  if (texts->size() % 2 != 0) {
    return make_error(ErrorCode::format, "checkpoint: " + std::string(owner) + " has a key without a value");
  }
  for (flatbuffers::uoffset_t i = 0; i < texts->size(); i += 2) {
    properties.emplace_back(texts->Get(i)->str(), texts->Get(i + 1)->str());
  }
  return properties;
}

// The .vox notions of core::ProjectState: MATL materials by colour and the LAYR panel.
core::Status decode_vox_extras(const fb::StoredProject& stored, const core::ReadLimits& limits,
                               core::ProjectState& state) {
  if (stored.color_materials() != nullptr) {
    for (const fb::StoredColorMaterial* m : *stored.color_materials()) {
      auto properties = decode_properties(m->properties(), "a colour material");
      if (!properties) {
        return std::move(properties).error();
      }
      state.color_materials.push_back(core::ColorMaterial{m->rgb(), std::move(properties).value()});
    }
  }
  if (stored.vox_layers() != nullptr) {
    if (stored.vox_layers()->size() > limits.max_layers) {
      return make_error(ErrorCode::limit_exceeded, "checkpoint: " + std::to_string(stored.vox_layers()->size()) +
                                                       " MagicaVoxel layer rows, over max_layers (" +
                                                       std::to_string(limits.max_layers) + ")");
    }
    for (const fb::StoredVoxLayer* row : *stored.vox_layers()) {
      auto properties = decode_properties(row->properties(), "a MagicaVoxel layer row");
      if (!properties) {
        return std::move(properties).error();
      }
      state.vox_layers.push_back(core::VoxLayer{row->id(), std::move(properties).value()});
    }
  }
  return {};
}

}  // namespace

Bytes encode_checkpoint(const core::ProjectState& state) {
  flatbuffers::FlatBufferBuilder fb(1024 + state.layers.size() * 256);
  std::vector<flatbuffers::Offset<fb::StoredLayer>> layers;
  layers.reserve(state.layers.size());
  for (const core::Layer& layer : state.layers) {
    layers.push_back(encode_layer(fb, layer));
  }
  std::vector<flatbuffers::Offset<fb::StoredMaterial>> materials;
  for (const core::Material& m : state.materials) {
    materials.push_back(fb::CreateStoredMaterial(fb, fb.CreateString(m.name), floats(fb, m.color), m.metallic,
                                                 m.roughness, floats(fb, m.emission)));
  }
  std::vector<flatbuffers::Offset<fb::StoredCamera>> cameras;
  for (const core::Camera& c : state.cameras) {
    cameras.push_back(fb::CreateStoredCamera(fb, fb.CreateString(c.name), c.distance, c.orthographic, c.active,
                                             floats(fb, c.transform)));
  }
  flatbuffers::Offset<fb::StoredLight> light;
  if (state.light) {
    const core::Light& l = *state.light;
    light = fb::CreateStoredLight(fb, l.pitch, l.yaw, l.intensity, l.fixed, l.ambient, l.shadow);
  }
  std::vector<flatbuffers::Offset<fb::StoredColorMaterial>> color_materials;
  for (const core::ColorMaterial& m : state.color_materials) {
    color_materials.push_back(fb::CreateStoredColorMaterial(fb, m.rgb, encode_properties(fb, m.properties)));
  }
  std::vector<flatbuffers::Offset<fb::StoredVoxLayer>> vox_layers;
  for (const core::VoxLayer& row : state.vox_layers) {
    vox_layers.push_back(fb::CreateStoredVoxLayer(fb, row.id, encode_properties(fb, row.properties)));
  }
  const auto layers_offset = fb.CreateVector(layers);
  const auto materials_offset = fb.CreateVector(materials);
  const auto cameras_offset = fb.CreateVector(cameras);
  const auto color_materials_offset = fb.CreateVector(color_materials);
  const auto vox_layers_offset = fb.CreateVector(vox_layers);
  std::optional<fb::StoredBox> box;
  if (state.working_box) {
    const core::Box& b = *state.working_box;
    box.emplace(b.min.x, b.min.y, b.min.z, b.max.x, b.max.y, b.max.z);
  }
  fb.Finish(fb::CreateStoredProject(fb, kCheckpointVersion, layers_offset, materials_offset, box ? &*box : nullptr,
                                    cameras_offset, light, state.active_layer_id, state.next_layer_id,
                                    color_materials_offset, vox_layers_offset),
            fb::StoredProjectIdentifier());
  return {fb.GetBufferPointer(), fb.GetBufferPointer() + fb.GetSize()};
}

core::Result<core::ProjectState> decode_checkpoint(ByteView bytes, const core::ReadLimits& limits) {
  if (bytes.size() < 8 || !flatbuffers::BufferHasIdentifier(bytes.data(), fb::StoredProjectIdentifier())) {
    return make_error(ErrorCode::format, "checkpoint: not a voxd checkpoint (identifier VXCK missing)");
  }
  // Two vectors per layer and a few tables: the table count bounds layers, not voxels.
  if (bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE) {
    return make_error(ErrorCode::limit_exceeded, "checkpoint: larger than a FlatBuffer may be");
  }
  const auto max_tables =
      static_cast<flatbuffers::uoffset_t>(64 + 4 * (std::min<std::size_t>(limits.max_layers, 1U << 20U) + 1024));
  flatbuffers::Verifier verifier(bytes.data(), bytes.size(), 64, max_tables);
  if (!fb::VerifyStoredProjectBuffer(verifier)) {
    return make_error(ErrorCode::format, "checkpoint: damaged (FlatBuffers verification failed)");
  }
  const fb::StoredProject& stored = *fb::GetStoredProject(bytes.data());
  if (stored.version() > kCheckpointVersion) {
    return make_error(ErrorCode::unsupported, "checkpoint: version " + std::to_string(stored.version()) +
                                                  " was written by a newer voxd (this one reads up to " +
                                                  std::to_string(kCheckpointVersion) + ")");
  }
  core::ProjectState state;
  const std::size_t layer_count = stored.layers() != nullptr ? stored.layers()->size() : 0;
  if (layer_count > limits.max_layers) {
    return make_error(ErrorCode::limit_exceeded, "checkpoint: " + std::to_string(layer_count) +
                                                     " layers, over max_layers (" + std::to_string(limits.max_layers) +
                                                     ")");
  }
  std::size_t blocks_left = limits.max_blocks;
  std::int64_t voxels = 0;
  for (std::size_t i = 0; i < layer_count; ++i) {
    auto layer =
        decode_layer(*stored.layers()->Get(static_cast<flatbuffers::uoffset_t>(i)), stored.version(), blocks_left);
    if (!layer) {
      return std::move(layer).error();
    }
    voxels += layer->volume.voxel_count();
    state.layers.push_back(std::move(layer).value());
  }
  if (voxels > limits.max_voxels) {
    return make_error(ErrorCode::limit_exceeded, "checkpoint: " + std::to_string(voxels) +
                                                     " voxels, over max_voxels (" + std::to_string(limits.max_voxels) +
                                                     ")");
  }
  if (stored.materials() != nullptr) {
    for (const fb::StoredMaterial* m : *stored.materials()) {
      core::Material material;
      material.name = m->name() != nullptr ? m->name()->str() : std::string();
      material.metallic = m->metallic();
      material.roughness = m->roughness();
      if (!read_floats(m->color(), material.color) || !read_floats(m->emission(), material.emission)) {
        return make_error(ErrorCode::format, "checkpoint: a material has a colour of the wrong size");
      }
      state.materials.push_back(std::move(material));
    }
  }
  if (stored.cameras() != nullptr) {
    for (const fb::StoredCamera* c : *stored.cameras()) {
      core::Camera camera;
      camera.name = c->name() != nullptr ? c->name()->str() : std::string();
      camera.distance = c->distance();
      camera.orthographic = c->orthographic();
      camera.active = c->active();
      if (!read_floats(c->transform(), camera.transform)) {
        return make_error(ErrorCode::format, "checkpoint: a camera transform is not 4x4");
      }
      state.cameras.push_back(std::move(camera));
    }
  }
  if (const fb::StoredBox* b = stored.working_box()) {
    state.working_box = core::Box{{b->min_x(), b->min_y(), b->min_z()}, {b->max_x(), b->max_y(), b->max_z()}};
  }
  if (const fb::StoredLight* l = stored.light()) {
    state.light = core::Light{l->pitch(), l->yaw(), l->intensity(), l->fixed(), l->ambient(), l->shadow()};
  }
  state.active_layer_id = stored.active_layer_id();
  state.next_layer_id = stored.next_layer_id();
  VOXD_TRY(decode_vox_extras(stored, limits, state));
  return state;
}

}  // namespace voxd::store
