"""The connection to voxd: a ZeroMQ DEALER socket, request ids, timeouts and pipelining."""

import itertools
import os
import time
from array import array

import flatbuffers
import zmq

from . import _protocol
from . import curve
from .decode import Reply
from .errors import VoxdError, VoxdTimeout
from .operations import Operations
from .types import Box, DenseBox, ReadBoxMode, Status
from . import encode

PROTOCOL_VERSION = 1  # the protocol version this client speaks (Request.version)


def default_endpoint():
    """voxctl's rule: $VOXD_ENDPOINT, else ipc://$XDG_RUNTIME_DIR/voxd/voxd.sock (when XDG_RUNTIME_DIR is an
    absolute path), else ipc:///tmp/voxd-<uid>/voxd.sock."""
    explicit = os.environ.get("VOXD_ENDPOINT")
    if explicit:
        return explicit
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    directory = os.path.join(runtime, "voxd") if runtime.startswith("/") else f"/tmp/voxd-{os.getuid()}"
    return "ipc://" + os.path.join(directory, "voxd.sock")


def request_frame(call, request_id):
    """The bytes of one Request frame."""
    b = flatbuffers.Builder(256)
    body = call.build(b)
    R = _protocol.module("Request")
    R.Start(b)
    R.AddVersion(b, PROTOCOL_VERSION)
    R.AddId(b, request_id)
    R.AddProject(b, call.project)
    R.AddBodyType(b, getattr(_protocol.generated_class("RequestBody"), call.name))
    R.AddBody(b, body)
    b.Finish(R.End(b), file_identifier=b"VOXD")
    return bytes(b.Output())


class Pending:
    """A request in flight. result() waits for its reply and returns the decoded value, or raises VoxdError."""

    __slots__ = ("id", "name", "_client", "_decode", "_reply", "_error")

    def __init__(self, client, request_id, call):
        self.id = request_id
        self.name = call.name
        self._client = client
        self._decode = call.decode
        self._reply = None
        self._error = None

    def done(self):
        return self._reply is not None or self._error is not None

    def result(self, timeout=None):
        if not self.done():
            self._client._wait_for(self, timeout)
        if self._error is not None:
            raise self._error
        if self._reply.status != Status.ok:
            raise VoxdError(self._reply.status, self._reply.message, self.id)
        return self._decode(self._reply)


