// The Goxel methods: each reads goxel-daemon's parameters (by position or by name, with its defaults), sends the
// protocol request(s) that do the work through the daemon's own request path, and shapes the reply as
// goxel-daemon did. Nothing here edits a project itself.
#include <string>
#include <utility>
#include <vector>

#include "add_voxels.hpp"
#include "color.hpp"
#include "method_support.hpp"
#include "voxd/jsonrpc/params.hpp"

namespace voxd::goxel {

// ---- system methods -------------------------------------------------------------------------------------------

void add_system_methods(GoxelDispatcher& d) {
  d.add_sync("echo", [](CallContext&, const Request& r) { return r.params.is_null() ? json::object() : r.params; });
  d.add_sync("version", [](CallContext&, const Request&) {
    return json{{"version", kGoxelVersion}, {"voxd_version", VOXD_VERSION}, {"protocol", "JSON-RPC 2.0"}};
  });
  d.add_sync("status", [](CallContext& c, const Request&) {
    return json{{"status", "running"},
                {"version", kGoxelVersion},
                {"session", c.session->key},
                {"project", c.session->project}};
  });
  d.add("ping", [](CallContext& c, const Request&, Respond respond) {
    auto& b = c.link->builder();
    const auto body = pr::CreatePing(b);
    call(c, 0, pr::RequestBody::Ping, body.Union(), jsonrpc::code::kInternalError, "ping", std::move(respond),
         [](const pr::Response&) {
           return json{{"pong", true}};
         });
  });
  d.add_sync("list_methods", [&d](CallContext&, const Request&) { return json{{"methods", d.methods()}}; });
}

// ---- projects -------------------------------------------------------------------------------------------------

void add_project_methods(GoxelDispatcher& d) {
  d.add("goxel.create_project", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const std::string name = p.string_or(0, "name", "New Project");
    const auto width = p.integer_or(1, "width", 64, INT32_MIN, INT32_MAX);
    const auto height = p.integer_or(2, "height", 64, INT32_MIN, INT32_MAX);
    const auto depth = p.integer_or(3, "depth", 64, INT32_MIN, INT32_MAX);
    create_project(c, name, keep_current_param(p), kCreateProject, std::move(respond), [=](const pr::Response& reply) {
      return json{{"success", true},
                  {"name", name},
                  {"width", width > 0 ? width : 64},
                  {"height", height > 0 ? height : 64},
                  {"depth", depth > 0 ? depth : 64},
                  {"project", reply.result_as_ProjectCreated()->handle()}};
    });
  });

  // import_model (planned by their TypeScript client) opens any format voxd reads, as load_project does.
  const auto open_file = [](int app_code) {
    return [app_code](CallContext& c, const Request& r, Respond respond) {
      const Params p(r.params);
      const std::string path = p.string(0, "path");
      auto& b = c.link->builder();
      const auto body = pr::CreateOpenFile(b, b.CreateString(path));
      CallContext* context = &c;
      const bool keep = keep_current_param(p);
      call(c, 0, pr::RequestBody::OpenFile, body.Union(), app_code, "load project '" + path + "'",
           std::move(respond), [context, keep, path](const pr::Response& reply) {
             const std::uint64_t handle = reply.result_as_ProjectCreated()->handle();
             replace_current(*context, handle, keep);
             return json{{"success", true}, {"path", path}, {"project", handle}};
           });
    };
  };
  d.add("goxel.load_project", open_file(kLoadProject));
  d.add("goxel.import_model", open_file(kImportModel));

  const auto write_file = [](bool save) {
    return [save](CallContext& c, const Request& r, Respond respond) {
      const Params p(r.params);
      const std::string path = p.string(0, "path");
      const std::string format = p.string_or(1, "format", "");
      const int app_code = save ? kSaveProject : kExportModel;
      with_project(
          c, p, app_code, std::move(respond), [&c, path, format, save, app_code](std::uint64_t project, Respond done) {
            auto& b = c.link->builder();
            const auto path_offset = b.CreateString(path);
            const auto format_offset = format.empty() ? fb::Offset<fb::String>() : b.CreateString(format);
            const auto body = save ? pr::CreateSaveProject(b, path_offset, format_offset).Union()
                                   : pr::CreateExportProject(b, path_offset, format_offset).Union();
            call(c, project, save ? pr::RequestBody::SaveProject : pr::RequestBody::ExportProject, body, app_code,
                 save ? "save project" : "export model", std::move(done), [path, format](const pr::Response& reply) {
                   json result{{"success", true}, {"path", path}};
                   if (!format.empty()) result["format"] = format;
                   // voxd's addition to goxel-daemon's result: meshes say whether they are watertight.
                   const auto* written = reply.result_as_FileWritten();
                   if (written != nullptr && written->mesh() != nullptr) {
                     result["watertight"] = written->mesh()->watertight();
                   }
                   return result;
                 });
          });
    };
  };
  d.add("goxel.save_project", write_file(true));
  d.add("goxel.export_model", write_file(false));

