// The render as a PNG file. Kept apart from render.cpp so that linking render() alone does not pull in
// the PNG codec.
#include "voxd/core/formats/render.hpp"

#include "codecs.hpp"

namespace voxd::core::formats {

Result<Bytes> render_png(const ProjectState& state, const RenderParams& params) {
  Result<Image> image = render(state, params);
  if (!image.ok()) {
    return std::move(image).error();
  }
  return encode_png(*image);
}

}  // namespace voxd::core::formats

namespace voxd::core::formats {

Result<WriteReport> write_png(const ProjectState& state, Bytes& out, const WriteOptions& /*options*/) {
  Result<Bytes> bytes = render_png(state, RenderParams{});
  if (!bytes.ok()) {
    return std::move(bytes).error();
  }
  out = std::move(bytes).value();
  return WriteReport{};
}

}  // namespace voxd::core::formats
