// The Goxel edit methods beyond single voxels: painting, flood fill, procedural shapes, goxel's batch, and layer
// edits. goxel-daemon's flood_fill added one voxel and procedural_shape drew only cubes; here each is the
// daemon's real operation (FloodFill, DrawShape), sent through the one request path.
#include <string>
#include <utility>
#include <vector>

#include "color.hpp"
#include "method_support.hpp"

namespace voxd::goxel {

namespace {

pr::Box3 box_of(std::int32_t x, std::int32_t y, std::int32_t z, std::int32_t sx, std::int32_t sy, std::int32_t sz) {
  return pr::Box3(pr::Vec3(x, y, z), pr::Vec3(x + sx - 1, y + sy - 1, z + sz - 1));
}

std::int64_t changed(const pr::Response& reply) {
  const auto* result = reply.result_as_Changed();
  return result != nullptr ? result->voxels() : 0;
}

// goxel-daemon's shape names onto voxd's shapes; nullopt for a name voxd does not draw.
std::optional<pr::ShapeKind> shape_kind(const std::string& name) {
  if (name == "cube" || name == "box") return pr::ShapeKind::box;
  if (name == "sphere" || name == "ellipsoid") return pr::ShapeKind::sphere;
  if (name == "cylinder") return pr::ShapeKind::cylinder;
  return std::nullopt;
}

// One layer edit whose goxel reply is {"success": true} plus `extra`.
void layer_edit(CallContext& c, const Params& p, pr::RequestBody type, fb::Offset<void> body, int app_code,
                std::string what, Respond respond, json extra) {
  // The body was built in the link's builder before the project was known; with_project may first create the
  // project, which needs the builder, so only named or current projects reach here (layer ids need one anyway).
  const std::uint64_t project = named_project(p) != 0 ? named_project(p) : c.session->project;
  if (project == 0) {
    c.link->builder().Clear();
    fail(respond, jsonrpc::Error{app_code, "Failed to " + what + ": no project (create or load one first)", nullptr});
    return;
  }
  call(c, project, type, body, app_code, std::move(what), std::move(respond), [extra](const pr::Response&) {
    json result{{"success", true}};
    result.update(extra);
    return result;
  });
}

}  // namespace

void add_edit_methods(GoxelDispatcher& d) {
  d.add("goxel.paint_voxels", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto x = coord(p, 0, "x");
    const auto y = coord(p, 1, "y");
    const auto z = coord(p, 2, "z");
    const auto rgba = read_color(p, 3);
    const auto layer = layer_param(p, 7);
    with_project(c, p, kPaintVoxels, std::move(respond), [&c, x, y, z, rgba, layer](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto box = box_of(x, y, z, 1, 1, 1);
      const auto body = pr::CreateDrawShape(b, layer, pr::ShapeKind::box, &box, rgba, pr::BlendMode::paint);
      call(c, project, pr::RequestBody::DrawShape, body.Union(), kPaintVoxels, "paint voxel", std::move(done),
           [](const pr::Response& reply) { return json{{"success", true}, {"painted", changed(reply)}}; });
    });
  });

