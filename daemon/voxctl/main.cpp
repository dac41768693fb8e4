// voxctl: the command-line client of voxd. The contract (scripts rely on it; see docs/daemon.md):
//   voxctl [--endpoint E] [--json] COMMAND ...   exit 0 on success, else non-zero + one line on stderr.
// Paths given to open/save/export/render are the daemon's, relative to its --root; "-" means stdin/stdout.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "client.hpp"
#include "convert.hpp"
#include "curve_keys.hpp"
#include "endpoint.hpp"
#include "mesh_summary.hpp"
#include "output.hpp"
#include "voxd/core/blend_mode.hpp"
#include "voxd/core/color.hpp"
#include "voxd/core/formats/contact_sheet.hpp"
#include "voxd/core/formats/render.hpp"

namespace {

using voxd::voxctl::Client;
using voxd::voxctl::json_array;
using voxd::voxctl::json_string;
using voxd::voxctl::JsonObject;
using voxd::voxctl::mesh_json;
using voxd::voxctl::mesh_phrase;
using voxd::voxctl::Reply;
namespace protocol = voxd::protocol;
using Fb = flatbuffers::FlatBufferBuilder;
using Body = protocol::RequestBody;

// A failure to report on stderr; the exit status is 1 (daemon errors) or 2 (bad command line).
struct Failure : std::runtime_error {
  Failure(const std::string& message, int status) : std::runtime_error(message), exit_status(status) {}
  int exit_status;
};

[[noreturn]] void usage(const std::string& message) {
  throw Failure(message, 2);
}

std::int64_t parse_integer(const std::string& text, const char* what) {
  std::int64_t value = 0;
  int base = 10;
  std::string_view digits = text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    usage(std::string("not a valid ") + what + ": '" + text + "'");
  }
  return value;
}

std::uint64_t parse_handle(const std::string& text) {
  std::uint64_t value = 0;
  std::string_view digits = text;
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc() || end != digits.data() + digits.size() || value == 0) {
    usage("not a project handle: '" + text + "'");
  }
  return value;
}

std::int32_t parse_coord(const std::string& text) {
  const std::int64_t value = parse_integer(text, "coordinate");
  if (value < INT32_MIN || value > INT32_MAX) {
    usage("coordinate out of range: " + text);
  }
  return static_cast<std::int32_t>(value);
}

std::uint32_t parse_color(const std::string& text) {
  const auto color = voxd::core::parse_hex_color(text);
  if (!color) {
    usage("not a colour (rrggbbaa): '" + text + "'");
  }
  return color->packed();
}

std::string hex(std::uint32_t rgba) {
  return voxd::core::to_hex(voxd::core::Color::from_packed(rgba));
}

std::string box_text(const protocol::Box3& b) {
  std::ostringstream out;
  out << b.min().x() << ' ' << b.min().y() << ' ' << b.min().z() << ' ' << b.max().x() << ' ' << b.max().y() << ' '
      << b.max().z();
  return out.str();
}

std::string box_json(const protocol::Box3& b) {
  std::ostringstream out;
  out << "{\"min\":[" << b.min().x() << ',' << b.min().y() << ',' << b.min().z() << "],\"max\":[" << b.max().x() << ','
      << b.max().y() << ',' << b.max().z() << "]}";
  return out.str();
}

