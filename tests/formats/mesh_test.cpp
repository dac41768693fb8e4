// Mesh export: quad counts of greedy merging, and the files themselves parsed back (.obj, .ply, .stl)
// to check that the surface is watertight (no T-junction, no crack), oriented outwards, encloses exactly
// the solid voxels, and that the topology the export reports is what an independent check finds.
#include "voxd/core/formats/mesh.hpp"

#include "voxd/core/formats/format.hpp"
#include "voxd/core/ops.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "watertight_check.hpp"

namespace voxd::core::formats {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};

using Point = test::HalfPoint;  // half voxel units: a fan's centre can be a half-integer point

// One face as written: a polygon (.obj, .ply) or a triangle (.stl).
struct Face {
  test::Polygon p;
  Color color;  // alpha 0 when the format has no colour
};

ProjectState model_of(const std::vector<std::pair<Vec3i, Color>>& voxels) {
  ProjectState state;
  state.layers.emplace_back();
  for (const auto& [p, c] : voxels) {
    state.layers.back().volume.set(p, c);
  }
  return state;
}

ProjectState box_model(Vec3i min, Vec3i max, Color c) {
  ProjectState state = model_of({});
  for (int z = min.z; z <= max.z; ++z) {
    for (int y = min.y; y <= max.y; ++y) {
      for (int x = min.x; x <= max.x; ++x) {
        state.layers.back().volume.set({x, y, z}, c);
      }
    }
  }
  return state;
}

std::int64_t to_half(double v) {
  return std::llround(2 * v);
}

Color color_from_unit(double r, double g, double b) {
  auto ch = [](double v) { return static_cast<std::uint8_t>(std::lround(v * 255.0)); };
  return {ch(r), ch(g), ch(b), 255};
}

std::vector<Face> parse_obj(const Bytes& bytes) {
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::vector<Point> points;
  std::vector<Color> colors;
  std::vector<Face> faces;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string tag;
    ls >> tag;
    if (tag == "v") {
      double x = 0, y = 0, z = 0, r = 0, g = 0, b = 0;
      ls >> x >> y >> z >> r >> g >> b;
      EXPECT_FALSE(ls.fail()) << line;
      points.push_back({to_half(x), to_half(y), to_half(z)});
      colors.push_back(color_from_unit(r, g, b));
    } else if (tag == "f") {
      Face face;
      std::size_t index = 0;
      while (ls >> index) {
        EXPECT_GE(index, 1U);
        EXPECT_LE(index, points.size());
        face.p.push_back(points.at(index - 1));
        face.color = colors.at(index - 1);
      }
      EXPECT_GE(face.p.size(), 4U) << line;
      faces.push_back(std::move(face));
    } else {
      EXPECT_TRUE(tag.empty() || tag[0] == '#') << line;
    }
  }
  return faces;
}

class ByteReader {
 public:
  explicit ByteReader(const Bytes& bytes, std::size_t pos = 0) : bytes_(bytes), pos_(pos) {}
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) {
      v |= std::uint32_t{byte()} << (8U * i);
    }
    return v;
  }
  std::uint16_t u16() {
    const std::uint16_t lo = byte();
    return static_cast<std::uint16_t>(lo | (byte() << 8U));
  }
  float f32() { return std::bit_cast<float>(u32()); }
  std::uint8_t byte() { return bytes_.at(pos_++); }
  [[nodiscard]] std::size_t pos() const { return pos_; }

 private:
  const Bytes& bytes_;
  std::size_t pos_;
};

