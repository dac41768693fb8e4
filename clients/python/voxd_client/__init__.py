"""voxd_client: a Python client of the voxd daemon (docs/python-client.md).

    from voxd_client import Client
    with Client() as voxd:                       # $VOXD_ENDPOINT or the daemon's default endpoint
        p = voxd.create_project("demo")
        voxd.set_voxels(p, [(0, 0, 0, 0xFF0000FF)])
"""

from . import _protocol

_protocol.load()

from . import curve  # noqa: E402  (CURVE certificates, docs/security.md)
from . import encode as edits  # noqa: E402  (the edit constructors, for Client.batch)
from .client import PROTOCOL_VERSION, Client, Pending, Pipeline, default_endpoint  # noqa: E402
from .encode import pack_voxels  # noqa: E402
from .errors import VoxdError, VoxdTimeout, VoxdWarning  # noqa: E402
from .types import (BlendMode, Box, DenseBox, FileResult, Health, HelloInfo, History, Histogram,  # noqa: E402
                    LayerInfo, LayerList, MeshReport, Positions, ProjectInfo, ProjectSummary, ReadBoxMode,
                    RequestTypeStats, ShapeKind, Stats, Status, View, VoxelPage)

__all__ = ["BlendMode", "Box", "Client", "DenseBox", "FileResult", "Health", "HelloInfo", "History", "Histogram",
           "LayerInfo", "LayerList", "MeshReport", "PROTOCOL_VERSION", "Pending", "Pipeline", "Positions",
           "ProjectInfo", "ProjectSummary", "ReadBoxMode", "RequestTypeStats", "ShapeKind", "Stats", "Status", "View",
           "VoxdError", "VoxdTimeout", "VoxdWarning", "VoxelPage", "default_endpoint", "edits", "pack_voxels"]
