// Reads MagicaVoxel .vox files. The input is hostile: every size is bounded by the bytes that remain,
// the scene graph is walked without recursion, each node at most once, to a bounded depth, and the
// voxels and blocks created are capped by ReadLimits. Layout facts: /work/shared/formats/VOX.md and
// docs/formats-vox.md.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "formats/slab6.hpp"
#include "formats/vox.hpp"
#include "formats/vox_palette.hpp"
#include "formats/vox_tdcz.hpp"
#include "formats/vox_transform.hpp"

namespace voxd::core::formats {
namespace {

constexpr std::int32_t kMaxModelEdge = 256;

Error format_error(std::size_t offset, const std::string& reason) {
  return make_error(ErrorCode::format, "vox: offset " + std::to_string(offset) + ": " + reason);
}

// A chunk id as text, with bytes that are not printable ASCII shown as '?'.
std::string printable_id(ByteView id) {
  std::string text;
  for (const std::uint8_t c : id) {
    text += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  return text;
}

bool id_is(ByteView id, std::string_view expected) {
  return std::equal(id.begin(), id.end(), expected.begin(), expected.end(),
                    [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
}

// Reads little-endian fields from [begin, end) of the file; every read is checked against end.
class Cursor {
 public:
  Cursor(ByteView file, std::size_t begin, std::size_t end) : file_(file), pos_(begin), end_(end) {}

  [[nodiscard]] std::size_t offset() const noexcept { return pos_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return end_ - pos_; }
  [[nodiscard]] bool at_end() const noexcept { return pos_ >= end_; }

  Result<ByteView> bytes(std::size_t n, std::string_view what) {
    if (n > remaining()) {
      return format_error(pos_, std::string(what) + " needs " + std::to_string(n) + " bytes, " +
                                    std::to_string(remaining()) + " remain");
    }
    const ByteView view = file_.subspan(pos_, n);
    pos_ += n;
    return view;
  }
  Result<std::int32_t> i32(std::string_view what) {
    auto raw = bytes(4, what);
    if (!raw) {
      return std::move(raw).error();
    }
    const ByteView b = *raw;
    const std::uint32_t u =
        std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8U) | (std::uint32_t{b[2]} << 16U) | (std::uint32_t{b[3]} << 24U);
    return static_cast<std::int32_t>(u);
  }
  // A count or size: an int32 that must be >= 0 and, at `unit` bytes per item, fit in what remains.
  Result<std::size_t> count(std::string_view what, std::size_t unit) {
    const std::size_t at = pos_;
    auto value = i32(what);
    if (!value) {
      return std::move(value).error();
    }
    if (*value < 0) {
      return format_error(at, std::string(what) + " is negative (" + std::to_string(*value) + ")");
    }
    const auto n = static_cast<std::size_t>(*value);
    if (unit > 0 && n > remaining() / unit) {
      return format_error(at, std::string(what) + " " + std::to_string(n) + " does not fit in the " +
                                  std::to_string(remaining()) + " bytes that remain");
    }
    return n;
  }
  // A .vox string: int32 length, then the bytes (no terminator).
  Result<std::string_view> string(std::string_view what) {
    auto length = count(what, 1);
    if (!length) {
      return std::move(length).error();
    }
    auto raw = bytes(*length, what);
    if (!raw) {
      return std::move(raw).error();
    }
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes viewed as characters
    return std::string_view(reinterpret_cast<const char*>(raw->data()), raw->size());
  }

 private:
  ByteView file_;
  std::size_t pos_;
  std::size_t end_;
};

// The keys of a .vox dictionary that voxd uses; values point into the file.
struct Dict {
  std::optional<std::string_view> name;         // _name
  bool hidden = false;                          // _hidden = "1"
  std::optional<std::string_view> rotation;     // _r
  std::optional<std::string_view> translation;  // _t
  std::optional<std::string_view> frame;        // _f: the animation frame of an nTRN frame or nSHP model
};

Result<Dict> read_dict(Cursor& in) {
  // Each entry holds at least two 4-byte lengths.
  auto entries = in.count("dictionary entry count", 8);
  if (!entries) {
    return std::move(entries).error();
  }
  Dict dict;
  for (std::size_t i = 0; i < *entries; ++i) {
    auto key = in.string("dictionary key");
    if (!key) {
      return std::move(key).error();
    }
    auto value = in.string("dictionary value");
    if (!value) {
      return std::move(value).error();
    }
    if (*key == "_name") {
      dict.name = *value;
    } else if (*key == "_hidden") {
      dict.hidden = *value == "1";
    } else if (*key == "_r") {
      dict.rotation = *value;
    } else if (*key == "_t") {
      dict.translation = *value;
    } else if (*key == "_f") {
      dict.frame = *value;
    }
  }
  return dict;
}

using Properties = std::vector<std::pair<std::string, std::string>>;

// A dictionary whole, as text pairs in file order (MATL and LAYR are kept as read).
Result<Properties> read_properties(Cursor& in, std::string_view chunk) {
  const std::string what(chunk);
  auto entries = in.count(what + " dictionary entry count", 8);  // each entry holds two 4-byte lengths
  if (!entries) {
    return std::move(entries).error();
  }
  Properties properties;
  for (std::size_t i = 0; i < *entries; ++i) {
    auto key = in.string(what + " key");
    if (!key) {
      return std::move(key).error();
    }
    auto value = in.string(what + " value");
    if (!value) {
      return std::move(value).error();
    }
    properties.emplace_back(std::string(*key), std::string(*value));
  }
  return properties;
}

struct Model {
  Vec3i size;
  ByteView file_records;  // XYZI records (x, y, z, colour index) in the file
  Bytes decoded_records;  // or, for a TDCZ model, decoded from its compressed grid

  [[nodiscard]] ByteView records() const { return decoded_records.empty() ? file_records : decoded_records; }
};

enum class NodeKind { transform, group, shape };

struct SceneNode {
  NodeKind kind = NodeKind::transform;
  std::size_t offset = 0;  // of the chunk, for errors
  Dict attributes;
  // transform
  std::int32_t child = -1;
  std::int32_t layer = -1;
  VoxTransform transform;
  // group
  std::vector<std::int32_t> children;
  // shape: the first model (later ones are animation frames)
  std::optional<std::int32_t> model;
};

struct VoxFile {
  std::vector<Model> models;
  std::optional<std::array<Color, kVoxPaletteSize>> palette;  // indexed by colour index
  absl::flat_hash_map<std::int32_t, SceneNode> nodes;
  absl::flat_hash_map<std::int32_t, bool> layer_hidden;  // LAYR id -> _hidden
  // LAYR chunks with properties, by id (the last LAYR of an id wins, as for layer_hidden).
  absl::flat_hash_map<std::int32_t, Properties> layers;
  // MATL of colour index 1..255 that is not plain diffuse (the first MATL of an index wins).
  absl::flat_hash_map<std::int32_t, Properties> materials;
};

Result<std::int32_t> parse_int(std::string_view text, std::size_t offset, std::string_view what) {
  std::int32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return format_error(offset, std::string(what) + " '" + std::string(text.substr(0, 32)) + "' is not an integer");
  }
  return value;
}

// The "_f" of a keyframe (0 when absent).
Result<std::int32_t> frame_index(const Dict& dict, std::size_t offset) {
  if (!dict.frame) {
    return 0;
  }
  auto index = parse_int(*dict.frame, offset, "frame index _f");
  if (!index) {
    return std::move(index).error();
  }
  if (*index < 0) {
    return format_error(offset, "frame index _f " + std::to_string(*index) + " is negative");
  }
  return *index;
}

// One keyframe of an nTRN: "_r" packed rotation, "_t" translation "x y z".
Result<VoxTransform> parse_frame(const Dict& frame, std::size_t offset) {
  VoxTransform transform;
  if (frame.rotation) {
    auto packed = parse_int(*frame.rotation, offset, "rotation _r");
    if (!packed) {
      return std::move(packed).error();
    }
    auto rotation = VoxRotation::unpack(*packed);
    if (!rotation) {
      return format_error(offset, "rotation _r " + std::to_string(*packed) + " is not a valid packed rotation");
    }
    transform.rotation = *rotation;
  }
  if (frame.translation) {
    std::string_view rest = *frame.translation;
    std::array<std::int64_t, 3> t{};
    for (std::int64_t& component : t) {
      rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
      const std::string_view token = rest.substr(0, rest.find(' '));
      rest.remove_prefix(token.size());
      auto value = parse_int(token, offset, "translation _t component");
      if (!value) {
        return std::move(value).error();
      }
      if (!in_coord_range(*value)) {
        return format_error(offset, "translation _t component " + std::to_string(*value) + " out of range");
      }
      component = *value;
    }
    if (rest.find_first_not_of(' ') != std::string_view::npos) {
      return format_error(offset, "translation _t has more than 3 components");
    }
    transform.translation = t;
  }
  return transform;
}

Status read_transform_node(Cursor& in, SceneNode& node) {
  node.kind = NodeKind::transform;
  auto child = in.i32("nTRN child id");
  if (!child) {
    return std::move(child).error();
  }
  node.child = *child;
  VOXD_TRY(in.i32("nTRN reserved id"));
  auto layer = in.i32("nTRN layer id");
  if (!layer) {
    return std::move(layer).error();
  }
  node.layer = *layer;
  auto frames = in.count("nTRN frame count", 4);
  if (!frames) {
    return std::move(frames).error();
  }
  // What MagicaVoxel shows on open is frame 0: the keyframe with the smallest "_f" (files list them
  // in frame order; a keyframe without "_f" is frame 0). voxd keeps no animation.
  std::optional<std::pair<std::int32_t, Dict>> shown;
  std::size_t shown_at = 0;
  for (std::size_t i = 0; i < *frames; ++i) {
    const std::size_t frame_at = in.offset();
    auto frame = read_dict(in);
    if (!frame) {
      return std::move(frame).error();
    }
    auto index = frame_index(*frame, frame_at);
    if (!index) {
      return std::move(index).error();
    }
    if (!shown || *index < shown->first) {
      shown.emplace(*index, *frame);
      shown_at = frame_at;
    }
  }
  if (shown) {
    auto transform = parse_frame(shown->second, shown_at);
    if (!transform) {
      return std::move(transform).error();
    }
    node.transform = *transform;
  }
  return {};
}

Status read_group_node(Cursor& in, SceneNode& node) {
  node.kind = NodeKind::group;
  auto n = in.count("nGRP child count", 4);
  if (!n) {
    return std::move(n).error();
  }
  node.children.reserve(*n);
  for (std::size_t i = 0; i < *n; ++i) {
    auto id = in.i32("nGRP child id");
    if (!id) {
      return std::move(id).error();
    }
    node.children.push_back(*id);
  }
  return {};
}

Status read_shape_node(Cursor& in, SceneNode& node) {
  node.kind = NodeKind::shape;
  // Each model reference is an int32 id and a dictionary (at least 8 bytes).
  auto n = in.count("nSHP model count", 8);
  if (!n) {
    return std::move(n).error();
  }
  std::optional<std::int32_t> shown_frame;  // the model of frame 0 is shown, as for nTRN frames
  for (std::size_t i = 0; i < *n; ++i) {
    auto id = in.i32("nSHP model id");
    if (!id) {
      return std::move(id).error();
    }
    const std::size_t attributes_at = in.offset();
    auto attributes = read_dict(in);
    if (!attributes) {
      return std::move(attributes).error();
    }
    auto index = frame_index(*attributes, attributes_at);
    if (!index) {
      return std::move(index).error();
    }
    if (!shown_frame || *index < *shown_frame) {
      shown_frame = *index;
      node.model = *id;
    }
  }
  return {};
}

Status read_scene_node(Cursor& in, std::size_t chunk_offset, ByteView id, VoxFile& file) {
  const std::size_t id_at = in.offset();
  auto node_id = in.i32("node id");
  if (!node_id) {
    return std::move(node_id).error();
  }
  if (*node_id < 0) {
    return format_error(id_at, "node id " + std::to_string(*node_id) + " is negative");
  }
  if (file.nodes.contains(*node_id)) {
    return format_error(id_at, "node id " + std::to_string(*node_id) + " is defined twice");
  }
  auto attributes = read_dict(in);
  if (!attributes) {
    return std::move(attributes).error();
  }
  SceneNode node;
  node.offset = chunk_offset;
  node.attributes = *attributes;
  if (id_is(id, "nTRN")) {
    VOXD_TRY(read_transform_node(in, node));
  } else if (id_is(id, "nGRP")) {
    VOXD_TRY(read_group_node(in, node));
  } else {
    VOXD_TRY(read_shape_node(in, node));
  }
  file.nodes.emplace(*node_id, std::move(node));
  return {};
}

Status read_layer(Cursor& in, const ReadLimits& limits, VoxFile& file) {
  auto layer_id = in.i32("LAYR id");
  if (!layer_id) {
    return std::move(layer_id).error();
  }
  auto properties = read_properties(in, "LAYR");
  if (!properties) {
    return std::move(properties).error();
  }
  bool hidden = false;  // the last "_hidden" counts, as for node dictionaries
  for (const auto& [key, value] : *properties) {
    if (key == "_hidden") {
      hidden = value == "1";
    }
  }
  file.layer_hidden[*layer_id] = hidden;
  // A LAYR without properties (no name, colour or visibility) has nothing to keep; a negative id is
  // what an nTRN says for "no layer", not a layer.
  if (*layer_id < 0 || properties->empty()) {
    file.layers.erase(*layer_id);
    return {};
  }
  file.layers[*layer_id] = std::move(*properties);
  if (file.layers.size() > limits.max_layers) {
    return make_error(ErrorCode::limit_exceeded,
                      "vox: more than " + std::to_string(limits.max_layers) + " LAYR layers (ReadLimits::max_layers)");
  }
  return {};
}

Status read_size(Cursor& in, std::optional<Vec3i>& pending_size) {
  const std::size_t at = in.offset();
  if (pending_size) {
    return format_error(at, "SIZE follows a SIZE without its XYZI");
  }
  std::array<std::int32_t, 3> size{};
  for (std::int32_t& edge : size) {
    auto value = in.i32("SIZE");
    if (!value) {
      return std::move(value).error();
    }
    edge = *value;
  }
  if (std::any_of(size.begin(), size.end(), [](std::int32_t e) { return e < 1 || e > kMaxModelEdge; })) {
    return format_error(at, "model size " + std::to_string(size[0]) + " x " + std::to_string(size[1]) + " x " +
                                std::to_string(size[2]) + " is outside 1..256");
  }
  pending_size = Vec3i{size[0], size[1], size[2]};
  return {};
}

Status read_voxels(Cursor& in, std::optional<Vec3i>& pending_size, VoxFile& file) {
  const std::size_t at = in.offset();
  if (!pending_size) {
    return format_error(at, "XYZI without a SIZE before it");
  }
  auto n = in.count("XYZI voxel count", 4);
  if (!n) {
    return std::move(n).error();
  }
  const std::size_t records_at = in.offset();
  auto records = in.bytes(*n * 4, "XYZI voxels");
  if (!records) {
    return std::move(records).error();
  }
  const Vec3i size = *pending_size;
  for (std::size_t i = 0; i < *n; ++i) {
    const ByteView v = records->subspan(i * 4, 4);
    if (v[0] >= size.x || v[1] >= size.y || v[2] >= size.z) {
      return format_error(records_at + i * 4, "voxel " + std::to_string(i) + " at (" + std::to_string(v[0]) + ", " +
                                                  std::to_string(v[1]) + ", " + std::to_string(v[2]) +
                                                  ") is outside the model size " + to_string(size));
    }
  }
  file.models.push_back(Model{size, *records, {}});
  pending_size.reset();
  return {};
}

Status read_compressed_model(ByteView content, std::size_t offset, const std::optional<Vec3i>& pending_size,
                             std::size_t& byte_budget, VoxFile& file) {
  if (pending_size) {
    return format_error(offset, "TDCZ follows a SIZE without its XYZI");
  }
  auto model = decode_tdcz(content, offset, byte_budget, "ReadLimits::max_file_bytes");
  if (!model) {
    return std::move(model).error();
  }
  file.models.push_back(Model{model->size, {}, std::move(model->records)});
  return {};
}

// MATL: int32 colour index, then a dictionary ("_type" "_metal", "_rough" "0.1", ...). Every entry is kept as
// text; one that is plain diffuse (MagicaVoxel writes one for every index) is the default and is dropped.
Status read_material(Cursor& in, VoxFile& file) {
  auto index = in.i32("MATL id");
  if (!index) {
    return std::move(index).error();
  }
  auto properties = read_properties(in, "MATL");
  if (!properties) {
    return std::move(properties).error();
  }
  const bool diffuse = std::none_of(properties->begin(), properties->end(),
                                    [](const auto& kv) { return kv.first == "_type" && kv.second != "_diffuse"; });
  if (*index >= 1 && *index < static_cast<std::int32_t>(kVoxPaletteSize) && !diffuse) {
    file.materials.try_emplace(*index, std::move(*properties));
  }
  return {};
}

Status read_palette(Cursor& in, VoxFile& file) {
  // 256 entries; Teardown writes only the 255 that have a colour index.
  constexpr std::size_t kShortPalette = 4 * (kVoxPaletteSize - 1);
  auto raw = in.bytes(in.remaining() == kShortPalette ? kShortPalette : 4 * kVoxPaletteSize, "RGBA palette");
  if (!raw) {
    return std::move(raw).error();
  }
  if (file.palette) {
    return {};  // the first palette wins, as in Goxel
  }
  std::array<Color, kVoxPaletteSize> palette{};
  // File entry i is the colour of colour index i + 1; the last entry has no index.
  for (std::size_t i = 0; i + 1 < kVoxPaletteSize; ++i) {
    const ByteView c = raw->subspan(i * 4, 4);
    palette[i + 1] = Color{c[0], c[1], c[2], c[3]};
  }
  file.palette = palette;
  return {};
}

// The chunks inside MAIN, in [begin, end).
Result<VoxFile> read_chunks(ByteView bytes, std::size_t begin, std::size_t end, const ReadLimits& limits) {
  VoxFile file;
  std::size_t decode_budget = limits.max_file_bytes;  // bytes TDCZ models may inflate to
  std::optional<Vec3i> pending_size;
  Cursor chunks(bytes, begin, end);
  while (!chunks.at_end()) {
    const std::size_t chunk_at = chunks.offset();
    auto id = chunks.bytes(4, "chunk id");
    if (!id) {
      return std::move(id).error();
    }
    const std::string name = printable_id(*id);
    auto content_size = chunks.count(name + " content size", 1);
    if (!content_size) {
      return std::move(content_size).error();
    }
    auto children_size = chunks.count(name + " children size", 1);
    if (!children_size) {
      return std::move(children_size).error();
    }
    if (*content_size > chunks.remaining()) {
      return format_error(chunk_at, name + " content size " + std::to_string(*content_size) + " runs past the end");
    }
    if (*children_size > chunks.remaining() - *content_size) {
      return format_error(chunk_at, name + " children size " + std::to_string(*children_size) + " runs past the end");
    }
    const std::size_t content_at = chunks.offset();
    Cursor content(bytes, content_at, content_at + *content_size);
    if (id_is(*id, "SIZE")) {
      VOXD_TRY(read_size(content, pending_size));
    } else if (id_is(*id, "XYZI")) {
      VOXD_TRY(read_voxels(content, pending_size, file));
    } else if (id_is(*id, "TDCZ")) {
      VOXD_TRY(
          read_compressed_model(bytes.subspan(content_at, *content_size), chunk_at, pending_size, decode_budget, file));
    } else if (id_is(*id, "RGBA")) {
      VOXD_TRY(read_palette(content, file));
    } else if (id_is(*id, "nTRN") || id_is(*id, "nGRP") || id_is(*id, "nSHP")) {
      VOXD_TRY(read_scene_node(content, chunk_at, *id, file));
    } else if (id_is(*id, "LAYR")) {
      VOXD_TRY(read_layer(content, limits, file));
    } else if (id_is(*id, "MATL")) {
      VOXD_TRY(read_material(content, file));
    }
    // Anything else (MATT, rOBJ, rCAM, NOTE, IMAP, PACK, ...) and any children are skipped.
    VOXD_TRY(chunks.bytes(*content_size + *children_size, name));
  }
  if (pending_size) {
    return format_error(end, "the last SIZE has no XYZI");
  }
  return file;
}

// Builds layers from the parsed chunks.
class SceneBuilder {
 public:
  SceneBuilder(const VoxFile& file, const ReadLimits& limits) : file_(file), limits_(limits) {}

  Result<ProjectState> build() {
    if (file_.nodes.empty()) {
      // An old file without scene graph: every model at the origin, as Goxel places them.
      for (std::size_t m = 0; m < file_.models.size(); ++m) {
        const auto key = static_cast<std::int32_t>(m);
        VOXD_TRY(add_instance(key, "model " + std::to_string(m), true, -1, file_.models[m], VoxTransform{}));
      }
    } else {
      VOXD_TRY(walk_scene());
    }
    ProjectState state;
    if (layers_.empty()) {
      Layer layer;
      layer.name = "background";
      layers_.push_back(std::move(layer));
    }
    for (Layer& layer : layers_) {
      layer.id = state.next_layer_id++;
      state.layers.push_back(std::move(layer));
    }
    state.color_materials = used_materials();
    take_layer_panel(state);
    return state;
  }

 private:
  // The materials of the colour indices that voxels use, by colour; of two indices of one colour, the lower wins.
  [[nodiscard]] std::vector<ColorMaterial> used_materials() const {
    std::vector<ColorMaterial> out;
    for (std::size_t index = 1; index < kVoxPaletteSize; ++index) {
      const auto it = file_.materials.find(static_cast<std::int32_t>(index));
      if (!used_[index] || it == file_.materials.end()) {
        continue;
      }
      const Color c = file_.palette ? (*file_.palette)[index] : kVoxDefaultPalette[index];
      const std::uint32_t rgb = c.packed() >> 8U;
      if (std::none_of(out.begin(), out.end(), [rgb](const ColorMaterial& m) { return m.rgb == rgb; })) {
        out.push_back(ColorMaterial{rgb, it->second});
      }
    }
    std::sort(out.begin(), out.end(), [](const ColorMaterial& a, const ColorMaterial& b) { return a.rgb < b.rgb; });
    return out;
  }

  // MagicaVoxel's layer panel (its LAYR rows, bounded by read_layer), sorted by id.
  void take_layer_panel(ProjectState& state) const {
    for (const auto& [id, properties] : file_.layers) {
      state.vox_layers.push_back(VoxLayer{id, properties});
    }
    std::sort(state.vox_layers.begin(), state.vox_layers.end(),
              [](const VoxLayer& a, const VoxLayer& b) { return a.id < b.id; });
  }

  // The LAYR row a shape instance belongs to: that of the nTRN its layer is named after, else that of the
  // nTRN right above the shape; -1 when neither names a kept row.
  [[nodiscard]] std::int32_t panel_layer_of(std::int32_t named_key, std::int32_t object_key) const {
    for (const std::int32_t key : {named_key, object_key}) {
      if (key < 0) {
        continue;
      }
      const std::int32_t row = file_.nodes.find(key)->second.layer;
      if (file_.layers.contains(row)) {
        return row;
      }
    }
    return -1;
  }

  // One step of the depth-first walk: entering a node, or leaving it (to take it off the path).
  struct Step {
    std::int32_t node = 0;
    bool leaving = false;
    std::size_t depth = 1;
    VoxTransform to_world;         // from the node's space to the world
    bool hidden = false;           // the node or one above it is hidden
    std::int32_t named_key = -1;   // the nearest named or hidden nTRN above, below the root (-1: none)
    std::int32_t object_key = -1;  // the nearest nTRN above, below the root (-1: none)
  };

  // Hidden by its own "_hidden" or by the hidden LAYR its nTRN belongs to.
  [[nodiscard]] bool node_hidden(const SceneNode& node) const {
    if (node.attributes.hidden) {
      return true;
    }
    if (node.kind != NodeKind::transform) {
      return false;
    }
    const auto it = file_.layer_hidden.find(node.layer);
    return it != file_.layer_hidden.end() && it->second;
  }

  Status walk_scene() {
    constexpr std::int32_t root = 0;
    if (!file_.nodes.contains(root)) {
      return format_error(0, "the scene graph has no root node 0");
    }
    // A node may be reached from several parents (instancing: every path places its shapes), but
    // not from itself. Shared subtrees can multiply the work exponentially with depth, so the node
    // visits are bounded like the tiles they create, and every placed voxel counts against
    // max_voxels (add_instance).
    absl::flat_hash_set<std::int32_t> on_path;
    std::size_t visits = 0;
    std::vector<Step> stack{Step{}};
    while (!stack.empty()) {
      Step step = stack.back();
      stack.pop_back();
      if (step.leaving) {
        on_path.erase(step.node);
        continue;
      }
      const auto found = file_.nodes.find(step.node);
      if (found == file_.nodes.end()) {
        return format_error(0, "scene node " + std::to_string(step.node) + " is referenced but not defined");
      }
      const SceneNode& node = found->second;
      if (on_path.contains(step.node)) {
        return format_error(node.offset, "scene graph cycle through node " + std::to_string(step.node));
      }
      if (++visits > limits_.max_blocks) {
        return make_error(ErrorCode::limit_exceeded, "vox: the scene graph's instances make more than " +
                                                         std::to_string(limits_.max_blocks) +
                                                         " node visits (ReadLimits::max_blocks)");
      }
      if (step.depth > limits_.max_scene_depth) {
        return make_error(ErrorCode::limit_exceeded,
                          "vox: offset " + std::to_string(node.offset) + ": scene graph deeper than " +
                              std::to_string(limits_.max_scene_depth) + " (ReadLimits::max_scene_depth)");
      }
      on_path.insert(step.node);
      Step leave;
      leave.node = step.node;
      leave.leaving = true;
      stack.push_back(leave);

      Step below = step;
      below.depth = step.depth + 1;
      below.hidden = step.hidden || node_hidden(node);
      switch (node.kind) {
        case NodeKind::transform: {
          auto to_world = step.to_world.then_inner(node.transform);
          if (!to_world) {
            return format_error(node.offset, "the translations of the scene graph add up beyond the coordinate range");
          }
          below.to_world = *to_world;
          if (step.node != root) {
            below.object_key = step.node;
            if (node.attributes.name || node_hidden(node)) {
              below.named_key = step.node;
            }
          }
          below.node = node.child;
          stack.push_back(below);
          break;
        }
        case NodeKind::group: {
          // A child listed twice in one group would land twice on the same voxels: visited once.
          // Pushed in reverse so that children are visited in file order.
          absl::flat_hash_set<std::int32_t> listed;
          const std::size_t first = stack.size();
          for (const std::int32_t child : node.children) {
            if (listed.insert(child).second) {
              below.node = child;
              stack.push_back(below);
            }
          }
          std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());
          break;
        }
        case NodeKind::shape: VOXD_TRY(add_shape(node, step, below.hidden)); break;
      }
    }
    return {};
  }

  // The shape's model goes to the layer of the nearest named (or hidden) nTRN above it, else to
  // that of its own nTRN: so a named group of unnamed parts (how voxd writes a layer larger than one
  // model) reads back as one layer.
  Status add_shape(const SceneNode& node, const Step& step, bool hidden) {
    if (!node.model) {
      return {};  // a shape without model shows nothing
    }
    const std::int32_t model_id = *node.model;
    if (model_id < 0 || static_cast<std::size_t>(model_id) >= file_.models.size()) {
      return format_error(node.offset, "shape refers to model " + std::to_string(model_id) + " but the file has " +
                                           std::to_string(file_.models.size()) + " models");
    }
    std::int32_t key = step.named_key >= 0 ? step.named_key : step.object_key;
    std::string name = "model " + std::to_string(model_id);
    if (key >= 0) {
      const SceneNode& owner = file_.nodes.find(key)->second;
      if (owner.attributes.name) {
        name = std::string(*owner.attributes.name);
      }
    } else {
      key = -1 - step.node;  // a shape right under the root: its own layer
    }
    return add_instance(key, std::move(name), !hidden, panel_layer_of(step.named_key, step.object_key),
                        file_.models[static_cast<std::size_t>(model_id)], step.to_world);
  }

  // Adds one placed model to the layer of `key`, creating the layer on first use.
  Status add_instance(std::int32_t key, std::string name, bool visible, std::int32_t vox_layer, const Model& model,
                      const VoxTransform& to_world) {
    auto [it, inserted] = layer_of_key_.try_emplace(key, layers_.size());
    if (inserted) {
      if (layers_.size() >= limits_.max_layers) {
        return make_error(ErrorCode::limit_exceeded,
                          "vox: more than " + std::to_string(limits_.max_layers) + " layers (ReadLimits::max_layers)");
      }
      Layer layer;
      layer.name = std::move(name);
      layer.visible = visible;
      layer.vox_layer = vox_layer;
      layers_.push_back(std::move(layer));
    }
    const ByteView records = model.records();
    const std::size_t count = records.size() / 4;
    voxels_ += static_cast<std::int64_t>(count);
    if (voxels_ > limits_.max_voxels) {
      return make_error(ErrorCode::limit_exceeded,
                        "vox: more than " + std::to_string(limits_.max_voxels) + " voxels (ReadLimits::max_voxels)");
    }
    const ModelPlacement placement(model.size, to_world);
    if (!placement.fits_coordinate_range()) {
      return make_error(ErrorCode::format, "vox: layer '" + layers_[it->second].name +
                                               "': a model is placed outside the coordinate range");
    }
    Layer& layer = layers_[it->second];
    const std::size_t blocks_before = layer.volume.block_count();
    VolumeAccessor volume(layer.volume);
    for (std::size_t i = 0; i < count; ++i) {
      const ByteView v = records.subspan(i * 4, 4);
      const std::uint8_t index = v[3];
      if (index == 0) {
        continue;  // colour index 0 is empty
      }
      const Color color = file_.palette ? (*file_.palette)[index] : kVoxDefaultPalette[index];
      volume.set(placement.world({v[0], v[1], v[2]}), color);
      used_[index] = true;
    }
    blocks_ += layer.volume.block_count() - blocks_before;
    return limits_.check_blocks(blocks_, "vox");
  }

  const VoxFile& file_;
  const ReadLimits& limits_;
  std::vector<Layer> layers_;
  std::array<bool, kVoxPaletteSize> used_{};  // colour indices of the voxels placed
  absl::flat_hash_map<std::int32_t, std::size_t> layer_of_key_;
  std::int64_t voxels_ = 0;
  std::size_t blocks_ = 0;
};

}  // namespace

bool vox_matches(ByteView head) {
  return (head.size() >= 4 && id_is(head.first(4), "VOX ")) || slab6_matches(head);
}

Result<ProjectState> read_vox(ByteView bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return make_error(ErrorCode::limit_exceeded,
                      "vox: file of " + std::to_string(bytes.size()) + " bytes exceeds ReadLimits::max_file_bytes");
  }
  Cursor header(bytes, 0, bytes.size());
  auto magic = header.bytes(4, "magic");
  if (!magic) {
    return std::move(magic).error();
  }
  if (!id_is(*magic, "VOX ")) {
    if (slab6_matches(bytes)) {
      return read_slab6(bytes, limits);  // Ken Silverman's SLAB6 .vox, which has no magic
    }
    return format_error(
        0, "neither a MagicaVoxel file (no 'VOX ' magic) nor a SLAB6 .vox (sizes do not match the length)");
  }
  auto version = header.i32("version");
  if (!version) {
    return std::move(version).error();
  }
  if (*version != 150 && *version != 200) {
    return make_error(ErrorCode::unsupported,
                      "vox: offset 4: version " + std::to_string(*version) + " is not supported (150 and 200 are)");
  }
  const std::size_t main_at = header.offset();
  auto main_id = header.bytes(4, "MAIN chunk id");
  if (!main_id) {
    return std::move(main_id).error();
  }
  if (!id_is(*main_id, "MAIN")) {
    return format_error(main_at, "expected the MAIN chunk, found '" + printable_id(*main_id) + "'");
  }
  auto content_size = header.count("MAIN content size", 1);
  if (!content_size) {
    return std::move(content_size).error();
  }
  auto children_size = header.count("MAIN children size", 1);
  if (!children_size) {
    return std::move(children_size).error();
  }
  // Content first: remaining() - content_size must not wrap around (a fuzzer found that).
  if (*content_size > header.remaining()) {
    return format_error(main_at, "MAIN content size " + std::to_string(*content_size) + " runs past the end");
  }
  if (*children_size > header.remaining() - *content_size) {
    return format_error(main_at, "MAIN children size " + std::to_string(*children_size) + " runs past the end");
  }
  const std::size_t children_at = header.offset() + *content_size;
  auto file = read_chunks(bytes, children_at, children_at + *children_size, limits);
  if (!file) {
    return std::move(file).error();
  }
  return SceneBuilder(*file, limits).build();
}

}  // namespace voxd::core::formats
