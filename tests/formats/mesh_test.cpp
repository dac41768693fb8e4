// Mesh export: quad counts of greedy merging, and the files themselves parsed back (.obj, .ply, .stl)
// to check that the surface is closed, oriented outwards and encloses exactly the solid voxels.
#include "voxd/core/formats/mesh.hpp"

#include "voxd/core/formats/format.hpp"

#include <gtest/gtest.h>

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

namespace voxd::core::formats {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};

using Point = std::array<std::int64_t, 3>;

struct Triangle {
  std::array<Point, 3> p;
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

std::int64_t to_int(double v) {
  return std::llround(v);
}

Color color_from_unit(double r, double g, double b) {
  auto ch = [](double v) { return static_cast<std::uint8_t>(std::lround(v * 255.0)); };
  return {ch(r), ch(g), ch(b), 255};
}

std::vector<Triangle> fan(const std::vector<Point>& polygon, Color c) {
  std::vector<Triangle> out;
  for (std::size_t i = 1; i + 1 < polygon.size(); ++i) {
    out.push_back({{polygon[0], polygon[i], polygon[i + 1]}, c});
  }
  return out;
}

std::vector<Triangle> parse_obj(const Bytes& bytes) {
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::vector<Point> points;
  std::vector<Color> colors;
  std::vector<Triangle> tris;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string tag;
    ls >> tag;
    if (tag == "v") {
      double x = 0, y = 0, z = 0, r = 0, g = 0, b = 0;
      ls >> x >> y >> z >> r >> g >> b;
      EXPECT_FALSE(ls.fail()) << line;
      points.push_back({to_int(x), to_int(y), to_int(z)});
      colors.push_back(color_from_unit(r, g, b));
    } else if (tag == "f") {
      std::vector<Point> polygon;
      std::size_t index = 0;
      Color c{};
      while (ls >> index) {
        EXPECT_GE(index, 1U);
        EXPECT_LE(index, points.size());
        polygon.push_back(points.at(index - 1));
        c = colors.at(index - 1);
      }
      EXPECT_EQ(polygon.size(), 4U) << line;
      for (const Triangle& t : fan(polygon, c)) {
        tris.push_back(t);
      }
    } else {
      EXPECT_TRUE(tag.empty() || tag[0] == '#') << line;
    }
  }
  return tris;
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

std::vector<Triangle> parse_ply(const Bytes& bytes) {
  const std::string text(bytes.begin(), bytes.end());
  const std::string end = "end_header\n";
  const std::size_t header_end = text.find(end);
  EXPECT_NE(header_end, std::string::npos);
  std::istringstream header(text.substr(0, header_end));
  std::string line;
  std::size_t vertices = 0;
  std::size_t faces = 0;
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
    }
  }
  ByteReader r(bytes, header_end + end.size());
  std::vector<Point> points;
  std::vector<Color> colors;
  for (std::size_t i = 0; i < vertices; ++i) {
    const float x = r.f32();
    const float y = r.f32();
    const float z = r.f32();
    points.push_back({to_int(x), to_int(y), to_int(z)});
    const std::uint8_t cr = r.byte();
    const std::uint8_t cg = r.byte();
    const std::uint8_t cb = r.byte();
    colors.push_back({cr, cg, cb, 255});
  }
  std::vector<Triangle> tris;
  for (std::size_t i = 0; i < faces; ++i) {
    const std::uint8_t n = r.byte();
    EXPECT_EQ(n, 4);
    std::vector<Point> polygon;
    Color c{};
    for (std::uint8_t k = 0; k < n; ++k) {
      const std::uint32_t index = r.u32();
      polygon.push_back(points.at(index));
      c = colors.at(index);
    }
    for (const Triangle& t : fan(polygon, c)) {
      tris.push_back(t);
    }
  }
  EXPECT_EQ(r.pos(), bytes.size());
  return tris;
}

