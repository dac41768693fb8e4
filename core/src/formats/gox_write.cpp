// The .gox writer (version 2, as Goxel writes it): IMG, PREV, every BL16, MATE, LAYR, CAMR, LIGH.
// A tile shared by several layers (or by copy-on-write) and tiles with equal content are written once.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <new>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "byte_io.hpp"
#include "codecs.hpp"
#include "gox_common.hpp"
#include "voxd/core/formats/render.hpp"

namespace voxd::core::formats {
namespace {

constexpr int kThumbnailEdge = 128;

// Writes the entries of a chunk's dictionary (length-prefixed key, length-prefixed value).
class DictWriter {
 public:
  explicit DictWriter(ByteWriter& w) noexcept : w_(&w) {}

  void entry(std::string_view key, std::span<const std::uint8_t> value) {
    w_->i32(static_cast<std::int32_t>(key.size()));
    w_->text(key);
    w_->i32(static_cast<std::int32_t>(value.size()));
    w_->bytes(value);
  }
  void entry(std::string_view key, std::string_view text) {
    entry(key, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));  // NOLINT: chars as bytes
  }
  template <std::size_t N>
  void entry(std::string_view key, const std::array<float, N>& floats) {
    std::array<std::uint8_t, N * sizeof(float)> bytes{};
    std::memcpy(bytes.data(), floats.data(), bytes.size());
    entry(key, std::span<const std::uint8_t>(bytes));
  }
  void entry(std::string_view key, float value) { entry(key, std::array<float, 1>{value}); }
  void entry_int(std::string_view key, std::int32_t value) {
    std::array<std::uint8_t, 4> bytes{};
    std::memcpy(bytes.data(), &value, bytes.size());
    entry(key, std::span<const std::uint8_t>(bytes));
  }
  void entry_bool(std::string_view key, bool value) {
    const std::array<std::uint8_t, 1> bytes{static_cast<std::uint8_t>(value ? 1 : 0)};
    entry(key, std::span<const std::uint8_t>(bytes));
  }

 private:
  gsl::not_null<ByteWriter*> w_;
};

// Writes one chunk: tag, length, the body written by write_body(ByteWriter&), CRC 0 (Goxel's value).
template <typename F>
void write_chunk(ByteWriter& w, const gox::Tag& tag, F&& write_body) {
  w.bytes(tag);
  const std::size_t length_at = w.size();
  w.u32(0);
  write_body(w);
  w.patch_u32(length_at, static_cast<std::uint32_t>(w.size() - length_at - 4));
  w.u32(0);
}

struct TileRecord {
  std::int32_t index = 0;
  Vec3i origin;
};

// Assigns BL16 indices to tiles, writing each distinct tile once.
class TileTable {
 public:
  explicit TileTable(ByteWriter& w) : w_(&w) {}

  Result<std::int32_t> index_of(const SharedBlock& tile) {
    if (const auto it = by_identity_.find(tile.identity()); it != by_identity_.end()) {
      return it->second;
    }
    const BlockVoxels voxels = tile->decoded();
    const std::string_view content(reinterpret_cast<const char*>(voxels.data()), kBlockBytes);  // NOLINT: raw bytes
    const std::size_t hash = std::hash<std::string_view>{}(content);
    auto& candidates = by_content_[hash];
    for (const std::int32_t candidate : candidates) {
      if (*written_[static_cast<std::size_t>(candidate)] == *tile) {
        by_identity_.emplace(tile.identity(), candidate);
        return candidate;
      }
    }
    Image image;
    image.width = gox::kTileImageEdge;
    image.height = gox::kTileImageEdge;
    image.rgba.resize(kBlockBytes);
    std::memcpy(image.rgba.data(), voxels.data(), kBlockBytes);
    auto png = encode_png(image);
    if (!png.ok()) {
      return std::move(png).error();
    }
    write_chunk(*w_, gox::kBlockTag, [&png](ByteWriter& body) { body.bytes(*png); });
    const auto index = static_cast<std::int32_t>(written_.size());
    written_.push_back(tile);
    candidates.push_back(index);
    by_identity_.emplace(tile.identity(), index);
    return index;
  }

