// Writes MagicaVoxel .vox files: every layer becomes one model, or, when it spans more than 256
// voxels along an axis, a named group of models of at most 256^3 placed by translations (never
// wrapped modulo 256). One palette of at most 255 colours serves all models; more colours are
// quantised (median cut) and the report says the file is lossy. See docs/formats-vox.md.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "formats/color_quantizer.hpp"
#include "formats/vox.hpp"
#include "formats/vox_palette.hpp"

namespace voxd::core::formats {
namespace {

constexpr std::int32_t kModelEdge = 256;
constexpr std::size_t kMaxPaletteColors = 255;  // colour index 0 means empty
constexpr std::int32_t kVersion = 150;          // what Goxel and every MagicaVoxel read
constexpr std::int32_t kDefaultPanelLayer = 0;  // the LAYR of layers that belong to none of the project's rows

std::uint32_t rgb_key(Color c) {
  return (std::uint32_t{c.r} << 16U) | (std::uint32_t{c.g} << 8U) | c.b;
}

// Little-endian output with chunks whose sizes are patched when they close.
class ChunkWriter {
 public:
  explicit ChunkWriter(Bytes& out) : out_(out) {}

  void raw(std::string_view text) { out_.insert(out_.end(), text.begin(), text.end()); }
  void u8(std::uint8_t v) { out_.push_back(v); }
  void i32(std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    for (unsigned shift = 0; shift < 32; shift += 8) {
      out_.push_back(static_cast<std::uint8_t>(u >> shift));
    }
  }
  void string(std::string_view s) {
    i32(static_cast<std::int32_t>(s.size()));
    raw(s);
  }
  void dict(const std::vector<std::pair<std::string_view, std::string>>& entries) {
    i32(static_cast<std::int32_t>(entries.size()));
    for (const auto& [key, value] : entries) {
      string(key);
      string(value);
    }
  }

  // Starts a chunk; returns where its header is, for end_chunk.
  std::size_t begin_chunk(std::string_view id) {
    const std::size_t at = out_.size();
    raw(id);
    i32(0);
    i32(0);
    return at;
  }
  // Closes a chunk that has content only.
  void end_chunk(std::size_t at) { patch(at + 4, out_.size() - at - 12); }
  // Closes a chunk whose content ended at content_end and whose children follow.
  void end_parent_chunk(std::size_t at, std::size_t content_end) {
    patch(at + 4, content_end - at - 12);
    patch(at + 8, out_.size() - content_end);
  }
  [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }

