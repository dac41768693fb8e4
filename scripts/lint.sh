#!/usr/bin/env bash
# clang-tidy over core/ with the checks in .clang-tidy; any finding fails.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build/debug/compile_commands.json ]]; then
  cmake --preset debug -DVOXD_BUILD_BENCH=OFF >/dev/null
fi
cmake --build --preset debug --target voxd_core >/dev/null  # generated headers, if any
# The source tree itself, not git: a source tarball has no .git, and git is not a build dependency.
mapfile -t files < <(find core/src -name '*.cpp' -type f | sort)
if ((${#files[@]} == 0)); then
  echo "clang-tidy: found no core/src/*.cpp to lint (run from the source tree)" >&2
  exit 1
fi
run-clang-tidy -quiet -p build/debug "${files[@]}" >/tmp/voxd-clang-tidy.log 2>&1 || {
  sed "s/\x1b\[[0-9;]*m//g" /tmp/voxd-clang-tidy.log | grep -E "warning:|error:" | sort -u | head -50
  echo "clang-tidy: findings above" >&2
  exit 1
}
echo "clang-tidy: core/ clean (${#files[@]} files)"
