// PNG encoding and decoding of RGBA8 images with libpng's simplified API, which handles libpng's
// setjmp/longjmp error path internally: no longjmp ever crosses a C++ frame of ours.
#include <png.h>

#include <cstdint>
#include <string>
#include <utility>

#include "voxd/core/formats/render.hpp"

namespace voxd::core::formats {
namespace {

constexpr int kMaxEncodeEdge = 1 << 16;

// Frees libpng's decoder state on every path out of decode_png.
class PngImageGuard {
 public:
  explicit PngImageGuard(png_image& image) noexcept : image_(&image) {}
  PngImageGuard(const PngImageGuard&) = delete;
  PngImageGuard& operator=(const PngImageGuard&) = delete;
  ~PngImageGuard() { png_image_free(image_); }

 private:
  png_image* image_;
};

std::string png_message(const png_image& image) {
  const std::string message(static_cast<const char*>(image.message));
  return message.empty() ? std::string("libpng failed") : message;
}

}  // namespace

Result<Bytes> encode_png(const Image& image) {
  if (image.width <= 0 || image.height <= 0 || image.width > kMaxEncodeEdge || image.height > kMaxEncodeEdge) {
    return make_error(ErrorCode::invalid_argument, "png: image size " + std::to_string(image.width) + "x" +
                                                       std::to_string(image.height) + " out of range");
  }
  const auto pixel_bytes = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4;
  if (image.rgba.size() != pixel_bytes) {
    return make_error(ErrorCode::invalid_argument, "png: rgba holds " + std::to_string(image.rgba.size()) +
                                                       " bytes, expected " + std::to_string(pixel_bytes));
  }
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = PNG_FORMAT_RGBA;

  // Compressed data rarely exceeds the raw size; when it does, libpng tells the size it needs.
  Bytes out(pixel_bytes + static_cast<std::size_t>(image.height) + 1024);
  for (int attempt = 0; attempt < 2; ++attempt) {
    png_alloc_size_t size = out.size();
    if (png_image_write_to_memory(&png, out.data(), &size, 0, image.rgba.data(), 0, nullptr) != 0) {
      out.resize(size);
      return out;
    }
    if (size <= out.size()) {
      return make_error(ErrorCode::internal, "png: encoding failed: " + png_message(png));
    }
    out.resize(size);
    png.warning_or_error = 0;
  }
  return make_error(ErrorCode::internal, "png: encoding failed: output size unstable");
}

Result<Image> decode_png(ByteView bytes, std::int64_t max_pixels) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  const PngImageGuard guard(png);
  if (png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()) == 0) {
    return make_error(ErrorCode::format, "png: " + png_message(png));
  }
  const std::int64_t pixels = std::int64_t{png.width} * std::int64_t{png.height};
  if (pixels > max_pixels) {
    return make_error(ErrorCode::limit_exceeded, "png: image of " + std::to_string(png.width) + "x" +
                                                     std::to_string(png.height) + " exceeds the limit of " +
                                                     std::to_string(max_pixels) + " pixels");
  }
  png.format = PNG_FORMAT_RGBA;
  Image image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.rgba.resize(static_cast<std::size_t>(pixels) * 4);
  if (png_image_finish_read(&png, nullptr, image.rgba.data(), 0, nullptr) == 0) {
    return make_error(ErrorCode::format, "png: " + png_message(png));
  }
  return image;
}

}  // namespace voxd::core::formats
