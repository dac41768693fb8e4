"""Integration tests of voxd over its wire protocol: each starts the real daemon (voxd_harness.Daemon)."""

import hashlib
import os
import random
import struct
import subprocess
import unittest

import zmq

from voxd_harness import (Client, DaemonTestCase, decode_png, enum_value, page_voxels, pixel, request_bytes, table, Reply)

RED, GREEN, BLUE = 0xFF0000FF, 0x00FF00FF, 0x0000FFFF


class TwoProjects(DaemonTestCase):
    # The Goxel daemon's first failure: a second create_project freed the first project's memory.
    def test_two_creates_in_a_row_then_edit_and_read_both(self):
        a = self.client.create("a")
        b = self.client.create("b")
        self.assertNotEqual(a, b)
        self.client.set_voxels(a, [(1, 2, 3, RED)])
        self.client.set_voxels(b, [(1, 2, 3, GREEN), (-5, 0, 7, BLUE)])
        self.assertEqual(self.client.get_voxels(a, [(1, 2, 3), (-5, 0, 7)]), [RED, 0])
        self.assertEqual(self.client.get_voxels(b, [(1, 2, 3), (-5, 0, 7)]), [GREEN, BLUE])

    def test_closed_handle_is_stale_and_other_project_survives(self):
        a = self.client.create("a")
        b = self.client.create("b")
        self.client.set_voxels(b, [(0, 0, 0, RED)])
        self.client.call("CloseProject", a)
        self.client.call("GetVoxels", a, expect="stale_handle")
        self.assertEqual(self.client.get_voxels(b, [(0, 0, 0)]), [RED])

    def test_hello_negotiates_version_and_reports_limits(self):
        hello = self.client.call("Hello").result()
        self.assertEqual(hello.ProtocolVersion(), 1)
        self.assertEqual(hello.MinProtocolVersion(), 1)
        self.assertGreater(hello.MaxReplyBytes(), 0)
        self.client.socket.send(request_bytes("Ping", 7, version=99))
        reply = self.client.receive()
        self.assertEqual((reply.id, reply.status), (7, "unsupported"))

    def test_batch_is_atomic_and_one_undo_step(self):
        p = self.client.create()

        def batch(ops):
            def body(b):
                offsets = []
                for kind, build in ops:
                    op_table = build(b)
                    offsets.append(table(b, "BatchOperation", op_type=kind, op=("offset", op_table)))
                from voxd.protocol import Batch
                Batch.StartOperationsVector(b, len(offsets))
                for o in reversed(offsets):
                    b.PrependUOffsetTRelative(o)
                vec = b.EndVector()
                return table(b, "Batch", operations=("offset", vec))
            return body

        from voxd.protocol.EditOperation import EditOperation as E
        from voxd_harness import voxel_vector
        good = [(E.SetVoxels, lambda b: table(b, "SetVoxels", voxels=("offset", voxel_vector(b, [(0, 0, 0, RED)])))),
                (E.SetVoxels, lambda b: table(b, "SetVoxels", voxels=("offset", voxel_vector(b, [(1, 0, 0, RED)]))))]
        self.client.call("Batch", p, build_body=batch(good))
        self.assertEqual(self.client.get_voxels(p, [(0, 0, 0), (1, 0, 0)]), [RED, RED])
        # The second operation names a missing layer: nothing of the batch may stay.
        bad = [(E.SetVoxels, lambda b: table(b, "SetVoxels", voxels=("offset", voxel_vector(b, [(5, 5, 5, BLUE)])))),
               (E.SetVoxels, lambda b: table(b, "SetVoxels", layer=99, voxels=("offset", voxel_vector(b, [(6, 6, 6, BLUE)]))))]
        reply = self.client.call("Batch", p, expect="not_found", build_body=batch(bad))
        self.assertIn("operation 1", reply.message)
        self.assertEqual(self.client.get_voxels(p, [(5, 5, 5)]), [0])
        # One undo removes the whole good batch.
        self.client.call("Undo", p)
        self.assertEqual(self.client.get_voxels(p, [(0, 0, 0), (1, 0, 0)]), [0, 0])

    def test_limits_name_themselves_and_change_nothing(self):
        p = self.client.create()
        reply = self.client.call("DrawShape", p, expect="limit_exceeded", kind=0,
                                 box=("box", 0, 0, 0, 10000, 10000, 10000), rgba=RED)
        self.assertIn("max_voxels_per_request", reply.message)
        self.assertEqual(self.client.call("CountVoxels", p).result().Voxels(), 0)


