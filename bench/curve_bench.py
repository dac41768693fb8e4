#!/usr/bin/python3
"""What CURVE costs (docs/performance-daemon.md, "CURVE"), side by side in one run: two daemons from the same
binary, one on plain loopback tcp and one with CURVE on loopback tcp (a client key allowed), each sent the
same request bytes (built once, outside the timing): a one-voxel SetVoxels round trip and a bulk SetVoxels
of 100,000 voxels. Rounds alternate between the two, so both see the same machine. Reports p50 round trips
and CURVE / plain.

    bench/curve_bench.py build/release/daemon/voxd build/release/daemon/voxctl [--rounds N]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "daemon"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "clients", "python"))

RED = 0xFF0000FF


def timed(rounds, action):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1e6)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("voxd")
    parser.add_argument("voxctl")
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    os.environ["VOXD_BIN"] = args.voxd
    build_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.voxd)))
    sys.path.insert(0, os.path.join(build_dir, "protocol", "python"))
    from voxd_harness import Client, Daemon, request_bytes, table, voxel_vector
    from voxd_client import curve

    keys = tempfile.mkdtemp(prefix="voxd-curve-bench-")
    clients_dir = os.path.join(keys, "clients")
    os.mkdir(clients_dir)
    for name in ("server", "client"):
        subprocess.run([args.voxctl, "keygen", os.path.join(keys, name)], check=True, capture_output=True)
    shutil.copy(os.path.join(keys, "client.pub"), clients_dir)
    public, secret = curve.read_certificate(os.path.join(keys, "client"), need_secret=True)

    plain_daemon = Daemon("--listen", "tcp://127.0.0.1:0")
    curve_daemon = Daemon("--listen", "tcp://127.0.0.1:0", "--curve-secret-file", os.path.join(keys, "server"),
                          "--curve-clients", clients_dir)

    def configure(socket):
        socket.curve_serverkey = curve_daemon.curve_server_key.encode()
        socket.curve_publickey = public
        socket.curve_secretkey = secret

    plain = Client(plain_daemon.endpoints[1])
    secure = Client(curve_daemon.endpoints[1], configure=configure)
    rows = []
    try:
        for count in (1, 100_000):
            voxels = [(i % 100, (i // 100) % 100, i // 10_000, RED) for i in range(count)]
            frames = {}
            for name, client in (("plain", plain), ("curve", secure)):
                project = client.create("bench")
                frames[name] = request_bytes("SetVoxels", 1, project, build_body=lambda b: table(
                    b, "SetVoxels", voxels=("offset", voxel_vector(b, voxels))))

            def round_trip(client, frame):
                def send():
                    client.socket.send(frame)
                    reply = client.receive()
                    assert reply.status == "ok", reply.message
                return send

            rounds = args.rounds if count == 1 else max(20, args.rounds // 100)
            times = {"plain": [], "curve": []}
            for _ in range(4):  # interleaved
                times["plain"] += timed(rounds // 4, round_trip(plain, frames["plain"]))
                times["curve"] += timed(rounds // 4, round_trip(secure, frames["curve"]))
            rows.append((count, len(frames["plain"]), statistics.median(times["plain"]),
                         statistics.median(times["curve"])))
    finally:
        for client in (plain, secure):
            client.close()
        for daemon in (plain_daemon, curve_daemon):
            daemon.stop()
            daemon.close()
        shutil.rmtree(keys)
    print("| SetVoxels of | request bytes | plain tcp, p50 | CURVE tcp, p50 | CURVE / plain |")
    print("|---|---|---|---|---|")
    for count, size, plain_us, curve_us in rows:
        print("| %d voxel%s | %d | %.0f us | %.0f us | %.2fx |" % (count, "" if count == 1 else "s", size, plain_us,
                                                                 curve_us, curve_us / plain_us))
    return 0


if __name__ == "__main__":
    sys.exit(main())
