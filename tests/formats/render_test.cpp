// CPU render: image size, transparent background, view orientation, shading order, fitting,
// occlusion, and the refusal of impossible sizes.
#include "voxd/core/formats/render.hpp"

#include "voxd/core/formats/format.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

namespace voxd::core::formats {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kGreen{0, 255, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};
constexpr Color kGrey{200, 200, 200, 255};

ProjectState model_of(const std::vector<std::pair<Vec3i, Color>>& voxels) {
  ProjectState state;
  state.layers.emplace_back();
  for (const auto& [p, c] : voxels) {
    state.layers.back().volume.set(p, c);
  }
  return state;
}

Image render_ok(const ProjectState& state, View view, int width = 64, int height = 64) {
  Result<Image> image = render(state, RenderParams{view, width, height});
  EXPECT_TRUE(image.ok()) << (image.ok() ? "" : image.error().message);
  return image.ok() ? std::move(image).value() : Image{};
}

Color pixel(const Image& image, int x, int y) {
  const std::size_t i =
      (static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)) * 4;
  return {image.rgba[i], image.rgba[i + 1], image.rgba[i + 2], image.rgba[i + 3]};
}

struct Region {
  int min_x = 1 << 30;
  int min_y = 1 << 30;
  int max_x = -1;
  int max_y = -1;
  double mean_x = 0;
  double mean_y = 0;
  std::int64_t count = 0;
};

// Where each opaque colour appears.
std::map<std::uint32_t, Region> regions(const Image& image) {
  std::map<std::uint32_t, Region> out;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const Color c = pixel(image, x, y);
      if (c.a == 0) {
        continue;
      }
      Region& r = out[c.packed()];
      r.min_x = std::min(r.min_x, x);
      r.min_y = std::min(r.min_y, y);
      r.max_x = std::max(r.max_x, x);
      r.max_y = std::max(r.max_y, y);
      r.mean_x += x;
      r.mean_y += y;
      ++r.count;
    }
  }
  for (auto& [c, r] : out) {
    r.mean_x /= static_cast<double>(r.count);
    r.mean_y /= static_cast<double>(r.count);
  }
  return out;
}

Region opaque_region(const Image& image) {
  Region all;
  for (const auto& [c, r] : regions(image)) {
    all.min_x = std::min(all.min_x, r.min_x);
    all.min_y = std::min(all.min_y, r.min_y);
    all.max_x = std::max(all.max_x, r.max_x);
    all.max_y = std::max(all.max_y, r.max_y);
    all.count += r.count;
  }
  return all;
}

int brightness(std::uint32_t packed) {
  const Color c = Color::from_packed(packed);
  return c.r + c.g + c.b;
}

constexpr std::array kAllViews{View::iso, View::front, View::back, View::left, View::right, View::top, View::bottom};

TEST(Render, ViewNamesRoundTrip) {
  for (const View v : kAllViews) {
    EXPECT_EQ(parse_view(view_name(v)), v);
  }
  EXPECT_EQ(parse_view("side"), std::nullopt);
  EXPECT_EQ(parse_view(""), std::nullopt);
}

TEST(Render, ExactSizeAndTransparentBackground) {
  const Image image = render_ok(model_of({{{0, 0, 0}, kRed}}), View::iso, 70, 30);
  EXPECT_EQ(image.width, 70);
  EXPECT_EQ(image.height, 30);
  ASSERT_EQ(image.rgba.size(), 70U * 30U * 4U);
  EXPECT_EQ(pixel(image, 0, 0), kEmpty);
  EXPECT_EQ(pixel(image, 69, 29), kEmpty);
  EXPECT_GT(opaque_region(image).count, 0);
}

TEST(Render, EmptyAndTranslucentModelsAreFullyTransparent) {
  for (const auto& state : {model_of({}), model_of({{{3, 3, 3}, Color{255, 0, 0, 126}}})}) {
    const Image image = render_ok(state, View::iso, 16, 8);
    ASSERT_EQ(image.rgba.size(), 16U * 8U * 4U);
    EXPECT_TRUE(std::all_of(image.rgba.begin(), image.rgba.end(), [](std::uint8_t b) { return b == 0; }));
  }
}

