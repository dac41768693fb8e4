// The MCP tools of voxd-mcp: name, description and JSON Schema for the model, and how a call becomes protocol
// requests to voxd (every operation is the daemon's; nothing here edits or reads voxels itself).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "backend.hpp"

namespace voxd::mcp {

struct Tool {
  std::string name;
  std::string description;
  nlohmann::json input_schema;
  // Returns an MCP CallToolResult; throws ToolError for bad arguments or a daemon error.
  std::function<nlohmann::json(const nlohmann::json& arguments, const Backend&)> run;
};

[[nodiscard]] const std::vector<Tool>& all_tools();
[[nodiscard]] const Tool* find_tool(const std::string& name);

}  // namespace voxd::mcp
