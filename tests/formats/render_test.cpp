// CPU render: image size, transparent background, view orientation, shading order, fitting,
// occlusion, and the refusal of impossible sizes; ambient occlusion, shadows, edges, background colour, the
// free camera (orthographic and perspective) and the validation of its numbers.
#include "voxd/core/formats/render.hpp"

#include "voxd/core/formats/format.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
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
  EXPECT_EQ(parse_view("free"), View::free);
  EXPECT_EQ(view_name(View::free), "free");
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


// --- the look: ambient occlusion, shadows, edges, background ---

RenderParams look(View view, int size, bool ao, bool shadows, bool edges = false) {
  RenderParams params;
  params.view = view;
  params.width = size;
  params.height = size;
  params.ambient_occlusion = ao;
  params.shadows = shadows;
  params.edges = edges;
  return params;
}

Image render_with(const ProjectState& state, const RenderParams& params) {
  Result<Image> image = render(state, params);
  EXPECT_TRUE(image.ok()) << (image.ok() ? "" : image.error().message);
  return image.ok() ? std::move(image).value() : Image{};
}

int brightness_at(const Image& image, int x, int y) {
  const Color c = pixel(image, x, y);
  EXPECT_EQ(c.a, 255) << "pixel " << x << "," << y << " is not on the model";
  return c.r + c.g + c.b;
}

// The top view of a model whose footprint is n x n voxels from (0, 0): the image point over (x, y).
struct TopView {
  int size;
  int n;
  [[nodiscard]] int px(double x) const { return static_cast<int>(margin() + x * scale()); }
  [[nodiscard]] int py(double y) const { return static_cast<int>(margin() + (n - y) * scale()); }
  [[nodiscard]] double margin() const { return size / 25; }
  [[nodiscard]] double scale() const { return (size - 2 * margin()) / n; }
};

ProjectState floor_of(int n, Color c) {
  ProjectState state = model_of({});
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      state.layers.back().volume.set({x, y, 0}, c);
    }
  }
  return state;
}

TEST(RenderLook, DefaultsAreAmbientOcclusionAndShadowsOnEdgesOffTransparent) {
  const RenderParams params;
  EXPECT_TRUE(params.ambient_occlusion);
  EXPECT_TRUE(params.shadows);
  EXPECT_FALSE(params.edges);
  EXPECT_EQ(params.background, kEmpty);
  EXPECT_EQ(params.view, View::iso);
  EXPECT_EQ(params.width, 512);
  EXPECT_EQ(params.height, 512);
}

TEST(RenderLook, AmbientOcclusionDarkensAConcaveCornerNotAFlatFace) {
  // A floor with a wall along its back edge (y = 7): the floor next to the wall is a crease.
  ProjectState state = floor_of(8, kGrey);
  for (int z = 1; z <= 4; ++z) {
    for (int x = 0; x < 8; ++x) {
      state.layers.back().volume.set({x, 7, z}, kGrey);
    }
  }
  const TopView top{128, 8};
  const int x = top.px(3.5);
  const int crease = top.py(6.95);  // on the floor, against the wall
  const int open = top.py(1.5);     // on the floor, far from it
  const Image flat = render_with(state, look(View::top, 128, false, false));
  EXPECT_EQ(brightness_at(flat, x, crease), brightness_at(flat, x, open)) << "without AO the floor is one shade";
  const Image ao = render_with(state, look(View::top, 128, true, false));
  EXPECT_EQ(brightness_at(ao, x, open), brightness_at(flat, x, open)) << "an open flat face keeps its colour";
  EXPECT_LT(brightness_at(ao, x, crease), brightness_at(flat, x, crease) * 3 / 4) << "the crease darkens";
  // The darkening fades across the voxel next to the wall: its far half is brighter than its near edge.
  EXPECT_GT(brightness_at(ao, x, top.py(6.2)), brightness_at(ao, x, crease));
  // The top of the wall is open: no darkening there.
  EXPECT_EQ(brightness_at(ao, x, top.py(7.5)), brightness_at(flat, x, top.py(7.5)));
}

