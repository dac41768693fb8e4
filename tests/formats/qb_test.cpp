// Qubicle .qb: hand-made files read back (axes for both orientations, RGBA and BGRA, the visibility mask,
// dense and run-length data), round trips through the writer, and malformed files refused with an error
// that names what is wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "formats/qb.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::core::formats {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};

// Builds .qb files field by field.
class QbBuilder {
 public:
  struct Options {
    std::uint32_t version = qb::kVersion;
    std::uint32_t color_format = 0;
    std::uint32_t orientation = qb::kRightHanded;
    std::uint32_t compression = 0;
    std::uint32_t visibility_mask = 0;
  };
  QbBuilder(std::uint32_t matrices, Options o) {
    for (const std::uint32_t v :
         {o.version, o.color_format, o.orientation, o.compression, o.visibility_mask, matrices}) {
      u32(v);
    }
  }
  explicit QbBuilder(std::uint32_t matrices) : QbBuilder(matrices, Options{}) {}

  QbBuilder& u32(std::uint32_t v) {
    for (unsigned i = 0; i < 4; ++i) {
      bytes_.push_back(static_cast<std::uint8_t>(v >> (8U * i)));
    }
    return *this;
  }
  QbBuilder& i32(std::int32_t v) { return u32(static_cast<std::uint32_t>(v)); }
  QbBuilder& color(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    bytes_.insert(bytes_.end(), {a, b, c, d});
    return *this;
  }
  QbBuilder& matrix(std::string_view name, std::array<std::uint32_t, 3> size, std::array<std::int32_t, 3> position) {
    bytes_.push_back(static_cast<std::uint8_t>(name.size()));
    bytes_.insert(bytes_.end(), name.begin(), name.end());
    for (const std::uint32_t s : size) {
      u32(s);
    }
    for (const std::int32_t p : position) {
      i32(p);
    }
    return *this;
  }
  QbBuilder& empty_cells(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      u32(0);
    }
    return *this;
  }
  QbBuilder& run(std::uint32_t count, Color c) {
    u32(qb::kCodeFlag).u32(count);
    return color(c.r, c.g, c.b, c.a);
  }
  QbBuilder& next_slice() { return u32(qb::kNextSliceFlag); }
  [[nodiscard]] const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

Layer make_layer(std::uint32_t id, std::string name) {
  Layer layer;
  layer.id = id;
  layer.name = std::move(name);
  return layer;
}

ProjectState read_ok(const Bytes& bytes, const ReadLimits& limits = {}) {
  auto state = read_qb(bytes, limits);
  EXPECT_TRUE(state.ok()) << state.error().message;
  return state.ok() ? std::move(state).value() : ProjectState{};
}

// The error of reading `bytes`, which must fail with `code`.
std::string read_error(const Bytes& bytes, ErrorCode code, const ReadLimits& limits = {}) {
  const auto state = read_qb(bytes, limits);
  EXPECT_EQ(state.code(), code) << (state.ok() ? "read succeeded" : state.error().message);
  return state.ok() ? std::string{} : state.error().message;
}

std::vector<std::pair<Vec3i, Color>> voxels_of(const Volume& volume) {
  std::vector<std::pair<Vec3i, Color>> out;
  volume.for_each_voxel([&](Vec3i p, Color c) { out.emplace_back(p, c); });
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.x, a.first.y, a.first.z) < std::tie(b.first.x, b.first.y, b.first.z);
  });
  return out;
}

TEST(QbRead, DenseRightHandedMatrixLandsAtItsPositionWithYAndZSwapped) {
  // 2 x 1 x 2 cells, x fastest then y then z: cells (0,0,0) red, (1,0,1) blue.
  QbBuilder qb(1);
  qb.matrix("Body", {2, 1, 2}, {10, 20, 30}).color(255, 0, 0, 255).empty_cells(2).color(0, 0, 255, 255);
  const ProjectState state = read_ok(qb.bytes());
  ASSERT_EQ(state.layers.size(), 1U);
  EXPECT_EQ(state.layers[0].name, "Body");
  EXPECT_EQ(state.layers[0].id, 1U);
  EXPECT_EQ(state.next_layer_id, 2U);
  // File (x, y, z) is voxd (x, z, y).
  EXPECT_EQ(voxels_of(state.layers[0].volume),
            (std::vector<std::pair<Vec3i, Color>>{{{10, 30, 20}, kRed}, {{11, 31, 20}, kBlue}}));
}

