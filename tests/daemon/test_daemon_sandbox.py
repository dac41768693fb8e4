"""The file sandbox cannot be raced (docs/daemon.md, "Files and the root"): while one thread flips a folder
under the root between a real directory and a symlink to a folder outside it, clients loop SaveProject and
OpenFile through it; nothing is ever written or read outside the root. And --root-per-client gives each
client identity (ipc uid, CURVE key, anonymous tcp) its own folder."""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from voxd_harness import Client, Daemon, DaemonTestCase, table

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from voxd_client import curve  # noqa: E402

RED = 0xFF0000FF
RACE_SECONDS = 4.0


def path_request(client, body_name, project, path):
    def body(b):
        s = b.CreateString(path)
        return table(b, body_name, path=("offset", s))
    return client.call(body_name, project, expect=None, build_body=body)


class SandboxRace(DaemonTestCase):
    def test_a_folder_flipped_to_a_symlink_never_leads_outside(self):
        outside = os.path.join(self.daemon.dir.name, "outside")
        os.makedirs(outside)
        p = self.client.create()
        self.client.set_voxels(p, [(0, 0, 0, RED)])
        # A real .gox outside the root: opening it would succeed if the daemon ever read through the link.
        exported = self.client.call("ExportProject", p,
                                    build_body=lambda b: table(b, "ExportProject",
                                                               format=("offset", b.CreateString("gox"))))
        result = exported.result()
        data = bytes(result.Data(i) for i in range(result.DataLength()))
        secret = os.path.join(outside, "secret.gox")
        with open(secret, "wb") as f:
            f.write(data)
        flip = os.path.join(self.daemon.root, "flip")
        parked = os.path.join(self.daemon.root, "parked")
        os.makedirs(flip)
        stop = threading.Event()
        flips = [0]

        def flipper():
            # The real directory is renamed away and back (its saves kept), a symlink out stands in between.
            i = 0
            while not stop.is_set():
                os.rename(flip, parked)
                os.symlink(outside, flip)
                time.sleep(0.0002)
                os.unlink(flip)
                os.rename(parked, flip)
                time.sleep(0.0002)
                i += 1
            flips[0] = i

        results = {"save": {}, "open": {}}
        lock = threading.Lock()

        def client_loop():
            client = self.daemon.client()
            try:
                project = client.create()
                client.set_voxels(project, [(1, 1, 1, RED)])
                deadline = time.monotonic() + RACE_SECONDS
                while time.monotonic() < deadline:
                    saved = path_request(client, "SaveProject", project, "flip/out.gox").status
                    opened = path_request(client, "OpenFile", 0, "flip/secret.gox").status
                    with lock:
                        results["save"][saved] = results["save"].get(saved, 0) + 1
                        results["open"][opened] = results["open"].get(opened, 0) + 1
            finally:
                client.close()

        thread = threading.Thread(target=flipper)
        thread.start()
        clients = [threading.Thread(target=client_loop) for _ in range(2)]
        try:
            for c in clients:
                c.start()
            for c in clients:
                c.join()
        finally:
            stop.set()
            thread.join()
        self.assertNotIn("ok", results["open"], results)  # never read the outside file
        self.assertEqual(sorted(os.listdir(outside)), ["secret.gox"], results)  # never wrote there
        with open(secret, "rb") as f:
            self.assertEqual(f.read(), data)
        # The race was run: saves landed while the folder was real, and were refused while it was a link.
        self.assertGreater(results["save"].get("ok", 0), 0, results)
        self.assertGreater(results["save"].get("permission_denied", 0), 0, results)
        self.assertGreater(flips[0], 10, results)
        self.assertEqual(self.client.call("Ping").status, "ok")


class RootPerClient(unittest.TestCase):
    def test_each_identity_gets_its_own_folder(self):
        keys = tempfile.TemporaryDirectory(prefix="voxd-keys-")
        daemon = None
        try:
            voxctl = os.environ["VOXCTL_BIN"]
            clients_dir = os.path.join(keys.name, "clients")
            os.mkdir(clients_dir)
            for name in ("server", "alice"):
                subprocess.run([voxctl, "keygen", os.path.join(keys.name, name)], check=True, capture_output=True)
            shutil.copy(os.path.join(keys.name, "alice.pub"), clients_dir)
            daemon = Daemon("--root-per-client", "--listen", "tcp://127.0.0.1:0", "--curve-secret-file",
                            os.path.join(keys.name, "server"), "--curve-clients", clients_dir)
            public, secret = curve.read_certificate(os.path.join(keys.name, "alice"), need_secret=True)

            def configure(socket):
                socket.curve_serverkey = daemon.curve_server_key.encode()
                socket.curve_publickey = public
                socket.curve_secretkey = secret

            local = daemon.client()
            alice = Client(daemon.endpoints[1], configure=configure)
            try:
                for client, name in ((local, "mine.gox"), (alice, "alices.gox")):
                    p = client.create()
                    client.set_voxels(p, [(0, 0, 0, RED)])
                    self.assertEqual(path_request(client, "SaveProject", p, name).status, "ok")
                    self.assertEqual(path_request(client, "SaveProject", p, "shared.gox").status, "ok")
                local_dir = os.path.join(daemon.root, "uid-%d" % os.getuid())
                alice_dir = os.path.join(daemon.root, "curve-" + public.decode().replace("/", "_"))  # first ":" only
                self.assertEqual(sorted(os.listdir(local_dir)), ["mine.gox", "shared.gox"])
                self.assertEqual(sorted(os.listdir(alice_dir)), ["alices.gox", "shared.gox"])
                # Neither sees the other's files, by relative or absolute path.
                self.assertEqual(path_request(alice, "OpenFile", 0, "mine.gox").status, "not_found")
                self.assertEqual(path_request(alice, "OpenFile", 0, os.path.join(local_dir, "mine.gox")).status,
                                 "permission_denied")
                self.assertEqual(path_request(local, "OpenFile", 0, "alices.gox").status, "not_found")
                self.assertEqual(path_request(local, "OpenFile", 0, "mine.gox").status, "ok")
                # RemoveFile resolves the same way: alice cannot remove another identity's file.
                self.assertEqual(path_request(alice, "RemoveFile", 0, "mine.gox").status, "not_found")
                self.assertEqual(path_request(alice, "RemoveFile", 0, os.path.join(local_dir, "mine.gox")).status,
                                 "permission_denied")
                self.assertTrue(os.path.exists(os.path.join(local_dir, "mine.gox")))
                self.assertEqual(path_request(alice, "RemoveFile", 0, "shared.gox").status, "ok")
                self.assertEqual(sorted(os.listdir(alice_dir)), ["alices.gox"])
                self.assertEqual(sorted(os.listdir(local_dir)), ["mine.gox", "shared.gox"])
            finally:
                local.close()
                alice.close()
            status, _ = daemon.stop()
            self.assertEqual(status, 0)
        finally:
            if daemon is not None:
                daemon.close()
            keys.cleanup()


if __name__ == "__main__":
    unittest.main()