TEST(Render, IsoShowsTopBrighterThanFrontBrighterThanRight) {
  const Image image = render_ok(model_of({{{0, 0, 0}, kGrey}}), View::iso, 128, 128);
  const auto found = regions(image);
  ASSERT_EQ(found.size(), 3U) << "a cube in iso shows three faces, three shades";
  std::vector<std::pair<std::uint32_t, Region>> faces(found.begin(), found.end());
  std::sort(faces.begin(), faces.end(),
            [](const auto& a, const auto& b) { return brightness(a.first) > brightness(b.first); });
  const Region& top = faces[0].second;
  const Region& front = faces[1].second;
  const Region& right = faces[2].second;
  EXPECT_EQ(Color::from_packed(faces[0].first), kGrey) << "the top keeps the voxel colour";
  EXPECT_LT(top.mean_y, front.mean_y);
  EXPECT_LT(top.mean_y, right.mean_y);
  EXPECT_LT(front.mean_x, right.mean_x) << "the front (-y) face is left of the right (+x) face";
}

TEST(Render, AxisViewsShowOneShadeEach) {
  // Faces along z keep the colour; y faces are darker; x faces darker still.
  const ProjectState state = model_of({{{0, 0, 0}, kGrey}});
  std::map<View, int> shade;
  for (const View v : kAllViews) {
    if (v == View::iso) {
      continue;
    }
    const auto found = regions(render_ok(state, v));
    ASSERT_EQ(found.size(), 1U) << view_name(v);
    shade[v] = brightness(found.begin()->first);
  }
  EXPECT_EQ(shade[View::top], brightness(kGrey.packed()));
  EXPECT_EQ(shade[View::top], shade[View::bottom]);
  EXPECT_EQ(shade[View::front], shade[View::back]);
  EXPECT_EQ(shade[View::left], shade[View::right]);
  EXPECT_GT(shade[View::top], shade[View::front]);
  EXPECT_GT(shade[View::front], shade[View::left]);
}

TEST(Render, ViewsAreOrientedAsDocumented) {
  // Red at the origin; green one step along +x, blue one step along +y... each seen from its view.
  const ProjectState along_x = model_of({{{0, 0, 0}, kRed}, {{1, 0, 0}, kGreen}});
  const ProjectState along_y = model_of({{{0, 0, 0}, kRed}, {{0, 1, 0}, kGreen}});
  const ProjectState along_z = model_of({{{0, 0, 0}, kRed}, {{0, 0, 1}, kGreen}});
  auto mean_of = [](const Image& image, std::uint8_t red, std::uint8_t green) {
    for (const auto& [c, r] : regions(image)) {
      const Color col = Color::from_packed(c);
      if ((col.r > 0) == (red > 0) && (col.g > 0) == (green > 0)) {
        return r;
      }
    }
    ADD_FAILURE() << "colour not found";
    return Region{};
  };
  auto red_of = [&](const Image& i) { return mean_of(i, 1, 0); };
  auto green_of = [&](const Image& i) { return mean_of(i, 0, 1); };

  Image img = render_ok(along_x, View::front);
  EXPECT_LT(red_of(img).mean_x, green_of(img).mean_x) << "front: +x to the right";
  img = render_ok(along_x, View::back);
  EXPECT_GT(red_of(img).mean_x, green_of(img).mean_x) << "back: +x to the left";
  img = render_ok(along_y, View::left);
  EXPECT_GT(red_of(img).mean_x, green_of(img).mean_x) << "left: +y to the left";
  img = render_ok(along_y, View::right);
  EXPECT_LT(red_of(img).mean_x, green_of(img).mean_x) << "right: +y to the right";
  img = render_ok(along_y, View::top);
  EXPECT_GT(red_of(img).mean_y, green_of(img).mean_y) << "top: +y up the image";
  img = render_ok(along_y, View::bottom);
  EXPECT_LT(red_of(img).mean_y, green_of(img).mean_y) << "bottom: +y down the image";
  img = render_ok(along_z, View::front);
  EXPECT_GT(red_of(img).mean_y, green_of(img).mean_y) << "front: z up";
  img = render_ok(along_x, View::top);
  EXPECT_LT(red_of(img).mean_x, green_of(img).mean_x) << "top: +x to the right";
}

TEST(Render, ModelIsFittedToTheFrame) {
  const ProjectState cube = model_of({{{5, -7, 100}, kBlue}});
  // Square frame: the square front face fills it up to the margin (4 % of 100 = 4 px) on all sides.
  Region r = opaque_region(render_ok(cube, View::front, 100, 100));
  EXPECT_EQ(r.min_x, 4);
  EXPECT_EQ(r.min_y, 4);
  EXPECT_EQ(r.max_x, 95);
  EXPECT_EQ(r.max_y, 95);
  // Wide frame: the height limits the scale and the model is centred horizontally.
  r = opaque_region(render_ok(cube, View::front, 200, 100));
  EXPECT_EQ(r.min_y, 4);
  EXPECT_EQ(r.max_y, 95);
  EXPECT_EQ(r.min_x, 54);
  EXPECT_EQ(r.max_x, 145);
  // Iso of a long bar: its extreme pixels reach the margins of the limiting dimension.
  ProjectState bar = model_of({});
  for (int x = -30; x < 30; ++x) {
    bar.layers.back().volume.set({x, 0, 0}, kBlue);
  }
  r = opaque_region(render_ok(bar, View::iso, 256, 256));
  EXPECT_LE(r.min_x, 11);
  EXPECT_GE(r.max_x, 244);
  EXPECT_GE(r.min_y, 10);
}

