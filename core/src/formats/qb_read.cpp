// Reads Qubicle .qb files (layout and axes: qb.hpp). The input is hostile: every size is checked against
// the bytes that remain before it is used, run lengths against the cells of their slice, positions against
// voxd's coordinate range, and voxels, layers and blocks against ReadLimits (a block is paid for before the
// voxel that would allocate it is written).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "formats/byte_io.hpp"
#include "formats/qb.hpp"
#include "voxd/core/block.hpp"

namespace voxd::core::formats {
namespace {

Error format_error(std::size_t offset, const std::string& reason) {
  return make_error(ErrorCode::format, "qb: offset " + std::to_string(offset) + ": " + reason);
}

struct Header {
  std::uint32_t color_format = 0;  // 0 RGBA, 1 BGRA
  std::uint32_t orientation = qb::kRightHanded;
  bool compressed = false;
  bool visibility_mask = false;
  std::uint32_t matrices = 0;
};

std::string version_text(std::uint32_t v) {
  return std::to_string(v & 0xFFU) + "." + std::to_string((v >> 8U) & 0xFFU) + "." +
         std::to_string((v >> 16U) & 0xFFU) + "." + std::to_string(v >> 24U);
}

Result<Header> read_header(ByteReader& in) {
  if (in.remaining() < qb::kHeaderBytes) {
    return format_error(0, "the header needs 24 bytes, the file has " + std::to_string(in.remaining()));
  }
  // Every read below is within the 24 bytes just checked.
  const std::uint32_t version = in.u32().value_or(0);
  if ((version & 0xFFFFU) != (qb::kVersion & 0xFFFFU)) {
    return make_error(ErrorCode::unsupported,
                      "qb: offset 0: version " + version_text(version) + " is not supported (1.1 is)");
  }
  Header h;
  struct Flag {
    const char* what;
    const char* meaning;
  };
  constexpr std::array<Flag, 4> kFlags{{{"colour format", "0 (RGBA) nor 1 (BGRA)"},
                                        {"z-axis orientation", "0 (left-handed) nor 1 (right-handed)"},
                                        {"compression", "0 (none) nor 1 (run-length)"},
                                        {"visibility mask", "0 nor 1"}}};
  std::array<std::uint32_t, 4> flags{};
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const std::size_t at = in.offset();
    flags[i] = in.u32().value_or(0);
    if (flags[i] > 1) {
      return format_error(
          at, std::string(kFlags[i].what) + " " + std::to_string(flags[i]) + " is neither " + kFlags[i].meaning);
    }
  }
  h.color_format = flags[0];
  h.orientation = flags[1];
  h.compressed = flags[2] == 1;
  h.visibility_mask = flags[3] == 1;
  h.matrices = in.u32().value_or(0);
  return h;
}

// Reads the matrices one by one into layers, counting voxels and blocks over the whole file.
class MatrixReader {
 public:
  MatrixReader(const Header& header, const ReadLimits& limits) : header_(header), limits_(limits) {}

  Status read(ByteReader& in, Layer& layer) {
    const std::size_t matrix_at = in.offset();
    const auto name_length = in.bytes(1);
    if (!name_length) {
      return format_error(matrix_at, "matrix name length missing");
    }
    const auto name = in.bytes((*name_length)[0]);
    if (!name) {
      return format_error(in.offset(),
                          "matrix name of " + std::to_string((*name_length)[0]) + " bytes runs past the end");
    }
    layer.name.assign(name->begin(), name->end());
    const std::size_t size_at = in.offset();
    for (std::uint32_t& edge : size_) {
      const auto v = in.u32();
      if (!v) {
        return format_error(size_at, "matrix '" + layer.name + "': size needs 12 bytes");
      }
      edge = *v;
    }
    const std::size_t position_at = in.offset();
    for (std::int32_t& p : position_) {
      const auto v = in.i32();
      if (!v) {
        return format_error(position_at, "matrix '" + layer.name + "': position needs 12 bytes");
      }
      p = *v;
    }
    VOXD_TRY(check_range(layer.name, size_at));
    cells_per_slice_ = std::uint64_t{size_[0]} * size_[1];
    VolumeAccessor volume(layer.volume);
    return header_.compressed ? read_runs(in, layer, volume) : read_dense(in, layer, volume);
  }

