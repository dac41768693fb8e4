#!/usr/bin/python3
"""The state store's cost on edits (issue 11), measured on the real daemon side by side in one run:
voxd --ephemeral against voxd with its store (--sync normal, the default; --sync full for reference).

  1. one-voxel SetVoxels round trip, one in flight (p50; target: store / ephemeral at most 1.3x);
  2. bulk SetVoxels, 1,000 voxels per message, 8 in flight (voxels per second; target: at least 10 M/s with
     the store, in a release build);
  3. recovery: the start-up time of a daemon whose store holds the edits of step 2.

    bench/daemon_store_bench.py build/release/daemon/voxd [--seconds N]

Python builds the requests, so the absolute round trips include the client's cost; the ratio is what the
target is about (both daemons pay the same client)."""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "daemon"))

ROUND_TRIP_TARGET = 1.3
BULK_TARGET = 10e6
RED = 0xFF0000FF


def round_trips(client, project, count):
    from voxd_harness import request_bytes, table, voxel_vector
    frames = [request_bytes("SetVoxels", i + 1, project,
                            build_body=lambda b, i=i: table(b, "SetVoxels", layer=0,
                                                            voxels=("offset", voxel_vector(b, [(i % 64, 0, 0, RED)]))))
              for i in range(count)]
    times = []
    for frame in frames:
        start = time.perf_counter()
        client.socket.send(frame)
        client.receive()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def bulk(client, project, messages, window=8):
    from voxd_harness import request_bytes, table, voxel_vector
    cubes = []
    for c in range(16):
        voxels = [(c * 10 + x, y, z, RED + (c << 8)) for x in range(10) for y in range(10) for z in range(10)]
        cubes.append(request_bytes("SetVoxels", c + 1, project,
                                   build_body=lambda b, v=voxels: table(b, "SetVoxels", layer=0,
                                                                        voxels=("offset", voxel_vector(b, v)))))
    start = time.perf_counter()
    sent = received = 0
    while received < messages:
        while sent < messages and sent - received < window:
            client.socket.send(cubes[sent % len(cubes)])
            sent += 1
        reply = client.receive()
        assert reply.status == "ok", reply.message
        received += 1
    return messages * 1000 / (time.perf_counter() - start)


def measure(voxd, args, seconds):
    os.environ["VOXD_BIN"] = voxd
    from voxd_harness import Daemon
    state = tempfile.TemporaryDirectory(prefix="voxd-bench-store-")
    extra = list(args) if "--ephemeral" in args else [*args]
    daemon = Daemon(*extra, state_dir=os.path.join(state.name, "s"))
    try:
        client = daemon.client()
        project = client.create("bench")
        round_trips(client, project, 200)  # warm up
        rt = round_trips(client, project, max(500, int(2000 * seconds)))
        rate = bulk(client, project, max(200, int(1000 * seconds)))
        client.close()
        daemon.stop()
    finally:
        daemon.close()
    recovery = None
    if "--ephemeral" not in args:
        start = time.perf_counter()
        again = Daemon(*extra, state_dir=os.path.join(state.name, "s"))
        recovery = time.perf_counter() - start
        again.close()
    state.cleanup()
    return rt, rate, recovery


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("voxd")
    parser.add_argument("--seconds", type=float, default=1.0, help="scale of the run")
    options = parser.parse_args()
    rows = {}
    for name, args in (("ephemeral", ("--ephemeral",)), ("sync normal", ("--sync", "normal")),
                       ("sync full", ("--sync", "full"))):
        rows[name] = measure(options.voxd, args, options.seconds)
    print("| daemon | SetVoxels 1 voxel p50 (us) | bulk SetVoxels (M voxels/s) | start-up on its store (s) |")
    print("|---|---|---|---|")
    for name, (rt, rate, recovery) in rows.items():
        print(f"| {name} | {rt:.0f} | {rate / 1e6:.2f} | {'-' if recovery is None else f'{recovery:.2f}'} |")
    ratio = rows["sync normal"][0] / rows["ephemeral"][0]
    bulk_ratio = rows["ephemeral"][1] / rows["sync normal"][1]
    print(f"\nround trip, sync normal / ephemeral: {ratio:.2f}x (target at most {ROUND_TRIP_TARGET}x)")
    print(f"bulk, ephemeral / sync normal: {bulk_ratio:.2f}x slower with the store; "
          f"{rows['sync normal'][1] / 1e6:.2f} M voxels/s (target at least {BULK_TARGET / 1e6:.0f} M/s)")


if __name__ == "__main__":
    main()
