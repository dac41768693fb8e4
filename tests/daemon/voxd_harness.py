"""Test harness for the daemon's integration tests: starts the real voxd process on a private ipc endpoint
in a temporary directory, and speaks the protocol with flatc's Python code (PYTHONPATH holds it).

Environment (set by ctest, see tests/daemon/CMakeLists.txt): VOXD_BIN, VOXCTL_BIN, and optionally
VOXD_TEST_SECONDS (the duration of the load tests)."""

import importlib
import os
import re
import signal
import struct
import subprocess
import tempfile
import time
import unittest
import zlib

import flatbuffers
import zmq

P = "voxd.protocol."
_modules = {}


def mod(name):
    if name not in _modules:
        _modules[name] = importlib.import_module(P + name)
    return _modules[name]


def enum_value(enum_name, member):
    return getattr(getattr(mod(enum_name), enum_name), member)


STATUS = {v: k for k, v in vars(mod("Status").Status).items() if not k.startswith("_")}
RESULT_TYPES = {v: k for k, v in vars(mod("ResultBody").ResultBody).items() if not k.startswith("_")}


def camel(field):
    return "".join(part.capitalize() for part in field.split("_"))


def table(b, table_name, **fields):
    """Builds table `table_name`. Values: int/bool/float scalars, ("vec3", x, y, z), ("box", x0..z1), or offsets
    made beforehand wrapped as ("offset", off)."""
    m = mod(table_name)
    m.Start(b)
    for field, value in fields.items():
        add = getattr(m, "Add" + camel(field))
        if isinstance(value, tuple) and value[0] == "vec3":
            add(b, mod("Vec3").CreateVec3(b, *value[1:]))
        elif isinstance(value, tuple) and value[0] == "box":
            add(b, mod("Box3").CreateBox3(b, *value[1:]))
        elif isinstance(value, tuple) and value[0] == "offset":
            add(b, value[1])
        else:
            add(b, value)
    return m.End(b)


def voxel_vector(b, voxels):
    b.StartVector(16, len(voxels), 4)
    for x, y, z, rgba in reversed(voxels):
        mod("Voxel").CreateVoxel(b, x, y, z, rgba)
    return b.EndVector()


def vec3_vector(b, positions):
    b.StartVector(12, len(positions), 4)
    for x, y, z in reversed(positions):
        mod("Vec3").CreateVec3(b, x, y, z)
    return b.EndVector()


def request_bytes(body_name, request_id=1, project=0, version=1, build_body=None, body_type=None, **fields):
    """A finished Request. `build_body(b)` may make the body itself; else table(b, body_name, **fields)."""
    b = flatbuffers.Builder(256)
    body = build_body(b) if build_body else table(b, body_name, **fields)
    R = mod("Request")
    R.Start(b)
    R.AddVersion(b, version)
    R.AddId(b, request_id)
    R.AddProject(b, project)
    R.AddBodyType(b, body_type if body_type is not None else enum_value("RequestBody", body_name))
    R.AddBody(b, body)
    b.Finish(R.End(b), file_identifier=b"VOXD")
    return bytes(b.Output())


class Reply:
    def __init__(self, frame):
        assert frame[4:8] == b"VOXD", "reply without the VOXD identifier"
        self.raw = frame
        self.response = mod("Response").Response.GetRootAs(frame, 0)
        self.status = STATUS[self.response.Status()]
        self.id = self.response.Id()
        msg = self.response.Message()
        self.message = msg.decode() if msg else ""
        self.result_type = RESULT_TYPES.get(self.response.ResultType(), "NONE")

    def result(self):
        t = self.response.Result()
        cls = getattr(mod(self.result_type), self.result_type)
        obj = cls()
        obj.Init(t.Bytes, t.Pos)
        return obj


class Client:
    def __init__(self, endpoint, ctx=None, configure=None):
        """`configure(socket)`, if given, runs before the socket connects (e.g. to set CURVE keys)."""
        self.ctx = ctx or zmq.Context.instance()
        self.socket = self.ctx.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        if configure is not None:
            configure(self.socket)
        self.socket.connect(endpoint)
        self.next_id = 1

    def close(self):
        self.socket.close(0)

    def send(self, body_name, project=0, **fields):
        request_id = self.next_id
        self.next_id += 1
        self.socket.send(request_bytes(body_name, request_id, project, **fields))
        return request_id

    def receive(self, timeout_ms=30000):
        if not self.socket.poll(timeout_ms):
            raise TimeoutError("no reply from voxd")
        return Reply(self.socket.recv())

    def call(self, body_name, project=0, expect="ok", **fields):
        request_id = self.send(body_name, project, **fields)
        reply = self.receive()
        assert reply.id == request_id, f"reply id {reply.id} for request {request_id}"
        if expect is not None:
            assert reply.status == expect, f"{body_name}: {reply.status} {reply.message} (wanted {expect})"
        return reply

    # Conveniences used by many tests.
    def create(self, name="p"):
        b_name = name

        def body(b):
            s = b.CreateString(b_name)
            return table(b, "CreateProject", name=("offset", s))

        return self.call("CreateProject", build_body=body).result().Handle()

    def set_voxels(self, project, voxels, layer=0, expect="ok"):
        return self.call("SetVoxels", project, expect=expect,
                         build_body=lambda b: table(b, "SetVoxels", layer=layer, voxels=("offset", voxel_vector(b, voxels))))

    def get_voxels(self, project, positions, layer=0):
        reply = self.call("GetVoxels", project,
                          build_body=lambda b: table(b, "GetVoxels", layer=layer,
                                                     positions=("offset", vec3_vector(b, positions))))
        colors = reply.result()
        return [colors.Colors(i) for i in range(colors.ColorsLength())]


