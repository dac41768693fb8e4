"""Byte bounds on what the daemon holds for its clients, against the real daemon: request bytes waiting or
running (per client and in total), replies a client leaves unread, every reply within --max-reply-bytes, and
a shutdown that answers every request it took."""

import signal
import time

import zmq

from voxd_harness import Client, Daemon, DaemonTestCase, request_bytes, table, vec3_vector, voxel_vector

RED = 0xFF0000FF
KIB, MIB = 1024, 1024 * 1024


def ping_body(size):
    return lambda b: table(b, "Ping", payload=("offset", b.CreateByteVector(b"x" * size)))


def big_set_body(offset, count=65536):
    """A SetVoxels frame of ~1 MiB (16 bytes per voxel) in a place of its own."""
    voxels = [(i % 256, (i // 256) % 256, offset, RED) for i in range(count)]
    return lambda b: table(b, "SetVoxels", voxels=("offset", voxel_vector(b, voxels)))


def wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class ReplyBounds(DaemonTestCase):
    daemon_args = ("--max-reply-bytes", str(256 * KIB))

    def test_ping_echo_larger_than_a_reply_is_refused(self):
        reply = self.client.call("Ping", expect="limit_exceeded", build_body=ping_body(300 * KIB))
        self.assertIn("max_reply_bytes", reply.message)
        self.client.call("Ping", build_body=ping_body(200 * KIB))  # within the limit: echoed

    def test_get_voxels_whose_colours_pass_the_reply_limit_is_refused(self):
        p = self.client.create()
        positions = [(i, 0, 0) for i in range(100000)]  # 400 KB of colours
        reply = self.client.call("GetVoxels", p, expect="limit_exceeded",
                                 build_body=lambda b: table(b, "GetVoxels", positions=("offset", vec3_vector(b, positions))))
        self.assertIn("max_reply_bytes", reply.message)

    def test_every_reply_fits_the_limit(self):
        p = self.client.create()
        self.client.call("DrawShape", p, kind=0, box=("box", 0, 0, 0, 63, 63, 63), rgba=RED)
        frames = []
        cursor = None
        while True:
            def body(b, cursor=cursor):
                c = b.CreateByteVector(cursor) if cursor else None
                fields = {"box": ("box", 0, 0, 0, 63, 63, 63), "mode": 0}
                if c is not None:
                    fields["cursor"] = ("offset", c)
                return table(b, "ReadBox", **fields)
            reply = self.client.call("ReadBox", p, build_body=body)
            frames.append(len(reply.raw))
            page = reply.result()
            if page.Done():
                break
            cursor = bytes(page.NextCursor(i) for i in range(page.NextCursorLength()))
        self.assertGreater(len(frames), 1)  # 262,144 voxels of 16 bytes: paged
        self.assertLessEqual(max(frames), 256 * KIB)

    def test_reply_limit_below_one_block_page_is_refused_at_start(self):
        with self.assertRaises(RuntimeError):
            Daemon("--max-reply-bytes", str(64 * KIB)).close()


class QueuedBytes(DaemonTestCase):
    daemon_workers = 1
    daemon_args = ("--max-queued-bytes-per-client", str(4 * MIB), "--max-queued-bytes", str(64 * MIB))

    def test_pipelined_large_frames_past_the_client_budget_get_busy(self):
        p = self.client.create()
        # Built first, then sent in one burst: built one by one between sends, a debug daemon applies each
        # frame before Python has made the next, and nothing ever waits.
        first = self.client.next_id
        frames = [request_bytes("SetVoxels", first + z, p, build_body=big_set_body(z)) for z in range(48)]
        self.client.next_id += len(frames)
        for frame in frames:
            self.client.socket.send(frame)
        sent = [first + z for z in range(len(frames))]
        statuses = {}
        messages = []
        for _ in sent:
            reply = self.client.receive()
            statuses[reply.id] = reply.status
            if reply.status == "busy":
                messages.append(reply.message)
        self.assertEqual(sorted(statuses), sorted(sent))  # every request answered once
        self.assertTrue(set(statuses.values()) <= {"ok", "busy"}, statuses)
        self.assertIn("busy", statuses.values())
        self.assertIn("ok", statuses.values())
        self.assertIn("max_queued_bytes_per_client", messages[0])
        # What was accepted was applied, what was refused was not.
        applied = [z for z, request_id in enumerate(sent) if statuses[request_id] == "ok"]
        refused = [z for z, request_id in enumerate(sent) if statuses[request_id] == "busy"]
        self.assertEqual(self.client.get_voxels(p, [(5, 0, applied[-1]), (5, 0, refused[0])]), [RED, 0])
        # Nothing stays held once every reply went out; another client was never affected.
        stats_frame = request_bytes("GetStats", self.client.next_id)
        stats = self.client.call("GetStats").result()
        self.assertEqual(stats.HeldRequestBytes(), len(stats_frame))  # only the GetStats being answered
        self.assertEqual(stats.MaxQueuedBytesPerClient(), 4 * MIB)
        other = self.daemon.client()
        try:
            other.call("Ping")
        finally:
            other.close()


class UnreadReplies(DaemonTestCase):
    daemon_args = ("--max-reply-bytes", str(128 * KIB), "--max-unread-reply-bytes", str(1 * MIB))

    def test_replies_a_client_never_reads_are_dropped_not_kept(self):
        sink = zmq.Context.instance().socket(zmq.DEALER)
        sink.setsockopt(zmq.LINGER, 0)
        sink.setsockopt(zmq.RCVHWM, 1)
        sink.setsockopt(zmq.RCVBUF, 4096)
        sink.connect(self.daemon.endpoint)
        from voxd_harness import request_bytes
        frame = request_bytes("Ping", 1, build_body=ping_body(100 * KIB))
        try:
            for _ in range(400):  # 40 MB of echoes nobody reads
                sink.send(frame)
            self.assertTrue(wait_for(lambda: self.client.call("GetStats").result().DroppedReplies() > 0),
                            "no reply was dropped")
            self.client.call("Ping")  # everyone else is served
        finally:
            sink.close(0)


class ShutdownAnswersEveryRequest(DaemonTestCase):
    daemon_workers = 1
    daemon_args = ("--shutdown-grace-ms", "0")

    def tearDown(self):  # the test stops the daemon itself
        self.client.close()
        self.daemon.close()

    def test_requests_running_past_the_grace_period_get_busy(self):
        p = self.client.create()
        sent = [self.client.send("SetVoxels", p, build_body=big_set_body(z)) for z in range(8)]
        time.sleep(0.05)
        status, _ = self.daemon.stop(signal.SIGTERM)
        self.assertEqual(status, 0)
        answered = {}
        while True:
            try:
                reply = self.client.receive(timeout_ms=2000)
            except TimeoutError:
                break
            answered[reply.id] = (reply.status, reply.message)
        self.assertEqual(sorted(answered), sorted(sent))
        for reply_status, message in answered.values():
            self.assertIn(reply_status, ("ok", "busy"))
            if reply_status == "busy":
                self.assertIn("shutting down", message)
        stderr = self.daemon.process.stderr.read()
        self.assertNotRegex(stderr, "AddressSanitizer|ThreadSanitizer|runtime error")
