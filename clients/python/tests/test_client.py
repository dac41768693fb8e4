"""Tests of voxd_client against the real daemon, started by tests/daemon/voxd_harness.py on a private ipc
endpoint in a temporary directory (ctest sets PYTHONPATH, VOXD_BIN and VOXD_PROTOCOL_PYTHON)."""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest
import warnings

import voxd_harness

import voxd_client
from voxd_client import (BlendMode, Box, Client, Status, View, VoxdError, VoxdTimeout, edits)
from voxd_client import _protocol
from voxd_client.operations import REQUESTS

RED, GREEN, BLUE, WHITE = 0xFF0000FF, 0x00FF00FF, 0x0000FFFF, 0xFFFFFFFF
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def schema_members(enum_name):
    return {k for k, v in vars(_protocol.generated_class(enum_name)).items()
            if not k.startswith("_") and isinstance(v, int) and k != "NONE"}


class RecordingClient(Client):
    """Remembers which request types were sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent = set()

    def _send(self, call, timeout=None):
        self.sent.add(call.name)
        return super()._send(call, timeout)


class ClientTestCase(voxd_harness.DaemonTestCase):
    """The harness's daemon (checked for exit status 0 and sanitizer reports at the end) plus a voxd_client."""

    def setUp(self):
        super().setUp()
        self.voxd = RecordingClient(self.daemon.endpoint, timeout=60)

    def tearDown(self):
        self.voxd.close()
        super().tearDown()


class CoversTheSchema(unittest.TestCase):
    def test_one_method_per_request_type(self):
        self.assertEqual(set(REQUESTS), schema_members("RequestBody"))
        for name, method in REQUESTS.items():
            self.assertTrue(callable(getattr(Client, method)), name)
            self.assertTrue(callable(getattr(voxd_client.Pipeline, method)), name)

    def test_every_batch_operation_has_an_edit_constructor(self):
        made = {
            edits.set_voxels([]).name, edits.remove_voxels([]).name, edits.clear_layer().name,
            edits.draw_shape("box", (0, 0, 0, 1, 1, 1), RED).name, edits.draw_line((0, 0, 0), (1, 1, 1), RED).name,
            edits.flood_fill((0, 0, 0), RED).name, edits.move_region((0, 0, 0, 1, 1, 1), (1, 0, 0)).name,
            edits.add_layer("a").name, edits.remove_layer(1).name, edits.rename_layer(1, "b").name,
            edits.move_layer(1, 0).name, edits.duplicate_layer(1).name, edits.merge_layers(2, 1).name,
            edits.set_layer_visible(1, False).name, edits.select_layer(1).name,
        }
        self.assertEqual(made, schema_members("EditOperation"))

    def test_enums_come_from_the_schema(self):
        self.assertEqual(Status.stale_handle, 3)
        self.assertEqual(BlendMode.paint, 4)
        self.assertEqual({m.name for m in View}, schema_members("View"))

    def test_bad_arguments_are_refused_before_sending(self):
        with self.assertRaisesRegex(ValueError, r"voxel 1 \(1, 2, 3, -1\)"):
            edits.set_voxels([(0, 0, 0, RED), (1, 2, 3, -1)])
        with self.assertRaisesRegex(ValueError, "not a ShapeKind"):
            edits.draw_shape("cube", (0, 0, 0, 1, 1, 1), RED)
        with self.assertRaisesRegex(ValueError, "multiple of 16"):
            edits.set_voxels(b"\0" * 15)


class EndpointDiscovery(unittest.TestCase):
    def setUp(self):
        self.saved = {k: os.environ.get(k) for k in ("VOXD_ENDPOINT", "XDG_RUNTIME_DIR")}

    def tearDown(self):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def test_same_rule_as_voxctl(self):
        os.environ.pop("VOXD_ENDPOINT", None)
        os.environ["XDG_RUNTIME_DIR"] = "/run/user/1234"
        self.assertEqual(voxd_client.default_endpoint(), "ipc:///run/user/1234/voxd/voxd.sock")
        os.environ["XDG_RUNTIME_DIR"] = "relative/dir"  # not absolute: ignored, like voxd does
        self.assertEqual(voxd_client.default_endpoint(), f"ipc:///tmp/voxd-{os.getuid()}/voxd.sock")
        os.environ["VOXD_ENDPOINT"] = "tcp://127.0.0.1:5999"
        self.assertEqual(voxd_client.default_endpoint(), "tcp://127.0.0.1:5999")


