#!/usr/bin/env bash
# Builds the TypeScript client and runs its tests against the daemon in $VOXD_BIN (ctest sets it).
#   run_tests.sh OUT_DIR
# node_modules/ (ignored by git) is installed from package-lock.json once, and again only when the lock file
# changes (its hash is kept in node_modules/.voxd-lock-hash). generated/ (ignored) is flatc's TypeScript of
# protocol/voxd.fbs, made on every run. tsc type-checks and compiles into OUT_DIR, where node runs the tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
for tool in node npm flatc; do
  command -v "$tool" >/dev/null || { echo "run_tests.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

exec 9>"$here/.npm-install.lock" # one install at a time (ctest -j, several presets)
flock 9
lock_hash=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ "$(cat "$here/node_modules/.voxd-lock-hash" 2>/dev/null)" != "$lock_hash" ]]; then
  echo "run_tests.sh: npm ci (package-lock.json changed or first run)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$here/node_modules/.voxd-lock-hash"
fi
rm -rf "$here/generated"
flatc --ts -o "$here/generated" "$here/../../protocol/voxd.fbs"
"$here/node_modules/.bin/tsc" -p "$here/tsconfig.json" --outDir "$out"
flock -u 9

ln -sfn "$here/node_modules" "$out/node_modules" # the compiled code resolves zeromq and flatbuffers here
cd "$out"
node --test test/