  d.add("goxel.list_projects", [](CallContext& c, const Request&, Respond respond) {
    auto& b = c.link->builder();
    const auto body = pr::CreateListProjects(b);
    Session* session = c.session;
    call(c, 0, pr::RequestBody::ListProjects, body.Union(), jsonrpc::code::kInternalError, "list projects",
         std::move(respond), [session](const pr::Response& reply) {
           json projects = json::array();
           const auto* list = reply.result_as_ProjectList();
           if (list->projects() != nullptr) {
             for (const auto* project : *list->projects()) {
               projects.push_back({{"project", project->handle()},
                                   {"name", project->name() != nullptr ? project->name()->str() : ""},
                                   {"voxels", project->voxels()},
                                   {"layers", project->layers()},
                                   {"current", project->handle() == session->project}});
             }
           }
           return json{{"count", projects.size()}, {"projects", projects}};
         });
  });

  d.add("goxel.close_project", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const std::uint64_t named = named_project(p);
    const std::uint64_t project = named != 0 ? named : c.session->project;
    if (project == 0) jsonrpc::throw_invalid_params("no current project to close");
    auto& b = c.link->builder();
    const auto body = pr::CreateCloseProject(b);
    Session* session = c.session;
    call(c, project, pr::RequestBody::CloseProject, body.Union(), kCreateProject, "close project", std::move(respond),
         [session, project](const pr::Response&) {
           if (session->project == project) session->project = 0;
           return json{{"success", true}, {"project", project}};
         });
  });
}

// ---- voxels ---------------------------------------------------------------------------------------------------

void add_voxel_methods(GoxelDispatcher& d) {
  d.add("goxel.add_voxel", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto x = coord(p, 0, "x");
    const auto y = coord(p, 1, "y");
    const auto z = coord(p, 2, "z");
    const auto rgba = read_color(p, 3);
    const auto layer = layer_param(p, 7);
    with_project(c, p, kAddVoxel, std::move(respond), [&c, x, y, z, rgba, layer](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const pr::Voxel voxel(x, y, z, rgba);
      const auto body = pr::CreateSetVoxels(b, layer, b.CreateVectorOfStructs(&voxel, 1));
      call(c, project, pr::RequestBody::SetVoxels, body.Union(), kAddVoxel, "add voxel", std::move(done),
           [=](const pr::Response&) {
             return json{{"success", true},           {"x", x}, {"y", y}, {"z", z}, {"layer_id", layer},
                         {"color", color_array(rgba)}};
           });
    });
  });

  d.add("goxel.add_voxels", [](CallContext& c, const Request& r, Respond respond) {
    send_add_voxels(c, read_add_voxels_params(Params(r.params)), std::move(respond));
  });

  d.add("goxel.remove_voxel", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto x = coord(p, 0, "x");
    const auto y = coord(p, 1, "y");
    const auto z = coord(p, 2, "z");
    const auto layer = layer_param(p, 3);
    with_project(c, p, kRemoveVoxel, std::move(respond), [&c, x, y, z, layer](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const pr::Vec3 position(x, y, z);
      const auto body = pr::CreateRemoveVoxels(b, layer, b.CreateVectorOfStructs(&position, 1));
      call(c, project, pr::RequestBody::RemoveVoxels, body.Union(), kRemoveVoxel, "remove voxel", std::move(done),
           [=](const pr::Response&) {
             return json{{"success", true}, {"x", x}, {"y", y}, {"z", z}, {"layer_id", layer}};
           });
    });
  });

  d.add("goxel.get_voxel", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const auto x = coord(p, 0, "x");
    const auto y = coord(p, 1, "y");
    const auto z = coord(p, 2, "z");
    const auto layer = layer_param(p, 3);
    with_project(c, p, kGetVoxel, std::move(respond), [&c, x, y, z, layer](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const pr::Vec3 position(x, y, z);
      const auto body = pr::CreateGetVoxels(b, layer, b.CreateVectorOfStructs(&position, 1));
      call(c, project, pr::RequestBody::GetVoxels, body.Union(), kGetVoxel, "get voxel", std::move(done),
           [=](const pr::Response& reply) {
             const auto* colors = reply.result_as_Colors()->colors();
             const std::uint32_t rgba = (colors != nullptr && colors->size() == 1) ? colors->Get(0) : 0;
             return json{{"x", x}, {"y", y}, {"z", z}, {"exists", (rgba & 0xffU) > 0}, {"color", color_array(rgba)}};
           });
    });
  });
}

