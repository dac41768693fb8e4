#include "add_voxels.hpp"

#include <utility>

#include "color.hpp"

namespace voxd::goxel {

AddVoxelsCall read_add_voxels_params(const Params& p) {
  const auto& list = p.array(0, "voxels");
  AddVoxelsCall call;
  call.layer = layer_param(p, 1);
  call.project = named_project(p);
  call.voxels.reserve(list.size());
  for (const auto& item : list) {
    if (!item.is_object()) jsonrpc::throw_invalid_params("every element of 'voxels' must be an object");
    const Params v(item);
    call.voxels.emplace_back(coord(v, 0, "x"), coord(v, 1, "y"), coord(v, 2, "z"), read_color(v, 3));
  }
  return call;
}

void send_add_voxels(CallContext& c, AddVoxelsCall call, Respond respond) {
  const std::uint64_t named = call.project;
  with_project(c, named, kAddVoxel, std::move(respond),
               [&c, call = std::move(call)](std::uint64_t project, Respond done) {
                 auto& b = c.link->builder();
                 const auto body = pr::CreateSetVoxels(b, call.layer, b.CreateVectorOfStructs(call.voxels));
                 const auto count = call.voxels.size();
                 voxd::goxel::call(c, project, pr::RequestBody::SetVoxels, body.Union(), kAddVoxel, "add voxels",
                                   std::move(done), [count](const pr::Response&) {
                                     return json{{"success", true}, {"count", count}, {"voxels_added", count}};
                                   });
               });
}

}  // namespace voxd::goxel
