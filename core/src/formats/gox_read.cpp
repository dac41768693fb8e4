// The .gox reader (Goxel versions 1 and 2). The file is hostile: every length is checked against what
// remains of its chunk, every index against what was read before it, and every allocation against
// ReadLimits. Errors name the byte offset: "gox: offset N: reason".
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "byte_io.hpp"
#include "codecs.hpp"
#include "gox_common.hpp"
#include "gox_derived_layers.hpp"
#include "voxd/core/formats/render.hpp"

namespace voxd::core::formats {
namespace {

// Materials and cameras are tiny, but a file may hold millions of empty chunks.
constexpr std::size_t kMaxMaterials = 65536;
constexpr std::size_t kMaxCameras = 65536;

Error error_at(ErrorCode code, std::size_t offset, std::string_view reason) {
  return make_error(code, "gox: offset " + std::to_string(offset) + ": " + std::string(reason));
}
Error format_error(std::size_t offset, std::string_view reason) {
  return error_at(ErrorCode::format, offset, reason);
}
Error limit_error(std::size_t offset, std::string_view reason) {
  return error_at(ErrorCode::limit_exceeded, offset, reason);
}

std::string_view as_text(std::span<const std::uint8_t> bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};  // NOLINT: bytes viewed as chars
}

// Walks a dictionary up to the end of its chunk, calling f(key, value) for every entry.
template <typename F>
Status read_dict(ByteReader& r, F&& f) {
  while (!r.at_end()) {
    const std::size_t at = r.offset();
    const auto key_length = r.i32();
    if (!key_length) {
      return format_error(at, "dictionary key length runs past the end of the chunk");
    }
    if (*key_length == 0) {
      break;  // an explicit end of dictionary
    }
    if (*key_length < 0 || static_cast<std::size_t>(*key_length) > gox::kMaxDictKeyBytes) {
      return format_error(at, "dictionary key length " + std::to_string(*key_length) + " out of range (1..255)");
    }
    const auto key = r.bytes(static_cast<std::size_t>(*key_length));
    if (!key) {
      return format_error(at, "dictionary key runs past the end of the chunk");
    }
    const std::size_t value_at = r.offset();
    const auto value_length = r.i32();
    if (!value_length || *value_length < 0) {
      return format_error(value_at, "dictionary value length missing or negative");
    }
    const auto value = r.bytes(static_cast<std::size_t>(*value_length));
    if (!value) {
      return format_error(
          value_at, "dictionary value of " + std::to_string(*value_length) + " bytes runs past the end of the chunk");
    }
    f(as_text(*key), *value);
  }
  return {};
}

// A layer as the file describes it, before derived layers are baked and ids settled.
struct PendingLayer {
  Layer layer;
  std::size_t offset = 0;  // of its LAYR chunk
  std::int32_t file_id = 0;
  std::int32_t base_id = 0;  // clone of the layer with this id; 0 = not a clone
  std::optional<gox::Shape> shape;
  Color shape_color{255, 255, 255, 255};
};

class GoxReader {
 public:
  GoxReader(ByteView bytes, const ReadLimits& limits) : bytes_(bytes), limits_(limits) {}