 private:
  // Every voxel the matrix may hold must land inside voxd's coordinate range.
  Status check_range(const std::string& name, std::size_t at) const {
    if (size_[0] == 0 || size_[1] == 0 || size_[2] == 0) {
      return {};  // no voxel
    }
    for (std::size_t a = 0; a < 3; ++a) {
      const std::int64_t lo = position_[a];
      const std::int64_t hi = lo + size_[a] - 1;
      const bool mirrored = a == 2 && header_.orientation == qb::kLeftHanded;  // voxd y = -z
      if (!in_coord_range(lo) || !in_coord_range(hi) || (mirrored && (!in_coord_range(-lo) || !in_coord_range(-hi)))) {
        return format_error(at, "matrix '" + name + "' at (" + std::to_string(position_[0]) + ", " +
                                    std::to_string(position_[1]) + ", " + std::to_string(position_[2]) + ") of size " +
                                    std::to_string(size_[0]) + " x " + std::to_string(size_[1]) + " x " +
                                    std::to_string(size_[2]) + " reaches outside the coordinate range");
      }
    }
    return {};
  }

  [[nodiscard]] Color decode(ByteView b) const noexcept {
    Color c = header_.color_format == 0 ? Color{b[0], b[1], b[2], b[3]} : Color{b[2], b[1], b[0], b[3]};
    if (header_.visibility_mask && c.a != 0) {
      c.a = 255;  // the alpha byte says which faces show, not how opaque the voxel is
    }
    return c;
  }

  // Reserves `count` voxels of the max_voxels budget.
  Status take_voxels(std::uint64_t count) {
    const std::int64_t left = limits_.max_voxels > voxels_ ? limits_.max_voxels - voxels_ : 0;
    if (count > static_cast<std::uint64_t>(left)) {
      return make_error(ErrorCode::limit_exceeded,
                        "qb: more than " + std::to_string(limits_.max_voxels) + " voxels (ReadLimits::max_voxels)");
    }
    voxels_ += static_cast<std::int64_t>(count);
    return {};
  }

  // Writes one voxel, matrix coordinates; a block it would create is checked against the limits first.
  Status put(const Layer& layer, VolumeAccessor& volume, std::uint64_t x, std::uint64_t y, std::uint64_t z, Color c) {
    const Vec3i p =
        qb::to_voxd(header_.orientation, position_[0] + static_cast<std::int64_t>(x),
                    position_[1] + static_cast<std::int64_t>(y), position_[2] + static_cast<std::int64_t>(z));
    const BlockCoord bc = block_of(p);
    if (!(bc == last_block_)) {
      last_block_ = bc;
      if (layer.volume.find_block(bc) == nullptr) {
        VOXD_TRY(limits_.check_blocks(blocks_ + 1, "qb"));
        ++blocks_;
      }
    }
    volume.set(p, c);
    return {};
  }

  Status read_dense(ByteReader& in, const Layer& layer, VolumeAccessor& volume) {
    const std::size_t at = in.offset();
    const std::uint64_t room = in.remaining() / 4;
    if (size_[2] != 0 && cells_per_slice_ != 0 && (cells_per_slice_ > room || size_[2] > room / cells_per_slice_)) {
      return format_error(at, "matrix '" + layer.name + "' of " + std::to_string(size_[0]) + " x " +
                                  std::to_string(size_[1]) + " x " + std::to_string(size_[2]) +
                                  " voxels needs more than the " + std::to_string(in.remaining()) +
                                  " bytes that remain");
    }
    const std::uint64_t cells = cells_per_slice_ * size_[2];
    if (cells == 0) {
      return {};  // an edge of 0: the other two may be huge, but there is nothing to walk (found by fuzz_qb_read)
    }
    const ByteView data = in.bytes(static_cast<std::size_t>(cells * 4)).value_or(ByteView{});
    last_block_ = kNoBlock;
    std::size_t i = 0;
    for (std::uint64_t z = 0; z < size_[2]; ++z) {
      for (std::uint64_t y = 0; y < size_[1]; ++y) {
        for (std::uint64_t x = 0; x < size_[0]; ++x, i += 4) {
          const ByteView raw = data.subspan(i, 4);
          if (raw[3] == 0) {
            continue;
          }
          VOXD_TRY(take_voxels(1));
          VOXD_TRY(put(layer, volume, x, y, z, decode(raw)));
        }
      }
    }
    return {};
  }

