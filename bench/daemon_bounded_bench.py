#!/usr/bin/python3
"""Edit cost against project size, and one client's effect on another, measured on the real daemon side by
side in one run (docs/performance-daemon.md, "Bounded edits"):

  1. one-voxel SetVoxels + Undo round trips on a project of 100 blocks against one of 100,000 blocks
     (target: big / small p50 at most 1.5x);
  2. another client's Ping p50 and p99 while one client sends one-voxel edits to the big project, against an
     idle daemon (target: at most 2x).

    bench/daemon_bounded_bench.py build/release/daemon/voxd [--check]

The editing client runs in a process of its own, so Python's GIL does not couple the two clients."""

import argparse
import multiprocessing
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "daemon"))

EDIT_RATIO_TARGET = 1.5
PING_RATIO_TARGET = 2.0
RED = 0xFF0000FF


def project_of_blocks(client, blocks):
    """A project with `blocks` blocks of one voxel each, set 100,000 at a time."""
    p = client.create("blocks-%d" % blocks)
    voxels = [(16 * (i % 1000), 16 * (i // 1000), 0, RED) for i in range(blocks)]
    for start in range(0, blocks, 100000):
        client.set_voxels(p, voxels[start:start + 100000])
    return p


def edit_and_undo_us(client, p, rounds):
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        client.set_voxels(p, [(1, 1 + i % 8, 1, RED)])
        client.call("Undo", p)
        times.append((time.perf_counter() - start) * 1e6)
    return times


def ping_us(client, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.call("Ping")
        times.append((time.perf_counter() - start) * 1e6)
    return times


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def edit_forever(endpoint, project, stop, path):
    sys.path[:0] = path
    from voxd_harness import Client
    client = Client(endpoint)
    i = 0
    while not stop.is_set():
        client.set_voxels(project, [(2, 2 + i % 8, 2, RED)])
        i += 1
    client.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("voxd")
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    os.environ["VOXD_BIN"] = args.voxd
    # flatc's Python output lives in the same build tree as the daemon: build/<preset>/protocol/python.
    build_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.voxd)))
    sys.path.insert(0, os.path.join(build_dir, "protocol", "python"))
    from voxd_harness import Daemon

    daemon = Daemon("--max-memory-bytes", str(8 << 30))
    client = daemon.client()
    try:
        small = project_of_blocks(client, 100)
        big = project_of_blocks(client, 100000)
        edit_and_undo_us(client, small, 200)  # warm up
        edit_and_undo_us(client, big, 200)
        small_times, big_times = [], []
        for _ in range(4):  # interleaved, so both sides see the same machine
            small_times += edit_and_undo_us(client, small, args.rounds // 4)
            big_times += edit_and_undo_us(client, big, args.rounds // 4)
        idle = ping_us(client, args.rounds)
        stop = multiprocessing.Event()
        editor = multiprocessing.Process(target=edit_forever, args=(daemon.endpoint, big, stop, sys.path[:2]))
        editor.start()
        time.sleep(0.5)
        loaded = ping_us(client, args.rounds)
        stop.set()
        editor.join(10)
    finally:
        client.close()
        daemon.stop()
        daemon.close()

    edit_ratio = statistics.median(big_times) / statistics.median(small_times)
    ping_p50 = percentile(loaded, 0.5) / percentile(idle, 0.5)
    ping_p99 = percentile(loaded, 0.99) / percentile(idle, 0.99)
    print("| measure | small / idle | big / loaded | ratio | target |")
    print("|---|---|---|---|---|")
    print("| SetVoxels(1) + Undo p50, 100 vs 100,000 blocks | %.0f us | %.0f us | %.2fx | <= %.1fx |" %
          (statistics.median(small_times), statistics.median(big_times), edit_ratio, EDIT_RATIO_TARGET))
    print("| other client's Ping p50, idle vs one client editing the big project | %.0f us | %.0f us | %.2fx | <= %.1fx |"
          % (percentile(idle, 0.5), percentile(loaded, 0.5), ping_p50, PING_RATIO_TARGET))
    print("| other client's Ping p99, same | %.0f us | %.0f us | %.2fx | <= %.1fx |" %
          (percentile(idle, 0.99), percentile(loaded, 0.99), ping_p99, PING_RATIO_TARGET))
    missed = edit_ratio > EDIT_RATIO_TARGET or ping_p50 > PING_RATIO_TARGET or ping_p99 > PING_RATIO_TARGET
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