  Result<ProjectState> read() {
    ByteReader r(bytes_);
    const auto magic = r.bytes(4);
    if (!magic || !std::equal(magic->begin(), magic->end(), gox::kMagic.begin())) {
      return format_error(0, "not a .gox file (no 'GOX ' magic)");
    }
    const auto version = r.i32();
    if (!version) {
      return format_error(4, "truncated header (no version)");
    }
    if (*version != 1 && *version != 2) {
      return error_at(ErrorCode::unsupported, 4, "version " + std::to_string(*version) + " is not supported (1, 2)");
    }
    version_ = *version;
    while (!r.at_end()) {
      const std::size_t at = r.offset();
      const auto tag = r.bytes(4);
      const auto length = r.i32();
      if (!tag || !length) {
        return format_error(at, "truncated chunk header");
      }
      if (*length < 0 || static_cast<std::size_t>(*length) > r.remaining()) {
        return format_error(at + 4, "chunk length " + std::to_string(*length) + " runs past the end of the file (" +
                                        std::to_string(r.remaining()) + " bytes left)");
      }
      const auto body = r.bytes(static_cast<std::size_t>(*length));
      if (!body || !r.skip(4)) {  // the CRC: always 0 in Goxel's files, never checked
        return format_error(at, "chunk has no CRC");
      }
      gox::Tag type{};
      std::copy(tag->begin(), tag->end(), type.begin());
      VOXD_TRY(read_chunk(type, ByteReader(*body, at + 8), at));
    }
    VOXD_TRY(finish());
    return std::move(state_);
  }

 private:
  Status read_chunk(const gox::Tag& type, ByteReader body, std::size_t at) {
    if (type == gox::kBlockTag) {
      return read_block(body, at);
    }
    if (type == gox::kLayerTag) {
      return read_layer(body, at);
    }
    if (type == gox::kMaterialTag) {
      return read_material(body, at);
    }
    if (type == gox::kImageTag) {
      return read_dict(body, [this](std::string_view key, gox::Value value) {
        if (key == "box") {
          if (const auto m = gox::value_floats<16>(value)) {
            state_.working_box = gox::matrix_to_box(*m);
          }
        }
      });
    }
    if (type == gox::kCameraTag) {
      return read_camera(body, at);
    }
    if (type == gox::kLightTag) {
      return read_light(body);
    }
    return {};  // PREV and unknown chunks
  }

  Status read_block(ByteReader body, std::size_t at) {
    if (Status tiles = limits_.check_blocks(blocks_.size() + 1, "gox BL16 tiles"); !tiles.ok()) {
      return limit_error(at, tiles.error().message);
    }
    const auto png = body.bytes(body.remaining());
    auto image = decode_png(*png, gox::kTilePixels);
    if (!image.ok()) {
      return format_error(at, "BL16 tile is not a 64x64 PNG: " + image.error().message);
    }
    if (image->width != gox::kTileImageEdge || image->height != gox::kTileImageEdge) {
      return format_error(at, "BL16 tile is " + std::to_string(image->width) + "x" + std::to_string(image->height) +
                                  " pixels, expected 64x64");
    }
    SharedBlock block = SharedBlock::make_empty();
    Block& voxels = block.make_unique();
    const auto& rgba = image->rgba;
    for (int i = 0; i < kBlockVoxels; ++i) {
      const auto p = static_cast<std::size_t>(i) * 4;
      voxels.set(i, Color{rgba[p], rgba[p + 1], rgba[p + 2], rgba[p + 3]});
    }
    blocks_.push_back(SharedBlock::compacted(block));  // layers that share the tile share the small one
    return {};
  }

  // Copies all 4096 voxels of a tile, empty ones included, with its minimum corner at `origin`.
  static void blit(Volume& volume, const SharedBlock& tile, Vec3i origin) {
    if (block_of(origin).origin() == origin) {
      volume.put_block(block_of(origin), tile);  // aligned: share the decoded tile
      return;
    }
    VolumeAccessor writer(volume);
    for (int i = 0; i < kBlockVoxels; ++i) {
      writer.set(origin + local_of_index(i), tile->get(i));
    }
  }

