"""Concurrency tests of voxd: many clients at once, and shutdown under load. Run under TSan too
(label `concurrency`). VOXD_TEST_SECONDS sets the load duration (default 20 s, as the issue asks;
the sanitizer presets may lower it, see tests/daemon/CMakeLists.txt)."""

import random
import signal
import threading
import time
import unittest

import zmq

from voxd_harness import Client, Daemon, DaemonTestCase, table, test_seconds, voxel_vector


def random_mix_client(endpoint, seconds, seed, failures, counts):
    """One client: creates, edits, reads, saves, exports, closes its own projects and checks every reply."""
    rng = random.Random(seed)
    client = Client(endpoint, zmq.Context.instance())
    mine = {}  # handle -> {position: rgba}, what the project must hold
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            roll = rng.random()
            if not mine or roll < 0.05:
                handle = client.create(f"c{seed}")
                mine[handle] = {}
                counts["create"] += 1
            elif roll < 0.07:
                handle = rng.choice(list(mine))
                reply = client.call("SaveProject", handle, expect=None,
                                    build_body=lambda b: table(b, "SaveProject", format=("offset", b.CreateString("gox"))))
                # Saving inline works once the .gox writer is in; without it the daemon must say why.
                assert reply.status in ("ok", "invalid_argument", "unsupported"), reply.message
                counts["save"] += 1
            elif roll < 0.09:
                handle = rng.choice(list(mine))
                reply = client.call("ExportProject", handle, expect=None,
                                    build_body=lambda b: table(b, "ExportProject", format=("offset", b.CreateString("obj"))))
                assert reply.status in ("ok", "invalid_argument", "unsupported"), reply.message
                counts["export"] += 1
            elif roll < 0.12 and len(mine) > 1:
                handle = rng.choice(list(mine))
                client.call("CloseProject", handle)
                client.call("CountVoxels", handle, expect="stale_handle")
                del mine[handle]
                counts["close"] += 1
            elif roll < 0.60:
                handle = rng.choice(list(mine))
                voxels = [(rng.randint(-40, 40), rng.randint(-40, 40), rng.randint(-40, 40),
                           rng.getrandbits(24) << 8 | 0xFF) for _ in range(rng.randint(1, 50))]
                client.set_voxels(handle, voxels)
                for x, y, z, rgba in voxels:
                    mine[handle][(x, y, z)] = rgba
                counts["edit"] += 1
            else:
                handle = rng.choice(list(mine))
                expected = mine[handle]
                sample = rng.sample(list(expected), min(20, len(expected))) if expected else []
                sample.append((1000, 1000, 1000))
                got = client.get_voxels(handle, sample)
                want = [expected.get(p, 0) for p in sample]
                assert got == want, f"project {handle:#x}: read {got[:3]}... wanted {want[:3]}..."
                counts["get"] += 1
    except Exception as e:  # noqa: BLE001 - reported by the test thread
        failures.append(f"client {seed}: {e!r}")
    finally:
        client.close()


class EightClients(DaemonTestCase):
    def test_eight_clients_random_mix_every_reply_checked(self):
        seconds = test_seconds(20)
        failures = []
        counts = {k: 0 for k in ("create", "save", "export", "close", "edit", "get")}
        lock = threading.Lock()

        class Counter(dict):
            def __missing__(self, key):
                return 0

        per_thread = [Counter() for _ in range(8)]
        threads = [threading.Thread(target=random_mix_client,
                                    args=(self.daemon.endpoint, seconds, seed, failures, per_thread[seed]))
                   for seed in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 60)
        with lock:
            for c in per_thread:
                for k, v in c.items():
                    counts[k] += v
        self.assertEqual(failures, [])
        self.assertGreater(counts["edit"], 8)
        self.assertGreater(counts["get"], 8)
        stats = self.client.call("GetStats").result()
        self.assertGreaterEqual(stats.Requests(), sum(counts.values()))
        self.assertEqual(stats.Malformed(), 0)


class Shutdown(unittest.TestCase):
    def test_sigterm_under_load_exits_0_within_1_s(self):
        daemon = Daemon()
        try:
            stop = threading.Event()
            errors = []

            def load(seed):
                client = Client(daemon.endpoint, zmq.Context.instance())
                try:
                    handle = client.create()
                    i = 0
                    while not stop.is_set():
                        # Keep several requests in flight; answers during shutdown may be ok or busy.
                        for _ in range(8):
                            client.send("SetVoxels", handle, build_body=lambda b, i=i: table(
                                b, "SetVoxels", voxels=("offset", voxel_vector(b, [(i % 100, seed, 0, 0xFFFFFFFF)]))))
                            i += 1
                        for _ in range(8):
                            if not client.socket.poll(2000):
                                return  # the daemon is gone
                            client.socket.recv()
                except Exception as e:  # noqa: BLE001
                    errors.append(repr(e))
                finally:
                    client.close()

            threads = [threading.Thread(target=load, args=(s,)) for s in range(4)]
            for t in threads:
                t.start()
            time.sleep(1.0)
            status, seconds = daemon.stop(signal.SIGTERM)
            stop.set()
            for t in threads:
                t.join(10)
            self.assertEqual(status, 0)
            self.assertLess(seconds, 1.0)
            self.assertEqual(errors, [])
        finally:
            daemon.close()

    def test_sigint_when_idle_exits_0(self):
        daemon = Daemon()
        try:
            c = daemon.client()
            c.call("Ping")
            c.close()
            status, seconds = daemon.stop(signal.SIGINT)
            self.assertEqual(status, 0)
            self.assertLess(seconds, 1.0)
        finally:
            daemon.close()


if __name__ == "__main__":
    unittest.main()
