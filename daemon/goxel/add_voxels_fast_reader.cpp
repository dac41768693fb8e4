#include "add_voxels_fast_reader.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

namespace voxd::goxel {

namespace od = simdjson::ondemand;

namespace {

// An integer within [min, max], or false (a float, a string, out of range: the dispatcher's case).
bool read_integer(od::value value, std::int64_t min, std::int64_t max, std::int64_t& out) {
  std::int64_t v = 0;
  if (value.get_int64().get(v) != simdjson::SUCCESS || v < min || v > max) return false;
  out = v;
  return true;
}

bool read_component(od::value value, std::uint32_t& out) {
  std::int64_t v = 0;
  if (!read_integer(value, 0, 255, v)) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

std::uint32_t pack(const std::array<std::uint32_t, 4>& c) {
  return c[0] << 24U | c[1] << 16U | c[2] << 8U | c[3];
}

// color: [r,g,b] or [r,g,b,a] of integers.
bool read_color_array(od::value value, std::uint32_t& rgba) {
  od::array list;
  if (value.get_array().get(list) != simdjson::SUCCESS) return false;
  std::array<std::uint32_t, 4> c{0, 0, 0, 255};
  std::size_t n = 0;
  for (auto element : list) {
    od::value v;
    if (element.get(v) != simdjson::SUCCESS || n == 4 || !read_component(v, c[n])) return false;
    ++n;
  }
  if (n < 3) return false;
  rgba = pack(c);
  return true;
}

enum VoxelKey : unsigned { kX, kY, kZ, kR, kG, kB, kA, kColor, kKeys };

// Which key of a voxel this is (kKeys: none). Keys are compared as they stand in the text, with no unescaping
// (which was a third of this reader's time): a key written with escapes matches none and goes to the
// dispatcher. raw() points past the opening quote; the text is padded, so the byte after it can be read.
unsigned voxel_key(od::raw_json_string key) {
  const char* k = key.raw();
  if (k[0] != '"' && k[1] == '"') {
    switch (k[0]) {
      case 'x': return kX;
      case 'y': return kY;
      case 'z': return kZ;
      case 'r': return kR;
      case 'g': return kG;
      case 'b': return kB;
      case 'a': return kA;
      default: return kKeys;
    }
  }
  return key.unsafe_is_equal("color") ? kColor : kKeys;
}

// {x, y, z} with r,g,b,a or color, as read_color reads them: r,g,b,a default to 0,0,0,255 when any is given,
// and the colour is white when none is.
bool read_voxel(od::value value, protocol::Voxel& out) {
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return false;
  std::array<std::int64_t, 3> xyz{};
  std::array<std::uint32_t, 4> given{0, 0, 0, 255};
  std::uint32_t color = 0;
  unsigned seen = 0;
  for (auto result : object) {
    od::field field;
    if (std::move(result).get(field) != simdjson::SUCCESS) return false;
    const unsigned k = voxel_key(field.key());
    od::value v = field.value();
    if (k == kKeys || (seen & (1U << k)) != 0) return false;  // unknown or repeated: the dispatcher's case
    seen |= 1U << k;
    bool ok = false;
    if (k <= kZ) {
      ok = read_integer(v, INT32_MIN, INT32_MAX, xyz[k]);
    } else if (k == kColor) {
      ok = read_color_array(v, color);
    } else {
      ok = read_component(v, given[k - kR]);
    }
    if (!ok) return false;
  }
  constexpr unsigned kXyz = 1U << kX | 1U << kY | 1U << kZ;
  constexpr unsigned kRgba = 1U << kR | 1U << kG | 1U << kB | 1U << kA;
  if ((seen & kXyz) != kXyz) return false;
  const bool has_color = (seen & (1U << kColor)) != 0;
  if (has_color && (seen & kRgba) != 0) return false;  // both forms: left to read_color's precedence
  const std::uint32_t rgba = has_color ? color : (seen & kRgba) != 0 ? pack(given) : 0xffffffffU;
  out = protocol::Voxel(static_cast<std::int32_t>(xyz[0]), static_cast<std::int32_t>(xyz[1]),
                        static_cast<std::int32_t>(xyz[2]), rgba);
  return true;
}

bool read_voxels(od::value value, std::vector<protocol::Voxel>& out) {
  od::array list;
  if (value.get_array().get(list) != simdjson::SUCCESS) return false;
  for (auto element : list) {
    od::value v;
    protocol::Voxel voxel;
    if (element.get(v) != simdjson::SUCCESS || !read_voxel(v, voxel)) return false;
    out.push_back(voxel);
  }
  return true;
}

// layer_param: an integer up to UINT32_MAX; <= 0 means the active layer.
bool read_layer(od::value value, std::uint32_t& layer) {
  std::int64_t id = 0;
  if (!read_integer(value, INT64_MIN, UINT32_MAX, id)) return false;
  layer = id <= 0 ? 0 : static_cast<std::uint32_t>(id);
  return true;
}

// params: {"voxels": [...], "layer_id": n, "project": handle} or [[...], layer_id].
bool read_params(od::value value, AddVoxelsCall& call) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return false;
  if (type == od::json_type::array) {
    od::array list;
    if (value.get_array().get(list) != simdjson::SUCCESS) return false;
    std::size_t n = 0;
    for (auto element : list) {
      od::value v;
      if (element.get(v) != simdjson::SUCCESS || n == 2) return false;
      if (!(n == 0 ? read_voxels(v, call.voxels) : read_layer(v, call.layer))) return false;
      ++n;
    }
    return n >= 1;
  }
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return false;
  bool voxels = false;
  bool layer = false;
  bool project = false;
  for (auto result : object) {
    od::field field;
    if (std::move(result).get(field) != simdjson::SUCCESS) return false;
    const auto key = field.key();
    od::value v = field.value();
    bool ok = false;
    if (key.unsafe_is_equal("voxels") && !voxels) {
      voxels = ok = read_voxels(v, call.voxels);
    } else if (key.unsafe_is_equal("layer_id") && !layer) {
      layer = ok = read_layer(v, call.layer);
    } else if (key.unsafe_is_equal("project") && !project) {
      project = ok = v.get_uint64().get(call.project) == simdjson::SUCCESS;
    }
    if (!ok) return false;
  }
  return voxels;
}

}  // namespace

std::optional<FastAddVoxels> AddVoxelsFastReader::read(std::string_view text) {
  // Most messages are other methods: a plain search leaves them to the dispatcher at once.
  if (text.find("\"goxel.add_voxels\"") == std::string_view::npos) return std::nullopt;
  // simdjson reads SIMDJSON_PADDING bytes past the text: a copy into a buffer kept across messages.
  if (buffer_.size() < text.size() + simdjson::SIMDJSON_PADDING)
    buffer_.resize(text.size() + simdjson::SIMDJSON_PADDING);
  const auto end = std::copy(text.begin(), text.end(), buffer_.begin());
  std::fill(end, end + simdjson::SIMDJSON_PADDING, '\0');  // not an earlier message's bytes
  od::document doc;
  od::object top;
  if (parser_.iterate(buffer_.data(), text.size(), buffer_.size()).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(top) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  FastAddVoxels out;
  enum Seen : unsigned { kVersion = 1, kId = 2, kMethod = 4, kParams = 8 };
  unsigned seen = 0;
  for (auto result : top) {
    od::field field;
    if (std::move(result).get(field) != simdjson::SUCCESS) return std::nullopt;
    const auto key = field.key();  // compared raw, as the voxels' keys are: an escaped key is the dispatcher's
    od::value v = field.value();
    unsigned bit = 0;
    bool ok = false;
    std::string_view s;
    od::raw_json_string raw;
    if (key.unsafe_is_equal("jsonrpc")) {
      bit = kVersion;
      ok = v.get_string().get(s) == simdjson::SUCCESS && s == "2.0";
    } else if (key.unsafe_is_equal("method")) {
      bit = kMethod;
      ok = v.get_string().get(s) == simdjson::SUCCESS && s == "goxel.add_voxels";
    } else if (key.unsafe_is_equal("id")) {
      bit = kId;
      od::json_type type;
      std::int64_t n = 0;
      if (v.type().get(type) != simdjson::SUCCESS) return std::nullopt;
      if (type == od::json_type::number && v.get_int64().get(n) == simdjson::SUCCESS) {
        out.id = n;
        ok = true;
      } else if (type == od::json_type::string && v.get_raw_json_string().get(raw) == simdjson::SUCCESS) {
        // Only ids with no escapes and no control characters (which may not stand raw in JSON): those both
        // readers read alike. Escapes (\u surrogates among them) are the dispatcher's to read or refuse.
        const char* chars = raw.raw();
        std::size_t length = 0;
        while (chars[length] != '"' && chars[length] != '\\' && static_cast<unsigned char>(chars[length]) >= 0x20) {
          ++length;
        }
        ok = chars[length] == '"';
        out.id = std::string(chars, length);
      }
    } else if (key.unsafe_is_equal("params")) {
      bit = kParams;
      ok = read_params(v, out.call);
    }
    if (!ok || (seen & bit) != 0) return std::nullopt;
    seen |= bit;
  }
  // The whole text must have been one object: nothing may follow it (simdjson 3.0 says so with OUT_OF_BOUNDS
  // for the location after the last token).
  if (seen != (kVersion | kId | kMethod | kParams) || doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return std::nullopt;
  }
  return out;
}

}  // namespace voxd::goxel