class GeneratedCodeDiscovery(unittest.TestCase):
    def run_python(self, code, **env):
        clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VOXD_PROTOCOL_PYTHON")}
        clean.update(PYTHONPATH=PACKAGE_DIR, **env)
        return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)

    def test_generates_from_the_checkout_schema_when_nothing_is_given(self):
        with tempfile.TemporaryDirectory() as cache:
            done = self.run_python("import voxd_client, voxd.protocol.Request as r; print(r.__file__)",
                                   XDG_CACHE_HOME=cache)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertTrue(done.stdout.startswith(os.path.join(cache, "voxd", "python-protocol")), done.stdout)

    def test_a_wrong_directory_is_a_clear_import_error(self):
        with tempfile.TemporaryDirectory() as empty:
            done = self.run_python("import voxd_client", VOXD_PROTOCOL_PYTHON=empty)
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("holds no voxd/protocol/Request.py", done.stderr)


class EveryRequest(ClientTestCase):
    def test_every_request_type_with_its_result(self):
        v = self.voxd
        hello = v.hello("tests")
        self.assertEqual((hello.protocol_version, hello.min_protocol_version), (1, 1))
        self.assertGreater(hello.max_reply_bytes, 0)
        self.assertTrue(hello.server_version)
        self.assertEqual(v.ping(b"\x00abc\xff"), b"\x00abc\xff")
        self.assertTrue(v.health().accepting)

        # Projects; a non-ASCII name survives the trip.
        p = v.create_project("café")
        self.assertEqual(v.set_voxels(p, [(0, 0, 0, RED), (1, 0, 0, RED), (-3, 4, 5, BLUE)]), 3)
        self.assertEqual(v.get_voxels(p, [(0, 0, 0), (-3, 4, 5), (9, 9, 9)]), [RED, BLUE, 0])
        listed = {s.handle: s for s in v.list_projects()}
        self.assertEqual((listed[p].name, listed[p].voxels), ("café", 3))
        info = v.project_info(p)
        self.assertEqual((info.handle, info.name, info.voxels), (p, "café", 3))
        # A new project has one layer, and its info names it as the layer edits go to (not 0).
        self.assertEqual(len(info.layers), 1)
        self.assertEqual(info.active_layer, info.layers[0].id)
        self.assertNotEqual(info.active_layer, 0)
        self.assertEqual(info.bounding_box, Box((-3, 0, 0), (1, 4, 5)))
        self.assertEqual(v.bounding_box(p), Box((-3, 0, 0), (1, 4, 5)))
        self.assertEqual(v.remove_voxels(p, [(1, 0, 0), (50, 50, 50)]), 1)
        self.assertEqual(v.count_voxels(p), 2)

        # Shapes, line, fill, move and copy.
        self.assertEqual(v.clear_layer(p), 2)
        self.assertEqual(v.draw_shape(p, "box", ((0, 0, 0), (3, 3, 3)), RED), 64)
        self.assertEqual(v.draw_shape(p, "box", (0, 0, 0, 1, 3, 3), GREEN, mode="paint"), 32)
        histogram = v.histogram(p)
        self.assertEqual((sorted(histogram.entries), histogram.total_colors), (sorted([(RED, 32), (GREEN, 32)]), 2))
        self.assertEqual(v.histogram(p, box=((0, 0, 0), (0, 3, 3))).entries, [(GREEN, 16)])  # only inside the box
        self.assertEqual(v.draw_line(p, (10, 0, 0), (14, 0, 0), BLUE), 5)
        self.assertEqual(v.flood_fill(p, (2, 0, 0), WHITE), 32)  # the red half, 6-connected
        self.assertEqual(v.find_by_color(p, BLUE).positions, [(x, 0, 0) for x in range(10, 15)])
        self.assertEqual(sorted(v.unique_colors(p)), sorted([WHITE, GREEN, BLUE]))
        self.assertEqual(v.unique_colors(p, box=(2, 0, 0, 3, 3, 3)), [WHITE])
        self.assertEqual(v.find_by_color(p, BLUE, box=(11, 0, 0, 12, 0, 0)).positions, [(11, 0, 0), (12, 0, 0)])
        self.assertGreater(v.move_region(p, ((10, 0, 0), (14, 0, 0)), (0, 10, 0)), 0)
        self.assertEqual(v.get_voxels(p, [(10, 0, 0), (10, 10, 0)]), [0, BLUE])
        self.assertGreater(v.copy_region(p, ((10, 10, 0), (14, 10, 0)), (0, 0, 5)), 0)
        self.assertEqual(v.get_voxels(p, [(10, 10, 0), (10, 10, 5)]), [BLUE, BLUE])

        # Paged reads: sparse and dense of the same box agree with get_voxels.
        box = ((0, 0, 0), (14, 10, 5))
        sparse = {(x, y, z): c for x, y, z, c in v.read_box(p, box)}
        self.assertEqual(len(sparse), v.count_voxels(p))
        dense = v.read_box(p, box, dense=True)
        self.assertEqual(len(dense.colors), 15 * 11 * 6)
        self.assertEqual(dense.at(10, 10, 5), BLUE)
        self.assertEqual({k: dense.at(*k) for k in sparse}, sparse)
        self.assertEqual(sum(1 for c in dense.colors if c), len(sparse))

        # Layers.
        top = v.add_layer(p, "top")
        self.assertEqual(v.set_voxels(p, [(20, 20, 20, RED)], layer=top), 1)
        copy = v.duplicate_layer(p, top)
        v.rename_layer(p, copy, "copy")
        v.set_layer_visible(p, copy, False)
        v.select_layer(p, top)
        v.move_layer(p, top, 0)
        layers = v.list_layers(p)
        self.assertEqual(layers.active_layer, top)
        self.assertEqual(layers.layers[0].id, top)
        by_id = {layer.id: layer for layer in layers.layers}
        self.assertEqual((by_id[copy].name, by_id[copy].visible, by_id[copy].voxels), ("copy", False, 1))
        v.merge_layers(p, copy, top)
        v.remove_layer(p, top)
        self.assertEqual(len(v.list_layers(p).layers), 1)
        self.assertEqual(v.get_voxels(p, [(20, 20, 20)]), [0])

        # History and an atomic batch.
        history = v.undo(p)
        self.assertEqual(history.redo_depth, 1)
        self.assertEqual(v.get_voxels(p, [(20, 20, 20)]), [RED])
        self.assertEqual(v.redo(p).redo_depth, 0)
        results = v.batch(p, [edits.clear_layer(), edits.set_voxels([(7, 7, 7, GREEN)]), edits.add_layer("b")])
        self.assertEqual(len(results), 3)
        self.assertEqual(results[1], 1)
        self.assertGreater(results[2], 0)
        self.assertEqual(v.count_voxels(p), 1)

        # Files and render, inline and under the root; a copy; open from bytes and from a path.
        saved = v.save_project(p, format="gox")
        self.assertEqual(saved.data[:4], b"GOX ")
        written = v.save_project(p, "scene.gox")
        self.assertGreater(written.size, 0)
        self.assertTrue(os.path.isfile(os.path.join(self.daemon.root, "scene.gox")))
        mesh = v.export_project(p, format="obj")
        self.assertIn(b"\nv ", mesh.data)
        # One voxel: six quads, watertight; not a mesh, no report.
        self.assertEqual(mesh.mesh, voxd_client.MeshReport(12, 6, True, 0, 0, 0))
        self.assertIsNone(saved.mesh)
        picture = v.render(p, view="top", width=64, height=48)
        self.assertEqual(picture.data[:8], b"\x89PNG\r\n\x1a\n")
        self.assertTrue(v.render(p, path="scene.png").path.endswith("scene.png"))
        with open(os.path.join(self.daemon.root, "scene.gox"), "rb") as f:
            self.assertEqual(written.sha256, hashlib.sha256(f.read()).hexdigest())
        # A .gltf written to a path keeps its buffer in a .bin beside it, named by a relative uri; inline it is
        # embedded (one byte stream is the whole asset).
        gltf = v.export_project(p, "scene model.gltf")
        self.assertEqual(len(gltf.also_written), 1)
        self.assertTrue(gltf.also_written[0].endswith("/scene_model.bin"), gltf.also_written)
        with open(os.path.join(self.daemon.root, "scene model.gltf"), "rb") as f:
            asset = json.loads(f.read())
        self.assertEqual(asset["buffers"][0]["uri"], "scene_model.bin")
        self.assertEqual(os.path.getsize(os.path.join(self.daemon.root, "scene_model.bin")),
                         asset["buffers"][0]["byteLength"])
        inline = json.loads(v.export_project(p, format="gltf").data)
        self.assertTrue(inline["buffers"][0]["uri"].startswith("data:application/octet-stream;base64,"))
        self.assertEqual(v.export_project(p, "scene.glb").also_written, ())
        self.assertTrue(v.remove_file("scene.png").endswith("scene.png"))
        self.assertFalse(os.path.exists(os.path.join(self.daemon.root, "scene.png")))
        with self.assertRaises(VoxdError) as missing:
            v.remove_file("scene.png")
        self.assertEqual(missing.exception.code, Status.not_found)
        snapshot = v.copy_project(p, "snapshot")
        from_bytes = v.open_file(data=saved.data, name="from-bytes")
        from_path = v.open_file("scene.gox")
        for other in (snapshot, from_bytes, from_path):
            self.assertEqual(v.get_voxels(other, [(7, 7, 7)]), [GREEN])
        # Sharing: a well-formed identity is granted and revoked; a malformed one is refused by name.
        v.share_project(p, "uid:4242", "edit")
        v.share_project(p, "uid:4242", "none")
        with self.assertRaises(VoxdError) as refused:
            v.share_project(p, "bob", "read")
        self.assertIn("neither curve:", str(refused.exception))
        with self.assertRaises(ValueError):
            v.share_project(p, "uid:4242", "write")
        stats = v.stats()
        self.assertGreaterEqual(stats.projects, 4)
        self.assertGreater(stats.per_type["SetVoxels"].requests, 0)
        for other in (snapshot, from_bytes, from_path):
            v.close_project(other)
        self.assertEqual({s.handle for s in v.list_projects()}, {p})

        self.assertEqual(v.sent, schema_members("RequestBody"))


