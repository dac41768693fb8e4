"""Security of the daemon's endpoints (docs/security.md), against the real voxd on tcp://127.0.0.1 port 0:
CURVE authentication with a ZAP handler (no key, a wrong server key, an unknown client key and a key removed
and then SIGHUP are all refused: no reply, and GetStats auth_refused grows; allowed keys work through the
harness, the Python client and voxctl; `voxctl keygen` files are what the daemon reads), bad key files refused
at start, project ownership per identity (--admin-key sees all), heartbeats that drop a silent peer, and
the listen policy (non-loopback tcp
without CURVE needs --insecure-tcp)."""

import datetime
import os
import re
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
import unittest

import zmq

from voxd_harness import Client, Daemon, request_bytes, table

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
import voxd_client  # noqa: E402
from voxd_client import curve  # noqa: E402

VOXCTL = os.environ.get("VOXCTL_BIN")
VOXD = os.environ.get("VOXD_BIN")
NO_REPLY_MS = 1000  # a refused client hears nothing; this long is taken as nothing


def keygen(path):
    out = subprocess.run([VOXCTL, "keygen", path], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def send_without_blocking(client):
    """A ping; a refused connection may leave the socket with no pipe to queue it in (then it is not sent)."""
    try:
        client.socket.send(request_bytes("Ping", 1), zmq.NOBLOCK)
    except zmq.Again:
        pass


def wait_for(predicate, seconds=3.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


class CurveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.TemporaryDirectory(prefix="voxd-keys-")
        cls.clients_dir = os.path.join(cls.keys.name, "clients")
        os.mkdir(cls.clients_dir)
        cls.public = {name: keygen(cls.key(name)) for name in ("server", "alice", "mallory", "carol")}
        for name in ("alice", "carol"):
            shutil.copy(cls.key(name) + ".pub", cls.clients_dir)
        cls.daemon = Daemon("--listen", "tcp://127.0.0.1:0", "--curve-secret-file", cls.key("server"),
                            "--curve-clients", cls.clients_dir, "--heartbeat-ms", "1000")
        cls.tcp = cls.daemon.endpoints[1]
        cls.local = cls.daemon.client()  # over ipc, which stays NULL: for stats

    @classmethod
    def tearDownClass(cls):
        cls.local.close()
        status, _ = cls.daemon.stop()
        cls.stderr = cls.daemon.process.stderr.read()
        cls.daemon.close()
        cls.keys.cleanup()
        assert status == 0, "voxd exited with %s: %s" % (status, cls.stderr)
        assert not re.search("AddressSanitizer|ThreadSanitizer|runtime error", cls.stderr), cls.stderr
        # Refusals are logged at most 5 lines in any second, however many clients retry: any 6 lines in a row
        # span a second or more (spdlog's stamps have milliseconds).
        stamps = [datetime.datetime.strptime(line[1:24], "%Y-%m-%d %H:%M:%S.%f")
                  for line in cls.stderr.splitlines() if "refused a connection" in line]
        assert len(stamps) >= 5, cls.stderr
        spans = [(stamps[i + 5] - stamps[i]).total_seconds() for i in range(len(stamps) - 5)]
        assert all(span >= 0.999 for span in spans), (spans, cls.stderr)

    @classmethod
    def key(cls, name):
        return os.path.join(cls.keys.name, name)

    def curve_client(self, name, server_key=None):
        public, secret = curve.read_certificate(self.key(name), need_secret=True)
        server = (server_key or self.daemon.curve_server_key).encode()

        def configure(socket):
            socket.curve_serverkey = server
            socket.curve_publickey = public
            socket.curve_secretkey = secret

        return Client(self.tcp, configure=configure)

    def auth_refused(self):
        return self.local.call("GetStats").result().AuthRefused()

    def assert_refused(self, make_client):
        before = self.auth_refused()  # before connecting: a refusal may be counted before the first send
        client = make_client()
        try:
            send_without_blocking(client)
            with self.assertRaises(TimeoutError):
                client.receive(timeout_ms=NO_REPLY_MS)
        finally:
            client.close()
        self.assertTrue(wait_for(lambda: self.auth_refused() > before), "auth_refused did not grow")

    def test_allowed_key_works(self):
        client = self.curve_client("alice")
        try:
            client.call("Ping")
            self.assertGreaterEqual(client.call("GetStats").result().AuthRefused(), 0)
        finally:
            client.close()

    def test_python_client_and_voxctl_with_keygen_files(self):
        with voxd_client.Client(self.tcp, timeout=5, curve_server_key=self.daemon.curve_server_key,
                                curve_secret_file=self.key("alice")) as voxd:
            voxd.ping()
            self.assertIsInstance(voxd.stats().auth_refused, int)
        env = dict(os.environ, VOXD_CURVE_SERVER_KEY=self.daemon.curve_server_key,
                   VOXD_CURVE_SECRET_FILE=self.key("alice"))
        out = subprocess.run([VOXCTL, "--endpoint", self.tcp, "--timeout-ms", "5000", "ping"], env=env,
                             capture_output=True, text=True, timeout=10)
        self.assertEqual(out.returncode, 0, out.stderr)
        out = subprocess.run([VOXCTL, "--endpoint", self.tcp, "--timeout-ms", "5000", "--curve-server-key",
                              self.daemon.curve_server_key, "--curve-secret-file", self.key("alice"), "stats"],
                             capture_output=True, text=True, timeout=10)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("auth_refused ", out.stdout)
        # The options go together, and a bad key is a command-line error.
        out = subprocess.run([VOXCTL, "--endpoint", self.tcp, "--curve-server-key", "short", "--curve-secret-file",
                              self.key("alice"), "ping"], capture_output=True, text=True, timeout=10)
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertIn("40 Z85 characters", out.stderr)
        with self.assertRaises(ValueError):
            voxd_client.Client(self.tcp, curve_server_key=self.daemon.curve_server_key)

    def test_no_key_is_refused(self):
        self.assert_refused(lambda: Client(self.tcp))

    def test_wrong_server_key_is_refused(self):
        self.assert_refused(lambda: self.curve_client("alice", server_key=self.public["mallory"]))

    def test_unknown_client_key_is_refused(self):
        self.assert_refused(lambda: self.curve_client("mallory"))

    def test_removed_key_is_refused_after_sighup(self):
        kept = self.curve_client("carol")  # connected before the removal: its later requests are dropped too
        try:
            kept.call("Ping")
            os.remove(os.path.join(self.clients_dir, "carol.pub"))
            self.daemon.process.send_signal(signal.SIGHUP)
            # The reload is asynchronous: a fresh connection is refused once it has happened.
            deadline = time.monotonic() + 5
            while True:
                probe = self.curve_client("carol")
                send_without_blocking(probe)
                try:
                    probe.receive(timeout_ms=300)
                except TimeoutError:
                    break
                finally:
                    probe.close()
                self.assertLess(time.monotonic(), deadline, "carol is still allowed after SIGHUP")
            self.assert_refused(lambda: self.curve_client("carol"))
            before = self.auth_refused()
            send_without_blocking(kept)
            with self.assertRaises(TimeoutError):
                kept.receive(timeout_ms=NO_REPLY_MS)
            self.assertGreater(self.auth_refused(), before)
            # Alice, still in the directory, is unaffected.
            alice = self.curve_client("alice")
            try:
                alice.call("Ping")
            finally:
                alice.close()
        finally:
            kept.close()

    def test_refusals_are_rate_limited_in_the_log(self):
        # Twenty clients without a key at once: all refused, at most 5 log lines a second (checked at teardown).
        clients = [Client(self.tcp) for _ in range(20)]
        for client in clients:
            send_without_blocking(client)
        time.sleep(0.5)
        for client in clients:
            self.assertEqual(client.socket.poll(0), 0)
            client.close()

    def test_keygen_files(self):
        secret_file = self.key("alice")
        self.assertEqual(stat.S_IMODE(os.stat(secret_file).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(secret_file + ".pub").st_mode), 0o644)
        public, secret = curve.read_certificate(secret_file, need_secret=True)
        self.assertEqual(public.decode(), self.public["alice"])
        self.assertEqual(zmq.curve_public(secret), public)
        only_public, no_secret = curve.read_certificate(secret_file + ".pub")
        self.assertEqual((only_public, no_secret), (public, None))
        out = subprocess.run([VOXCTL, "keygen", secret_file], capture_output=True, text=True, timeout=10)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("exists", out.stderr)


class OwnershipTest(unittest.TestCase):
    """A project is its creator's: other identities get the answer a closed project gets, and list only their
    own; the --admin-key identity uses and lists all."""

    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.TemporaryDirectory(prefix="voxd-keys-")
        clients_dir = os.path.join(cls.keys.name, "clients")
        os.mkdir(clients_dir)
        cls.public = {name: keygen(os.path.join(cls.keys.name, name)) for name in ("server", "alice", "bob", "admin")}
        for name in ("alice", "bob", "admin"):
            shutil.copy(os.path.join(cls.keys.name, name + ".pub"), clients_dir)
        cls.daemon_args = ("--listen", "tcp://127.0.0.1:0", "--curve-secret-file", os.path.join(cls.keys.name, "server"),
                           "--curve-clients", clients_dir, "--admin-key", cls.public["admin"])
        cls.daemon = Daemon(*cls.daemon_args)
        cls.clients = {name: cls.connect(name) for name in ("alice", "bob", "admin")}
        cls.clients["local"] = cls.daemon.client()

    @classmethod
    def connect(cls, name, daemon=None):
        daemon = daemon or cls.daemon
        public, secret = curve.read_certificate(os.path.join(cls.keys.name, name), need_secret=True)

        def configure(socket):
            socket.curve_serverkey = daemon.curve_server_key.encode()
            socket.curve_publickey = public
            socket.curve_secretkey = secret

        return Client(daemon.endpoints[1], configure=configure)

    @classmethod
    def tearDownClass(cls):
        for client in cls.clients.values():
            client.close()
        status, _ = cls.daemon.stop()
        stderr = cls.daemon.process.stderr.read()
        cls.daemon.close()
        cls.keys.cleanup()
        assert status == 0, stderr

    def listed(self, name):
        result = self.clients[name].call("ListProjects").result()
        return {result.Projects(i).Handle() for i in range(result.ProjectsLength())}

    def test_others_see_a_closed_project(self):
        alice, bob, admin, local = (self.clients[n] for n in ("alice", "bob", "admin", "local"))
        mine = alice.create("alices")
        alice.set_voxels(mine, [(0, 0, 0, 0xFF0000FF)])
        closed = alice.create("gone")
        alice.call("CloseProject", closed)
        stale = alice.call("GetProjectInfo", closed, expect="stale_handle")
        for name in ("bob", "local"):
            other = self.clients[name]
            for body in ("GetProjectInfo", "Undo", "CloseProject", "CountVoxels"):
                reply = other.call(body, mine, expect="stale_handle")
                self.assertEqual(reply.message, stale.message.replace(str(closed), str(mine)), (name, body))
            other.set_voxels(mine, [(1, 1, 1, 0x00FF00FF)], expect="stale_handle")  # the broker's quick path
            other.call("CopyProject", mine, expect="stale_handle")
        self.assertEqual(alice.get_voxels(mine, [(0, 0, 0), (1, 1, 1)]), [0xFF0000FF, 0])
        theirs = bob.create("bobs")
        here = local.create("locals")
        self.assertEqual(self.listed("alice"), {mine})
        self.assertEqual(self.listed("bob"), {theirs})
        self.assertEqual(self.listed("local"), {here})
        self.assertTrue({mine, theirs, here} <= self.listed("admin"))
        # The admin may use anyone's project; what it copies is its own.
        admin.call("GetProjectInfo", mine)
        copy = admin.call("CopyProject", mine).result().Handle()
        alice.call("GetProjectInfo", copy, expect="stale_handle")
        admin.call("CloseProject", theirs)
        bob.call("GetProjectInfo", theirs, expect="stale_handle")

    def share(self, owner, project, identity, access, expect="ok"):
        levels = {"none": 0, "read": 1, "edit": 2}
        return self.clients[owner].call(
            "ShareProject", project, expect=expect,
            build_body=lambda b: table(b, "ShareProject", identity=("offset", b.CreateString(identity)),
                                       access=levels.get(access, access)))

    def access_refused(self):
        return self.clients["admin"].call("GetStats").result().AccessRefused()

    def test_sharing_grants_read_then_edit_and_revoke_takes_it_back(self):
        alice, bob = self.clients["alice"], self.clients["bob"]
        bob_id = "curve:" + self.public["bob"]
        hello = bob.call("Hello").result()
        self.assertEqual(hello.Identity().decode(), bob_id)  # what alice shares with
        mine = alice.create("shared")
        alice.set_voxels(mine, [(0, 0, 0, 0xFF0000FF)])
        before = self.access_refused()
        bob.call("CountVoxels", mine, expect="stale_handle")
        self.assertEqual(self.access_refused(), before + 1)  # a guessed handle is counted
        self.assertNotIn(mine, self.listed("bob"))

        # read: bob sees, reads, renders and copies it, but may not edit, undo, save, close or re-share it.
        self.share("alice", mine, bob_id, "read")
        self.assertIn(mine, self.listed("bob"))
        self.assertEqual(bob.get_voxels(mine, [(0, 0, 0)]), [0xFF0000FF])
        bob.call("GetProjectInfo", mine)
        copy = bob.call("CopyProject", mine).result().Handle()
        alice.call("GetProjectInfo", copy, expect="stale_handle")  # the copy is bob's own
        for body in ("Undo", "CloseProject"):
            reply = bob.call(body, mine, expect="permission_denied")
            self.assertIn("shared with you for read", reply.message)
        bob.set_voxels(mine, [(1, 1, 1, 0x00FF00FF)], expect="permission_denied")  # the quick path too
        self.share("bob", mine, "curve:" + self.public["admin"], "read", expect="permission_denied")

        # edit: bob edits and undoes; closing and sharing stay alice's.
        self.share("alice", mine, bob_id, "edit")
        bob.set_voxels(mine, [(1, 1, 1, 0x00FF00FF)])
        self.assertEqual(alice.get_voxels(mine, [(1, 1, 1)]), [0x00FF00FF])
        bob.call("Undo", mine)
        self.assertEqual(alice.get_voxels(mine, [(1, 1, 1)]), [0])
        bob.call("CloseProject", mine, expect="permission_denied")

        # revoke: bob is back to a closed project, word for word.
        self.share("alice", mine, bob_id, "none")
        self.assertNotIn(mine, self.listed("bob"))
        bob.call("CountVoxels", mine, expect="stale_handle")
        bob.set_voxels(mine, [(2, 2, 2, 0x0000FFFF)], expect="stale_handle")
        self.assertEqual(alice.get_voxels(mine, [(2, 2, 2)]), [0])
        bob.call("CloseProject", copy)

    def test_shares_survive_a_restart(self):
        """Shares are in the state store: after a restart bob still reads (and only reads) alice's project, and a
        revoked share stays revoked."""
        bob_id = "curve:" + self.public["bob"]
        levels = {"none": 0, "read": 1, "edit": 2}

        def share(client, project, identity, access):
            client.call("ShareProject", project,
                        build_body=lambda b: table(b, "ShareProject", identity=("offset", b.CreateString(identity)),
                                                   access=levels[access]))

        with tempfile.TemporaryDirectory() as state_dir:
            first = Daemon(*self.daemon_args, state_dir=state_dir)
            alice, bob = self.connect("alice", first), self.connect("bob", first)
            kept = alice.create("kept")
            alice.set_voxels(kept, [(0, 0, 0, 0xFF0000FF)])
            revoked = alice.create("revoked")
            share(alice, kept, bob_id, "edit")
            share(alice, kept, bob_id, "read")  # replaces edit
            share(alice, revoked, bob_id, "read")
            share(alice, revoked, bob_id, "none")
            bob.call("GetProjectInfo", kept)
            for client in (alice, bob):
                client.close()
            status, _ = first.stop()
            first.close()
            self.assertEqual(status, 0)

            second = Daemon(*self.daemon_args, state_dir=state_dir)
            try:
                alice, bob = self.connect("alice", second), self.connect("bob", second)
                self.assertEqual(bob.get_voxels(kept, [(0, 0, 0)]), [0xFF0000FF])
                reply = bob.call("Undo", kept, expect="permission_denied")
                self.assertIn("shared with you for read", reply.message)
                bob.call("GetProjectInfo", revoked, expect="stale_handle")
                result = bob.call("ListProjects").result()
                self.assertEqual({result.Projects(i).Handle() for i in range(result.ProjectsLength())}, {kept})
                alice.call("CloseProject", kept)  # the close takes its shares with it
                bob.call("GetProjectInfo", kept, expect="stale_handle")
                for client in (alice, bob):
                    client.close()
            finally:
                second.stop()
                second.close()

    def test_share_refuses_bad_identities_and_access(self):
        alice = self.clients["alice"]
        mine = alice.create("checked")
        for identity in ("", "bob", "curve:short", "uid:", "uid:12a", "curve:" + "~" * 40):
            reply = self.share("alice", mine, identity, "read", expect="invalid_argument")
            if not identity.startswith("curve:"):  # a malformed key is named by the key check instead
                self.assertIn("neither curve:", reply.message)
        reply = self.share("alice", mine, "curve:" + self.public["alice"], "read", expect="invalid_argument")
        self.assertIn("is you", reply.message)
        reply = self.share("alice", mine, "uid:1000", 7, expect="invalid_argument")
        self.assertIn("none of none", reply.message)
        alice.call("CloseProject", mine)
        self.share("alice", mine, "uid:1000", "read", expect="stale_handle")  # closed: nothing to share


class KeyFileTest(unittest.TestCase):
    """Key files are untrusted input: the daemon refuses to start on a bad one, naming it."""

    def start(self, *args):
        with tempfile.TemporaryDirectory(prefix="voxd-test-") as d:
            return subprocess.run([VOXD, "--endpoint", "ipc://" + os.path.join(d, "s.sock"), "--root",
                                   os.path.join(d, "root"), "--listen", "tcp://127.0.0.1:0", *args],
                                  capture_output=True, text=True, timeout=10)

    def test_bad_files_are_refused_at_start(self):
        with tempfile.TemporaryDirectory(prefix="voxd-keys-") as d:
            server = os.path.join(d, "server")
            keygen(server)
            clients = os.path.join(d, "clients")
            os.mkdir(clients)
            with open(os.path.join(clients, "broken"), "w") as f:
                f.write('curve\n    public-key = "not a key"\n')
            out = self.start("--curve-secret-file", server, "--curve-clients", clients)
            self.assertEqual(out.returncode, 1)
            self.assertIn("broken", out.stderr)
            self.assertIn("Z85", out.stderr)
            os.remove(os.path.join(clients, "broken"))
            # A public certificate is not a server key pair.
            out = self.start("--curve-secret-file", server + ".pub", "--curve-clients", clients)
            self.assertEqual(out.returncode, 1)
            self.assertIn("no curve secret-key", out.stderr)
            # The two options go together.
            out = self.start("--curve-secret-file", server)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn("--curve-clients", out.stderr + out.stdout)


def zmtp_peer(port):
    """A raw TCP peer that completes a ZMTP 3.1 NULL handshake as a DEALER, then never says anything again
    (as a client whose machine died would)."""
    peer = socket.create_connection(("127.0.0.1", port), timeout=5)
    peer.sendall(b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x01" + b"NULL".ljust(20, b"\x00") + b"\x00" * 32)
    greeting = b""
    while len(greeting) < 64:
        chunk = peer.recv(64 - len(greeting))
        if not chunk:
            raise RuntimeError("the daemon closed the connection during the greeting")
        greeting += chunk
    ready = b"\x05READY" + b"\x0bSocket-Type" + struct.pack(">I", 6) + b"DEALER"
    peer.sendall(b"\x04" + bytes([len(ready)]) + ready)
    return peer


def closed_within(peer, seconds):
    """True when the daemon closes the connection within `seconds` (what it sends meanwhile is ignored)."""
    peer.settimeout(0.1)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if not peer.recv(4096):
                return True
        except socket.timeout:
            continue
        except ConnectionResetError:
            return True
    return False


class HeartbeatTest(unittest.TestCase):
    def silent_peer_dropped(self, *args, seconds):
        daemon = Daemon("--listen", "tcp://127.0.0.1:0", *args)
        try:
            peer = zmtp_peer(int(daemon.endpoints[1].rsplit(":", 1)[1]))
            try:
                return closed_within(peer, seconds)
            finally:
                peer.close()
        finally:
            status, _ = daemon.stop()
            daemon.close()
            self.assertEqual(status, 0)

    def test_a_silent_peer_is_dropped_with_heartbeats_only(self):
        # 200 ms interval: dropped after about 3 intervals of silence; without heartbeats it stays.
        self.assertTrue(self.silent_peer_dropped("--heartbeat-ms", "200", seconds=3.0))
        self.assertFalse(self.silent_peer_dropped(seconds=1.5))


class ListenPolicyTest(unittest.TestCase):
    def test_non_loopback_tcp_without_curve_is_refused(self):
        with tempfile.TemporaryDirectory(prefix="voxd-test-") as d:
            out = subprocess.run([VOXD, "--endpoint", "ipc://" + os.path.join(d, "s.sock"), "--root",
                                  os.path.join(d, "root"), "--listen", "tcp://0.0.0.0:0"],
                                 capture_output=True, text=True, timeout=10)
        self.assertEqual(out.returncode, 1)
        self.assertIn("--insecure-tcp", out.stderr)
        self.assertIn("tcp://0.0.0.0:0", out.stderr)

    def test_insecure_tcp_allows_it_with_a_warning(self):
        daemon = Daemon("--listen", "tcp://0.0.0.0:0", "--insecure-tcp")
        try:
            port = daemon.endpoints[1].rsplit(":", 1)[1]
            client = Client("tcp://127.0.0.1:" + port)
            try:
                client.call("Ping")
            finally:
                client.close()
            status, _ = daemon.stop()
            self.assertEqual(status, 0)
            self.assertIn("--insecure-tcp", daemon.process.stderr.read())
        finally:
            daemon.close()

    def test_loopback_tcp_without_curve_is_allowed(self):
        daemon = Daemon("--listen", "tcp://127.0.0.1:0")
        try:
            client = Client(daemon.endpoints[1])
            try:
                client.call("Ping")
            finally:
                client.close()
            status, _ = daemon.stop()
            self.assertEqual(status, 0)
        finally:
            daemon.close()


if __name__ == "__main__":
    unittest.main()
