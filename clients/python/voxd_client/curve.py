"""CURVE keys for a daemon whose tcp endpoints require them (docs/security.md).

Certificates are czmq's files (what `voxctl keygen FILE` writes): ZPL text with a `curve` section holding
`public-key = "..."` and, in the secret file, `secret-key = "..."`, each 40 Z85 characters."""

import os
import re

import zmq

_Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
_LINE = re.compile(r"""^(?P<indent> *)(?P<name>[A-Za-z0-9$\-_@.&+/]+)\s*(=\s*("(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s#]*)))?\s*(#.*)?$""")
_MAX_BYTES = 64 * 1024


def check_key(key, what):
    """The key as bytes (Z85 text), or ValueError naming `what`."""
    if isinstance(key, bytes):
        key = key.decode("ascii", "replace")
    if len(key) != 40 or any(c not in _Z85 for c in key):
        raise ValueError(f"{what} must be 40 Z85 characters")
    return key.encode("ascii")


def read_certificate(path, need_secret=False):
    """(public_key, secret_key) as Z85 bytes from a czmq certificate file; secret_key is None in a public
    one. With need_secret, the secret key must be there and the public key (derived when missing) match."""
    with open(path, "rb") as f:
        data = f.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        raise ValueError(f"certificate {path} is larger than 64 KiB")
    values, parents = {}, []
    for number, raw in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _LINE.match(raw.rstrip("\r"))
        if not m or len(m.group("indent")) % 4 or len(m.group("indent")) // 4 > len(parents):
            raise ValueError(f"certificate {path} line {number}: not valid ZPL")
        del parents[len(m.group("indent")) // 4:]
        value = next((m.group(g) for g in ("dq", "sq", "bare") if m.group(g) is not None), None)
        if value:
            values["/".join(parents + [m.group("name")])] = value
        parents.append(m.group("name"))
    public = values.get("curve/public-key")
    secret = values.get("curve/secret-key")
    public = check_key(public, f"the public-key of {path}") if public else None
    secret = check_key(secret, f"the secret-key of {path}") if secret else None
    if need_secret:
        if secret is None:
            raise ValueError(f"certificate {path} holds no curve secret-key (is it the public .pub file?)")
        derived = zmq.curve_public(secret)
        if public is not None and public != derived:
            raise ValueError(f"certificate {path}: its public-key does not belong to its secret-key")
        public = derived
    if public is None:
        raise ValueError(f"certificate {path} holds no 'curve' section with a public-key")
    return public, secret


def client_keys(server_key=None, secret_file=None):
    """(server_key, public_key, secret_key) from the arguments or $VOXD_CURVE_SERVER_KEY and
    $VOXD_CURVE_SECRET_FILE, or None when neither is set."""
    server_key = server_key or os.environ.get("VOXD_CURVE_SERVER_KEY") or None
    secret_file = secret_file or os.environ.get("VOXD_CURVE_SECRET_FILE") or None
    if server_key is None and secret_file is None:
        return None
    if server_key is None or secret_file is None:
        raise ValueError("curve_server_key and curve_secret_file go together (make a key pair: voxctl keygen FILE)")
    public, secret = read_certificate(secret_file, need_secret=True)
    return check_key(server_key, "curve_server_key"), public, secret


def apply(socket, keys):
    """Makes `socket` a CURVE client with keys from client_keys() (before it connects)."""
    server_key, public, secret = keys
    socket.setsockopt(zmq.CURVE_SERVERKEY, server_key)
    socket.setsockopt(zmq.CURVE_PUBLICKEY, public)
    socket.setsockopt(zmq.CURVE_SECRETKEY, secret)
