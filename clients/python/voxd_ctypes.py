"""A ctypes binding of voxd's C ABI (libvoxd.so, voxd.h): the engine in-process, no daemon.

    from voxd_ctypes import Engine
    with Engine(max_projects=16) as engine:
        project = engine.create_project("castle")
        project.set_voxels([(0, 0, 0, (255, 0, 0, 255))])
        png = project.render_png(view="iso", width=256, height=256)

Failures raise VoxdError(code, message). The library is found through $VOXD_LIBRARY, else the loader's
search path (libvoxd.so.0). Structures mirror voxd.h; every function has its argtypes/restype declared, so
ctypes checks argument types before anything reaches the library.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import (POINTER, Structure, byref, c_bool, c_char, c_char_p, c_int32, c_int64, c_size_t, c_uint8,
                    c_uint32, c_uint64, c_void_p)
from typing import Iterable, Optional, Sequence

ABI_MAJOR = 0

# Status codes (voxd.h: enum voxd_status_code).
OK = 0
STATUS_NAMES = {
    0: "ok", 1: "invalid argument", 2: "not found", 3: "stale handle", 4: "limit exceeded", 5: "i/o error",
    6: "format error", 7: "unsupported", 8: "permission denied", 9: "protocol error", 10: "internal error",
    11: "nothing to do", 12: "busy",
}
INVALID_ARGUMENT, NOT_FOUND, STALE_HANDLE, LIMIT_EXCEEDED = 1, 2, 3, 4
FORMAT, UNSUPPORTED, NOTHING_TO_DO = 6, 7, 11

BLEND_MODES = {"over": 1, "add": 1, "subtract": 2, "sub": 2, "subtract_clamp": 3, "paint": 4, "max": 5,
               "intersect": 6, "intersect_fill": 7, "mult_alpha": 8, "replace": 9}
SHAPES = {"box": 0, "sphere": 1, "cylinder": 2}
VIEWS = {"iso": 0, "front": 1, "back": 2, "left": 3, "right": 4, "top": 5, "bottom": 6, "free": 7}
MESH_FORMATS = {"obj": 0, "ply": 1, "stl": 2}
LAYER_ACTIVE = 0
LAYER_VISIBLE = 0


class VoxdError(Exception):
    """A call into libvoxd failed: `code` is the voxd_status, `name` its stable name."""

    def __init__(self, code: int, message: str):
        self.code = code
        self.name = STATUS_NAMES.get(code, "unknown error")
        self.message = message
        super().__init__(f"{self.name}: {message}")


# ---------------------------------------- structures (voxd.h) ----------------------------------------

class Color(Structure):
    _fields_ = [("r", c_uint8), ("g", c_uint8), ("b", c_uint8), ("a", c_uint8)]

    def tuple(self):
        return (self.r, self.g, self.b, self.a)


class Vec3(Structure):
    _fields_ = [("x", c_int32), ("y", c_int32), ("z", c_int32)]

    def tuple(self):
        return (self.x, self.y, self.z)


class Voxel(Structure):
    _fields_ = [("x", c_int32), ("y", c_int32), ("z", c_int32), ("color", Color)]


class Box(Structure):
    _fields_ = [("min", Vec3), ("max", Vec3)]


class ColorCount(Structure):
    _fields_ = [("color", Color), ("count", c_int64)]


class Bytes(Structure):
    _fields_ = [("data", POINTER(c_uint8)), ("size", c_size_t)]


class EngineOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("max_projects", c_uint64), ("max_voxels", c_int64),
                ("max_layers", c_uint64), ("max_history_steps", c_uint64), ("max_history_bytes", c_uint64),
                ("max_voxels_per_operation", c_int64), ("max_file_bytes", c_uint64)]


class ProjectInfo(Structure):
    _fields_ = [("struct_size", c_size_t), ("voxel_count", c_int64), ("layer_count", c_uint64),
                ("active_layer_id", c_uint32), ("has_bounding_box", c_bool), ("bounding_box", Box),
                ("undo_depth", c_uint64), ("redo_depth", c_uint64), ("memory_bytes", c_uint64)]


class Shape(Structure):
    _fields_ = [("struct_size", c_size_t), ("kind", c_int32), ("mode", c_int32), ("bounds", Box),
                ("color", Color)]


class FloodFillOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("seed", Vec3), ("color", Color), ("tolerance", c_uint8),
                ("has_bounds", c_bool), ("bounds", Box), ("max_voxels", c_int64)]


class LayerInfo(Structure):
    _fields_ = [("id", c_uint32), ("visible", c_bool), ("mode", c_int32), ("voxel_count", c_int64)]


class RenderOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("view", c_int32), ("width", c_int32), ("height", c_int32),
                ("yaw", ctypes.c_double), ("pitch", ctypes.c_double), ("distance", ctypes.c_double),
                ("background", c_uint32), ("disable_ambient_occlusion", c_int32), ("disable_shadows", c_int32),
                ("edges", c_int32), ("perspective", c_int32)]


class MeshStats(Structure):
    _fields_ = [("quads", c_int64), ("triangles", c_int64), ("unmerged_quads", c_int64)]


# ---------------------------------------- the library ----------------------------------------

_E = c_void_p  # voxd_engine*
_P = c_uint64  # voxd_project
_ERR = POINTER(c_void_p)  # voxd_error**
_S = c_int32  # voxd_status

# name: (restype, [argtypes]); every function of voxd.h.
_SIGNATURES = {
    "voxd_version": (c_uint32, []),
    "voxd_version_string": (c_char_p, []),
    "voxd_status_name": (c_char_p, [_S]),
    "voxd_error_code": (_S, [c_void_p]),
    "voxd_error_message": (c_char_p, [c_void_p]),
    "voxd_error_free": (None, [_ERR]),
    "voxd_bytes_free": (None, [POINTER(Bytes)]),
    "voxd_engine_options_init": (_S, [POINTER(EngineOptions), _ERR]),
    "voxd_engine_create": (_S, [POINTER(EngineOptions), POINTER(c_void_p), _ERR]),
    "voxd_engine_destroy": (None, [POINTER(c_void_p)]),
    "voxd_engine_project_count": (_S, [_E, POINTER(c_size_t), _ERR]),
    "voxd_engine_list_projects": (_S, [_E, POINTER(c_uint64), c_size_t, POINTER(c_size_t), _ERR]),
    "voxd_project_create": (_S, [_E, c_char_p, c_size_t, POINTER(_P), _ERR]),
    "voxd_project_close": (_S, [_E, _P, _ERR]),
    "voxd_project_open_file": (_S, [_E, c_char_p, c_size_t, POINTER(_P), _ERR]),
    "voxd_project_open_bytes": (_S, [_E, POINTER(c_uint8), c_size_t, c_char_p, c_size_t, POINTER(_P), _ERR]),
    "voxd_project_copy": (_S, [_E, _P, c_char_p, c_size_t, POINTER(_P), _ERR]),
    "voxd_project_save": (_S, [_E, _P, c_char_p, c_size_t, _ERR]),
    "voxd_project_export": (_S, [_E, _P, c_char_p, c_size_t, POINTER(Bytes), _ERR]),
    "voxd_project_export_to_buffer": (_S, [_E, _P, c_char_p, c_size_t, POINTER(c_uint8), c_size_t,
                                           POINTER(c_size_t), _ERR]),
    "voxd_project_get_info": (_S, [_E, _P, POINTER(ProjectInfo), _ERR]),
    "voxd_project_get_name": (_S, [_E, _P, POINTER(c_char), c_size_t, POINTER(c_size_t), _ERR]),
    "voxd_project_undo": (_S, [_E, _P, _ERR]),
    "voxd_project_redo": (_S, [_E, _P, _ERR]),
    "voxd_voxels_set": (_S, [_E, _P, c_uint32, POINTER(Voxel), c_size_t, _ERR]),
    "voxd_voxels_remove": (_S, [_E, _P, c_uint32, POINTER(Vec3), c_size_t, _ERR]),
    "voxd_voxels_get": (_S, [_E, _P, c_uint32, POINTER(Vec3), c_size_t, POINTER(Color), _ERR]),
    "voxd_voxels_read_box": (_S, [_E, _P, c_uint32, POINTER(Box), POINTER(Voxel), c_size_t, POINTER(c_size_t),
                                  _ERR]),
    "voxd_layer_clear": (_S, [_E, _P, c_uint32, _ERR]),
    "voxd_shape_apply": (_S, [_E, _P, c_uint32, POINTER(Shape), POINTER(c_int64), _ERR]),
    "voxd_line_draw": (_S, [_E, _P, c_uint32, Vec3, Vec3, Color, c_int32, POINTER(c_int64), _ERR]),
    "voxd_flood_fill": (_S, [_E, _P, c_uint32, POINTER(FloodFillOptions), POINTER(c_int64), _ERR]),
    "voxd_region_move": (_S, [_E, _P, c_uint32, POINTER(Box), Vec3, c_bool, POINTER(c_int64), _ERR]),
    "voxd_layer_list": (_S, [_E, _P, POINTER(LayerInfo), c_size_t, POINTER(c_size_t), _ERR]),
    "voxd_layer_get_name": (_S, [_E, _P, c_uint32, POINTER(c_char), c_size_t, POINTER(c_size_t), _ERR]),
    "voxd_layer_add": (_S, [_E, _P, c_char_p, c_size_t, POINTER(c_uint32), _ERR]),
    "voxd_layer_remove": (_S, [_E, _P, c_uint32, _ERR]),
    "voxd_layer_rename": (_S, [_E, _P, c_uint32, c_char_p, c_size_t, _ERR]),
    "voxd_layer_move": (_S, [_E, _P, c_uint32, c_size_t, _ERR]),
    "voxd_layer_duplicate": (_S, [_E, _P, c_uint32, POINTER(c_uint32), _ERR]),
    "voxd_layer_set_visible": (_S, [_E, _P, c_uint32, c_bool, _ERR]),
    "voxd_layer_select": (_S, [_E, _P, c_uint32, _ERR]),
    "voxd_layer_merge": (_S, [_E, _P, c_uint32, c_uint32, _ERR]),
    "voxd_query_bounding_box": (_S, [_E, _P, c_uint32, POINTER(Box), POINTER(c_bool), _ERR]),
    "voxd_query_count": (_S, [_E, _P, c_uint32, POINTER(c_int64), _ERR]),
    "voxd_query_histogram": (_S, [_E, _P, c_uint32, POINTER(ColorCount), c_size_t, POINTER(c_size_t), _ERR]),
    "voxd_query_unique_colors": (_S, [_E, _P, c_uint32, POINTER(Color), c_size_t, POINTER(c_size_t), _ERR]),
    "voxd_query_find_color": (_S, [_E, _P, c_uint32, Color, c_uint8, POINTER(Vec3), c_size_t, POINTER(c_size_t),
                                   _ERR]),
    "voxd_render_options_init": (_S, [POINTER(RenderOptions), _ERR]),
    "voxd_render_png": (_S, [_E, _P, POINTER(RenderOptions), POINTER(Bytes), _ERR]),
    "voxd_mesh_export": (_S, [_E, _P, c_int32, POINTER(Bytes), POINTER(MeshStats), _ERR]),
}


def load_library(path: Optional[str] = None) -> ctypes.CDLL:
    """Loads libvoxd and declares every function's signature."""
    lib = ctypes.CDLL(path or os.environ.get("VOXD_LIBRARY") or f"libvoxd.so.{ABI_MAJOR}")
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    major = lib.voxd_version() // 10000
    if major != ABI_MAJOR:
        raise ImportError(f"libvoxd has ABI major version {major}; this binding speaks {ABI_MAJOR}")
    return lib