  Status read_layer(ByteReader& body, std::size_t at) {
    if (layers_.size() >= limits_.max_layers) {
      return limit_error(at, "more layers than max_layers (" + std::to_string(limits_.max_layers) + ")");
    }
    const auto count = body.i32();
    if (!count) {
      return format_error(at, "LAYR chunk too short for its block count");
    }
    if (*count < 0) {
      return format_error(at, "LAYR block count " + std::to_string(*count) + " is negative");
    }
    const auto records = static_cast<std::size_t>(*count);
    if (records > body.remaining() / gox::kBlockRecordBytes) {
      return format_error(at, "LAYR block count " + std::to_string(*count) + " does not fit the chunk (" +
                                  std::to_string(body.remaining()) + " bytes left)");
    }
    tile_records_ += records;
    if (Status placed = limits_.check_blocks(tile_records_, "gox tile records"); !placed.ok()) {
      return limit_error(at, placed.error().message);
    }
    PendingLayer pending;
    pending.offset = at;
    for (std::size_t i = 0; i < records; ++i) {
      const std::size_t record_at = body.offset();
      const auto index = body.i32();
      const auto x = body.i32();
      const auto y = body.i32();
      const auto z = body.i32();
      if (!index || !x || !y || !z || !body.skip(4)) {
        return format_error(record_at, "LAYR block record truncated");
      }
      if (*index < 0 || static_cast<std::size_t>(*index) >= blocks_.size()) {
        return format_error(record_at, "LAYR block index " + std::to_string(*index) + " out of range (" +
                                           std::to_string(blocks_.size()) + " BL16 tiles before it)");
      }
      // Version 1 stores the tile's centre.
      const std::int64_t shift = version_ == 1 ? kBlockEdge / 2 : 0;
      const std::int64_t ox = std::int64_t{*x} - shift;
      const std::int64_t oy = std::int64_t{*y} - shift;
      const std::int64_t oz = std::int64_t{*z} - shift;
      constexpr std::int64_t kLast = kBlockEdge - 1;
      if (!in_coord_range(ox) || !in_coord_range(oy) || !in_coord_range(oz) || !in_coord_range(ox + kLast) ||
          !in_coord_range(oy + kLast) || !in_coord_range(oz + kLast)) {
        return format_error(record_at, "LAYR tile position out of the coordinate range");
      }
      blit(pending.layer.volume, blocks_[static_cast<std::size_t>(*index)],
           Vec3i{static_cast<std::int32_t>(ox), static_cast<std::int32_t>(oy), static_cast<std::int32_t>(oz)});
      if (stored_voxels_ + pending.layer.volume.voxel_count() > limits_.max_voxels) {
        return limit_error(record_at, "more voxels than max_voxels (" + std::to_string(limits_.max_voxels) + ")");
      }
    }
    VOXD_TRY(
        read_dict(body, [&pending](std::string_view key, gox::Value value) { read_layer_entry(pending, key, value); }));
    stored_voxels_ += pending.layer.volume.voxel_count();
    layers_.push_back(std::move(pending));
    return {};
  }

  static void read_layer_entry(PendingLayer& pending, std::string_view key, gox::Value value) {
    Layer& layer = pending.layer;
    if (key == "name") {
      layer.name = gox::value_string(value);
    } else if (key == "mat") {
      if (const auto m = gox::value_floats<16>(value)) {
        layer.transform = *m;
      }
    } else if (key == "id") {
      pending.file_id = gox::value_int(value).value_or(pending.file_id);
    } else if (key == "base_id") {
      pending.base_id = gox::value_int(value).value_or(pending.base_id);
    } else if (key == "material") {
      layer.material = gox::value_int(value).value_or(layer.material);
    } else if (key == "mode") {
      if (const auto mode = gox::value_int(value)) {
        layer.mode = blend_mode_from_int(*mode).value_or(layer.mode);
      }
    } else if (key == "visible") {
      layer.visible = gox::value_bool(value).value_or(layer.visible);
    } else if (key == "shape") {
      pending.shape = gox::parse_shape(gox::value_string(value));
    } else if (key == "color") {
      pending.shape_color = gox::value_color(value).value_or(pending.shape_color);
    }
  }

