#!/usr/bin/python3
"""The Goxel front's cost over talking to voxd directly, side by side in one run (docs/goxel-compat.md,
"Performance"): goxel.add_voxel over the Unix socket (JSON-RPC) against voxd's own one-voxel SetVoxels over
ZeroMQ (its bytes built once, outside the timing), and goxel.add_voxels of 1,000 voxels per call (voxels/s;
the JSON text is built once too). goxel-daemon measured 0.22 ms per add_voxel on this kind of machine.

    bench/goxel_bench.py build/release/daemon/voxd [--rounds N]
"""

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "daemon"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "compat"))

RED = 0xFF0000FF


def timed(rounds, action):
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1e6)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("voxd")
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    os.environ["VOXD_BIN"] = args.voxd
    build_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.voxd)))
    sys.path.insert(0, os.path.join(build_dir, "protocol", "python"))
    from voxd_harness import Daemon, request_bytes, table, voxel_vector
    from goxel_client import GoxelConnection

    folder = tempfile.TemporaryDirectory(prefix="goxel-bench-")
    path = os.path.join(folder.name, "goxel.sock")
    daemon = Daemon("--goxel-socket", path)
    while not os.path.exists(path):
        time.sleep(0.01)
    direct = daemon.client()
    goxel = GoxelConnection(path)
    try:
        goxel.result("goxel.create_project", ["bench"])
        p = direct.create("bench")
        one = (json.dumps({"jsonrpc": "2.0", "id": 1, "method": "goxel.add_voxel",
                           "params": [1, 2, 3, 255, 0, 0, 255]}) + "\n").encode()
        frame = request_bytes("SetVoxels", 1, p, build_body=lambda b: table(
            b, "SetVoxels", voxels=("offset", voxel_vector(b, [(1, 2, 3, RED)]))))

        def via_goxel(_):
            goxel.send_raw(one)
            goxel.read_reply()

        def straight(_):
            direct.socket.send(frame)
            direct.receive()
        goxel_us, direct_us = [], []
        for _ in range(4):  # interleaved, so both sides see the same machine
            goxel_us += timed(args.rounds // 4, via_goxel)
            direct_us += timed(args.rounds // 4, straight)
        bulk = (json.dumps({"jsonrpc": "2.0", "id": 2, "method": "goxel.add_voxels", "params": {"voxels": [
            {"x": i % 100, "y": i // 100, "z": 0, "r": 255, "g": 0, "b": 0, "a": 255} for i in range(1000)]}}) +
            "\n").encode()
        calls = max(100, args.rounds // 2)  # long enough (about a second) that one slow call is not the figure
        start = time.perf_counter()
        for _ in range(calls):
            goxel.send_raw(bulk)
            goxel.read_reply()
        rate = calls * 1000 / (time.perf_counter() - start)
    finally:
        goxel.close()
        direct.close()
        daemon.stop()
        daemon.close()
        folder.cleanup()
    g, d = statistics.median(goxel_us), statistics.median(direct_us)
    print("| measure | value |")
    print("|---|---|")
    print("| SetVoxels of 1 voxel straight to voxd over ZeroMQ, p50 | %.0f us |" % d)
    print("| goxel.add_voxel over the Unix socket, p50 | %.0f us (%.2fx; goxel-daemon: 220 us) |" % (g, g / d))
    print("| goxel.add_voxels, 1,000 voxels per call | %.2f M voxels/s |" % (rate / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
