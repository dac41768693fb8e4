"""Drives projects through the ctypes binding of libvoxd (run by ctest with $VOXD_LIBRARY set)."""

import ctypes
import os
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import voxd_ctypes as voxd  # noqa: E402

RED = (255, 0, 0, 255)
BLUE = (0, 0, 255, 255)


class VersionTest(unittest.TestCase):
    def test_version_matches_major(self):
        self.assertRegex(voxd.version(), r"^0\.\d+\.\d+$")
        self.assertEqual(voxd.library().voxd_version() // 10000, voxd.ABI_MAJOR)

    def test_status_names_come_from_the_library(self):
        for code, name in voxd.STATUS_NAMES.items():
            self.assertEqual(voxd.library().voxd_status_name(code).decode(), name)


class ProjectTest(unittest.TestCase):
    def setUp(self):
        self.engine = voxd.Engine(max_projects=8)
        self.project = self.engine.create_project("python")

    def tearDown(self):
        self.engine.close()

    def test_voxels_round_trip(self):
        p = self.project
        p.set_voxels([(0, 0, 0, RED), (1, 0, 0, RED), (0, 3, 0, BLUE)])
        self.assertEqual(p.count(), 3)
        self.assertEqual(p.get_voxels([(0, 0, 0), (0, 3, 0), (9, 9, 9)]), [RED, BLUE, (0, 0, 0, 0)])
        self.assertEqual(sorted(p.read_box((0, 0, 0), (1, 0, 0))), [(0, 0, 0, RED), (1, 0, 0, RED)])
        self.assertEqual(p.bounding_box(), ((0, 0, 0), (1, 3, 0)))
        self.assertEqual(p.histogram()[0], (RED, 2))
        self.assertEqual(sorted(p.unique_colors()), sorted([RED, BLUE]))
        self.assertEqual(p.find_color(BLUE), [(0, 3, 0)])
        p.remove_voxels([(0, 0, 0)])
        self.assertEqual(p.count(), 2)
        info = p.info()
        self.assertEqual((info.voxel_count, info.layer_count, info.undo_depth), (2, 1, 2))

    def test_shapes_fill_and_history(self):
        p = self.project
        self.assertEqual(p.apply_shape("box", (0, 0, 0), (3, 3, 3), RED), 64)
        self.assertEqual(p.apply_shape("box", (0, 0, 0), (1, 3, 3), BLUE, mode="subtract"), 32)
        self.assertEqual(p.count(), 32)
        self.assertEqual(p.draw_line((10, 0, 0), (10, 0, 9), BLUE), 10)
        self.assertEqual(p.move_region((10, 0, 0), (10, 0, 9), (0, 5, 0)), 10)
        self.assertEqual(p.get_voxels([(10, 5, 9)]), [BLUE])
        p.undo()
        p.undo()
        self.assertEqual(p.count(), 32)
        p.redo()
        self.assertEqual(p.count(), 42)
        p.clear()
        self.assertEqual(p.flood_fill((0, 0, 0), BLUE, bounds=((0, 0, 0), (2, 2, 2))), 27)
        while True:
            try:
                p.undo()
            except voxd.VoxdError as e:
                self.assertEqual(e.code, voxd.NOTHING_TO_DO)
                break
        self.assertEqual(p.count(), 0)

    def test_layers(self):
        p = self.project
        background = p.layers()[0][0]
        top = p.add_layer("top")
        p.set_voxels([(1, 1, 1, RED)])
        copy = p.duplicate_layer(top)
        p.rename_layer(copy, "copy")
        self.assertEqual([(name, n) for _, name, _, n in p.layers()], [("background", 0), ("top", 1), ("copy", 1)])
        p.set_layer_visible(copy, False)
        self.assertEqual(p.count(), 1)
        p.move_layer(copy, 0)
        p.select_layer(background)
        p.set_voxels([(2, 2, 2, BLUE)])
        self.assertEqual(p.count(background), 1)
        p.merge_layers(top, background)
        self.assertEqual(p.count(background), 2)
        p.remove_layer(copy)
        self.assertEqual([name for _, name, _, _ in p.layers()], ["background"])
        with self.assertRaises(voxd.VoxdError) as caught:
            p.remove_layer(12345)
        self.assertEqual(caught.exception.code, voxd.NOT_FOUND)

    def test_files_and_buffers(self):
        p = self.project
        p.apply_shape("sphere", (-3, -3, -3), (3, 3, 3), RED)
        voxels = p.count()
        for fmt in ("gox", "vox", "txt"):
            data = p.export(fmt)
            q = self.engine.open_bytes(data, f"copy.{fmt}")
            self.assertEqual(q.count(), voxels, fmt)
            q.close()
        size = p.export_into("vox", None)
        buffer = bytearray(size)
        self.assertEqual(p.export_into("vox", buffer), size)
        self.assertEqual(bytes(buffer), p.export("vox"))
        with self.assertRaises(voxd.VoxdError) as caught:
            p.export_into("vox", bytearray(size - 1))
        self.assertEqual(caught.exception.code, voxd.LIMIT_EXCEEDED)
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "model.vox")
            p.save(path)
            q = self.engine.open_file(path)
            self.assertEqual((q.name, q.count()), ("model", voxels))
        png = p.render_png(view="front", width=40, height=30)
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual((int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")), (40, 30))
        # The render options appended to voxd_render_options: the camera at yaw 0 / pitch 0 is the front view.
        self.assertEqual(p.render_png(width=40, height=30, yaw=0, pitch=0), png)
        for keywords in ({"ambient_occlusion": False, "shadows": False}, {"background": 0x204060FF}):
            self.assertNotEqual(p.render_png(view="front", width=40, height=30, **keywords), png)
        with self.assertRaises(voxd.VoxdError) as caught:
            p.render_png(pitch=100)
        self.assertEqual(caught.exception.code, voxd.INVALID_ARGUMENT)
        mesh, stats = p.mesh("obj")
        self.assertGreater(len(mesh), 0)
        self.assertGreaterEqual(stats.triangles, 2 * stats.quads)  # more where T-junctions were removed
        with self.assertRaises(voxd.VoxdError) as caught:
            self.engine.open_bytes(b"VOX \x96\x00\x00\x00garbage", "x.vox")
        self.assertEqual(caught.exception.code, voxd.FORMAT)

    def test_stale_handles_after_close(self):
        a = self.project
        b = self.engine.create_project("b")
        a.set_voxels([(0, 0, 0, RED)])
        b.set_voxels([(5, 5, 5, BLUE), (6, 5, 5, BLUE)])
        a.close()
        for use in (a.count, a.undo, a.close, lambda: a.set_voxels([(1, 1, 1, RED)])):
            with self.assertRaises(voxd.VoxdError) as caught:
                use()
            self.assertEqual(caught.exception.code, voxd.STALE_HANDLE)
            self.assertEqual(caught.exception.name, "stale handle")
        self.assertEqual(b.count(), 2)
        self.assertEqual(self.engine.projects(), [b])
        self.assertEqual(b.copy("c").count(), 2)
        self.assertEqual(self.engine.project_count(), 2)

    def test_bad_arguments_raise_instead_of_crashing(self):
        lib = voxd.library()
        count = ctypes.c_int64()
        with self.assertRaises(voxd.VoxdError) as caught:
            voxd._call(lib.voxd_query_count, None, self.project.handle, 0, ctypes.byref(count))
        self.assertEqual(caught.exception.code, voxd.INVALID_ARGUMENT)
        with self.assertRaises(voxd.VoxdError) as caught:
            voxd._call(lib.voxd_voxels_set, self.engine.handle, self.project.handle, 0, None, 2 ** 63)
        self.assertEqual(caught.exception.code, voxd.LIMIT_EXCEEDED)
        with self.assertRaises(voxd.VoxdError) as caught:
            self.project.set_voxels([(2 ** 31 - 1, 0, 0, RED)])
        self.assertEqual(caught.exception.code, voxd.INVALID_ARGUMENT)
        with self.assertRaises(voxd.VoxdError):
            self.engine.create_project("x" * 5000)
        with self.assertRaises(TypeError):
            voxd.Engine(not_a_limit=1)

    def test_engine_close_is_idempotent(self):
        engine = voxd.Engine()
        project = engine.create_project("p")
        engine.close()
        engine.close()
        with self.assertRaises(voxd.VoxdError):
            project.count()

    def test_threads_edit_their_own_projects(self):
        errors = []

        def work(index):
            try:
                project = self.engine.create_project(f"t{index}")
                for round_ in range(50):
                    project.set_voxels([(index, round_, z, RED) for z in range(8)])
                if project.count() != 400:
                    errors.append(f"thread {index}: {project.count()} voxels")
                project.close()
            except voxd.VoxdError as e:  # collected: assertions in threads do not fail the test
                errors.append(str(e))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


if __name__ == "__main__":
    unittest.main()
