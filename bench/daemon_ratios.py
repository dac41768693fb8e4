#!/usr/bin/python3
"""Reads daemon_bench's JSON (--benchmark_out=FILE --benchmark_out_format=json) and prints the side-by-side
table of docs/performance-daemon.md: voxd against the bare ZeroMQ echo of the same frames, with the targets.
Exit status 1 if a target is missed (--check), else 0.

    build/release/bench/daemon_bench --benchmark_out=daemon.json --benchmark_out_format=json
    bench/daemon_ratios.py daemon.json"""

import argparse
import json
import re
import sys

ROUND_TRIP_TARGET = 1.5         # voxd round trip / bare echo round trip, at most
BULK_TARGET = 5e6               # voxels per second of 1,000-voxel SetVoxels messages, at least


def load(path):
    """{(scenario, implementation, threads): run}; the median aggregate when the run was repeated."""
    with open(path) as f:
        report = json.load(f)
    runs = {}
    for b in report["benchmarks"]:
        if b.get("error_occurred"):
            raise SystemExit(f"{b['name']}: {b.get('error_message')}")
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = re.sub(r"_median$", "", b.get("run_name", b["name"]))
        threads = int(re.search(r"threads:(\d+)", name).group(1)) if "threads:" in name else 1
        scenario, implementation = name.split("/")[:2]
        key = (scenario, implementation, threads)
        if b.get("run_type") == "aggregate" or key not in runs:
            runs[key] = b
    return report.get("context", {}), runs


def micros(run):
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[run.get("time_unit", "ns")]
    return run["real_time"] * scale


def table(runs):
    """Rows of (what, voxd, reference, ratio, target, met)."""
    rows = []
    for scenario, label in (("ping", "ping round trip"), ("set1", "one-voxel SetVoxels round trip")):
        voxd, echo = runs.get((scenario, "voxd", 1)), runs.get((scenario, "zmq_echo", 1))
        if voxd and echo:
            ratio = micros(voxd) / micros(echo)
            rows.append((label, f"{micros(voxd):.1f} µs", f"{micros(echo):.1f} µs", f"{ratio:.2f}x",
                         f"<= {ROUND_TRIP_TARGET}x", ratio <= ROUND_TRIP_TARGET))
    voxd, echo = runs.get(("bulk_set", "voxd", 1)), runs.get(("bulk_set", "zmq_echo", 1))
    if voxd and echo:
        v, e = voxd["voxels_per_second"], echo["voxels_per_second"]
        rows.append(("bulk SetVoxels, 1,000 voxels/message", f"{v / 1e6:.2f} M voxels/s", f"{e / 1e6:.2f} M voxels/s",
                     f"{e / v:.2f}x", f">= {BULK_TARGET / 1e6:.0f} M voxels/s", v >= BULK_TARGET))
    run = runs.get(("create_close", "voxd", 1))
    if run:
        rows.append(("create + close a project", f"{run['projects_per_second']:.0f} /s", "", "", "", None))
    base = runs.get(("scaling", "voxd", 1))
    for threads in (1, 2, 4):
        run = runs.get(("scaling", "voxd", threads))
        if run and base:
            v = run["voxels_per_second"]
            rows.append((f"bulk SetVoxels, {threads} client(s) on separate projects", f"{v / 1e6:.2f} M voxels/s",
                         "", f"{v / base['voxels_per_second']:.2f}x of 1 client", "", None))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    context, runs = load(args.json)
    print(f"{context.get('num_cpus', '?')} CPUs, load average {context.get('load_avg', '?')}, "
          f"library build {context.get('library_build_type', '?')}\n")
    print("| measure | voxd | bare ZeroMQ echo | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    missed = False
    for what, voxd, ref, ratio, target, met in table(runs):
        verdict = "" if met is None else ("yes" if met else "**no**")
        missed |= met is False
        print(f"| {what} | {voxd} | {ref} | {ratio} | {target} | {verdict} |")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
