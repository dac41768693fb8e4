#!/usr/bin/env bash
# Smoke test of what `make run` builds and starts: the release voxd on its default endpoint, found by
# voxctl without --endpoint, answering a short session, then exiting 0 on SIGTERM.
# Runs in a private XDG_RUNTIME_DIR / XDG_DATA_HOME so it never meets a daemon the user is running.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/release/daemon
scratch=$(mktemp -d)
daemon_pid=
cleanup() {
  [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
export XDG_RUNTIME_DIR=$scratch/run XDG_DATA_HOME=$scratch/data
mkdir -m 0700 "$XDG_RUNTIME_DIR"

fail() { echo "smoke_run: $*" >&2; [[ -f $scratch/voxd.log ]] && cat "$scratch/voxd.log" >&2; exit 1; }

"$bin/voxd" >"$scratch/voxd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do
  "$bin/voxctl" ping >/dev/null 2>&1 && break
  sleep 0.05
done
"$bin/voxctl" ping >/dev/null || fail "the daemon does not answer on its default endpoint"

handle=$("$bin/voxctl" create smoke)
"$bin/voxctl" set "$handle" 1 2 3 ff0000ff >/dev/null
[[ $("$bin/voxctl" get "$handle" 1 2 3) == ff0000ff ]] || fail "get does not return the voxel just set"
"$bin/voxctl" save "$handle" smoke.gox >/dev/null
[[ -n $(find "$XDG_DATA_HOME" -name smoke.gox -size +0) ]] ||
  fail "save did not write smoke.gox under the default root"

kill -TERM "$daemon_pid"
status=0
wait "$daemon_pid" || status=$?
daemon_pid=
[[ $status -eq 0 ]] || fail "voxd exited with $status on SIGTERM"
grep -q "ipc://" "$scratch/voxd.log" || fail "voxd did not print its endpoint"
echo "smoke_run: the release daemon starts on its defaults, answers voxctl and stops cleanly"
