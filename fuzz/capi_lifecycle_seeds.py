#!/usr/bin/python3
"""Writes the hand-made seed programs of fuzz_capi_lifecycle into fuzz/corpus/capi_lifecycle/.

A program is a sequence of calls: one opcode byte (the Op values of fuzz/capi_lifecycle.cpp, plus the flags
MISUSE / VARIANT / NULL_ERROR) followed by that call's argument bytes. Run again after changing the encoding.
"""
import pathlib

CREATE, CLOSE, COPY, SET, REMOVE, GET, READ_BOX, CLEAR, SHAPE, LINE, FILL, MOVE = range(12)
L_ADD, L_REMOVE, L_RENAME, L_MOVE, L_DUP, L_VISIBLE, L_SELECT, L_MERGE, L_LIST, L_NAME = range(12, 22)
UNDO, REDO, INFO, EXPORT_REOPEN, EXPORT_BYTES, LIST, QUERIES, RENDER_MESH, MISUSE_OP, OPEN_BYTES = range(22, 32)
VARIANT, MISUSE, NULL_ERROR = 0x20, 0x40, 0x80

FORMATS = ["gox", "vox", "txt", "obj", "ply", "stl", "png", ".GOX", ".", "", "xyz", "gox.vox"]
NAME_EMPTY, NAME_PLAIN, NAME_TERMINATED, NAME_BYTES, NAME_NON_UTF8, NAME_NULL, NAME_EMBEDDED_NUL, NAME_LONG = range(8)
FORGED_SLOT0_GEN1 = 0x08 | 2  # kForgedHandles[2]: slot 0, generation 1


def c(v):
    """A coordinate in [-40, 40] as its byte."""
    assert -40 <= v <= 40
    return v & 0xFF


def box(x0, y0, z0, x1, y1, z1):
    return [c(x0), c(y0), c(z0), c(x1), c(y1), c(z1)]


def create(slot, name=NAME_PLAIN):
    return [CREATE, slot, name]


def set_voxels(project, layer, voxels):
    out = [SET, project, layer, len(voxels)]
    for (x, y, z, r, g, b, a) in voxels:
        out += [c(x), c(y), c(z), r, g, b, a]
    return out


def shape(project, layer, kind, mode, bounds, rgba):
    return [SHAPE, project, layer, kind + 1, mode + 1] + bounds + list(rgba)


def export_reopen(project, slot, fmt):
    return [EXPORT_REOPEN, project, slot, FORMATS.index(fmt)]


