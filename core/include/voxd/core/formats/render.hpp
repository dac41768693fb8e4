// A CPU render of the model (merged visible layers, solid voxels): orthographic, flat shading per face
// direction, transparent background, the model fitted to the frame. No GL.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "voxd/core/error.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/project.hpp"

namespace voxd::core::formats {

enum class View : std::int32_t { iso = 0, front = 1, back = 2, left = 3, right = 4, top = 5, bottom = 6 };

[[nodiscard]] std::optional<View> parse_view(std::string_view name) noexcept;
[[nodiscard]] std::string_view view_name(View view) noexcept;

struct RenderParams {
  View view = View::iso;
  int width = 512;   // 1..4096
  int height = 512;  // 1..4096
};

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4, row-major, top row first
};

[[nodiscard]] Result<Image> render(const ProjectState& state, const RenderParams& params);
// The render encoded as a PNG file.
[[nodiscard]] Result<Bytes> render_png(const ProjectState& state, const RenderParams& params);
// PNG encoding of any RGBA image (also used for .gox BL16 tiles).
[[nodiscard]] Result<Bytes> encode_png(const Image& image);
// PNG decoding to RGBA8, refusing images larger than max_pixels.
[[nodiscard]] Result<Image> decode_png(ByteView bytes, std::int64_t max_pixels);

}  // namespace voxd::core::formats