  Status read_material(ByteReader& body, std::size_t at) {
    if (state_.materials.size() >= kMaxMaterials) {
      return limit_error(at, "more than " + std::to_string(kMaxMaterials) + " materials");
    }
    Material material;
    VOXD_TRY(read_dict(body, [&material](std::string_view key, gox::Value value) {
      if (key == "name") {
        material.name = gox::value_string(value);
      } else if (key == "color") {
        material.color = gox::value_floats<4>(value).value_or(material.color);
      } else if (key == "metallic") {
        material.metallic = gox::value_float(value).value_or(material.metallic);
      } else if (key == "roughness") {
        material.roughness = gox::value_float(value).value_or(material.roughness);
      } else if (key == "emission") {
        material.emission = gox::value_floats<3>(value).value_or(material.emission);
      }
    }));
    state_.materials.push_back(std::move(material));
    return {};
  }

  Status read_camera(ByteReader& body, std::size_t at) {
    if (state_.cameras.size() >= kMaxCameras) {
      return limit_error(at, "more than " + std::to_string(kMaxCameras) + " cameras");
    }
    Camera camera;
    VOXD_TRY(read_dict(body, [&camera](std::string_view key, gox::Value value) {
      if (key == "name") {
        camera.name = gox::value_string(value);
      } else if (key == "dist") {
        camera.distance = gox::value_float(value).value_or(camera.distance);
      } else if (key == "ortho") {
        camera.orthographic = gox::value_bool(value).value_or(camera.orthographic);
      } else if (key == "mat") {
        camera.transform = gox::value_floats<16>(value).value_or(camera.transform);
      } else if (key == "active") {
        camera.active = true;  // present = active, whatever its value
      }
    }));
    state_.cameras.push_back(std::move(camera));
    return {};
  }

  Status read_light(ByteReader& body) {
    Light light;
    VOXD_TRY(read_dict(body, [&light](std::string_view key, gox::Value value) {
      if (key == "pitch") {
        light.pitch = gox::value_float(value).value_or(light.pitch);
      } else if (key == "yaw") {
        light.yaw = gox::value_float(value).value_or(light.yaw);
      } else if (key == "intensity") {
        light.intensity = gox::value_float(value).value_or(light.intensity);
      } else if (key == "fixed") {
        light.fixed = gox::value_bool(value).value_or(light.fixed);
      } else if (key == "ambient") {
        light.ambient = gox::value_float(value).value_or(light.ambient);
      } else if (key == "shadow") {
        light.shadow = gox::value_float(value).value_or(light.shadow);
      }
    }));
    state_.light = light;
    return {};
  }

  [[nodiscard]] std::int64_t total_voxels() const noexcept {
    std::int64_t total = 0;
    for (const PendingLayer& pending : layers_) {
      total += pending.layer.volume.voxel_count();
    }
    return total;
  }
  // What a derived layer may still examine and add.
  [[nodiscard]] std::int64_t voxel_budget() const noexcept {
    return std::max<std::int64_t>(0, limits_.max_voxels - total_voxels());
  }
  [[nodiscard]] Status check_total_voxels(std::size_t at) const {
    if (total_voxels() > limits_.max_voxels) {
      return limit_error(at, "more voxels than max_voxels (" + std::to_string(limits_.max_voxels) + ")");
    }
    return {};
  }

