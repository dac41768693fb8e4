#!/usr/bin/env bash
# Installs the official MCP TypeScript SDK client (used only by the voxd-mcp tests) into .cache/mcp-sdk
# (ignored by git). Cached: does nothing when the pinned version is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${VOXD_MCP_SDK_DIR:-$root/.cache/mcp-sdk}"
version="${VOXD_MCP_SDK_VERSION:-1.17.0}"
if [[ -f "$dir/node_modules/@modelcontextprotocol/sdk/package.json" ]] &&
  grep -q "\"version\": \"$version\"" "$dir/node_modules/@modelcontextprotocol/sdk/package.json"; then
  exit 0
fi
mkdir -p "$dir"
cd "$dir"
[[ -f package.json ]] || echo '{"name":"voxd-mcp-tests","private":true}' >package.json
npm install --no-audit --no-fund --silent "@modelcontextprotocol/sdk@$version"
