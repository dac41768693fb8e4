// goxel.render_scene and the render bookkeeping methods. Their two parameter forms: legacy positional
// [output_path, width, height], and named {width, height, output_path, camera_preset, options: {return_mode,
// background_color}}. return_mode "file_path" (or no output_path) renders to a file the front names under --root
// and remembers (render_registry.hpp); the reply then has goxel's "file" object. cleanup_render removes the file
// through the daemon (RemoveFile) and forgets it.
#include <ctime>
#include <string>
#include <utility>

#include "color.hpp"
#include "method_support.hpp"

namespace voxd::goxel {

namespace {

pr::View view_of(const std::string& preset) {
  if (preset == "front") return pr::View::front;
  if (preset == "back") return pr::View::back;
  if (preset == "left") return pr::View::left;
  if (preset == "right") return pr::View::right;
  if (preset == "top") return pr::View::top;
  if (preset == "bottom") return pr::View::bottom;
  if (preset.empty() || preset == "iso" || preset == "isometric" || preset == "default") return pr::View::iso;
  jsonrpc::throw_invalid_params("camera_preset '" + preset +
                                "' is not one of iso, isometric, front, back, left, right, top, bottom");
}

json file_json(const RenderInfo& info) {
  return json{{"path", info.path},
              {"size", info.size},
              {"format", info.format},
              {"dimensions", {{"width", info.width}, {"height", info.height}}},
              {"checksum", "sha256:" + info.sha256},
              {"created_at", info.created_at},
              {"expires_at", info.expires_at},
              {"session_id", info.session}};
}

}  // namespace

void add_render_methods(GoxelDispatcher& d) {
  d.add("goxel.render_scene", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    std::string path;
    std::string preset;
    std::string mode;
    std::uint32_t background = 0xF0F0F0FFU;  // goxel-daemon's default grey
    if (p.by_position()) {
      path = p.string_or(0, "output_path", "");
    } else {
      path = p.string_or(Params::kNoPosition, "output_path", "");
      preset = p.string_or(Params::kNoPosition, "camera_preset", "");
      if (const auto* options = p.find(Params::kNoPosition, "options"); options != nullptr && options->is_object()) {
        const Params o(*options);
        mode = o.string_or(Params::kNoPosition, "return_mode", "");
        if (const auto* bg = o.find(Params::kNoPosition, "background_color"); bg != nullptr) background = color_value(*bg);
      }
    }
    const auto dimension = [&p](std::size_t index, const char* name) {
      const auto value = p.integer_or(p.by_position() ? index : Params::kNoPosition, name, 512, INT32_MIN, INT32_MAX);
      return static_cast<std::uint32_t>(value > 0 ? value : 512);
    };
    const auto width = dimension(1, "width");
    const auto height = dimension(2, "height");
    const auto view = view_of(preset);
    const bool managed = mode == "file_path" || path.empty();
    if (managed) path = c.renders->next_name(std::to_string(c.session->pid));
    with_project(c, p, kRenderScene, std::move(respond),
                 [&c, path, width, height, view, background, managed](std::uint64_t project, Respond done) {
                   auto& b = c.link->builder();
                   const auto path_offset = b.CreateString(path);
                   pr::RenderBuilder render(b);
                   render.add_view(view);
                   render.add_width(width);
                   render.add_height(height);
                   render.add_path(path_offset);
                   render.add_background(background);
                   const auto body = render.Finish();
                   RenderRegistry* renders = c.renders;
                   const std::string session = c.session->key;
                   call(c, project, pr::RequestBody::Render, body.Union(), kRenderScene, "render scene",
                        std::move(done), [=](const pr::Response& reply) {
                          const auto* written = reply.result_as_FileWritten();
                          const std::string where = written->path() != nullptr ? written->path()->str() : path;
                          if (!managed) {
                            return json{{"success", true}, {"width", width}, {"height", height},
                                        {"format", "png"}, {"output_path", where}};
                          }
                          const std::int64_t now = std::time(nullptr);
                          RenderInfo info{.path = where,
                                          .size = written->bytes(),
                                          .width = width,
                                          .height = height,
                                          .sha256 = written->sha256() != nullptr ? written->sha256()->str() : "",
                                          .created_at = now,
                                          .expires_at = now + RenderRegistry::kLifetimeSeconds,
                                          .session = session};
                          renders->add(info);
                          return json{{"success", true}, {"file", file_json(info)}};
                        });
                 });
  });

  d.add_sync("goxel.get_render_info", [](CallContext& c, const Request& r) {
    const Params p(r.params);
    const std::string path = p.string_or(0, "path", "");
    if (path.empty()) jsonrpc::throw_invalid_params("Must specify path parameter");
    const RenderInfo* info = c.renders->find(path);
    if (info == nullptr) throw jsonrpc::RpcError(jsonrpc::Error{kRenderInfo, "Render not found: " + path, nullptr});
    return json{{"success", true}, {"render", file_json(*info)}};
  });

  d.add_sync("goxel.list_renders", [](CallContext& c, const Request&) {
    json renders = json::array();
    for (const auto& entry : c.renders->all()) renders.push_back(file_json(entry.second));
    return json{{"success", true}, {"count", renders.size()}, {"renders", renders}};
  });

  // Removes the render's file through the daemon (RemoveFile, under the caller's root like the Render that
  // wrote it) and forgets the render. A file already gone is not the caller's failure: it is forgotten too.
  d.add("goxel.cleanup_render", [](CallContext& c, const Request& r, Respond respond) {
    const Params p(r.params);
    const std::string path = p.string_or(0, "path", "");
    if (path.empty()) jsonrpc::throw_invalid_params("Must specify path parameter");
    if (c.renders->find(path) == nullptr) {
      throw jsonrpc::RpcError(jsonrpc::Error{kCleanupRender, "Failed to cleanup render: not found: " + path, nullptr});
    }
    auto& b = c.link->builder();
    const auto body = pr::CreateRemoveFile(b, b.CreateString(path));
    RenderRegistry* renders = c.renders;
    c.link->send(c.session->identity, 0, pr::RequestBody::RemoveFile, body.Union(),
                 [renders, path, respond = std::move(respond)](const pr::Response& reply) {
                   if (reply.status() == pr::Status::ok || reply.status() == pr::Status::not_found) {
                     renders->remove(path);
                     succeed(respond, json{{"success", true},
                                           {"message", reply.status() == pr::Status::ok
                                                           ? "Render cleaned up successfully"
                                                           : "Render forgotten; its file was already gone"}});
                     return;
                   }
                   const std::string message = reply.message() != nullptr ? reply.message()->str() : "";
                   fail(respond, jsonrpc::Error{kCleanupRender, "Failed to cleanup render: " + message,
                                                json{{"voxd_status", pr::EnumNameStatus(reply.status())}}});
                 });
  });
}

}  // namespace voxd::goxel
