"""End-to-end tests of voxctl's command-line contract against a started daemon."""

import hashlib
import json
import os
import subprocess
import unittest

from voxd_harness import DaemonTestCase, decode_png, pixel


class Voxctl(DaemonTestCase):
    def run_voxctl(self, *args, ok=True, stdin=None, env_endpoint=True):
        env = dict(os.environ)
        command = [os.environ["VOXCTL_BIN"]]
        if env_endpoint:
            env["VOXD_ENDPOINT"] = self.daemon.endpoint
        else:
            command += ["--endpoint", self.daemon.endpoint]
        result = subprocess.run(command + [str(a) for a in args], capture_output=True, text=True, input=stdin,
                                env=env, timeout=60)
        if ok:
            self.assertEqual(result.returncode, 0, f"voxctl {args}: {result.stderr}")
            self.assertEqual(result.stderr, "")
        else:
            self.assertNotEqual(result.returncode, 0, f"voxctl {args} should fail")
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        return result.stdout.strip()

    def test_every_command(self):
        self.assertEqual(self.run_voxctl("ping", env_endpoint=False), "pong")
        h = self.run_voxctl("create", "model")
        self.assertTrue(h.isdigit())
        self.assertIn(f"{h} model 0 1", self.run_voxctl("list"))
        self.assertEqual(self.run_voxctl("set", h, 1, 2, 3, "ff0000ff", -4, 5, -6, "00ff00ff"), "2")
        self.assertEqual(self.run_voxctl("get", h, 1, 2, 3), "ff0000ff")
        self.assertEqual(self.run_voxctl("get", h, -4, 5, -6), "00ff00ff")
        self.assertEqual(self.run_voxctl("get", h, 9, 9, 9), "empty")
        self.assertEqual(self.run_voxctl("set", h, "--stdin", stdin="10 10 10 0000ffff\n11 10 10 0000ffff\n"), "2")
        self.assertEqual(self.run_voxctl("count", h), "4")
        self.assertEqual(self.run_voxctl("remove", h, 11, 10, 10), "1")
        self.assertEqual(self.run_voxctl("get", h, 11, 10, 10), "empty")
        self.assertEqual(self.run_voxctl("bbox", h), "-4 2 -6 10 10 10")
        self.assertEqual(self.run_voxctl("histogram", h).splitlines()[0].split()[1], "1")
        self.assertEqual(self.run_voxctl("fill", h, "box", 20, 20, 20, 21, 21, 21, "aabbccff"), "8")
        self.assertEqual(self.run_voxctl("count", h), "11")
        self.assertEqual(self.run_voxctl("fill", h, "box", 20, 20, 20, 21, 21, 21, "000000ff", "--mode", "sub"), "8")
        self.assertEqual(self.run_voxctl("count", h), "3")
        self.run_voxctl("undo", h)
        self.assertEqual(self.run_voxctl("count", h), "11")
        self.run_voxctl("redo", h)
        self.assertEqual(self.run_voxctl("count", h), "3")
        layer = self.run_voxctl("layer", "add", h, "top")
        self.assertTrue(layer.isdigit())
        self.assertEqual(self.run_voxctl("set", h, 0, 0, 0, "ffffffff", "--layer", layer), "1")
        self.run_voxctl("layer", "rename", h, layer, "upper")
        self.run_voxctl("layer", "hide", h, layer)
        self.assertEqual(self.run_voxctl("get", h, 0, 0, 0), "empty")
        self.run_voxctl("layer", "show", h, layer)
        self.assertEqual(self.run_voxctl("get", h, 0, 0, 0), "ffffffff")
        layers = self.run_voxctl("layer", "list", h).splitlines()
        self.assertEqual(len(layers), 2)
        self.assertIn("upper visible 1", layers[1])
        self.run_voxctl("layer", "remove", h, layer)
        self.assertEqual(len(self.run_voxctl("layer", "list", h).splitlines()), 1)
        info = json.loads(self.run_voxctl("--json", "info", h))
        self.assertEqual(info["name"], "model")
        self.assertEqual(info["voxels"], 3)
        stats = json.loads(self.run_voxctl("--json", "stats"))
        self.assertGreater(stats["requests"], 20)
        self.run_voxctl("close", h)
        self.run_voxctl("get", h, 1, 2, 3, ok=False)

    def test_export_reports_the_mesh_topology(self):
        h = self.run_voxctl("create", "mesh")
        self.run_voxctl("set", h, 0, 0, 0, "ff0000ff", 1, 0, 0, "ff0000ff", 2, 0, 0, "ff0000ff", 0, 0, 1, "ff0000ff")
        path, mesh = self.run_voxctl("export", h, "bar.stl").splitlines()
        self.assertTrue(path.endswith("bar.stl"))
        self.assertRegex(mesh, r"^mesh: \d+ triangles, watertight$")
        written = json.loads(self.run_voxctl("--json", "export", h, "bar.obj"))
        self.assertEqual(written["mesh"]["watertight"], True)
        self.assertEqual(written["mesh"]["faces"], 10)  # the greedy mesh's rectangles, one polygon each
        self.assertEqual(written["mesh"]["nonmanifold_edges"], 0)
        # Two more voxels touching only along an edge: not watertight, and said so.
        self.run_voxctl("set", h, 10, 0, 0, "ff0000ff", 11, 1, 0, "ff0000ff")
        self.assertIn("not watertight: 1 non-manifold edges", self.run_voxctl("export", h, "edge.glb"))
        self.assertIsNone(json.loads(self.run_voxctl("--json", "save", h, "bar.gox"))["mesh"])

    def run_voxctl_bytes(self, *args):
        env = dict(os.environ, VOXD_ENDPOINT=self.daemon.endpoint)
        result = subprocess.run([os.environ["VOXCTL_BIN"]] + [str(a) for a in args], capture_output=True, env=env,
                                timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_render_options(self):
        h = self.run_voxctl("create", "scene")
        self.run_voxctl("fill", h, "box", 0, 0, 0, 11, 11, 0, "c8c8c8ff")
        self.run_voxctl("fill", h, "box", 5, 5, 1, 6, 6, 6, "c85a3cff")
        size = ("--size", "96x96")
        default = self.run_voxctl_bytes("render", h, "-", *size)
        self.assertEqual(pixel(decode_png(default), 0, 0), (0, 0, 0, 0))
        self.assertEqual(self.run_voxctl_bytes("render", h, "-", *size, "--ao", "--shadows"), default)
        for options in (["--no-ao"], ["--no-shadows"], ["--background", "204060ff"], ["--yaw", "10"]):
            with self.subTest(options):
                self.assertNotEqual(self.run_voxctl_bytes("render", h, "-", *size, *options), default)
        self.assertNotEqual(self.run_voxctl_bytes("render", h, "-", "--size", "256x256", "--edges"),
                            self.run_voxctl_bytes("render", h, "-", "--size", "256x256"))
        coloured = decode_png(self.run_voxctl_bytes("render", h, "-", *size, "--background", "204060ff"))
        self.assertEqual(pixel(coloured, 0, 0), (0x20, 0x40, 0x60, 0xFF))
        # --yaw/--pitch alone mean --view free: yaw 0, pitch 0 is the front view.
        self.assertEqual(self.run_voxctl_bytes("render", h, "-", *size, "--yaw", "0", "--pitch", "0"),
                         self.run_voxctl_bytes("render", h, "-", *size, "--view", "front"))
        self.assertEqual(self.run_voxctl_bytes("render", h, "-", *size, "--view", "free", "--yaw", "0", "--pitch", "0"),
                         self.run_voxctl_bytes("render", h, "-", *size, "--view", "front"))
        persp = decode_png(self.run_voxctl_bytes("render", h, "-", *size, "--perspective", "--distance", "40"))
        self.assertTrue(any(persp[2][3::4]))
        written = json.loads(self.run_voxctl("--json", "render", h, "shot.png", "--no-shadows", "--yaw", "200"))
        self.assertTrue(written["path"].endswith("shot.png"))
        self.assertTrue(os.path.isfile(os.path.join(self.daemon.root, "shot.png")))
        with open(os.path.join(self.daemon.root, "shot.png"), "rb") as f:
            self.assertEqual(written["sha256"], hashlib.sha256(f.read()).hexdigest())
        self.assertTrue(self.run_voxctl("rm", "shot.png").endswith("shot.png"))
        self.assertFalse(os.path.exists(os.path.join(self.daemon.root, "shot.png")))
        self.run_voxctl("rm", "shot.png", ok=False)  # gone

    def test_render_contact_sheet(self):
        """--sheet: the views on one grid (2 x 2 for three), each cell exactly that view's own render."""
        h = self.run_voxctl("create", "scene")
        self.run_voxctl("fill", h, "box", 0, 0, 0, 7, 7, 0, "c8c8c8ff")
        self.run_voxctl("fill", h, "box", 3, 3, 1, 4, 4, 5, "c85a3cff")
        size = ("--size", "40x30", "--background", "204060ff")
        width, height, rgba = decode_png(self.run_voxctl_bytes("render", h, "-", *size, "--sheet", "top,right,free",
                                                               "--yaw", "0", "--pitch", "0"))
        self.assertEqual((width, height), (2 * 40 + 4, 2 * 30 + 4))

        def cell(left, top):
            return b"".join(bytes(rgba[((top + y) * width + left) * 4:((top + y) * width + left + 40) * 4])
                            for y in range(30))

        for (left, top), view in (((0, 0), "top"), ((44, 0), "right"), ((0, 34), "front")):  # free 0/0 = front
            with self.subTest(view):
                alone = decode_png(self.run_voxctl_bytes("render", h, "-", *size, "--view", view))
                self.assertEqual(cell(left, top), bytes(alone[2]))
        self.assertEqual(cell(44, 34), bytes(40 * 30 * 4), "the fourth cell is empty")
        for options, named in ((["--sheet", "top,sideways"], "sideways"), (["--sheet", "top", "--view", "top"], "--sheet"),
                               (["--sheet", "top", "--yaw", "10"], "free"), (["--sheet", ",".join(["iso"] * 17)], "16")):
            with self.subTest(options):
                env = dict(os.environ, VOXD_ENDPOINT=self.daemon.endpoint)
                result = subprocess.run([os.environ["VOXCTL_BIN"], "render", h, "-"] + options, capture_output=True,
                                        text=True, env=env, timeout=60)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(named, result.stderr)

    def test_render_refuses_bad_options_by_name(self):
        h = self.run_voxctl("create", "m")
        for options, named in ((["--pitch", "95"], "pitch"), (["--yaw", "-361"], "yaw"),
                               (["--distance", "0.5"], "distance"), (["--background", "red"], "colour"),
                               (["--view", "top", "--yaw", "10"], "--view free"), (["--view", "sideways"], "view")):
            with self.subTest(options):
                env = dict(os.environ, VOXD_ENDPOINT=self.daemon.endpoint)
                result = subprocess.run([os.environ["VOXCTL_BIN"], "render", h, "-"] + options, capture_output=True,
                                        text=True, env=env, timeout=60)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
                self.assertIn(named, result.stderr)

    def test_errors_are_one_line_and_nonzero(self):
        self.run_voxctl("get", "12345", 0, 0, 0, ok=False)
        self.run_voxctl("set", "1", "x", ok=False)
        h = self.run_voxctl("create", "m")
        self.run_voxctl("fill", h, "cone", 0, 0, 0, 1, 1, 1, "ffffffff", ok=False)
        self.run_voxctl("save", h, "../outside.gox", ok=False)
        self.run_voxctl("undo", h, ok=False)


if __name__ == "__main__":
    unittest.main()
