// The table of file formats and the look-ups over it. The table is constexpr: the registry holds no
// mutable state.
#include <algorithm>
#include <cstddef>
#include <string>

#include "codecs.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::core::formats {
namespace {

// Stable order: new formats go at the end. A C array, not std::array: GCC 12 places a constexpr
// std::array of pointers in writable .data.rel, a C array in read-only .data.rel.ro.
constexpr FileFormat kFormats[] = {kGoxFormat, kTxtFormat, kVoxFormat,  kObjFormat, kPlyFormat,
                                   kStlFormat, kPngFormat, kGltfFormat, kGlbFormat, kQbFormat};

constexpr char to_lower_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return to_lower_ascii(x) == to_lower_ascii(y); });
}

// "dir/a.b.GOX" -> "GOX", ".gox" -> "gox", "gox" -> "gox".
std::string_view extension_of(std::string_view path) noexcept {
  const std::size_t slash = path.find_last_of("/\\");
  if (slash != std::string_view::npos) {
    path.remove_prefix(slash + 1);
  }
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

}  // namespace

std::span<const FileFormat> all_formats() noexcept {
  return kFormats;
}

const FileFormat* format_for_path(std::string_view path_or_extension) noexcept {
  const std::string_view extension = extension_of(path_or_extension);
  if (extension.empty()) {
    return nullptr;
  }
  for (const FileFormat& format : kFormats) {
    std::string_view own = format.extension;
    own.remove_prefix(own.starts_with('.') ? 1 : 0);
    if (equals_ignoring_case(own, extension)) {
      return &format;
    }
  }
  return nullptr;
}

const FileFormat* format_for_content(ByteView head) noexcept {
  for (const FileFormat& format : kFormats) {
    if (format.matches != nullptr && format.matches(head)) {
      return &format;
    }
  }
  return nullptr;
}

Result<ProjectState> read_bytes(ByteView bytes, std::string_view name_hint, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return make_error(ErrorCode::limit_exceeded, "file of " + std::to_string(bytes.size()) +
                                                     " bytes exceeds max_file_bytes (" +
                                                     std::to_string(limits.max_file_bytes) + ")");
  }
  const FileFormat* format = format_for_content(bytes);
  if (format == nullptr) {
    format = format_for_path(name_hint);
  }
  if (format == nullptr) {
    return make_error(ErrorCode::unsupported, "unknown file format (name '" + std::string(name_hint) + "')");
  }
  if (format->read == nullptr) {
    return make_error(ErrorCode::unsupported, std::string(format->name) + " files can be written but not read");
  }
  Result<ProjectState> state = format->read(bytes, limits);
  if (state.ok()) {
    for (Layer& layer : state->layers) {
      layer.volume.compact();  // what an opened file costs is what its voxels need, as after an edit step
    }
  }
  return state;
}

Result<WriteReport> write_bytes(const ProjectState& state, std::string_view path_or_extension, Bytes& out,
                                const WriteOptions& options) {
  const FileFormat* format = format_for_path(path_or_extension);
  if (format == nullptr) {
    return make_error(ErrorCode::unsupported,
                      "no format for the extension of '" + std::string(path_or_extension) + "'");
  }
  if (format->write == nullptr) {
    return make_error(ErrorCode::unsupported, std::string(format->name) + " files can be read but not written");
  }
  out.clear();
  return format->write(state, out, options);
}

}  // namespace voxd::core::formats