  d.add("goxel.flood_fill", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto x = coord(p, 0, "x");
    const auto y = coord(p, 1, "y");
    const auto z = coord(p, 2, "z");
    const auto rgba = read_color(p, 3);
    const auto layer = layer_param(p, 7);
    const auto tolerance = static_cast<std::uint8_t>(p.integer_or(Params::kNoPosition, "tolerance", 0, 0, 255));
    with_project(c, p, kFloodFill, std::move(respond),
                 [&c, x, y, z, rgba, layer, tolerance](std::uint64_t project, Respond done) {
                   auto& b = c.link->builder();
                   const pr::Vec3 seed(x, y, z);
                   const auto body = pr::CreateFloodFill(b, layer, &seed, rgba, tolerance);
                   call(c, project, pr::RequestBody::FloodFill, body.Union(), kFloodFill, "perform flood fill",
                        std::move(done), [](const pr::Response& reply) {
                          return json{{"success", true}, {"voxels_filled", changed(reply)}};
                        });
                 });
  });

  d.add("goxel.procedural_shape", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const std::string name = p.string_or(0, "shape_type", "cube");
    const auto kind = shape_kind(name);
    if (!kind) {
      throw jsonrpc::RpcError(jsonrpc::Error{
          kProceduralShape, "Shape type '" + name + "' is not supported: voxd draws cube (box), sphere, cylinder",
          nullptr});
    }
    const auto size = [&p](std::size_t index, const char* key) {
      const auto value = p.integer_or(index, key, 10, INT32_MIN, INT32_MAX);
      return static_cast<std::int32_t>(value > 0 ? value : 10);
    };
    const auto sx = size(1, "size_x");
    const auto sy = size(2, "size_y");
    const auto sz = size(3, "size_z");
    const auto cx = static_cast<std::int32_t>(p.integer_or(4, "center_x", 0));
    const auto cy = static_cast<std::int32_t>(p.integer_or(5, "center_y", 0));
    const auto cz = static_cast<std::int32_t>(p.integer_or(6, "center_z", 0));
    const auto rgba = read_color(p, 7);
    const auto layer = layer_param(p, 11);
    // goxel-daemon's cube spans center - size/2 .. center + size/2 - 1 on each axis.
    const auto box = box_of(cx - sx / 2, cy - sy / 2, cz - sz / 2, sx, sy, sz);
    with_project(c, p, kProceduralShape, std::move(respond),
                 [&c, name, kind, box, rgba, layer](std::uint64_t project, Respond done) {
                   auto& b = c.link->builder();
                   const auto body = pr::CreateDrawShape(b, layer, *kind, &box, rgba, pr::BlendMode::over);
                   call(c, project, pr::RequestBody::DrawShape, body.Union(), kProceduralShape, "draw " + name,
                        std::move(done), [name](const pr::Response& reply) {
                          return json{{"success", true}, {"shape_type", name}, {"voxels_created", changed(reply)}};
                        });
                 });
  });

  // goxel-daemon's batch: {"operations": [{"type": "add_voxel", x, y, z, r, g, b, a}, ...]}; operations it does
  // not know are counted as unsuccessful, as there. voxd also takes "remove_voxel". One protocol Batch, so the
  // operations apply in order and as one undo step.
  d.add("goxel.batch_operations", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto* operations = p.find(0, "operations");
    if (operations == nullptr || !operations->is_array()) jsonrpc::throw_invalid_params("Must specify operations array");
    std::vector<std::pair<bool, pr::Voxel>> edits;  // (add, voxel)
    for (const auto& op : *operations) {
      if (!op.is_object() || !op.contains("type") || !op["type"].is_string()) continue;
      const std::string type = op["type"].get<std::string>();
      if ((type != "add_voxel" && type != "remove_voxel") || !op.contains("x") || !op.contains("y") ||
          !op.contains("z")) {
        continue;
      }
      const Params v(op);
      const bool add = type == "add_voxel";
      edits.emplace_back(add, pr::Voxel(coord(v, 0, "x"), coord(v, 1, "y"), coord(v, 2, "z"), add ? read_color(v, 3) : 0));
    }
    const auto total = operations->size();
    const auto successful = edits.size();
    with_project(c, p, kAddVoxel, std::move(respond),
                 [&c, edits = std::move(edits), total, successful](std::uint64_t project, Respond done) {
                   auto& b = c.link->builder();
                   std::vector<fb::Offset<pr::BatchOperation>> ops;
                   ops.reserve(edits.size());
                   for (const auto& [add, voxel] : edits) {
                     if (add) {
                       const auto set = pr::CreateSetVoxels(b, 0, b.CreateVectorOfStructs(&voxel, 1));
                       ops.push_back(pr::CreateBatchOperation(b, pr::EditOperation::SetVoxels, set.Union()));
                     } else {
                       const pr::Vec3 position(voxel.x(), voxel.y(), voxel.z());
                       const auto remove = pr::CreateRemoveVoxels(b, 0, b.CreateVectorOfStructs(&position, 1));
                       ops.push_back(pr::CreateBatchOperation(b, pr::EditOperation::RemoveVoxels, remove.Union()));
                     }
                   }
                   const auto body = pr::CreateBatch(b, b.CreateVector(ops));
                   call(c, project, pr::RequestBody::Batch, body.Union(), kAddVoxel, "run batch operations",
                        std::move(done), [total, successful](const pr::Response&) {
                          return json{{"success", true},
                                      {"total_operations", total},
                                      {"successful_operations", successful}};
                        });
                 });
  });

  d.add("goxel.clear_voxels", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto layer = layer_param(p, 0);
    with_project(c, p, kClearVoxels, std::move(respond), [&c, layer](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto body = pr::CreateClearLayer(b, layer);
      call(c, project, pr::RequestBody::ClearLayer, body.Union(), kClearVoxels, "clear voxels", std::move(done),
           [](const pr::Response& reply) { return json{{"success", true}, {"voxels_removed", changed(reply)}}; });
    });
  });

  d.add("goxel.delete_layer", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto id = p.integer_or(0, "layer_id", 0, INT64_MIN, UINT32_MAX);
    const std::string name = p.string_or(1, "layer_name", "");
    if (id <= 0 && name.empty()) jsonrpc::throw_invalid_params("Must specify either layer_id or layer_name");
    if (id > 0) {
      auto& b = c.link->builder();
      const auto body = pr::CreateRemoveLayer(b, static_cast<std::uint32_t>(id));
      layer_edit(c, p, pr::RequestBody::RemoveLayer, body.Union(), kDeleteLayer, "delete layer", std::move(respond),
                 json::object());
      return;
    }
    // By name: look the id up, then remove it (two requests; a layer renamed in between is not found).
    with_project(c, p, kDeleteLayer, std::move(respond), [&c, name](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto body = pr::CreateListLayers(b);
      CallContext* context = &c;
      c.link->send(c.session->identity, project, pr::RequestBody::ListLayers, body.Union(),
                   [context, project, name, done](const pr::Response& reply) {
                     const auto* list = reply.result_as_LayerList();
                     std::uint32_t found = 0;
                     if (reply.status() == pr::Status::ok && list != nullptr && list->layers() != nullptr) {
                       for (const auto* layer : *list->layers()) {
                         if (layer->name() != nullptr && layer->name()->str() == name) found = layer->id();
                       }
                     }
                     if (found == 0) {
                       fail(done, jsonrpc::Error{kDeleteLayer, "Failed to delete layer: no layer named '" + name + "'",
                                                 nullptr});
                       return;
                     }
                     auto& builder = context->link->builder();
                     const auto remove = pr::CreateRemoveLayer(builder, found);
                     call(*context, project, pr::RequestBody::RemoveLayer, remove.Union(), kDeleteLayer,
                          "delete layer", done, [](const pr::Response&) { return json{{"success", true}}; });
                   });
    });
  });

  d.add("goxel.merge_layers", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto source = p.integer_or(0, "source_layer_id", 0, INT64_MIN, UINT32_MAX);
    const auto target = p.integer_or(1, "target_layer_id", 0, INT64_MIN, UINT32_MAX);
    if (source <= 0 || target <= 0) {
      jsonrpc::throw_invalid_params("Must specify valid source_layer_id and target_layer_id");
    }
    auto& b = c.link->builder();
    const auto body =
        pr::CreateMergeLayers(b, static_cast<std::uint32_t>(source), static_cast<std::uint32_t>(target));
    layer_edit(c, p, pr::RequestBody::MergeLayers, body.Union(), kMergeLayers, "merge layers", std::move(respond),
               json::object());
  });

  d.add("goxel.set_layer_visibility", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto id = p.integer_or(0, "layer_id", 0, INT64_MIN, UINT32_MAX);
    const bool visible = p.boolean_or(1, "visible", true);
    if (id <= 0) jsonrpc::throw_invalid_params("Must specify valid layer_id");
    auto& b = c.link->builder();
    const auto body = pr::CreateSetLayerVisible(b, static_cast<std::uint32_t>(id), visible);
    layer_edit(c, p, pr::RequestBody::SetLayerVisible, body.Union(), kLayerVisibility, "set layer visibility",
               std::move(respond), json{{"visible", visible}});
  });

  d.add("goxel.set_active_layer", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto id = p.integer_or(0, "layer_id", 0, INT64_MIN, UINT32_MAX);
    if (id <= 0) jsonrpc::throw_invalid_params("Must specify valid layer_id");
    auto& b = c.link->builder();
    const auto body = pr::CreateSelectLayer(b, static_cast<std::uint32_t>(id));
    layer_edit(c, p, pr::RequestBody::SelectLayer, body.Union(), kSetActiveLayer, "set active layer",
               std::move(respond), json{{"layer_id", id}});
  });
}

}  // namespace voxd::goxel