 private:
  void patch(std::size_t at, std::size_t value) {
    const auto u = static_cast<std::uint32_t>(value);
    for (std::size_t i = 0; i < 4; ++i) {
      out_[at + i] = static_cast<std::uint8_t>(u >> (8 * i));
    }
  }
  Bytes& out_;
};

// One model: voxels relative to its minimum corner, and where that corner is in the world.
struct ModelData {
  Vec3i min{};
  Vec3i size{1, 1, 1};
  std::vector<std::array<std::uint8_t, 4>> voxels;  // x, y, z, colour index
};

// The models one layer becomes.
struct LayerModels {
  std::string name;
  bool hidden = false;
  std::int32_t panel_layer = 0;  // the LAYR its nTRNs belong to
  std::vector<ModelData> models;
};

// The palette of the file and the colour index of every colour used.
struct PaletteChoice {
  std::array<Color, kVoxPaletteSize> entries = kVoxDefaultPalette;  // by colour index
  absl::flat_hash_map<std::uint32_t, std::uint8_t> index_of_rgb;
  bool quantized = false;
  std::size_t used_colors = 0;
};

PaletteChoice choose_palette(const absl::flat_hash_map<std::uint32_t, std::uint64_t>& histogram) {
  PaletteChoice choice;
  std::vector<WeightedColor> colors;
  colors.reserve(histogram.size());
  for (const auto& [rgb, count] : histogram) {
    colors.push_back(WeightedColor{Color::from_packed((rgb << 8U) | 0xffU), count});
  }
  // Sorted so that the palette does not depend on hash order.
  std::sort(colors.begin(), colors.end(),
            [](const WeightedColor& a, const WeightedColor& b) { return a.color.packed() < b.color.packed(); });
  choice.used_colors = colors.size();
  if (colors.size() <= kMaxPaletteColors) {
    for (std::size_t i = 0; i < colors.size(); ++i) {
      const auto index = static_cast<std::uint8_t>(i + 1);
      choice.entries[index] = colors[i].color;
      choice.index_of_rgb[rgb_key(colors[i].color)] = index;
    }
    return choice;
  }
  choice.quantized = true;
  const QuantizedPalette quantized = quantize_median_cut(colors, kMaxPaletteColors);
  for (std::size_t i = 0; i < quantized.palette.size(); ++i) {
    choice.entries[i + 1] = quantized.palette[i];
  }
  for (std::size_t i = 0; i < colors.size(); ++i) {
    choice.index_of_rgb[rgb_key(colors[i].color)] = static_cast<std::uint8_t>(quantized.index_of_input[i] + 1);
  }
  return choice;
}

// What the writer drops or changes, for the report.
struct VoxelCensus {
  absl::flat_hash_map<std::uint32_t, std::uint64_t> histogram;  // rgb -> voxels
  std::int64_t translucent_dropped = 0;                         // 0 < alpha < 127
  std::int64_t translucent_opaqued = 0;                         // 127 <= alpha < 255
};

VoxelCensus take_census(const ProjectState& state) {
  VoxelCensus census;
  for (const Layer& layer : state.layers) {
    layer.volume.for_each_voxel([&](Vec3i, Color c) {
      if (!c.solid()) {
        ++census.translucent_dropped;
        return;
      }
      if (c.a != 255) {
        ++census.translucent_opaqued;
      }
      ++census.histogram[rgb_key(c)];
    });
  }
  return census;
}

// Cuts a layer into models of at most 256^3, on a grid anchored at the layer's minimum corner.
LayerModels split_layer(const Layer& layer, const PaletteChoice& palette) {
  LayerModels result{layer.name, !layer.visible, 0, {}};
  std::optional<Box> bounds;
  layer.volume.for_each_voxel([&](Vec3i p, Color c) {
    if (c.solid()) {
      if (bounds) {
        bounds->include(p);
      } else {
        bounds = Box{p, p};
      }
    }
  });
  if (!bounds) {
    result.models.push_back(ModelData{});  // an empty 1^3 model keeps the layer in the file
    return result;
  }
  const Vec3i anchor = bounds->min;
  // Voxels are kept as the 4 bytes they are written as, relative to their cell's corner first, then
  // to the corner of the cell's tight box once that is known.
  struct Cell {
    Vec3i corner;
    Box box;
    std::vector<std::array<std::uint8_t, 4>> voxels;
  };
  absl::flat_hash_map<BlockCoord, Cell> cells;  // keyed by grid cell
  layer.volume.for_each_voxel([&](Vec3i p, Color c) {
    if (!c.solid()) {
      return;
    }
    const BlockCoord cell{(p.x - anchor.x) / kModelEdge, (p.y - anchor.y) / kModelEdge, (p.z - anchor.z) / kModelEdge};
    const Vec3i corner = anchor + Vec3i{cell.x * kModelEdge, cell.y * kModelEdge, cell.z * kModelEdge};
    auto [it, inserted] = cells.try_emplace(cell, Cell{corner, Box{p, p}, {}});
    it->second.box.include(p);
    const Vec3i local = p - corner;
    // Every solid colour is in the palette: the census saw the same voxels.
    const std::uint8_t index = palette.index_of_rgb.find(rgb_key(c))->second;
    it->second.voxels.push_back({static_cast<std::uint8_t>(local.x), static_cast<std::uint8_t>(local.y),
                                 static_cast<std::uint8_t>(local.z), index});
  });
  // Models in grid order, so that the file does not depend on hash order.
  std::vector<std::pair<BlockCoord, Cell*>> ordered;
  ordered.reserve(cells.size());
  for (auto& [coord, cell] : cells) {
    ordered.emplace_back(coord, &cell);
  }
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.z, a.first.y, a.first.x) < std::tie(b.first.z, b.first.y, b.first.x);
  });
  for (const auto& [coord, cell] : ordered) {
    ModelData model;
    model.min = cell->box.min;
    model.size = {static_cast<std::int32_t>(cell->box.size_x()), static_cast<std::int32_t>(cell->box.size_y()),
                  static_cast<std::int32_t>(cell->box.size_z())};
    const Vec3i shift = model.min - cell->corner;
    model.voxels = std::move(cell->voxels);
    for (auto& v : model.voxels) {
      v[0] = static_cast<std::uint8_t>(v[0] - shift.x);
      v[1] = static_cast<std::uint8_t>(v[1] - shift.y);
      v[2] = static_cast<std::uint8_t>(v[2] - shift.z);
    }
    // z, y, x order, like MagicaVoxel and Goxel write them.
    std::sort(model.voxels.begin(), model.voxels.end(),
              [](const auto& a, const auto& b) { return std::tie(a[2], a[1], a[0]) < std::tie(b[2], b[1], b[0]); });
    result.models.push_back(std::move(model));
  }
  return result;
}

