// blend() against Goxel's combine() (src/volume_utils.c), worked by hand for opaque and translucent colours.
#include <gtest/gtest.h>

#include <array>

#include "voxd/core/blend_mode.hpp"

namespace voxd::core {
namespace {

constexpr Color kExisting{10, 20, 30, 200};
constexpr Color kOpaqueShape{200, 100, 50, 255};

TEST(BlendMode, NumberingIsGoxels) {
  EXPECT_EQ(static_cast<int>(BlendMode::over), 1);
  EXPECT_EQ(static_cast<int>(BlendMode::subtract), 2);
  EXPECT_EQ(static_cast<int>(BlendMode::subtract_clamp), 3);
  EXPECT_EQ(static_cast<int>(BlendMode::paint), 4);
  EXPECT_EQ(static_cast<int>(BlendMode::max), 5);
  EXPECT_EQ(static_cast<int>(BlendMode::intersect), 6);
  EXPECT_EQ(static_cast<int>(BlendMode::intersect_fill), 7);
  EXPECT_EQ(static_cast<int>(BlendMode::mult_alpha), 8);
  EXPECT_EQ(static_cast<int>(BlendMode::replace), 9);
  EXPECT_FALSE(blend_mode_from_int(0).has_value());
  EXPECT_FALSE(blend_mode_from_int(10).has_value());
  for (int i = 1; i <= 9; ++i) {
    const auto mode = blend_mode_from_int(i);
    ASSERT_TRUE(mode.has_value());
    EXPECT_EQ(parse_blend_mode(blend_mode_name(*mode)), mode);
  }
  EXPECT_EQ(parse_blend_mode("add"), BlendMode::over);
  EXPECT_EQ(parse_blend_mode("sub"), BlendMode::subtract);
  EXPECT_FALSE(parse_blend_mode("bogus").has_value());
}

TEST(BlendMode, OverOpaqueReplacesAndTranslucentComposites) {
  EXPECT_EQ(blend(BlendMode::over, kExisting, kOpaqueShape), kOpaqueShape);
  EXPECT_EQ(blend(BlendMode::over, kEmpty, kOpaqueShape), kOpaqueShape);
  // Half-white over opaque black: weight 255*128 + 255*127; rgb 255*255*128 / weight = 128; alpha 128 + 127.
  EXPECT_EQ(blend(BlendMode::over, Color{0, 0, 0, 255}, Color{255, 255, 255, 128}), (Color{128, 128, 128, 255}));
  // Over nothing, a translucent colour is kept as it is.
  EXPECT_EQ(blend(BlendMode::over, kEmpty, Color{255, 0, 0, 100}), (Color{255, 0, 0, 100}));
  // An empty shape colour changes nothing.
  EXPECT_EQ(blend(BlendMode::over, kExisting, kEmpty), kExisting);
}

TEST(BlendMode, SubtractLowersAlphaByTheShapes) {
  EXPECT_EQ(blend(BlendMode::subtract, kExisting, kOpaqueShape), kEmpty);
  EXPECT_EQ(blend(BlendMode::subtract, kExisting, Color{0, 0, 0, 50}), (Color{10, 20, 30, 150}));
  EXPECT_EQ(blend(BlendMode::subtract, Color{1, 2, 3, 40}, Color{0, 0, 0, 50}), kEmpty);
  EXPECT_EQ(blend(BlendMode::subtract, kEmpty, kOpaqueShape), kEmpty);
}

TEST(BlendMode, SubtractClampCapsAlphaAtTheInverse) {
  EXPECT_EQ(blend(BlendMode::subtract_clamp, kExisting, kOpaqueShape), kEmpty);
  EXPECT_EQ(blend(BlendMode::subtract_clamp, kExisting, Color{0, 0, 0, 100}), (Color{10, 20, 30, 155}));
  EXPECT_EQ(blend(BlendMode::subtract_clamp, Color{1, 2, 3, 100}, Color{0, 0, 0, 100}), (Color{1, 2, 3, 100}));
}

TEST(BlendMode, PaintRecoloursExistingVoxelsOnly) {
  EXPECT_EQ(blend(BlendMode::paint, kExisting, kOpaqueShape), (Color{200, 100, 50, 200}));
  EXPECT_EQ(blend(BlendMode::paint, kEmpty, kOpaqueShape), kEmpty);
  // 20% red over black: 255 * 51 / 255 = 51.
  EXPECT_EQ(blend(BlendMode::paint, Color{0, 0, 0, 200}, Color{255, 0, 0, 51}), (Color{51, 0, 0, 200}));
}

TEST(BlendMode, MaxTakesTheShapeColourAndTheLargerAlpha) {
  EXPECT_EQ(blend(BlendMode::max, Color{200, 0, 0, 100}, Color{0, 0, 255, 50}), (Color{0, 0, 255, 100}));
  EXPECT_EQ(blend(BlendMode::max, Color{200, 0, 0, 100}, Color{0, 0, 255, 150}), (Color{0, 0, 255, 150}));
  EXPECT_EQ(blend(BlendMode::max, kEmpty, kOpaqueShape), kOpaqueShape);
  EXPECT_EQ(blend(BlendMode::max, kExisting, kEmpty), kExisting);
}

TEST(BlendMode, IntersectKeepsTheLowerAlpha) {
  EXPECT_EQ(blend(BlendMode::intersect, kExisting, kOpaqueShape), kExisting);
  EXPECT_EQ(blend(BlendMode::intersect, kExisting, Color{0, 0, 0, 100}), (Color{10, 20, 30, 100}));
  EXPECT_EQ(blend(BlendMode::intersect, kEmpty, kOpaqueShape), kEmpty);
  EXPECT_EQ(blend(BlendMode::intersect, kExisting, kEmpty), kEmpty);
}

TEST(BlendMode, IntersectFillRecolours) {
  EXPECT_EQ(blend(BlendMode::intersect_fill, kExisting, kOpaqueShape), (Color{200, 100, 50, 200}));
  EXPECT_EQ(blend(BlendMode::intersect_fill, kEmpty, kOpaqueShape), kEmpty);
  EXPECT_EQ(blend(BlendMode::intersect_fill, kExisting, kEmpty), kEmpty);
}

TEST(BlendMode, MultAlphaScalesEveryChannel) {
  // Goxel truncates: 200*128/255 = 100, 100*128/255 = 50, 50*128/255 = 25, 255*128/255 = 128.
  EXPECT_EQ(blend(BlendMode::mult_alpha, Color{200, 100, 50, 255}, Color{9, 9, 9, 128}), (Color{100, 50, 25, 128}));
  EXPECT_EQ(blend(BlendMode::mult_alpha, kExisting, Color{9, 9, 9, 255}), kExisting);
  EXPECT_EQ(blend(BlendMode::mult_alpha, kExisting, kEmpty), kEmpty);
}

TEST(BlendMode, ReplaceWritesTheShapeColourEvenEmpty) {
  EXPECT_EQ(blend(BlendMode::replace, kExisting, Color{1, 2, 3, 4}), (Color{1, 2, 3, 4}));
  EXPECT_EQ(blend(BlendMode::replace, kExisting, kEmpty), kEmpty);
  EXPECT_EQ(blend(BlendMode::replace, kExisting, Color{5, 5, 5, 0}), kEmpty);
}

TEST(BlendMode, ResultsWithoutAlphaAreTheCanonicalEmptyVoxel) {
  const std::array<Color, 6> samples{
      kEmpty, kExisting, kOpaqueShape, Color{255, 255, 255, 1}, Color{9, 8, 7, 0}, Color{0, 0, 0, 254}};
  for (int m = 1; m <= 9; ++m) {
    const BlendMode mode = *blend_mode_from_int(m);
    for (const Color a : samples) {
      for (const Color b : samples) {
        const Color out = blend(mode, a, b);
        if (out.a == 0) {
          EXPECT_EQ(out, kEmpty) << blend_mode_name(mode) << " " << to_hex(a) << " " << to_hex(b);
        }
      }
    }
  }
}

}  // namespace
}  // namespace voxd::core
