#include "resources.hpp"

#include <charconv>
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
                        {{"uriTemplate", std::string(kScheme) + "{project}/render/{view}.png"},
                         {"name", "project render (view: iso, front, back, left, right, top, bottom)"},
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
  if (what.size() > kRender.size() + kPng.size() && what.substr(0, kRender.size()) == kRender &&
      what.substr(what.size() - kPng.size()) == kPng) {
    const std::string view(what.substr(kRender.size(), what.size() - kRender.size() - kPng.size()));
    const json result = run_tool(uri, "render", {{"project", handle}, {"view", view}}, backend);
    return {{"contents", json::array({{{"uri", uri}, {"mimeType", "image/png"},
                                        {"blob", result["content"][1]["data"]}}})}};
  }
  not_found(uri, "a project has 'summary' and 'render/{view}.png'");
}

}  // namespace voxd::mcp