TEST(RenderLook, ShadowDarkensTheFloorOnTheLightsFarSideOfAPillar) {
  // A 16 x 16 floor and a pillar 6 high at (8, 8). In the top view the light comes from the viewer's upper left
  // (-x, +y and above), so the pillar's shadow falls towards +x, -y.
  ProjectState state = floor_of(16, kGrey);
  for (int z = 1; z <= 6; ++z) {
    state.layers.back().volume.set({8, 8, z}, kGrey);
  }
  const TopView top{160, 16};
  const Image lit = render_with(state, look(View::top, 160, false, false));
  const Image shadowed = render_with(state, look(View::top, 160, false, true));
  const int behind_x = top.px(9.5);
  const int behind_y = top.py(6.5);  // one voxel towards +x, two towards -y
  const int front_x = top.px(7.5);
  const int front_y = top.py(10.5);  // the mirror image, towards the light
  EXPECT_EQ(brightness_at(lit, behind_x, behind_y), brightness_at(lit, front_x, front_y));
  EXPECT_LT(brightness_at(shadowed, behind_x, behind_y), brightness_at(lit, behind_x, behind_y))
      << "the floor behind the pillar is in its shadow";
  EXPECT_EQ(brightness_at(shadowed, front_x, front_y), brightness_at(lit, front_x, front_y))
      << "the floor on the light's side is lit";
  EXPECT_EQ(brightness_at(shadowed, top.px(2.5), top.py(2.5)), brightness_at(lit, top.px(2.5), top.py(2.5)))
      << "the open floor is lit";
}

TEST(RenderLook, EdgesAddDarkPixelsWhereVoxelsAreLarge) {
  // Two voxels side by side, seen from the front: 2 x 1 faces of one colour, merged into one quad.
  const ProjectState state = model_of({{{0, 0, 0}, kGrey}, {{1, 0, 0}, kGrey}});
  const Image plain = render_with(state, look(View::front, 64, false, false));
  const Image edged = render_with(state, look(View::front, 64, false, false, true));
  const auto found = regions(plain);
  ASSERT_EQ(found.size(), 1U);
  const int face = brightness(found.begin()->first);
  int darker = 0;
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      if (pixel(edged, x, y).a == 255 && brightness_at(edged, x, y) < face) {
        ++darker;
      }
      EXPECT_EQ(pixel(edged, x, y).a, pixel(plain, x, y).a) << "edges change no coverage";
    }
  }
  EXPECT_GT(darker, 0);
  // The line between the two voxels (the image's middle column) is dark, and the middle of each voxel is not.
  EXPECT_LT(brightness_at(edged, 31, 32) + brightness_at(edged, 32, 32), 2 * face);
  EXPECT_EQ(brightness_at(edged, 16, 32), face);
  // Where voxels are smaller than 4 pixels, no edges are drawn.
  const ProjectState floor = floor_of(64, kGrey);
  EXPECT_EQ(render_with(floor, look(View::top, 128, false, false, true)).rgba,
            render_with(floor, look(View::top, 128, false, false)).rgba);
}

TEST(RenderLook, BackgroundFillsTheEmptyPixels) {
  const ProjectState state = model_of({{{0, 0, 0}, kRed}});
  RenderParams params = look(View::iso, 48, true, true);
  const Image transparent = render_with(state, params);
  params.background = Color{10, 20, 30, 200};
  const Image coloured = render_with(state, params);
  int model_pixels = 0;
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 48; ++x) {
      if (pixel(transparent, x, y).a == 0) {
        EXPECT_EQ(pixel(coloured, x, y), (Color{10, 20, 30, 200}));
      } else {
        EXPECT_EQ(pixel(coloured, x, y), pixel(transparent, x, y));
        ++model_pixels;
      }
    }
  }
  EXPECT_GT(model_pixels, 0);
  // An empty model is all background.
  const Image empty = render_with(model_of({}), params);
  EXPECT_EQ(pixel(empty, 0, 0), (Color{10, 20, 30, 200}));
  EXPECT_EQ(pixel(empty, 47, 47), (Color{10, 20, 30, 200}));
}

TEST(RenderLook, FlatSettingsGiveThreeShadesOnAnyModel) {
  // With AO and shadows off a concave model still shows only the three flat shades of its one colour.
  ProjectState state = floor_of(6, kGrey);
  for (int z = 1; z < 4; ++z) {
    state.layers.back().volume.set({2, 2, z}, kGrey);
  }
  EXPECT_EQ(regions(render_with(state, look(View::iso, 96, false, false))).size(), 3U);
  EXPECT_GT(regions(render_with(state, look(View::iso, 96, true, true))).size(), 3U);
}

TEST(RenderLook, RendersAreDeterministic) {
  ProjectState state = floor_of(10, kBlue);
  state.layers.back().volume.set({4, 4, 1}, kRed);
  state.layers.back().volume.set({4, 4, 2}, kGreen);
  RenderParams params = look(View::iso, 80, true, true, true);
  EXPECT_EQ(render_with(state, params).rgba, render_with(state, params).rgba);
}

// --- the free camera ---

std::vector<bool> silhouette(const Image& image) {
  std::vector<bool> out;
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) {
    out.push_back(image.rgba[i] != 0);
  }
  return out;
}