TEST(Render, NearerVoxelsHideFartherOnes) {
  // Red at y=0 stands in front of blue at y=1 when looking along +y.
  const ProjectState state = model_of({{{0, 0, 0}, kRed}, {{0, 1, 0}, kBlue}});
  auto colours = [](const Image& image) {
    std::vector<Color> out;
    for (const auto& [c, r] : regions(image)) {
      out.push_back(Color::from_packed(c));
    }
    return out;
  };
  const auto front = colours(render_ok(state, View::front));
  ASSERT_EQ(front.size(), 1U);
  EXPECT_GT(front[0].r, 0);
  EXPECT_EQ(front[0].b, 0);
  const auto back = colours(render_ok(state, View::back));
  ASSERT_EQ(back.size(), 1U);
  EXPECT_EQ(back[0].r, 0);
  EXPECT_GT(back[0].b, 0);
  // In iso the front-right-top corner is nearest: a red voxel there covers the centre of a blue block.
  ProjectState block = model_of({});
  for (int z = 0; z < 4; ++z) {
    for (int y = 0; y < 4; ++y) {
      for (int x = 0; x < 4; ++x) {
        block.layers.back().volume.set({x, y, z}, kBlue);
      }
    }
  }
  block.layers.back().volume.set({3, 0, 3}, kRed);
  const Image iso = render_ok(block, View::iso, 128, 128);
  const Color centre = pixel(iso, 64, 64);
  EXPECT_GT(centre.r, 0) << "the corner voxel nearest the camera is drawn over the others";
  EXPECT_EQ(centre.b, 0);
}

TEST(Render, InvalidSizesAreRefused) {
  const ProjectState state = model_of({{{0, 0, 0}, kRed}});
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{0, 10}, {10, 0}, {-1, 5}, {4097, 10}, {10, 4097}}) {
    const Result<Image> image = render(state, RenderParams{View::iso, w, h});
    EXPECT_EQ(image.code(), ErrorCode::invalid_argument) << w << "x" << h;
  }
  EXPECT_EQ(render(state, RenderParams{static_cast<View>(42), 8, 8}).code(), ErrorCode::invalid_argument);
  const Image tiny = render_ok(state, View::front, 1, 1);
  EXPECT_EQ(pixel(tiny, 0, 0).a, 255);
  const Image tall = render_ok(state, View::top, 1, 4096);
  EXPECT_EQ(tall.rgba.size(), 4096U * 4U);
}

TEST(Render, PngHoldsExactlyTheRenderedImage) {
  const ProjectState state = model_of({{{0, 0, 0}, kRed}, {{0, 0, 1}, kGreen}});
  const RenderParams params{View::iso, 40, 24};
  const Image image = render_ok(state, params.view, params.width, params.height);
  const Result<Bytes> png = render_png(state, params);
  ASSERT_TRUE(png.ok()) << png.error().message;
  const Result<Image> decoded = decode_png(*png, 40 * 24);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->width, 40);
  EXPECT_EQ(decoded->height, 24);
  EXPECT_EQ(decoded->rgba, image.rgba);
  EXPECT_EQ(render_png(state, RenderParams{View::iso, 0, 5}).code(), ErrorCode::invalid_argument);
}

TEST(Render, RegisteredAsWriteOnlyPng) {
  const FileFormat* format = format_for_path("shot.PNG");
  ASSERT_NE(format, nullptr);
  EXPECT_EQ(format->name, "png");
  EXPECT_EQ(format->read, nullptr);
  const ProjectState state = model_of({{{0, 0, 0}, kBlue}});
  Bytes out;
  ASSERT_TRUE(write_bytes(state, "shot.png", out).ok());
  const Result<Image> decoded = decode_png(out, 512 * 512);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->width, 512);
  EXPECT_EQ(decoded->height, 512);
  EXPECT_EQ(decoded->rgba, render_ok(state, View::iso, 512, 512).rgba);
}

}  // namespace
}  // namespace voxd::core::formats
