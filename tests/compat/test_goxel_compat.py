"""The Goxel compatibility front against the real daemon: goxel-daemon's methods, parameter forms, framing,
batches, errors and session isolation, through a raw Unix socket (docs/goxel-compat.md)."""
import json
import os
import socket
import subprocess
import sys
import time
import unittest

from goxel_client import GoxelConnection, call_once
from voxd_harness import Daemon

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
        self.c.result("goxel.export_model", {"path": "compat-model.vox"})
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
        handle = self.c.result("goxel.create_project", ["addressed"])["project"]
        self.c.result("goxel.create_project", ["current"])
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


if __name__ == "__main__":
    unittest.main()