TEST(QbRead, LeftHandedFilesMirrorTheDepthAxisAsGoxelDoes) {
  QbBuilder qb(1, {.orientation = qb::kLeftHanded});
  qb.matrix("m", {1, 1, 2}, {0, 5, 3}).color(255, 0, 0, 255).color(0, 0, 255, 255);
  const ProjectState state = read_ok(qb.bytes());
  // File (x, y, z) is voxd (x, -z, y).
  EXPECT_EQ(voxels_of(state.layers[0].volume),
            (std::vector<std::pair<Vec3i, Color>>{{{0, -4, 5}, kBlue}, {{0, -3, 5}, kRed}}));
}

TEST(QbRead, BgraColoursAndTheVisibilityMask) {
  QbBuilder bgra(1, {.color_format = 1});
  bgra.matrix("m", {1, 1, 1}, {0, 0, 0}).color(30, 20, 10, 255);
  EXPECT_EQ(read_ok(bgra.bytes()).layers[0].volume.get({0, 0, 0}), (Color{10, 20, 30, 255}));

  // With the mask, alpha is a set of visible faces: any non-zero value is an opaque voxel.
  QbBuilder masked(1, {.visibility_mask = 1});
  masked.matrix("m", {2, 1, 1}, {0, 0, 0}).color(1, 2, 3, 0x3F).color(4, 5, 6, 0);
  const ProjectState m = read_ok(masked.bytes());
  EXPECT_EQ(m.layers[0].volume.get({0, 0, 0}), (Color{1, 2, 3, 255}));
  EXPECT_EQ(m.layers[0].volume.voxel_count(), 1);

  // Without it, alpha is kept (voxd writes translucent voxels that way).
  QbBuilder plain(1);
  plain.matrix("m", {1, 1, 1}, {0, 0, 0}).color(1, 2, 3, 200);
  EXPECT_EQ(read_ok(plain.bytes()).layers[0].volume.get({0, 0, 0}), (Color{1, 2, 3, 200}));
}

TEST(QbRead, RunLengthSlicesWithRunsSingleValuesAndEarlyEnds) {
  QbBuilder qb(1, {.compression = 1});
  qb.matrix("rle", {3, 2, 3}, {0, 0, 0});
  // Slice z = 0: a run of 4 red, then one blue, then the slice ends early (the last cell stays empty).
  qb.run(4, kRed).color(0, 0, 255, 255).next_slice();
  // Slice z = 1: nothing.
  qb.next_slice();
  // Slice z = 2: an empty run of 5 cells, then blue in the last one.
  qb.run(5, Color{}).color(0, 0, 255, 255).next_slice();
  const ProjectState state = read_ok(qb.bytes());
  const auto voxels = voxels_of(state.layers[0].volume);
  EXPECT_EQ(voxels, (std::vector<std::pair<Vec3i, Color>>{{{0, 0, 0}, kRed},
                                                          {{0, 0, 1}, kRed},
                                                          {{1, 0, 0}, kRed},
                                                          {{1, 0, 1}, kBlue},
                                                          {{2, 0, 0}, kRed},
                                                          {{2, 2, 1}, kBlue}}));
}

TEST(QbRead, MatricesBecomeLayersInFileOrder) {
  QbBuilder qb(3);
  qb.matrix("head", {1, 1, 1}, {0, 0, 0}).color(255, 0, 0, 255);
  qb.matrix("", {1, 1, 1}, {-5, -6, -7}).color(0, 0, 255, 255);
  qb.matrix("empty", {0, 0, 0}, {0, 0, 0});
  const ProjectState state = read_ok(qb.bytes());
  ASSERT_EQ(state.layers.size(), 3U);
  EXPECT_EQ(state.layers[0].name, "head");
  EXPECT_EQ(state.layers[1].name, "");
  EXPECT_EQ(state.layers[1].volume.get({-5, -7, -6}), kBlue);
  EXPECT_EQ(state.layers[2].name, "empty");
  EXPECT_TRUE(state.layers[2].volume.empty());
  EXPECT_EQ(state.layers[2].id, 3U);
}

TEST(QbRead, AFileWithoutMatricesIsOneEmptyLayer) {
  const ProjectState state = read_ok(QbBuilder(0).bytes());
  ASSERT_EQ(state.layers.size(), 1U);
  EXPECT_EQ(state.layers[0].name, "background");
}

TEST(QbRead, AFileEndingAfterAWholeMatrixKeepsWhatItHas) {
  // Goxel 0.11 counts layers it then leaves out (the empty ones).
  QbBuilder qb(3);
  qb.matrix("only", {1, 1, 1}, {0, 0, 0}).color(255, 0, 0, 255);
  const ProjectState state = read_ok(qb.bytes());
  ASSERT_EQ(state.layers.size(), 1U);
  EXPECT_EQ(state.layers[0].name, "only");
}

