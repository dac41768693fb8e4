"""Memory abuse against the real daemon, run with small byte limits: every request that would grow past a
limit gets limit_exceeded naming it, changes nothing (voxels, undo and redo lists), and the daemon's peak
resident memory (VmHWM) stays within the limit plus a stated slack."""


import os

from voxd_harness import DaemonTestCase, dense_blocks, table, voxel_vector

RED, BLUE = 0xFF0000FF, 0x0000FFFF
MIB = 1024 * 1024
MEMORY_LIMIT = 256 * MIB
# What the limit does not cover: the process itself, request frames being decoded, allocator and sanitizer
# overhead (ASan keeps freed blocks in quarantine and adds shadow memory). Measured peaks stay well inside.
SLACK = 256 * MIB
# ThreadSanitizer keeps shadow and meta memory for every byte the daemon touches (about 4 bytes per byte on
# x86_64), so under it the same bound is scaled; the point stays: hundreds of MiB, not the 17 GB of old.
SHADOW_FACTOR = 4 if os.environ.get("VOXD_SANITIZER_KIND") == "thread" else 1


def vm_hwm_bytes(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/%d/status" % pid)


def batch_body(ops):
    def body(b):
        offsets = [table(b, "BatchOperation", op_type=kind, op=("offset", build(b))) for kind, build in ops]
        from voxd.protocol import Batch
        Batch.StartOperationsVector(b, len(offsets))
        for o in reversed(offsets):
            b.PrependUOffsetTRelative(o)
        return table(b, "Batch", operations=("offset", b.EndVector()))
    return body


class MemoryLimits(DaemonTestCase):
    daemon_args = ("--max-memory-bytes", str(MEMORY_LIMIT))

    def depths(self, p):
        info = self.client.call("GetProjectInfo", p).result()
        return info.UndoDepth(), info.RedoDepth()

    def assert_unchanged_and_healthy(self, p, voxels, depths):
        self.assertEqual(self.client.call("CountVoxels", p).result().Voxels(), voxels)
        self.assertEqual(self.depths(p), depths)
        self.client.call("Ping")
        other = self.daemon.client()
        try:
            q = other.create("other")
            other.set_voxels(q, [(1, 1, 1, BLUE)])
            self.assertEqual(other.get_voxels(q, [(1, 1, 1)]), [BLUE])
            other.call("CloseProject", q)
        finally:
            other.close()

    def prepared_project(self):
        """A project with one voxel, one undo step and one redo step."""
        p = self.client.create()
        self.client.set_voxels(p, [(0, 0, 0, RED)])
        self.client.set_voxels(p, [(1, 0, 0, RED)])
        self.client.call("Undo", p)
        self.assertEqual(self.depths(p), (1, 1))
        return p

    def tearDown(self):
        peak = vm_hwm_bytes(self.daemon.process.pid)
        self.assertLess(peak, (MEMORY_LIMIT + SLACK) * SHADOW_FACTOR, "peak resident %d MiB" % (peak // MIB))
        super().tearDown()

    def test_failed_edit_keeps_undo_and_redo(self):
        p = self.prepared_project()
        reply = self.client.set_voxels(p, [(5, 5, 5, BLUE), (1 << 30, 0, 0, BLUE)], expect="invalid_argument")
        self.assertTrue(reply.message)
        self.assert_unchanged_and_healthy(p, 1, (1, 1))
        self.client.call("Redo", p)
        self.assertEqual(self.client.get_voxels(p, [(0, 0, 0), (1, 0, 0), (5, 5, 5)]), [RED, RED, 0])

    def test_thin_16_mi_box_is_refused_by_bytes(self):
        p = self.prepared_project()
        # 16 rows of 1 Mi voxels (max_voxels_per_request): 256 voxels in each of 64 Ki blocks, a dense block
        # each (~1 GiB).
        reply = self.client.call("DrawShape", p, expect="limit_exceeded", kind=0,
                                 box=("box", 0, 0, 0, 1048575, 15, 0), rgba=RED)
        self.assertIn("max_memory_bytes", reply.message)
        self.assert_unchanged_and_healthy(p, 1, (1, 1))

    def test_voxels_spaced_16_apart_take_a_small_block_each(self):
        p = self.prepared_project()
        spaced = [(16 * i, 0, 16 * (1 + i % 7), RED) for i in range(60000)]  # 60,000 blocks of one voxel
        before = self.client.call("GetStats").result().ProjectMemoryBytes()
        self.client.set_voxels(p, spaced)
        grown = self.client.call("GetStats").result().ProjectMemoryBytes() - before
        # A sparse block each (a dense one would be 16.5 KiB: ~1 GiB, past max_memory_bytes).
        self.assertLess(grown, 60000 * 200)
        self.assertEqual(self.client.get_voxels(p, [spaced[12345][:3], (16 * 12345 + 1, 0, 16)]), [RED, 0])

    def test_batch_of_1000_large_shapes_fails_whole(self):
        p = self.prepared_project()
        from voxd.protocol.EditOperation import EditOperation as E
        # Each shape: 64 blocks, none whole, so 64 dense blocks (1 MiB) in a place of its own; 1,000: ~1 GiB.
        shapes = [(E.DrawShape, (lambda i: lambda b: table(b, "DrawShape", kind=0, rgba=RED,
                                                          box=("box", 1, 1, 64 * i + 1, 62, 62, 64 * i + 62)))(i))
                  for i in range(1000)]
        reply = self.client.call("Batch", p, expect="limit_exceeded", build_body=batch_body(shapes))
        self.assertIn("max_memory_bytes", reply.message)
        self.assertIn("nothing was applied", reply.message)
        self.assert_unchanged_and_healthy(p, 1, (1, 1))

    def test_stats_report_bytes_and_limits(self):
        p = self.client.create()
        self.client.set_voxels(p, dense_blocks(4, 4, 4))  # 64 dense blocks
        dense = 64 * 16 * 1024
        stats = self.client.call("GetStats").result()
        self.assertEqual(stats.MaxMemoryBytes(), MEMORY_LIMIT)
        self.assertGreater(stats.MaxProjectBytes(), 0)
        self.assertGreaterEqual(stats.AccountedBytes(), dense)
        self.assertLessEqual(stats.AccountedBytes(), stats.MaxMemoryBytes())
        self.assertGreaterEqual(stats.ProjectMemoryBytes(), dense)
        self.client.call("CloseProject", p)
        self.assertLess(self.client.call("GetStats").result().AccountedBytes(), dense)


    def open_inline(self, name, data):
        def body(b):
            n = b.CreateString(name)
            d = b.CreateByteVector(data)
            return table(b, "OpenFile", name=("offset", n), data=("offset", d))
        return self.client.call("OpenFile", expect=None, build_body=body)

    def test_a_txt_that_expands_to_many_blocks_is_refused_by_bytes(self):
        # 100,000 voxels 16 apart: 100,000 blocks (~1.6 GiB) from a 1.5 MB file.
        text = "".join("%d %d 0 ff0000\n" % (16 * (i % 1000), 16 * (i // 1000)) for i in range(100000))
        before = self.client.call("GetStats").result().Projects()
        reply = self.open_inline("spread.txt", text.encode())
        self.assertEqual(reply.status, "limit_exceeded", reply.message)
        self.assertIn("max_memory_bytes", reply.message)
        self.assertEqual(self.client.call("GetStats").result().Projects(), before)  # nothing was opened
        self.client.call("Ping")

    def test_a_vox_whose_models_expand_to_many_blocks_is_refused_by_bytes(self):
        # Six 256^3 models of 4,096 voxels 16 apart: each a layer of 4,096 blocks, ~400 MiB from a 100 KB file.
        import struct
        def chunk(tag, content, children=b""):
            return tag + struct.pack("<ii", len(content), len(children)) + content + children
        voxels = b"".join(struct.pack("<BBBB", 16 * x, 16 * y, 16 * z, 1)
                          for x in range(16) for y in range(16) for z in range(16))
        models = b"".join(chunk(b"SIZE", struct.pack("<iii", 256, 256, 256)) +
                          chunk(b"XYZI", struct.pack("<i", 4096) + voxels) for _ in range(6))
        data = b"VOX " + struct.pack("<i", 150) + chunk(b"MAIN", b"", models)
        reply = self.open_inline("spread.vox", data)
        self.assertEqual(reply.status, "limit_exceeded", reply.message)
        self.assertIn("max_memory_bytes", reply.message)
        self.client.call("Ping")


class HistoryChurn(DaemonTestCase):
    daemon_args = ("--max-history-bytes", str(1 * MIB), "--max-memory-bytes", str(MEMORY_LIMIT))

    def test_set_and_clear_rounds_keep_history_within_its_limit(self):
        p = self.client.create()
        for _ in range(10):
            # 256 dense blocks = 4 MiB set, then cleared: only the history keeps them alive.
            self.client.set_voxels(p, dense_blocks(16, 16))
            self.client.call("ClearLayer", p)
            stats = self.client.call("GetStats").result()
            self.assertLessEqual(stats.HistoryBytes(), 1 * MIB)
            self.assertLess(stats.ProjectMemoryBytes(), 2 * MIB)
        # Each round's steps were larger than the whole history limit: none is kept.
        self.client.call("Undo", p, expect="nothing_to_do")
        self.client.set_voxels(p, [(0, 0, 0, BLUE)])
        self.client.call("Undo", p)
        self.assertEqual(self.client.get_voxels(p, [(0, 0, 0)]), [0])