_lib: Optional[ctypes.CDLL] = None


def library() -> ctypes.CDLL:
    global _lib
    if _lib is None:
        _lib = load_library()
    return _lib


def version() -> str:
    return library().voxd_version_string().decode()


def _call(function, *args) -> None:
    """Calls a voxd function with a trailing voxd_error** and raises VoxdError on failure."""
    error = c_void_p()
    status = function(*args, byref(error))
    if status != OK:
        lib = library()
        message = lib.voxd_error_message(error).decode("utf-8", "replace") if error else ""
        lib.voxd_error_free(byref(error))
        raise VoxdError(status, message)


def _text(value: str) -> tuple:
    data = value.encode("utf-8")
    return data, len(data)


def _color(value) -> Color:
    r, g, b, a = value if len(value) == 4 else (*value, 255)
    return Color(r, g, b, a)


def _box(lo: Sequence[int], hi: Sequence[int]) -> Box:
    return Box(Vec3(*lo), Vec3(*hi))


def _take_bytes(out: Bytes) -> bytes:
    try:
        return ctypes.string_at(out.data, out.size) if out.size else b""
    finally:
        library().voxd_bytes_free(byref(out))


def _read_array(element_type, fill) -> list:
    """Calls fill(out, capacity, count_pointer) to ask for the count, then for the elements; repeats if the
    count grew meanwhile (another thread edited the project)."""
    count = c_size_t(0)
    fill(None, 0, byref(count))
    while True:
        capacity = count.value
        out = (element_type * max(capacity, 1))()
        fill(out, capacity, byref(count))
        if count.value <= capacity:
            return list(out[:count.value])