class RenderOptions(ClientTestCase):
    """render()'s keywords: ambient_occlusion, shadows, edges, background, and the free camera."""

    def test_render_keywords(self):
        v = self.voxd
        p = v.create_project()
        v.set_voxels(p, [(x, y, 0, 0xC8C8C8FF) for x in range(12) for y in range(12)] +
                     [(5, 5, z, 0xC85A3CFF) for z in range(1, 7)])
        default = v.render(p, width=96, height=96).data
        self.assertEqual(voxd_harness.pixel(voxd_harness.decode_png(default), 0, 0), (0, 0, 0, 0))
        self.assertEqual(v.render(p, width=96, height=96, ambient_occlusion=True, shadows=True).data, default)
        for keywords in ({"ambient_occlusion": False}, {"shadows": False}, {"background": 0x204060FF},
                         {"yaw": 10}, {"perspective": True}):
            with self.subTest(keywords):
                self.assertNotEqual(v.render(p, width=96, height=96, **keywords).data, default)
        self.assertNotEqual(v.render(p, width=256, height=256, edges=True).data,
                            v.render(p, width=256, height=256).data)
        for background in (0x204060FF, "204060ff", "#204060FF"):
            image = voxd_harness.decode_png(v.render(p, width=32, height=32, background=background).data)
            self.assertEqual(voxd_harness.pixel(image, 31, 0), (0x20, 0x40, 0x60, 0xFF))
        # Camera keywords mean view="free"; yaw 0 / pitch 0 is the front view.
        front = v.render(p, view=View.front, width=64, height=64).data
        self.assertEqual(v.render(p, width=64, height=64, yaw=0, pitch=0).data, front)
        self.assertEqual(v.render(p, view="free", width=64, height=64, yaw=0.0, pitch=0.0).data, front)
        self.assertTrue(v.render(p, width=64, height=64, yaw=-120, pitch=-30, distance=50, perspective=True).data)
        # A contact sheet: two views side by side, 4 pixels apart; the free one takes the camera arguments.
        width, height, rgba = voxd_harness.decode_png(v.render(p, width=64, height=64, sheet=["top", "free"],
                                                               yaw=0, pitch=0).data)
        self.assertEqual((width, height), (2 * 64 + 4, 64))
        _, _, front_rgba = voxd_harness.decode_png(front)
        right_cell = b"".join(bytes(rgba[(y * width + 68) * 4:(y * width + 132) * 4]) for y in range(64))
        self.assertEqual(right_cell, bytes(front_rgba))
        with self.assertRaises(ValueError):
            v.render(p, sheet=["top"], view="top")
        with self.assertRaises(ValueError):
            v.render(p, sheet=["iso"] * 17)

    def test_bad_render_keywords(self):
        v = self.voxd
        p = v.create_project()
        with self.assertRaises(ValueError):
            v.render(p, view="top", yaw=10)  # refused before sending: a named view has no camera
        for bad in ("red", "12345", 1 << 33, -1):
            with self.subTest(bad), self.assertRaises(ValueError):
                v.render(p, background=bad)
        for keywords, named in (({"pitch": 95}, "pitch"), ({"yaw": 400}, "yaw"), ({"distance": 0.25}, "distance")):
            with self.subTest(keywords), self.assertRaises(VoxdError) as caught:
                v.render(p, **keywords)
            self.assertEqual(caught.exception.code, Status.invalid_argument)
            self.assertIn(named, caught.exception.message)