std::vector<Face> parse_ply(const Bytes& bytes) {
  const std::string text(bytes.begin(), bytes.end());
  const std::string end = "end_header\n";
  const std::size_t header_end = text.find(end);
  EXPECT_NE(header_end, std::string::npos);
  std::istringstream header(text.substr(0, header_end));
  std::string line;
  std::size_t vertices = 0;
  std::size_t faces = 0;
  std::string count_type;
  std::getline(header, line);
  EXPECT_EQ(line, "ply");
  std::getline(header, line);
  EXPECT_EQ(line, "format binary_little_endian 1.0");
  while (std::getline(header, line)) {
    std::istringstream ls(line);
    std::string a, b;
    ls >> a >> b;
    if (a == "element" && b == "vertex") {
      ls >> vertices;
    } else if (a == "element" && b == "face") {
      ls >> faces;
    } else if (a == "property" && b == "list") {
      std::string index_type, name;
      ls >> count_type >> index_type >> name;
      EXPECT_EQ(index_type, "int");
      EXPECT_EQ(name, "vertex_indices");
    }
  }
  EXPECT_TRUE(count_type == "uchar" || count_type == "uint") << count_type;
  ByteReader r(bytes, header_end + end.size());
  std::vector<Point> points;
  std::vector<Color> colors;
  for (std::size_t i = 0; i < vertices; ++i) {
    const float x = r.f32();
    const float y = r.f32();
    const float z = r.f32();
    points.push_back({to_half(x), to_half(y), to_half(z)});
    const std::uint8_t cr = r.byte();
    const std::uint8_t cg = r.byte();
    const std::uint8_t cb = r.byte();
    colors.push_back({cr, cg, cb, 255});
  }
  std::vector<Face> out;
  for (std::size_t i = 0; i < faces; ++i) {
    const std::uint32_t n = count_type == "uint" ? r.u32() : r.byte();
    EXPECT_GE(n, 4U);
    Face face;
    for (std::uint32_t k = 0; k < n; ++k) {
      const std::uint32_t index = r.u32();
      face.p.push_back(points.at(index));
      face.color = colors.at(index);
    }
    out.push_back(std::move(face));
  }
  EXPECT_EQ(r.pos(), bytes.size());
  return out;
}

