"""Writing request bodies with flatc's generated builders; bulk vectors are packed in one go.

Every body is made by a `build(builder) -> offset` function, so a request is built into one Builder
only when it is sent."""

import struct
from itertools import starmap

from . import _protocol
from .types import BlendMode, ShapeKind

VOXEL = struct.Struct("<iiiI")  # protocol Voxel: x, y, z, rgba
VEC3 = struct.Struct("<iii")    # protocol Vec3


def enum_value(enum_type, value):
    """An enum member from a member, its number or its name ("sphere", "paint", ...)."""
    if isinstance(value, str):
        try:
            return enum_type[value]
        except KeyError:
            names = ", ".join(m.name for m in enum_type)
            raise ValueError(f"{value!r} is not a {enum_type.__name__} (one of {names})") from None
    return enum_type(value)


def rgba_value(value, what):
    """A colour 0xRRGGBBAA from an int or a hex string "rrggbbaa" (a leading '#' is allowed)."""
    if isinstance(value, str):
        text = value[1:] if value.startswith("#") else value
        if len(text) != 8:
            raise ValueError(f"{what} {value!r} is not RRGGBBAA (8 hex digits)")
        try:
            return int(text, 16)
        except ValueError:
            raise ValueError(f"{what} {value!r} is not RRGGBBAA (8 hex digits)") from None
    value = int(value)
    if not 0 <= value <= 0xFFFFFFFF:
        raise ValueError(f"{what} {value:#x} is not a 32-bit 0xRRGGBBAA")
    return value


def _pack_all(layout, items, what):
    try:
        return b"".join(starmap(layout.pack, items))
    except (struct.error, TypeError):
        for i, item in enumerate(items):
            try:
                layout.pack(*item)
            except (struct.error, TypeError) as e:
                raise ValueError(f"{what} {i} {item!r}: {e}") from None
        raise


def pack_voxels(voxels):
    """(x, y, z, rgba) tuples -> the bytes of a protocol Voxel vector (bytes are passed through)."""
    if isinstance(voxels, (bytes, bytearray, memoryview)):
        if len(voxels) % VOXEL.size:
            raise ValueError(f"packed voxels must be a multiple of {VOXEL.size} bytes")
        return bytes(voxels)
    return _pack_all(VOXEL, list(voxels), "voxel")


def pack_positions(positions):
    """(x, y, z) tuples -> the bytes of a protocol Vec3 vector."""
    return _pack_all(VEC3, list(positions), "position")


def struct_vector(builder, raw, elem_size):
    """A vector of structs from their packed little-endian bytes (flatbuffers' Python builder only offers
    element-by-element prepends, which cost ~1 us per voxel). Mirrors Builder.CreateByteVector, but writes
    the element count, not the byte count."""
    count = len(raw) // elem_size
    builder.StartVector(elem_size, count, 4)
    builder.head = builder.Head() - len(raw)
    builder.Bytes[builder.Head():builder.Head() + len(raw)] = raw
    return builder.EndVector()


def string(builder, text):
    # Encode first: Builder.CreateString(str) writes len(str) bytes, wrong for non-ASCII text.
    return builder.CreateString(text.encode("utf-8"))


def vec3(builder, v):
    x, y, z = v
    return _protocol.module("Vec3").CreateVec3(builder, x, y, z)


def as_box(box):
    """((x0, y0, z0), (x1, y1, z1)) or (x0, y0, z0, x1, y1, z1) -> two 3-tuples."""
    if len(box) == 6:
        return tuple(box[:3]), tuple(box[3:])
    lo, hi = box
    return tuple(lo), tuple(hi)


def box3(builder, box):
    (x0, y0, z0), (x1, y1, z1) = as_box(box)
    return _protocol.module("Box3").CreateBox3(builder, x0, y0, z0, x1, y1, z1)