  // Shape layers, then clones (possibly of shapes or of other clones), become plain voxels.
  Status bake_derived_layers() {
    for (PendingLayer& pending : layers_) {
      if (pending.shape && pending.base_id == 0) {
        const Status baked = gox::bake_shape(*pending.shape, pending.layer.transform, pending.shape_color,
                                             voxel_budget(), pending.layer.volume);
        if (!baked.ok()) {
          return error_at(baked.code(), pending.offset, "LAYR shape: " + baked.error().message);
        }
        VOXD_TRY(check_total_voxels(pending.offset));
        pending.layer.transform = kIdentity;  // consumed by the shape
      }
    }
    absl::flat_hash_map<std::int32_t, std::size_t> index_of_id;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      index_of_id.try_emplace(layers_[i].file_id, i);
    }
    // Each pass bakes every clone whose base is ready; a pass without progress means a cycle.
    std::vector<bool> waiting(layers_.size());
    std::size_t left = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      waiting[i] = layers_[i].base_id != 0;
      left += waiting[i] ? 1U : 0U;
    }
    while (left > 0) {
      std::size_t baked_this_pass = 0;
      for (std::size_t i = 0; i < layers_.size(); ++i) {
        if (!waiting[i]) {
          continue;
        }
        PendingLayer& clone = layers_[i];
        const auto base = index_of_id.find(clone.base_id);
        if (base != index_of_id.end() && waiting[base->second]) {
          continue;
        }
        if (base == index_of_id.end()) {
          clone.layer.volume.clear();  // a clone of nothing: Goxel shows it empty
        } else {
          const Status baked = gox::bake_transformed(layers_[base->second].layer.volume, clone.layer.transform,
                                                     voxel_budget(), clone.layer.volume);
          if (!baked.ok()) {
            return error_at(baked.code(), clone.offset, "LAYR clone: " + baked.error().message);
          }
          VOXD_TRY(check_total_voxels(clone.offset));
        }
        clone.layer.transform = kIdentity;  // consumed by the move
        waiting[i] = false;
        --left;
        ++baked_this_pass;
      }
      if (baked_this_pass == 0) {
        const auto stuck = static_cast<std::size_t>(std::find(waiting.begin(), waiting.end(), true) - waiting.begin());
        return format_error(layers_[stuck].offset,
                            "LAYR clones form a cycle (layer id " + std::to_string(layers_[stuck].file_id) + ")");
      }
    }
    return {};
  }

  // Goxel's ids may be 0 or repeated; voxd's are unique and non-zero (0 means "the active layer").
  void assign_layer_ids() {
    absl::flat_hash_map<std::int32_t, bool> seen;
    bool usable = true;
    for (const PendingLayer& pending : layers_) {
      usable = usable && pending.file_id > 0 && seen.try_emplace(pending.file_id, true).second;
    }
    std::uint32_t next = 1;
    for (PendingLayer& pending : layers_) {
      pending.layer.id = usable ? static_cast<std::uint32_t>(pending.file_id) : next;
      next = std::max(next, pending.layer.id + 1);
    }
    state_.next_layer_id = next;
  }

  Status finish() {
    if (layers_.empty()) {
      PendingLayer background;
      background.layer.name = "background";
      background.file_id = 1;
      layers_.push_back(std::move(background));
    }
    VOXD_TRY(bake_derived_layers());
    assign_layer_ids();
    for (PendingLayer& pending : layers_) {
      Layer& layer = pending.layer;
      if (layer.material < 0 || static_cast<std::size_t>(layer.material) >= state_.materials.size()) {
        layer.material = -1;
      }
      state_.layers.push_back(std::move(layer));
    }
    return {};
  }

  ByteView bytes_;
  ReadLimits limits_;
  std::int32_t version_ = 0;
  std::vector<SharedBlock> blocks_;  // BL16 tiles by index
  std::vector<PendingLayer> layers_;
  std::int64_t stored_voxels_ = 0;  // in the layers read so far
  std::size_t tile_records_ = 0;
  ProjectState state_;
};

}  // namespace

bool gox_matches(ByteView head) noexcept {
  return head.size() >= gox::kMagic.size() && std::equal(gox::kMagic.begin(), gox::kMagic.end(), head.begin());
}

Result<ProjectState> read_gox(ByteView bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return limit_error(0, "file of " + std::to_string(bytes.size()) + " bytes exceeds max_file_bytes (" +
                              std::to_string(limits.max_file_bytes) + ")");
  }
  try {
    return GoxReader(bytes, limits).read();
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "gox: out of memory while reading");
  }
}

}  // namespace voxd::core::formats
