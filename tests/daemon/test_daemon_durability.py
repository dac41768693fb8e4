"""Durability against the real daemon (issue 11): kill -9 at random moments while 8 clients edit, restart on
the same store, and check that every acknowledged edit is there, nothing unacknowledged is half-applied, and
handles still work; plus the refusals at start (locked, corrupt, newer store) and an io_error on a full disk."""

import os
import random
import shutil
import signal
import socket
import sys
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from voxd_harness import Client, Daemon, dense_blocks, table, test_seconds, voxel_vector

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from voxd_client import curve  # noqa: E402

SIDE = 6  # edits land in a SIDE^3 cube, read back whole with one GetVoxels
POSITIONS = [(x, y, z) for x in range(SIDE) for y in range(SIDE) for z in range(SIDE)]
BACKGROUND = 1  # the id of a new project's first layer


def batch_body(voxel_lists):
    from voxd.protocol import Batch
    from voxd.protocol.EditOperation import EditOperation as E

    def body(b):
        offsets = []
        for voxels in voxel_lists:
            op = table(b, "SetVoxels", layer=BACKGROUND, voxels=("offset", voxel_vector(b, voxels)))
            offsets.append(table(b, "BatchOperation", op_type=E.SetVoxels, op=("offset", op)))
        Batch.StartOperationsVector(b, len(offsets))
        for o in reversed(offsets):
            b.PrependUOffsetTRelative(o)
        return table(b, "Batch", operations=("offset", b.EndVector()))
    return body


class ProjectModel:
    """What the client knows was acknowledged: the undo history as states (voxels of the background layer,
    layer count), and where in it the project is."""

    def __init__(self, handle):
        self.handle = handle
        self.states = [({}, 1)]
        self.at = 0

    def current(self):
        return self.states[self.at]

    def edited(self, state):
        del self.states[self.at + 1:]
        self.states.append(state)
        self.at += 1


def read_state(client, handle):
    colors = client.get_voxels(handle, POSITIONS, layer=BACKGROUND)
    voxels = {p: c for p, c in zip(POSITIONS, colors) if c != 0}
    layers = client.call("ListLayers", handle).result().LayersLength()
    return voxels, layers


class Editor:
    """One client's random mix; `pending` is the operation sent but not acknowledged when the daemon died."""

    def __init__(self, seed):
        self.random = random.Random(seed)
        self.projects = []
        self.closed = []
        self.pending = None  # (model or None, possible state after it, kind)
        self.acknowledged = 0

    def run(self, client, stop):
        # A killed daemon never answers: give up on it within a second instead of the harness's 30 s.
        receive = client.receive
        client.receive = lambda timeout_ms=1000: receive(min(timeout_ms, 1000))
        try:
            while not stop.is_set():
                self.step(client)
        except Exception:  # noqa: BLE001 - the daemon was killed under us (timeout or a refused request)
            return

    def step(self, client):
        r = self.random.random()
        if not self.projects or (r < 0.04 and len(self.projects) < 4):
            self.pending = (None, None, "create")
            handle = client.create("p")
            self.projects.append(ProjectModel(handle))
            self.pending = None
            self.acknowledged += 1
            return
        model = self.random.choice(self.projects)
        voxels, layers = model.current()
        if r < 0.06 and len(self.projects) > 1:
            self.pending = (model, None, "close")
            client.call("CloseProject", model.handle)
            self.projects.remove(model)
            self.closed.append(model.handle)
        elif r < 0.12:
            # A pipelined burst: up to 8 edits in flight, committed in groups by the daemon.
            edits = [[(*self.random.choice(POSITIONS), (self.random.randrange(1, 1 << 24) << 8) | 0xFF)
                      for _ in range(self.random.randint(1, 3))] for _ in range(self.random.randint(2, 8))]
            states = []
            current = dict(voxels)
            for edit in edits:
                current = dict(current)
                current.update({(x, y, z): c for x, y, z, c in edit})
                states.append((current, layers))
            self.pending = (model, states, "burst")
            for edit in edits:
                client.send("SetVoxels", model.handle,
                            build_body=lambda b, e=edit: table(b, "SetVoxels", layer=BACKGROUND,
                                                               voxels=("offset", voxel_vector(b, e))))
            for i in range(len(edits)):
                reply = client.receive()
                if reply.status != "ok":
                    raise RuntimeError(reply.message)
                model.edited(states[i])
                self.acknowledged += 1
                self.pending = (model, states[i + 1:], "burst")
        elif r < 0.45:
            edit = [(*self.random.choice(POSITIONS), (self.random.randrange(1, 1 << 24) << 8) | 0xFF)
                    for _ in range(self.random.randint(1, 5))]
            after = dict(voxels)
            after.update({(x, y, z): c for x, y, z, c in edit})
            self.pending = (model, (after, layers), "edit")
            client.set_voxels(model.handle, edit, layer=BACKGROUND)
            model.edited((after, layers))
        elif r < 0.6:
            lists = [[(*self.random.choice(POSITIONS), (self.random.randrange(1, 1 << 24) << 8) | 0xFF)
                      for _ in range(3)] for _ in range(3)]
            after = dict(voxels)
            for voxel_list in lists:
                after.update({(x, y, z): c for x, y, z, c in voxel_list})
            self.pending = (model, (after, layers), "batch")
            client.call("Batch", model.handle, build_body=batch_body(lists))
            model.edited((after, layers))
        elif r < 0.7:
            self.pending = (model, (voxels, layers + 1), "layer")
            if client.call("AddLayer", model.handle, expect=None).status == "ok":
                model.edited((voxels, layers + 1))
        elif r < 0.85:
            if model.at == 0:
                return
            self.pending = (model, model.states[model.at - 1], "undo")
            reply = client.call("Undo", model.handle, expect=None)
            if reply.status == "ok":
                model.at -= 1
        else:
            if model.at + 1 >= len(model.states):
                return
            self.pending = (model, model.states[model.at + 1], "redo")
            reply = client.call("Redo", model.handle, expect=None)
            if reply.status == "ok":
                model.at += 1
        self.pending = None
        self.acknowledged += 1


