#!/usr/bin/env bash
# Installs the official MCP TypeScript SDK client (used only by the voxd-mcp tests) into .cache/mcp-sdk.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec bash "$root/scripts/install-npm-tool.sh" @modelcontextprotocol/sdk "${VOXD_MCP_SDK_VERSION:-1.17.0}" \
  "${VOXD_MCP_SDK_DIR:-$root/.cache/mcp-sdk}"