Point cross(const Point& a, const Point& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Point sub(const Point& a, const Point& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

// The unit normal of an axis-aligned planar polygon, by the right-hand rule (Newell's sum: collinear
// vertices on its edges do not matter).
Point unit_normal(const Face& f) {
  Point n{};
  for (std::size_t i = 1; i + 1 < f.p.size(); ++i) {
    const Point c = cross(sub(f.p[i], f.p[0]), sub(f.p[i + 1], f.p[0]));
    for (std::size_t k = 0; k < 3; ++k) {
      n[k] += c[k];
    }
  }
  for (auto& c : n) {
    c = (c > 0) - (c < 0);
  }
  return n;
}

std::vector<Face> parse_stl(const Bytes& bytes) {
  EXPECT_GE(bytes.size(), 84U);
  EXPECT_NE(std::string(bytes.begin(), bytes.begin() + 5), "solid");
  ByteReader r(bytes, 80);
  const std::uint32_t count = r.u32();
  EXPECT_EQ(bytes.size(), 84 + std::size_t{count} * 50);
  std::vector<Face> tris;
  for (std::uint32_t i = 0; i < count; ++i) {
    Point normal{};
    for (auto& c : normal) {
      c = std::llround(r.f32());
    }
    Face t{test::Polygon(3), Color{}};
    for (auto& p : t.p) {
      for (auto& c : p) {
        c = to_half(r.f32());
      }
    }
    EXPECT_EQ(normal, unit_normal(t)) << "triangle " << i << ": the stored normal disagrees with the winding";
    EXPECT_EQ(r.u16(), 0);
    tris.push_back(t);
  }
  return tris;
}

std::vector<Face> parse(MeshFormat format, const Bytes& bytes) {
  switch (format) {
    case MeshFormat::obj: return parse_obj(bytes);
    case MeshFormat::ply: return parse_ply(bytes);
    case MeshFormat::stl: return parse_stl(bytes);
  }
  return {};
}

test::EdgeCheck check_edges(const std::vector<Face>& faces) {
  std::vector<test::Polygon> polygons;
  polygons.reserve(faces.size());
  for (const Face& f : faces) {
    polygons.push_back(f.p);
  }
  return test::check_edges(polygons);
}

// Sum of signed tetrahedron volumes over each face's fan (times 6, times 8 for half units), divided back:
// the enclosed volume in voxels. A fan triangle over collinear vertices adds nothing.
double signed_volume(const std::vector<Face>& faces) {
  std::int64_t forty_eight_v = 0;
  for (const Face& f : faces) {
    for (std::size_t i = 1; i + 1 < f.p.size(); ++i) {
      const Point c = cross(f.p[i], f.p[i + 1]);
      forty_eight_v += f.p[0][0] * c[0] + f.p[0][1] * c[1] + f.p[0][2] * c[2];
    }
  }
  return static_cast<double>(forty_eight_v) / 48.0;
}

// Each face's normal leaves a solid voxel (of the face's colour) into a non-solid one.
void expect_outward(const std::vector<Face>& faces, const Volume& model, bool check_color) {
  for (const Face& f : faces) {
    const Point n = unit_normal(f);
    // Half a voxel either side of the vertices' mean (strictly inside the face's rectangle: every vertex
    // lies on its boundary, the four corners among them) along the normal.
    Point inside{};
    Point outside{};
    for (std::size_t k = 0; k < 3; ++k) {
      double mean = 0;
      for (const Point& p : f.p) {
        mean += static_cast<double>(p[k]) / 2.0;
      }
      mean /= static_cast<double>(f.p.size());
      inside[k] = static_cast<std::int64_t>(std::floor(mean - 0.5 * static_cast<double>(n[k])));
      outside[k] = static_cast<std::int64_t>(std::floor(mean + 0.5 * static_cast<double>(n[k])));
    }
    const auto at = [&](const Point& p) {
      return model.get(
          {static_cast<std::int32_t>(p[0]), static_cast<std::int32_t>(p[1]), static_cast<std::int32_t>(p[2])});
    };
    ASSERT_TRUE(at(inside).solid()) << "the face does not lie on a solid voxel";
    ASSERT_FALSE(at(outside).solid()) << "the face points into a solid voxel";
    if (check_color) {
      Color expected = at(inside);
      expected.a = 255;
      ASSERT_EQ(f.color, expected);
    }
  }
}

std::int64_t solid_count(const Volume& v) {
  std::int64_t n = 0;
  v.for_each_voxel([&](Vec3i, Color c) { n += c.solid() ? 1 : 0; });
  return n;
}

constexpr std::array kAllFormats{MeshFormat::obj, MeshFormat::ply, MeshFormat::stl};

// Exports in every format and checks each file's surface against the model: no T-junction, no crack or
// flipped face, no degenerate face, the topology reported is the one found, the volume is the solid
// voxels' and every face points out of one. Non-manifold edges are allowed exactly where voxels touch
// only along an edge. Returns the .obj's stats.
MeshStats expect_valid_export(const ProjectState& state) {
  MeshStats first{};
  const Volume& model = state.layers.back().volume;
  const std::int64_t contacts = test::diagonal_contacts(model);
  for (const MeshFormat format : kAllFormats) {
    SCOPED_TRACE(static_cast<int>(format));
    MeshStats stats{};
    const Result<Bytes> bytes = export_mesh(state, format, &stats);
    EXPECT_TRUE(bytes.ok()) << bytes.error().message;
    if (!bytes.ok()) {
      return first;
    }
    const std::vector<Face> faces = parse(format, *bytes);
    const test::EdgeCheck check = check_edges(faces);
    EXPECT_EQ(check.t_junctions, 0);
    EXPECT_EQ(check.boundary, 0);
    EXPECT_EQ(check.inconsistent, 0);
    EXPECT_EQ(check.unbalanced, 0);
    EXPECT_EQ(check.degenerate, 0);
    EXPECT_EQ(check.nonmanifold > 0, contacts > 0);
    EXPECT_EQ(stats.topology.faces, check.faces);
    EXPECT_EQ(stats.topology.boundary_edges, check.boundary);
    EXPECT_EQ(stats.topology.nonmanifold_edges, check.nonmanifold);
    EXPECT_EQ(stats.topology.inconsistent_edges, check.inconsistent);
    EXPECT_EQ(stats.topology.watertight, check.boundary == 0 && check.nonmanifold == 0 && check.inconsistent == 0);
    std::int64_t fan_triangles = 0;  // n - 2 per polygon of n vertices
    for (const Face& f : faces) {
      fan_triangles += static_cast<std::int64_t>(f.p.size()) - 2;
    }
    EXPECT_EQ(stats.topology.triangles, fan_triangles);
    if (format == MeshFormat::stl) {
      EXPECT_EQ(static_cast<std::int64_t>(faces.size()), stats.triangles);
    } else {
      EXPECT_EQ(static_cast<std::int64_t>(faces.size()), stats.quads);
    }
    // Never more than the unmerged mesh's vertices per face, nor 1.5 times its triangles.
    EXPECT_LE(stats.triangles, 3 * stats.unmerged_quads);
    EXPECT_EQ(signed_volume(faces), static_cast<double>(solid_count(model)));
    expect_outward(faces, model, format != MeshFormat::stl);
    if (format == MeshFormat::obj) {
      first = stats;
    } else {
      EXPECT_EQ(stats.quads, first.quads);
      EXPECT_EQ(stats.triangles, first.triangles);
      EXPECT_EQ(stats.unmerged_quads, first.unmerged_quads);
      EXPECT_EQ(stats.junction_vertices, first.junction_vertices);
      EXPECT_EQ(stats.topology.boundary_edges, first.topology.boundary_edges);
      EXPECT_EQ(stats.topology.nonmanifold_edges, first.topology.nonmanifold_edges);
    }
    // The registry's report is the export's topology.
    Bytes via_registry;
    const auto report = write_bytes(state, format == MeshFormat::obj ? ".obj" : format == MeshFormat::ply ? ".ply" : ".stl",
                                    via_registry);
    EXPECT_TRUE(report.ok());
    if (report.ok()) {
      EXPECT_EQ(via_registry, *bytes);
      EXPECT_TRUE(report->mesh.has_value());
      if (report->mesh) {
        EXPECT_EQ(report->mesh->faces, stats.topology.faces);
        EXPECT_EQ(report->mesh->triangles, stats.topology.triangles);
        EXPECT_EQ(report->mesh->watertight, stats.topology.watertight);
        EXPECT_EQ(report->mesh->nonmanifold_edges, stats.topology.nonmanifold_edges);
      }
    }
  }
  return first;
}

TEST(MeshExport, SingleVoxelIsSixQuadsTwelveTriangles) {
  const MeshStats stats = expect_valid_export(model_of({{{0, 0, 0}, kRed}}));
  EXPECT_EQ(stats.quads, 6);
  EXPECT_EQ(stats.triangles, 12);
  EXPECT_EQ(stats.unmerged_quads, 6);
  EXPECT_EQ(stats.junction_vertices, 0);
  EXPECT_TRUE(stats.topology.watertight);
}

TEST(MeshExport, CubeOfOneColourMergesToSixQuads) {
  const MeshStats stats = expect_valid_export(box_model({0, 0, 0}, {1, 1, 1}, kRed));
  EXPECT_EQ(stats.quads, 6);
  EXPECT_EQ(stats.unmerged_quads, 24);
}

TEST(MeshExport, CubeOfTwoColoursKeepsColoursApart) {
  ProjectState state = box_model({0, 0, 0}, {1, 1, 1}, kRed);
  for (int z = 0; z < 2; ++z) {
    for (int y = 0; y < 2; ++y) {
      state.layers.back().volume.set({1, y, z}, kBlue);
    }
  }
  const MeshStats stats = expect_valid_export(state);
  // -x red, +x blue, and each of the four other sides split into a red and a blue half.
  EXPECT_EQ(stats.quads, 2 + 4 * 2);
  EXPECT_EQ(stats.unmerged_quads, 24);
}

TEST(MeshExport, LShape) {
  // A bar of three along x with one voxel on top of its first: the two L-shaped sides need two
  // rectangles each, the top two (at different heights), +x two (different planes).
  const MeshStats stats =
      expect_valid_export(model_of({{{0, 0, 0}, kRed}, {{1, 0, 0}, kRed}, {{2, 0, 0}, kRed}, {{0, 0, 1}, kRed}}));
  EXPECT_EQ(stats.unmerged_quads, 4 * 6 - 2 * 3);
  EXPECT_EQ(stats.quads, 2 + 2 + 1 + 2 + 1 + 2);
  // Counted by hand: on each y side the 1x2 rectangle under the top voxel has the 2x1 rectangle's corner
  // in its edge (a 5-gon, fanned from a clean corner: 3 triangles, 2 for the other); the 3x1 bottom has
  // the y sides' corners at x = 1 in both long edges (a 6-gon without a clean corner: 6 triangles round
  // its centre); the five other rectangles have nothing on their edges.
  EXPECT_EQ(stats.junction_vertices, 2 + 2);
  EXPECT_EQ(stats.triangles, 2 * (3 + 2) + 6 + 5 * 2);
  EXPECT_EQ(stats.topology.triangles, 40 + 4 - 2 * 10);  // the .obj's: 10 polygons of 44 vertices in all
  EXPECT_TRUE(stats.topology.watertight);
}

TEST(MeshExport, NegativeCoordinatesAcrossBlockBorders) {
  const ProjectState state = box_model({-17, -17, -17}, {-15, -15, -15}, kBlue);
  const MeshStats stats = expect_valid_export(state);
  EXPECT_EQ(stats.quads, 6);
  EXPECT_EQ(stats.unmerged_quads, 6 * 9);
  const Result<Bytes> obj = export_mesh(state, MeshFormat::obj);
  ASSERT_TRUE(obj.ok());
  std::int64_t lo = 0;
  std::int64_t hi = -100;
  for (const Face& f : parse_obj(*obj)) {
    for (const Point& p : f.p) {
      for (const std::int64_t c : p) {
        lo = std::min(lo, c);
        hi = std::max(hi, c);
      }
    }
  }
  EXPECT_EQ(lo, -2 * 17);
  EXPECT_EQ(hi, -2 * 14);
}

TEST(MeshExport, LargeSlabMergesAcrossBlocks) {
  const MeshStats stats = expect_valid_export(box_model({-20, -5, 3}, {19, 34, 3}, kRed));
  EXPECT_EQ(stats.quads, 6);
  EXPECT_EQ(stats.unmerged_quads, 2 * 40 * 40 + 4 * 40);
}

TEST(MeshExport, TranslucentVoxelsAreNotSolid) {
  // alpha 126 is below Goxel's solid threshold, 127 is at it.
  ProjectState state = model_of({{{0, 0, 0}, kRed}, {{1, 0, 0}, Color{0, 255, 0, 126}}});
  MeshStats stats = expect_valid_export(state);
  EXPECT_EQ(stats.quads, 6);
  EXPECT_EQ(stats.unmerged_quads, 6);

  state.layers.back().volume.set({1, 0, 0}, Color{255, 0, 0, 127});
  stats = expect_valid_export(state);
  EXPECT_EQ(stats.quads, 6);
  EXPECT_EQ(stats.unmerged_quads, 10);
}

TEST(MeshExport, EmptyModelGivesEmptyValidFiles) {
  const ProjectState state = model_of({{{0, 0, 0}, Color{1, 2, 3, 50}}});
  for (const MeshFormat format : kAllFormats) {
    MeshStats stats{1, 1, 1, 1, {}};
    const Result<Bytes> bytes = export_mesh(state, format, &stats);
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(stats.quads, 0);
    EXPECT_EQ(stats.unmerged_quads, 0);
    EXPECT_TRUE(parse(format, *bytes).empty());
  }
}

TEST(MeshExport, RandomModelIsClosedOrientedAndExact) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> coin(0, 99);
  const std::array<Color, 3> palette{kRed, kBlue, Color{10, 200, 30, 200}};
  ProjectState state = model_of({});
  // Straddles block borders on every axis, negative coordinates included.
  for (int z = -5; z < 5; ++z) {
    for (int y = -10; y < 3; ++y) {
      for (int x = -3; x < 14; ++x) {
        const int roll = coin(rng);
        if (roll < 45) {
          state.layers.back().volume.set({x, y, z}, palette[static_cast<std::size_t>(roll % 3)]);
        } else if (roll < 50) {
          state.layers.back().volume.set({x, y, z}, Color{9, 9, 9, 60});  // translucent: not solid
        }
      }
    }
  }
  const MeshStats stats = expect_valid_export(state);
  EXPECT_GT(stats.quads, 0);
  EXPECT_LT(stats.quads, stats.unmerged_quads);
}

TEST(MeshExport, OnlyVisibleLayersAreExported) {
  ProjectState state = model_of({{{0, 0, 0}, kRed}});
  state.layers.emplace_back();
  state.layers.back().volume.set({5, 0, 0}, kBlue);
  MeshStats stats{};
  ASSERT_TRUE(export_mesh(state, MeshFormat::stl, &stats).ok());
  EXPECT_EQ(stats.quads, 12);
  state.layers.back().visible = false;
  ASSERT_TRUE(export_mesh(state, MeshFormat::stl, &stats).ok());
  EXPECT_EQ(stats.quads, 6);
}

TEST(MeshExport, UpperVisibleLayerWinsWhereLayersOverlap) {
  // Layers compose like Goxel's merged view: each visible layer over the ones below, whatever its mode.
  ProjectState state = model_of({{{0, 0, 0}, kRed}, {{1, 0, 0}, kRed}});
  state.layers.emplace_back();
  state.layers.back().mode = BlendMode::subtract;
  state.layers.back().volume.set({1, 0, 0}, kBlue);
  const Result<Bytes> obj = export_mesh(state, MeshFormat::obj);
  ASSERT_TRUE(obj.ok());
  int red = 0;
  int blue = 0;
  for (const Face& f : parse_obj(*obj)) {
    red += f.color == kRed ? 1 : 0;
    blue += f.color == kBlue ? 1 : 0;
  }
  EXPECT_EQ(red, 5);
  EXPECT_EQ(blue, 5);
}

TEST(MeshExport, RegisteredAsWriteOnlyFormats) {
  const ProjectState state = model_of({{{0, 0, 0}, kRed}, {{0, 1, 0}, kBlue}});
  const std::array<std::pair<const char*, MeshFormat>, 3> names{
      {{"model.obj", MeshFormat::obj}, {"model.PLY", MeshFormat::ply}, {"model.stl", MeshFormat::stl}}};
  for (const auto& [path, format] : names) {
    const FileFormat* entry = format_for_path(path);
    ASSERT_NE(entry, nullptr) << path;
    EXPECT_EQ(entry->read, nullptr) << path;
    Bytes out;
    ASSERT_TRUE(write_bytes(state, path, out).ok()) << path;
    const Result<Bytes> direct = export_mesh(state, format);
    ASSERT_TRUE(direct.ok());
    EXPECT_EQ(out, *direct) << path;
    EXPECT_EQ(read_bytes(out, path, {}).code(), ErrorCode::unsupported) << path;
  }
}

// Fills, one at a time, an empty voxel of each pair of diagonal contacts until none is left (never
// outside the box: both empty voxels of a contact between two voxels of the box are in the box).
void fill_diagonal_contacts(Volume& v, Vec3i min, Vec3i max, Color c) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (int z = min.z; z <= max.z; ++z) {
      for (int y = min.y; y <= max.y; ++y) {
        for (int x = min.x; x <= max.x; ++x) {
          const auto solid = [&](Vec3i p) { return v.get(p).solid(); };
          const Vec3i p{x, y, z};
          if (!solid(p)) {
            continue;
          }
          for (const auto& [a, b] : {std::pair{Vec3i{1, 0, 0}, Vec3i{0, 1, 0}}, std::pair{Vec3i{1, 0, 0}, Vec3i{0, -1, 0}},
                                     std::pair{Vec3i{1, 0, 0}, Vec3i{0, 0, 1}}, std::pair{Vec3i{1, 0, 0}, Vec3i{0, 0, -1}},
                                     std::pair{Vec3i{0, 1, 0}, Vec3i{0, 0, 1}}, std::pair{Vec3i{0, 1, 0}, Vec3i{0, 0, -1}}}) {
            if (solid(p + a + b) && !solid(p + a) && !solid(p + b)) {
              v.set(p + a, c);
              changed = true;
            }
          }
        }
      }
    }
  }
}