std::vector<std::uint8_t> read_all(std::istream& in) {
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Shared state of one voxctl run.
struct Context {
  std::string endpoint;
  bool json = false;
  int timeout_ms = 30000;
  std::string curve_server_key;
  std::string curve_secret_file;
  std::unique_ptr<Client> client;

  Reply call(std::uint64_t project, Body type, const Client::BodyBuilder& body) {
    if (!client) {
      client = std::make_unique<Client>(endpoint, std::chrono::milliseconds(timeout_ms), curve_keys());
    }
    auto reply = client->call(project, type, body);
    if (!reply) {
      const std::string name(voxd::core::error_code_name(reply.code()));
      const std::string& message = reply.error().message;
      // Core messages may already start with the code's name ("stale handle: ...").
      throw Failure(message.rfind(name, 0) == 0 ? message : name + ": " + message, 1);
    }
    return std::move(reply).value();
  }
  // Both CURVE options or neither; the key and the certificate are checked before anything is sent.
  [[nodiscard]] voxd::voxctl::ClientCurveKeys curve_keys() const {
    if (curve_server_key.empty() != curve_secret_file.empty()) {
      usage("--curve-server-key and --curve-secret-file go together (make a key pair with: voxctl keygen FILE)");
    }
    if (curve_server_key.empty()) {
      return {};
    }
    if (auto checked = voxd::daemon::check_z85_key(curve_server_key, "--curve-server-key"); !checked) {
      usage(checked.error().message);
    }
    auto certificate = voxd::daemon::read_certificate(curve_secret_file, true);
    if (!certificate) {
      throw Failure("--curve-secret-file: " + certificate.error().message, 2);
    }
    return {curve_server_key, certificate->public_key, certificate->secret_key};
  }
  // Prints the plain text, or the JSON object with --json.
  void print(const std::string& text, const JsonObject& object) const {
    std::cout << (json ? object.str() : text) << '\n';
  }
  void print_ok() const { print("ok", JsonObject().add("ok", true)); }
};

std::string layer_json(const protocol::LayerInfo& layer) {
  return JsonObject()
      .add("id", std::uint64_t{layer.id()})
      .add("name", layer.name() != nullptr ? layer.name()->string_view() : "")
      .add("visible", layer.visible())
      .add("voxels", layer.voxels())
      .add("index", std::uint64_t{layer.index()})
      .str();
}

void print_changed(Context& ctx, const Reply& reply) {
  const auto* changed = reply.response->result_as_Changed();
  const std::int64_t voxels = changed != nullptr ? changed->voxels() : 0;
  ctx.print(std::to_string(voxels), JsonObject().add("changed", voxels));
}

voxd::core::formats::MeshTopology topology_of(const protocol::MeshReport& m) {
  return {m.faces(), m.triangles(), m.boundary_edges(), m.nonmanifold_edges(), m.inconsistent_edges(), m.watertight()};
}

// Writes bytes of a FileData/FileWritten result: to stdout for "-", else prints the daemon's path, and for a
// mesh a second line with its topology ("mesh: 26 triangles, watertight").
void print_file_result(Context& ctx, const Reply& reply) {
  if (const auto* data = reply.response->result_as_FileData(); data != nullptr) {
    if (data->data() != nullptr) {
      std::cout.write(reinterpret_cast<const char*>(data->data()->data()),  // NOLINT: bytes to a stream
                      static_cast<std::streamsize>(data->data()->size()));
    }
    std::cout.flush();
    return;
  }
  const auto* written = reply.response->result_as_FileWritten();
  if (written == nullptr) {
    throw Failure("protocol: unexpected reply", 1);
  }
  if (written->warning() != nullptr) {
    std::cerr << "voxctl: warning: " << written->warning()->str() << '\n';
  }
  // Side files (a .gltf's .bin) were written first; the text output lists them after the main file, then the
  // mesh's topology.
  std::vector<std::string> also;
  std::string text = written->path()->str();
  if (written->also_written() != nullptr) {
    for (const flatbuffers::String* side : *written->also_written()) {
      also.push_back(json_string(side->string_view()));
      text += "\n" + side->str();
    }
  }
  if (written->mesh() != nullptr) {
    text += "\nmesh: " + mesh_phrase(topology_of(*written->mesh()));
  }
  ctx.print(text, JsonObject()
                      .add("path", written->path()->string_view())
                      .add("bytes", written->bytes())
                      .add("lossy", written->lossy())
                      .add("sha256", written->sha256() != nullptr ? written->sha256()->string_view() : std::string_view())
                      .add_raw("also_written", json_array(also))
                      .add_raw("mesh", written->mesh() != nullptr ? mesh_json(topology_of(*written->mesh())) : "null"));
}

flatbuffers::Offset<flatbuffers::String> optional_path(Fb& fb, const std::string& path) {
  return path == "-" ? 0 : fb.CreateString(path);
}

}  // namespace

