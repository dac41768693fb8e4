#include "resources.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "tools.hpp"
#include "voxd/jsonrpc/error.hpp"

namespace voxd::mcp {

namespace {

using nlohmann::json;

constexpr std::string_view kScheme = "voxd://project/";
constexpr int kResourceNotFound = -32002;  // the MCP specification's code for an unknown resource

[[noreturn]] void not_found(const std::string& uri, const std::string& why) {
  throw jsonrpc::RpcError(jsonrpc::Error{kResourceNotFound, "Resource not found: " + uri + " (" + why + ")",
                                         json{{"uri", uri}}});
}

// The tool's result; a tool error (a closed project, an unknown view) means the resource is not there.
json run_tool(const std::string& uri, const std::string& name, const json& arguments, const Backend& backend) {
  const Tool* tool = find_tool(name);
  json result;
  try {
    result = tool->run(arguments, backend);
  } catch (const std::exception& e) {
    not_found(uri, e.what());
  }
  if (result.value("isError", false)) {
    not_found(uri, result["content"][0]["text"].get<std::string>());
  }
  return result;
}

// The render resource's query (render/free.png?yaw=30&pitch=20&edges=true&background=%23ffffff) as the render
// tool's arguments, which the tool then checks as it checks a tool call's.
void add_render_query(const std::string& uri, std::string_view query, json& arguments) {
  constexpr std::string_view kNumbers[] = {"yaw", "pitch", "distance", "width", "height"};
  constexpr std::string_view kBooleans[] = {"perspective", "ambient_occlusion", "shadows", "edges"};
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string key(pair.substr(0, eq));
    std::string value;  // percent-decoded ('#' comes as %23)
    for (std::size_t i = eq == std::string_view::npos ? pair.size() : eq + 1; i < pair.size(); ++i) {
      unsigned byte = 0;
      if (pair[i] == '%' && i + 2 < pair.size() &&
          std::from_chars(pair.data() + i + 1, pair.data() + i + 3, byte, 16).ptr == pair.data() + i + 3) {
        value += static_cast<char>(byte);
        i += 2;
      } else {
        value += pair[i];
      }
    }
    if (key != "view" && key != "project" && arguments.contains(key)) {
      not_found(uri, "the parameter '" + key + "' is given twice");
    }
    if (std::find(std::begin(kNumbers), std::end(kNumbers), key) != std::end(kNumbers)) {
      double number = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (error != std::errc() || end != value.data() + value.size() || value.empty()) {
        not_found(uri, "the parameter '" + key + "' must be a number, got \"" + value + "\"");
      }
      arguments[key] = number;
    } else if (std::find(std::begin(kBooleans), std::end(kBooleans), key) != std::end(kBooleans)) {
      if (value != "true" && value != "false") not_found(uri, "the parameter '" + key + "' is true or false");
      arguments[key] = value == "true";
    } else if (key == "background") {
      arguments[key] = value;
    } else {
      not_found(uri, "unknown parameter '" + key + "' (yaw, pitch, distance, perspective, ambient_occlusion, "
                     "shadows, edges, background, width, height)");
    }
  }
}

}  // namespace

json list_resources(const Backend& backend) {
  const json listed = json::parse(run_tool("voxd://project/", "project_list", json::object(), backend)["content"][0]["text"].get<std::string>());
  json resources = json::array();
  for (const auto& project : listed["projects"]) {
    const std::string handle = std::to_string(project["project"].get<std::uint64_t>());
    const std::string name = project["name"].get<std::string>();
    resources.push_back({{"uri", std::string(kScheme) + handle + "/summary"},
                         {"name", name + " (project " + handle + ") summary"},
                         {"description", "Layers, bounding box, voxel count, palette and undo depth, as JSON"},
                         {"mimeType", "application/json"}});
    resources.push_back({{"uri", std::string(kScheme) + handle + "/render/iso.png"},
                         {"name", name + " (project " + handle + ") render"},
                         {"description", "The visible layers rendered from the iso view, 512x512"},
                         {"mimeType", "image/png"}});
  }
  return {{"resources", resources}};
}

json resource_templates() {
  return {{"resourceTemplates",
           json::array({{{"uriTemplate", std::string(kScheme) + "{project}/summary"},
                         {"name", "project summary"},
                         {"mimeType", "application/json"}},
                        {{"uriTemplate", std::string(kScheme) +
                                             "{project}/render/{view}.png{?yaw,pitch,distance,perspective,"
                                             "ambient_occlusion,shadows,edges,background,width,height}"},
                         {"name", "project render (view: iso, front, back, left, right, top, bottom, or free with "
                                  "yaw, pitch, distance, perspective; the other options as in the render tool)"},
                         {"mimeType", "image/png"}}})}};
}

json read_resource(const std::string& uri, const Backend& backend) {
  const std::string_view rest = std::string_view(uri).substr(0, kScheme.size()) == kScheme
                                    ? std::string_view(uri).substr(kScheme.size())
                                    : std::string_view();
  if (rest.empty()) {
    not_found(uri, "voxd resources are voxd://project/{project}/summary or .../render/{view}.png");
  }
  std::uint64_t handle = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), handle);
  if (error != std::errc() || end == rest.data() || *end != '/') {
    not_found(uri, "the project must be a handle number");
  }
  const std::string_view what(end + 1, static_cast<std::size_t>(rest.data() + rest.size() - (end + 1)));
  if (what == "summary") {
    const json result = run_tool(uri, "project_summary", {{"project", handle}}, backend);
    return {{"contents", json::array({{{"uri", uri}, {"mimeType", "application/json"},
                                        {"text", result["content"][0]["text"]}}})}};
  }
  constexpr std::string_view kRender = "render/";
  constexpr std::string_view kPng = ".png";
  const auto question = what.find('?');
  const std::string_view file = what.substr(0, question);
  if (file.size() > kRender.size() + kPng.size() && file.substr(0, kRender.size()) == kRender &&
      file.substr(file.size() - kPng.size()) == kPng) {
    const std::string view(file.substr(kRender.size(), file.size() - kRender.size() - kPng.size()));
    json arguments = {{"project", handle}, {"view", view}};
    if (question != std::string_view::npos) add_render_query(uri, what.substr(question + 1), arguments);
    const json result = run_tool(uri, "render", arguments, backend);
    return {{"contents", json::array({{{"uri", uri}, {"mimeType", "image/png"},
                                        {"blob", result["content"][1]["data"]}}})}};
  }
  not_found(uri, "a project has 'summary' and 'render/{view}.png'");
}

}  // namespace voxd::mcp
