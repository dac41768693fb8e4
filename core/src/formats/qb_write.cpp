// Writes Qubicle .qb files (layout and axes: qb.hpp): version 1.1.0.0, RGBA, right-handed (as Goxel writes),
// run-length compressed, no visibility mask; one matrix per layer, the layer's bounding box.
//
// The voxels are walked block by block in the file's order (slice = voxd y, then voxd z, then x), so the
// cost is that of the blocks, never of the bounding box: empty stretches become runs of empty cells, and a
// slice ends as soon as its last voxel is written (readers leave the rest empty).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "formats/byte_io.hpp"
#include "formats/qb.hpp"
#include "voxd/core/block.hpp"

namespace voxd::core::formats {
namespace {

// Each slice costs 4 bytes even when empty: a layer spread thinly over a huge height would make a huge file.
constexpr std::uint64_t kMaxSliceBytes = 1024ULL * 1024 * 1024;
constexpr std::size_t kMaxNameBytes = 255;

std::uint32_t file_value(Color c) noexcept {
  return std::uint32_t{c.r} | (std::uint32_t{c.g} << 8U) | (std::uint32_t{c.b} << 16U) | (std::uint32_t{c.a} << 24U);
}

// The cells of one slice, in order, as single values and CODEFLAG runs.
class RunEncoder {
 public:
  explicit RunEncoder(ByteWriter& out) noexcept : out_(&out) {}

  // `cell` = x + width * row, increasing within a slice; a voxel's value is never 2 or 6 (its alpha is not 0).
  void voxel(std::uint64_t cell, std::uint32_t value) {
    if (count_ > 0 && cell == next_ && value == value_) {
      ++count_;
      ++next_;
      return;
    }
    flush();
    emit(0, cell - next_);  // the empty cells before it
    value_ = value;
    count_ = 1;
    next_ = cell + 1;
  }
  void end_slice() {
    flush();
    out_->u32(qb::kNextSliceFlag);
    next_ = 0;
  }

 private:
  void flush() {
    emit(value_, count_);
    count_ = 0;
  }
  // n cells of one value: single values when that is shorter than a run, else runs of at most 2^32 - 1.
  void emit(std::uint32_t value, std::uint64_t n) {
    if (n < 3) {
      for (std::uint64_t i = 0; i < n; ++i) {
        out_->u32(value);
      }
      return;
    }
    while (n > 0) {
      const std::uint64_t run = std::min<std::uint64_t>(n, std::numeric_limits<std::uint32_t>::max());
      out_->u32(qb::kCodeFlag);
      out_->u32(static_cast<std::uint32_t>(run));
      out_->u32(value);
      n -= run;
    }
  }