def _read_string(fill) -> str:
    length = c_size_t(0)
    fill(None, 0, byref(length))
    buffer = ctypes.create_string_buffer(length.value + 1)
    fill(buffer, len(buffer), byref(length))
    return buffer.value.decode("utf-8", "replace")


class Engine:
    """A voxd engine: the registry of projects. Thread-safe; close() (or `with`) frees it and its projects."""

    def __init__(self, **limits):
        lib = library()
        options = EngineOptions()
        _call(lib.voxd_engine_options_init, byref(options))
        for name, value in limits.items():
            if name == "struct_size" or not hasattr(options, name):
                raise TypeError(f"unknown engine option {name!r}")
            setattr(options, name, value)
        self._handle = c_void_p()
        _call(lib.voxd_engine_create, byref(options), byref(self._handle))

    def close(self) -> None:
        if self._handle:
            library().voxd_engine_destroy(byref(self._handle))  # sets the handle to NULL

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    @property
    def handle(self) -> c_void_p:
        if not self._handle:
            raise VoxdError(INVALID_ARGUMENT, "the engine is closed")
        return self._handle

    def create_project(self, name: str) -> "Project":
        out = c_uint64()
        _call(library().voxd_project_create, self.handle, *_text(name), byref(out))
        return Project(self, out.value)

    def open_file(self, path: str) -> "Project":
        out = c_uint64()
        _call(library().voxd_project_open_file, self.handle, *_text(os.fspath(path)), byref(out))
        return Project(self, out.value)

    def open_bytes(self, data: bytes, name: str) -> "Project":
        out = c_uint64()
        buffer = (c_uint8 * len(data)).from_buffer_copy(data) if data else None
        _call(library().voxd_project_open_bytes, self.handle, buffer, len(data), *_text(name), byref(out))
        return Project(self, out.value)

    def project_count(self) -> int:
        count = c_size_t()
        _call(library().voxd_engine_project_count, self.handle, byref(count))
        return count.value

    def projects(self) -> list:
        fill = lambda out, capacity, count: _call(library().voxd_engine_list_projects, self.handle, out, capacity,
                                                  count)
        return [Project(self, h) for h in _read_array(c_uint64, fill)]


