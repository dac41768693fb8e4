#!/usr/bin/env bash
# Installs the Khronos glTF Validator (npm gltf-validator; used only by the glTF interop test) into
# .cache/gltf-validator.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec bash "$root/scripts/install-npm-tool.sh" gltf-validator "${VOXD_GLTF_VALIDATOR_VERSION:-2.0.0-dev.3.10}" \
  "${VOXD_GLTF_VALIDATOR_DIR:-$root/.cache/gltf-validator}"