void write_model(ChunkWriter& w, const ModelData& model) {
  const std::size_t size_at = w.begin_chunk("SIZE");
  w.i32(model.size.x);
  w.i32(model.size.y);
  w.i32(model.size.z);
  w.end_chunk(size_at);
  const std::size_t xyzi_at = w.begin_chunk("XYZI");
  w.i32(static_cast<std::int32_t>(model.voxels.size()));
  for (const auto& v : model.voxels) {
    for (const std::uint8_t b : v) {
      w.u8(b);
    }
  }
  w.end_chunk(xyzi_at);
}

// The nTRN translation that puts a model's minimum corner at model.min: the reader places voxel p
// at p - floor(size / 2) + translation.
std::string translation_of(const ModelData& model) {
  const Vec3i t{model.min.x + model.size.x / 2, model.min.y + model.size.y / 2, model.min.z + model.size.z / 2};
  return std::to_string(t.x) + " " + std::to_string(t.y) + " " + std::to_string(t.z);
}

using DictEntries = std::vector<std::pair<std::string_view, std::string>>;

void write_transform(ChunkWriter& w, std::int32_t id, const DictEntries& attributes, std::int32_t child,
                     std::int32_t layer, const DictEntries& frame) {
  const std::size_t at = w.begin_chunk("nTRN");
  w.i32(id);
  w.dict(attributes);
  w.i32(child);
  w.i32(-1);  // reserved
  w.i32(layer);
  w.i32(1);  // one frame
  w.dict(frame);
  w.end_chunk(at);
}

void write_group(ChunkWriter& w, std::int32_t id, const std::vector<std::int32_t>& children) {
  const std::size_t at = w.begin_chunk("nGRP");
  w.i32(id);
  w.dict({});
  w.i32(static_cast<std::int32_t>(children.size()));
  for (const std::int32_t child : children) {
    w.i32(child);
  }
  w.end_chunk(at);
}

void write_shape(ChunkWriter& w, std::int32_t id, std::int32_t model) {
  const std::size_t at = w.begin_chunk("nSHP");
  w.i32(id);
  w.dict({});
  w.i32(1);  // one model
  w.i32(model);
  w.dict({});
  w.end_chunk(at);
}

// Root nTRN 0 -> nGRP 1 -> one nTRN per layer (named, maybe hidden) -> its nSHP, or, for a layer of
// several models, an nGRP of unnamed nTRN -> nSHP parts.
void write_scene(ChunkWriter& w, const std::vector<LayerModels>& layers) {
  std::int32_t next_id = 2;
  std::int32_t next_model = 0;
  std::vector<std::int32_t> objects;
  // Node ids are assigned in the same order as the chunks below are written.
  for (const LayerModels& layer : layers) {
    objects.push_back(next_id);
    next_id += layer.models.size() == 1 ? 2 : 2 + 2 * static_cast<std::int32_t>(layer.models.size());
  }
  write_transform(w, 0, {}, 1, -1, {});
  write_group(w, 1, objects);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const LayerModels& layer = layers[l];
    const std::int32_t id = objects[l];
    DictEntries attributes{{"_name", layer.name}};
    if (layer.hidden) {
      attributes.emplace_back("_hidden", "1");
    }
    if (layer.models.size() == 1) {
      write_transform(w, id, attributes, id + 1, layer.panel_layer, {{"_t", translation_of(layer.models[0])}});
      write_shape(w, id + 1, next_model++);
      continue;
    }
    write_transform(w, id, attributes, id + 1, layer.panel_layer, {});
    std::vector<std::int32_t> parts;
    for (std::size_t m = 0; m < layer.models.size(); ++m) {
      parts.push_back(id + 2 + 2 * static_cast<std::int32_t>(m));
    }
    write_group(w, id + 1, parts);
    for (std::size_t m = 0; m < layer.models.size(); ++m) {
      write_transform(w, parts[m], {}, parts[m] + 1, layer.panel_layer, {{"_t", translation_of(layer.models[m])}});
      write_shape(w, parts[m] + 1, next_model++);
    }
  }
}

// MagicaVoxel's layer panel: the project's rows as read, plus an unnamed row 0 for layers that belong to
// none. A row's "_hidden" follows its voxd layers (hidden when all of them are, so showing one shows it in
// MagicaVoxel too); a row no layer belongs to keeps it as read.
void write_layer_panel(ChunkWriter& w, const ProjectState& state, const std::vector<LayerModels>& layers) {
  std::vector<VoxLayer> rows = state.vox_layers;
  if (std::none_of(rows.begin(), rows.end(), [](const VoxLayer& row) { return row.id == kDefaultPanelLayer; })) {
    rows.insert(rows.begin(), VoxLayer{kDefaultPanelLayer, {}});
  }
  for (const VoxLayer& row : rows) {
    std::size_t members = 0;
    std::size_t hidden = 0;
    for (const LayerModels& layer : layers) {
      if (layer.panel_layer == row.id) {
        ++members;
        hidden += layer.hidden ? 1 : 0;
      }
    }
    DictEntries entries;
    bool hidden_written = false;
    for (const auto& [key, value] : row.properties) {
      if (key != "_hidden") {
        entries.emplace_back(key, value);
      } else if (members == 0 ? value == "1" : hidden == members) {
        if (!hidden_written) {
          entries.emplace_back(key, "1");
          hidden_written = true;
        }
      }
    }
    if (members > 0 && hidden == members && !hidden_written) {
      entries.emplace_back("_hidden", "1");
    }
    const std::size_t at = w.begin_chunk("LAYR");
    w.i32(row.id);
    w.dict(entries);
    w.i32(-1);  // reserved
    w.end_chunk(at);
  }
}