class Project:
    """A handle to a project of an engine. After close() every call raises VoxdError(STALE_HANDLE)."""

    def __init__(self, engine: Engine, handle: int):
        self.engine = engine
        self.handle = handle

    def __eq__(self, other):
        return isinstance(other, Project) and other.engine is self.engine and other.handle == self.handle

    def __hash__(self):
        return hash(self.handle)

    def _call(self, name: str, *args) -> None:
        _call(getattr(library(), name), self.engine.handle, self.handle, *args)

    # ---- project ----
    def close(self) -> None:
        self._call("voxd_project_close")

    @property
    def name(self) -> str:
        return _read_string(lambda out, capacity, length: self._call("voxd_project_get_name", out, capacity, length))

    def info(self) -> ProjectInfo:
        info = ProjectInfo(struct_size=ctypes.sizeof(ProjectInfo))
        self._call("voxd_project_get_info", byref(info))
        return info

    def copy(self, name: str) -> "Project":
        out = c_uint64()
        self._call("voxd_project_copy", *_text(name), byref(out))
        return Project(self.engine, out.value)

    def save(self, path: str) -> None:
        self._call("voxd_project_save", *_text(os.fspath(path)))

    def export(self, format: str) -> bytes:
        out = Bytes()
        self._call("voxd_project_export", *_text(format), byref(out))
        return _take_bytes(out)

    def export_into(self, format: str, buffer: Optional[bytearray]) -> int:
        """Exports into a caller buffer (None asks for the size); returns the size of the file."""
        size = c_size_t()
        target = (c_uint8 * len(buffer)).from_buffer(buffer) if buffer else None
        self._call("voxd_project_export_to_buffer", *_text(format), target, len(buffer) if buffer else 0,
                   byref(size))
        return size.value

    def undo(self) -> None:
        self._call("voxd_project_undo")

    def redo(self) -> None:
        self._call("voxd_project_redo")

    # ---- voxels ----
    def set_voxels(self, voxels: Iterable, layer: int = LAYER_ACTIVE) -> None:
        """voxels: (x, y, z, (r, g, b, a)) tuples."""
        items = [Voxel(x, y, z, _color(c)) for x, y, z, c in voxels]
        self._call("voxd_voxels_set", layer, (Voxel * len(items))(*items), len(items))

    def remove_voxels(self, positions: Iterable, layer: int = LAYER_ACTIVE) -> None:
        items = [Vec3(*p) for p in positions]
        self._call("voxd_voxels_remove", layer, (Vec3 * len(items))(*items), len(items))

    def get_voxels(self, positions: Iterable, layer: int = LAYER_VISIBLE) -> list:
        items = [Vec3(*p) for p in positions]
        colors = (Color * len(items))()
        self._call("voxd_voxels_get", layer, (Vec3 * len(items))(*items), len(items), colors)
        return [c.tuple() for c in colors]

    def read_box(self, lo: Sequence[int], hi: Sequence[int], layer: int = LAYER_VISIBLE) -> list:
        box = _box(lo, hi)
        fill = lambda out, capacity, count: self._call("voxd_voxels_read_box", layer, byref(box), out, capacity,
                                                       count)
        return [(v.x, v.y, v.z, v.color.tuple()) for v in _read_array(Voxel, fill)]

    def clear(self, layer: int = LAYER_ACTIVE) -> None:
        self._call("voxd_layer_clear", layer)

    # ---- shapes ----
    def apply_shape(self, kind: str, lo, hi, color, mode: str = "over", layer: int = LAYER_ACTIVE) -> int:
        shape = Shape(ctypes.sizeof(Shape), SHAPES[kind], BLEND_MODES[mode], _box(lo, hi), _color(color))
        changed = c_int64()
        self._call("voxd_shape_apply", layer, byref(shape), byref(changed))
        return changed.value

    def draw_line(self, start, end, color, mode: str = "over", layer: int = LAYER_ACTIVE) -> int:
        changed = c_int64()
        self._call("voxd_line_draw", layer, Vec3(*start), Vec3(*end), _color(color), BLEND_MODES[mode],
                   byref(changed))
        return changed.value

    def flood_fill(self, seed, color, tolerance: int = 0, bounds=None, max_voxels: int = 0,
                   layer: int = LAYER_ACTIVE) -> int:
        options = FloodFillOptions(struct_size=ctypes.sizeof(FloodFillOptions), seed=Vec3(*seed),
                                   color=_color(color), tolerance=tolerance, has_bounds=bounds is not None,
                                   max_voxels=max_voxels)
        if bounds is not None:
            options.bounds = _box(*bounds)
        filled = c_int64()
        self._call("voxd_flood_fill", layer, byref(options), byref(filled))
        return filled.value

    def move_region(self, lo, hi, offset, keep_source: bool = False, layer: int = LAYER_ACTIVE) -> int:
        moved = c_int64()
        self._call("voxd_region_move", layer, byref(_box(lo, hi)), Vec3(*offset), keep_source, byref(moved))
        return moved.value

    # ---- layers ----
    def layers(self) -> list:
        """[(id, name, visible, voxel_count)] bottom to top."""
        fill = lambda out, capacity, count: self._call("voxd_layer_list", out, capacity, count)
        return [(l.id, self.layer_name(l.id), bool(l.visible), l.voxel_count) for l in _read_array(LayerInfo, fill)]

    def layer_name(self, layer: int) -> str:
        return _read_string(
            lambda out, capacity, length: self._call("voxd_layer_get_name", layer, out, capacity, length))

    def add_layer(self, name: str) -> int:
        out = c_uint32()
        self._call("voxd_layer_add", *_text(name), byref(out))
        return out.value

    def remove_layer(self, layer: int) -> None:
        self._call("voxd_layer_remove", layer)

    def rename_layer(self, layer: int, name: str) -> None:
        self._call("voxd_layer_rename", layer, *_text(name))

    def move_layer(self, layer: int, index: int) -> None:
        self._call("voxd_layer_move", layer, index)

    def duplicate_layer(self, layer: int) -> int:
        out = c_uint32()
        self._call("voxd_layer_duplicate", layer, byref(out))
        return out.value

    def set_layer_visible(self, layer: int, visible: bool) -> None:
        self._call("voxd_layer_set_visible", layer, visible)

    def select_layer(self, layer: int) -> None:
        self._call("voxd_layer_select", layer)

    def merge_layers(self, upper: int, lower: int) -> None:
        self._call("voxd_layer_merge", upper, lower)

    # ---- queries ----
    def bounding_box(self, layer: int = LAYER_VISIBLE):
        """((min x, y, z), (max x, y, z)) or None when empty."""
        box, found = Box(), c_bool()
        self._call("voxd_query_bounding_box", layer, byref(box), byref(found))
        return (box.min.tuple(), box.max.tuple()) if found.value else None

    def count(self, layer: int = LAYER_VISIBLE) -> int:
        count = c_int64()
        self._call("voxd_query_count", layer, byref(count))
        return count.value

    def histogram(self, layer: int = LAYER_VISIBLE) -> list:
        fill = lambda out, capacity, count: self._call("voxd_query_histogram", layer, out, capacity, count)
        return [(c.color.tuple(), c.count) for c in _read_array(ColorCount, fill)]

    def unique_colors(self, layer: int = LAYER_VISIBLE) -> list:
        fill = lambda out, capacity, count: self._call("voxd_query_unique_colors", layer, out, capacity, count)
        return [c.tuple() for c in _read_array(Color, fill)]

    def find_color(self, color, tolerance: int = 0, layer: int = LAYER_VISIBLE) -> list:
        fill = lambda out, capacity, count: self._call("voxd_query_find_color", layer, _color(color), tolerance,
                                                       out, capacity, count)
        return [p.tuple() for p in _read_array(Vec3, fill)]

    # ---- render and meshes ----
    def render_png(self, view: str = "iso", width: int = 512, height: int = 512, *, ambient_occlusion=True,
                   shadows=True, edges=False, background: int = 0, yaw=None, pitch=None, distance=None,
                   perspective=None) -> bytes:
        """The keywords of voxd_client's render(): camera keywords mean view="free"."""
        options = RenderOptions()
        _call(library().voxd_render_options_init, byref(options))
        camera = {k: v for k, v in (("yaw", yaw), ("pitch", pitch), ("distance", distance),
                                     ("perspective", perspective)) if v is not None}
        if camera and view == "iso":
            view = "free"
        options.view, options.width, options.height = VIEWS[view], width, height
        options.disable_ambient_occlusion, options.disable_shadows = int(not ambient_occlusion), int(not shadows)
        options.edges, options.background = int(bool(edges)), background
        for key, value in camera.items():
            setattr(options, key, int(bool(value)) if key == "perspective" else float(value))
        out = Bytes()
        self._call("voxd_render_png", byref(options), byref(out))
        return _take_bytes(out)

    def mesh(self, format: str = "obj") -> tuple:
        """(bytes, MeshStats) of a merged-face mesh."""
        out, stats = Bytes(), MeshStats()
        self._call("voxd_mesh_export", MESH_FORMATS[format], byref(out), byref(stats))
        return _take_bytes(out), stats
