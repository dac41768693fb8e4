// TDCZ: int32 size x, y, z (each 1..256), then a zlib (or gzip) stream that inflates to
// x * y * z colour indices, x fastest, then y, then z; index 0 is empty. This is how Teardown
// writes models and how MagicaVoxel-compatible readers (vengi) read them. Output past the grid is
// ignored, as those readers do; a stream that ends early is an error.
#include "formats/vox_tdcz.hpp"

#include <zlib.h>

#include <array>
#include <cstdint>
#include <string>

namespace voxd::core::formats {
namespace {

constexpr std::int32_t kMaxEdge = 256;

Error tdcz_error(std::size_t offset, const std::string& reason) {
  return make_error(ErrorCode::format, "vox: offset " + std::to_string(offset) + ": TDCZ " + reason);
}

std::int32_t le_i32(ByteView b) {
  return static_cast<std::int32_t>(std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8U) | (std::uint32_t{b[2]} << 16U) |
                                   (std::uint32_t{b[3]} << 24U));
}

// Inflates `compressed` into exactly out.size() bytes.
Status inflate_exactly(ByteView compressed, Bytes& out, std::size_t offset) {
  z_stream stream{};
  constexpr int kZlibOrGzip = 15 + 32;  // window 2^15, header detected automatically
  if (inflateInit2(&stream, kZlibOrGzip) != Z_OK) {
    return make_error(ErrorCode::internal, "vox: zlib could not start inflating");
  }
  // zlib's API takes a mutable pointer but does not write through next_in.
  stream.next_in = const_cast<Bytef*>(compressed.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  int code = Z_OK;
  while (stream.avail_out > 0 && code == Z_OK) {
    code = inflate(&stream, Z_NO_FLUSH);
  }
  const std::size_t produced = out.size() - stream.avail_out;
  const char* message = stream.msg;
  inflateEnd(&stream);
  if (code == Z_DATA_ERROR || code == Z_NEED_DICT || code == Z_STREAM_ERROR || code == Z_MEM_ERROR) {
    return tdcz_error(
        offset, std::string("data is not a valid zlib stream (") + (message != nullptr ? message : "corrupt") + ")");
  }
  if (produced < out.size()) {
    return tdcz_error(offset, "data inflates to " + std::to_string(produced) + " bytes, the model needs " +
                                  std::to_string(out.size()));
  }
  return {};
}

}  // namespace

Result<TdczModel> decode_tdcz(ByteView content, std::size_t offset, std::size_t& byte_budget,
                              std::string_view budget_name) {
  if (content.size() < 12) {
    return tdcz_error(offset, "chunk of " + std::to_string(content.size()) + " bytes has no room for its size");
  }
  const std::array<std::int32_t, 3> size{le_i32(content.subspan(0, 4)), le_i32(content.subspan(4, 4)),
                                         le_i32(content.subspan(8, 4))};
  for (const std::int32_t edge : size) {
    if (edge < 1 || edge > kMaxEdge) {
      return tdcz_error(offset, "model size " + std::to_string(size[0]) + " x " + std::to_string(size[1]) + " x " +
                                    std::to_string(size[2]) + " is outside 1..256");
    }
  }
  const auto cells =
      static_cast<std::size_t>(size[0]) * static_cast<std::size_t>(size[1]) * static_cast<std::size_t>(size[2]);
  if (cells > byte_budget) {
    return make_error(ErrorCode::limit_exceeded, "vox: offset " + std::to_string(offset) + ": TDCZ grid of " +
                                                     std::to_string(cells) + " bytes exceeds what remains of " +
                                                     std::string(budget_name));
  }
  byte_budget -= cells;
  Bytes grid(cells);
  VOXD_TRY(inflate_exactly(content.subspan(12), grid, offset));

  std::size_t solid = 0;
  for (const std::uint8_t index : grid) {
    solid += index != 0 ? 1 : 0;
  }
  if (4 * solid > byte_budget) {
    return make_error(ErrorCode::limit_exceeded, "vox: offset " + std::to_string(offset) + ": TDCZ voxels need " +
                                                     std::to_string(4 * solid) + " bytes, more than what remains of " +
                                                     std::string(budget_name));
  }
  byte_budget -= 4 * solid;
  TdczModel model;
  model.size = Vec3i{size[0], size[1], size[2]};
  model.records.reserve(4 * solid);
  std::size_t i = 0;
  for (std::int32_t z = 0; z < size[2]; ++z) {
    for (std::int32_t y = 0; y < size[1]; ++y) {
      for (std::int32_t x = 0; x < size[0]; ++x, ++i) {
        if (grid[i] != 0) {
          model.records.insert(model.records.end(), {static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(y),
                                                     static_cast<std::uint8_t>(z), grid[i]});
        }
      }
    }
  }
  return model;
}

}  // namespace voxd::core::formats
