#include "greedy_mesher.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <string>
#include <tuple>

#include <absl/container/flat_hash_map.h>

#include "voxd/core/block.hpp"
#include "voxd/core/geometry.hpp"

namespace voxd::core::formats {

namespace {

// One bit per solid voxel of a block: row y + 16*z holds x in bit x.
constexpr std::size_t kRowsPerBlock = std::size_t{kBlockEdge} * kBlockEdge;
using SolidRows = std::array<std::uint16_t, kRowsPerBlock>;

constexpr std::size_t row_index(int y, int z) noexcept {
  const int index = y + kBlockEdge * z;
  return static_cast<std::size_t>(index);
}

struct MaskedBlock {
  SolidRows rows{};
  const Block* block = nullptr;
};

// One exposed voxel face, in its direction's (plane, v, u) frame; sorted that way for merging.
struct Face {
  std::int32_t plane = 0;
  std::int32_t v = 0;
  std::int32_t u = 0;
  std::uint32_t rgb = 0;  // packed RGBA (alpha forced to 255 for QuadAlpha::opaque)
};

bool face_before(const Face& a, const Face& b) noexcept {
  return std::tie(a.plane, a.v, a.u) < std::tie(b.plane, b.v, b.u);
}

// Returns false when the block holds no solid voxel.
bool build_mask(const Block& block, SolidRows& rows) noexcept {
  std::uint16_t any = 0;
  std::array<std::uint32_t, kBlockVoxels> scratch;  // NOLINT(cppcoreguidelines-pro-type-member-init): decoded into
  const std::uint32_t* voxels = block.dense_bits();
  if (voxels == nullptr) {
    block.decode_bits(scratch);
    voxels = scratch.data();
  }
  for (int r = 0; r < kBlockEdge * kBlockEdge; ++r) {
    unsigned bits = 0;
    const std::size_t base = static_cast<std::size_t>(r) * kBlockEdge;
    for (int x = 0; x < kBlockEdge; ++x) {
      bits |= static_cast<unsigned>(std::bit_cast<Color>(voxels[base + static_cast<std::size_t>(x)]).solid())
              << static_cast<unsigned>(x);
    }
    rows[static_cast<std::size_t>(r)] = static_cast<std::uint16_t>(bits);
    any = static_cast<std::uint16_t>(any | bits);
  }
  return any != 0;
}

std::uint32_t face_rgb(const Block& block, int x, int y, int z, QuadAlpha alpha) noexcept {
  Color c = block.get(x + kBlockEdge * (y + kBlockEdge * z));
  if (alpha == QuadAlpha::opaque) {
    c.a = 255;
  }
  return c.packed();
}

// The exposed faces of one block in all six directions. `next[d]` is the neighbouring block's mask in
// direction d (all zero when there is none).
class FaceCollector {
 public:
  FaceCollector(std::array<std::vector<Face>, kFaceDirections>& out, const DirectionSet& wanted,
                QuadAlpha alpha) noexcept
      : out_(&out), wanted_(wanted), alpha_(alpha) {}

  void collect(Vec3i origin, const MaskedBlock& mb, const std::array<const SolidRows*, kFaceDirections>& next) {
    const SolidRows& rows = mb.rows;
    const Block& block = *mb.block;
    for (int z = 0; z < kBlockEdge; ++z) {
      for (int y = 0; y < kBlockEdge; ++y) {
        const std::size_t ri = row_index(y, z);
        const unsigned r = rows[ri];
        if (r == 0) {
          continue;
        }
        // Neighbouring rows in each direction (the bit layout stays "x in bit x").
        const unsigned px = (r >> 1U) | ((at(next, FaceDirection::pos_x)[ri] & 1U) << 15U);
        const unsigned nx = ((r << 1U) | (at(next, FaceDirection::neg_x)[ri] >> 15U)) & 0xFFFFU;
        const unsigned py = y + 1 < kBlockEdge ? rows[ri + 1] : at(next, FaceDirection::pos_y)[row_index(0, z)];
        const unsigned ny = y > 0 ? rows[ri - 1] : at(next, FaceDirection::neg_y)[row_index(15, z)];
        const unsigned pz =
            z + 1 < kBlockEdge ? rows[ri + kBlockEdge] : at(next, FaceDirection::pos_z)[row_index(y, 0)];
        const unsigned nz = z > 0 ? rows[ri - kBlockEdge] : at(next, FaceDirection::neg_z)[row_index(y, 15)];
        const int gx = origin.x;
        const int gy = origin.y + y;
        const int gz = origin.z + z;
        // x faces: u = y, v = z.   y faces: u = z, v = x.   z faces: u = x, v = y.
        emit(FaceDirection::pos_x, r & ~px, block, y, z, [&](int x) { return Face{gx + x + 1, gz, gy, 0}; });
        emit(FaceDirection::neg_x, r & ~nx, block, y, z, [&](int x) { return Face{gx + x, gz, gy, 0}; });
        emit(FaceDirection::pos_y, r & ~py, block, y, z, [&](int x) { return Face{gy + 1, gx + x, gz, 0}; });
        emit(FaceDirection::neg_y, r & ~ny, block, y, z, [&](int x) { return Face{gy, gx + x, gz, 0}; });
        emit(FaceDirection::pos_z, r & ~pz, block, y, z, [&](int x) { return Face{gz + 1, gy, gx + x, 0}; });
        emit(FaceDirection::neg_z, r & ~nz, block, y, z, [&](int x) { return Face{gz, gy, gx + x, 0}; });
      }
    }
  }

