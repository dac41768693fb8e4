"""End-to-end tests of voxctl's command-line contract against a started daemon."""

import json
import os
import subprocess
import unittest

from voxd_harness import DaemonTestCase


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

    def test_errors_are_one_line_and_nonzero(self):
        self.run_voxctl("get", "12345", 0, 0, 0, ok=False)
        self.run_voxctl("set", "1", "x", ok=False)
        h = self.run_voxctl("create", "m")
        self.run_voxctl("fill", h, "cone", 0, 0, 0, 1, 1, 1, "ffffffff", ok=False)
        self.run_voxctl("save", h, "../outside.gox", ok=False)
        self.run_voxctl("undo", h, ok=False)


if __name__ == "__main__":
    unittest.main()