def dense_blocks(blocks_x, blocks_y, blocks_z=1, per_block=300, first_color=1):
    """per_block voxels in each of the blocks, every one a colour of its own (numbered from first_color): more than
    a palette (255) holds, more than a sparse block holds, so each block stays dense (16.5 KiB) after the step."""
    voxels, n = [], first_color
    for bz in range(blocks_z):
        for by in range(blocks_y):
            for bx in range(blocks_x):
                for k in range(per_block):
                    voxels.append((bx * 16 + k % 16, by * 16 + (k // 16) % 16, bz * 16 + k // 256,
                                   (n << 8) | 0xFF))
                    n += 1
    return voxels


def decode_png(data):
    """(width, height, rgba bytes) of an 8-bit RGBA, non-interlaced PNG (what voxd renders), so tests can look
    at pixels without an image library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert (depth, colour, interlace) == (8, 6, 0), "only 8-bit RGBA, non-interlaced"
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, out = zlib.decompress(idat), width * 4, bytearray()
    prev = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b, c = prev[i], (prev[i - 4] if i >= 4 else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p_ = a + b - c
                pa, pb, pc = abs(p_ - a), abs(p_ - b), abs(p_ - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        prev = line
    return width, height, bytes(out)


def pixel(image, x, y):
    """(r, g, b, a) at (x, y) of decode_png()'s result."""
    width, _, rgba = image
    i = (y * width + x) * 4
    return tuple(rgba[i:i + 4])


def page_voxels(page):
    """The voxels of a sparse VoxelPage as (x, y, z, rgba) tuples, read in bulk."""
    n = page.VoxelsLength()
    if n == 0:
        return []
    o = flatbuffers.number_types.UOffsetTFlags.py_type(page._tab.Offset(4))
    start = page._tab.Vector(o)
    return list(struct.iter_unpack("<iiiI", bytes(page._tab.Bytes[start:start + 16 * n])))


class Daemon:
    """The real voxd process on a private ipc endpoint, its --root inside a temporary directory."""

    def __init__(self, *extra_args, workers=4, state_dir=None, prefix=()):
        """state_dir: the store to use (e.g. one a previous daemon left); default a fresh one in the
        temporary directory, unless --ephemeral is among the arguments. prefix: a command to run voxd under
        (e.g. prlimit)."""
        self.dir = tempfile.TemporaryDirectory(prefix="voxd-test-")
        self.root = os.path.join(self.dir.name, "root")
        self.endpoint = "ipc://" + os.path.join(self.dir.name, "voxd.sock")
        self.state_dir = state_dir or os.path.join(self.dir.name, "state")
        store = [] if "--ephemeral" in extra_args else ["--state-dir", self.state_dir]
        args = [*prefix, os.environ["VOXD_BIN"], "--endpoint", self.endpoint, "--root", self.root,
                "--workers", str(workers), "--log-level", "warn", *store, *extra_args]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise RuntimeError("voxd did not start: " + line + self.process.stderr.read())
        self.banner = line
        # The other start-up lines, up to "talk to it": extra endpoints as bound, the CURVE server key.
        self.endpoints = [line.split("listening on ", 1)[1].split(" ", 1)[0]]
        self.curve_server_key = None
        while not line.startswith("talk to it"):
            line = self.process.stdout.readline()
            if not line:
                break
            if line.startswith("voxd also listening on "):
                self.endpoints.append(line.split()[-1])
            elif line.startswith("voxd CURVE server key "):
                self.curve_server_key = line.split()[4]

    def client(self):
        return Client(self.endpoint)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Sends the signal; returns (exit status, seconds until exit)."""
        start = time.monotonic()
        self.process.send_signal(sig)
        status = self.process.wait(timeout)
        return status, time.monotonic() - start

    def pause(self, timeout=10):
        """SIGSTOP, then waits until the kernel has stopped every thread: the signal is delivered
        asynchronously, so without the wait a request sent right after may still be answered."""
        self.process.send_signal(signal.SIGSTOP)
        deadline = time.monotonic() + timeout
        task_dir = f"/proc/{self.process.pid}/task"
        while time.monotonic() < deadline:
            states = []
            for task in os.listdir(task_dir):
                try:
                    with open(os.path.join(task_dir, task, "stat")) as f:
                        states.append(f.read().rsplit(")", 1)[1].split()[0])
                except FileNotFoundError:
                    continue  # a thread that ended meanwhile
            if states and all(state in ("T", "t") for state in states):
                return
            time.sleep(0.01)
        raise AssertionError(f"voxd (pid {self.process.pid}) did not stop within {timeout} s of SIGSTOP")

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        self.dir.cleanup()


class DaemonTestCase(unittest.TestCase):
    daemon_args = ()
    daemon_workers = 4

    def setUp(self):
        self.daemon = Daemon(*self.daemon_args, workers=self.daemon_workers)
        self.client = self.daemon.client()

    def tearDown(self):
        self.client.close()
        status, _ = self.daemon.stop()
        stderr = self.daemon.process.stderr.read()
        self.daemon.close()
        self.assertEqual(status, 0, "voxd exited with %s: %s" % (status, stderr))
        self.assertNotRegex(stderr, re.compile("AddressSanitizer|ThreadSanitizer|runtime error"), stderr)


def test_seconds(default):
    return float(os.environ.get("VOXD_TEST_SECONDS", default))
