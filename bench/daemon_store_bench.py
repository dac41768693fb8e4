#!/usr/bin/python3
"""The state store's cost on edits (issue 11), measured on the real daemon side by side in one run:
voxd --ephemeral against voxd with its store (--sync normal, the default; --sync full for reference).

  1. one-voxel SetVoxels round trip, one in flight (p50; target: store / ephemeral at most 1.3x);
  2. bulk SetVoxels, 1,000 voxels per message, 8 in flight (voxels per second; target: at least 10 M/s with
     the store, in a release build);
  3. recovery: the start-up time of a daemon whose store holds the edits of step 2;
  4. recovery of a store of 100 M voxels: a 256^3 MagicaVoxel model (16.7 M voxels of 255 colours) opened and
     its layer duplicated five times (6 layers, 100.7 M voxels), checkpointed whole as it leaves memory
     (--max-resident-bytes 1, and a second project created); then the start-up time of a daemon on that store (it restores every project
     before it answers) and the time to the first answer about the project.

    bench/daemon_store_bench.py build/release/daemon/voxd [--seconds N] [--skip-100m]

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


def write_vox_cube(path, size=256):
    """A MagicaVoxel file of one size^3 model, every voxel filled, colour index 1 + (x + 3y + 7z) % 255."""
    import struct
    colours = [bytes(1 + (x + base) % 255 for x in range(size)) for base in range(255)]
    xs = bytes(range(size))
    data = bytearray(4 * size ** 3)
    for z in range(size):
        for y in range(size):
            at = 4 * size * (y + size * z)
            data[at:at + 4 * size:4] = xs
            data[at + 1:at + 4 * size:4] = bytes((y,)) * size
            data[at + 2:at + 4 * size:4] = bytes((z,)) * size
            data[at + 3:at + 4 * size:4] = colours[(3 * y + 7 * z) % 255]
    xyzi = struct.pack("<i", size ** 3) + bytes(data)
    def chunk(tag, content, children=b""):
        return tag + struct.pack("<ii", len(content), len(children)) + content + children
    model = chunk(b"SIZE", struct.pack("<iii", size, size, size)) + chunk(b"XYZI", xyzi)
    with open(path, "wb") as out:
        out.write(b"VOX " + struct.pack("<i", 150) + chunk(b"MAIN", b"", model))


def recovery_100m(voxd):
    os.environ["VOXD_BIN"] = voxd
    from voxd_harness import Daemon, table
    state = tempfile.TemporaryDirectory(prefix="voxd-bench-recovery-")
    args = ("--max-resident-bytes", "1", "--max-memory-bytes", str(8 << 30))
    daemon = Daemon(*args, state_dir=os.path.join(state.name, "s"))
    try:
        write_vox_cube(os.path.join(daemon.root, "cube.vox"))
        client = daemon.client()
        opened = client.call("OpenFile", 0, build_body=lambda b: table(
            b, "OpenFile", path=("offset", b.CreateString("cube.vox")))).result()
        project = opened.Handle()
        info = client.call("GetProjectInfo", project).result()
        layer = info.Layers(0).Id()
        for _ in range(5):
            client.call("DuplicateLayer", project, build_body=lambda b: table(b, "DuplicateLayer", layer=layer))
        voxels = client.call("GetProjectInfo", project).result().Voxels()
        client.create("other")  # the big project is now idle, so it leaves memory: checkpointed whole
        client.close()
        daemon.stop()
    finally:
        daemon.close()
    # What recovery will read: the store's files, and the checkpoint and journal records of the project.
    store_dir = os.path.join(state.name, "s")
    store_bytes = sum(os.path.getsize(os.path.join(store_dir, f)) for f in os.listdir(store_dir))
    import sqlite3
    with sqlite3.connect(os.path.join(store_dir, "voxd.sqlite")) as db:
        checkpoint_bytes = sum(len(row[0] or b"") + len(row[1] or b"") for row in
                               db.execute("SELECT checkpoint, next_checkpoint FROM projects"))
        journal_records = db.execute("SELECT COUNT(*) FROM journal").fetchone()[0]
    start = time.perf_counter()
    again = Daemon(state_dir=os.path.join(state.name, "s"))
    started = time.perf_counter() - start
    try:
        client = again.client()
        counted = client.call("GetProjectInfo", project).result().Voxels()
        answered = time.perf_counter() - start
        assert counted == voxels, (counted, voxels)
        client.close()
    finally:
        again.close()
        state.cleanup()
    return voxels, store_bytes, checkpoint_bytes, journal_records, started, answered


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("voxd")
    parser.add_argument("--seconds", type=float, default=1.0, help="scale of the run")
    parser.add_argument("--skip-100m", action="store_true", help="leave out the 100 M voxel recovery (needs ~3 GB)")
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
    if not options.skip_100m:
        voxels, store_bytes, checkpoint_bytes, records, started, answered = recovery_100m(options.voxd)
        print(f"recovery of {voxels / 1e6:.1f} M voxels (store {store_bytes / 1e6:.0f} MB, checkpoints "
              f"{checkpoint_bytes / 1e6:.0f} MB, {records} journal records after them): daemon ready in "
              f"{started:.2f} s, first answer about the project after {answered:.2f} s")


if __name__ == "__main__":
    main()