// ---- layers and status ------------------------------------------------------------------------------------------

json layer_json(const pr::LayerInfo& layer) {
  return {{"id", layer.id()},
          {"name", layer.name() != nullptr ? layer.name()->str() : ""},
          {"visible", layer.visible()},
          {"voxel_count", layer.voxels()}};
}

void add_layer_methods(GoxelDispatcher& d) {
  const auto list_layers = [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    with_project(c, p, jsonrpc::code::kInternalError, std::move(respond), [&c](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto body = pr::CreateListLayers(b);
      call(c, project, pr::RequestBody::ListLayers, body.Union(), jsonrpc::code::kInternalError, "list layers",
           std::move(done), [](const pr::Response& reply) {
             json layers = json::array();
             const auto* list = reply.result_as_LayerList();
             if (list->layers() != nullptr) {
               for (const auto* layer : *list->layers()) layers.push_back(layer_json(*layer));
             }
             return json{{"count", layers.size()}, {"layers", layers}, {"active_layer", list->active_layer()}};
           });
    });
  };
  d.add("goxel.list_layers", list_layers);
  d.add("goxel.get_layers", list_layers);  // the name their TypeScript client planned

  d.add("goxel.create_layer", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const std::string name = p.string_or(0, "name", "New Layer");
    const bool visible = p.boolean_or(4, "visible", true);
    with_project(c, p, kCreateLayer, std::move(respond), [&c, name, visible](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto body = pr::CreateAddLayer(b, b.CreateString(name));
      call(c, project, pr::RequestBody::AddLayer, body.Union(), kCreateLayer, "create layer", std::move(done),
           [name, visible](const pr::Response& reply) {
             return json{{"success", true},
                         {"name", name},
                         {"visible", visible},
                         {"layer_id", reply.result_as_LayerCreated()->layer()}};
           });
    });
  });

  d.add("goxel.get_status", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    with_project(c, p, jsonrpc::code::kInternalError, std::move(respond), [&c](std::uint64_t project, Respond done) {
      auto& b = c.link->builder();
      const auto body = pr::CreateGetProjectInfo(b);
      call(c, project, pr::RequestBody::GetProjectInfo, body.Union(), jsonrpc::code::kInternalError, "get status",
           std::move(done), [](const pr::Response& reply) {
             const auto* info = reply.result_as_ProjectInfo();
             const auto* box = info->bounding_box();
             const auto extent = [box](std::int32_t lo, std::int32_t hi) { return box != nullptr ? hi - lo + 1 : 0; };
             return json{{"version", kGoxelVersion},
                         {"layer_count", info->layers() != nullptr ? info->layers()->size() : 0},
                         {"read_only", false},
                         {"width", box != nullptr ? extent(box->min().x(), box->max().x()) : 0},
                         {"height", box != nullptr ? extent(box->min().y(), box->max().y()) : 0},
                         {"depth", box != nullptr ? extent(box->min().z(), box->max().z()) : 0},
                         {"project", info->handle()},
                         {"voxel_count", info->voxels()}};
           });
    });
  });

  d.add_sync("goxel.execute_script", [](CallContext&, const Request&) -> json {
    throw jsonrpc::RpcError(jsonrpc::Error{jsonrpc::code::kMethodNotFound,
                                           "goxel.execute_script is not supported by voxd: it embeds no script engine; "
                                           "send the operations as JSON-RPC calls instead",
                                           nullptr});
  });
}

void register_goxel_methods(GoxelDispatcher& dispatcher) {
  add_system_methods(dispatcher);
  add_project_methods(dispatcher);
  add_voxel_methods(dispatcher);
  add_layer_methods(dispatcher);
  add_edit_methods(dispatcher);
  add_query_methods(dispatcher);
  add_render_methods(dispatcher);
}

}  // namespace voxd::goxel
