#!/usr/bin/env bash
# Installs the Khronos glTF Validator (npm package gltf-validator; used only by the glTF interop test) into
# .cache/gltf-validator (ignored by git). Cached: does nothing when the pinned version is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${VOXD_GLTF_VALIDATOR_DIR:-$root/.cache/gltf-validator}"
version="${VOXD_GLTF_VALIDATOR_VERSION:-2.0.0-dev.3.10}"
if [[ -f "$dir/node_modules/gltf-validator/package.json" ]] &&
  grep -q "\"version\": \"$version\"" "$dir/node_modules/gltf-validator/package.json"; then
  exit 0
fi
mkdir -p "$dir"
cd "$dir"
[[ -f package.json ]] || echo '{"name":"voxd-gltf-tests","private":true}' >package.json
npm install --no-audit --no-fund --silent "gltf-validator@$version"
