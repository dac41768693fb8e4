"""Reading responses: the envelope, and each result table into the values of types.py.

Bulk vectors are read as whole byte ranges (struct.iter_unpack / array), not element by element."""

import struct
import sys
import warnings
from array import array

from . import _protocol
from .errors import VoxdError, VoxdWarning
from .types import (BlendMode, Box, FileResult, Health, HelloInfo, History, Histogram, LayerInfo,
                    LayerList, MeshReport, Positions, ProjectInfo, ProjectSummary, RequestTypeStats, Stats, Status,
                    VoxelPage)

_RESULT_NAMES = {v: k for k, v in vars(_protocol.generated_class("ResultBody")).items()
                 if not k.startswith("_") and isinstance(v, int)}
_COLOR_COUNT = struct.Struct("<I4xq")  # protocol ColorCount: rgba, padding, count


class Reply:
    """A response frame: its id, status, message and (typed) result table."""

    __slots__ = ("id", "status", "message", "result_name", "result")

    def __init__(self, frame):
        if len(frame) < 8 or frame[4:8] != b"VOXD":
            raise VoxdError(Status.protocol, "a reply without the VOXD file identifier")
        try:
            response = _protocol.generated_class("Response").GetRootAs(frame, 0)
            self.id = response.Id()
            self.status = response.Status()
            message = response.Message()
            self.message = message.decode("utf-8", "replace") if message else ""
            self.result_name = _RESULT_NAMES.get(response.ResultType(), "NONE")
            self.result = None
            if self.result_name != "NONE":
                union = response.Result()
                self.result = _protocol.generated_class(self.result_name)()
                self.result.Init(union.Bytes, union.Pos)
        except VoxdError:
            raise
        except Exception as e:  # a buffer that lies about its offsets: report it, never crash the caller
            raise VoxdError(Status.protocol, f"unreadable reply: {e}") from None


def vector_bytes(table, field_index, elem_size):
    """The raw bytes of vector field number `field_index` (its position in voxd.fbs; the schema is append-only,
    so positions never change) of a generated table object, or b"" when absent."""
    tab = table._tab
    offset = tab.Offset(4 + 2 * field_index)
    if offset == 0:
        return b""
    start = tab.Vector(offset)
    return bytes(tab.Bytes[start:start + elem_size * tab.VectorLen(offset)])


def _uint32s(raw):
    values = array("I")
    values.frombytes(raw)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _text(value):
    return value.decode("utf-8", "replace") if value else ""


def _box(b):
    if b is None:
        return None
    vec3 = _protocol.generated_class("Vec3")
    lo, hi = b.Min(vec3()), b.Max(vec3())
    return Box((lo.X(), lo.Y(), lo.Z()), (hi.X(), hi.Y(), hi.Z()))


def _vec3s(raw):
    return list(struct.iter_unpack("<iii", raw))


def expect(reply, *names):
    """The result table of `reply`, checking that it is one of `names`."""
    if reply.result_name not in names:
        raise VoxdError(Status.protocol, f"expected a {' or '.join(names)} result, got {reply.result_name}",
                        reply.id)
    return reply.result


def warn_if(warning):
    if warning:
        warnings.warn(warning, VoxdWarning, stacklevel=4)


# -- one function per result type --

def nothing(reply):
    return None


def hello(reply):
    r = expect(reply, "HelloResult")
    return HelloInfo(r.ProtocolVersion(), r.MinProtocolVersion(), _text(r.ServerVersion()), r.MaxMessageBytes(),
                     r.MaxReplyBytes(), r.MaxVoxelsPerRequest(), _text(r.Identity()))


def ping(reply):
    return vector_bytes(expect(reply, "PingResult"), 0, 1)


def health(reply):
    r = expect(reply, "HealthResult")
    return Health(r.Accepting(), r.UptimeSeconds(), r.Projects())


