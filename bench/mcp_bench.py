#!/usr/bin/python3
"""voxd-mcp's cost over talking to voxd directly, measured side by side in one run (docs/performance-daemon.md,
"MCP"): a tools/call voxels_set of 1 voxel and of 1,000 voxels through voxd-mcp (JSON over stdio, then the
daemon protocol), against the same SetVoxels sent straight to the same daemon over ZeroMQ. Reports p50 round
trips and their ratio.

    bench/mcp_bench.py build/release/daemon/voxd build/release/daemon/voxd-mcp [--rounds N]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "daemon"))

RED = 0xFF0000FF


class McpClient:
    """A minimal MCP client over voxd-mcp's stdio: newline-delimited JSON-RPC 2.0."""

    def __init__(self, mcp, endpoint):
        self.process = subprocess.Popen([mcp, "--endpoint", endpoint], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)
        self.next_id = 1
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "mcp_bench", "version": "1"}})
        self.notify("notifications/initialized")

    def notify(self, method):
        self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "method": method}) + "\n")

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method,
                                             "params": params}) + "\n")
        reply = json.loads(self.process.stdout.readline())
        assert reply.get("id") == request_id and "result" in reply, reply
        return reply["result"]

    def call(self, tool, arguments):
        result = self.request("tools/call", {"name": tool, "arguments": arguments})
        assert not result.get("isError"), result
        return result

    def close(self):
        self.process.stdin.close()
        self.process.wait(10)


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
    parser.add_argument("mcp")
    parser.add_argument("--rounds", type=int, default=1000)
    args = parser.parse_args()
    os.environ["VOXD_BIN"] = args.voxd
    build_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.voxd)))
    sys.path.insert(0, os.path.join(build_dir, "protocol", "python"))
    from voxd_harness import Daemon

    daemon = Daemon()
    direct = daemon.client()
    mcp = McpClient(args.mcp, daemon.endpoint)
    try:
        p = direct.create("bench")
        rows = []
        for count in (1, 1000):
            voxels = [[i % 100, i // 100, 0, "#ff0000"] for i in range(count)]
            direct_voxels = [(i % 100, i // 100, 0, RED) for i in range(count)]
            rounds = args.rounds if count == 1 else max(50, args.rounds // 5)
            via_mcp, straight = [], []
            for _ in range(4):  # interleaved, so both sides see the same machine
                via_mcp += timed(rounds // 4, lambda i: mcp.call("voxels_set", {"project": p, "voxels": voxels}))
                straight += timed(rounds // 4, lambda i: direct.set_voxels(p, direct_voxels))
            rows.append((count, statistics.median(straight), statistics.median(via_mcp)))
    finally:
        mcp.close()
        direct.close()
        daemon.stop()
        daemon.close()
    print("| voxels_set of | SetVoxels straight to voxd, p50 | tools/call through voxd-mcp, p50 | ratio |")
    print("|---|---|---|---|")
    for count, straight_us, mcp_us in rows:
        print("| %d voxel%s | %.0f us | %.0f us | %.2fx |" % (count, "" if count == 1 else "s", straight_us, mcp_us,
                                                            mcp_us / straight_us))
    return 0


if __name__ == "__main__":
    sys.exit(main())