  Status read_runs(ByteReader& in, const Layer& layer, VolumeAccessor& volume) {
    last_block_ = kNoBlock;
    // Every slice takes at least its 4-byte NEXTSLICEFLAG, so a huge slice count ends at the end of the file.
    for (std::uint64_t z = 0; z < size_[2]; ++z) {
      std::uint64_t index = 0;
      while (true) {
        const std::size_t at = in.offset();
        const auto raw = in.bytes(4);
        if (!raw) {
          return format_error(
              at, "matrix '" + layer.name + "': slice " + std::to_string(z) + " ends before its NEXTSLICEFLAG");
        }
        const std::uint32_t word = std::uint32_t{(*raw)[0]} | (std::uint32_t{(*raw)[1]} << 8U) |
                                   (std::uint32_t{(*raw)[2]} << 16U) | (std::uint32_t{(*raw)[3]} << 24U);
        if (word == qb::kNextSliceFlag) {
          break;
        }
        std::uint64_t count = 1;
        ByteView value = *raw;
        if (word == qb::kCodeFlag) {
          const auto n = in.u32();
          const auto v = in.bytes(4);
          if (!n || !v) {
            return format_error(at, "matrix '" + layer.name + "': run needs a count and a colour");
          }
          count = *n;
          value = *v;
        }
        if (count > cells_per_slice_ - index) {
          return format_error(at, "matrix '" + layer.name + "': a run of " + std::to_string(count) + " from cell " +
                                      std::to_string(index) + " passes the " + std::to_string(cells_per_slice_) +
                                      " cells of slice " + std::to_string(z));
        }
        if (value[3] != 0) {
          VOXD_TRY(take_voxels(count));
          const Color c = decode(value);
          for (std::uint64_t i = index; i < index + count; ++i) {
            VOXD_TRY(put(layer, volume, i % size_[0], i / size_[0], z, c));
          }
        }
        index += count;  // an empty run only moves on, however long
      }
    }
    return {};
  }

  // Block coordinates are int32 voxel coordinates >> 4, so no voxel lies in this block.
  static constexpr BlockCoord kNoBlock{INT32_MAX, INT32_MAX, INT32_MAX};

  const Header& header_;
  const ReadLimits& limits_;
  std::array<std::uint32_t, 3> size_{};
  std::array<std::int32_t, 3> position_{};
  std::uint64_t cells_per_slice_ = 0;
  std::int64_t voxels_ = 0;
  std::size_t blocks_ = 0;
  BlockCoord last_block_ = kNoBlock;
};

}  // namespace

bool qb_matches(ByteView head) noexcept {
  if (head.size() < qb::kHeaderBytes) {
    return false;
  }
  ByteReader in(head.first(qb::kHeaderBytes));
  if ((in.u32().value_or(0) & 0xFFFFU) != (qb::kVersion & 0xFFFFU)) {
    return false;
  }
  for (int i = 0; i < 4; ++i) {
    if (in.u32().value_or(2) > 1) {
      return false;
    }
  }
  return true;
}

Result<ProjectState> read_qb(ByteView bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return make_error(ErrorCode::limit_exceeded,
                      "qb: file of " + std::to_string(bytes.size()) + " bytes exceeds ReadLimits::max_file_bytes");
  }
  ByteReader in(bytes);
  auto header = read_header(in);
  if (!header) {
    return std::move(header).error();
  }
  ProjectState state;
  MatrixReader reader(*header, limits);
  for (std::uint32_t m = 0; m < header->matrices; ++m) {
    // Goxel 0.11 counts the empty layers it leaves out: a file that ends after a whole matrix has what it has.
    if (in.at_end()) {
      break;
    }
    if (state.layers.size() >= limits.max_layers) {
      return make_error(ErrorCode::limit_exceeded,
                        "qb: more than " + std::to_string(limits.max_layers) + " layers (ReadLimits::max_layers)");
    }
    Layer layer;
    VOXD_TRY(reader.read(in, layer));
    layer.id = state.next_layer_id++;
    state.layers.push_back(std::move(layer));
  }
  if (state.layers.empty()) {
    Layer layer;
    layer.id = state.next_layer_id++;
    layer.name = "background";
    state.layers.push_back(std::move(layer));
  }
  return state;
}

}  // namespace voxd::core::formats
