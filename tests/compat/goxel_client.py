"""A raw goxel-daemon client the way their scripts talk: JSON-RPC 2.0 over a Unix stream socket, each reply one
JSON value ending in a newline."""
import json
import socket


class GoxelConnection:
    def __init__(self, path, timeout=30):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""
        self.next_id = 1

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def read_reply(self):
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed with %d bytes unanswered" % len(self.buffer))
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def request(self, method, params=None, notification=False):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notification:
            message["id"] = self.next_id
            self.next_id += 1
        return message

    def call(self, method, params=None):
        message = self.request(method, params)
        self.send_raw(json.dumps(message))
        reply = self.read_reply()
        assert reply["id"] == message["id"], (reply, message)
        return reply

    def result(self, method, params=None):
        reply = self.call(method, params)
        if "error" in reply:
            raise AssertionError("%s failed: %s" % (method, reply["error"]))
        return reply["result"]


def call_once(path, method, params=None):
    """One request per connection, as several of goxel-daemon's scripts do."""
    connection = GoxelConnection(path)
    try:
        return connection.call(method, params)
    finally:
        connection.close()
