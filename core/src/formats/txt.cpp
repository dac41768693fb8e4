// Goxel's text export: three '#' header lines, then "X Y Z RRGGBB" per solid voxel of the model
// (merged visible layers, alpha >= 127). It holds one layer of opaque colours, so writing anything
// richer is lossy. The reader accepts '#' comments and blank lines anywhere and rejects anything else
// with the line number.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <vector>

#include "codecs.hpp"
#include "voxd/core/color.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::core::formats {
namespace {

constexpr char kHeader[] = "# voxd text export\n# One line per voxel\n# X Y Z RRGGBB\n";

Error line_error(ErrorCode code, std::size_t line, std::string_view reason) {
  return make_error(code, "txt: line " + std::to_string(line) + ": " + std::string(reason));
}

constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// Splits on blanks into at most out.size() fields; returns how many fields the line has.
std::size_t split_fields(std::string_view line, std::array<std::string_view, 4>& out) noexcept {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) {
      ++i;
    }
    if (i == line.size()) {
      break;
    }
    const std::size_t start = i;
    while (i < line.size() && !is_blank(line[i])) {
      ++i;
    }
    if (count < out.size()) {
      out[count] = line.substr(start, i - start);
    }
    ++count;
  }
  return count;
}

std::optional<std::int32_t> parse_coordinate(std::string_view field) noexcept {
  std::int64_t value = 0;
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, value);
  if (ec != std::errc() || ptr != end || !in_coord_range(value)) {
    return std::nullopt;
  }
  return static_cast<std::int32_t>(value);
}

std::optional<Color> parse_rgb(std::string_view field) noexcept {
  if (field.size() != 6) {
    return std::nullopt;
  }
  std::uint32_t rgb = 0;
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, rgb, 16);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return Color::from_packed((rgb << 8U) | 0xFFU);
}

Result<ProjectState> read(ByteView bytes, const ReadLimits& limits) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());  // NOLINT: bytes as chars
  Layer layer;
  layer.id = 1;
  layer.name = "background";
  VolumeAccessor writer(layer.volume);
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t stop = newline == std::string_view::npos ? text.size() : newline;
    const std::string_view line = text.substr(start, stop - start);
    start = stop + 1;
    ++line_number;
    std::array<std::string_view, 4> fields{};
    const std::size_t count = split_fields(line, fields);
    if (count == 0 || fields[0].starts_with('#')) {
      continue;
    }
    if (count != 4) {
      return line_error(ErrorCode::format, line_number,
                        "expected 'X Y Z RRGGBB', found " + std::to_string(count) + " fields");
    }
    const auto x = parse_coordinate(fields[0]);
    const auto y = parse_coordinate(fields[1]);
    const auto z = parse_coordinate(fields[2]);
    if (!x || !y || !z) {
      return line_error(ErrorCode::format, line_number, "coordinates must be integers in the coordinate range");
    }
    const auto color = parse_rgb(fields[3]);
    if (!color) {
      return line_error(ErrorCode::format, line_number,
                        "colour '" + std::string(fields[3].substr(0, 16)) + "' is not 6 hex digits");
    }
    writer.set(Vec3i{*x, *y, *z}, *color);
    if (layer.volume.voxel_count() > limits.max_voxels) {
      return line_error(ErrorCode::limit_exceeded, line_number,
                        "more voxels than max_voxels (" + std::to_string(limits.max_voxels) + ")");
    }
    if (Status blocks = limits.check_blocks(layer.volume.block_count(), "txt"); !blocks.ok()) {
      return line_error(ErrorCode::limit_exceeded, line_number, blocks.error().message);
    }
  }
  ProjectState state;
  state.layers.push_back(std::move(layer));
  state.next_layer_id = 2;
  return state;
}

// Appends "X Y Z rrggbb\n" (to_chars: no allocation per voxel).
void append_line(Vec3i p, Color c, Bytes& out) {
  std::array<char, 48> line{};
  char* at = line.data();
  char* const end = line.data() + line.size();
  for (const std::int32_t v : {p.x, p.y, p.z}) {
    at = std::to_chars(at, end, v).ptr;
    *at++ = ' ';
  }
  constexpr std::string_view kDigits = "0123456789abcdef";
  for (const std::uint8_t channel : {c.r, c.g, c.b}) {
    *at++ = kDigits[channel >> 4U];
    *at++ = kDigits[channel & 0xFU];
  }
  *at++ = '\n';
  out.insert(out.end(), line.data(), at);
}

Result<WriteReport> write(const ProjectState& state, Bytes& out) {
  // The model as Goxel exports it. A Project copy of the state is a snapshot: blocks are shared.
  const Volume model = merged_visible(Project("txt export", state));
  std::vector<BlockCoord> blocks;
  blocks.reserve(model.block_count());
  model.for_each_block([&blocks](BlockCoord c, const SharedBlock&) { blocks.push_back(c); });
  std::sort(blocks.begin(), blocks.end(),
            [](const BlockCoord& a, const BlockCoord& b) { return std::tie(a.z, a.y, a.x) < std::tie(b.z, b.y, b.x); });
  WriteReport report;
  bool translucent = false;
  const std::string_view header(kHeader);
  out.assign(header.begin(), header.end());
  for (const BlockCoord coord : blocks) {
    const Block& block = *model.find_block(coord);
    for (int i = 0; i < kBlockVoxels; ++i) {
      const Color c = block.get(i);
      if (c.empty()) {
        continue;
      }
      translucent = translucent || c.a != 255;
      if (!c.solid()) {
        continue;
      }
      append_line(coord.origin() + local_of_index(i), c, out);
    }
  }
  if (state.layers.size() > 1) {
    report.lossy = true;
    report.warning = "txt holds one layer: the visible layers were merged and hidden ones dropped";
  }
  if (translucent) {
    report.lossy = true;
    report.warning += std::string(report.warning.empty() ? "" : "; ") +
                      "txt holds opaque colours: alpha was dropped and voxels below alpha 127 left out";
  }
  return report;
}

}  // namespace

Result<ProjectState> read_txt(ByteView bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return make_error(ErrorCode::limit_exceeded, "txt: file of " + std::to_string(bytes.size()) +
                                                     " bytes exceeds max_file_bytes (" +
                                                     std::to_string(limits.max_file_bytes) + ")");
  }
  try {
    return read(bytes, limits);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "txt: out of memory while reading");
  }
}

Result<WriteReport> write_txt(const ProjectState& state, Bytes& out, const WriteOptions& /*options*/) {
  try {
    return write(state, out);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "txt: out of memory while writing");
  }
}

}  // namespace voxd::core::formats