class Errors(ClientTestCase):
    def test_error_replies_raise_with_code_and_message(self):
        p = self.voxd.create_project()
        self.voxd.close_project(p)
        with self.assertRaises(VoxdError) as caught:
            self.voxd.count_voxels(p)
        self.assertEqual(caught.exception.code, Status.stale_handle)
        self.assertTrue(caught.exception.message)
        q = self.voxd.create_project()
        with self.assertRaises(VoxdError) as caught:
            self.voxd.undo(q)
        self.assertEqual(caught.exception.code, Status.nothing_to_do)
        with self.assertRaises(VoxdError) as caught:
            self.voxd.save_project(q, "../outside.gox")
        self.assertEqual(caught.exception.code, Status.permission_denied)
        with self.assertRaises(VoxdError) as caught:
            self.voxd.open_file(data=b"GOX \x02\x00\x00\x00" + bytes(range(60)))  # a .gox v2 header, then garbage
        self.assertEqual(caught.exception.code, Status.format)
        with self.assertRaises(ValueError):
            self.voxd.open_file("a.gox", data=b"x")
        self.assertEqual(self.voxd.ping(b"still fine"), b"still fine")

    def test_a_failed_batch_changes_nothing_and_names_the_operation(self):
        p = self.voxd.create_project()
        with self.assertRaises(VoxdError) as caught:
            self.voxd.batch(p, [edits.set_voxels([(0, 0, 0, RED)]), edits.set_voxels([(1, 0, 0, RED)], layer=99)])
        self.assertEqual(caught.exception.code, Status.not_found)
        self.assertIn("operation 1", caught.exception.message)
        self.assertEqual(self.voxd.count_voxels(p), 0)
        with self.assertRaises(TypeError):
            self.voxd.batch(p, [("SetVoxels",)])


