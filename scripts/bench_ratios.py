#!/usr/bin/python3
"""Prints voxd against its reference for every benchmark scenario, from Google Benchmark JSON output.

Benchmark names are "<scenario>/<implementation>": implementations whose name starts with "voxd" are compared
with the other one of the same scenario (the reference, e.g. "openvdb"). With --benchmark_repetitions the
medians are used. The table is Markdown, so it can go into docs/performance.md as printed.

    scripts/bench_ratios.py build/release/bench/results/*.json
"""
import argparse
import json
import sys

# How each scenario is scored. metric: a counter name or "time_ms" (CPU time per iteration);
# higher: whether a larger value is better; target: (kind, value) checked against the voxd value
# ("ratio_min": voxd/reference >= value; "max"/"min": the voxd value itself).
SCENARIOS = {
    "set_random_existing": dict(metric="voxels_per_second", higher=True, target=("ratio_min", 1.2)),
    "set_random_empty": dict(metric="voxels_per_second", higher=True, target=("ratio_min", 1.2)),
    "set_random_existing_bulk": dict(metric="voxels_per_second", higher=True, target=("ratio_min", 2.0)),
    "fill_box_256": dict(metric="voxels_per_second", higher=True, target=("ratio_min", 1.0)),
    "fill_box_256_bulk": dict(metric="voxels_per_second", higher=True, target=("ratio_min", 1.0)),
    "get_random": dict(metric="voxels_per_second", higher=True, target=("ratio_min", 1.2)),
    "get_random_bulk": dict(metric="voxels_per_second", higher=True, target=("ratio_min", 2.0)),
    "shape_sphere": dict(metric="voxels_per_second", higher=True, target=None),
    "flood_fill_128": dict(metric="voxels_per_second", higher=True, target=None),
    "iterate_voxels": dict(metric="voxels_per_second", higher=True, target=("min", 500e6)),
    "iterate_blocks": dict(metric="voxels_per_second", higher=True, target=("ratio_min", 1.0)),
    "snapshot": dict(metric="time_ms", higher=False, target=("max", 0.5)),
    "memory_dense": dict(metric="bytes_per_voxel", higher=False, target=("max", 4.2)),
    "memory_dense (RSS)": dict(metric="rss_bytes_per_voxel", higher=False, target=("max", 4.3)),
    "memory_magicavoxel": dict(metric="bytes_per_voxel", higher=False, target=("max", 1.5)),
    "memory_sphere": dict(metric="bytes_per_voxel", higher=False, target=None),
    "memory_terrain": dict(metric="bytes_per_voxel", higher=False, target=("max", 1.5)),
    "memory_sparse": dict(metric="bytes_per_voxel", higher=False, target=("max", 200)),
    "memory_sparse (RSS)": dict(metric="rss_bytes_per_voxel", higher=False, target=None),
    "memory_uniform": dict(metric="bytes_per_block", higher=False, target=("max", 64)),
}
TIME_UNIT_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def load_runs(paths):
    """{(scenario, implementation): benchmark entry}, medians when repetitions were run."""
    runs, context = {}, {}
    for path in paths:
        # A program whose benchmarks all missed --benchmark_filter writes an empty file: nothing to read.
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not text.strip():
            continue
        data = json.loads(text)
        context.update(data.get("context", {}))
        for b in data.get("benchmarks", []):
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                continue
            name = b.get("run_name", b["name"]).split("/iterations:")[0]
            scenario, _, implementation = name.rpartition("/")
            key = (scenario, implementation)
            # A median replaces the single runs it summarises.
            if b.get("run_type") == "aggregate" or key not in runs:
                runs[key] = b
    return runs, context


def metric_value(entry, metric):
    if entry is None:
        return None
    if metric == "time_ms":
        return entry["cpu_time"] * TIME_UNIT_MS[entry.get("time_unit", "ns")]
    return entry.get(metric)


def fmt(value, metric):
    if value is None:
        return "unavailable"
    if metric == "voxels_per_second":
        return f"{value / 1e6:,.1f} M/s"
    if metric == "time_ms":
        return f"{value:.3f} ms"
    return f"{value:,.2f} B"


def fmt_target(target, metric):
    if target is None:
        return "-"
    kind, value = target
    if kind == "ratio_min":
        return f">= {value:g}x"
    return ("<= " if kind == "max" else ">= ") + fmt(value, metric)


def met(target, voxd, ratio):
    if target is None:
        return "-"
    kind, value = target
    if kind == "ratio_min":
        return "unknown" if ratio is None else ("yes" if ratio >= value else "no")
    if voxd is None:
        return "unknown"
    return "yes" if (voxd <= value if kind == "max" else voxd >= value) else "no"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json", nargs="+", help="--benchmark_out files (--benchmark_out_format=json)")
    args = parser.parse_args()
    runs, context = load_runs(args.json)
    scenarios_seen = {s for s, _ in runs}
    if not runs:
        print("no benchmark results (did --benchmark_filter match nothing?)")
        return 0
    print(f"OpenVDB: {context.get('openvdb', 'unknown')}; voxd/reference ratio > 1 means voxd is faster "
          "(rates) or smaller (memory).")
    print()
    print("| scenario | voxd implementation | voxd | reference | reference value | ratio | target | met? |")
    print("|---|---|---|---|---|---|---|---|")
    missed = 0
    for label, spec in SCENARIOS.items():
        scenario = label.split(" ")[0]
        if scenario not in scenarios_seen:
            continue
        metric, target = spec["metric"], spec["target"]
        implementations = sorted(i for s, i in runs if s == scenario)
        references = [i for i in implementations if not i.startswith("voxd")]
        reference = references[0] if references else "openvdb"
        ref_value = metric_value(runs.get((scenario, reference)), metric)
        for implementation in (i for i in implementations if i.startswith("voxd")):
            voxd_value = metric_value(runs[(scenario, implementation)], metric)
            ratio = None
            if voxd_value and ref_value:
                ratio = voxd_value / ref_value if spec["higher"] else ref_value / voxd_value
            verdict = met(target, voxd_value, ratio)
            missed += verdict == "no"
            ratio_text = "unavailable" if ratio is None else f"{ratio:.2f}x"
            print(f"| {label} | {implementation} | {fmt(voxd_value, metric)} | {reference} | "
                  f"{fmt(ref_value, metric)} | {ratio_text} | {fmt_target(target, metric)} | {verdict} |")
    print()
    print(f"{missed} target(s) missed" if missed else "every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