void write_palette(ChunkWriter& w, const PaletteChoice& palette) {
  const std::size_t at = w.begin_chunk("RGBA");
  // Entry i is the colour of index i + 1; the 256th entry has no index.
  for (std::size_t i = 1; i <= kVoxPaletteSize; ++i) {
    const Color c = i < kVoxPaletteSize ? palette.entries[i] : kEmpty;
    w.u8(c.r);
    w.u8(c.g);
    w.u8(c.b);
    w.u8(c.a);
  }
  w.end_chunk(at);
}

// A MATL for each project material whose colour has a palette entry of exactly that colour (a colour
// quantised into another entry does not take its material there).
void write_materials(ChunkWriter& w, const ProjectState& state, const PaletteChoice& palette) {
  for (const ColorMaterial& material : state.color_materials) {
    const auto it = palette.index_of_rgb.find(material.rgb);
    if (it == palette.index_of_rgb.end() || rgb_key(palette.entries[it->second]) != material.rgb) {
      continue;
    }
    std::vector<std::pair<std::string_view, std::string>> entries;
    entries.reserve(material.properties.size());
    for (const auto& [key, value] : material.properties) {
      entries.emplace_back(key, value);
    }
    const std::size_t at = w.begin_chunk("MATL");
    w.i32(it->second);
    w.dict(entries);
    w.end_chunk(at);
  }
}

std::string report_warning(const VoxelCensus& census, const PaletteChoice& palette) {
  std::string warning;
  const auto add = [&warning](const std::string& part) { warning += (warning.empty() ? "" : "; ") + part; };
  if (palette.quantized) {
    add(std::to_string(palette.used_colors) + " colours quantised to a palette of 255 (.vox limit)");
  }
  if (census.translucent_dropped > 0) {
    add(std::to_string(census.translucent_dropped) + " voxels with alpha below 127 left out");
  }
  if (census.translucent_opaqued > 0) {
    add(std::to_string(census.translucent_opaqued) + " translucent voxels written opaque");
  }
  return warning;
}

}  // namespace

Result<WriteReport> write_vox(const ProjectState& state, Bytes& out, const WriteOptions& /*options*/) {
  const VoxelCensus census = take_census(state);
  const PaletteChoice palette = choose_palette(census.histogram);
  std::vector<LayerModels> layers;
  layers.reserve(state.layers.size());
  for (const Layer& layer : state.layers) {
    layers.push_back(split_layer(layer, palette));
    const bool in_panel = std::any_of(state.vox_layers.begin(), state.vox_layers.end(),
                                      [&layer](const VoxLayer& row) { return row.id == layer.vox_layer; });
    layers.back().panel_layer = in_panel ? layer.vox_layer : kDefaultPanelLayer;
  }

  out.clear();
  std::size_t voxel_bytes = 0;
  for (const LayerModels& layer : layers) {
    for (const ModelData& model : layer.models) {
      voxel_bytes += 4 * model.voxels.size() + 256;  // the voxels, plus chunk headers and scene nodes
    }
  }
  out.reserve(voxel_bytes + 2048);
  ChunkWriter w(out);
  w.raw("VOX ");
  w.i32(kVersion);
  const std::size_t main_at = w.begin_chunk("MAIN");
  const std::size_t main_content_end = w.size();
  for (const LayerModels& layer : layers) {
    for (const ModelData& model : layer.models) {
      write_model(w, model);
    }
  }
  write_scene(w, layers);
  write_layer_panel(w, state, layers);
  write_palette(w, palette);
  write_materials(w, state, palette);
  if (out.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    out.clear();
    return make_error(ErrorCode::limit_exceeded, "vox: the file would exceed 2 GiB, the largest size .vox can express");
  }
  w.end_parent_chunk(main_at, main_content_end);

  WriteReport report;
  report.warning = report_warning(census, palette);
  report.lossy = !report.warning.empty();
  return report;
}

}  // namespace voxd::core::formats
