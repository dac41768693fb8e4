#!/usr/bin/env bash
# `make bench`: every benchmark side by side with its reference (OpenVDB for the volume), in a release build,
# each run 3 times; prints the medians and the voxd/reference ratios (scripts/bench_ratios.py).
#   scripts/bench.sh                                 all benchmarks
#   scripts/bench.sh --benchmark_filter=get_random   extra arguments go to every benchmark program
# JSON results are kept in build/release/bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --bench
cmake --preset release -DVOXD_BUILD_BENCH=ON >/dev/null
cmake --build build/release --target voxd_benchmarks voxd voxctl voxd-mcp -j "$(nproc)"

results=build/release/bench/results
mkdir -p "$results"
rm -f "$results"/*.json
for program in build/release/bench/*_bench; do
  name=$(basename "$program")
  printf '\n=== %s ===\n' "$name"
  "$program" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_out="$results/$name.json" --benchmark_out_format=json "$@"
done

printf '\n=== voxd / reference (medians of 3; machine: %s) ===\n' \
  "$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 scripts/bench_ratios.py "$results"/*.json

# The daemon benchmarks that drive the real processes (Python clients, same run, ratios printed).
printf '\n=== bounded edits: edit cost against project size, one client against another ===\n'
/usr/bin/python3 bench/daemon_bounded_bench.py build/release/daemon/voxd
printf '\n=== voxd-mcp against the same requests straight to voxd ===\n'
/usr/bin/python3 bench/mcp_bench.py build/release/daemon/voxd build/release/daemon/voxd-mcp
printf '\n=== CURVE on tcp against plain tcp (same requests, same run) ===\n'
/usr/bin/python3 bench/curve_bench.py build/release/daemon/voxd build/release/daemon/voxctl