 private:
  gsl::not_null<ByteWriter*> w_;
  std::vector<SharedBlock> written_;  // keeps identities valid while writing
  absl::flat_hash_map<const void*, std::int32_t> by_identity_;
  absl::flat_hash_map<std::size_t, std::vector<std::int32_t>> by_content_;
};

// A layer's blocks in a stable order, so equal projects give equal files.
std::vector<BlockCoord> sorted_blocks(const Volume& volume) {
  std::vector<BlockCoord> coords;
  coords.reserve(volume.block_count());
  volume.for_each_block([&coords](BlockCoord c, const SharedBlock&) { coords.push_back(c); });
  std::sort(coords.begin(), coords.end(),
            [](const BlockCoord& a, const BlockCoord& b) { return std::tie(a.z, a.y, a.x) < std::tie(b.z, b.y, b.x); });
  return coords;
}

void write_layer(ByteWriter& w, const Layer& layer, const std::vector<TileRecord>& tiles, std::size_t materials) {
  write_chunk(w, gox::kLayerTag, [&](ByteWriter& body) {
    body.i32(static_cast<std::int32_t>(tiles.size()));
    for (const TileRecord& tile : tiles) {
      body.i32(tile.index);
      body.i32(tile.origin.x);
      body.i32(tile.origin.y);
      body.i32(tile.origin.z);
      body.i32(0);
    }
    DictWriter dict(body);
    dict.entry("name", std::string_view(layer.name));
    dict.entry("mat", layer.transform);
    dict.entry_int("id", static_cast<std::int32_t>(layer.id));
    dict.entry_int("base_id", 0);
    if (layer.material >= 0 && static_cast<std::size_t>(layer.material) < materials) {
      dict.entry_int("material", layer.material);
    }
    dict.entry_int("mode", static_cast<std::int32_t>(layer.mode));
    dict.entry_bool("visible", layer.visible);
  });
}

Result<WriteReport> write(const ProjectState& state, Bytes& out, const WriteOptions& options) {
  for (const Layer& layer : state.layers) {
    if (layer.id > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max())) {
      return make_error(ErrorCode::invalid_argument, "gox: layer id " + std::to_string(layer.id) + " exceeds int32");
    }
  }
  out.clear();
  ByteWriter w(out);
  w.bytes(gox::kMagic);
  w.i32(gox::kWrittenVersion);
  write_chunk(w, gox::kImageTag, [&state](ByteWriter& body) {
    if (state.working_box) {
      DictWriter(body).entry("box", gox::box_to_matrix(*state.working_box));
    }
  });
  if (options.thumbnail) {
    // The thumbnail is a courtesy to Goxel's file browser: without a renderer, the file is still whole.
    const auto preview = render_png(state, RenderParams{View::iso, kThumbnailEdge, kThumbnailEdge});
    if (preview.ok()) {
      write_chunk(w, gox::kPreviewTag, [&preview](ByteWriter& body) { body.bytes(*preview); });
    }
  }
  TileTable tiles(w);
  std::vector<std::vector<TileRecord>> records(state.layers.size());
  for (std::size_t i = 0; i < state.layers.size(); ++i) {
    const Volume& volume = state.layers[i].volume;
    for (const BlockCoord coord : sorted_blocks(volume)) {
      const auto index = tiles.index_of(*volume.find_shared_block(coord));
      if (!index.ok()) {
        return index.error();
      }
      records[i].push_back(TileRecord{*index, coord.origin()});
    }
  }
  for (const Material& material : state.materials) {
    write_chunk(w, gox::kMaterialTag, [&material](ByteWriter& body) {
      DictWriter dict(body);
      dict.entry("name", std::string_view(material.name));
      dict.entry("color", material.color);
      dict.entry("metallic", material.metallic);
      dict.entry("roughness", material.roughness);
      dict.entry("emission", material.emission);
    });
  }
  for (std::size_t i = 0; i < state.layers.size(); ++i) {
    write_layer(w, state.layers[i], records[i], state.materials.size());
  }
  for (const Camera& camera : state.cameras) {
    write_chunk(w, gox::kCameraTag, [&camera](ByteWriter& body) {
      DictWriter dict(body);
      dict.entry("name", std::string_view(camera.name));
      dict.entry("dist", camera.distance);
      dict.entry_bool("ortho", camera.orthographic);
      dict.entry("mat", camera.transform);
      if (camera.active) {
        dict.entry("active", std::span<const std::uint8_t>());
      }
    });
  }
  if (state.light) {
    write_chunk(w, gox::kLightTag, [&light = *state.light](ByteWriter& body) {
      DictWriter dict(body);
      dict.entry("pitch", light.pitch);
      dict.entry("yaw", light.yaw);
      dict.entry("intensity", light.intensity);
      dict.entry_bool("fixed", light.fixed);
      dict.entry("ambient", light.ambient);
      dict.entry("shadow", light.shadow);
    });
  }
  WriteReport report;
  const auto add = [&report](const std::string& part) {
    report.lossy = true;
    report.warning += (report.warning.empty() ? "" : "; ") + part;
  };
  if (!state.color_materials.empty()) {  // MagicaVoxel's per-colour materials: .gox has per-layer ones only
    add(std::to_string(state.color_materials.size()) +
        " MagicaVoxel colour materials (.vox MATL) are not kept: .gox has per-layer materials only");
  }
  if (!state.vox_layers.empty()) {  // MagicaVoxel's layer panel: .gox layers are voxd's layers, nothing above them
    add(std::to_string(state.vox_layers.size()) +
        " MagicaVoxel layer panel rows (.vox LAYR names, colours) are not kept: .gox has no place for them");
  }
  return report;
}

}  // namespace

Result<WriteReport> write_gox(const ProjectState& state, Bytes& out, const WriteOptions& options) {
  try {
    return write(state, out, options);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "gox: out of memory while writing");
  }
}

}  // namespace voxd::core::formats
