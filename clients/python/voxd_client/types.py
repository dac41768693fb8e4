"""The values the client takes and returns: the schema's enums (their numbers read from the generated code,
so voxd.fbs stays the one source of truth) and plain dataclasses for results."""

import enum
from array import array
from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional, Tuple

from . import _protocol


def _enum_from_schema(name):
    generated = _protocol.generated_class(name)
    members = {k: v for k, v in vars(generated).items() if not k.startswith("_") and isinstance(v, int)}
    return enum.IntEnum(name, members)


Status = _enum_from_schema("Status")
BlendMode = _enum_from_schema("BlendMode")
ShapeKind = _enum_from_schema("ShapeKind")
View = _enum_from_schema("View")
ReadBoxMode = _enum_from_schema("ReadBoxMode")

Vec3 = Tuple[int, int, int]
Voxel = Tuple[int, int, int, int]  # x, y, z, rgba (0xRRGGBBAA)


class Box(NamedTuple):
    """A box of voxels, both corners inclusive."""
    min: Vec3
    max: Vec3

    def size(self) -> Vec3:
        return tuple(hi - lo + 1 for lo, hi in zip(self.min, self.max))


@dataclass(frozen=True)
class HelloInfo:
    protocol_version: int
    min_protocol_version: int
    server_version: str
    max_message_bytes: int
    max_reply_bytes: int
    max_voxels_per_request: int
    identity: str = ""  # who the daemon takes this client for: "curve:<key>", "uid:<n>", "" (anonymous)


@dataclass(frozen=True)
class Health:
    accepting: bool
    uptime_seconds: float
    projects: int


@dataclass(frozen=True)
class RequestTypeStats:
    requests: int
    errors: int


@dataclass(frozen=True)
class Stats:
    uptime_seconds: float
    projects: int
    voxels: int
    project_memory_bytes: int
    resident_memory_bytes: int
    requests: int
    errors: int
    malformed: int
    busy: int
    queued: int
    per_type: Dict[str, RequestTypeStats]  # by request name (e.g. "SetVoxels") or "malformed"
    latency_p50_us: float
    latency_p90_us: float
    latency_p99_us: float
    latency_max_us: float
    auth_refused: int = 0  # connections refused at the handshake (docs/security.md)
    access_refused: int = 0  # requests refused another identity's project (docs/security.md)


@dataclass(frozen=True)
class ProjectSummary:
    handle: int
    name: str
    voxels: int
    layers: int
    memory_bytes: int


@dataclass(frozen=True)
class LayerInfo:
    id: int
    name: str
    visible: bool
    mode: BlendMode
    voxels: int
    index: int  # 0 = bottom


@dataclass(frozen=True)
class LayerList:
    layers: List[LayerInfo]  # bottom to top
    active_layer: int


@dataclass(frozen=True)
class ProjectInfo:
    handle: int
    name: str
    voxels: int
    memory_bytes: int
    bounding_box: Optional[Box]  # None when empty
    layers: List[LayerInfo]
    active_layer: int
    undo_depth: int
    redo_depth: int


@dataclass(frozen=True)
class MeshReport:
    """The surface of an exported mesh (.obj .ply .stl .gltf .glb), measured on the faces written with
    vertices welded by position (docs/formats-mesh-render.md)."""
    triangles: int           # triangles written, or those of the polygons written (.obj, .ply)
    faces: int               # faces written: triangles, or polygons for .obj and .ply
    watertight: bool         # no boundary, non-manifold or inconsistently oriented edge
    boundary_edges: int      # used by one face
    nonmanifold_edges: int   # used by more than two faces: voxels touching only along an edge
    inconsistent_edges: int  # used by two faces walking it the same way


@dataclass(frozen=True)
class FileResult:
    """What save/export/render gave: the bytes (inline) or the path written under the daemon's root."""
    data: Optional[bytes] = None  # inline requests (no path)
    path: Optional[str] = None    # path requests: as resolved under the root
    size: int = 0                 # bytes written or returned
    lossy: bool = False           # the format could not hold everything (e.g. .vox palette)
    warning: str = ""
    sha256: str = ""              # path requests: the SHA-256 of the bytes written (64 hex digits)
    also_written: Tuple[str, ...] = ()  # path requests: side files written beside it first (a .gltf's .bin)
    mesh: Optional[MeshReport] = None  # mesh formats only


@dataclass(frozen=True)
class History:
    undo_depth: int
    redo_depth: int


@dataclass(frozen=True)
class Histogram:
    entries: List[Tuple[int, int]]  # (rgba, count), most frequent first
    total_colors: int               # distinct colours, even when entries were cut


@dataclass(frozen=True)
class Positions:
    positions: List[Vec3]
    truncated: bool  # more matched than max_results


@dataclass(frozen=True)
class VoxelPage:
    """One page of ReadBox: sparse voxels or a dense block of z slices."""
    voxels: List[Voxel]
    dense: array  # array('I') of dense_box, x fastest, then y, then z
    dense_box: Optional[Box]
    next_cursor: bytes
    done: bool


@dataclass(frozen=True)
class DenseBox:
    """Every voxel of `box` (x fastest, then y, then z); 0 = empty."""
    box: Box
    colors: array = field(repr=False)

    def at(self, x: int, y: int, z: int) -> int:
        (x0, y0, z0), (x1, y1, _) = self.box
        if not all(lo <= v <= hi for v, lo, hi in zip((x, y, z), self.box.min, self.box.max)):
            raise IndexError(f"({x}, {y}, {z}) is outside {self.box}")
        sx, sy = x1 - x0 + 1, y1 - y0 + 1
        return self.colors[(x - x0) + sx * ((y - y0) + sy * (z - z0))]