class Client(Operations):
    """A connection to one voxd daemon. Every request method (see Operations) sends one request and returns
    its decoded result, raising VoxdError when the daemon answers with an error and VoxdTimeout when it does
    not answer within `timeout` seconds. Not thread-safe (a ZeroMQ socket belongs to one thread): use one
    Client per thread. `with client.pipeline() as p:` sends many requests without waiting for each."""

    def __init__(self, endpoint=None, *, timeout=30.0, context=None, curve_server_key=None, curve_secret_file=None):
        self.endpoint = endpoint or default_endpoint()
        self.timeout = timeout
        # CURVE (docs/security.md): the daemon's public key and this client's certificate, from the arguments or
        # $VOXD_CURVE_SERVER_KEY / $VOXD_CURVE_SECRET_FILE. Checked before connecting (ValueError when bad).
        keys = curve.client_keys(curve_server_key, curve_secret_file)
        self._context = context or zmq.Context.instance()
        self._socket = self._context.socket(zmq.DEALER)
        self._socket.setsockopt(zmq.LINGER, 0)
        if keys is not None:
            curve.apply(self._socket, keys)
        self._socket.connect(self.endpoint)
        self._ids = itertools.count(1)
        self._in_flight = {}  # request id -> Pending

    def close(self):
        """Closes the socket; requests still in flight are abandoned."""
        if not self._socket.closed:
            self._socket.close(0)
        for pending in self._in_flight.values():
            pending._error = VoxdError(Status.busy, "the client was closed before the reply came", pending.id)
        self._in_flight.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def pipeline(self, max_in_flight=256):
        """A Pipeline: the same request methods, returning Pending without waiting (see Pipeline)."""
        return Pipeline(self, max_in_flight)

    # -- the transport --
    def _submit(self, call):
        return self._send(call).result()

    def _send(self, call, timeout=None):
        request_id = next(self._ids)
        frame = request_frame(call, request_id)
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            try:
                self._socket.send(frame, zmq.NOBLOCK)
                break
            except zmq.Again:  # send queue full: make room by reading replies, up to the timeout
                self._receive_one(deadline, f"sending {call.name}")
        pending = Pending(self, request_id, call)
        self._in_flight[request_id] = pending
        return pending

    def _receive_one(self, deadline, waiting_for):
        """Receives one reply and gives it to its Pending; replies nobody waits for (late answers to requests
        that timed out) are dropped."""
        remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
        if not self._socket.poll(remaining_ms, zmq.POLLIN):
            raise VoxdTimeout(f"voxd at {self.endpoint} did not answer {waiting_for} in time")
        reply = Reply(self._socket.recv())
        pending = self._in_flight.pop(reply.id, None)
        if pending is not None:
            pending._reply = reply
        elif reply.id == 0 and reply.status != Status.ok:
            # The daemon could not read a request's id: it cannot be matched, so fail everything in flight.
            error = VoxdError(reply.status, reply.message)
            for p in self._in_flight.values():
                p._error = error
            self._in_flight.clear()

    def _wait_for(self, pending, timeout=None):
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        try:
            while not pending.done():
                if self._socket.closed:
                    raise VoxdError(Status.busy, "the client is closed", pending.id)
                self._receive_one(deadline, f"{pending.name} (request {pending.id})")
        except VoxdTimeout as e:
            self._in_flight.pop(pending.id, None)
            pending._error = e
            raise

    # -- paged reads --
    def iter_read_box(self, project, box, layer=0, mode=ReadBoxMode.sparse, page_voxels=0):
        """The pages (VoxelPage) of a box read, each requested when the previous one is consumed."""
        cursor = b""
        while True:
            page = self.read_box_page(project, box, layer, mode, cursor, page_voxels)
            yield page
            if page.done:
                return
            if not page.next_cursor:
                raise VoxdError(Status.protocol, "a ReadBox page that is not done has no cursor")
            cursor = page.next_cursor

    def read_box(self, project, box, layer=0, dense=False, page_voxels=0):
        """Reads every voxel of `box`, paging transparently. Sparse (default): a list of (x, y, z, rgba) of
        the non-empty voxels. dense=True: a DenseBox of every voxel (x fastest, 0 = empty)."""
        mode = ReadBoxMode.dense if dense else ReadBoxMode.sparse
        if not dense:
            voxels = []
            for page in self.iter_read_box(project, box, layer, mode, page_voxels):
                voxels.extend(page.voxels)
            return voxels
        lo, hi = encode.as_box(box)
        lo, hi = tuple(map(min, lo, hi)), tuple(map(max, lo, hi))
        colors = array("I")
        next_z = lo[2]
        for page in self.iter_read_box(project, box, layer, mode, page_voxels):
            if page.dense_box is None or page.dense_box.min[2] != next_z:
                raise VoxdError(Status.protocol, f"dense page {page.dense_box} does not start at z = {next_z}")
            colors.extend(page.dense)
            next_z = page.dense_box.max[2] + 1
        return DenseBox(Box(lo, hi), colors)


class Pipeline(Operations):
    """Sends requests without waiting: each request method returns a Pending at once. At most
    `max_in_flight` requests are outstanding; beyond that, sending waits for the oldest reply. Leaving the
    `with` block waits for every reply (errors stay in their Pending until result() is called);
    results() returns them all in order, raising the first error.

    Replies to one project come in order; replies to different projects may interleave: they are matched by
    id, so that is invisible here."""

    def __init__(self, client, max_in_flight=256):
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._client = client
        self._max_in_flight = max_in_flight
        self.pending = []

    def _submit(self, call):
        client = self._client
        while len(client._in_flight) >= self._max_in_flight:
            oldest = next(iter(client._in_flight.values()))
            client._wait_for(oldest)
        pending = client._send(call)
        self.pending.append(pending)
        return pending

    def wait(self):
        """Waits for every reply (raising VoxdTimeout if one does not come)."""
        for p in self.pending:
            if not p.done():
                self._client._wait_for(p)

    def results(self):
        self.wait()
        return [p.result() for p in self.pending]

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.wait()