TEST(RenderCamera, FreeCameraAtANamedViewsAnglesGivesItsSilhouette) {
  // An asymmetric model, so that any turn or mirror would show.
  const ProjectState state = model_of({{{0, 0, 0}, kRed},
                                       {{1, 0, 0}, kRed},
                                       {{2, 0, 0}, kGreen},
                                       {{0, 1, 0}, kBlue},
                                       {{0, 0, 1}, kGrey},
                                       {{0, 0, 2}, kGrey},
                                       {{2, 3, 1}, kBlue}});
  struct Angles {
    View view;
    double yaw;
    double pitch;
  };
  const double iso_pitch = std::atan(1.0 / std::sqrt(2.0)) * 180.0 / 3.14159265358979323846;
  for (const Angles& a : {Angles{View::front, 0, 0}, Angles{View::right, 90, 0}, Angles{View::back, 180, 0},
                          Angles{View::left, -90, 0}, Angles{View::left, 270, 0}, Angles{View::top, 0, 90},
                          Angles{View::bottom, 0, -90}, Angles{View::iso, 45, iso_pitch}}) {
    RenderParams named = look(a.view, 96, true, true);
    RenderParams free = named;
    free.view = View::free;
    free.camera.yaw = a.yaw;
    free.camera.pitch = a.pitch;
    const Image expected = render_with(state, named);
    const Image got = render_with(state, free);
    EXPECT_EQ(silhouette(got), silhouette(expected)) << view_name(a.view) << " yaw " << a.yaw << " pitch " << a.pitch;
    if (a.view != View::iso) {
      EXPECT_EQ(got.rgba, expected.rgba) << "exact angles give the same picture: " << view_name(a.view);
    }
  }
  // The default free camera is the iso view.
  RenderParams free = look(View::free, 96, true, true);
  EXPECT_EQ(silhouette(render_with(state, free)), silhouette(render_with(state, look(View::iso, 96, true, true))));
}

TEST(RenderCamera, YawTurnsTheModel) {
  // Red at +x of green: seen from the front red is right of green; a quarter turn (yaw 90, the right view)
  // looks along -x, so red is in front and hides green; yaw 180 puts red on the left.
  const ProjectState state = model_of({{{1, 0, 0}, kRed}, {{0, 0, 0}, kGreen}});
  RenderParams params = look(View::free, 64, false, false);
  params.camera.pitch = 0;
  params.camera.yaw = 0;
  auto mean_x = [](const Image& image, bool red) {
    for (const auto& [c, r] : regions(image)) {
      if ((Color::from_packed(c).r > 0) == red) {
        return r.mean_x;
      }
    }
    return -1.0;
  };
  Image image = render_with(state, params);
  EXPECT_GT(mean_x(image, true), mean_x(image, false));
  params.camera.yaw = 180;
  image = render_with(state, params);
  EXPECT_LT(mean_x(image, true), mean_x(image, false));
  params.camera.yaw = 90;
  image = render_with(state, params);
  EXPECT_EQ(regions(image).size(), 1U);
  EXPECT_GT(regions(image).begin()->first >> 24U, 0U) << "red in front";
}

TEST(RenderCamera, PerspectiveShowsFarThingsSmaller) {
  // A long strip along +y seen from the front, a little from above: its far end is narrower on the image.
  ProjectState state = model_of({});
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 6; ++x) {
      state.layers.back().volume.set({x, y, 0}, kGrey);
    }
  }
  RenderParams params = look(View::free, 128, true, true);
  params.camera.yaw = 0;
  params.camera.pitch = 20;
  auto row_widths = [](const Image& image) {
    std::vector<int> widths;
    for (int y = 0; y < image.height; ++y) {
      int w = 0;
      for (int x = 0; x < image.width; ++x) {
        w += pixel(image, x, y).a != 0 ? 1 : 0;
      }
      if (w > 0) {
        widths.push_back(w);
      }
    }
    return widths;
  };
  const std::vector<int> ortho = row_widths(render_with(state, params));
  ASSERT_GT(ortho.size(), 4U);
  EXPECT_LE(std::abs(ortho.front() - ortho.back()), 1) << "orthographic: parallel sides";
  params.camera.perspective = true;
  const std::vector<int> persp = row_widths(render_with(state, params));
  ASSERT_GT(persp.size(), 4U);
  EXPECT_LT(persp.front() * 3 / 2, persp.back()) << "perspective: the far end (top rows) is narrower";
  // A distance closer than the fitted one makes the model bigger.
  params.camera.distance = 40;
  const Region near = opaque_region(render_with(state, params));
  params.camera.distance = 400;
  const Region far = opaque_region(render_with(state, params));
  EXPECT_GT(near.count, far.count);
}