TEST(QbRegistry, FoundByExtensionAndByHeader) {
  ASSERT_NE(format_for_path("model.QB"), nullptr);
  EXPECT_EQ(format_for_path("model.qb")->name, "qb");
  QbBuilder qb(1);
  qb.matrix("m", {1, 1, 1}, {1, 2, 3}).color(255, 0, 0, 255);
  ASSERT_NE(format_for_content(qb.bytes()), nullptr);
  EXPECT_EQ(format_for_content(qb.bytes())->name, "qb");
  const auto read = read_bytes(qb.bytes(), "misnamed.txt", {});
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->layers[0].volume.get({1, 3, 2}), kRed);
  // A header with a flag outside 0..1 is not taken for .qb.
  Bytes other = qb.bytes();
  other[8] = 7;
  EXPECT_FALSE(qb_matches(other));
  EXPECT_FALSE(qb_matches(ByteView(qb.bytes()).first(23)));
}

ProjectState sample_project() {
  ProjectState state;
  state.layers.push_back(make_layer(1, "ground"));
  state.layers.push_back(make_layer(2, "negative and translucent"));
  state.layers.push_back(make_layer(3, "empty"));
  state.layers.push_back(make_layer(4, "sparse and tall"));
  state.layers[0].volume.fill_box(Box{{0, 0, 0}, {40, 33, 2}}, Color{20, 120, 20, 255});
  for (int i = 0; i < 300; ++i) {
    // Many colours, some runs of one colour, translucency.
    const auto c = static_cast<std::uint8_t>(i % 251);
    state.layers[1].volume.set({-20 + i % 17, -3 - i % 5, -40 + i / 17},
                               Color{c, static_cast<std::uint8_t>(255 - c), static_cast<std::uint8_t>(i / 3 % 256),
                                     static_cast<std::uint8_t>(i % 7 == 0 ? 128 : 255)});
  }
  state.layers[3].volume.set({5, -70000, 3}, kRed);
  state.layers[3].volume.set({5, 70000, 3}, kBlue);
  state.layers[3].volume.set({-100000, 0, 100000}, kBlue);
  state.next_layer_id = 5;
  return state;
}

