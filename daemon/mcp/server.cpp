#include "server.hpp"

#include "arguments.hpp"
#include "resources.hpp"
#include "tools.hpp"

namespace voxd::mcp {

namespace {

using nlohmann::json;

json initialize(Session& session, const jsonrpc::Request& request) {
  std::string wanted;
  if (request.params.is_object() && request.params.contains("protocolVersion") &&
      request.params["protocolVersion"].is_string()) {
    wanted = request.params["protocolVersion"].get<std::string>();
  }
  // The client's version when we speak it, else our newest (the client then decides whether to go on).
  session.protocol_version = std::string(kProtocolVersions[0]);
  for (const auto version : kProtocolVersions) {
    if (version == wanted) session.protocol_version = wanted;
  }
  session.initialized = true;
  return {{"protocolVersion", session.protocol_version},
          {"capabilities",
           {{"tools", {{"listChanged", false}}}, {"resources", {{"listChanged", false}, {"subscribe", false}}}}},
          {"serverInfo", {{"name", "voxd-mcp"}, {"version", VOXD_VERSION}}},
          {"instructions",
           "voxd edits voxel models. Start with project_list or project_create, then call project_summary on the "
           "project. Colours are \"#RRGGBB\"; positions are [x, y, z] integers. Use render to look at the model."}};
}

json list_tools(Session&, const jsonrpc::Request&) {
  json tools = json::array();
  for (const auto& tool : all_tools()) {
    tools.push_back({{"name", tool.name}, {"description", tool.description}, {"inputSchema", tool.input_schema}});
  }
  return {{"tools", tools}};
}

json call_tool(Session& session, const jsonrpc::Request& request) {
  const json& params = request.params;
  if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
    throw jsonrpc::RpcError(jsonrpc::invalid_params("tools/call needs params.name (a tool name from tools/list)"));
  }
  const Tool* tool = find_tool(params["name"].get<std::string>());
  if (tool == nullptr) {
    throw jsonrpc::RpcError(jsonrpc::invalid_params("Unknown tool: " + params["name"].get<std::string>()));
  }
  const json arguments = params.contains("arguments") ? params["arguments"] : json::object();
  try {
    if (!arguments.is_object()) throw ToolError("'arguments' must be an object");
    return tool->run(arguments, session.backend);
  } catch (const std::exception& e) {  // bad arguments and voxd's errors are results the model can read
    return {{"content", json::array({{{"type", "text"}, {"text", e.what()}}})}, {"isError", true}};
  }
}

}  // namespace

Server::Server(Backend backend, std::size_t max_message_bytes) : framer_(max_message_bytes) {
  session_.backend = std::move(backend);
  dispatcher_.add_sync("initialize", initialize);
  dispatcher_.add_sync("ping", [](Session&, const jsonrpc::Request&) { return json::object(); });
  dispatcher_.add_sync("tools/list", list_tools);
  dispatcher_.add_sync("tools/call", call_tool);
  dispatcher_.add_sync("resources/list",
                       [](Session& s, const jsonrpc::Request&) { return list_resources(s.backend); });
  dispatcher_.add_sync("resources/templates/list",
                       [](Session&, const jsonrpc::Request&) { return resource_templates(); });
  dispatcher_.add_sync("resources/read", [](Session& s, const jsonrpc::Request& request) {
    if (!request.params.is_object() || !request.params.contains("uri") || !request.params["uri"].is_string()) {
      throw jsonrpc::RpcError(jsonrpc::invalid_params("resources/read needs params.uri (from resources/list)"));
    }
    return read_resource(request.params["uri"].get<std::string>(), s.backend);
  });
  dispatcher_.add_sync("notifications/initialized", [](Session&, const jsonrpc::Request&) { return json(); });
  dispatcher_.add_sync("notifications/cancelled", [](Session&, const jsonrpc::Request&) { return json(); });
}

std::vector<std::string> Server::feed(std::string_view bytes) {
  std::vector<jsonrpc::Frame> frames;
  framer_.feed(bytes, frames);
  std::vector<std::string> out;
  for (auto& frame : frames) {
    if (frame.kind == jsonrpc::Frame::Kind::kTooLarge) {
      out.push_back(jsonrpc::to_wire(
          jsonrpc::message_too_large(frame.bytes, framer_.max_message_bytes(), "--max-message-bytes").to_json()));
      continue;
    }
    dispatcher_.handle(session_, frame.text, [&out](std::optional<std::string> reply) {
      if (reply) out.push_back(std::move(*reply));
    });
  }
  return out;
}

}  // namespace voxd::mcp