class CrashRecoveryTest(unittest.TestCase):
    ROUNDS = 20
    EXTRA = ()  # more voxd arguments

    def check_after_restart(self, daemon, editors):
        client = daemon.client()
        try:
            listed = {s.Handle() for s in self.list_projects(client)}
            for editor in editors:
                pending = editor.pending
                for model in list(editor.projects):
                    if pending and pending[0] is model and pending[2] == "close" and model.handle not in listed:
                        continue  # the close was applied, just not acknowledged: handled below
                    state = read_state(client, model.handle)
                    if state == model.current():
                        if pending and pending[0] is model and pending[2] == "close":
                            pass  # the close did not make it
                        continue
                    # Only the one unacknowledged request of this client may have been applied, whole.
                    matches = [i for i, s in enumerate(model.states) if s == state]
                    where = f"(state matches history entries {matches}, model at {model.at} of {len(model.states)}, " \
                            f"pending {pending[2] if pending and pending[0] is model else None}; layers {state[1]} vs " \
                            f"{model.current()[1]}; voxels differing: " \
                            f"{len(set(state[0].items()) ^ set(model.current()[0].items()))})"
                    if pending and pending[0] is model and pending[2] == "burst":
                        # Of the burst's unacknowledged edits, a prefix may have been applied, each whole.
                        self.assertIn(state, pending[1], f"project {model.handle:#x}: not a prefix of the burst {where}")
                        for applied in pending[1][:pending[1].index(state) + 1]:
                            model.edited(applied)
                        continue
                    self.assertTrue(pending is not None and pending[0] is model and pending[1] is not None,
                                    f"project {model.handle:#x}: an acknowledged edit is missing {where}")
                    self.assertEqual(state, pending[1], f"project {model.handle:#x} is half-applied {where}")
                    if pending[2] in ("edit", "batch", "layer"):
                        model.edited(pending[1])
                    elif pending[2] == "undo":
                        model.at -= 1
                    else:
                        model.at += 1
                if pending and pending[2] == "close" and pending[0].handle not in listed:
                    editor.projects.remove(pending[0])
                    editor.closed.append(pending[0].handle)
                editor.pending = None
                for model in editor.projects:
                    self.assertIn(model.handle, listed)
                for handle in editor.closed:
                    reply = client.call("GetProjectInfo", handle, expect=None)
                    self.assertEqual(reply.status, "stale_handle", f"closed project {handle:#x} came back")
            # A project created but never acknowledged may exist: it must be one of the listed ones only.
        finally:
            client.close()

    def list_projects(self, client):
        result = client.call("ListProjects").result()
        return [result.Projects(i) for i in range(result.ProjectsLength())]

    def test_kill_9_twenty_times(self):
        state_dir = tempfile.mkdtemp(prefix="voxd-store-")
        editors = [Editor(seed) for seed in range(8)]
        budget = test_seconds(20) * 1.5
        deadline = time.monotonic() + budget
        rng = random.Random(11)
        acknowledged = 0
        for round_number in range(self.ROUNDS):
            daemon = Daemon("--checkpoint-every", os.environ.get("VOXD_TEST_CHECKPOINT_EVERY", "16"), *self.EXTRA,
                            state_dir=state_dir)
            try:
                self.check_after_restart(daemon, editors)
                stop = threading.Event()
                clients = [daemon.client() for _ in editors]
                threads = [threading.Thread(target=e.run, args=(c, stop)) for e, c in zip(editors, clients)]
                for t in threads:
                    t.start()
                left = max(0.05, (deadline - time.monotonic()) / (self.ROUNDS - round_number))
                time.sleep(rng.uniform(0.3, 1.0) * left)
                daemon.process.send_signal(signal.SIGKILL)
                daemon.process.wait(10)
                stop.set()
                for t in threads:
                    t.join(35)
                for c in clients:
                    c.close()
            finally:
                daemon.close()
        total = sum(e.acknowledged for e in editors)
        self.assertGreater(total, 100, "too few acknowledged requests to mean anything")
        daemon = Daemon(state_dir=state_dir)
        try:
            self.check_after_restart(daemon, editors)
        finally:
            daemon.close()
            subprocess.run(["rm", "-rf", state_dir], check=False)


