// MCP resources: every open project as two readable resources, its summary (JSON) and an iso render (PNG),
// plus a template for any view. They are views over the tools (project_list, project_summary, render), so
// a resource read is the same request path as the tool call.
#pragma once

#include <nlohmann/json.hpp>

#include "backend.hpp"

namespace voxd::mcp {

// resources/list: the resources of every open project.
[[nodiscard]] nlohmann::json list_resources(const Backend& backend);
// resources/templates/list.
[[nodiscard]] nlohmann::json resource_templates();
// resources/read of `uri`; throws jsonrpc::RpcError (-32002, resource not found) for a URI that names none.
[[nodiscard]] nlohmann::json read_resource(const std::string& uri, const Backend& backend);

}  // namespace voxd::mcp
