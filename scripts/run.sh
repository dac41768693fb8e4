#!/usr/bin/env bash
# The run command: installs what building and running needs (not the test tools), builds the release preset,
# then runs voxd in the foreground on its default endpoint (an ipc:// socket in a private runtime directory).
# Needs only bash and apt. Extra arguments go to voxd, e.g.
#   bash scripts/run.sh --listen tcp://127.0.0.1:5555 --log-level debug
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --run
cmake --preset release -DVOXD_BUILD_TESTS=OFF -DVOXD_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release --target voxd voxctl
echo "voxctl is at build/release/daemon/voxctl, e.g.: build/release/daemon/voxctl create demo"
exec build/release/daemon/voxd "$@"