ProjectState fixture(const std::string& name) {
  const std::filesystem::path path = std::filesystem::path(VOXD_FIXTURES_DIR) / "magicavoxel" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  const Bytes bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  Result<ProjectState> state = read_bytes(bytes, name, {});
  EXPECT_TRUE(state.ok()) << name;
  if (!state.ok()) {
    return {};
  }
  // One layer: the checks look at the last layer's volume.
  ProjectState merged = model_of({});
  merged.layers.back().volume = merged_visible(*state);
  return merged;
}

TEST(MeshWatertight, BoxWithABump) {
  // The bump cuts the box's top into rectangles; their corners lie inside the top edges of the sides.
  ProjectState state = box_model({0, 0, 0}, {5, 4, 3}, kRed);
  state.layers.back().volume.set({2, 1, 4}, kBlue);
  ASSERT_EQ(test::diagonal_contacts(state.layers.back().volume), 0);
  const MeshStats stats = expect_valid_export(state);
  EXPECT_GT(stats.junction_vertices, 0);
  EXPECT_GT(stats.triangles, 2 * stats.quads);
  EXPECT_TRUE(stats.topology.watertight);
}

TEST(MeshWatertight, TwoSeparateBoxes) {
  ProjectState state = box_model({0, 0, 0}, {3, 3, 3}, kRed);
  for (int z = 0; z < 2; ++z) {
    for (int y = 0; y < 6; ++y) {
      for (int x = 6; x < 7; ++x) {
        state.layers.back().volume.set({x, y, z}, kBlue);
      }
    }
  }
  ASSERT_EQ(test::diagonal_contacts(state.layers.back().volume), 0);
  const MeshStats stats = expect_valid_export(state);
  EXPECT_EQ(stats.quads, 12);
  EXPECT_TRUE(stats.topology.watertight);
}

