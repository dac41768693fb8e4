// PNG encoding and decoding of RGBA8 images (libpng).
#include <gtest/gtest.h>

#include <cstdint>

#include "formats_test_support.hpp"
#include "voxd/core/formats/render.hpp"

namespace voxd::test {
namespace {

using core::ErrorCode;
using core::formats::decode_png;
using core::formats::encode_png;
using core::formats::Image;

Image gradient(int width, int height) {
  Image image;
  image.width = width;
  image.height = height;
  image.rgba.resize(static_cast<std::size_t>(width * height * 4));
  for (std::size_t i = 0; i < image.rgba.size(); ++i) {
    image.rgba[i] = static_cast<std::uint8_t>((i * 37U) ^ (i >> 5U));
  }
  return image;
}

TEST(PngCodec, RoundTripIsExactIncludingAlpha) {
  const Image image = gradient(64, 64);
  const auto png = encode_png(image);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ((*png)[1], 'P');
  const auto back = decode_png(*png, 64 * 64);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->width, 64);
  EXPECT_EQ(back->height, 64);
  EXPECT_EQ(back->rgba, image.rgba);
}

TEST(PngCodec, IncompressibleImagesStillEncode) {
  Image image = gradient(7, 300);
  std::uint32_t state = 12345;
  for (auto& byte : image.rgba) {
    state = state * 1103515245U + 12345U;
    byte = static_cast<std::uint8_t>(state >> 16U);
  }
  const auto png = encode_png(image);
  ASSERT_TRUE(png.ok()) << png.error().message;
  const auto back = decode_png(*png, 7 * 300);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->rgba, image.rgba);
}

TEST(PngCodec, DecodeRefusesImagesOverThePixelCap) {
  const auto png = encode_png(gradient(100, 100));
  ASSERT_TRUE(png.ok());
  const auto back = decode_png(*png, 9999);
  EXPECT_EQ(back.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(back.error().message.find("100x100"), std::string::npos) << back.error().message;
}

TEST(PngCodec, DecodeRefusesGarbageAndTruncation) {
  EXPECT_EQ(decode_png(Bytes{1, 2, 3, 4}, 100).code(), ErrorCode::format);
  EXPECT_EQ(decode_png(Bytes{}, 100).code(), ErrorCode::format);
  auto png = encode_png(gradient(16, 16));
  ASSERT_TRUE(png.ok());
  png->resize(png->size() / 2);
  EXPECT_EQ(decode_png(*png, 256).code(), ErrorCode::format);
}

TEST(PngCodec, EncodeRefusesInconsistentImages) {
  Image image = gradient(4, 4);
  image.rgba.pop_back();
  EXPECT_EQ(encode_png(image).code(), ErrorCode::invalid_argument);
  image.width = 0;
  EXPECT_EQ(encode_png(image).code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace voxd::test