 private:
  static const SolidRows& at(const std::array<const SolidRows*, kFaceDirections>& next, FaceDirection d) noexcept {
    return *next[static_cast<std::size_t>(d)];
  }

  template <typename MakeFace>
  void emit(FaceDirection d, unsigned bits, const Block& block, int y, int z, MakeFace make) {
    if (!wanted_[static_cast<std::size_t>(d)]) {
      return;
    }
    auto& faces = (*out_)[static_cast<std::size_t>(d)];
    bits &= 0xFFFFU;
    while (bits != 0) {
      const int x = std::countr_zero(bits);
      bits &= bits - 1;
      Face f = make(x);
      f.rgb = face_rgb(block, x, y, z, alpha_);
      faces.push_back(f);
    }
  }

  std::array<std::vector<Face>, kFaceDirections>* out_;
  DirectionSet wanted_;
  QuadAlpha alpha_;
};

// Merges the sorted faces of one direction into rectangles: maximal runs of one colour along u in each
// row, then runs with the same extent and colour in consecutive rows joined along v.
class RectangleMerger {
 public:
  RectangleMerger(FaceDirection direction, std::vector<Quad>& out) noexcept : direction_(direction), out_(&out) {}

  void merge(const std::vector<Face>& faces) {
    std::size_t i = 0;
    while (i < faces.size()) {
      const std::int32_t plane = faces[i].plane;
      open_.clear();
      bool have_row = false;
      std::int32_t last_v = 0;
      while (i < faces.size() && faces[i].plane == plane) {
        const std::int32_t v = faces[i].v;
        row_runs_.clear();
        for (; i < faces.size() && faces[i].plane == plane && faces[i].v == v; ++i) {
          const Face& f = faces[i];
          if (!row_runs_.empty() && row_runs_.back().u1 == f.u && row_runs_.back().rgb == f.rgb) {
            ++row_runs_.back().u1;
          } else {
            row_runs_.push_back(Run{f.u, f.u + 1, f.rgb});
          }
        }
        if (have_row && v != last_v + 1) {
          close_all(plane, last_v + 1);
        }
        extend_with_row(plane, v);
        have_row = true;
        last_v = v;
      }
      close_all(plane, last_v + 1);
    }
  }

 private:
  struct Run {
    std::int32_t u0;
    std::int32_t u1;
    std::uint32_t rgb;
  };
  struct OpenRect {
    Run run;
    std::int32_t v0;
  };

  // Both lists are sorted by u0 and non-overlapping, so one walk pairs each run with the open rectangle
  // it continues, if any; open rectangles that are not continued end at row v.
  void extend_with_row(std::int32_t plane, std::int32_t v) {
    next_open_.clear();
    std::size_t k = 0;
    for (const Run& run : row_runs_) {
      while (k < open_.size() && open_[k].run.u0 < run.u0) {
        close(plane, open_[k++], v);
      }
      if (k < open_.size() && open_[k].run.u0 == run.u0) {
        const OpenRect& o = open_[k++];
        if (o.run.u1 == run.u1 && o.run.rgb == run.rgb) {
          next_open_.push_back(o);
          continue;
        }
        close(plane, o, v);
      }
      next_open_.push_back(OpenRect{run, v});
    }
    while (k < open_.size()) {
      close(plane, open_[k++], v);
    }
    open_.swap(next_open_);
  }