SEEDS = {
    # create -> edit -> export in every format -> re-open
    "create-edit-export-reopen": (
        create(0) + set_voxels(0, 0, [(1, 2, 3, 255, 0, 0, 255), (-4, 0, 7, 0, 255, 0, 128)])
        + shape(0, 0, 1, 1, box(-5, -5, -5, 5, 5, 5), (10, 20, 30, 255))
        + export_reopen(0, 1, "gox") + [INFO, 1, 16] + export_reopen(0, 2, "vox") + export_reopen(0, 3, "txt")
        + export_reopen(0, 4, "obj") + [EXPORT_BYTES, 0, FORMATS.index("png"), LIST, 8]),
    # close, then use the stale handle and a forged one; create again reuses the slot with a new generation
    "close-then-stale": (
        create(0) + set_voxels(0, 0, [(0, 0, 0, 1, 2, 3, 255)]) + [CLOSE, 0, UNDO, 0, GET, 0, 0, 1, 0, 0, 0]
        + [CLOSE, 0, COPY, 0, 1, NAME_PLAIN] + export_reopen(0, 2, "gox") + create(1) + [INFO, FORGED_SLOT0_GEN1, 4]
        + [CLOSE, 1, INFO, 1, 4, LIST, 4, MISUSE_OP, 0, 4]),
    # fill the engine (max_projects = 4), close one, create again
    "projects-full": (
        create(0) + create(1, NAME_EMPTY) + create(2, NAME_NON_UTF8) + create(3, NAME_TERMINATED) + create(4)
        + [COPY, 0, 5, NAME_PLAIN] + [CLOSE, 2] + create(2) + [LIST, 5, CLOSE, 0, CLOSE, 1, CLOSE, 2, CLOSE, 3]
        + create(0, NAME_BYTES) + [3, ord("a"), 0xFF, ord("z")]),
    # edits, then undo / redo (VARIANT takes the step back at once)
    "undo-redo": (
        create(0) + set_voxels(0, 0, [(1, 1, 1, 9, 9, 9, 255)]) + [LINE, 0, 0, c(-3), 0, 0, c(3), c(3), 0]
        + [200, 100, 50, 255, 2] + [FILL, 0, 0, 0, 0, 0, 1, 2, 3, 255, 0, 1] + box(-2, -2, -2, 2, 2, 2) + [0, 0]
        + [MOVE, 0, 0] + box(-3, -3, -3, 3, 3, 3) + [c(5), 0, 0, 1]
        + [UNDO, 0, UNDO, 0, REDO | VARIANT, 0, UNDO | VARIANT, 0, REDO, 0, UNDO, 0, UNDO, 0, UNDO, 0, UNDO, 0]
        + [REDO, 0, INFO, 0, 8]),
    # layers: add, rename, duplicate, hide, move, merge, remove, list and names
    "layers": (
        create(0) + [L_ADD, 0, NAME_PLAIN] + set_voxels(0, 2, [(0, 0, 0, 255, 255, 255, 255)])
        + [L_ADD | VARIANT, 0, NAME_NON_UTF8, L_RENAME, 0, 1, NAME_BYTES, 2, 0xC3, 0x28]
        + [L_DUP, 0, 2, L_VISIBLE, 0, 1, L_VISIBLE | VARIANT, 0, 1, L_MOVE, 0, 2, 0, L_SELECT, 0, 1]
        + shape(0, 0, 0, 1, box(0, 0, 0, 3, 3, 3), (1, 2, 3, 200)) + [L_MERGE, 0, 2, 1, L_LIST, 0, 8]
        + [L_NAME, 0, 1, 11, L_NAME, 0, 3, 2, L_REMOVE, 0, 3, CLEAR, 0, 1, L_LIST, 0, 2]
        + export_reopen(0, 1, "gox") + [QUERIES, 0, 0, 8, 1, 2, 3, 200, 10, RENDER_MESH, 0, 1, 16, 16, 1]),
    # misuse: NULL outs, bad enums, bad struct sizes, NULL error pointers, short export buffers
    "misuse": (
        create(0) + [CREATE | MISUSE, 1, NAME_PLAIN] + create(1, NAME_NULL) + create(1, NAME_EMBEDDED_NUL)
        + create(1, NAME_LONG) + [SHAPE | MISUSE, 0, 0, 1, 1] + box(0, 0, 0, 1, 1, 1) + [1, 1, 1, 1, 3]
        + shape(0, 0, 7, 0, box(0, 0, 0, 1, 1, 1), (1, 1, 1, 255)) + [READ_BOX | MISUSE, 0, 0] + box(0, 0, 0, 2, 2, 2)
        + [4, READ_BOX | VARIANT, 0, 0] + box(0, 0, 0, 2, 2, 2) + [4]
        + [EXPORT_REOPEN | MISUSE, 0, 1, 0, EXPORT_BYTES | MISUSE, 0, 0, EXPORT_BYTES | VARIANT, 0, 1]
        + [INFO | MISUSE, 0, 3, 4, INFO | VARIANT, 0, 0, SET | NULL_ERROR, 0, 9, 0]
        + [MISUSE_OP, 0, 1, MISUSE_OP, 0, 2, MISUSE_OP, 0, 3, 0x7F, MISUSE_OP, 0, 5, 24, 1, MISUSE_OP, 0, 6]
        + [MISUSE_OP, 0, 7, LIST | MISUSE, 2, CLOSE | MISUSE, 0, RENDER_MESH | MISUSE, 0, 0, 0, 0, 9]
        + [FILL | MISUSE, 0, 0] + [0] * 16 + [L_MOVE | MISUSE, 0, 1, 0]),
    # regression: get_info on a new project said active_layer_id 0 instead of the layer edits reach
    "regression-new-project-active-layer-0": create(0) + [INFO, 0, 0],
    # bytes opened as files of each kind
    "open-bytes": (
        [OPEN_BYTES, 0, 2, 12] + list(b"1 2 3 ff0000") + [OPEN_BYTES, 1, 0, 4] + list(b"GOX ")
        + [OPEN_BYTES, 2, 1, 8] + list(b"VOX \x96\x00\x00\x00") + [OPEN_BYTES | MISUSE, 3, 3, 2, 0, 0, LIST, 4]),
}

if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent / "corpus" / "capi_lifecycle"
    out.mkdir(parents=True, exist_ok=True)
    for name, program in SEEDS.items():
        (out / f"{name}.bin").write_bytes(bytes(program))
    print(f"wrote {len(SEEDS)} seeds to {out}")
