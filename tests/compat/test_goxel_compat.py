"""The Goxel compatibility front against the real daemon: goxel-daemon's methods, parameter forms, framing,
batches, errors and session isolation, through a raw Unix socket (docs/goxel-compat.md)."""
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import unittest

from goxel_client import GoxelConnection, call_once
from voxd_harness import Client, Daemon, request_bytes

HERE = os.path.dirname(os.path.abspath(__file__))


class GoxelDaemon:
    def __init__(self, *extra):
        self.tmp_socket = None
        self.daemon = None
        self.extra = extra

    def __enter__(self):
        import tempfile
        self.dir = tempfile.TemporaryDirectory(prefix="voxd-goxel-")
        self.path = os.path.join(self.dir.name, "goxel.sock")
        self.daemon = Daemon("--goxel-socket", self.path, *self.extra)
        deadline = time.monotonic() + 10
        while not os.path.exists(self.path) and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc):
        status, _ = self.daemon.stop()
        stderr = self.daemon.process.stderr.read()
        self.daemon.close()
        removed = not os.path.exists(self.path)
        self.dir.cleanup()
        assert status == 0, stderr
        assert "Sanitizer" not in stderr and "runtime error" not in stderr, stderr
        assert removed, "the socket file was not removed at shutdown"


class GoxelCompatTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = GoxelDaemon("--goxel-max-message-bytes", "400000").__enter__()
        cls.path = cls.server.path

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def setUp(self):
        self.c = GoxelConnection(self.path, timeout=60)

    def tearDown(self):
        self.c.close()

    def test_system_methods(self):
        self.assertEqual(self.c.result("echo", {"hello": [1, 2]}), {"hello": [1, 2]})
        self.assertEqual(self.c.result("ping"), {"pong": True})
        self.assertEqual(self.c.result("version")["version"], "0.19.0")
        methods = self.c.result("list_methods")["methods"]
        for name in ("goxel.add_voxel", "goxel.create_project", "goxel.list_projects", "echo"):
            self.assertIn(name, methods)

    def test_create_add_get_remove_named_and_positional(self):
        created = self.c.result("goxel.create_project", {"name": "a"})
        self.assertEqual((created["success"], created["name"], created["width"]), (True, "a", 64))
        self.assertEqual(self.c.result("goxel.add_voxel", [1, 2, 3, 255, 0, 0, 255])["color"], [255, 0, 0, 255])
        got = self.c.result("goxel.get_voxel", {"x": 1, "y": 2, "z": 3})
        self.assertEqual((got["exists"], got["color"]), (True, [255, 0, 0, 255]))
        self.assertEqual(self.c.result("goxel.get_voxel", [1, 2, 4])["exists"], False)
        self.c.result("goxel.remove_voxel", [1, 2, 3])
        self.assertEqual(self.c.result("goxel.get_voxel", [1, 2, 3])["exists"], False)

    def test_every_colour_form(self):
        self.c.result("goxel.create_project", ["colours"])
        forms = [
            ([0, 0, 0, 10, 20, 30, 40], [10, 20, 30, 40]),
            ([1, 0, 0, 10, 20, 30], [10, 20, 30, 255]),
            ([2, 0, 0, "#FF8000"], [255, 128, 0, 255]),
            ({"x": 3, "y": 0, "z": 0, "color": [1, 2, 3, 4]}, [1, 2, 3, 4]),
            ({"x": 4, "y": 0, "z": 0, "color": "#01020304"}, [1, 2, 3, 4]),
            ({"x": 5, "y": 0, "z": 0, "color": {"r": 9, "g": 8, "b": 7}}, [9, 8, 7, 255]),
            ({"x": 6, "y": 0, "z": 0, "color": [1.0, 0.5, 0.0, 1.0]}, [255, 128, 0, 255]),
            ({"x": 7, "y": 0, "z": 0, "r": 5, "g": 6, "b": 7, "a": 8}, [5, 6, 7, 8]),
            ({"x": 8, "y": 0, "z": 0}, [255, 255, 255, 255]),
        ]
        for params, expected in forms:
            self.c.result("goxel.add_voxel", params)
            x = params[0] if isinstance(params, list) else params["x"]
            self.assertEqual(self.c.result("goxel.get_voxel", [x, 0, 0])["color"], expected, params)
        for bad in ({"x": 0, "y": 0, "z": 0, "color": "#12"}, {"x": 0, "y": 0, "z": 0, "color": [1, 2]},
                    [0, 0, 0, 300, 0, 0]):
            self.assertEqual(self.c.call("goxel.add_voxel", bad)["error"]["code"], -32602, bad)

    def test_add_voxels_bulk(self):
        self.c.result("goxel.create_project", ["bulk"])
        voxels = [{"x": i % 10, "y": i // 10, "z": 0, "color": [i % 256, 0, 0, 255]} for i in range(1000)]
        self.assertEqual(self.c.result("goxel.add_voxels", {"voxels": voxels})["count"], 1000)
        self.assertEqual(self.c.result("goxel.get_voxel", [7, 99, 0])["color"], [997 % 256, 0, 0, 255])

    def test_batch_and_notifications(self):
        self.c.result("goxel.create_project", ["batch"])
        batch = [self.c.request("goxel.add_voxel", [0, 0, 0, 1, 2, 3, 255]),
                 self.c.request("goxel.add_voxel", [1, 0, 0, 1, 2, 3, 255], notification=True),
                 {"jsonrpc": "2.0", "id": 99, "method": "no.such"},
                 self.c.request("goxel.get_voxel", [1, 0, 0])]
        self.c.send_raw(json.dumps(batch))
        reply = self.c.read_reply()
        self.assertEqual(len(reply), 3)
        self.assertTrue(reply[0]["result"]["success"])
        self.assertEqual(reply[1]["error"]["code"], -32601)
        self.assertEqual(reply[2]["result"]["color"], [1, 2, 3, 255])
        self.c.send_raw(json.dumps(self.c.request("goxel.add_voxel", [5, 5, 5], notification=True)))
        self.assertTrue(self.c.result("goxel.get_voxel", [5, 5, 5])["exists"])  # the notification ran first
        self.assertEqual(self.c.call("echo", [1])["result"], [1])

    def test_split_and_coalesced_frames(self):
        a = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "echo", "params": ["a{"]})
        b = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "echo", "params": ["}b"]})
        data = (a + b + "\n").encode()
        for i in range(len(data)):
            self.c.send_raw(data[i:i + 1])
            if i % 17 == 0:
                time.sleep(0.001)
        self.assertEqual(self.c.read_reply()["result"], ["a{"])
        self.assertEqual(self.c.read_reply()["result"], ["}b"])
        self.c.send_raw((a + "\n" + b + "\n") * 20)
        ids = [self.c.read_reply()["id"] for _ in range(40)]
        self.assertEqual(ids, [1, 2] * 20)

    def test_large_reply(self):
        payload = "x" * 250000
        self.assertEqual(self.c.result("echo", [payload]), [payload])

    def test_errors(self):
        self.c.send_raw("{this is not json}\n")
        self.assertEqual(self.c.read_reply()["error"]["code"], -32700)
        self.c.send_raw("garbage\n")
        self.assertEqual(self.c.read_reply()["error"]["code"], -32700)
        self.c.send_raw('{"jsonrpc": "2.0", "id": 3, "method": "echo", "params": [1e400]}\n')  # no double holds it
        self.assertEqual(self.c.read_reply()["error"]["code"], -32700)
        self.assertEqual(self.c.call("goxel.nope")["error"]["code"], -32601)
        self.assertEqual(self.c.call("goxel.add_voxel", {"x": "one", "y": 0, "z": 0})["error"]["code"], -32602)
        self.assertEqual(self.c.call("goxel.add_voxel", {"y": 0, "z": 0})["error"]["code"], -32602)
        self.assertEqual(self.c.call("goxel.load_project", [])["error"]["code"], -32602)
        missing = self.c.call("goxel.load_project", ["does-not-exist.gox"])
        self.assertEqual(missing["error"]["code"], -1002)
        escape = self.c.call("goxel.save_project", ["../../escape.gox"])
        self.assertEqual(escape["error"]["code"], -1003)
        self.assertEqual(self.c.call("goxel.execute_script", {"script": "1"})["error"]["code"], -32601)
        self.c.send_raw(json.dumps({"jsonrpc": "2.0", "id": 5, "method": "echo", "params": ["y" * 500000]}) + "\n")
        too_large = self.c.read_reply()
        self.assertEqual(too_large["error"]["code"], -32600)
        self.assertIn("--goxel-max-message-bytes", too_large["error"]["message"])
        self.assertEqual(self.c.call("echo", ["still fine"])["result"], ["still fine"])
        self.c.send_raw("[]\n")
        self.assertEqual(self.c.read_reply()["error"]["code"], -32600)

    def test_save_load_export(self):
        self.c.result("goxel.create_project", ["files"])
        self.c.result("goxel.add_voxel", [0, 0, 0, 0, 255, 0, 255])
        self.assertEqual(self.c.result("goxel.save_project", ["compat-model.gox"])["path"], "compat-model.gox")
        exported = self.c.result("goxel.export_model", {"path": "compat-model.vox"})
        self.assertNotIn("watertight", exported)  # not a mesh
        # voxd's one addition to goxel-daemon's result: a mesh says whether it is watertight.
        self.assertEqual(self.c.result("goxel.export_model", ["compat-model.stl"]),
                         {"success": True, "path": "compat-model.stl", "watertight": True})
        self.c.result("goxel.create_project", ["other"])
        self.assertFalse(self.c.result("goxel.get_voxel", [0, 0, 0])["exists"])
        self.c.result("goxel.load_project", {"path": "compat-model.gox"})
        self.assertEqual(self.c.result("goxel.get_voxel", [0, 0, 0])["color"], [0, 255, 0, 255])
        unknown = self.c.call("goxel.export_model", ["compat-model.fbx"])
        self.assertEqual(unknown["error"]["code"], -1007)
        self.assertIn("fbx", unknown["error"]["message"])

    def test_one_connection_per_call_keeps_the_process_project(self):
        call_once(self.path, "goxel.create_project", ["per-call"])
        for i in range(300):
            reply = call_once(self.path, "goxel.add_voxel", [i, 0, 0, 1, 1, 1, 255]) if i % 30 == 0 else \
                call_once(self.path, "ping")
            self.assertIn("result", reply)
        self.assertTrue(call_once(self.path, "goxel.get_voxel", [270, 0, 0])["result"]["exists"])

    def test_two_processes_are_isolated(self):
        script = ("import sys; sys.path.insert(0, %r)\n"
                  "from goxel_client import GoxelConnection\n"
                  "c = GoxelConnection(%r)\n"
                  "c.result('goxel.add_voxel', [9, 9, 9, 1, 2, 3, 255])\n"
                  "print(c.result('goxel.get_voxel', [9, 9, 9])['exists'])\n") % (HERE, self.path)
        self.c.result("goxel.create_project", ["mine"])
        output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        self.assertEqual(output.stdout.strip(), "True", output.stderr)
        self.assertFalse(self.c.result("goxel.get_voxel", [9, 9, 9])["exists"])
        projects = self.c.result("goxel.list_projects")["projects"]
        self.assertGreaterEqual(len(projects), 2)
        self.assertEqual(sum(1 for p in projects if p["current"]), 1)

    def test_project_extension_and_close(self):
        replaced = self.c.result("goxel.create_project", ["replaced"])["project"]
        handle = self.c.result("goxel.create_project", ["addressed"])["project"]  # closes "replaced", as goxel
        stale = self.c.call("goxel.get_voxel", {"x": 0, "y": 0, "z": 0, "project": replaced})
        self.assertEqual(stale["error"]["data"]["voxd_status"], "stale_handle")
        self.c.result("goxel.create_project", {"name": "current", "keep_current": True})
        self.c.result("goxel.add_voxel", {"x": 1, "y": 1, "z": 1, "project": handle})
        self.assertTrue(self.c.result("goxel.get_voxel", {"x": 1, "y": 1, "z": 1, "project": handle})["exists"])
        self.assertFalse(self.c.result("goxel.get_voxel", [1, 1, 1])["exists"])
        self.c.result("goxel.close_project", {"project": handle})
        stale = self.c.call("goxel.get_voxel", {"x": 1, "y": 1, "z": 1, "project": handle})
        self.assertEqual(stale["error"]["data"]["voxd_status"], "stale_handle")

    def test_layers(self):
        self.c.result("goxel.create_project", ["layers"])
        before = self.c.result("goxel.list_layers")["count"]
        layer = self.c.result("goxel.create_layer", {"name": "second"})["layer_id"]
        layers = self.c.result("goxel.list_layers")["layers"]
        self.assertEqual(len(layers), before + 1)
        self.assertIn("second", [entry["name"] for entry in layers])
        self.assertIn(layer, [entry["id"] for entry in layers])


    def test_paint_flood_fill_and_shapes(self):
        self.c.result("goxel.create_project", ["edits"])
        made = self.c.result("goxel.procedural_shape", {"shape_type": "cube", "size_x": 4, "size_y": 4, "size_z": 4,
                                                         "r": 10, "g": 20, "b": 30})
        self.assertEqual((made["shape_type"], made["voxels_created"]), ("cube", 64))
        # goxel-daemon's cube spans center - size/2 .. center + size/2 - 1
        self.assertTrue(self.c.result("goxel.get_voxel", [-2, -2, -2])["exists"])
        self.assertFalse(self.c.result("goxel.get_voxel", [2, 2, 2])["exists"])
        sphere = self.c.result("goxel.procedural_shape", ["sphere", 9, 9, 9, 40, 0, 0, 200, 0, 0, 255])
        self.assertGreater(sphere["voxels_created"], 200)
        self.assertEqual(self.c.call("goxel.procedural_shape", ["torus"])["error"]["code"], -1011)
        painted = self.c.result("goxel.paint_voxels", [0, 0, 0, 1, 2, 3, 255])
        self.assertEqual(painted, {"success": True, "painted": 1})
        self.assertEqual(self.c.result("goxel.get_voxel", [0, 0, 0])["color"], [1, 2, 3, 255])
        self.assertEqual(self.c.result("goxel.paint_voxels", [100, 0, 0, 1, 2, 3, 255])["painted"], 0)
        filled = self.c.result("goxel.flood_fill", {"x": 1, "y": 1, "z": 1, "color": "#00FF00"})
        self.assertEqual(filled["voxels_filled"], 63)  # the cube but the painted voxel
        self.assertEqual(self.c.result("goxel.get_voxel", [-2, 1, 1])["color"], [0, 255, 0, 255])

    def test_batch_operations_and_clear(self):
        self.c.result("goxel.create_project", ["ops"])
        ops = [{"type": "add_voxel", "x": i, "y": 0, "z": 0, "r": 9, "g": 9, "b": 9} for i in range(5)]
        ops += [{"type": "remove_voxel", "x": 0, "y": 0, "z": 0}, {"type": "teleport"}]
        done = self.c.result("goxel.batch_operations", {"operations": ops})
        self.assertEqual((done["total_operations"], done["successful_operations"]), (7, 6))
        self.assertFalse(self.c.result("goxel.get_voxel", [0, 0, 0])["exists"])
        self.assertEqual(self.c.result("goxel.get_voxel", [4, 0, 0])["color"], [9, 9, 9, 255])
        self.assertEqual(self.c.call("goxel.batch_operations", {})["error"]["code"], -32602)
        self.assertEqual(self.c.result("goxel.clear_voxels")["voxels_removed"], 4)

    def test_layer_edits(self):
        self.c.result("goxel.create_project", ["layer edits"])
        first = self.c.result("goxel.list_layers")["layers"][0]["id"]
        second = self.c.result("goxel.create_layer", ["top"])["layer_id"]
        self.c.result("goxel.add_voxel", {"x": 1, "y": 1, "z": 1, "layer_id": second, "color": [5, 5, 5, 255]})
        self.assertEqual(self.c.result("goxel.set_layer_visibility", [second, False]), {"success": True, "visible": False})
        hidden = [l for l in self.c.result("goxel.get_layers")["layers"] if l["id"] == second][0]
        self.assertFalse(hidden["visible"])
        self.c.result("goxel.set_layer_visibility", {"layer_id": second, "visible": True})
        self.assertEqual(self.c.result("goxel.set_active_layer", [first])["layer_id"], first)
        self.assertEqual(self.c.result("goxel.list_layers")["active_layer"], first)
        self.assertEqual(self.c.result("goxel.merge_layers", [second, first]), {"success": True})
        self.assertEqual(self.c.result("goxel.list_layers")["count"], 1)
        self.assertEqual(self.c.result("goxel.get_voxel", [1, 1, 1])["color"], [5, 5, 5, 255])
        self.c.result("goxel.create_layer", {"name": "doomed"})
        self.assertEqual(self.c.result("goxel.delete_layer", {"layer_name": "doomed"}), {"success": True})
        self.assertEqual(self.c.call("goxel.delete_layer", {"layer_name": "doomed"})["error"]["code"], -1012)
        self.assertEqual(self.c.call("goxel.delete_layer", [])["error"]["code"], -32602)
        self.assertEqual(self.c.call("goxel.merge_layers", [0, 1])["error"]["code"], -32602)
        self.assertEqual(self.c.call("goxel.set_layer_visibility", [999, True])["error"]["code"], -1014)
        third = self.c.result("goxel.create_layer", ["three"])["layer_id"]
        self.assertEqual(self.c.result("goxel.delete_layer", [third]), {"success": True})

    def test_reads_and_colour_analysis(self):
        self.c.result("goxel.create_project", ["reads"])
        self.assertEqual(self.c.result("goxel.get_bounding_box"), {"empty": True})
        self.c.result("goxel.add_voxels", {"voxels": [{"x": i, "y": 0, "z": 0, "color": [255, 0, 0, 255]} for i in range(6)]})
        self.c.result("goxel.add_voxel", [0, 3, 1, 0, 0, 255, 255])
        box = self.c.result("goxel.get_bounding_box", {"exact": True})
        self.assertEqual((box["empty"], box["min"], box["max"], box["dimensions"]), (False, [0, 0, 0], [5, 3, 1], [6, 4, 2]))
        region = self.c.result("goxel.get_voxels_region", {"min": [0, 0, 0], "max": [2, 5, 5]})
        self.assertEqual(region["count"], 4)
        self.assertIn({"x": 0, "y": 3, "z": 1, "color": [0, 0, 255, 255]}, region["voxels"])
        paged = self.c.result("goxel.get_voxels_region", {"min": [0, 0, 0], "max": [9, 9, 9], "offset": 2, "limit": 3})
        self.assertEqual((paged["count"], paged["truncated"]), (3, True))
        blue = self.c.result("goxel.get_voxels_region", {"min": [0, 0, 0], "max": [9, 9, 9], "color_filter": [0, 0, 255]})
        self.assertEqual(blue["count"], 1)
        self.assertEqual(self.c.call("goxel.get_voxels_region", {"min": [0, 0]})["error"]["code"], -32602)
        self.assertEqual(self.c.result("goxel.get_layer_voxels")["count"], 7)
        histogram = self.c.result("goxel.get_color_histogram")
        self.assertEqual((histogram["total_voxels"], histogram["unique_colors"]), (7, 2))
        self.assertEqual(histogram["histogram"][0]["color"], "#FF0000FF")
        self.assertEqual(histogram["histogram"][0]["count"], 6)
        self.assertEqual(len(self.c.result("goxel.get_color_histogram", {"top_n": 1})["histogram"]), 1)
        unique = self.c.result("goxel.get_unique_colors")
        self.assertEqual(unique["count"], 2)
        self.assertIn({"hex": "#0000FFFF", "rgba": [0, 0, 255, 255]}, unique["colors"])
        found = self.c.result("goxel.find_voxels_by_color", {"color": [255, 0, 0]})
        self.assertEqual((found["target_color"], found["match_count"], len(found["locations"])), ("#FF0000FF", 6, 6))
        self.assertEqual(self.c.call("goxel.find_voxels_by_color", {"color": "red"})["error"]["code"], -32602)
        info = self.c.result("goxel.get_project_info")
        self.assertEqual((info["name"], info["voxel_count"], info["layer_count"]), ("reads", 7, 1))

    def test_colour_analysis_region_bins_and_merging_against_a_model(self):
        # goxel-daemon's region ({min, max}, both inclusive), bin_size and merge_similar / merge_threshold,
        # against the same analysis computed here from the voxels sent.
        import random
        self.c.result("goxel.create_project", ["colours"])
        rng = random.Random(5)
        palette = [(200, 10, 10, 255), (205, 14, 9, 255), (30, 200, 40, 255), (33, 198, 47, 255), (250, 250, 250, 255),
                   (0, 0, 255, 128), (3, 2, 250, 128), (129, 127, 131, 255)]
        voxels = {}
        for _ in range(1500):
            voxels[(rng.randint(-30, 30), rng.randint(-30, 30), rng.randint(-5, 20))] = rng.choice(palette)
        self.c.result("goxel.add_voxels", {"voxels": [{"x": x, "y": y, "z": z, "color": list(c)}
                                                       for (x, y, z), c in voxels.items()]})

        def binned(c, size):
            if size <= 1:
                return c
            return tuple(min(v // size * size + size // 2, 255) for v in c[:3]) + (c[3],)

        def hex_of(c):
            return "#%02X%02X%02X%02X" % c

        def model(region=None, size=0):
            counts = {}
            for p, c in voxels.items():
                if region is None or all(region["min"][i] <= p[i] <= region["max"][i] for i in range(3)):
                    key = binned(c, size)
                    counts[key] = counts.get(key, 0) + 1
            return counts

        def by_count(counts):
            return [hex_of(c) for c, n in sorted(counts.items(), key=lambda item: (-item[1], hex_of(item[0])))]

        region = {"min": [-7, -16, 0], "max": [12, 3, 9]}  # cuts 16^3 blocks, negative corners included
        for params, size in (({"region": region}, 0), ({"bin_size": 32}, 32), ({"region": region, "bin_size": 10}, 10),
                             ({"bin_size": 1}, 1), ({"bin_size": 256}, 256), ({"bin_size": 200}, 200),
                             ({"bin_size": 120}, 120)):
            with self.subTest(params):
                expected = model(params.get("region"), size)
                got = self.c.result("goxel.get_color_histogram", params)
                self.assertEqual({e["color"]: e["count"] for e in got["histogram"]},
                                 {hex_of(c): n for c, n in expected.items()})
                self.assertEqual([e["color"] for e in got["histogram"]], by_count(expected))
                self.assertEqual((got["total_voxels"], got["unique_colors"]), (sum(expected.values()), len(expected)))
                self.assertEqual(got["metadata"], {"binned": True, "bin_size": size} if size > 1 else {"binned": False})
                for entry in got["histogram"]:
                    self.assertEqual(hex_of(tuple(entry["rgba"])), entry["color"])
                    self.assertAlmostEqual(entry["percentage"], 100.0 * entry["count"] / sum(expected.values()))
        by_colour = self.c.result("goxel.get_color_histogram", {"region": region, "bin_size": 64, "sort_by_count": False})
        self.assertEqual([e["color"] for e in by_colour["histogram"]], sorted(hex_of(c) for c in model(region, 64)))
        top = self.c.result("goxel.get_color_histogram", {"bin_size": 32, "top_n": 2})
        self.assertEqual([e["color"] for e in top["histogram"]], by_count(model(None, 32))[:2])
        self.assertEqual(top["unique_colors"], len(model(None, 32)))
        empty = self.c.result("goxel.get_color_histogram", {"region": {"min": [500, 500, 500], "max": [600, 600, 600]}})
        self.assertEqual((empty["histogram"], empty["total_voxels"], empty["unique_colors"]), ([], 0, 0))

        # merge_similar bins by merge_threshold (10 by default), as goxel-daemon did.
        for params, size in (({"merge_similar": True}, 10), ({"merge_similar": True, "merge_threshold": 40}, 40),
                             ({"merge_similar": False, "merge_threshold": 40}, 0),
                             ({"merge_similar": True, "region": region}, 10), ({"region": region}, 0)):
            with self.subTest(params):
                expected = model(params.get("region"), size)
                got = self.c.result("goxel.get_unique_colors", params)
                self.assertEqual([c["hex"] for c in got["colors"]], sorted(hex_of(c) for c in expected))
                self.assertEqual(got["count"], len(expected))
                by_use = self.c.result("goxel.get_unique_colors", dict(params, sort_by_count=True))
                self.assertEqual([c["hex"] for c in by_use["colors"]], by_count(expected))
        self.assertLess(len(model(None, 10)), len(model()), "the palette's near colours do merge")

        red = (200, 10, 10, 255)
        found = self.c.result("goxel.find_voxels_by_color", {"color": list(red), "region": region})
        inside = {p for p, c in voxels.items() if c == red and all(region["min"][i] <= p[i] <= region["max"][i]
                                                                     for i in range(3))}
        self.assertEqual({(l["x"], l["y"], l["z"]) for l in found["locations"]}, inside)
        self.assertEqual((found["match_count"], found["truncated"]), (len(inside), False))
        near = self.c.result("goxel.find_voxels_by_color", {"color": list(red), "tolerance": 5, "region": region,
                                                            "include_locations": False})
        self.assertEqual(near["match_count"], sum(1 for p, c in voxels.items() if c in (red, (205, 14, 9, 255)) and
                                                  all(region["min"][i] <= p[i] <= region["max"][i] for i in range(3))))

        # Out of range or malformed: -32602 naming the parameter; a region voxd cannot hold: voxd's error.
        for method, params, name in (
                ("goxel.get_color_histogram", {"bin_size": -1}, "bin_size"),
                ("goxel.get_color_histogram", {"bin_size": 257}, "bin_size"),
                ("goxel.get_color_histogram", {"bin_size": "8"}, "bin_size"),
                ("goxel.get_unique_colors", {"merge_similar": True, "merge_threshold": -3}, "merge_threshold"),
                ("goxel.get_unique_colors", {"merge_threshold": 1000}, "merge_threshold"),
                ("goxel.get_unique_colors", {"merge_similar": "yes"}, "merge_similar"),
                ("goxel.get_color_histogram", {"region": {"min": [5, 0, 0], "max": [0, 9, 9]}}, "region"),
                ("goxel.get_unique_colors", {"region": {"min": [0, 0, 0]}}, "region"),
                ("goxel.find_voxels_by_color", {"color": [1, 2, 3], "region": [0, 0, 0, 9, 9, 9]}, "region"),
                ("goxel.get_color_histogram", {"region": {"min": [0, 0], "max": [9, 9, 9]}}, "region.min"),
                ("goxel.get_color_histogram", {"region": {"min": [0, 0, 0], "max": [9, 9, 2 ** 40]}}, "region.max")):
            with self.subTest(method=method, params=params):
                error = self.c.call(method, params)["error"]
                self.assertEqual(error["code"], -32602, error)
                self.assertIn(name, error["message"])
        far = self.c.call("goxel.get_color_histogram", {"region": {"min": [-2000000000, 0, 0], "max": [0, 0, 0]}})
        self.assertEqual((far["error"]["code"], far["error"]["data"]["voxd_status"]), (-1019, "invalid_argument"))
        self.assertIn("box", far["error"]["message"])

    def test_render_scene_and_renders(self):
        self.c.result("goxel.create_project", ["render"])
        self.c.result("goxel.add_voxel", [0, 0, 0, 200, 100, 50, 255])
        legacy = self.c.result("goxel.render_scene", ["legacy.png", 64, 48])
        self.assertEqual((legacy["width"], legacy["height"], legacy["format"]), (64, 48, "png"))
        with open(legacy["output_path"], "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        managed = self.c.result("goxel.render_scene", {"width": 32, "height": 32, "camera_preset": "front",
                                                        "options": {"return_mode": "file_path",
                                                                    "background_color": [0, 0, 0, 255]}})
        file = managed["file"]
        self.assertEqual((file["dimensions"], file["format"]), ({"width": 32, "height": 32}, "png"))
        self.assertEqual(os.path.getsize(file["path"]), file["size"])
        with open(file["path"], "rb") as f:
            self.assertEqual(file["checksum"], "sha256:" + hashlib.sha256(f.read()).hexdigest())
        info = self.c.result("goxel.get_render_info", [file["path"]])["render"]
        self.assertEqual((info["path"], info["checksum"]), (file["path"], file["checksum"]))
        listed = {r["path"]: r for r in self.c.result("goxel.list_renders")["renders"]}
        self.assertEqual(listed[file["path"]]["checksum"], file["checksum"])
        cleaned = self.c.result("goxel.cleanup_render", {"path": file["path"]})
        self.assertEqual(cleaned, {"success": True, "message": "Render cleaned up successfully"})
        self.assertFalse(os.path.exists(file["path"]))
        self.assertEqual(self.c.call("goxel.get_render_info", [file["path"]])["error"]["code"], -1020)
        self.assertEqual(self.c.call("goxel.cleanup_render", [file["path"]])["error"]["code"], -1021)
        # A render whose file the user already removed is still forgotten, and the message says so.
        gone = self.c.result("goxel.render_scene", {"width": 8, "height": 8})["file"]["path"]
        os.remove(gone)
        cleaned = self.c.result("goxel.cleanup_render", [gone])
        self.assertTrue(cleaned["success"])
        self.assertIn("already gone", cleaned["message"])
        self.assertEqual(self.c.call("goxel.get_render_info", [gone])["error"]["code"], -1020)
        # Only managed renders are cleaned up: the legacy output path is the caller's file and stays.
        self.assertEqual(self.c.call("goxel.cleanup_render", [legacy["output_path"]])["error"]["code"], -1021)
        self.assertTrue(os.path.exists(legacy["output_path"]))
        self.assertEqual(self.c.call("goxel.render_scene", {"camera_preset": "sideways"})["error"]["code"], -32602)

    def test_import_model_and_script(self):
        self.c.result("goxel.create_project", ["import"])
        self.c.result("goxel.add_voxel", [2, 2, 2, 1, 1, 1, 255])
        self.c.result("goxel.export_model", ["compat-import.vox"])
        imported = self.c.result("goxel.import_model", {"path": "compat-import.vox"})
        self.assertTrue(imported["success"])
        self.assertTrue(self.c.result("goxel.get_voxel", [2, 2, 2])["exists"])
        self.assertEqual(self.c.call("goxel.import_model", ["missing.vox"])["error"]["code"], -1018)
        script = self.c.call("goxel.execute_script", {"code": "1+1"})["error"]
        self.assertIn("not supported", script["message"])

    def test_every_listed_method_exists(self):
        methods = set(self.c.result("list_methods")["methods"])
        for name in ("create_project", "load_project", "save_project", "export_model", "add_voxel", "add_voxels",
                     "remove_voxel", "get_voxel", "paint_voxels", "flood_fill", "procedural_shape",
                     "batch_operations", "list_layers", "create_layer", "delete_layer", "merge_layers",
                     "set_layer_visibility", "get_status", "render_scene", "get_voxels_region", "get_layer_voxels",
                     "get_bounding_box", "get_color_histogram", "find_voxels_by_color", "get_unique_colors",
                     "get_render_info", "list_renders", "cleanup_render", "get_project_info", "clear_voxels",
                     "set_active_layer", "get_layers", "import_model", "execute_script", "list_projects",
                     "close_project"):
            self.assertIn("goxel." + name, methods)
        for name in ("echo", "version", "status", "ping", "list_methods"):
            self.assertIn(name, methods)


class IdentityTest(unittest.TestCase):
    """Goxel clients carry their uid ("uid:<n>", as an ipc client of that uid): ownership and --root-per-client."""

    def test_goxel_projects_belong_to_the_peer_uid(self):
        with GoxelDaemon("--root-per-client", "--listen", "tcp://127.0.0.1:0") as server:
            c = GoxelConnection(server.path)
            handle = c.result("goxel.create_project", ["owned"])["project"]
            c.result("goxel.add_voxel", [0, 0, 0, 1, 2, 3, 255])
            c.result("goxel.save_project", ["owned.gox"])
            render = c.result("goxel.render_scene", {"width": 8, "height": 8})["file"]["path"]
            folder = os.path.join(server.daemon.root, "uid-%d" % os.getuid())
            self.assertEqual(os.path.dirname(render), folder)
            self.assertTrue(os.path.exists(render))
            self.assertEqual(c.result("goxel.cleanup_render", [render])["message"], "Render cleaned up successfully")
            self.assertFalse(os.path.exists(render))
            c.close()
            self.assertTrue(os.path.exists(os.path.join(folder, "owned.gox")), os.listdir(server.daemon.root))
            same_uid = Client(server.daemon.endpoint)
            listed = same_uid.call("ListProjects").result()
            self.assertIn(handle, [listed.Projects(i).Handle() for i in range(listed.ProjectsLength())])
            same_uid.close()
            anonymous = Client(server.daemon.endpoints[1])
            anonymous.call("GetProjectInfo", handle, expect="stale_handle")
            # Naming an identity is for in-process fronts only: from a tcp (or ipc) peer it is a malformed message.
            forged = request_bytes("GetProjectInfo", 77, handle)
            anonymous.socket.send_multipart([b"voxd-identity:uid:%d" % os.getuid(), forged])
            reply = anonymous.receive()
            self.assertEqual(reply.status, "protocol", reply.message)
            anonymous.close()


class BoundsAndLoadTest(unittest.TestCase):
    def test_connections_are_bounded(self):
        with GoxelDaemon("--goxel-max-connections", "2") as server:
            first, second = GoxelConnection(server.path), GoxelConnection(server.path)
            self.assertEqual(first.result("ping"), {"pong": True})
            self.assertEqual(second.result("ping"), {"pong": True})
            third = GoxelConnection(server.path, timeout=0.5)  # waits in the listen backlog
            third.send_raw(json.dumps(third.request("ping")) + "\n")
            with self.assertRaises(socket.timeout):
                third.read_reply()
            first.close()
            third.sock.settimeout(10)
            self.assertEqual(third.read_reply()["result"], {"pong": True})
            second.close()
            third.close()

    def test_six_clients_random_mix_against_a_model(self):
        import random
        import threading
        failures = []

        def client(seed, path, seconds):
            rng = random.Random(seed)
            c = GoxelConnection(path, timeout=60)
            model = {}
            saved = None
            try:
                c.result("goxel.create_project", ["client-%d" % seed])
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    op = rng.randrange(6)
                    x, y, z = rng.randrange(8), rng.randrange(8), rng.randrange(8)
                    if op == 0:
                        color = [rng.randrange(256), rng.randrange(256), rng.randrange(256), 255]
                        c.result("goxel.add_voxel", {"x": x, "y": y, "z": z, "color": color})
                        model[(x, y, z)] = color
                    elif op == 1:
                        c.result("goxel.remove_voxel", [x, y, z])
                        model.pop((x, y, z), None)
                    elif op == 2:
                        got = c.result("goxel.get_voxel", [x, y, z])
                        want = model.get((x, y, z))
                        if got["exists"] != (want is not None) or (want is not None and got["color"] != want):
                            failures.append((seed, (x, y, z), got, want))
                    elif op == 3:
                        c.result("goxel.save_project", ["mix-%d.gox" % seed])
                        saved = dict(model)
                    elif op == 4:
                        count = c.result("goxel.get_project_info")["voxel_count"]
                        if count != len(model):
                            failures.append((seed, "voxel_count", count, len(model)))
                    elif saved is not None:  # load what was saved: the model goes back to it
                        c.result("goxel.load_project", ["mix-%d.gox" % seed])
                        model = dict(saved)
            except Exception as e:  # noqa: BLE001 - reported by the test thread
                failures.append((seed, repr(e)))
            finally:
                c.close()

        with GoxelDaemon("--goxel-session", "connection") as server:
            threads = [threading.Thread(target=client, args=(seed, server.path, 20)) for seed in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(failures, [])


class SessionModeTest(unittest.TestCase):
    def test_connection_mode_gives_each_connection_its_project(self):
        with GoxelDaemon("--goxel-session", "connection") as server:
            a, b = GoxelConnection(server.path), GoxelConnection(server.path)
            a.result("goxel.add_voxel", [0, 0, 0])
            self.assertFalse(b.result("goxel.get_voxel", [0, 0, 0])["exists"])
            a.close()
            b.close()

    def test_shared_mode_shares_one_project(self):
        with GoxelDaemon("--goxel-session", "shared") as server:
            a, b = GoxelConnection(server.path), GoxelConnection(server.path)
            a.result("goxel.add_voxel", [0, 0, 0])
            self.assertTrue(b.result("goxel.get_voxel", [0, 0, 0])["exists"])
            a.close()
            b.close()


class OptionRangeTest(unittest.TestCase):
    """The front's options are checked at start-up: a value out of range refuses to start, naming the option."""

    def refused(self, *args):
        result = subprocess.run([os.environ["VOXD_BIN"], "--ephemeral", *args], capture_output=True, text=True,
                                timeout=30)
        self.assertNotEqual(result.returncode, 0, result.stderr)
        return result.stderr + result.stdout

    def test_reply_timeout_out_of_range_is_refused(self):
        for value in ("0", "-5", "86400001", "soon"):
            with self.subTest(value=value):
                self.assertIn("--goxel-reply-timeout-ms", self.refused("--goxel-reply-timeout-ms", value))

    def test_max_connections_out_of_range_is_refused(self):
        for value in ("0", "65537"):
            with self.subTest(value=value):
                self.assertIn("--goxel-max-connections", self.refused("--goxel-max-connections", value))

    def test_the_largest_reply_timeout_is_accepted(self):
        with GoxelDaemon("--goxel-reply-timeout-ms", "86400000") as server:
            connection = GoxelConnection(server.path)
            self.assertEqual(connection.result("ping"), {"pong": True})
            connection.close()


if __name__ == "__main__":
    unittest.main()