Point cross(const Point& a, const Point& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Point sub(const Point& a, const Point& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

// The unit normal of an axis-aligned triangle, by the right-hand rule.
Point unit_normal(const Triangle& t) {
  Point n = cross(sub(t.p[1], t.p[0]), sub(t.p[2], t.p[0]));
  for (auto& c : n) {
    c = (c > 0) - (c < 0);
  }
  return n;
}

std::vector<Triangle> parse_stl(const Bytes& bytes) {
  EXPECT_GE(bytes.size(), 84U);
  EXPECT_NE(std::string(bytes.begin(), bytes.begin() + 5), "solid");
  ByteReader r(bytes, 80);
  const std::uint32_t count = r.u32();
  EXPECT_EQ(bytes.size(), 84 + std::size_t{count} * 50);
  std::vector<Triangle> tris;
  for (std::uint32_t i = 0; i < count; ++i) {
    Point normal{};
    for (auto& c : normal) {
      c = to_int(r.f32());
    }
    Triangle t{};
    for (auto& p : t.p) {
      for (auto& c : p) {
        c = to_int(r.f32());
      }
    }
    EXPECT_EQ(normal, unit_normal(t)) << "triangle " << i << ": the stored normal disagrees with the winding";
    EXPECT_EQ(r.u16(), 0);
    tris.push_back(t);
  }
  return tris;
}

std::vector<Triangle> parse(MeshFormat format, const Bytes& bytes) {
  switch (format) {
    case MeshFormat::obj: return parse_obj(bytes);
    case MeshFormat::ply: return parse_ply(bytes);
    case MeshFormat::stl: return parse_stl(bytes);
  }
  return {};
}

// Closed and consistently oriented: every directed edge, cut into unit steps when it runs along an axis
// (so that one long edge meets several short ones), is matched by the same edge walked the other way.
void expect_closed(const std::vector<Triangle>& tris) {
  std::map<std::pair<Point, Point>, int> directed;
  for (const Triangle& t : tris) {
    for (std::size_t i = 0; i < 3; ++i) {
      const Point a = t.p[i];
      const Point b = t.p[(i + 1) % 3];
      const Point d = sub(b, a);
      const int nonzero = (d[0] != 0) + (d[1] != 0) + (d[2] != 0);
      ASSERT_GT(nonzero, 0) << "degenerate edge";
      if (nonzero > 1) {
        ++directed[{a, b}];
        continue;
      }
      const std::int64_t len = std::abs(d[0] + d[1] + d[2]);
      Point p = a;
      for (std::int64_t s = 0; s < len; ++s) {
        Point q = p;
        for (std::size_t k = 0; k < 3; ++k) {
          q[k] += d[k] / len;
        }
        ++directed[{p, q}];
        p = q;
      }
    }
  }
  for (const auto& [edge, count] : directed) {
    const auto it = directed.find({edge.second, edge.first});
    const int reverse = it == directed.end() ? 0 : it->second;
    ASSERT_EQ(count, reverse) << "an unmatched edge: the surface has a crack or a flipped face";
  }
}

// Sum of signed tetrahedron volumes (times 6), divided back: the enclosed volume in voxels.
double signed_volume(const std::vector<Triangle>& tris) {
  std::int64_t six_v = 0;
  for (const Triangle& t : tris) {
    const Point c = cross(t.p[1], t.p[2]);
    six_v += t.p[0][0] * c[0] + t.p[0][1] * c[1] + t.p[0][2] * c[2];
  }
  return static_cast<double>(six_v) / 6.0;
}

// Each triangle's normal leaves a solid voxel (of the triangle's colour) into a non-solid one.
void expect_outward(const std::vector<Triangle>& tris, const Volume& model, bool check_color) {
  for (const Triangle& t : tris) {
    const Point n = unit_normal(t);
    // Half a voxel either side of the centroid (strictly inside the face's rectangle) along the normal.
    Point inside{};
    Point outside{};
    for (std::size_t k = 0; k < 3; ++k) {
      const double centroid = static_cast<double>(t.p[0][k] + t.p[1][k] + t.p[2][k]) / 3.0;
      inside[k] = static_cast<std::int64_t>(std::floor(centroid - 0.5 * static_cast<double>(n[k])));
      outside[k] = static_cast<std::int64_t>(std::floor(centroid + 0.5 * static_cast<double>(n[k])));
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
      ASSERT_EQ(t.color, expected);
    }
  }
}

std::int64_t solid_count(const Volume& v) {
  std::int64_t n = 0;
  v.for_each_voxel([&](Vec3i, Color c) { n += c.solid() ? 1 : 0; });
  return n;
}

constexpr std::array kAllFormats{MeshFormat::obj, MeshFormat::ply, MeshFormat::stl};

// Exports in every format and checks each file's surface against the model.
MeshStats expect_valid_export(const ProjectState& state) {
  MeshStats first{};
  for (const MeshFormat format : kAllFormats) {
    MeshStats stats{};
    const Result<Bytes> bytes = export_mesh(state, format, &stats);
    EXPECT_TRUE(bytes.ok()) << bytes.error().message;
    if (!bytes.ok()) {
      return first;
    }
    EXPECT_EQ(stats.triangles, 2 * stats.quads);
    const std::vector<Triangle> tris = parse(format, *bytes);
    EXPECT_EQ(static_cast<std::int64_t>(tris.size()), stats.triangles);
    expect_closed(tris);
    EXPECT_EQ(signed_volume(tris), static_cast<double>(solid_count(state.layers.back().volume)));
    expect_outward(tris, state.layers.back().volume, format != MeshFormat::stl);
    if (format == MeshFormat::obj) {
      first = stats;
    } else {
      EXPECT_EQ(stats.quads, first.quads);
      EXPECT_EQ(stats.unmerged_quads, first.unmerged_quads);
    }
  }
  return first;
}

TEST(MeshExport, SingleVoxelIsSixQuadsTwelveTriangles) {
  const MeshStats stats = expect_valid_export(model_of({{{0, 0, 0}, kRed}}));
  EXPECT_EQ(stats.quads, 6);
  EXPECT_EQ(stats.triangles, 12);
  EXPECT_EQ(stats.unmerged_quads, 6);
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
  for (const Triangle& t : parse_obj(*obj)) {
    for (const Point& p : t.p) {
      for (const std::int64_t c : p) {
        lo = std::min(lo, c);
        hi = std::max(hi, c);
      }
    }
  }
  EXPECT_EQ(lo, -17);
  EXPECT_EQ(hi, -14);
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
    MeshStats stats{1, 1, 1};
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
  for (const Triangle& t : parse_obj(*obj)) {
    red += t.color == kRed ? 1 : 0;
    blue += t.color == kBlue ? 1 : 0;
  }
  EXPECT_EQ(red, 2 * 5);
  EXPECT_EQ(blue, 2 * 5);
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

TEST(MeshExport, UnknownFormatIsRefused) {
  const Result<Bytes> bytes = export_mesh(model_of({{{0, 0, 0}, kRed}}), static_cast<MeshFormat>(9));
  EXPECT_EQ(bytes.code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace voxd::core::formats