TEST(RenderCamera, OrthographicDistanceSetsTheScale) {
  const ProjectState state = model_of({{{0, 0, 0}, kBlue}});
  RenderParams params = look(View::free, 100, false, false);
  params.camera.yaw = 0;
  params.camera.pitch = 0;
  params.camera.distance = 10;
  const Region near = opaque_region(render_with(state, params));
  params.camera.distance = 20;
  const Region far = opaque_region(render_with(state, params));
  // 2 * d * tan(20 deg) voxels fill the height: one voxel is 100 / 7.28 = 13.7 pixels at d = 10, half at 20.
  EXPECT_NEAR(near.max_x - near.min_x + 1, 13.7, 1.0);
  EXPECT_NEAR(far.max_x - far.min_x + 1, 6.9, 1.0);
  EXPECT_NEAR((near.min_x + near.max_x) / 2.0, 49.5, 1.0) << "centred on the model";
}

TEST(RenderCamera, PerspectiveFromInsideTheModelIsSafe) {
  ProjectState state = model_of({});
  for (int z = 0; z < 20; ++z) {
    for (int y = 0; y < 20; ++y) {
      for (int x = 0; x < 20; ++x) {
        if (x == 0 || y == 0 || z == 0 || x == 19 || y == 19 || z == 19) {
          state.layers.back().volume.set({x, y, z}, kGrey);
        }
      }
    }
  }
  RenderParams params = look(View::free, 64, true, true, true);
  params.camera.perspective = true;
  params.camera.distance = 1;  // the eye is inside the hollow box: it sees the inner walls
  for (double yaw : {0.0, 33.0, 90.0, 200.0}) {
    for (double pitch : {-90.0, -45.0, 0.0, 60.0, 90.0}) {
      params.camera.yaw = yaw;
      params.camera.pitch = pitch;
      const Image image = render_with(state, params);
      ASSERT_EQ(image.rgba.size(), 64U * 64U * 4U);
    }
  }
}

TEST(RenderCamera, FarAwayCoordinatesRender) {
  // Voxels near the ends of voxd's coordinate range: neighbours and rays past the range hold nothing.
  const ProjectState state = model_of({{{kMaxCoord, kMaxCoord, kMaxCoord}, kRed},
                                       {{kMaxCoord - 1, kMaxCoord, kMaxCoord}, kRed},
                                       {{kMinCoord, kMinCoord, kMinCoord}, kBlue}});
  for (const View v : {View::iso, View::top, View::free}) {
    RenderParams params = look(v, 32, true, true, true);
    params.camera.perspective = v == View::free;
    EXPECT_TRUE(render(state, params).ok()) << view_name(v);
  }
}

TEST(RenderCamera, OutOfRangeNumbersAreRefusedWithTheirName) {
  const ProjectState state = model_of({{{0, 0, 0}, kRed}});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    double yaw;
    double pitch;
    double distance;
    const char* names;
  };
  for (const Case& c : {Case{0, 90.5, 0, "pitch"}, Case{0, -91, 0, "pitch"}, Case{0, nan, 0, "pitch"},
                        Case{361, 0, 0, "yaw"}, Case{-400, 0, 0, "yaw"}, Case{inf, 0, 0, "yaw"},
                        Case{0, 0, 0.5, "distance"}, Case{0, 0, -1, "distance"}, Case{0, 0, 2e6, "distance"},
                        Case{0, 0, nan, "distance"}}) {
    RenderParams params = look(View::free, 16, true, true);
    params.camera = FreeCamera{c.yaw, c.pitch, c.distance, true};
    const Result<Image> image = render(state, params);
    ASSERT_EQ(image.code(), ErrorCode::invalid_argument) << c.names;
    EXPECT_NE(image.error().message.find(c.names), std::string::npos) << image.error().message;
    // A named view ignores the free camera's numbers.
    params.view = View::top;
    EXPECT_TRUE(render(state, params).ok());
  }
  // The ends of the ranges are accepted.
  for (const Case& c : {Case{-360, -90, 1, ""}, Case{360, 90, 1e6, ""}, Case{0, 0, 0, ""}}) {
    RenderParams params = look(View::free, 16, true, true);
    params.camera = FreeCamera{c.yaw, c.pitch, c.distance, false};
    EXPECT_TRUE(render(state, params).ok()) << c.yaw << " " << c.pitch << " " << c.distance;
  }
  RenderParams params = look(View::free, 16, true, true);
  params.view = static_cast<View>(8);
  const Result<Image> bad_view = render(state, params);
  EXPECT_EQ(bad_view.code(), ErrorCode::invalid_argument);
  EXPECT_NE(bad_view.error().message.find("view"), std::string::npos);
  params.view = View::free;
  params.width = 4097;
  EXPECT_EQ(render(state, params).code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace voxd::core::formats