class Pipelining(ClientTestCase):
    def test_pipelined_requests_keep_per_project_order(self):
        a, b = self.voxd.create_project("a"), self.voxd.create_project("b")
        with self.voxd.pipeline(max_in_flight=32) as pipe:
            counts = []
            for i in range(500):
                for p in (a, b):
                    pipe.set_voxels(p, [(i, 0, 0, RED)])
                    counts.append((p, i + 1, pipe.count_voxels(p)))
        for p, expected, pending in counts:
            self.assertEqual(pending.result(), expected, f"project {p}")
        self.assertEqual(len(pipe.results()), 2000)

    def test_an_error_stays_with_its_request(self):
        p = self.voxd.create_project()
        with self.voxd.pipeline() as pipe:
            good = pipe.set_voxels(p, [(0, 0, 0, RED)])
            bad = pipe.remove_layer(p, 42)
            after = pipe.count_voxels(p)
        self.assertEqual(good.result(), 1)
        self.assertEqual(after.result(), 1)
        with self.assertRaises(VoxdError) as caught:
            bad.result()
        self.assertEqual(caught.exception.code, Status.not_found)
        with self.assertRaises(VoxdError):
            pipe.results()


class Timeouts(ClientTestCase):
    def test_timeout_then_the_late_reply_is_dropped(self):
        self.voxd.timeout = 0.3
        self.daemon.pause()  # every thread stopped, so the ping cannot be answered in time
        try:
            with self.assertRaises(VoxdTimeout):
                self.voxd.ping(b"late")
        finally:
            self.daemon.resume()
        self.voxd.timeout = 30
        # The answer to "late" arrives first and must not be taken for this one.
        self.assertEqual(self.voxd.ping(b"on time"), b"on time")

    def test_no_daemon_is_a_timeout(self):
        with tempfile.TemporaryDirectory() as empty:
            with Client("ipc://" + os.path.join(empty, "nobody.sock"), timeout=0.2) as nobody:
                with self.assertRaises(VoxdTimeout):
                    nobody.health()


