// The Goxel read methods: regions, layers' voxels, bounding box, colour analysis and project info, in
// goxel-daemon's result shapes (colours as [r,g,b,a] and "#RRGGBBAA"), read through voxd's ReadBox and queries.
#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "color.hpp"
#include "color_analysis.hpp"
#include "method_support.hpp"

namespace voxd::goxel {

namespace {

constexpr std::int64_t kDefaultRegionLimit = 10000;  // goxel-daemon's page size for region reads

std::string hex(std::uint32_t rgba) {
  std::array<char, 10> text{};
  std::snprintf(text.data(), text.size(), "#%08X", rgba);  // NOLINT(cppcoreguidelines-pro-type-vararg)
  return text.data();
}

json box_json(const pr::Box3* box) {
  if (box == nullptr) return json{{"empty", true}};
  const auto& lo = box->min();
  const auto& hi = box->max();
  return json{{"empty", false},
              {"min", {lo.x(), lo.y(), lo.z()}},
              {"max", {hi.x(), hi.y(), hi.z()}},
              {"dimensions", {hi.x() - lo.x() + 1, hi.y() - lo.y() + 1, hi.z() - lo.z() + 1}}};
}

// Reads every voxel of `box` page by page, then answers with goxel's shape after the colour filter, offset and
// limit. The pages' voxels are kept only while reading one call.
struct RegionRead {
  CallContext* context = nullptr;
  std::uint64_t project = 0;
  std::uint32_t layer = 0;
  pr::Box3 box;
  std::optional<std::uint32_t> filter;
  std::int64_t offset = 0;
  std::int64_t limit = kDefaultRegionLimit;
  json voxels = json::array();
  std::int64_t matched = 0;
  Respond done;
};

void read_page(const std::shared_ptr<RegionRead>& read, const std::vector<std::uint8_t>& cursor) {
  auto& b = read->context->link->builder();
  const auto cursor_offset = cursor.empty() ? fb::Offset<fb::Vector<std::uint8_t>>() : b.CreateVector(cursor);
  const auto body = pr::CreateReadBox(b, read->layer, &read->box, pr::ReadBoxMode::sparse, cursor_offset);
  read->context->link->send(
      read->context->session->identity, read->project, pr::RequestBody::ReadBox, body.Union(),
      [read](const pr::Response& reply) {
        if (reply.status() != pr::Status::ok) {
          const std::string message = reply.message() != nullptr ? reply.message()->str() : "";
          fail(read->done, jsonrpc::Error{kQuery, "Failed to get voxels: " + message,
                                          json{{"voxd_status", pr::EnumNameStatus(reply.status())}}});
          return;
        }
        const auto* page = reply.result_as_VoxelPage();
        if (page->voxels() != nullptr) {
          for (const auto* voxel : *page->voxels()) {
            if (read->filter && voxel->rgba() != *read->filter) continue;
            const std::int64_t index = read->matched++;
            if (index < read->offset || index >= read->offset + read->limit) continue;
            read->voxels.push_back(
                {{"x", voxel->x()}, {"y", voxel->y()}, {"z", voxel->z()}, {"color", color_array(voxel->rgba())}});
          }
        }
        if (!page->done() && page->next_cursor() != nullptr) {
          read_page(read, std::vector<std::uint8_t>(page->next_cursor()->begin(), page->next_cursor()->end()));
          return;
        }
        succeed(read->done, json{{"voxels", read->voxels},
                                 {"count", read->voxels.size()},
                                 {"total", read->matched},
                                 {"truncated", read->matched > read->offset + read->limit},
                                 {"compressed", false}});
      });
}

std::optional<std::uint32_t> filter_param(const Params& p) {
  const auto* value = p.find(Params::kNoPosition, "color_filter");
  if (value == nullptr || value->is_null()) return std::nullopt;
  return color_value(*value);
}

void start_region_read(CallContext& c, std::uint64_t project, const Params& p, pr::Box3 box, Respond done) {
  auto read = std::make_shared<RegionRead>();
  read->context = &c;
  read->project = project;
  read->layer = layer_param(p, Params::kNoPosition);
  read->box = box;
  read->filter = filter_param(p);
  read->offset = p.integer_or(Params::kNoPosition, "offset", 0, 0, INT64_MAX);
  read->limit = p.integer_or(Params::kNoPosition, "limit", kDefaultRegionLimit, 0, INT64_MAX);
  read->done = std::move(done);
  read_page(read, {});
}

// Histogram entries most frequent first, as goxel-daemon's colour analysis reports them.
using Entries = std::vector<ColorCount>;
Entries entries_of(const pr::Response& reply) {
  Entries entries;
  const auto* histogram = reply.result_as_Histogram();
  if (histogram->entries() != nullptr) {
    for (const auto* entry : *histogram->entries()) entries.emplace_back(entry->rgba(), entry->count());
  }
  return entries;
}

void histogram_call(CallContext& c, const Params& p, std::string what, Respond respond,
                    std::function<json(Entries)> shape) {
  const auto layer = layer_param(p, Params::kNoPosition);
  const auto region = region_param(p);
  with_project(
      c, p, kQuery, std::move(respond),
      [&c, layer, region, what = std::move(what), shape = std::move(shape)](std::uint64_t project, Respond done) {
        auto& b = c.link->builder();
        const auto body = pr::CreateGetHistogram(b, layer, 0, region ? &*region : nullptr);
        call(c, project, pr::RequestBody::GetHistogram, body.Union(), kQuery, what, std::move(done),
             [shape](const pr::Response& reply) { return shape(entries_of(reply)); });
      });
}

}  // namespace

void add_query_methods(GoxelDispatcher& d) {
  d.add("goxel.get_voxels_region", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto* lo = p.find(Params::kNoPosition, "min");
    const auto* hi = p.find(Params::kNoPosition, "max");
    if (lo == nullptr) jsonrpc::throw_invalid_params("Parameter 'min' must be an array of 3 integers");
    if (hi == nullptr) jsonrpc::throw_invalid_params("Parameter 'max' must be an array of 3 integers");
    const pr::Box3 box(vec3_value(*lo, "min"), vec3_value(*hi, "max"));
    with_project(c, p, kQuery, std::move(respond), [&c, p, box](std::uint64_t project, Respond done) {
      start_region_read(c, project, p, box, std::move(done));
    });
  });