TEST(QbRoundTrip, LayersNamesPositionsAndColoursComeBack) {
  const ProjectState state = sample_project();
  Bytes bytes;
  const auto report = write_qb(state, bytes, {});
  ASSERT_TRUE(report.ok()) << report.error().message;
  const ProjectState back = read_ok(bytes);
  ASSERT_EQ(back.layers.size(), state.layers.size());
  for (std::size_t i = 0; i < state.layers.size(); ++i) {
    SCOPED_TRACE(state.layers[i].name);
    EXPECT_EQ(back.layers[i].name, state.layers[i].name);
    EXPECT_EQ(back.layers[i].id, state.layers[i].id);
    EXPECT_TRUE(back.layers[i].volume == state.layers[i].volume);
  }
  // Translucent voxels come back, but other readers show them opaque: the report says so.
  EXPECT_TRUE(report->lossy);
  EXPECT_NE(report->warning.find("translucent"), std::string::npos) << report->warning;
  // The writer's header: 1.1.0.0, RGBA, right-handed, run-length, no mask.
  EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 20),
            (Bytes{1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
  // The sparse layer spans 140001 y values: one 4-byte slice flag each, not a cell each.
  EXPECT_LT(bytes.size(), 1024U * 1024U);
}

TEST(QbRoundTrip, WhatQbCannotKeepIsReported) {
  ProjectState state;
  state.layers.push_back(make_layer(1, std::string(300, 'n')));
  state.layers.push_back(make_layer(2, "hidden"));
  state.layers[1].visible = false;
  state.layers[0].volume.set({0, 0, 0}, kRed);
  Bytes bytes;
  const auto report = write_qb(state, bytes, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->lossy);
  EXPECT_NE(report->warning.find("hidden"), std::string::npos) << report->warning;
  EXPECT_NE(report->warning.find("255 bytes"), std::string::npos) << report->warning;
  const ProjectState back = read_ok(bytes);
  EXPECT_EQ(back.layers[0].name, std::string(255, 'n'));
  EXPECT_TRUE(back.layers[1].visible);

  ProjectState plain;
  plain.layers.push_back(make_layer(1, "plain"));
  plain.layers[0].volume.set({0, 0, 0}, kRed);
  const auto clean = write_qb(plain, bytes, {});
  ASSERT_TRUE(clean.ok());
  EXPECT_FALSE(clean->lossy) << clean->warning;
}

TEST(QbRoundTrip, RunsLongerThanAUint32AreSplit) {
  // Two voxels on one slice, 2^32 + 10 cells apart: the empty run between them needs two CODEFLAG runs.
  ProjectState state;
  state.layers.push_back(make_layer(1, "far"));
  state.layers[0].volume.set({0, 0, 0}, kRed);
  state.layers[0].volume.set({65536 + 10, 0, 65536}, kBlue);  // cell (65536+10) + 65547 * 65536
  Bytes bytes;
  ASSERT_TRUE(write_qb(state, bytes, {}).ok());
  const ProjectState back = read_ok(bytes);
  EXPECT_TRUE(back.layers[0].volume == state.layers[0].volume);
}

TEST(QbMalformed, ShortHeader) {
  const std::string message = read_error(Bytes{1, 1, 0, 0, 0, 0}, ErrorCode::format);
  EXPECT_NE(message.find("header needs 24 bytes"), std::string::npos) << message;
}

TEST(QbMalformed, UnknownVersionIsUnsupported) {
  const std::string message = read_error(QbBuilder(0, {.version = 0x00000002}).bytes(), ErrorCode::unsupported);
  EXPECT_NE(message.find("version 2.0.0.0"), std::string::npos) << message;
}

TEST(QbMalformed, FlagsOutsideZeroAndOne) {
  EXPECT_NE(read_error(QbBuilder(0, {.color_format = 2}).bytes(), ErrorCode::format).find("colour format 2"),
            std::string::npos);
  EXPECT_NE(read_error(QbBuilder(0, {.orientation = 9}).bytes(), ErrorCode::format).find("z-axis orientation 9"),
            std::string::npos);
  EXPECT_NE(read_error(QbBuilder(0, {.compression = 3}).bytes(), ErrorCode::format).find("compression 3"),
            std::string::npos);
  EXPECT_NE(read_error(QbBuilder(0, {.visibility_mask = 4}).bytes(), ErrorCode::format).find("visibility mask 4"),
            std::string::npos);
}

TEST(QbMalformed, TruncatedMatrixHeader) {
  QbBuilder name(1);
  name.u32(0x00000010);  // name length 16, then only 3 of its bytes
  Bytes bytes = name.bytes();
  bytes.resize(bytes.size() - 1);
  EXPECT_NE(read_error(bytes, ErrorCode::format).find("matrix name of 16 bytes runs past the end"), std::string::npos);

  QbBuilder size(1);
  size.matrix("m", {1, 1, 1}, {0, 0, 0});
  Bytes cut = size.bytes();
  cut.resize(24 + 2 + 8);  // inside the size
  EXPECT_NE(read_error(cut, ErrorCode::format).find("size needs 12 bytes"), std::string::npos);
  cut = size.bytes();
  cut.resize(cut.size() - 2);  // inside the position
  EXPECT_NE(read_error(cut, ErrorCode::format).find("position needs 12 bytes"), std::string::npos);
}

TEST(QbMalformed, DenseDataLargerThanTheFile) {
  QbBuilder qb(1);
  qb.matrix("big", {1U << 20U, 1U << 20U, 1U << 20U}, {0, 0, 0}).color(1, 2, 3, 255);
  const std::string message = read_error(qb.bytes(), ErrorCode::format);
  EXPECT_NE(message.find("needs more than the 4 bytes that remain"), std::string::npos) << message;
  QbBuilder small(1);
  small.matrix("m", {2, 2, 2}, {0, 0, 0}).empty_cells(7);
  EXPECT_NE(read_error(small.bytes(), ErrorCode::format).find("matrix 'm' of 2 x 2 x 2"), std::string::npos);
}

TEST(QbRead, AZeroEdgeMakesAnEmptyMatrixHoweverLargeTheOthers) {
  // Dense: no cell to walk, even with 2^31 x 2^31 on the other axes (a fuzzer's hang).
  QbBuilder dense(1);
  dense.matrix("flat", {0, 0x80000000U, 0x80000000U}, {0, 0, 0});
  EXPECT_TRUE(read_ok(dense.bytes()).layers[0].volume.empty());
  // Run-length: a slice of no cells still ends with its flag.
  QbBuilder runs(1, {.compression = 1});
  runs.matrix("flat", {0, 5, 2}, {0, 0, 0}).next_slice().next_slice();
  EXPECT_TRUE(read_ok(runs.bytes()).layers[0].volume.empty());
}

TEST(QbMalformed, PositionsOutsideTheCoordinateRange) {
  QbBuilder qb(1);
  qb.matrix("far", {2, 1, 1}, {(1 << 30) - 1, 0, 0}).empty_cells(2);
  EXPECT_NE(read_error(qb.bytes(), ErrorCode::format).find("reaches outside the coordinate range"), std::string::npos);
  // Left-handed z is negated: -(-2^30) is out of range although -2^30 is in.
  QbBuilder left(1, {.orientation = qb::kLeftHanded});
  left.matrix("mirror", {1, 1, 1}, {0, 0, -(1 << 30)}).empty_cells(1);
  EXPECT_NE(read_error(left.bytes(), ErrorCode::format).find("'mirror'"), std::string::npos);
}

TEST(QbMalformed, RunsPastTheirSlice) {
  QbBuilder qb(1, {.compression = 1});
  qb.matrix("rle", {2, 2, 1}, {0, 0, 0}).run(3, kRed).run(2, kRed).next_slice();
  const std::string message = read_error(qb.bytes(), ErrorCode::format);
  EXPECT_NE(message.find("a run of 2 from cell 3 passes the 4 cells of slice 0"), std::string::npos) << message;
  // Empty runs too: a huge empty run may not wrap the index round.
  QbBuilder empty(1, {.compression = 1});
  empty.matrix("rle", {2, 2, 1}, {0, 0, 0}).run(0xFFFFFFFFU, Color{}).next_slice();
  EXPECT_NE(read_error(empty.bytes(), ErrorCode::format).find("passes the 4 cells"), std::string::npos);
}

TEST(QbMalformed, RunLengthDataEndingEarly) {
  QbBuilder no_flag(1, {.compression = 1});
  no_flag.matrix("rle", {2, 2, 2}, {0, 0, 0}).run(4, kRed).next_slice().color(255, 0, 0, 255);
  EXPECT_NE(read_error(no_flag.bytes(), ErrorCode::format).find("slice 1 ends before its NEXTSLICEFLAG"),
            std::string::npos);
  QbBuilder half_run(1, {.compression = 1});
  half_run.matrix("rle", {2, 2, 2}, {0, 0, 0}).u32(qb::kCodeFlag).u32(3);
  EXPECT_NE(read_error(half_run.bytes(), ErrorCode::format).find("run needs a count and a colour"), std::string::npos);
}

TEST(QbLimits, VoxelsLayersBlocksAndBytesAreBounded) {
  ReadLimits limits;
  limits.max_voxels = 10;
  QbBuilder run(1, {.compression = 1});
  run.matrix("rle", {100, 100, 1}, {0, 0, 0}).run(11, kRed).next_slice();
  EXPECT_NE(read_error(run.bytes(), ErrorCode::limit_exceeded, limits).find("ReadLimits::max_voxels"),
            std::string::npos);

  limits = {};
  limits.max_layers = 2;
  QbBuilder layers(3);
  for (int i = 0; i < 3; ++i) {
    layers.matrix("m", {1, 1, 1}, {0, 0, 0}).color(1, 1, 1, 255);
  }
  EXPECT_NE(read_error(layers.bytes(), ErrorCode::limit_exceeded, limits).find("ReadLimits::max_layers"),
            std::string::npos);

  // A row of 64 voxels along x spans 4 blocks.
  limits = {};
  limits.max_blocks = 3;
  QbBuilder blocks(1, {.compression = 1});
  blocks.matrix("wide", {64, 1, 1}, {0, 0, 0}).run(64, kRed).next_slice();
  EXPECT_NE(read_error(blocks.bytes(), ErrorCode::limit_exceeded, limits).find("ReadLimits::max_blocks"),
            std::string::npos);
  limits.max_blocks = 4;
  EXPECT_EQ(read_ok(blocks.bytes(), limits).layers[0].volume.block_count(), 4U);

  limits = {};
  limits.max_bytes = 3 * ReadLimits::kBytesPerBlock;
  EXPECT_NE(read_error(blocks.bytes(), ErrorCode::limit_exceeded, limits).find("max_project_bytes"), std::string::npos);

  limits = {};
  limits.max_file_bytes = 10;
  EXPECT_NE(read_error(blocks.bytes(), ErrorCode::limit_exceeded, limits).find("max_file_bytes"), std::string::npos);
}

TEST(QbWrite, RefusesLayersSpreadOverTooManySlices) {
  ProjectState state;
  state.layers.push_back(make_layer(1, "tall"));
  state.layers[0].volume.set({0, -(1 << 29), 0}, kRed);
  state.layers[0].volume.set({0, 1 << 29, 0}, kRed);
  Bytes bytes;
  EXPECT_EQ(write_qb(state, bytes, {}).code(), ErrorCode::limit_exceeded);
}

}  // namespace
}  // namespace voxd::core::formats
