#!/usr/bin/env bash
# The test command (`bash scripts/test.sh`, or `make test`): every test, under the sanitizers, from whatever build state.
#   1. ASan+UBSan build: all unit, integration and interop tests (ctest).
#   2. TSan build: the concurrency and daemon tests (ctest labels "concurrency" and "daemon").
#   3. clang + libFuzzer build: every fuzzer for FUZZ_SECONDS (default 20) from its corpus.
#   4. clang-tidy on core/.
#   5. Release build of what `make run` starts, smoke-tested on its default endpoint (scripts/smoke_run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
bash scripts/install-deps.sh
bash scripts/install-mcp-sdk.sh   # the official MCP SDK client the voxd-mcp test drives (npm, cached)
bash scripts/install-gltf-validator.sh   # the Khronos glTF Validator the glTF interop test runs (npm, cached)

step() { printf '\n=== %s ===\n' "$*"; }

step "ASan + UBSan: build"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
step "ASan + UBSan: all tests"
ctest --preset asan -j "$jobs"

step "TSan: build (what the concurrency and daemon tests run)"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs" --target core_workspace_concurrency_test capi_threads_test \
  voxd voxctl voxd-mcp daemon_units_test security_units_test voxd_protocol_codegen
step "TSan: concurrency and daemon tests"
ctest --preset tsan -j "$jobs"

if [[ -d fuzz ]]; then
  step "libFuzzer: build and run every harness for ${FUZZ_SECONDS:-20}s"
  bash scripts/fuzz.sh
fi

step "clang-tidy on core/"
bash scripts/lint.sh

step "Release: build and smoke-test what \`make run\` starts"
cmake --preset release -DVOXD_BUILD_TESTS=OFF -DVOXD_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release -j "$jobs" --target voxd voxctl
bash scripts/smoke_run.sh

echo
echo "voxd: all test stages passed"