  d.add("goxel.get_layer_voxels", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    with_project(c, p, kQuery, std::move(respond), [&c, p](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto body = pr::CreateGetBoundingBox(b, layer_param(p, Params::kNoPosition));
      CallContext* context = &c;
      c.link->send(c.session->identity, project, pr::RequestBody::GetBoundingBox, body.Union(),
                   [context, project, p, done](const pr::Response& reply) {
                     if (reply.status() != pr::Status::ok) {
                       fail(done, jsonrpc::Error{kQuery, "Failed to get layer voxels", nullptr});
                       return;
                     }
                     const auto* box = reply.result_as_BoundingBox()->box();
                     if (box == nullptr) {
                       succeed(done, json{{"voxels", json::array()},
                                          {"count", 0},
                                          {"total", 0},
                                          {"truncated", false},
                                          {"compressed", false}});
                       return;
                     }
                     start_region_read(*context, project, p, *box, done);
                   });
    });
  });

  d.add("goxel.get_bounding_box", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto layer = layer_param(p, Params::kNoPosition);
    with_project(c, p, kQuery, std::move(respond), [&c, layer](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto body = pr::CreateGetBoundingBox(b, layer);
      call(c, project, pr::RequestBody::GetBoundingBox, body.Union(), kQuery, "get bounding box", std::move(done),
           [](const pr::Response& reply) { return box_json(reply.result_as_BoundingBox()->box()); });
    });
  });

  d.add("goxel.get_color_histogram", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const bool by_count = p.boolean_or(Params::kNoPosition, "sort_by_count", true);
    const auto top_n = p.integer_or(Params::kNoPosition, "top_n", 0, 0, INT32_MAX);
    const int bin_size = bin_size_param(p);
    histogram_call(c, p, "get color histogram", std::move(respond), [by_count, top_n, bin_size](Entries entries) {
      std::int64_t total = 0;
      for (const auto& entry : entries) total += entry.second;
      entries = group_colors(entries, bin_size);
      if (!by_count) std::sort(entries.begin(), entries.end());
      const std::size_t unique = entries.size();
      if (top_n > 0 && entries.size() > static_cast<std::size_t>(top_n))
        entries.resize(static_cast<std::size_t>(top_n));
      json histogram = json::array();
      for (const auto& [rgba, count] : entries) {
        histogram.push_back(
            {{"color", hex(rgba)},
             {"rgba", color_array(rgba)},
             {"count", count},
             {"percentage", total > 0 ? 100.0 * static_cast<double>(count) / static_cast<double>(total) : 0.0}});
      }
      json metadata{{"binned", bin_size > 1}};
      if (bin_size > 1) metadata["bin_size"] = bin_size;
      return json{{"histogram", histogram}, {"total_voxels", total}, {"unique_colors", unique}, {"metadata", metadata}};
    });
  });

  d.add("goxel.get_unique_colors", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const int bin_size = merge_bin_size_param(p);
    const bool by_count = p.boolean_or(Params::kNoPosition, "sort_by_count", false);
    histogram_call(c, p, "get unique colors", std::move(respond), [by_count, bin_size](Entries entries) {
      entries = group_colors(entries, bin_size);
      if (!by_count) std::sort(entries.begin(), entries.end());
      json colors = json::array();
      for (const auto& entry : entries)
        colors.push_back({{"hex", hex(entry.first)}, {"rgba", color_array(entry.first)}});
      return json{{"colors", colors}, {"count", colors.size()}};
    });
  });

  d.add("goxel.find_voxels_by_color", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto* color = p.find(0, "color");
    if (color == nullptr || !color->is_array() || color->size() < 3 || color->size() > 4) {
      jsonrpc::throw_invalid_params("Color parameter must be an array of [r,g,b] or [r,g,b,a]");
    }
    const std::uint32_t rgba = color_value(*color);
    const auto tolerance = static_cast<std::uint8_t>(p.integer_or(Params::kNoPosition, "tolerance", 0, 0, 255));
    const auto max_results =
        static_cast<std::uint32_t>(p.integer_or(Params::kNoPosition, "max_results", 0, 0, UINT32_MAX));
    const bool locations = p.boolean_or(Params::kNoPosition, "include_locations", true);
    const auto layer = layer_param(p, Params::kNoPosition);
    const auto region = region_param(p);
    with_project(
        c, p, kQuery, std::move(respond),
        [&c, rgba, tolerance, max_results, locations, layer, region](std::uint64_t project, Respond done) {
          auto& b = c.link->builder();
          const auto body = pr::CreateFindByColor(b, layer, rgba, tolerance, max_results, region ? &*region : nullptr);
          call(c, project, pr::RequestBody::FindByColor, body.Union(), kQuery, "find voxels by color", std::move(done),
               [rgba, locations, layer](const pr::Response& reply) {
                 const auto* found = reply.result_as_Positions();
                 json list = json::array();
                 std::size_t count = 0;
                 if (found->positions() != nullptr) {
                   count = found->positions()->size();
                   for (const auto* at : *found->positions()) {
                     if (locations)
                       list.push_back({{"x", at->x()}, {"y", at->y()}, {"z", at->z()}, {"layer_id", layer}});
                   }
                 }
                 json result{{"target_color", hex(rgba)}, {"match_count", count}, {"truncated", found->truncated()}};
                 if (locations) result["locations"] = list;
                 return result;
               });
        });
  });

  d.add("goxel.get_project_info", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    with_project(c, p, kQuery, std::move(respond), [&c](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto body = pr::CreateGetProjectInfo(b);
      call(c, project, pr::RequestBody::GetProjectInfo, body.Union(), kQuery, "get project info", std::move(done),
           [](const pr::Response& reply) {
             const auto* info = reply.result_as_ProjectInfo();
             return json{{"project", info->handle()},
                         {"name", info->name() != nullptr ? info->name()->str() : ""},
                         {"voxel_count", info->voxels()},
                         {"layer_count", info->layers() != nullptr ? info->layers()->size() : 0},
                         {"active_layer", info->active_layer()},
                         {"bounding_box", box_json(info->bounding_box())},
                         {"undo_depth", info->undo_depth()},
                         {"redo_depth", info->redo_depth()}};
           });
    });
  });
}

}  // namespace voxd::goxel