  void close_all(std::int32_t plane, std::int32_t v_end) {
    for (const OpenRect& o : open_) {
      close(plane, o, v_end);
    }
    open_.clear();
  }

  void close(std::int32_t plane, const OpenRect& o, std::int32_t v_end) {
    out_->push_back(Quad{direction_, Color::from_packed(o.run.rgb), plane, o.run.u0, o.v0, o.run.u1, v_end});
  }

  FaceDirection direction_;
  std::vector<Quad>* out_;
  std::vector<Run> row_runs_;
  std::vector<OpenRect> open_;
  std::vector<OpenRect> next_open_;
};

constexpr std::array<std::array<int, 3>, kFaceDirections> kStep{
    {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}}};

bool block_in_coord_range(BlockCoord c) noexcept {
  constexpr std::int32_t lo = kMinCoord >> kBlockShift;
  constexpr std::int32_t hi = kMaxCoord >> kBlockShift;
  return c.x >= lo && c.x <= hi && c.y >= lo && c.y <= hi && c.z >= lo && c.z <= hi;
}

}  // namespace

std::array<int, 3> normal_of(FaceDirection d) noexcept {
  return kStep[static_cast<std::size_t>(d)];
}

std::array<Corner, 4> corners_of(const Quad& q) noexcept {
  const auto a = static_cast<std::size_t>(axis_of(q.direction));
  const std::size_t ua = (a + 1) % 3;
  const std::size_t va = (a + 2) % 3;
  auto point = [&](std::int32_t u, std::int32_t v) {
    Corner p{};
    p[a] = q.plane;
    p[ua] = u;
    p[va] = v;
    return p;
  };
  // u x v = +axis, so (u0,v0) (u1,v0) (u1,v1) (u0,v1) turns counter-clockwise around +axis.
  if (is_positive(q.direction)) {
    return {point(q.u0, q.v0), point(q.u1, q.v0), point(q.u1, q.v1), point(q.u0, q.v1)};
  }
  return {point(q.u0, q.v0), point(q.u0, q.v1), point(q.u1, q.v1), point(q.u1, q.v0)};
}

Result<Mesh> greedy_mesh(const Volume& volume, const DirectionSet& wanted, QuadAlpha alpha) {
  absl::flat_hash_map<BlockCoord, MaskedBlock> masked;
  masked.reserve(volume.block_count());
  bool out_of_range = false;
  volume.for_each_block([&](BlockCoord coord, const SharedBlock& block) {
    if (!block_in_coord_range(coord)) {
      out_of_range = true;
      return;
    }
    MaskedBlock mb;
    mb.block = &*block;
    if (build_mask(*block, mb.rows)) {
      masked.emplace(coord, mb);
    }
  });
  if (out_of_range) {
    return make_error(ErrorCode::invalid_argument, "mesh: the model has voxels outside the coordinate range");
  }

  std::array<std::vector<Face>, kFaceDirections> faces;
  FaceCollector collector(faces, wanted, alpha);
  const SolidRows nothing{};
  std::int64_t exposed = 0;
  for (const auto& [coord, mb] : masked) {
    std::array<const SolidRows*, kFaceDirections> next{};
    for (std::size_t d = 0; d < kFaceDirections; ++d) {
      const auto it = masked.find(BlockCoord{coord.x + kStep[d][0], coord.y + kStep[d][1], coord.z + kStep[d][2]});
      next[d] = it == masked.end() ? &nothing : &it->second.rows;
    }
    collector.collect(coord.origin(), mb, next);
    exposed = 0;
    for (const auto& list : faces) {
      exposed += static_cast<std::int64_t>(list.size());
    }
    if (exposed > kMaxExposedFaces) {
      return make_error(ErrorCode::limit_exceeded, "mesh: the model has more than " + std::to_string(kMaxExposedFaces) +
                                                       " exposed voxel faces (the mesh size limit)");
    }
  }

  Mesh mesh;
  mesh.exposed_faces = exposed;
  for (std::size_t d = 0; d < kFaceDirections; ++d) {
    std::vector<Face>& list = faces[d];
    std::sort(list.begin(), list.end(), face_before);
    RectangleMerger merger(static_cast<FaceDirection>(d), mesh.quads);
    merger.merge(list);
    std::vector<Face>().swap(list);  // release before the next direction's quads grow
  }
  return mesh;
}

}  // namespace voxd::core::formats