def table(builder, table_name, /, **fields):
    """Builds table `table_name`. Offsets (strings, vectors, nested tables) must be made before Start, so callers
    pass them already built; structs (Vec3/Box3) are passed as ("vec3", v) / ("box", b) and made inline."""
    m = _protocol.module(table_name)
    getattr(m, "Start")(builder)
    for key, value in fields.items():
        if value is None:
            continue
        adder = "Add" + "".join(part.capitalize() for part in key.split("_"))
        add = getattr(m, adder, None) or getattr(m, adder + "_")  # flatc appends _ to Python keywords ("from")
        if isinstance(value, tuple) and value and value[0] == "vec3":
            add(builder, vec3(builder, value[1]))
        elif isinstance(value, tuple) and value and value[0] == "box":
            add(builder, box3(builder, value[1]))
        else:
            add(builder, value)
    return getattr(m, "End")(builder)


class Edit:
    """One edit: sent alone (the Client's edit methods) or as one operation of a batch (Client.batch).
    `name` is the request/EditOperation member, `build(builder)` writes the table and returns its offset."""

    __slots__ = ("name", "build")

    def __init__(self, name, build):
        self.name = name
        self.build = build

    def __repr__(self):
        return f"Edit({self.name})"


# -- the edits (also usable in a batch) --

def set_voxels(voxels, layer=0):
    """Sets voxels: (x, y, z, rgba) tuples, or bytes from pack_voxels(); rgba 0 removes the voxel."""
    raw = pack_voxels(voxels)
    return Edit("SetVoxels", lambda b: table(b, "SetVoxels", layer=layer, voxels=struct_vector(b, raw, VOXEL.size)))


def remove_voxels(positions, layer=0):
    raw = pack_positions(positions)
    return Edit("RemoveVoxels",
                lambda b: table(b, "RemoveVoxels", layer=layer, positions=struct_vector(b, raw, VEC3.size)))


def clear_layer(layer=0):
    return Edit("ClearLayer", lambda b: table(b, "ClearLayer", layer=layer))


def draw_shape(kind, box, rgba, mode=BlendMode.over, layer=0):
    """kind: "box", "sphere" (inscribed ellipsoid) or "cylinder" (along z); mode: a BlendMode."""
    kind, mode, box = enum_value(ShapeKind, kind), enum_value(BlendMode, mode), as_box(box)
    return Edit("DrawShape", lambda b: table(b, "DrawShape", layer=layer, kind=kind, box=("box", box), rgba=rgba,
                                             mode=mode))


def draw_line(start, end, rgba, mode=BlendMode.over, layer=0):
    mode = enum_value(BlendMode, mode)
    return Edit("DrawLine", lambda b: table(b, "DrawLine", layer=layer, **{"from": ("vec3", start)},
                                            to=("vec3", end), rgba=rgba, mode=mode))


def flood_fill(seed, rgba, tolerance=0, bounds=None, layer=0):
    bounds = as_box(bounds) if bounds is not None else None
    return Edit("FloodFill", lambda b: table(b, "FloodFill", layer=layer, seed=("vec3", seed), rgba=rgba,
                                             tolerance=tolerance, bounds=("box", bounds) if bounds else None))


def move_region(source, offset, layer=0, keep_source=False):
    source = as_box(source)
    return Edit("MoveRegion", lambda b: table(b, "MoveRegion", layer=layer, source=("box", source),
                                              offset=("vec3", offset), keep_source=keep_source))


def copy_region(source, offset, layer=0):
    return move_region(source, offset, layer, keep_source=True)


def add_layer(name=""):
    return Edit("AddLayer", lambda b: table(b, "AddLayer", name=string(b, name)))


def remove_layer(layer):
    return Edit("RemoveLayer", lambda b: table(b, "RemoveLayer", layer=layer))


def rename_layer(layer, name):
    return Edit("RenameLayer", lambda b: table(b, "RenameLayer", layer=layer, name=string(b, name)))


def move_layer(layer, index):
    return Edit("MoveLayer", lambda b: table(b, "MoveLayer", layer=layer, index=index))


def duplicate_layer(layer):
    return Edit("DuplicateLayer", lambda b: table(b, "DuplicateLayer", layer=layer))


def merge_layers(upper, lower):
    return Edit("MergeLayers", lambda b: table(b, "MergeLayers", upper=upper, lower=lower))


def set_layer_visible(layer, visible):
    return Edit("SetLayerVisible", lambda b: table(b, "SetLayerVisible", layer=layer, visible=bool(visible)))


def select_layer(layer):
    return Edit("SelectLayer", lambda b: table(b, "SelectLayer", layer=layer))