class CrashRecoveryWithEvictionTest(CrashRecoveryTest):
    """The same with --max-resident-bytes 1: every idle project leaves memory after each request and is
    loaded back by the next one naming it, racing with the other clients and the kill -9."""
    ROUNDS = 10
    EXTRA = ("--max-resident-bytes", "1")


class EvictionTest(unittest.TestCase):
    LIMIT = 2 * 1024 * 1024
    PROJECTS = 12

    def test_more_projects_than_fit_every_one_reads_back(self):
        with tempfile.TemporaryDirectory() as state_dir:
            self.run_with(state_dir)

    def run_with(self, state_dir):
        daemon = Daemon("--max-resident-bytes", str(self.LIMIT), state_dir=state_dir)
        try:
            client = daemon.client()
            projects = []
            for i in range(self.PROJECTS):
                handle = client.create(f"p{i}")
                # 40 dense blocks of 16.5 KiB each: about 660 KiB of state per project, more with its history.
                voxels = dense_blocks(8, 5, per_block=260, first_color=1 + i * 8 * 5 * 260)
                client.set_voxels(handle, voxels, layer=BACKGROUND)
                projects.append((handle, {(x, y, z): c for x, y, z, c in voxels}))
            most = 0
            for round_number in range(2):
                for index, (handle, model) in enumerate(projects):
                    edit = [(x + 1, y, z, ((index + round_number + 50) << 8) | 0xFF) for x, y, z in list(model)[:20]]
                    client.set_voxels(handle, edit, layer=BACKGROUND)
                    model.update({(x, y, z): c for x, y, z, c in edit})
                    stats = client.call("GetStats").result()
                    most = max(most, stats.AccountedBytes())
                    # Within the limit, give or take the one project just used (it stays in memory).
                    self.assertLess(stats.AccountedBytes(), self.LIMIT + 2 * 1024 * 1024)
            stats = client.call("GetStats").result()
            self.assertEqual(stats.StoredProjects(), self.PROJECTS)
            self.assertLess(stats.ResidentProjects(), self.PROJECTS // 2, "nothing left memory")
            self.assertEqual(stats.Projects(), self.PROJECTS)
            listed = client.call("ListProjects").result()
            self.assertEqual(sorted(listed.Projects(i).Handle() for i in range(listed.ProjectsLength())),
                             sorted(h for h, _ in projects), "ListProjects must show evicted projects too")
            for handle, model in projects:
                positions = list(model)
                self.assertEqual(client.get_voxels(handle, positions, layer=BACKGROUND),
                                 [model[p] for p in positions], f"project {handle:#x}")
                count = client.call("CountVoxels", handle,
                                    build_body=lambda b: table(b, "CountVoxels", layer=BACKGROUND)).result()
                self.assertEqual(count.Voxels(), len(model))
            client.close()
            # And after a restart, the same.
            self.assertEqual(daemon.stop()[0], 0)
        finally:
            daemon.close()
        daemon = Daemon("--max-resident-bytes", str(self.LIMIT), state_dir=state_dir)
        try:
            client = daemon.client()
            for handle, model in projects:
                positions = list(model)
                self.assertEqual(client.get_voxels(handle, positions, layer=BACKGROUND),
                                 [model[p] for p in positions], f"project {handle:#x} after a restart")
            client.close()
        finally:
            daemon.close()


class ScatteredEvictionTest(unittest.TestCase):
    """Projects of voxels scattered one to a block, evicted in turn: their checkpoints cost what the voxels cost
    (a few bytes each), not a 16 KiB block each (checkpoint version 1 wrote 2,000 x 16 KiB = 32 MiB a project)."""
    PROJECTS = 6
    VOXELS = 2000

    def test_evicted_scattered_projects_take_little_store(self):
        with tempfile.TemporaryDirectory() as state_dir:
            daemon = Daemon("--max-resident-bytes", "1", state_dir=state_dir)
            try:
                client = daemon.client()
                rng = random.Random(5)
                projects = []
                for i in range(self.PROJECTS):
                    handle = client.create(f"scattered{i}")
                    model = {}
                    while len(model) < self.VOXELS:
                        model[(rng.randrange(-500, 500) * 16, rng.randrange(-500, 500) * 16, i * 16)] = \
                            (rng.randrange(1, 1 << 24) << 8) | 0xFF
                    voxels = [(x, y, z, c) for (x, y, z), c in model.items()]
                    for start in range(0, len(voxels), 500):
                        client.set_voxels(handle, voxels[start:start + 500], layer=BACKGROUND)
                    projects.append((handle, model))
                for handle, model in projects:  # each read loads a project back and evicts the one before
                    positions = list(model)
                    self.assertEqual(client.get_voxels(handle, positions, layer=BACKGROUND),
                                     [model[p] for p in positions], f"project {handle:#x}")
                stats = client.call("GetStats").result()
                self.assertLessEqual(stats.ResidentProjects(), 1, "the idle projects left memory")
                # The journal (16 bytes a voxel in its requests) and two checkpoints of ~25 bytes a voxel each,
                # plus SQLite's pages: far below one 16 KiB block a voxel.
                self.assertLess(stats.StoreBytes(), 16 * 1024 * 1024, "checkpoints cost whole blocks again")
                client.close()
            finally:
                daemon.close()


class StoreFaultTest(unittest.TestCase):
    def start_fails(self, *args, **kwargs):
        with self.assertRaises(RuntimeError) as failure:
            Daemon(*args, **kwargs).close()
        return str(failure.exception)

    def test_second_daemon_on_one_store_is_refused(self):
        first = Daemon()
        try:
            message = self.start_fails(state_dir=first.state_dir)
            self.assertIn("in use by another voxd", message)
        finally:
            first.close()

    def test_corrupt_and_newer_stores_are_refused(self):
        with tempfile.TemporaryDirectory() as state_dir:
            daemon = Daemon(state_dir=state_dir)
            client = daemon.client()
            handle = client.create("kept")
            client.set_voxels(handle, [(1, 2, 3, 0xFF0000FF)])
            client.close()
            daemon.stop()
            daemon.close()
            db = os.path.join(state_dir, "voxd.sqlite")
            connection = sqlite3.connect(db)
            connection.execute("PRAGMA user_version=99")
            connection.commit()
            connection.close()
            self.assertIn("newer voxd", self.start_fails(state_dir=state_dir))
            connection = sqlite3.connect(db)
            connection.execute("PRAGMA user_version=2")
            connection.commit()
            connection.close()
            with open(db, "r+b") as f:
                f.seek(100)
                f.write(b"\xA5" * 4000)
            message = self.start_fails(state_dir=state_dir)
            self.assertTrue("move the file" in message, message)

    def test_restart_keeps_projects_and_handles(self):
        with tempfile.TemporaryDirectory() as state_dir:
            daemon = Daemon(state_dir=state_dir)
            client = daemon.client()
            kept = client.create("kept")
            gone = client.create("gone")
            client.set_voxels(kept, [(1, 2, 3, 0xFF0000FF)])
            client.set_voxels(kept, [(4, 5, 6, 0x00FF00FF)])
            client.call("Undo", kept)
            client.call("CloseProject", gone)
            client.close()
            daemon.stop()
            daemon.close()
            daemon = Daemon(state_dir=state_dir)
            try:
                client = daemon.client()
                self.assertEqual(client.get_voxels(kept, [(1, 2, 3), (4, 5, 6)]), [0xFF0000FF, 0])
                client.call("Redo", kept)  # the redo step was rebuilt by the replay
                self.assertEqual(client.get_voxels(kept, [(4, 5, 6)]), [0x00FF00FF])
                self.assertEqual(client.call("GetProjectInfo", gone, expect=None).status, "stale_handle")
                new = client.create("new")
                self.assertNotEqual(new, gone, "a closed project's handle was issued again")
                stats = client.call("GetStats").result()
                self.assertEqual(stats.StoredProjects(), 2)
                self.assertGreater(stats.StoreBytes(), 0)
                client.close()
            finally:
                daemon.close()

    def test_full_disk_refuses_the_edit_and_keeps_the_project(self):
        with tempfile.TemporaryDirectory() as state_dir:
            daemon = Daemon(state_dir=state_dir, prefix=("prlimit", "--fsize=2000000"))
            try:
                client = daemon.client()
                handle = client.create("p")
                client.set_voxels(handle, [(0, 0, 0, 0xFF0000FF)])
                big = [(x, y, 1, 0x00FF00FF) for x in range(100) for y in range(100)]
                refused = None
                for i in range(400):
                    reply = client.call("SetVoxels", handle, expect=None,
                                        build_body=lambda b: table(b, "SetVoxels", layer=0,
                                                                   voxels=("offset", voxel_vector(b, big))))
                    if reply.status != "ok":
                        refused = reply
                        break
                self.assertIsNotNone(refused, "the file-size limit was never reached")
                self.assertEqual(refused.status, "io", refused.message)
                self.assertIn("voxd.sqlite", refused.message)
                self.assertEqual(client.get_voxels(handle, [(0, 0, 0)]), [0xFF0000FF])
                self.assertEqual(client.call("Ping").status, "ok")
                client.close()
            finally:
                daemon.close()


class OwnershipAndServiceTest(unittest.TestCase):
    """A restarted daemon keeps who owns what (the store holds each project's owner), and it tells systemd
    when it is ready (Type=notify, the sd_notify datagram)."""

    def keygen(self, path):
        out = subprocess.run([os.environ["VOXCTL_BIN"], "keygen", path], capture_output=True, text=True, timeout=10)
        self.assertEqual(out.returncode, 0, out.stderr)

    def curve_client(self, daemon, keys, name):
        public, secret = curve.read_certificate(os.path.join(keys, name), need_secret=True)
        server = daemon.curve_server_key.encode()

        def configure(s):
            s.curve_serverkey = server
            s.curve_publickey = public
            s.curve_secretkey = secret

        return Client(daemon.endpoints[1], configure=configure)

    def test_owners_survive_a_restart(self):
        with tempfile.TemporaryDirectory() as keys, tempfile.TemporaryDirectory() as state_dir:
            clients_dir = os.path.join(keys, "clients")
            os.mkdir(clients_dir)
            for name in ("server", "alice", "mallory"):
                self.keygen(os.path.join(keys, name))
            for name in ("alice", "mallory"):
                shutil.copy(os.path.join(keys, name + ".pub"), clients_dir)
            args = ("--listen", "tcp://127.0.0.1:0", "--curve-secret-file", os.path.join(keys, "server"),
                    "--curve-clients", clients_dir)
            daemon = Daemon(*args, state_dir=state_dir)
            try:
                alice = self.curve_client(daemon, keys, "alice")
                handle = alice.create("alices")
                alice.set_voxels(handle, [(1, 1, 1, 0xFF0000FF)])
                alice.close()
                mallory = self.curve_client(daemon, keys, "mallory")
                # Not hers: refused as if closed, and her close must not remove it from the store either.
                self.assertEqual(mallory.call("CloseProject", handle, expect=None).status, "stale_handle")
                mallory.close()
                self.assertEqual(daemon.stop()[0], 0)
            finally:
                daemon.close()
            daemon = Daemon(*args, state_dir=state_dir)
            try:
                mallory = self.curve_client(daemon, keys, "mallory")
                self.assertEqual(mallory.call("GetProjectInfo", handle, expect=None).status, "stale_handle")
                self.assertEqual(mallory.call("ListProjects").result().ProjectsLength(), 0)
                mallory.close()
                local = daemon.client()  # ipc: another identity again
                self.assertEqual(local.call("GetVoxels", handle, expect=None,
                                            build_body=lambda b: table(b, "GetVoxels")).status, "stale_handle")
                self.assertEqual(local.call("GetStats").result().StoredProjects(), 1)
                local.close()
                alice = self.curve_client(daemon, keys, "alice")
                self.assertEqual(alice.get_voxels(handle, [(1, 1, 1)]), [0xFF0000FF])
                self.assertEqual(alice.call("ListProjects").result().ProjectsLength(), 1)
                alice.close()
            finally:
                daemon.close()

    def test_ready_is_sent_to_notify_socket(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "notify")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            listener.bind(path)
            listener.settimeout(10)
            os.environ["NOTIFY_SOCKET"] = path
            try:
                daemon = Daemon()
            finally:
                del os.environ["NOTIFY_SOCKET"]
            try:
                self.assertEqual(listener.recv(4096), b"READY=1")
                daemon.stop()
                self.assertEqual(listener.recv(4096), b"STOPPING=1")
            finally:
                daemon.close()
                listener.close()


if __name__ == "__main__":
    unittest.main()
