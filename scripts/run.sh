#!/usr/bin/env bash
# `make run`: installs the dependencies, builds the release preset, then runs voxd in the foreground on
# its default endpoint (an ipc:// socket in a private runtime directory). Extra arguments go to voxd,
# e.g. scripts/run.sh --listen tcp://127.0.0.1:5555 --log-level debug
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target voxd voxctl
echo "voxctl is at build/release/daemon/voxctl, e.g.: build/release/daemon/voxctl create demo"
exec build/release/daemon/voxd "$@"
