// Reads SLAB6 .vox files (Ken Silverman's voxel editor, also Build-engine tools): the header's
// three sizes must account for every byte of the file, which is also how the format is detected.
#include "formats/slab6.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace voxd::core::formats {
namespace {

constexpr std::size_t kHeaderBytes = 12;
constexpr std::size_t kPaletteBytes = 768;
constexpr std::uint8_t kEmptyIndex = 255;
// SLAB6 itself edits at most 256 per axis; Build-engine tools (and vengi) read up to 2048.
constexpr std::int64_t kMaxEdge = 2048;

std::int64_t le_i32(ByteView b) {
  return static_cast<std::int32_t>(std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8U) | (std::uint32_t{b[2]} << 16U) |
                                   (std::uint32_t{b[3]} << 24U));
}

struct Header {
  std::int64_t x = 0;
  std::int64_t y = 0;
  std::int64_t z = 0;
};

std::optional<Header> header_of(ByteView bytes) {
  if (bytes.size() < kHeaderBytes + kPaletteBytes) {
    return std::nullopt;
  }
  const Header h{le_i32(bytes.subspan(0, 4)), le_i32(bytes.subspan(4, 4)), le_i32(bytes.subspan(8, 4))};
  for (const std::int64_t edge : {h.x, h.y, h.z}) {
    if (edge < 1 || edge > kMaxEdge) {
      return std::nullopt;
    }
  }
  if (kHeaderBytes + static_cast<std::size_t>(h.x * h.y * h.z) + kPaletteBytes != bytes.size()) {
    return std::nullopt;
  }
  return h;
}

Error slab6_error(ErrorCode code, const std::string& reason) {
  return make_error(code, "slab6: " + reason);
}

}  // namespace

bool slab6_matches(ByteView bytes) {
  return header_of(bytes).has_value();
}

Result<ProjectState> read_slab6(ByteView bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return slab6_error(ErrorCode::limit_exceeded,
                       "file of " + std::to_string(bytes.size()) + " bytes exceeds ReadLimits::max_file_bytes");
  }
  const auto header = header_of(bytes);
  if (!header) {
    return slab6_error(ErrorCode::format,
                       "offset 0: not a SLAB6 .vox (three sizes of 1..2048 followed by exactly x*y*z voxel bytes "
                       "and a 768-byte palette)");
  }
  const auto [sx, sy, sz] = *header;
  const ByteView grid = bytes.subspan(kHeaderBytes, static_cast<std::size_t>(sx * sy * sz));
  const ByteView raw_palette = bytes.subspan(kHeaderBytes + grid.size(), kPaletteBytes);

  // 6-bit channels (0..63) scaled to 8 bits. Some tools write 8-bit palettes; a palette with any
  // value above 63 is taken as 8-bit.
  const bool six_bit = std::all_of(raw_palette.begin(), raw_palette.end(), [](std::uint8_t c) { return c <= 63; });
  std::array<Color, 256> palette{};
  for (std::size_t i = 0; i < palette.size(); ++i) {
    const auto channel = [&](std::size_t k) {
      const std::uint8_t c = raw_palette[3 * i + k];
      return six_bit ? static_cast<std::uint8_t>((c * 255 + 31) / 63) : c;
    };
    palette[i] = Color{channel(0), channel(1), channel(2), 255};
  }

  std::int64_t solid = 0;
  for (const std::uint8_t index : grid) {
    solid += index != kEmptyIndex ? 1 : 0;
  }
  if (solid > limits.max_voxels) {
    return slab6_error(ErrorCode::limit_exceeded, std::to_string(solid) + " voxels exceed ReadLimits::max_voxels (" +
                                                      std::to_string(limits.max_voxels) + ")");
  }
  // Centred like a MagicaVoxel model (x - floor(X/2), ...); z flipped, as SLAB6's z points down.
  const Vec3i shift{static_cast<std::int32_t>(sx / 2), static_cast<std::int32_t>(sy / 2),
                    static_cast<std::int32_t>(sz / 2)};
  Layer layer;
  layer.id = 1;
  layer.name = "slab6";
  {
    VolumeAccessor volume(layer.volume);
    std::size_t i = 0;
    for (std::int32_t x = 0; x < sx; ++x) {
      for (std::int32_t y = 0; y < sy; ++y) {
        for (std::int32_t z = 0; z < sz; ++z, ++i) {
          const std::uint8_t index = grid[i];
          if (index != kEmptyIndex) {
            volume.set(Vec3i{x - shift.x, y - shift.y, static_cast<std::int32_t>(sz) - 1 - z - shift.z},
                       palette[index]);
          }
        }
      }
    }
  }
  VOXD_TRY(limits.check_blocks(layer.volume.block_count(), "slab6"));
  ProjectState state;
  state.layers.push_back(std::move(layer));
  state.next_layer_id = 2;
  return state;
}

}  // namespace voxd::core::formats
