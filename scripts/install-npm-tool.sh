#!/usr/bin/env bash
# install-npm-tool.sh PACKAGE VERSION DIR: installs one pinned npm package that a test drives (an independent
# client or checker) into DIR/node_modules (DIR is under .cache/, which git ignores). Cached: does nothing
# when that version is already there.
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 PACKAGE VERSION DIR" >&2
  exit 2
fi
package="$1" version="$2" dir="$3"
manifest="$dir/node_modules/$package/package.json"
if [[ -f "$manifest" ]] && grep -q "\"version\": \"$version\"" "$manifest"; then
  exit 0
fi
mkdir -p "$dir"
cd "$dir"
[[ -f package.json ]] || echo "{\"name\":\"voxd-test-$(basename "$dir")\",\"private\":true}" >package.json
npm install --no-audit --no-fund --silent "$package@$version"