  ByteWriter* out_;
  std::uint64_t next_ = 0;  // the first cell not yet written
  std::uint32_t value_ = 0;
  std::uint64_t count_ = 0;  // of the pending run of value_
};

struct PlacedBlock {
  BlockCoord coord;
  const Block* block = nullptr;
};

// Returns whether a voxel is translucent (alpha < 255).
bool write_voxels(const Volume& volume, const Box& box, ByteWriter& out) {
  std::vector<PlacedBlock> blocks;
  blocks.reserve(volume.block_count());
  volume.for_each_block([&](BlockCoord c, const SharedBlock& b) { blocks.push_back({c, &*b}); });
  // File order: slices along voxd y, rows along voxd z, cells along x.
  std::sort(blocks.begin(), blocks.end(), [](const PlacedBlock& a, const PlacedBlock& b) {
    return std::tie(a.coord.y, a.coord.z, a.coord.x) < std::tie(b.coord.y, b.coord.z, b.coord.x);
  });
  const auto width = static_cast<std::uint64_t>(box.size_x());
  bool translucent = false;
  RunEncoder runs(out);
  std::int64_t next_slice = box.min.y;
  std::size_t group = 0;
  while (group < blocks.size()) {
    std::size_t group_end = group;
    while (group_end < blocks.size() && blocks[group_end].coord.y == blocks[group].coord.y) {
      ++group_end;
    }
    const std::int64_t y0 = std::int64_t{blocks[group].coord.y} * kBlockEdge;
    for (int ly = 0; ly < kBlockEdge; ++ly) {
      const std::int64_t y = y0 + ly;
      if (y < box.min.y || y > box.max.y) {
        continue;
      }
      for (; next_slice < y; ++next_slice) {
        runs.end_slice();  // slices without a voxel
      }
      // Blocks of one z in a row of the sorted group, x ascending.
      for (std::size_t row = group; row < group_end;) {
        std::size_t row_end = row;
        while (row_end < group_end && blocks[row_end].coord.z == blocks[row].coord.z) {
          ++row_end;
        }
        for (int lz = 0; lz < kBlockEdge; ++lz) {
          const std::int64_t z = std::int64_t{blocks[row].coord.z} * kBlockEdge + lz;
          for (std::size_t k = row; k < row_end; ++k) {
            const std::int64_t x0 = std::int64_t{blocks[k].coord.x} * kBlockEdge;
            for (int lx = 0; lx < kBlockEdge; ++lx) {
              const Color c = blocks[k].block->get(lx + kBlockEdge * (ly + kBlockEdge * lz));
              if (c.empty()) {
                continue;
              }
              const auto cell =
                  static_cast<std::uint64_t>(x0 + lx - box.min.x) + width * static_cast<std::uint64_t>(z - box.min.z);
              runs.voxel(cell, file_value(c));
              translucent = translucent || c.a != 255;
            }
          }
        }
        row = row_end;
      }
      runs.end_slice();
      ++next_slice;
    }
    group = group_end;
  }
  for (; next_slice <= box.max.y; ++next_slice) {
    runs.end_slice();
  }
  return translucent;
}

// What .qb cannot keep of the project, for the report.
std::string losses(const ProjectState& state, bool translucent) {
  std::vector<std::string> lost;
  const auto any_layer = [&](auto predicate) {
    return std::any_of(state.layers.begin(), state.layers.end(), predicate);
  };
  if (any_layer([](const Layer& l) { return !l.visible; })) {
    lost.emplace_back("hidden layers are written as visible (.qb has no visibility)");
  }
  if (any_layer([](const Layer& l) { return l.name.size() > kMaxNameBytes; })) {
    lost.emplace_back("layer names are cut to 255 bytes");
  }
  if (translucent) {
    lost.emplace_back("translucent voxels keep their alpha, but Qubicle and Goxel show them opaque");
  }
  if (any_layer(
          [](const Layer& l) { return l.mode != BlendMode::over || l.material >= 0 || l.transform != kIdentity; }) ||
      !state.materials.empty() || !state.color_materials.empty() || !state.vox_layers.empty() || !state.cameras.empty() || state.light ||
      state.working_box) {
    lost.emplace_back("blend modes, layer transforms, materials, MagicaVoxel layer panels, cameras, light and the working box are not kept");
  }
  std::string text;
  for (const std::string& item : lost) {
    text += (text.empty() ? "" : "; ") + item;
  }
  return text;
}

}  // namespace

Result<WriteReport> write_qb(const ProjectState& state, Bytes& out, const WriteOptions& /*options*/) {
  try {
    std::uint64_t slice_bytes = 0;
    std::vector<std::optional<Box>> boxes;
    boxes.reserve(state.layers.size());
    for (const Layer& layer : state.layers) {
      boxes.push_back(layer.volume.bounding_box());
      if (boxes.back() && !in_coord_range(*boxes.back())) {
        return make_error(ErrorCode::invalid_argument,
                          "qb: layer '" + layer.name + "' has voxels outside the coordinate range");
      }
      slice_bytes += boxes.back() ? 4 * static_cast<std::uint64_t>(boxes.back()->size_y()) : 4;
      if (slice_bytes > kMaxSliceBytes) {
        return make_error(ErrorCode::limit_exceeded,
                          "qb: the layers span so many y values that their empty slices "
                          "alone would take more than 1 GiB");
      }
    }
    if (state.layers.size() > std::numeric_limits<std::uint32_t>::max()) {
      return make_error(ErrorCode::limit_exceeded, "qb: too many layers");
    }
    out.clear();
    ByteWriter w(out);
    w.u32(qb::kVersion);
    w.u32(0);  // RGBA
    w.u32(qb::kRightHanded);
    w.u32(1);  // run-length compressed
    w.u32(0);  // no visibility mask: alpha is alpha
    w.u32(static_cast<std::uint32_t>(state.layers.size()));
    bool translucent = false;
    for (std::size_t i = 0; i < state.layers.size(); ++i) {
      const Layer& layer = state.layers[i];
      const std::string_view name = std::string_view(layer.name).substr(0, kMaxNameBytes);
      out.push_back(static_cast<std::uint8_t>(name.size()));
      w.text(name);
      if (!boxes[i]) {
        // An empty layer keeps its name as one empty cell.
        for (const std::uint32_t v : {1U, 1U, 1U, 0U, 0U, 0U, qb::kNextSliceFlag}) {
          w.u32(v);
        }
        continue;
      }
      const Box& box = *boxes[i];
      // File (x, y, z) = voxd (x, z, y).
      w.u32(static_cast<std::uint32_t>(box.size_x()));
      w.u32(static_cast<std::uint32_t>(box.size_z()));
      w.u32(static_cast<std::uint32_t>(box.size_y()));
      w.i32(box.min.x);
      w.i32(box.min.z);
      w.i32(box.min.y);
      translucent = write_voxels(layer.volume, box, w) || translucent;
    }
    WriteReport report;
    report.warning = losses(state, translucent);
    report.lossy = !report.warning.empty();
    return report;
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::limit_exceeded, "qb: out of memory while writing");
  }
}

}  // namespace voxd::core::formats