TEST(MeshWatertight, RandomBlob) {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<int> coin(0, 99);
  const std::array<Color, 2> palette{kRed, kBlue};
  ProjectState state = model_of({});
  Volume& v = state.layers.back().volume;
  const Vec3i lo{-7, -3, -9};
  const Vec3i hi{8, 12, 6};
  for (int z = lo.z; z <= hi.z; ++z) {
    for (int y = lo.y; y <= hi.y; ++y) {
      for (int x = lo.x; x <= hi.x; ++x) {
        const int roll = coin(rng);
        // Denser towards the middle, in big runs of one colour so that rectangles of many sizes meet.
        const int r2 = x * x + (y - 4) * (y - 4) + (z + 2) * (z + 2);
        if (roll < (r2 < 25 ? 95 : 55)) {
          v.set({x, y, z}, palette[static_cast<std::size_t>((x / 3 + z / 4) & 1)]);
        }
      }
    }
  }
  fill_diagonal_contacts(v, lo, hi, kRed);
  ASSERT_EQ(test::diagonal_contacts(v), 0);
  const MeshStats stats = expect_valid_export(state);
  EXPECT_GT(stats.junction_vertices, 0);
  EXPECT_TRUE(stats.topology.watertight);
}

TEST(MeshWatertight, HollowSphere) {
  ProjectState state = model_of({});
  for (int z = -9; z <= 9; ++z) {
    for (int y = -9; y <= 9; ++y) {
      for (int x = -9; x <= 9; ++x) {
        const int r2 = x * x + y * y + z * z;
        if (r2 <= 81 && r2 > 25) {
          state.layers.back().volume.set({x, y, z}, kRed);
        }
      }
    }
  }
  ASSERT_EQ(test::diagonal_contacts(state.layers.back().volume), 0);
  const MeshStats stats = expect_valid_export(state);
  EXPECT_GT(stats.junction_vertices, 0);
  EXPECT_TRUE(stats.topology.watertight);
}