class LimitsFromFlags(DaemonTestCase):
    daemon_args = ("--max-voxels-per-project", "100", "--max-projects", "2")

    def test_project_and_count_limits(self):
        p = self.client.create()
        reply = self.client.set_voxels(p, [(i, 0, 0, RED) for i in range(101)], expect="limit_exceeded")
        self.assertIn("max_voxels_per_project", reply.message)
        self.assertEqual(self.client.call("CountVoxels", p).result().Voxels(), 0)
        self.client.create()
        reply = self.client.call("CreateProject", expect="limit_exceeded")
        self.assertTrue(reply.message)


class Malformed(DaemonTestCase):
    def raw_reply(self, frames):
        self.client.socket.send_multipart(frames)
        return self.client.receive(5000)

    def test_every_kind_of_malformed_frame_gets_an_error_and_is_counted(self):
        p = self.client.create()
        self.client.set_voxels(p, [(0, 0, 0, RED)])
        good = request_bytes("Ping", 5)
        rng = random.Random(1)
        cases = {
            "random bytes": [bytes(rng.getrandbits(8) for _ in range(200))],
            "wrong identifier": [good[:4] + b"XXXX" + good[8:]],
            "truncated": [good[: len(good) // 2]],
            "empty frame": [b""],
            "wrong frame count": [good, good],
            "unknown union member": [request_bytes("Ping", 9, body_type=200)],
        }
        for name, frames in cases.items():
            with self.subTest(name):
                reply = self.raw_reply(frames)
                self.assertEqual(reply.status, "protocol", f"{name}: {reply.status} {reply.message}")
        # The daemon still works and the project is untouched.
        self.assertEqual(self.client.get_voxels(p, [(0, 0, 0)]), [RED])
        stats = self.client.call("GetStats").result()
        self.assertGreaterEqual(stats.Malformed(), len(cases))

    def test_many_random_frames_never_crash(self):
        rng = random.Random(2)
        good = request_bytes("Ping", 5)
        for _ in range(300):
            frame = bytearray(good)
            for _ in range(rng.randint(1, 6)):
                frame[rng.randrange(len(frame))] = rng.getrandbits(8)
            self.client.socket.send(bytes(frame))
            reply = self.client.receive(5000)
            self.assertIn(reply.status, ("ok", "protocol", "unsupported"))
        self.client.call("Ping")

    def test_req_socket_framing_is_answered(self):
        req = self.client.ctx.socket(zmq.REQ)
        req.setsockopt(zmq.LINGER, 0)
        req.connect(self.daemon.endpoint)
        req.send(request_bytes("Ping", 77))
        self.assertTrue(req.poll(5000))
        reply = Reply(req.recv())
        req.close(0)
        self.assertEqual((reply.id, reply.status), (77, "ok"))


class Pipelining(DaemonTestCase):
    def test_1000_pipelined_requests_answered_in_order(self):
        p = self.client.create()
        ids = []
        for i in range(1000):
            if i % 2 == 0:
                from voxd_harness import voxel_vector
                ids.append(self.client.send("SetVoxels", p, build_body=lambda b, i=i: table(
                    b, "SetVoxels", voxels=("offset", voxel_vector(b, [(i, 0, 0, 0x01000000 | i << 8 | 0xFF)])))))
            else:
                ids.append(self.client.send("CountVoxels", p))
        for i, request_id in enumerate(ids):
            reply = self.client.receive()
            self.assertEqual(reply.id, request_id)
            self.assertEqual(reply.status, "ok")
            if i % 2 == 1:
                # Every earlier set of this project was applied before this count.
                self.assertEqual(reply.result().Voxels(), i // 2 + 1)

    def test_1000_connect_ping_disconnect_cycles(self):
        ctx = zmq.Context()
        for i in range(1000):
            c = Client(self.daemon.endpoint, ctx)
            c.call("Ping")
            c.close()
        ctx.term()
        self.client.call("Ping")


class LargeReplies(DaemonTestCase):
    def test_reply_over_10_mb_is_paged_and_intact(self):
        p = self.client.create()
        # 100 x 100 x 70 = 700,000 voxels = 11.2 MB as (x, y, z, rgba) structs.
        self.client.call("DrawShape", p, kind=0, box=("box", 0, 0, 0, 99, 99, 69), rgba=RED)
        self.client.set_voxels(p, [(50, 50, 50, GREEN)])
        seen = {}
        cursor = None
        pages = 0
        while True:
            def body(b, cursor=cursor):
                off = b.CreateByteVector(cursor) if cursor else None
                fields = {"box": ("box", -10, -10, -10, 200, 200, 200)}
                if off is not None:
                    fields["cursor"] = ("offset", off)
                return table(b, "ReadBox", **fields)
            page = self.client.call("ReadBox", p, build_body=body).result()
            pages += 1
            for x, y, z, rgba in page_voxels(page):
                self.assertNotIn((x, y, z), seen)
                seen[(x, y, z)] = rgba
            if page.Done():
                break
            cursor = bytes(page.NextCursor(i) for i in range(page.NextCursorLength()))
        self.assertEqual(len(seen), 700000)
        self.assertGreater(pages, 1)
        self.assertEqual(seen[(50, 50, 50)], GREEN)
        self.assertEqual(seen[(0, 0, 0)], RED)
        self.assertEqual(seen[(99, 99, 69)], RED)

    def test_dense_pages_cover_the_box(self):
        p = self.client.create()
        self.client.set_voxels(p, [(1, 2, 3, RED), (0, 0, 0, BLUE)])
        page = self.client.call("ReadBox", p, box=("box", 0, 0, 0, 3, 3, 3), mode=1).result()
        self.assertTrue(page.Done())
        dense = [page.Dense(i) for i in range(page.DenseLength())]
        self.assertEqual(len(dense), 64)
        self.assertEqual(dense[0], BLUE)
        self.assertEqual(dense[1 + 2 * 4 + 3 * 16], RED)
        self.assertEqual(sum(1 for c in dense if c), 2)


class Files(DaemonTestCase):
    def path_request(self, body_name, project, path):
        def body(b):
            s = b.CreateString(path)
            return table(b, body_name, path=("offset", s))
        return self.client.call(body_name, project, expect=None, build_body=body)

    def test_paths_escaping_the_root_are_refused(self):
        p = self.client.create()
        outside = os.path.join(self.daemon.dir.name, "outside")
        os.makedirs(outside)
        os.symlink(outside, os.path.join(self.daemon.root, "link"))
        for path in ["../escape.gox", "a/../../escape.gox", "/etc/voxd.gox", outside + "/x.gox", "link/x.gox"]:
            with self.subTest(path):
                for request in ("SaveProject", "ExportProject", "OpenFile"):
                    reply = self.path_request(request, 0 if request == "OpenFile" else p, path)
                    self.assertEqual(reply.status, "permission_denied", f"{request} {path}: {reply.message}")
        self.assertEqual(os.listdir(outside), [])

    def test_save_to_unwritable_path_is_an_error(self):
        p = self.client.create()
        self.client.set_voxels(p, [(0, 0, 0, RED)])
        with open(os.path.join(self.daemon.root, "plain-file"), "w") as f:
            f.write("x")
        reply = self.path_request("SaveProject", p, "plain-file/model.gox")
        self.assertNotEqual(reply.status, "ok")
        self.assertIn(reply.status, ("io", "invalid_argument"))
        reply = self.path_request("SaveProject", p, "missing-dir/model.gox")
        self.assertEqual(reply.status, "not_found", reply.message)  # as the C ABI says it
        self.assertIn("missing-dir/model.gox", reply.message)
        self.client.call("Ping")


    def test_a_fifo_or_directory_under_the_root_is_refused_without_blocking(self):
        os.mkfifo(os.path.join(self.daemon.root, "pipe.gox"))
        os.makedirs(os.path.join(self.daemon.root, "folder.vox"))
        for path, kind in (("pipe.gox", "a FIFO"), ("folder.vox", "a directory")):
            with self.subTest(path):
                reply = self.path_request("OpenFile", 0, path)  # the harness waits 30 s at most
                self.assertEqual(reply.status, "invalid_argument", reply.message)
                self.assertIn(kind, reply.message)
        p = self.client.create()
        reply = self.path_request("SaveProject", p, "pipe.gox")
        self.assertEqual(reply.status, "invalid_argument", reply.message)
        self.assertEqual(self.client.call("Ping").status, "ok")


    def test_file_written_carries_the_sha256_of_the_bytes_written(self):
        p = self.client.create()
        self.client.set_voxels(p, [(0, 0, 0, RED), (1, 0, 0, BLUE)])
        for request, path in (("SaveProject", "digest.gox"), ("ExportProject", "digest.obj"), ("Render", "digest.png")):
            with self.subTest(request):
                written = self.path_request(request, p, path).result()
                with open(os.path.join(self.daemon.root, path), "rb") as f:
                    data = f.read()
                self.assertEqual(written.Bytes(), len(data))
                self.assertEqual(written.Sha256().decode(), hashlib.sha256(data).hexdigest())

    def test_mesh_exports_report_their_topology(self):
        p = self.client.create()
        # A bar with a voxel on top (T-junctions to remove), and apart two voxels touching along an edge.
        self.client.set_voxels(p, [(0, 0, 0, RED), (1, 0, 0, RED), (2, 0, 0, RED), (0, 0, 1, BLUE)])
        for path in ("bar.stl", "bar.obj", "bar.glb"):
            with self.subTest(path):
                mesh = self.path_request("ExportProject", p, path).result().Mesh()
                self.assertIsNotNone(mesh)
                self.assertTrue(mesh.Watertight())
                self.assertEqual((mesh.BoundaryEdges(), mesh.NonmanifoldEdges(), mesh.InconsistentEdges()), (0, 0, 0))
                self.assertGreater(mesh.Triangles(), 0)
        # Inline: the FileData carries it too; a .gox is no mesh.
        self.client.set_voxels(p, [(10, 0, 0, RED), (11, 1, 0, RED)])
        inline = self.client.call("ExportProject", p, expect="ok",
                                  build_body=lambda b: table(b, "ExportProject", format=("offset", b.CreateString("ply"))))
        self.assertEqual(inline.result_type, "FileData")
        mesh = inline.result().Mesh()
        self.assertFalse(mesh.Watertight())
        self.assertEqual(mesh.NonmanifoldEdges(), 1)
        self.assertIsNone(self.path_request("SaveProject", p, "bar.gox").result().Mesh())

    def test_remove_file_removes_what_voxd_wrote_and_refuses_the_rest(self):
        p = self.client.create()
        self.client.set_voxels(p, [(0, 0, 0, RED)])
        os.makedirs(os.path.join(self.daemon.root, "sub"))
        for path in ("sub/model.gox", "shot.png", "mesh.GLB"):
            self.assertEqual(self.path_request("ExportProject" if not path.endswith(".png") else "Render", p,
                                               path).status, "ok")
        for path in ("sub/model.gox", "shot.png", os.path.join(self.daemon.root, "mesh.GLB")):
            with self.subTest(path):
                reply = self.path_request("RemoveFile", 0, path)
                self.assertEqual(reply.status, "ok", reply.message)
                self.assertEqual(reply.result_type, "FileRemoved")
                self.assertTrue(reply.result().Path().decode().endswith(os.path.basename(path)))
                self.assertFalse(os.path.exists(os.path.join(self.daemon.root, path)))
        # Missing: not_found naming the path.
        reply = self.path_request("RemoveFile", 0, "shot.png")
        self.assertEqual(reply.status, "not_found", reply.message)
        self.assertIn("shot.png", reply.message)
        # Outside the root, by any route: refused, and the file outside stays.
        outside = os.path.join(self.daemon.dir.name, "outside")
        os.makedirs(outside)
        victim = os.path.join(outside, "x.gox")
        with open(victim, "wb") as f:
            f.write(b"keep")
        os.symlink(outside, os.path.join(self.daemon.root, "link"))
        os.symlink(victim, os.path.join(self.daemon.root, "direct.gox"))
        for path in ("../outside/x.gox", "sub/../../outside/x.gox", victim, "link/x.gox", "direct.gox"):
            with self.subTest(path):
                reply = self.path_request("RemoveFile", 0, path)
                self.assertEqual(reply.status, "permission_denied", f"{path}: {reply.message}")
                self.assertIn(path, reply.message)
        self.assertTrue(os.path.exists(victim))
        self.assertTrue(os.path.islink(os.path.join(self.daemon.root, "direct.gox")))
        # Files of other kinds, or with an extension voxd does not write, are refused and stay.
        for name in ("notes.md", "noextension", "model.gox.tmp", ".gox"):
            with open(os.path.join(self.daemon.root, name), "w") as f:
                f.write("x")
        for path in ("notes.md", "noextension", "model.gox.tmp", ".gox"):
            with self.subTest(path):
                reply = self.path_request("RemoveFile", 0, path)
                self.assertEqual(reply.status, "permission_denied", reply.message)
                self.assertIn(path, reply.message)
                self.assertIn("formats voxd writes", reply.message)
                self.assertTrue(os.path.exists(os.path.join(self.daemon.root, path)))
        os.makedirs(os.path.join(self.daemon.root, "folder.vox"))
        os.mkfifo(os.path.join(self.daemon.root, "pipe.gox"))
        for path, kind in (("folder.vox", "a directory"), ("pipe.gox", "a FIFO")):
            with self.subTest(path):
                reply = self.path_request("RemoveFile", 0, path)
                self.assertEqual(reply.status, "invalid_argument", reply.message)
                self.assertIn(kind, reply.message)
                self.assertTrue(os.path.exists(os.path.join(self.daemon.root, path)))
        self.assertEqual(self.path_request("RemoveFile", 0, "").status, "invalid_argument")


class RenderOptions(DaemonTestCase):
    """Render's fields appended for issue #16: ambient_occlusion, shadows, edges, background, camera (view free)."""

    def render(self, project, expect="ok", camera=None, **fields):
        def body(b):
            cam = table(b, "FreeCamera", **camera) if camera is not None else None
            extra = {"camera": ("offset", cam)} if cam is not None else {}
            return table(b, "Render", **fields, **extra)
        reply = self.client.call("Render", project, expect=expect, build_body=body)
        if expect != "ok":
            return reply
        data = reply.result()
        return bytes(data.Data(i) for i in range(data.DataLength()))

    def setUp(self):
        super().setUp()
        self.p = self.client.create()
        floor = [(x, y, 0, 0xC8C8C8FF) for x in range(12) for y in range(12)]
        pillar = [(5, 5, z, 0xC85A3CFF) for z in range(1, 7)]
        self.client.set_voxels(self.p, floor + pillar)

    def test_a_request_without_the_new_fields_gets_the_defaults(self):
        old = self.render(self.p, view=0, width=64, height=64)
        explicit = self.render(self.p, view=0, width=64, height=64, ambient_occlusion=True, shadows=True,
                               edges=False, background=0)
        self.assertEqual(old, explicit)
        image = decode_png(old)
        self.assertEqual(pixel(image, 0, 0), (0, 0, 0, 0), "transparent background by default")

    def test_each_option_changes_the_picture(self):
        default = self.render(self.p, width=128, height=128)
        for fields in ({"ambient_occlusion": False}, {"shadows": False}, {"edges": True},
                       {"background": 0x204060FF}):
            with self.subTest(fields):
                self.assertNotEqual(self.render(self.p, width=128, height=128, **fields), default)
        image = decode_png(self.render(self.p, width=32, height=32, background=0x204060FF))
        self.assertEqual(pixel(image, 0, 0), (0x20, 0x40, 0x60, 0xFF))
        self.assertEqual(pixel(image, 31, 31), (0x20, 0x40, 0x60, 0xFF))

    def test_free_camera(self):
        free = enum_value("View", "free")
        front = enum_value("View", "front")
        # yaw 0 / pitch 0 is the front view, pixel for pixel.
        self.assertEqual(self.render(self.p, view=free, width=64, height=64, camera={"yaw": 0.0, "pitch": 0.0}),
                         self.render(self.p, view=front, width=64, height=64))
        # Without a camera table the free view has the defaults: the iso view's angles.
        iso = decode_png(self.render(self.p, view=0, width=64, height=64))
        default_free = decode_png(self.render(self.p, view=free, width=64, height=64))
        self.assertEqual([a for a in iso[2][3::4]], [a for a in default_free[2][3::4]], "same silhouette")
        perspective = decode_png(self.render(self.p, view=free, width=64, height=64,
                                             camera={"yaw": 30.0, "pitch": 20.0, "distance": 40.0,
                                                     "perspective": True}))
        self.assertTrue(any(perspective[2][3::4]))

    def test_out_of_range_numbers_are_refused_by_name(self):
        free = enum_value("View", "free")
        for camera, name in (({"pitch": 95.0}, "pitch"), ({"yaw": -400.0}, "yaw"), ({"distance": 0.5}, "distance"),
                             ({"distance": float("nan")}, "distance")):
            with self.subTest(camera):
                reply = self.render(self.p, expect=None, view=free, width=16, height=16, camera=camera)
                self.assertEqual(reply.status, "invalid_argument", reply.message)
                self.assertIn(name, reply.message)
        reply = self.render(self.p, expect=None, view=8, width=16, height=16)
        self.assertEqual(reply.status, "invalid_argument")
        # A named view ignores the camera's numbers.
        self.render(self.p, view=enum_value("View", "top"), width=16, height=16, camera={"pitch": 95.0})
        self.assertEqual(self.client.call("Ping").status, "ok")


class ColourQueryRegion(DaemonTestCase):
    # The `box` appended to GetHistogram, GetUniqueColors and FindByColor: only voxels inside count.
    def setUp(self):
        super().setUp()
        self.p = self.client.create()
        rng = random.Random(3)
        self.voxels = {}
        for _ in range(2000):
            self.voxels[(rng.randint(-40, 40), rng.randint(-40, 40), rng.randint(-40, 40))] = rng.choice(
                [RED, GREEN, BLUE, 0x10203080])
        self.client.set_voxels(self.p, [(x, y, z, c) for (x, y, z), c in self.voxels.items()])

    def inside(self, box):
        lo, hi = box[1:4], box[4:7]
        return {p: c for p, c in self.voxels.items() if all(lo[i] <= p[i] <= hi[i] for i in range(3))}

    def test_only_voxels_inside_the_box_count(self):
        for box in (("box", -17, -3, 0, 15, 16, 31), ("box", 0, 0, 0, 0, 0, 0), ("box", -40, -40, -40, 40, 40, 40),
                    ("box", 100, 100, 100, 120, 120, 120)):
            with self.subTest(box):
                inside = self.inside(box)
                counts = {}
                for c in inside.values():
                    counts[c] = counts.get(c, 0) + 1
                histogram = self.client.call("GetHistogram", self.p, box=box).result()
                got = {histogram.Entries(i).Rgba(): histogram.Entries(i).Count() for i in range(histogram.EntriesLength())}
                self.assertEqual(got, counts)
                self.assertEqual(histogram.TotalColors(), len(counts))
                colors = self.client.call("GetUniqueColors", self.p, box=box).result()
                self.assertEqual([colors.Colors(i) for i in range(colors.ColorsLength())], sorted(counts))
                found = self.client.call("FindByColor", self.p, box=box, rgba=RED).result()
                positions = {(found.Positions(i).X(), found.Positions(i).Y(), found.Positions(i).Z())
                             for i in range(found.PositionsLength())}
                self.assertEqual(positions, {p for p, c in inside.items() if c == RED})
                self.assertFalse(found.Truncated())

    def test_a_request_without_the_box_counts_everything(self):
        histogram = self.client.call("GetHistogram", self.p).result()
        self.assertEqual(sum(histogram.Entries(i).Count() for i in range(histogram.EntriesLength())), len(self.voxels))
        found = self.client.call("FindByColor", self.p, rgba=BLUE).result()
        self.assertEqual(found.PositionsLength(), sum(1 for c in self.voxels.values() if c == BLUE))

    def test_an_inverted_or_out_of_range_box_is_refused_by_name(self):
        for box in (("box", 5, 0, 0, 0, 9, 9), ("box", 0, 0, 9, 9, 9, 0), ("box", 0, 0, 0, 1 << 30, 0, 0)):
            for body in ("GetHistogram", "GetUniqueColors", "FindByColor"):
                with self.subTest(box=box, body=body):
                    reply = self.client.call(body, self.p, expect="invalid_argument", box=box)
                    self.assertIn("box", reply.message)


class BadOptions(unittest.TestCase):
    # Out-of-range tuning options stop the daemon before it starts, with a message naming the option.
    def test_out_of_range_options_are_refused_by_name(self):
        for option, value in (("--pipeline-depth", "0"), ("--pipeline-depth", "5000"),
                              ("--quick-max-voxels", "-1")):
            result = subprocess.run([os.environ["VOXD_BIN"], option, value], capture_output=True, text=True,
                                    timeout=30)
            self.assertNotEqual(result.returncode, 0, (option, value))
            self.assertIn(option, result.stderr + result.stdout, (option, value))


if __name__ == "__main__":
    unittest.main()
