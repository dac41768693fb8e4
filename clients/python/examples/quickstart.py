#!/usr/bin/python3
"""A tour of voxd_client (docs/python-client.md): build a small scene, query it, undo, save and render.

Run it against a daemon: VOXD_ENDPOINT=ipc://... python3 quickstart.py [OUTPUT_DIR]
(without VOXD_ENDPOINT it uses the daemon's default endpoint, like voxctl)."""

import os
import sys

from voxd_client import Client, VoxdError, edits

RED, GREEN, BLUE, GREY = 0xFF0000FF, 0x00FF00FF, 0x0000FFFF, 0x808080FF


def main(output_dir):
    with Client(timeout=10) as voxd:
        hello = voxd.hello("quickstart")
        print(f"voxd {hello.server_version}, protocol {hello.protocol_version}")

        scene = voxd.create_project("quickstart")
        try:
            # A grey floor, a red sphere on it, and a blue post: one atomic batch, one undo step.
            voxd.batch(scene, [
                edits.draw_shape("box", ((-8, -8, 0), (7, 7, 0)), GREY),
                edits.draw_shape("sphere", ((-4, -4, 1), (3, 3, 8)), RED),
                edits.draw_line((6, 6, 1), (6, 6, 10), BLUE),
            ])
            # Single voxels in bulk: a list of (x, y, z, rgba).
            voxd.set_voxels(scene, [(x, -8, 1, GREEN) for x in range(-8, 8)])

            info = voxd.project_info(scene)
            print(f"{info.voxels} voxels in {info.bounding_box}, {len(info.layers)} layer(s)")
            for rgba, count in voxd.histogram(scene).entries:
                print(f"  #{rgba:08x}: {count}")

            # Paint the sphere green where it is red, then change our mind.
            voxd.draw_shape(scene, "sphere", ((-4, -4, 1), (3, 3, 8)), GREEN, mode="paint")
            voxd.undo(scene)
            assert voxd.get_voxels(scene, [(0, 0, 4)]) == [RED]

            # Files come back inline when no path is given (paths are the daemon's, under its --root).
            gox = voxd.save_project(scene, format="gox").data
            png = voxd.render(scene, view="iso", width=256, height=256).data
            os.makedirs(output_dir, exist_ok=True)
            for name, data in (("quickstart.gox", gox), ("quickstart.png", png)):
                with open(os.path.join(output_dir, name), "wb") as f:
                    f.write(data)
            print(f"wrote quickstart.gox ({len(gox)} bytes) and quickstart.png ({len(png)} bytes)")

            # Errors carry the daemon's status code and message.
            try:
                voxd.remove_layer(scene, 99)
            except VoxdError as e:
                print(f"as expected: {e.code.name}: {e.message}")
        finally:
            voxd.close_project(scene)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