def stats(reply):
    r = expect(reply, "StatsResult")
    per_type = {}
    for i in range(r.PerTypeLength()):
        t = r.PerType(i)
        per_type[_text(t.Type())] = RequestTypeStats(t.Requests(), t.Errors())
    return Stats(r.UptimeSeconds(), r.Projects(), r.Voxels(), r.ProjectMemoryBytes(), r.ResidentMemoryBytes(),
                 r.Requests(), r.Errors(), r.Malformed(), r.Busy(), r.Queued(), per_type, r.LatencyP50Us(),
                 r.LatencyP90Us(), r.LatencyP99Us(), r.LatencyMaxUs(), r.AuthRefused(), r.AccessRefused())


def project_list(reply):
    r = expect(reply, "ProjectList")
    projects = []
    for i in range(r.ProjectsLength()):
        p = r.Projects(i)
        projects.append(ProjectSummary(p.Handle(), _text(p.Name()), p.Voxels(), p.Layers(), p.MemoryBytes()))
    return projects


def project_handle(reply):
    r = expect(reply, "ProjectCreated")
    warn_if(_text(r.Warning()))
    return r.Handle()


def _layer(layer):
    mode = layer.Mode()
    try:
        mode = BlendMode(mode)
    except ValueError:
        pass
    return LayerInfo(layer.Id(), _text(layer.Name()), layer.Visible(), mode, layer.Voxels(), layer.Index())


def project_info(reply):
    r = expect(reply, "ProjectInfo")
    layers = [_layer(r.Layers(i)) for i in range(r.LayersLength())]
    return ProjectInfo(r.Handle(), _text(r.Name()), r.Voxels(), r.MemoryBytes(), _box(r.BoundingBox()), layers,
                       r.ActiveLayer(), r.UndoDepth(), r.RedoDepth())


def _mesh(m):
    if m is None:
        return None
    return MeshReport(m.Triangles(), m.Faces(), m.Watertight(), m.BoundaryEdges(), m.NonmanifoldEdges(),
                      m.InconsistentEdges())


def file_result(reply):
    r = expect(reply, "FileData", "FileWritten")
    warning = _text(r.Warning())
    warn_if(warning)
    if reply.result_name == "FileData":
        data = vector_bytes(r, 0, 1)
        return FileResult(data=data, size=len(data), lossy=r.Lossy(), warning=warning, mesh=_mesh(r.Mesh()))
    also = tuple(_text(r.AlsoWritten(i)) for i in range(r.AlsoWrittenLength()))
    return FileResult(path=_text(r.Path()), size=r.Bytes(), lossy=r.Lossy(), warning=warning, sha256=_text(r.Sha256()),
                      also_written=also, mesh=_mesh(r.Mesh()))


def file_removed(reply):
    return _text(expect(reply, "FileRemoved").Path())


def colors(reply):
    return list(_uint32s(vector_bytes(expect(reply, "Colors"), 0, 4)))


def voxel_page(reply):
    r = expect(reply, "VoxelPage")
    voxels = list(struct.iter_unpack("<iiiI", vector_bytes(r, 0, 16)))
    return VoxelPage(voxels, _uint32s(vector_bytes(r, 1, 4)), _box(r.DenseBox()), vector_bytes(r, 3, 1), r.Done())


def changed(reply):
    return expect(reply, "Changed").Voxels()


def layer_created(reply):
    return expect(reply, "LayerCreated").Layer()


def layer_list(reply):
    r = expect(reply, "LayerList")
    return LayerList([_layer(r.Layers(i)) for i in range(r.LayersLength())], r.ActiveLayer())


def history(reply):
    r = expect(reply, "HistoryResult")
    return History(r.UndoDepth(), r.RedoDepth())


def batch(reply):
    raw = vector_bytes(expect(reply, "BatchResult"), 0, 8)
    return [v for (v,) in struct.iter_unpack("<q", raw)]


def bounding_box(reply):
    return _box(expect(reply, "BoundingBox").Box())


def count(reply):
    return expect(reply, "Count").Voxels()


def histogram(reply):
    r = expect(reply, "Histogram")
    return Histogram(list(_COLOR_COUNT.iter_unpack(vector_bytes(r, 0, _COLOR_COUNT.size))), r.TotalColors())


def positions(reply):
    r = expect(reply, "Positions")
    return Positions(_vec3s(vector_bytes(r, 0, 12)), r.Truncated())