TEST(MeshWatertight, VoxelsTouchingAlongAnEdgeAreNotAManifold) {
  const ProjectState state = model_of({{{0, 0, 0}, kRed}, {{1, 1, 0}, kRed}});
  const MeshStats stats = expect_valid_export(state);
  EXPECT_FALSE(stats.topology.watertight);
  EXPECT_EQ(stats.topology.nonmanifold_edges, 1);  // the one unit edge both cubes have
  EXPECT_EQ(stats.topology.boundary_edges, 0);
  Bytes out;
  const auto report = write_bytes(state, ".stl", out);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->mesh.has_value());
  EXPECT_FALSE(report->mesh->watertight);
  EXPECT_EQ(report->mesh->nonmanifold_edges, 1);
}

TEST(MeshWatertight, ManyJunctionsOnOneEdgeWidenThePlyVertexCount) {
  // A row of 300 with a bump on every other voxel: the -y and +y sides are 300 rectangles each, whose
  // corners all lie on the bottom's long edges, a polygon of more vertices than a uchar counts.
  ProjectState state = box_model({0, 0, 0}, {299, 0, 0}, kRed);
  for (int x = 0; x < 300; x += 2) {
    state.layers.back().volume.set({x, 0, 1}, kRed);
  }
  const MeshStats stats = expect_valid_export(state);
  EXPECT_TRUE(stats.topology.watertight);
  const Result<Bytes> ply = export_mesh(state, MeshFormat::ply);
  ASSERT_TRUE(ply.ok());
  EXPECT_NE(std::string(ply->begin(), ply->end()).find("property list uint int vertex_indices"), std::string::npos);
  const Result<Bytes> small = export_mesh(model_of({{{0, 0, 0}, kRed}}), MeshFormat::ply);
  ASSERT_TRUE(small.ok());
  EXPECT_NE(std::string(small->begin(), small->end()).find("property list uchar int vertex_indices"),
            std::string::npos);
}

TEST(MeshWatertight, MagicaVoxelFixtures) {
  // Real models: no crack anywhere; watertight exactly when no two voxels touch only along an edge.
  for (const char* name : {"chr_knight.vox", "T-Rex.vox", "monu0.vox"}) {
    SCOPED_TRACE(name);
    const ProjectState state = fixture(name);
    const MeshStats stats = expect_valid_export(state);
    EXPECT_GT(stats.junction_vertices, 0);
    EXPECT_EQ(stats.topology.watertight, test::diagonal_contacts(state.layers.back().volume) == 0);
  }
}

TEST(MeshExport, UnknownFormatIsRefused) {
  const Result<Bytes> bytes = export_mesh(model_of({{{0, 0, 0}, kRed}}), static_cast<MeshFormat>(9));
  EXPECT_EQ(bytes.code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace voxd::core::formats