int main(int argc, char** argv) {
  Context ctx;
  ctx.endpoint = voxd::daemon::client_default_endpoint();
  CLI::App app{"voxctl - command-line client of the voxd daemon (docs/daemon.md)"};
  app.option_defaults()->always_capture_default();
  app.require_subcommand(1);
  app.add_option("--endpoint", ctx.endpoint, "The daemon's endpoint (default: $VOXD_ENDPOINT or voxd's default)");
  app.add_flag("--json", ctx.json, "Print results as JSON");
  app.add_option("--timeout-ms", ctx.timeout_ms, "How long to wait for an answer")->check(CLI::PositiveNumber);
  app.add_option("--curve-server-key", ctx.curve_server_key,
                 "The daemon's CURVE public key (Z85), for its tcp endpoints (docs/security.md)")
      ->envname("VOXD_CURVE_SERVER_KEY");
  app.add_option("--curve-secret-file", ctx.curve_secret_file,
                 "This client's CURVE certificate with its secret key (made by voxctl keygen)")
      ->envname("VOXD_CURVE_SECRET_FILE");

  std::vector<std::string> args;
  std::uint32_t layer = 0;
  std::string mode = "add";
  std::string view = "iso";
  std::string size = "512x512";
  std::string name;
  bool from_stdin = false;
  int tolerance = 0;
  voxd::core::formats::RenderParams look;  // render's options; the size and view come from --size / --view
  std::string background;
  std::vector<std::string> sheet;  // render --sheet: the views of a contact sheet

  auto command = [&](const char* cmd, const char* help, const char* positional_help) {
    CLI::App* sub = app.add_subcommand(cmd, help);
    if (positional_help != nullptr) {
      sub->add_option("args", args, positional_help);
    }
    return sub;
  };
  command("keygen", "Writes a new CURVE key pair: FILE (secret, mode 0600) and FILE.pub; prints the public key",
          "FILE");
  command("ping", "Checks the daemon answers", nullptr);
  command("stats", "Daemon statistics: uptime, projects, voxels, memory, requests, errors, latency", nullptr);
  command("health", "Whether the daemon accepts requests", nullptr);
  command("list", "Lists open projects: handle name voxels layers", nullptr);
  command("create", "Creates a project; prints its handle", "NAME");
  command("close", "Closes a project", "H");
  command("share", "Grants IDENTITY (curve:KEY or uid:N) read or edit access to your project; none revokes",
          "H IDENTITY read|edit|none");
  command("whoami", "Prints the identity the daemon takes you for (what others share with)", nullptr);
  command("info", "Describes a project", "H");
  command("copy", "Copies a project into a new one; prints its handle", "H [NAME]");
  auto* set = command("set", "Sets voxels: H X Y Z RRGGBBAA [X Y Z RRGGBBAA ...], or H --stdin", "H X Y Z RRGGBBAA...");
  set->add_flag("--stdin", from_stdin, "Read lines 'x y z rrggbbaa' from standard input");
  set->add_option("--layer", layer, "Layer id (0 = the active layer)");
  auto* remove = command("remove", "Removes voxels: H X Y Z [X Y Z ...]", "H X Y Z...");
  remove->add_option("--layer", layer, "Layer id (0 = the active layer)");
  auto* get = command("get", "Prints a voxel's colour rrggbbaa, or 'empty'", "H X Y Z");
  get->add_option("--layer", layer, "Layer id (0 = all visible layers merged)");
  auto* fill = command("fill", "Draws a shape: H box|sphere|cylinder X0 Y0 Z0 X1 Y1 Z1 RRGGBBAA",
                       "H SHAPE X0 Y0 Z0 X1 Y1 Z1 RGBA");
  fill->add_option("--mode", mode, "Blend mode: add, sub, paint (or any of Goxel's: max, replace, ...)");
  fill->add_option("--layer", layer, "Layer id (0 = the active layer)");
  auto* flood = command("flood", "Flood-fills from a seed voxel: H X Y Z RRGGBBAA", "H X Y Z RRGGBBAA");
  flood->add_option("--layer", layer, "Layer id (0 = the active layer)");
  flood->add_option("--tolerance", tolerance, "Per-channel colour tolerance 0..255")->check(CLI::Range(0, 255));
  command("layer", "Layers: add H NAME | remove H ID | rename H ID NAME | show H ID | hide H ID | list H",
          "ACTION H ...");
  command("undo", "Undoes the last edit", "H");
  command("redo", "Redoes the last undone edit", "H");
  auto* open = command("open", "Opens a file under the daemon's root (- reads stdin); prints the handle", "PATH");
  open->add_option("--name", name, "Project name (default: the file name)");
  command("save", "Saves under the daemon's root (.gox/.vox/.txt from the extension; - writes stdout)", "H PATH");
  command("rm", "Removes a file under the daemon's root (only the formats voxd writes); prints its path", "PATH");
  command("export", "Exports under the daemon's root (format by extension: .gox .vox .qb .gltf ...; - writes stdout)",
          "H PATH");
  auto* render = command("render", "Renders a PNG under the daemon's root (- writes stdout)", "H OUT.png");
  auto* view_option = render->add_option("--view", view, "iso, front, back, left, right, top, bottom or free");
  render->add_option("--size", size, "WIDTHxHEIGHT");
  render->add_flag("--ao,!--no-ao", look.ambient_occlusion, "Ambient occlusion: creases darken (default on)");
  render->add_flag("--shadows,!--no-shadows", look.shadows, "Shadows of one directional light (default on)");
  render->add_flag("--edges", look.edges, "Darken voxel face edges (default off)");
  render->add_option("--background", background, "RRGGBBAA of the empty pixels (default 00000000: transparent)");
  render->add_option("--sheet", sheet,
                     "A contact sheet of these views (comma-separated, up to 16; 'free' takes the camera options), "
                     "each --size, on one PNG")
      ->delimiter(',');
  // Any of these means the free camera (--view free); docs/formats-mesh-render.md.
  std::vector<CLI::Option*> camera_options{
      render->add_option("--yaw", look.camera.yaw, "Free camera: degrees about z, -360..360 (0 = front, 90 = right)"),
      render->add_option("--pitch", look.camera.pitch, "Free camera: degrees above the horizon, -90..90 (90 = top)"),
      render->add_option("--distance", look.camera.distance, "Free camera: voxels from the centre (0 = fit)"),
      render->add_flag("--perspective", look.camera.perspective, "Free camera: perspective, not orthographic")};
  voxd::voxctl::ConvertOptions conversion;
  std::vector<std::string> crop;
  auto* convert = command("convert",
                          "Converts a model file to another format in-process, no daemon (.vox .gox .qb .txt -> "
                          "any writable format)",
                          "IN OUT");
  convert->add_option("--scale", conversion.scale, "Each voxel becomes N x N x N voxels (1..64)");
  convert->add_option("--crop", crop, "Keep the voxels in the box X0 Y0 Z0 X1 Y1 Z1 (corners inclusive)")
      ->expected(6)
      ->allow_extra_args(false);
  convert->add_flag("--merge-layers", conversion.merge_layers, "Write one layer: the visible layers composed");
  convert->add_flag("--split-layers", conversion.split_layers,
                    "Write one file per layer: OUT's name + '-' + the layer name + OUT's extension");
  convert->add_flag("--progress", conversion.progress,
                    "Progress lines on stderr (default: on a terminal, large files)");
  convert->add_flag("--json", ctx.json, "Print the summary as JSON");
  auto* bbox = command("bbox", "Prints the bounding box 'x0 y0 z0 x1 y1 z1', or 'empty'", "H");
  bbox->add_option("--layer", layer, "Layer id (0 = all visible layers merged)");
  auto* count = command("count", "Prints the number of voxels", "H");
  count->add_option("--layer", layer, "Layer id (0 = all visible layers merged)");
  auto* histogram = command("histogram", "Prints 'rrggbbaa count' lines, most frequent first", "H");
  histogram->add_option("--layer", layer, "Layer id (0 = all visible layers merged)");

  CLI11_PARSE(app, argc, argv);
  const std::string cmd = app.get_subcommands().front()->get_name();

  try {
    auto need = [&](std::size_t n, const char* form) {
      if (args.size() != n) {
        usage(cmd + ": expected " + form);
      }
    };
    if (cmd == "keygen") {
      need(1, "FILE");
      auto certificate = voxd::daemon::generate_certificate();
      if (!certificate) throw Failure(certificate.error().message, 1);
      if (auto written = voxd::daemon::write_certificate_pair(args[0], *certificate); !written) {
        throw Failure(written.error().message, 1);
      }
      ctx.print(certificate->public_key, JsonObject()
                                             .add("public_key", certificate->public_key)
                                             .add("secret_file", args[0])
                                             .add("public_file", args[0] + ".pub"));
    } else if (cmd == "ping") {
      const auto start = std::chrono::steady_clock::now();
      ctx.call(0, Body::Ping, [](Fb& fb) { return protocol::CreatePing(fb).Union(); });
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      ctx.print("pong", JsonObject().add("ok", true).add("round_trip_ms", ms));
    } else if (cmd == "health") {
      const Reply reply = ctx.call(0, Body::GetHealth, [](Fb& fb) { return protocol::CreateGetHealth(fb).Union(); });
      const auto* health = reply.response->result_as_HealthResult();
      ctx.print(health->accepting() ? "accepting" : "stopping", JsonObject()
                                                                    .add("accepting", health->accepting())
                                                                    .add("uptime_seconds", health->uptime_seconds())
                                                                    .add("projects", health->projects()));
    } else if (cmd == "stats") {
      const Reply reply = ctx.call(0, Body::GetStats, [](Fb& fb) { return protocol::CreateGetStats(fb).Union(); });
      const auto* s = reply.response->result_as_StatsResult();
      JsonObject object;
      object.add("uptime_seconds", s->uptime_seconds())
          .add("projects", s->projects())
          .add("voxels", s->voxels())
          .add("project_memory_bytes", s->project_memory_bytes())
          .add("resident_memory_bytes", s->resident_memory_bytes())
          .add("requests", s->requests())
          .add("errors", s->errors())
          .add("malformed", s->malformed())
          .add("busy", s->busy())
          .add("queued", s->queued())
          .add("latency_p50_us", s->latency_p50_us())
          .add("latency_p90_us", s->latency_p90_us())
          .add("latency_p99_us", s->latency_p99_us())
          .add("latency_max_us", s->latency_max_us())
          .add("auth_refused", s->auth_refused())
          .add("access_refused", s->access_refused());
      std::ostringstream text;
      text << "uptime_seconds " << s->uptime_seconds() << "\nprojects " << s->projects() << "\nvoxels " << s->voxels()
           << "\nproject_memory_bytes " << s->project_memory_bytes() << "\nresident_memory_bytes "
           << s->resident_memory_bytes() << "\nrequests " << s->requests() << "\nerrors " << s->errors()
           << "\nmalformed " << s->malformed() << "\nbusy " << s->busy() << "\nqueued " << s->queued()
           << "\nlatency_p50_us " << s->latency_p50_us() << "\nlatency_p90_us " << s->latency_p90_us()
           << "\nlatency_p99_us " << s->latency_p99_us() << "\nlatency_max_us " << s->latency_max_us()
           << "\nauth_refused " << s->auth_refused() << "\naccess_refused " << s->access_refused();
      std::vector<std::string> types;
      if (s->per_type() != nullptr) {
        for (const auto* t : *s->per_type()) {
          text << "\nrequests." << t->type()->str() << ' ' << t->requests() << " errors " << t->errors();
          types.push_back(JsonObject()
                              .add("type", t->type()->string_view())
                              .add("requests", t->requests())
                              .add("errors", t->errors())
                              .str());
        }
      }
      object.add_raw("per_type", json_array(types));
      ctx.print(text.str(), object);
    } else if (cmd == "list") {
      const Reply reply =
          ctx.call(0, Body::ListProjects, [](Fb& fb) { return protocol::CreateListProjects(fb).Union(); });
      std::vector<std::string> items;
      std::ostringstream text;
      for (const auto* p : *reply.response->result_as_ProjectList()->projects()) {
        text << (items.empty() ? "" : "\n") << p->handle() << ' ' << p->name()->str() << ' ' << p->voxels() << ' '
             << p->layers();
        items.push_back(JsonObject()
                            .add("handle", p->handle())
                            .add("name", p->name()->string_view())
                            .add("voxels", p->voxels())
                            .add("layers", std::uint64_t{p->layers()})
                            .str());
      }
      if (ctx.json) {
        std::cout << json_array(items) << '\n';
      } else if (!items.empty()) {
        std::cout << text.str() << '\n';
      }
    } else if (cmd == "create" || cmd == "open" || cmd == "copy") {
      Reply reply;
      if (cmd == "create") {
        need(1, "NAME");
        reply = ctx.call(0, Body::CreateProject,
                         [&](Fb& fb) { return protocol::CreateCreateProject(fb, fb.CreateString(args[0])).Union(); });
      } else if (cmd == "copy") {
        if (args.empty() || args.size() > 2) usage("copy: expected H [NAME]");
        reply = ctx.call(parse_handle(args[0]), Body::CopyProject, [&](Fb& fb) {
          return protocol::CreateCopyProject(fb, args.size() == 2 ? fb.CreateString(args[1]) : 0).Union();
        });
      } else {
        need(1, "PATH");
        std::vector<std::uint8_t> data;
        if (args[0] == "-") {
          data = read_all(std::cin);
        }
        reply = ctx.call(0, Body::OpenFile, [&](Fb& fb) {
          const auto path = args[0] == "-" ? 0 : fb.CreateString(args[0]);
          const auto bytes = args[0] == "-" ? fb.CreateVector(data) : 0;
          return protocol::CreateOpenFile(fb, path, bytes, name.empty() ? 0 : fb.CreateString(name)).Union();
        });
      }
      const std::uint64_t handle = reply.response->result_as_ProjectCreated()->handle();
      ctx.print(std::to_string(handle), JsonObject().add("handle", handle));
    } else if (cmd == "share") {
      need(3, "H IDENTITY read|edit|none");
      const std::uint64_t h = parse_handle(args[0]);
      protocol::Access access = protocol::Access::none;
      if (args[2] == "read") {
        access = protocol::Access::read;
      } else if (args[2] == "edit") {
        access = protocol::Access::edit;
      } else if (args[2] != "none") {
        usage("share: the access is read, edit or none, not '" + args[2] + "'");
      }
      const Reply reply = ctx.call(h, Body::ShareProject, [&](Fb& fb) {
        return protocol::CreateShareProject(fb, fb.CreateString(args[1]), access).Union();
      });
      ctx.print(reply.response->message() == nullptr ? "ok" : reply.response->message()->str(),
                JsonObject().add("handle", h).add("identity", args[1]).add("access", args[2]));
    } else if (cmd == "whoami") {
      need(0, "");
      const Reply reply = ctx.call(0, Body::Hello, [](Fb& fb) { return protocol::CreateHello(fb).Union(); });
      const auto* identity = reply.response->result_as_HelloResult()->identity();
      const std::string who = identity == nullptr ? std::string() : identity->str();
      ctx.print(who.empty() ? "anonymous" : who, JsonObject().add("identity", who));
    } else if (cmd == "close" || cmd == "undo" || cmd == "redo") {
      need(1, "H");
      const std::uint64_t h = parse_handle(args[0]);
      if (cmd == "close") {
        ctx.call(h, Body::CloseProject, [](Fb& fb) { return protocol::CreateCloseProject(fb).Union(); });
        ctx.print_ok();
      } else {
        const bool undo = cmd == "undo";
        const Reply reply = ctx.call(h, undo ? Body::Undo : Body::Redo, [&](Fb& fb) {
          return undo ? protocol::CreateUndo(fb).Union() : protocol::CreateRedo(fb).Union();
        });
        const auto* history = reply.response->result_as_HistoryResult();
        ctx.print("ok", JsonObject()
                            .add("undo_depth", std::uint64_t{history->undo_depth()})
                            .add("redo_depth", std::uint64_t{history->redo_depth()}));
      }
    } else if (cmd == "info") {
      need(1, "H");
      const Reply reply = ctx.call(parse_handle(args[0]), Body::GetProjectInfo,
                                   [](Fb& fb) { return protocol::CreateGetProjectInfo(fb).Union(); });
      const auto* info = reply.response->result_as_ProjectInfo();
      std::ostringstream text;
      text << "handle " << info->handle() << "\nname " << info->name()->str() << "\nvoxels " << info->voxels()
           << "\nmemory_bytes " << info->memory_bytes() << "\nbbox "
           << (info->bounding_box() != nullptr ? box_text(*info->bounding_box()) : "empty") << "\nactive_layer "
           << info->active_layer() << "\nundo_depth " << info->undo_depth() << "\nredo_depth " << info->redo_depth();
      std::vector<std::string> layers;
      for (const auto* l : *info->layers()) {
        text << "\nlayer " << l->id() << ' ' << l->name()->str() << ' ' << (l->visible() ? "visible" : "hidden") << ' '
             << l->voxels();
        layers.push_back(layer_json(*l));
      }
      ctx.print(text.str(),
                JsonObject()
                    .add("handle", info->handle())
                    .add("name", info->name()->string_view())
                    .add("voxels", info->voxels())
                    .add("memory_bytes", info->memory_bytes())
                    .add_raw("bbox", info->bounding_box() != nullptr ? box_json(*info->bounding_box()) : "null")
                    .add("active_layer", std::uint64_t{info->active_layer()})
                    .add("undo_depth", std::uint64_t{info->undo_depth()})
                    .add("redo_depth", std::uint64_t{info->redo_depth()})
                    .add_raw("layers", json_array(layers)));
    } else if (cmd == "set") {
      if (args.empty()) usage("set: expected H X Y Z RRGGBBAA... or H --stdin");
      const std::uint64_t h = parse_handle(args[0]);
      std::vector<protocol::Voxel> voxels;
      if (from_stdin) {
        if (args.size() != 1) usage("set --stdin: expected only H");
        std::string x, y, z, c;
        while (std::cin >> x >> y >> z >> c) {
          voxels.emplace_back(parse_coord(x), parse_coord(y), parse_coord(z), parse_color(c));
        }
        if (!std::cin.eof()) usage("set --stdin: lines must be 'x y z rrggbbaa'");
      } else {
        if (args.size() < 5 || (args.size() - 1) % 4 != 0) usage("set: expected H X Y Z RRGGBBAA [X Y Z RRGGBBAA ...]");
        for (std::size_t i = 1; i < args.size(); i += 4) {
          voxels.emplace_back(parse_coord(args[i]), parse_coord(args[i + 1]), parse_coord(args[i + 2]),
                              parse_color(args[i + 3]));
        }
      }
      const Reply reply = ctx.call(h, Body::SetVoxels, [&](Fb& fb) {
        return protocol::CreateSetVoxels(fb, layer, fb.CreateVectorOfStructs(voxels)).Union();
      });
      print_changed(ctx, reply);
    } else if (cmd == "remove") {
      if (args.size() < 4 || (args.size() - 1) % 3 != 0) usage("remove: expected H X Y Z [X Y Z ...]");
      std::vector<protocol::Vec3> positions;
      for (std::size_t i = 1; i < args.size(); i += 3) {
        positions.emplace_back(parse_coord(args[i]), parse_coord(args[i + 1]), parse_coord(args[i + 2]));
      }
      const Reply reply = ctx.call(parse_handle(args[0]), Body::RemoveVoxels, [&](Fb& fb) {
        return protocol::CreateRemoveVoxels(fb, layer, fb.CreateVectorOfStructs(positions)).Union();
      });
      print_changed(ctx, reply);
    } else if (cmd == "get") {
      need(4, "H X Y Z");
      const protocol::Vec3 position(parse_coord(args[1]), parse_coord(args[2]), parse_coord(args[3]));
      const Reply reply = ctx.call(parse_handle(args[0]), Body::GetVoxels, [&](Fb& fb) {
        return protocol::CreateGetVoxels(fb, layer, fb.CreateVectorOfStructs(&position, 1)).Union();
      });
      const auto* colors = reply.response->result_as_Colors()->colors();
      const std::uint32_t rgba = colors != nullptr && colors->size() == 1 ? colors->Get(0) : 0;
      const bool empty = (rgba & 0xFFU) == 0;
      ctx.print(empty ? "empty" : hex(rgba), JsonObject().add_raw("color", empty ? "null" : json_string(hex(rgba))));
    } else if (cmd == "fill") {
      need(9, "H box|sphere|cylinder X0 Y0 Z0 X1 Y1 Z1 RRGGBBAA");
      protocol::ShapeKind kind = protocol::ShapeKind::box;
      if (args[1] == "sphere") {
        kind = protocol::ShapeKind::sphere;
      } else if (args[1] == "cylinder") {
        kind = protocol::ShapeKind::cylinder;
      } else if (args[1] != "box") {
        usage("fill: the shape is box, sphere or cylinder, not '" + args[1] + "'");
      }
      const auto blend = voxd::core::parse_blend_mode(mode);
      if (!blend) usage("fill: unknown --mode '" + mode + "'");
      const protocol::Box3 box({parse_coord(args[2]), parse_coord(args[3]), parse_coord(args[4])},
                               {parse_coord(args[5]), parse_coord(args[6]), parse_coord(args[7])});
      const std::uint32_t rgba = parse_color(args[8]);
      const Reply reply = ctx.call(parse_handle(args[0]), Body::DrawShape, [&](Fb& fb) {
        return protocol::CreateDrawShape(fb, layer, kind, &box, rgba, static_cast<protocol::BlendMode>(*blend)).Union();
      });
      print_changed(ctx, reply);
    } else if (cmd == "flood") {
      need(5, "H X Y Z RRGGBBAA");
      const protocol::Vec3 seed(parse_coord(args[1]), parse_coord(args[2]), parse_coord(args[3]));
      const std::uint32_t rgba = parse_color(args[4]);
      const Reply reply = ctx.call(parse_handle(args[0]), Body::FloodFill, [&](Fb& fb) {
        return protocol::CreateFloodFill(fb, layer, &seed, rgba, static_cast<std::uint8_t>(tolerance)).Union();
      });
      print_changed(ctx, reply);
    } else if (cmd == "layer") {
      if (args.size() < 2) usage("layer: expected add|remove|rename|show|hide|list H ...");
      const std::string& action = args[0];
      const std::uint64_t h = parse_handle(args[1]);
      auto layer_id = [&]() {
        if (args.size() < 3) usage("layer " + action + ": expected H ID");
        const std::int64_t id = parse_integer(args[2], "layer id");
        if (id <= 0 || id > UINT32_MAX) usage("not a layer id: " + args[2]);
        return static_cast<std::uint32_t>(id);
      };
      if (action == "add") {
        if (args.size() != 3) usage("layer add: expected H NAME");
        const Reply reply = ctx.call(
            h, Body::AddLayer, [&](Fb& fb) { return protocol::CreateAddLayer(fb, fb.CreateString(args[2])).Union(); });
        const std::uint32_t id = reply.response->result_as_LayerCreated()->layer();
        ctx.print(std::to_string(id), JsonObject().add("layer", std::uint64_t{id}));
      } else if (action == "remove") {
        const std::uint32_t id = layer_id();
        ctx.call(h, Body::RemoveLayer, [&](Fb& fb) { return protocol::CreateRemoveLayer(fb, id).Union(); });
        ctx.print_ok();
      } else if (action == "rename") {
        if (args.size() != 4) usage("layer rename: expected H ID NAME");
        const std::uint32_t id = layer_id();
        ctx.call(h, Body::RenameLayer,
                 [&](Fb& fb) { return protocol::CreateRenameLayer(fb, id, fb.CreateString(args[3])).Union(); });
        ctx.print_ok();
      } else if (action == "show" || action == "hide") {
        const std::uint32_t id = layer_id();
        const bool visible = action == "show";
        ctx.call(h, Body::SetLayerVisible,
                 [&](Fb& fb) { return protocol::CreateSetLayerVisible(fb, id, visible).Union(); });
        ctx.print_ok();
      } else if (action == "list") {
        const Reply reply =
            ctx.call(h, Body::ListLayers, [](Fb& fb) { return protocol::CreateListLayers(fb).Union(); });
        const auto* list = reply.response->result_as_LayerList();
        std::ostringstream text;
        std::vector<std::string> items;
        for (const auto* l : *list->layers()) {
          text << (items.empty() ? "" : "\n") << l->id() << ' ' << l->name()->str() << ' '
               << (l->visible() ? "visible" : "hidden") << ' ' << l->voxels()
               << (l->id() == list->active_layer() ? " active" : "");
          items.push_back(layer_json(*l));
        }
        ctx.print(
            text.str(),
            JsonObject().add("active_layer", std::uint64_t{list->active_layer()}).add_raw("layers", json_array(items)));
      } else {
        usage("layer: unknown action '" + action + "'");
      }
    } else if (cmd == "rm") {
      need(1, "PATH");
      const Reply reply = ctx.call(0, Body::RemoveFile, [&](Fb& fb) {
        return protocol::CreateRemoveFile(fb, fb.CreateString(args[0])).Union();
      });
      const auto* removed = reply.response->result_as_FileRemoved();
      if (removed == nullptr || removed->path() == nullptr) {
        throw Failure("protocol: unexpected reply", 1);
      }
      ctx.print(removed->path()->str(), JsonObject().add("path", removed->path()->string_view()));
    } else if (cmd == "save" || cmd == "export") {
      need(2, "H PATH");
      const bool save = cmd == "save";
      std::string format;
      if (args[1] == "-") usage(cmd + " to stdout needs a format: use a path like -.gox");
      std::string path = args[1];
      if (path.rfind("-.", 0) == 0) {  // "-.gox": inline bytes in that format, to stdout
        format = path.substr(2);
        path = "-";
      }
      const Reply reply = ctx.call(parse_handle(args[0]), save ? Body::SaveProject : Body::ExportProject, [&](Fb& fb) {
        const auto p = optional_path(fb, path);
        const auto f = format.empty() ? 0 : fb.CreateString(format);
        return save ? protocol::CreateSaveProject(fb, p, f).Union() : protocol::CreateExportProject(fb, p, f).Union();
      });
      print_file_result(ctx, reply);
    } else if (cmd == "render") {
      need(2, "H OUT.png");
      bool free_camera = false;
      for (const CLI::Option* option : camera_options) {
        free_camera = free_camera || option->count() > 0;
      }
      if (free_camera && view_option->count() == 0 && sheet.empty()) {
        view = "free";
      }
      if (!sheet.empty() && view_option->count() > 0) usage("render: --view and --sheet do not go together");
      std::vector<voxd::core::formats::View> sheet_views;
      for (const std::string& view_text : sheet) {
        const auto parsed = voxd::core::formats::parse_view(view_text);
        if (!parsed) usage("render: unknown view '" + view_text + "' in --sheet");
        sheet_views.push_back(*parsed);
      }
      if (sheet_views.size() > voxd::core::formats::kMaxSheetShots) {
        usage("render: --sheet takes at most " + std::to_string(voxd::core::formats::kMaxSheetShots) + " views");
      }
      const bool sheet_free = std::find(sheet_views.begin(), sheet_views.end(), voxd::core::formats::View::free) !=
                              sheet_views.end();
      if (!sheet.empty() && free_camera && !sheet_free) {
        usage("render: --yaw, --pitch, --distance and --perspective need 'free' among the --sheet views");
      }
      const auto parsed_view = voxd::core::formats::parse_view(view);
      if (!parsed_view) usage("render: unknown --view '" + view + "'");
      if (sheet.empty() && free_camera && *parsed_view != voxd::core::formats::View::free) {
        usage("render: --yaw, --pitch, --distance and --perspective need --view free, not --view " + view);
      }
      const auto x = size.find('x');
      if (x == std::string::npos) usage("render: --size is WIDTHxHEIGHT");
      const std::int64_t width = parse_integer(size.substr(0, x), "width");
      const std::int64_t height = parse_integer(size.substr(x + 1), "height");
      if (width < 1 || height < 1 || width > 4096 || height > 4096) usage("render: --size must be 1..4096 per side");
      look.view = *parsed_view;
      look.width = static_cast<int>(width);
      look.height = static_cast<int>(height);
      if (!background.empty()) {
        look.background = voxd::core::Color::from_packed(parse_color(background));
      }
      // The daemon would refuse the same; checking here makes it a usage error that names the option.
      if (auto checked = voxd::core::formats::check_render_params(look); !checked.ok()) {
        usage(checked.error().message);
      }
      const Reply reply = ctx.call(parse_handle(args[0]), Body::Render, [&](Fb& fb) {
        const auto path = optional_path(fb, args[1]);
        const auto camera = free_camera || look.view == voxd::core::formats::View::free
                                ? protocol::CreateFreeCamera(fb, look.camera.yaw, look.camera.pitch,
                                                             look.camera.distance, look.camera.perspective)
                                : 0;
        std::vector<flatbuffers::Offset<protocol::RenderShot>> shots;
        for (const voxd::core::formats::View shot : sheet_views) {
          const auto shot_camera = shot == voxd::core::formats::View::free
                                       ? protocol::CreateFreeCamera(fb, look.camera.yaw, look.camera.pitch,
                                                                    look.camera.distance, look.camera.perspective)
                                       : 0;
          shots.push_back(protocol::CreateRenderShot(fb, static_cast<protocol::View>(shot), shot_camera));
        }
        const auto sheet_offset = shots.empty() ? 0 : fb.CreateVector(shots);
        return protocol::CreateRender(fb, static_cast<protocol::View>(look.view), static_cast<std::uint32_t>(width),
                                      static_cast<std::uint32_t>(height), path, look.ambient_occlusion, look.shadows,
                                      look.edges, look.background.packed(), camera, sheet_offset)
            .Union();
      });
      print_file_result(ctx, reply);
    } else if (cmd == "convert") {
      need(2, "IN OUT");
      conversion.input = args[0];
      conversion.output = args[1];
      conversion.json = ctx.json;
      if (conversion.scale < 1 || conversion.scale > voxd::voxctl::kMaxScale) {
        usage("convert: --scale must be 1..64, not " + std::to_string(conversion.scale));
      }
      if (conversion.merge_layers && conversion.split_layers) {
        usage("convert: --merge-layers and --split-layers cannot be used together");
      }
      if (!crop.empty()) {
        if (crop.size() != 6) usage("convert: --crop is X0 Y0 Z0 X1 Y1 Z1");
        conversion.crop = voxd::core::Box::spanning({parse_coord(crop[0]), parse_coord(crop[1]), parse_coord(crop[2])},
                                                    {parse_coord(crop[3]), parse_coord(crop[4]), parse_coord(crop[5])});
        if (!voxd::core::in_coord_range(*conversion.crop)) {
          usage("convert: --crop corners must lie in " + std::to_string(voxd::core::kMinCoord) + ".." +
                std::to_string(voxd::core::kMaxCoord));
        }
      }
      auto summary = voxd::voxctl::convert(conversion, std::cerr);
      if (!summary.ok()) {
        throw Failure(
            "convert: " + std::string(voxd::core::error_code_name(summary.code())) + ": " + summary.error().message, 1);
      }
      std::cout << *summary << '\n';
    } else if (cmd == "bbox") {
      need(1, "H");
      const Reply reply = ctx.call(parse_handle(args[0]), Body::GetBoundingBox,
                                   [&](Fb& fb) { return protocol::CreateGetBoundingBox(fb, layer).Union(); });
      const auto* box = reply.response->result_as_BoundingBox()->box();
      ctx.print(box != nullptr ? box_text(*box) : "empty",
                JsonObject().add_raw("bbox", box != nullptr ? box_json(*box) : "null"));
    } else if (cmd == "count") {
      need(1, "H");
      const Reply reply = ctx.call(parse_handle(args[0]), Body::CountVoxels,
                                   [&](Fb& fb) { return protocol::CreateCountVoxels(fb, layer).Union(); });
      const std::int64_t voxels = reply.response->result_as_Count()->voxels();
      ctx.print(std::to_string(voxels), JsonObject().add("voxels", voxels));
    } else if (cmd == "histogram") {
      need(1, "H");
      const Reply reply = ctx.call(parse_handle(args[0]), Body::GetHistogram,
                                   [&](Fb& fb) { return protocol::CreateGetHistogram(fb, layer).Union(); });
      std::ostringstream text;
      std::vector<std::string> items;
      for (const auto* entry : *reply.response->result_as_Histogram()->entries()) {
        text << (items.empty() ? "" : "\n") << hex(entry->rgba()) << ' ' << entry->count();
        items.push_back(JsonObject().add("color", hex(entry->rgba())).add("count", entry->count()).str());
      }
      if (ctx.json) {
        std::cout << json_array(items) << '\n';
      } else if (!items.empty()) {
        std::cout << text.str() << '\n';
      }
    }
  } catch (const Failure& failure) {
    std::cerr << "voxctl: " << failure.what() << '\n';
    return failure.exit_status;
  } catch (const std::exception& e) {
    std::cerr << "voxctl: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
