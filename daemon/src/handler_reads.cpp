// RequestHandler, reads: voxels by position, box pages, layers, queries.
#include "handler.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "convert.hpp"
#include "handler_support.hpp"
#include "read_box.hpp"
#include "voxd/core/ops.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Result;
using handler_support::layer_infos;
using protocol::RequestBody;
using protocol::ResultBody;

Result<RequestHandler::Reply> RequestHandler::get_voxels(Handle handle, const protocol::GetVoxels& request, Fb& fb) {
  std::vector<core::Vec3i> positions;
  if (request.positions() != nullptr) {
    const auto count = static_cast<std::int64_t>(request.positions()->size());
    if (count > services_.config.limits.max_voxels_per_request) {
      return make_error(ErrorCode::limit_exceeded,
                        "the request lists " + std::to_string(count) + " positions, over max_voxels_per_request (" +
                            std::to_string(services_.config.limits.max_voxels_per_request) + ")");
    }
    if (static_cast<std::size_t>(count) > reply_budget_items(sizeof(std::uint32_t))) {
      return make_error(ErrorCode::limit_exceeded,
                        "the colours of " + std::to_string(count) + " positions would pass max_reply_bytes (" +
                            std::to_string(services_.config.limits.max_reply_bytes) + "); ask in smaller requests");
    }
    positions.reserve(static_cast<std::size_t>(count));
    for (const protocol::Vec3* p : *request.positions()) {
      positions.push_back(to_core(*p));
    }
  }
  std::vector<std::uint32_t> colors;
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    auto found = core::get_voxels(**guard, request.layer(), positions);
    VOXD_TRY(found);
    colors.reserve(found->size());
    for (const core::Color c : *found) {
      colors.push_back(c.packed());
    }
  }
  return Reply{ResultBody::Colors, protocol::CreateColors(fb, fb.CreateVector(colors)).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::read_box(Handle handle, const protocol::ReadBox& request, Fb& fb) {
  auto box = to_core_box(request.box(), "box");
  VOXD_TRY(box);
  const bool dense = request.mode() == protocol::ReadBoxMode::dense;
  std::size_t page_voxels = reply_budget_items(dense ? sizeof(std::uint32_t) : sizeof(protocol::Voxel));
  if (request.max_voxels() > 0) {
    page_voxels = std::min<std::size_t>(page_voxels, request.max_voxels());
  }
  std::span<const std::uint8_t> cursor;
  if (request.cursor() != nullptr) {
    cursor = {request.cursor()->data(), request.cursor()->size()};
  }
  Result<BoxPage> page = make_error(ErrorCode::internal, "unread");
  {
    auto guard = services_.workspace.lock(handle);
    VOXD_TRY(guard);
    const core::Project& project = **guard;
    if (request.layer() == core::kVisibleLayers) {
      const core::Volume merged = core::merged_visible(project);
      page = read_box_page(merged, *box, request.mode(), cursor, page_voxels);
    } else {
      auto index = project.layer_index(request.layer());
      VOXD_TRY(index);
      page = read_box_page(project.layers()[*index].volume, *box, request.mode(), cursor, page_voxels);
    }
  }
  VOXD_TRY(page);
  const auto voxels = dense ? 0 : fb.CreateVectorOfStructs(page->voxels);
  const auto dense_values = dense ? fb.CreateVector(page->dense) : 0;
  const protocol::Box3 dense_box = to_wire(page->dense_box);
  const auto next = page->next_cursor.empty() ? 0 : fb.CreateVector(page->next_cursor);
  const auto offset =
      protocol::CreateVoxelPage(fb, voxels, dense_values, dense ? &dense_box : nullptr, next, page->done);
  return Reply{ResultBody::VoxelPage, offset.Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::list_layers(Handle handle, Fb& fb) {
  auto guard = services_.workspace.lock(handle);
  VOXD_TRY(guard);
  const auto layers = layer_infos(fb, **guard);
  return Reply{
      ResultBody::LayerList, protocol::CreateLayerList(fb, layers, (*guard)->effective_active_layer_id()).Union(), {}};
}

Result<RequestHandler::Reply> RequestHandler::query(Handle handle, const protocol::Request& request, Fb& fb) {
  auto guard = services_.workspace.lock(handle);
  VOXD_TRY(guard);
  const core::Project& project = **guard;
  switch (request.body_type()) {
    case RequestBody::GetBoundingBox: {
      auto box = core::bounding_box(project, request.body_as_GetBoundingBox()->layer());
      VOXD_TRY(box);
      const protocol::Box3 wire = box->has_value() ? to_wire(**box) : protocol::Box3{};
      return Reply{
          ResultBody::BoundingBox, protocol::CreateBoundingBox(fb, box->has_value() ? &wire : nullptr).Union(), {}};
    }
    case RequestBody::CountVoxels: {
      auto count = core::count_voxels(project, request.body_as_CountVoxels()->layer());
      VOXD_TRY(count);
      return Reply{ResultBody::Count, protocol::CreateCount(fb, *count).Union(), {}};
    }
    case RequestBody::GetHistogram: {
      const auto* body = request.body_as_GetHistogram();
      auto region = to_core_region(body->box(), "box");
      VOXD_TRY(region);
      auto histogram = core::color_histogram(project, body->layer(), *region);
      VOXD_TRY(histogram);
      std::size_t keep = std::min(histogram->size(), reply_budget_items(sizeof(protocol::ColorCount)));
      if (body->max_entries() > 0) {
        keep = std::min<std::size_t>(keep, body->max_entries());
      }
      std::vector<protocol::ColorCount> entries;
      entries.reserve(keep);
      for (std::size_t i = 0; i < keep; ++i) {
        entries.emplace_back((*histogram)[i].color.packed(), (*histogram)[i].count);
      }
      const auto offset = protocol::CreateHistogram(fb, fb.CreateVectorOfStructs(entries), histogram->size());
      return Reply{ResultBody::Histogram, offset.Union(), {}};
    }
    case RequestBody::GetUniqueColors: {
      const auto* body = request.body_as_GetUniqueColors();
      auto region = to_core_region(body->box(), "box");
      VOXD_TRY(region);
      auto colors = core::unique_colors(project, body->layer(), *region);
      VOXD_TRY(colors);
      if (colors->size() > reply_budget_items(sizeof(std::uint32_t))) {
        return make_error(ErrorCode::limit_exceeded, std::to_string(colors->size()) +
                                                         " colours do not fit in max_reply_bytes; use GetHistogram "
                                                         "with max_entries");
      }
      std::vector<std::uint32_t> packed;
      packed.reserve(colors->size());
      for (const core::Color c : *colors) {
        packed.push_back(c.packed());
      }
      return Reply{ResultBody::Colors, protocol::CreateColors(fb, fb.CreateVector(packed)).Union(), {}};
    }
    case RequestBody::FindByColor: {
      const auto* body = request.body_as_FindByColor();
      auto region = to_core_region(body->box(), "box");
      VOXD_TRY(region);
      std::size_t max_results = reply_budget_items(sizeof(protocol::Vec3));
      if (body->max_results() > 0) {
        max_results = std::min<std::size_t>(max_results, body->max_results());
      }
      // One more than wanted tells whether the list was cut.
      auto found = core::find_by_color(project, body->layer(), to_core_color(body->rgba()), body->tolerance(),
                                       static_cast<std::int64_t>(max_results) + 1, *region);
      VOXD_TRY(found);
      const bool truncated = found->size() > max_results;
      std::vector<protocol::Vec3> positions;
      positions.reserve(std::min(found->size(), max_results));
      for (std::size_t i = 0; i < found->size() && i < max_results; ++i) {
        positions.push_back(to_wire((*found)[i]));
      }
      const auto offset = protocol::CreatePositions(fb, fb.CreateVectorOfStructs(positions), truncated);
      return Reply{ResultBody::Positions, offset.Union(), {}};
    }
    default: break;
  }
  return make_error(ErrorCode::internal, "query() called with a non-query request");
}

}  // namespace voxd::daemon
