// voxctl convert (convert.hpp): read, transform, write, all in-process through core's format registry and
// fileio's bounded reads and atomic writes.
#include "convert.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "mesh_summary.hpp"
#include "output.hpp"
#include "voxd/core/formats/format.hpp"
#include "voxd/core/ops.hpp"
#include "voxd/fileio/file_io.hpp"

namespace voxd::voxctl {

namespace {

using core::ErrorCode;
using core::make_error;
using core::ProjectState;
using core::Volume;

// Inputs at least this big get progress lines on a terminal: smaller ones convert faster than one can read.
constexpr std::size_t kProgressBytes = 8U * 1024U * 1024U;

std::string mib(std::size_t bytes) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  return out.str();
}

// One line per stage on stderr; on a terminal each stage overwrites the last.
class Progress {
 public:
  Progress(std::ostream& err, bool enabled, bool terminal) : err_(&err), enabled_(enabled), terminal_(terminal) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { done(); }

  void stage(const std::string& text) {
    if (!enabled_) {
      return;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::ostringstream line;
    line.precision(1);
    line << std::fixed << "voxctl: convert: " << text << " (" << seconds << " s)";
    if (terminal_) {
      *err_ << '\r' << line.str() << "\033[K" << std::flush;
      open_line_ = true;
    } else {
      *err_ << line.str() << '\n' << std::flush;
    }
  }
  // Ends the overwritten line, so what follows starts on its own.
  void done() {
    if (open_line_) {
      *err_ << '\n' << std::flush;
      open_line_ = false;
    }
  }

 private:
  std::ostream* err_;
  bool enabled_;
  bool terminal_;
  bool open_line_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::int64_t voxels_of(const ProjectState& state) {
  std::int64_t total = 0;
  for (const auto& layer : state.layers) {
    total += layer.volume.voxel_count();
  }
  return total;
}

// The voxels of `volume` inside `box`: whole blocks inside are shared, not copied.
Volume cropped(const Volume& volume, const core::Box& box) {
  Volume out;
  volume.for_each_block([&](core::BlockCoord coord, const core::SharedBlock& block) {
    const core::Vec3i lo = coord.origin();
    const core::Vec3i hi{lo.x + core::kBlockEdge - 1, lo.y + core::kBlockEdge - 1, lo.z + core::kBlockEdge - 1};
    if (hi.x < box.min.x || lo.x > box.max.x || hi.y < box.min.y || lo.y > box.max.y || hi.z < box.min.z ||
        lo.z > box.max.z) {
      return;
    }
    if (box.contains(lo) && box.contains(hi)) {
      out.put_block(coord, block);
      return;
    }
    for (int i = 0; i < core::kBlockVoxels; ++i) {
      const core::Color c = block->get(i);
      const core::Vec3i p = lo + core::local_of_index(i);
      if (!c.empty() && box.contains(p)) {
        out.set(p, c);
      }
    }
  });
  return out;
}

// Every voxel becomes an n x n x n cube at (x n, y n, z n).
Volume scaled(const Volume& volume, int n) {
  Volume out;
  volume.for_each_voxel([&](core::Vec3i p, core::Color c) {
    const core::Vec3i lo{p.x * n, p.y * n, p.z * n};
    out.fill_box({lo, {lo.x + n - 1, lo.y + n - 1, lo.z + n - 1}}, c);
  });
  return out;
}

// A transform whose domain is a layer's (or the scene's) voxel grid, after every coordinate was multiplied by n:
// S M S^-1 with S = diag(n, n, n, 1). Voxel p of the layer was at M p; its voxels are now at n p, and
// S M S^-1 (n p) = n (M p), so the layer stays where it was in the scaled scene. For an affine M the 3x3 part
// is unchanged and the translation is multiplied by n (column-major: elements 12..14).
core::Matrix4 scaled(const core::Matrix4& m, int n) {
  core::Matrix4 out = m;
  const auto s = [n](int i) { return i < 3 ? static_cast<float>(n) : 1.0F; };
  for (int column = 0; column < 4; ++column) {
    for (int row = 0; row < 4; ++row) {
      out[static_cast<std::size_t>(column * 4 + row)] *= s(row) / s(column);
    }
  }
  return out;
}

// The working box covers the same voxels, scaled; clamped to the coordinate range (it is only a hint to editors).
core::Box scaled(const core::Box& box, int n) {
  const auto at = [](std::int64_t v) {
    return static_cast<std::int32_t>(std::clamp<std::int64_t>(v, core::kMinCoord, core::kMaxCoord));
  };
  return {{at(std::int64_t{box.min.x} * n), at(std::int64_t{box.min.y} * n), at(std::int64_t{box.min.z} * n)},
          {at((std::int64_t{box.max.x} + 1) * n - 1), at((std::int64_t{box.max.y} + 1) * n - 1),
           at((std::int64_t{box.max.z} + 1) * n - 1)}};
}

// The whole scene n times larger: voxels, layer transforms, the working box, and the cameras (their position,
// by the same S M S^-1, and their distance to the point they look at).
void scale_scene(ProjectState& state, int n) {
  for (auto& layer : state.layers) {
    layer.volume = scaled(layer.volume, n);
    layer.transform = scaled(layer.transform, n);
  }
  if (state.working_box) {
    state.working_box = scaled(*state.working_box, n);
  }
  for (auto& camera : state.cameras) {
    camera.transform = scaled(camera.transform, n);
    camera.distance *= static_cast<float>(n);
  }
}

core::Status check_scale(const ProjectState& state, const ConvertOptions& options, std::int64_t limit) {
  const std::int64_t n = options.scale;
  const std::int64_t voxels = voxels_of(state);
  const std::int64_t per_voxel = n * n * n;
  if (voxels > 0 && voxels > limit / per_voxel) {
    return make_error(ErrorCode::limit_exceeded, options.input + ": --scale " + std::to_string(n) + " makes " +
                                                     std::to_string(voxels) + " x " + std::to_string(per_voxel) +
                                                     " voxels, over the limit of " + std::to_string(limit) +
                                                     " (max_voxels)");
  }
  for (const auto& layer : state.layers) {
    const auto box = layer.volume.bounding_box();
    if (!box) {
      continue;
    }
    const bool fits =
        std::int64_t{box->min.x} * n >= core::kMinCoord && std::int64_t{box->min.y} * n >= core::kMinCoord &&
        std::int64_t{box->min.z} * n >= core::kMinCoord && (std::int64_t{box->max.x} + 1) * n - 1 <= core::kMaxCoord &&
        (std::int64_t{box->max.y} + 1) * n - 1 <= core::kMaxCoord &&
        (std::int64_t{box->max.z} + 1) * n - 1 <= core::kMaxCoord;
    if (!fits) {
      return make_error(ErrorCode::limit_exceeded, options.input + ": --scale " + std::to_string(n) + " puts layer '" +
                                                       layer.name + "' outside the coordinate range " +
                                                       std::to_string(core::kMinCoord) + ".." +
                                                       std::to_string(core::kMaxCoord));
    }
  }
  return core::Status::success();
}

// A layer name as part of a file name: no directory separators, control characters or dot-only names.
std::string file_part(const core::Layer& layer) {
  std::string out;
  for (const char ch : layer.name) {
    const auto u = static_cast<unsigned char>(ch);
    out += (ch == '/' || ch == '\\' || u < 0x20 || u == 0x7F) ? '_' : ch;
  }
  if (out.empty() || out.find_first_not_of('.') == std::string::npos) {
    out = "layer" + std::to_string(layer.id);
  }
  return out;
}

struct Written {
  std::string path;
  std::string format;
  std::size_t bytes = 0;
  std::size_t layers = 0;
  std::int64_t voxels = 0;
  bool lossy = false;
  std::string warning;
  std::vector<std::string> also_written;            // side files, written first (a .gltf's .bin)
  std::optional<core::formats::MeshTopology> mesh;  // mesh formats
};

core::Result<Written> write_one(const ProjectState& state, const std::string& path,
                                const core::formats::FileFormat& format, Progress& progress) {
  progress.stage("encoding " + path + " (" + std::string(format.name) + ")");
  core::formats::Bytes bytes;
  core::formats::WriteOptions options;
  if (format.name == "gltf") {
    options.gltf_buffer_file = core::formats::gltf_buffer_name_for(path);  // .gltf + .bin, as a file should be
  }
  auto report = core::formats::write_bytes(state, format.extension, bytes, options);
  if (!report.ok()) {
    return make_error(report.code(), path + ": " + report.error().message);
  }
  std::vector<std::string> also_written;
  for (const core::formats::SideFile& side : report->side_files) {  // first: the main file refers to them
    const std::string side_path = (std::filesystem::path(path).parent_path() / side.name).string();
    progress.stage("writing " + side_path + " (" + mib(side.bytes.size()) + ")");
    VOXD_TRY(fileio::write_file_atomically(side_path, side_path, side.bytes));
    also_written.push_back(side_path);
  }
  progress.stage("writing " + path + " (" + mib(bytes.size()) + ")");
  VOXD_TRY(fileio::write_file_atomically(path, path, bytes));
  return Written{path,          std::string(format.name), bytes.size(), state.layers.size(), voxels_of(state),
                 report->lossy, report->warning,          std::move(also_written), report->mesh};
}

std::string summary(const ConvertOptions& options, const std::string& in_format, std::size_t in_bytes,
                    std::size_t in_layers, std::int64_t in_voxels, const std::vector<Written>& written,
                    const std::vector<std::string>& warnings) {
  if (!options.json) {
    std::ostringstream text;
    for (const Written& w : written) {
      text << (&w == written.data() ? "" : "\n") << w.path << ' ' << w.format << ' ' << w.layers << " layers "
           << w.voxels << " voxels " << w.bytes << " bytes" << (w.lossy ? " lossy" : "")
           << (w.mesh ? ", " + mesh_phrase(*w.mesh) : "");
      for (const std::string& side : w.also_written) {
        text << "\n" << side << " (beside " << w.path << ")";
      }
    }
    return text.str();
  }
  std::vector<std::string> outputs;
  bool lossy = false;
  for (const Written& w : written) {
    lossy = lossy || w.lossy;
    std::vector<std::string> also;
    for (const std::string& side : w.also_written) {
      also.push_back(json_string(side));
    }
    outputs.push_back(JsonObject()
                          .add("path", w.path)
                          .add("format", w.format)
                          .add("bytes", std::uint64_t{w.bytes})
                          .add("layers", std::uint64_t{w.layers})
                          .add("voxels", w.voxels)
                          .add("lossy", w.lossy)
                          .add_raw("warning", w.warning.empty() ? "null" : json_string(w.warning))
                          .add_raw("also_written", json_array(also))
                          .add_raw("mesh", w.mesh ? mesh_json(*w.mesh) : "null")
                          .str());
  }
  std::vector<std::string> warning_items;
  for (const std::string& w : warnings) {
    warning_items.push_back(json_string(w));
  }
  std::string crop = "null";
  if (options.crop) {
    const core::Box& b = *options.crop;
    crop = "[" + std::to_string(b.min.x) + "," + std::to_string(b.min.y) + "," + std::to_string(b.min.z) + "," +
           std::to_string(b.max.x) + "," + std::to_string(b.max.y) + "," + std::to_string(b.max.z) + "]";
  }
  return JsonObject()
      .add_raw("input", JsonObject()
                            .add("path", options.input)
                            .add("format", in_format)
                            .add("bytes", std::uint64_t{in_bytes})
                            .add("layers", std::uint64_t{in_layers})
                            .add("voxels", in_voxels)
                            .str())
      .add_raw("outputs", json_array(outputs))
      .add_raw("crop", crop)
      .add("scale", std::int64_t{options.scale})
      .add("merge_layers", options.merge_layers)
      .add("split_layers", options.split_layers)
      .add("lossy", lossy || !warnings.empty())
      .add_raw("warnings", json_array(warning_items))
      .str();
}

}  // namespace

core::Result<std::string> convert(const ConvertOptions& options, std::ostream& err) {
  const core::formats::FileFormat* out_format = core::formats::format_for_path(options.output);
  if (out_format == nullptr || out_format->write == nullptr) {
    return make_error(ErrorCode::invalid_argument,
                      options.output +
                          ": no writable file format for this extension (.gox .vox .qb .txt .obj .ply "
                          ".stl .gltf .glb .png ...)");
  }
  const core::ReadLimits limits;
  fileio::ReadOptions read_options;
  read_options.max_bytes = limits.max_file_bytes;
  auto bytes = fileio::read_file(options.input, options.input, read_options);
  VOXD_TRY(bytes);
  Progress progress(err, options.progress || (bytes->size() >= kProgressBytes && ::isatty(STDERR_FILENO) == 1),
                    ::isatty(STDERR_FILENO) == 1);
  progress.stage("decoding " + options.input + " (" + mib(bytes->size()) + ")");
  auto read = core::formats::read_bytes(*bytes, options.input, limits);
  if (!read.ok()) {
    return make_error(read.code(), options.input + ": " + read.error().message);
  }
  ProjectState state = std::move(read).value();
  const core::formats::FileFormat* in_format = core::formats::format_for_content(*bytes);
  if (in_format == nullptr) {
    in_format = core::formats::format_for_path(options.input);
  }
  const std::size_t in_layers = state.layers.size();
  const std::int64_t in_voxels = voxels_of(state);
  std::vector<std::string> warnings;

  if (options.merge_layers) {
    progress.stage("merging " + std::to_string(in_layers) + " layers");
    std::size_t hidden = 0;
    for (const auto& layer : state.layers) {
      hidden += layer.visible ? 0 : 1;
    }
    if (hidden > 0) {
      warnings.push_back("--merge-layers left out " + std::to_string(hidden) + " hidden layer(s)");
    }
    core::Layer merged;
    merged.id = 1;
    merged.name = "merged";
    merged.volume = core::merged_visible(state);
    state.layers.clear();
    state.layers.push_back(std::move(merged));
    state.active_layer_id = 1;
    state.next_layer_id = 2;
  }
  if (options.crop) {
    progress.stage("cropping");
    for (auto& layer : state.layers) {
      layer.volume = cropped(layer.volume, *options.crop);
    }
  }
  if (options.scale != 1) {
    VOXD_TRY(check_scale(state, options, limits.max_voxels));
    progress.stage("scaling by " + std::to_string(options.scale));
    scale_scene(state, options.scale);
  }

  std::vector<Written> written;
  if (options.split_layers) {
    const std::filesystem::path out(options.output);
    const std::string stem = (out.parent_path() / out.stem()).string();
    const std::string extension = out.extension().string();
    std::set<std::string> used;
    for (std::size_t i = 0; i < state.layers.size(); ++i) {
      const core::Layer& layer = state.layers[i];
      std::string path = stem + "-" + file_part(layer) + extension;
      if (!used.insert(path).second) {  // two layers of one name: the id keeps the files apart
        path = stem + "-" + file_part(layer) + "-" + std::to_string(layer.id) + extension;
        used.insert(path);
      }
      ProjectState one;
      one.materials = state.materials;
      one.color_materials = state.color_materials;
      one.vox_layers = state.vox_layers;
      one.layers.push_back(layer);
      one.layers.back().visible = true;  // a layer alone in its file is what the file shows
      one.active_layer_id = layer.id;
      one.next_layer_id = state.next_layer_id;
      progress.stage("layer " + std::to_string(i + 1) + "/" + std::to_string(state.layers.size()));
      auto w = write_one(one, path, *out_format, progress);
      VOXD_TRY(w);
      written.push_back(std::move(w).value());
    }
  } else {
    auto w = write_one(state, options.output, *out_format, progress);
    VOXD_TRY(w);
    written.push_back(std::move(w).value());
  }
  progress.stage("done");
  progress.done();
  for (const Written& w : written) {
    if (!w.warning.empty()) {
      warnings.push_back(w.path + ": " + w.warning);
    }
  }
  if (!options.json) {
    for (const std::string& w : warnings) {
      err << "voxctl: warning: " << w << '\n';
    }
  }
  return summary(options, in_format != nullptr ? std::string(in_format->name) : "unknown", bytes->size(), in_layers,
                 in_voxels, written, warnings);
}

}  // namespace voxd::voxctl
