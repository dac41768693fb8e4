"""Finds the Python code that flatc generates from protocol/voxd.fbs (package `voxd.protocol`).

The generated code is never committed: the build makes it (`cmake --build build/X --target
voxd_protocol_codegen` writes build/X/protocol/python). It is looked for, in this order:
  1. $VOXD_PROTOCOL_PYTHON: a directory holding voxd/protocol/ (put first on sys.path);
  2. `voxd.protocol` already importable (e.g. through PYTHONPATH);
  3. in a source checkout, flatc (on PATH, or $VOXD_FLATC) generates it from ../../protocol/voxd.fbs into
     $XDG_CACHE_HOME/voxd/python-protocol/<hash of the schema>/ once.
"""

import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

_SCHEMA_IN_CHECKOUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "protocol",
                                   "voxd.fbs")


class ProtocolCodeMissing(ImportError):
    pass


def _importable():
    try:
        importlib.import_module("voxd.protocol.Request")
        return True
    except ImportError:
        return False


def _generate_from_checkout():
    """Runs flatc on the checkout's schema into a per-user cache; returns the directory, or None."""
    schema = os.path.normpath(_SCHEMA_IN_CHECKOUT)
    flatc = os.environ.get("VOXD_FLATC") or shutil.which("flatc")
    if not os.path.isfile(schema) or not flatc:
        return None
    with open(schema, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    target = os.path.join(cache, "voxd", "python-protocol", digest)
    if not os.path.isfile(os.path.join(target, "voxd", "protocol", "Request.py")):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        # Generate beside the target and rename, so concurrent first uses never see half a package.
        staging = tempfile.mkdtemp(prefix=digest + ".", dir=os.path.dirname(target))
        subprocess.run([flatc, "--python", "-o", staging, schema], check=True, capture_output=True)
        try:
            os.rename(staging, target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another process won the race
    return target


def load():
    """Makes `voxd.protocol` importable, or raises ProtocolCodeMissing saying how to get it."""
    explicit = os.environ.get("VOXD_PROTOCOL_PYTHON")
    if explicit:
        if not os.path.isfile(os.path.join(explicit, "voxd", "protocol", "Request.py")):
            raise ProtocolCodeMissing(f"VOXD_PROTOCOL_PYTHON={explicit} holds no voxd/protocol/Request.py")
        sys.path.insert(0, explicit)
    elif not _importable():
        generated = _generate_from_checkout()
        if generated is None:
            raise ProtocolCodeMissing(
                "voxd_client needs the Python code flatc generates from protocol/voxd.fbs: build the "
                "voxd_protocol_codegen target and set VOXD_PROTOCOL_PYTHON=build/<preset>/protocol/python")
        sys.path.insert(0, generated)
    importlib.invalidate_caches()
    importlib.import_module("voxd.protocol.Request")


def module(name):
    """The generated module voxd.protocol.<name>."""
    return importlib.import_module("voxd.protocol." + name)


def generated_class(name):
    """The generated class voxd.protocol.<name>.<name> (tables, structs, enums)."""
    return getattr(module(name), name)