class Paging(ClientTestCase):
    def test_a_box_over_many_pages(self):
        p = self.voxd.create_project()
        self.voxd.draw_shape(p, "box", ((0, 0, 0), (47, 47, 9)), RED)  # 9 blocks of 16 x 16 in x, y
        self.voxd.set_voxels(p, [(5, 40, 3, GREEN)])
        pages = list(self.voxd.iter_read_box(p, ((0, 0, 0), (47, 47, 9)), page_voxels=4096))
        self.assertGreater(len(pages), 1)
        voxels = self.voxd.read_box(p, ((0, 0, 0), (47, 47, 9)), page_voxels=4096)
        self.assertEqual(len(voxels), 48 * 48 * 10)
        self.assertEqual(len(set((x, y, z) for x, y, z, _ in voxels)), len(voxels))
        self.assertIn((5, 40, 3, GREEN), voxels)
        dense = self.voxd.read_box(p, ((-1, -1, -1), (48, 48, 10)), dense=True, page_voxels=4096)
        self.assertEqual(dense.box, Box((-1, -1, -1), (48, 48, 10)))
        self.assertEqual(sum(1 for c in dense.colors if c), 48 * 48 * 10)
        self.assertEqual((dense.at(5, 40, 3), dense.at(-1, 0, 0)), (GREEN, 0))


class MeshExports(ClientTestCase):
    def test_an_export_reports_its_mesh_topology(self):
        v = self.voxd
        p = v.create_project()
        # Two voxels touching only along an edge: closed, but that edge has four faces.
        v.set_voxels(p, [(0, 0, 0, RED), (1, 1, 0, RED)])
        for path in ("edge.stl", "edge.glb"):
            written = v.export_project(p, path)
            self.assertEqual(written.mesh, voxd_client.MeshReport(24, 24, False, 0, 1, 0), path)
        v.set_voxels(p, [(1, 0, 0, RED)])
        inline = v.export_project(p, format="ply")
        self.assertTrue(inline.mesh.watertight)
        self.assertEqual(inline.mesh.nonmanifold_edges, 0)


class Warnings(ClientTestCase):
    def test_a_lossy_save_reports_its_warning(self):
        p = self.voxd.create_project()
        # More than 255 colours cannot fit a .vox palette.
        self.voxd.set_voxels(p, [(i, 0, 0, (i << 8) | 0xFF) for i in range(300)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            saved = self.voxd.save_project(p, format="vox")
        self.assertTrue(saved.lossy)
        self.assertTrue(any(issubclass(w.category, voxd_client.VoxdWarning) for w in caught))


class Example(ClientTestCase):
    def test_the_documented_example_runs(self):
        with tempfile.TemporaryDirectory() as out:
            env = dict(os.environ, VOXD_ENDPOINT=self.daemon.endpoint)
            done = subprocess.run([sys.executable, os.path.join(PACKAGE_DIR, "examples", "quickstart.py"), out],
                                  env=env, capture_output=True, text=True, timeout=120)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("as expected: not_found", done.stdout)
            with open(os.path.join(out, "quickstart.png"), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertEqual(self.voxd.list_projects(), [])


if __name__ == "__main__":
    unittest.main()
