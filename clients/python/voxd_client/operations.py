"""One method per request of protocol/voxd.fbs, shared by Client (which waits for each reply) and Pipeline
(which sends and returns a Pending). A method builds a Call; the class it is mixed into submits it."""

from . import _protocol
from . import decode
from . import encode
from .encode import string, table
from .types import BlendMode, ReadBoxMode, View

# The request each method sends, by request name (tests check it covers the schema's RequestBody).
REQUESTS = {}


def sends(request_name):
    def register(method):
        REQUESTS[request_name] = method.__name__
        return method
    return register


def _region(box):
    """The optional `box` of the colour queries as table() takes it (None: the field is left out)."""
    return None if box is None else ("box", encode.as_box(box))


class Call:
    """A request not yet sent: its body (name + build function), project handle and reply decoder."""

    __slots__ = ("name", "project", "build", "decode")

    def __init__(self, name, project, build, decode_reply):
        self.name = name
        self.project = project
        self.build = build
        self.decode = decode_reply


class Operations:
    """Handles are the ints create_project/open_file/copy_project return. Colours are 0xRRGGBBAA ints.
    `layer=0` means the active layer for edits, and all visible layers merged for reads and queries."""

    def _submit(self, call):
        raise NotImplementedError

    def _edit(self, project, edit, decode_reply=decode.changed):
        return self._submit(Call(edit.name, project, edit.build, decode_reply))

    # -- system --
    @sends("Hello")
    def hello(self, client_name="voxd_client"):
        """The daemon's protocol versions, version and limits (HelloInfo)."""
        return self._submit(Call("Hello", 0, lambda b: table(b, "Hello", client_name=string(b, client_name)),
                                 decode.hello))

    @sends("Ping")
    def ping(self, payload=b""):
        """Echoes `payload` (bytes)."""
        payload = bytes(payload)
        return self._submit(Call("Ping", 0, lambda b: table(b, "Ping", payload=b.CreateByteVector(payload)),
                                 decode.ping))

    @sends("GetHealth")
    def health(self):
        return self._submit(Call("GetHealth", 0, lambda b: table(b, "GetHealth"), decode.health))

    @sends("GetStats")
    def stats(self):
        return self._submit(Call("GetStats", 0, lambda b: table(b, "GetStats"), decode.stats))

    @sends("ListProjects")
    def list_projects(self):
        """[ProjectSummary] of every open project."""
        return self._submit(Call("ListProjects", 0, lambda b: table(b, "ListProjects"), decode.project_list))

    # -- projects --
    @sends("CreateProject")
    def create_project(self, name="untitled"):
        """A new empty project; returns its handle."""
        return self._submit(Call("CreateProject", 0, lambda b: table(b, "CreateProject", name=string(b, name)),
                                 decode.project_handle))

    @sends("CloseProject")
    def close_project(self, project):
        return self._submit(Call("CloseProject", project, lambda b: table(b, "CloseProject"), decode.nothing))

    @sends("ShareProject")
    def share_project(self, project, identity, access="read"):
        """Grants `identity` ("curve:<Z85 public key>" or "uid:<n>"; see hello().identity) "read" or "edit"
        access to a project you own; "none" revokes. Others see your projects as closed until you share."""
        levels = {"none": 0, "read": 1, "edit": 2}
        if access not in levels:
            raise ValueError(f"access must be one of {sorted(levels)}, not {access!r}")
        return self._submit(Call("ShareProject", project,
                                 lambda b: table(b, "ShareProject", identity=string(b, identity),
                                                 access=levels[access]), decode.nothing))

    @sends("OpenFile")
    def open_file(self, path=None, *, data=None, name=None, format=None):
        """Opens a file as a new project: `path` under the daemon's --root, or the file's bytes as `data`.
        The format comes from the content, else `format` ("gox", "vox", "txt"), else the extension.
        Returns the handle; what a reader skipped comes as a VoxdWarning."""
        if (path is None) == (data is None):
            raise ValueError("open_file needs exactly one of path and data")
        data = bytes(data) if data is not None else None

        def build(b):
            return table(b, "OpenFile", path=string(b, path) if path is not None else None,
                         data=b.CreateByteVector(data) if data is not None else None,
                         name=string(b, name) if name else None, format=string(b, format) if format else None)
        return self._submit(Call("OpenFile", 0, build, decode.project_handle))

    def _write(self, request_name, project, path, format):
        def build(b):
            return table(b, request_name, path=string(b, path) if path else None,
                         format=string(b, format) if format else None)
        return self._submit(Call(request_name, project, build, decode.file_result))

    @sends("SaveProject")
    def save_project(self, project, path=None, format=None):
        """Writes gox/vox/txt to `path` under the daemon's root, or returns the bytes (FileResult.data) without
        a path. Format from `format`, else from the path's extension."""
        return self._write("SaveProject", project, path, format)

    @sends("ExportProject")
    def export_project(self, project, path=None, format=None):
        """Like save_project, meshes included (gox, vox, txt, obj, ply, stl)."""
        return self._write("ExportProject", project, path, format)

    @sends("RemoveFile")
    def remove_file(self, path):
        """Removes a file under the daemon's root: only a regular file of a format voxd writes (.gox, .png, ...).
        Returns the path as resolved under the root; a missing file raises VoxdError (not_found)."""
        return self._submit(Call("RemoveFile", 0, lambda b: table(b, "RemoveFile", path=string(b, path)),
                                 decode.file_removed))

    @sends("GetProjectInfo")
    def project_info(self, project):
        return self._submit(Call("GetProjectInfo", project, lambda b: table(b, "GetProjectInfo"),
                                 decode.project_info))

    @sends("CopyProject")
    def copy_project(self, project, name=""):
        """A new project holding a snapshot of this one (no history); returns its handle."""
        return self._submit(Call("CopyProject", project,
                                 lambda b: table(b, "CopyProject", name=string(b, name) if name else None),
                                 decode.project_handle))

    # -- voxels --
    @sends("SetVoxels")
    def set_voxels(self, project, voxels, layer=0):
        """Sets (x, y, z, rgba) voxels (rgba 0 removes); returns how many were written."""
        return self._edit(project, encode.set_voxels(voxels, layer))

    @sends("RemoveVoxels")
    def remove_voxels(self, project, positions, layer=0):
        """Removes the voxels at (x, y, z) positions; returns how many were there."""
        return self._edit(project, encode.remove_voxels(positions, layer))

    @sends("GetVoxels")
    def get_voxels(self, project, positions, layer=0):
        """One rgba per (x, y, z) position, 0 where empty."""
        raw = encode.pack_positions(positions)
        return self._submit(Call("GetVoxels", project, lambda b: table(
            b, "GetVoxels", layer=layer, positions=encode.struct_vector(b, raw, encode.VEC3.size)), decode.colors))

    @sends("ReadBox")
    def read_box_page(self, project, box, layer=0, mode=ReadBoxMode.sparse, cursor=b"", max_voxels=0):
        """One page of a box read (VoxelPage); Client.read_box pages through a whole box."""
        mode, box, cursor = encode.enum_value(ReadBoxMode, mode), encode.as_box(box), bytes(cursor)

        def build(b):
            return table(b, "ReadBox", layer=layer, cursor=b.CreateByteVector(cursor) if cursor else None,
                         box=("box", box), mode=mode, max_voxels=max_voxels)
        return self._submit(Call("ReadBox", project, build, decode.voxel_page))

    @sends("ClearLayer")
    def clear_layer(self, project, layer=0):
        """Removes every voxel of the layer; returns how many."""
        return self._edit(project, encode.clear_layer(layer))

    # -- shapes --
    @sends("DrawShape")
    def draw_shape(self, project, kind, box, rgba, mode=BlendMode.over, layer=0):
        """kind "box", "sphere" or "cylinder" (inscribed in `box`); mode a BlendMode or its name ("paint", ...).
        Returns the number of voxels changed."""
        return self._edit(project, encode.draw_shape(kind, box, rgba, mode, layer))

    @sends("DrawLine")
    def draw_line(self, project, start, end, rgba, mode=BlendMode.over, layer=0):
        return self._edit(project, encode.draw_line(start, end, rgba, mode, layer))

    @sends("FloodFill")
    def flood_fill(self, project, seed, rgba, tolerance=0, bounds=None, layer=0):
        """Fills the 6-connected region of voxels like the one at `seed` (per-channel tolerance), within
        `bounds` if given."""
        return self._edit(project, encode.flood_fill(seed, rgba, tolerance, bounds, layer))

    @sends("MoveRegion")
    def move_region(self, project, source, offset, layer=0):
        """Moves the voxels inside box `source` by `offset` (dx, dy, dz)."""
        return self._edit(project, encode.move_region(source, offset, layer))

    def copy_region(self, project, source, offset, layer=0):
        """Copies the voxels inside box `source` by `offset` (MoveRegion keeping the source)."""
        return self._edit(project, encode.copy_region(source, offset, layer))

    # -- layers --
    @sends("AddLayer")
    def add_layer(self, project, name=""):
        """A new layer on top, made active; returns its id."""
        return self._edit(project, encode.add_layer(name), decode.layer_created)

    @sends("RemoveLayer")
    def remove_layer(self, project, layer):
        return self._edit(project, encode.remove_layer(layer), decode.nothing)

    @sends("RenameLayer")
    def rename_layer(self, project, layer, name):
        return self._edit(project, encode.rename_layer(layer, name), decode.nothing)

    @sends("MoveLayer")
    def move_layer(self, project, layer, index):
        """Puts the layer at position `index` (0 = bottom)."""
        return self._edit(project, encode.move_layer(layer, index), decode.nothing)

    @sends("DuplicateLayer")
    def duplicate_layer(self, project, layer):
        """Returns the new layer's id."""
        return self._edit(project, encode.duplicate_layer(layer), decode.layer_created)

    @sends("MergeLayers")
    def merge_layers(self, project, upper, lower):
        """Merges `upper` into `lower` and removes `upper`."""
        return self._edit(project, encode.merge_layers(upper, lower), decode.nothing)

    @sends("SetLayerVisible")
    def set_layer_visible(self, project, layer, visible):
        return self._edit(project, encode.set_layer_visible(layer, visible), decode.nothing)

    @sends("SelectLayer")
    def select_layer(self, project, layer):
        """Makes `layer` the active one (the target of edits with layer 0)."""
        return self._edit(project, encode.select_layer(layer), decode.nothing)

    @sends("ListLayers")
    def list_layers(self, project):
        return self._submit(Call("ListLayers", project, lambda b: table(b, "ListLayers"), decode.layer_list))

    # -- history --
    @sends("Undo")
    def undo(self, project):
        """Undoes the last request (or batch); History. Raises VoxdError(nothing_to_do) when there is none."""
        return self._submit(Call("Undo", project, lambda b: table(b, "Undo"), decode.history))

    @sends("Redo")
    def redo(self, project):
        return self._submit(Call("Redo", project, lambda b: table(b, "Redo"), decode.history))

    @sends("Batch")
    def batch(self, project, edits):
        """Applies the edits (voxd_client.edits.*) in order, atomically and as one undo step. Returns one value
        per edit: voxels changed, or the new layer id for add/duplicate layer, else 0."""
        edits = list(edits)
        op_type = _protocol.generated_class("EditOperation")
        for e in edits:
            if not isinstance(e, encode.Edit):
                raise TypeError(f"a batch holds voxd_client.edits objects, not {e!r}")

        def build(b):
            operations = [table(b, "BatchOperation", op_type=getattr(op_type, e.name), op=e.build(b))
                          for e in edits]
            b.StartVector(4, len(operations), 4)
            for offset in reversed(operations):
                b.PrependUOffsetTRelative(offset)
            return table(b, "Batch", operations=b.EndVector())
        return self._submit(Call("Batch", project, build, decode.batch))

    # -- queries --
    @sends("GetBoundingBox")
    def bounding_box(self, project, layer=0):
        """The Box holding every voxel, or None when empty."""
        return self._submit(Call("GetBoundingBox", project, lambda b: table(b, "GetBoundingBox", layer=layer),
                                 decode.bounding_box))

    @sends("CountVoxels")
    def count_voxels(self, project, layer=0):
        return self._submit(Call("CountVoxels", project, lambda b: table(b, "CountVoxels", layer=layer),
                                 decode.count))

    @sends("GetHistogram")
    def histogram(self, project, layer=0, max_entries=0, box=None):
        """Histogram: (rgba, count) entries, most frequent first (max_entries 0 = all), and total_colors.
        With `box` (corners inclusive, min <= max) only the voxels inside it count."""
        return self._submit(Call("GetHistogram", project,
                                 lambda b: table(b, "GetHistogram", layer=layer, max_entries=max_entries,
                                                 box=_region(box)),
                                 decode.histogram))

    @sends("GetUniqueColors")
    def unique_colors(self, project, layer=0, box=None):
        return self._submit(Call("GetUniqueColors", project,
                                 lambda b: table(b, "GetUniqueColors", layer=layer, box=_region(box)),
                                 decode.colors))

    @sends("FindByColor")
    def find_by_color(self, project, rgba, tolerance=0, max_results=0, layer=0, box=None):
        """Positions of the voxels within `tolerance` (per channel) of `rgba`; truncated if more than max_results.
        With `box` only the voxels inside it count."""
        return self._submit(Call("FindByColor", project, lambda b: table(
            b, "FindByColor", layer=layer, rgba=rgba, tolerance=tolerance, max_results=max_results,
            box=_region(box)), decode.positions))

    # -- render --
    @sends("Render")
    def render(self, project, view=None, width=512, height=512, path=None, *, ambient_occlusion=True,
               shadows=True, edges=False, background=0, yaw=None, pitch=None, distance=None, perspective=None,
               sheet=None):
        """A PNG of the visible layers: FileResult.data without a path, else written to `path` under the
        daemon's root.

        view: "iso" (default), "front", "back", "left", "right", "top", "bottom", or "free" for the free camera,
        which yaw / pitch (degrees), distance (voxels, 0 = fit) and perspective (bool) set; giving any of them
        means view="free". ambient_occlusion and shadows are on by default, edges off; background is the RGBA
        of the empty pixels (0xRRGGBBAA or "rrggbbaa", 0 = transparent). docs/formats-mesh-render.md.

        sheet: a contact sheet instead of one view: a list of up to 16 views (names as for `view`; "free" takes
        the camera arguments), rendered width x height each on one PNG grid, row by row."""
        camera = {k: v for k, v in (("yaw", yaw), ("pitch", pitch), ("distance", distance),
                                     ("perspective", perspective)) if v is not None}
        shots = [encode.enum_value(View, v) for v in sheet] if sheet is not None else None
        if shots is not None:
            if view is not None:
                raise ValueError("give either view or sheet, not both")
            if not 1 <= len(shots) <= 16:
                raise ValueError(f"a contact sheet has 1..16 views, not {len(shots)}")
            if camera and View.free not in shots:
                raise ValueError("yaw, pitch, distance and perspective need 'free' among the sheet's views")
            view = View.iso
        if view is None:
            view = View.free if camera else View.iso
        view = encode.enum_value(View, view)
        if camera and view != View.free and shots is None:
            raise ValueError(f"yaw, pitch, distance and perspective need view='free', not {view.name!r}")
        background = encode.rgba_value(background, "background")

        def free_camera(b):
            return table(b, "FreeCamera", yaw=float(camera["yaw"]) if "yaw" in camera else None,
                         pitch=float(camera["pitch"]) if "pitch" in camera else None,
                         distance=float(camera["distance"]) if "distance" in camera else None,
                         perspective=bool(camera["perspective"]) if "perspective" in camera else None)

        def build(b):
            camera_table = free_camera(b) if view == View.free else None
            sheet_vector = None
            if shots is not None:
                offsets = [table(b, "RenderShot", view=shot, camera=free_camera(b) if shot == View.free else None)
                           for shot in shots]
                b.StartVector(4, len(offsets), 4)
                for offset in reversed(offsets):
                    b.PrependUOffsetTRelative(offset)
                sheet_vector = b.EndVector()
            return table(b, "Render", path=string(b, path) if path else None, view=view, width=width,
                         height=height, ambient_occlusion=bool(ambient_occlusion), shadows=bool(shadows),
                         edges=bool(edges), background=background, camera=camera_table, sheet=sheet_vector)
        return self._submit(Call("Render", project, build, decode.file_result))
