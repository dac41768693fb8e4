"""voxctl convert: offline conversion with the core in-process (no daemon), on the official MagicaVoxel models
of shared/fixtures. Voxel counts are checked against what each transformation must give, computed here from the
model's voxels (read back through .txt, one line per voxel)."""

import json
import os
import random
import struct
import subprocess
import tempfile
import unittest

FIXTURES = os.path.join(os.environ.get("VOXD_FIXTURES_DIR", ""), "magicavoxel")


# Just enough of .gox (shared/formats/GOX.md) to set and read a layer's `mat`, the working box and a camera.
def gox_chunks(data):
    assert data[:4] == b"GOX "
    chunks, pos = [], 8
    while pos < len(data):
        size = struct.unpack_from("<i", data, pos + 4)[0]
        chunks.append([data[pos:pos + 4], data[pos + 8:pos + 8 + size]])
        pos += 12 + size  # type, size, body, CRC
    return chunks


def gox_bytes(chunks):
    return b"GOX " + struct.pack("<i", 2) + b"".join(
        kind + struct.pack("<i", len(body)) + body + struct.pack("<i", 0) for kind, body in chunks)


def gox_dict(body):
    entries, pos = {}, 0
    while pos < len(body):
        size = struct.unpack_from("<i", body, pos)[0]
        if size == 0:
            break
        key = body[pos + 4:pos + 4 + size].decode()
        pos += 4 + size
        size = struct.unpack_from("<i", body, pos)[0]
        entries[key] = body[pos + 4:pos + 4 + size]
        pos += 4 + size
    return entries


def gox_dict_bytes(entries):
    return b"".join(struct.pack("<i", len(k)) + k.encode() + struct.pack("<i", len(v)) + v for k, v in entries.items())


def layer_dict_at(body):
    """Where a LAYR chunk's dictionary starts: after its count and 20-byte tile records."""
    return 4 + 20 * struct.unpack_from("<i", body, 0)[0]


def matrix(values):
    return struct.pack("<16f", *values)


def fixture(name):
    return os.path.join(FIXTURES, name)


@unittest.skipUnless(os.path.isdir(FIXTURES), "shared/fixtures/magicavoxel is missing")
class Convert(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="voxctl-convert-")
        # No daemon: an endpoint nobody listens on proves convert never talks to one.
        self.env = dict(os.environ, VOXD_ENDPOINT="ipc://" + os.path.join(self.dir.name, "no-daemon"))

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def voxctl(self, *args, status=0):
        result = subprocess.run([os.environ["VOXCTL_BIN"]] + [str(a) for a in args], capture_output=True, text=True,
                                env=self.env, timeout=120)
        self.assertEqual(result.returncode, status, f"voxctl {args}: {result.stderr}")
        return result

    def convert(self, *args):
        """The --json summary of a successful conversion."""
        return json.loads(self.voxctl("convert", *args, "--json").stdout)

    def voxels_of(self, model):
        """{(x, y, z): rgb} of a model file's visible voxels."""
        txt = self.path("voxels.txt")
        self.voxctl("convert", model, txt)
        out = {}
        with open(txt) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    x, y, z, rgb = line.split()
                    out[(int(x), int(y), int(z))] = rgb
        return out

    def test_vox_to_gox_to_vox_keeps_the_voxels(self):
        for name in ("chr_knight.vox", "T-Rex.vox", "monu1.vox", "deer.vox"):
            with self.subTest(name):
                original = fixture(name)
                gox = self.convert(original, self.path("model.gox"))
                self.assertEqual(gox["input"]["format"], "vox")
                self.assertEqual(gox["input"]["bytes"], os.path.getsize(original))
                [to_gox] = gox["outputs"]
                self.assertEqual((to_gox["format"], to_gox["voxels"], to_gox["layers"]),
                                 ("gox", gox["input"]["voxels"], gox["input"]["layers"]))
                self.assertEqual(to_gox["bytes"], os.path.getsize(self.path("model.gox")))
                self.assertFalse(to_gox["lossy"])
                vox = self.convert(self.path("model.gox"), self.path("back.vox"))
                self.assertEqual(vox["input"]["format"], "gox")
                self.assertEqual(vox["input"]["voxels"], gox["input"]["voxels"])
                self.assertEqual(vox["outputs"][0]["voxels"], gox["input"]["voxels"])
                self.assertEqual(vox["outputs"][0]["layers"], gox["input"]["layers"])
                self.assertEqual(self.voxels_of(self.path("back.vox")), self.voxels_of(original))

    def test_crop_keeps_the_voxels_inside_the_box(self):
        model = fixture("chr_knight.vox")
        voxels = self.voxels_of(model)
        xs, ys, zs = zip(*voxels)
        box = (min(xs) + 2, min(ys) + 1, (min(zs) + max(zs)) // 2, max(xs) - 2, max(ys), max(zs))
        inside = {p: c for p, c in voxels.items()
                  if all(box[i] <= p[i] <= box[i + 3] for i in range(3))}
        self.assertTrue(0 < len(inside) < len(voxels))
        summary = self.convert(model, self.path("crop.gox"), "--crop", *box)
        self.assertEqual(summary["crop"], list(box))
        self.assertEqual(summary["outputs"][0]["voxels"], len(inside))
        self.assertEqual(self.voxels_of(self.path("crop.gox")), inside)
        # Corners in either order are the same box; a box off the model keeps nothing.
        swapped = box[3:] + box[:3]
        self.assertEqual(self.convert(model, self.path("crop2.gox"), "--crop", *swapped)["outputs"][0]["voxels"],
                         len(inside))
        self.assertEqual(self.convert(model, self.path("none.gox"), "--crop", 1000, 1000, 1000, 1001, 1001, 1001)
                         ["outputs"][0]["voxels"], 0)

    def test_scale_multiplies_each_voxel(self):
        model = fixture("chr_knight.vox")
        voxels = self.voxels_of(model)
        summary = self.convert(model, self.path("x3.vox"), "--scale", 3)
        self.assertEqual(summary["scale"], 3)
        self.assertEqual(summary["outputs"][0]["voxels"], 27 * len(voxels))
        scaled = self.voxels_of(self.path("x3.vox"))
        for (x, y, z), rgb in list(voxels.items())[:50]:
            for d in ((0, 0, 0), (2, 2, 2), (1, 0, 2)):
                self.assertEqual(scaled[(3 * x + d[0], 3 * y + d[1], 3 * z + d[2])], rgb)
        # Crop first (in the input's coordinates), then scale.
        box = (0, 0, 0, 5, 5, 5)
        inside = sum(1 for p in voxels if all(box[i] <= p[i] <= box[i + 3] for i in range(3)))
        both = self.convert(model, self.path("both.gox"), "--crop", *box, "--scale", 2)
        self.assertEqual(both["outputs"][0]["voxels"], 8 * inside)

    def test_scale_scales_the_layer_transforms_working_box_and_cameras(self):
        self.convert(fixture("chr_knight.vox"), self.path("plain.gox"))
        with open(self.path("plain.gox"), "rb") as f:
            chunks = gox_chunks(f.read())
        # The first layer turned 90 degrees about z and moved by (3, -2, 5) (column-major); a working box of
        # (0, 0, 0)..(9, 19, 29) (half sizes and centre, as Goxel stores it); a camera at (10, 20, 30), 40 away.
        turned = [0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 3, -2, 5, 1]
        layers = [c for c in chunks if c[0] == b"LAYR"]
        at = layer_dict_at(layers[0][1])
        entries = gox_dict(layers[0][1][at:])
        entries["mat"] = matrix(turned)
        layers[0][1] = layers[0][1][:at] + gox_dict_bytes(entries)
        [image] = [c for c in chunks if c[0] == b"IMG "]
        image[1] = gox_dict_bytes({"box": matrix([5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 15, 0, 5, 10, 15, 1])})
        camera = [1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 10, 20, 30, 1]
        chunks.append([b"CAMR", gox_dict_bytes({"name": b"cam", "dist": struct.pack("<f", 40), "ortho": b"\x00",
                                                "mat": matrix(camera), "active": b"\x01"})])
        with open(self.path("placed.gox"), "wb") as f:
            f.write(gox_bytes(chunks))

        def scene(path):
            with open(path, "rb") as f:
                out = gox_chunks(f.read())
            body = [c for c in out if c[0] == b"LAYR"][0][1]
            layer = struct.unpack("<16f", gox_dict(body[layer_dict_at(body):])["mat"])
            box = struct.unpack("<16f", gox_dict([c for c in out if c[0] == b"IMG "][0][1])["box"])
            cam = gox_dict([c for c in out if c[0] == b"CAMR"][0][1])
            return list(layer), list(box), list(struct.unpack("<16f", cam["mat"])), struct.unpack("<f", cam["dist"])[0]

        self.convert(self.path("placed.gox"), self.path("same.gox"))
        self.assertEqual(scene(self.path("same.gox")),
                         (turned, [5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 15, 0, 5, 10, 15, 1], camera, 40))
        # x3: voxel p is now at 3p, so the layer's rotation stays and its translation triples; the box (0, 0, 0)..
        # (29, 59, 89) and the camera three times as far out.
        self.convert(self.path("placed.gox"), self.path("x3.gox"), "--scale", 3)
        layer, box, cam, dist = scene(self.path("x3.gox"))
        self.assertEqual(layer, turned[:12] + [9, -6, 15, 1])
        self.assertEqual(box, [15, 0, 0, 0, 0, 30, 0, 0, 0, 0, 45, 0, 15, 30, 45, 1])
        self.assertEqual(cam, camera[:12] + [30, 60, 90, 1])
        self.assertEqual(dist, 120)

    def test_vox_to_vox_keeps_the_materials(self):
        """robo.vox's emissive MATL (colour index 143) survives vox -> vox, also split into one file per layer
        (in the file of the layer that has that colour)."""
        robo = os.path.join(os.environ["VOXD_FIXTURES_DIR"], "robo.vox")
        self.convert(robo, self.path("copy.vox"))
        with open(self.path("copy.vox"), "rb") as f:
            copy = f.read()
        self.assertIn(b"MATL", copy)
        self.assertIn(b"_emit", copy)
        for row in (b"Head_Upper", b"Head_Lower", b"Head_Neck"):  # MagicaVoxel's layer panel (LAYR) too
            self.assertEqual(copy.count(row), 2, row)  # the LAYR row and the object's nTRN name
        self.assertIn(b"_color", copy)
        self.assertEqual(self.voxels_of(self.path("copy.vox")), self.voxels_of(robo))
        split = self.convert(robo, self.path("part.vox"), "--split-layers")
        with_material = 0
        for out in split["outputs"]:
            with open(out["path"], "rb") as f:
                with_material += b"_emit" in f.read()
        self.assertGreaterEqual(with_material, 1)

    def test_merge_layers(self):
        model = fixture("T-Rex.vox")
        summary = self.convert(model, self.path("merged.gox"), "--merge-layers")
        self.assertGreater(summary["input"]["layers"], 1)
        [out] = summary["outputs"]
        self.assertEqual(out["layers"], 1)
        self.assertEqual(out["voxels"], len(self.voxels_of(model)), "the visible layers composed")
        self.assertTrue(summary["merge_layers"])

    def test_split_layers_writes_one_file_per_layer(self):
        model = fixture("deer.vox")
        whole = self.convert(model, self.path("whole.gox"))
        summary = self.convert(model, self.path("part.vox"), "--split-layers")
        outputs = summary["outputs"]
        self.assertEqual(len(outputs), whole["input"]["layers"])
        self.assertEqual(sum(o["voxels"] for o in outputs), whole["input"]["voxels"])
        paths = [o["path"] for o in outputs]
        self.assertEqual(len(set(paths)), len(paths), "one file per layer")
        for o in outputs:
            self.assertEqual(o["layers"], 1)
            self.assertTrue(os.path.basename(o["path"]).startswith("part-"), o["path"])
            self.assertTrue(o["path"].endswith(".vox"))
            self.assertEqual(os.path.dirname(o["path"]), self.dir.name)
            self.assertEqual(os.path.getsize(o["path"]), o["bytes"])
            again = self.convert(o["path"], self.path("again.gox"))
            self.assertEqual(again["input"]["voxels"], o["voxels"])

    def test_plain_output_lossy_warning_and_progress(self):
        model = fixture("T-Rex.vox")
        result = self.voxctl("convert", model, self.path("rex.gox"))
        self.assertEqual(result.stderr, "", "no progress off a terminal for a small file")
        fields = result.stdout.split()
        self.assertEqual((fields[0], fields[1]), (self.path("rex.gox"), "gox"))
        # .txt keeps one layer: lossy, said on stderr (plain) or in the summary (--json).
        result = self.voxctl("convert", model, self.path("rex.txt"))
        self.assertIn("voxctl: warning:", result.stderr)
        self.assertIn("lossy", result.stdout)
        summary = self.convert(model, self.path("rex.txt"))
        self.assertTrue(summary["lossy"])
        self.assertTrue(summary["warnings"])
        self.assertTrue(summary["outputs"][0]["warning"])
        result = self.voxctl("convert", model, self.path("rex2.gox"), "--progress")
        lines = result.stderr.splitlines()
        self.assertGreaterEqual(len(lines), 3)
        self.assertTrue(all(line.startswith("voxctl: convert: ") for line in lines), lines)
        self.assertIn("done", lines[-1])

    def test_every_writable_format(self):
        model = fixture("chr_knight.vox")
        for ext in ("gox", "vox", "qb", "txt", "obj", "ply", "stl", "gltf", "glb", "png"):
            with self.subTest(ext):
                out = self.convert(model, self.path("k." + ext))["outputs"][0]
                self.assertEqual(out["format"], ext)
                self.assertGreater(os.path.getsize(self.path("k." + ext)), 0)
                if ext in ("obj", "ply", "stl", "gltf", "glb"):
                    # No crack, whatever the model; watertight unless voxels touch only along an edge.
                    self.assertEqual(out["mesh"]["boundary_edges"], 0)
                    self.assertEqual(out["mesh"]["inconsistent_edges"], 0)
                    self.assertEqual(out["mesh"]["watertight"], out["mesh"]["nonmanifold_edges"] == 0)
                    self.assertGreater(out["mesh"]["triangles"], 0)
                else:
                    self.assertIsNone(out["mesh"])
        # The plain summary says it too.
        line = self.voxctl("convert", model, self.path("k2.stl")).stdout
        self.assertRegex(line, r" \d+ triangles, (watertight|not watertight: )")

    def test_gltf_is_written_with_its_bin_beside_it(self):
        model = fixture("chr_knight.vox")
        [out] = self.convert(model, self.path("knight v1.gltf"))["outputs"]
        side = self.path("knight_v1.bin")
        self.assertEqual(out["also_written"], [side])
        with open(self.path("knight v1.gltf")) as f:
            asset = json.load(f)
        self.assertEqual(asset["buffers"][0], {"uri": "knight_v1.bin", "byteLength": os.path.getsize(side)})
        plain = self.voxctl("convert", model, self.path("k2.gltf")).stdout
        self.assertIn(self.path("k2.bin"), plain)

    def test_bad_input_is_a_clear_error(self):
        def fails(args, status, *words):
            result = self.voxctl("convert", *args, status=status)
            self.assertEqual(result.stdout, "")
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
            for w in words:
                self.assertIn(w, result.stderr)
            return result

        missing = self.path("missing.vox")
        fails([missing, self.path("x.gox")], 1, missing, "not found")
        garbage = self.path("garbage.vox")
        with open(garbage, "wb") as f:
            f.write(b"VOX \x96\x00\x00\x00" + random.Random(3).randbytes(4000))
        fails([garbage, self.path("x.gox")], 1, garbage)
        with open(fixture("monu1.vox"), "rb") as f:
            data = f.read()
        truncated = self.path("truncated.vox")
        with open(truncated, "wb") as f:
            f.write(data[:len(data) // 2])
        fails([truncated, self.path("x.gox")], 1, truncated)
        unknown = self.path("noextension")
        with open(unknown, "wb") as f:
            f.write(b"not a model")
        fails([unknown, self.path("x.gox")], 1, unknown)
        fails([fixture("chr_knight.vox"), self.path("x.docx")], 1, "x.docx", "no writable file format")
        fails([fixture("chr_knight.vox"), self.path("x.gox"), "--scale", 0], 2, "--scale", "1..64")
        fails([fixture("chr_knight.vox"), self.path("x.gox"), "--scale", 65], 2, "--scale", "1..64")
        fails([fixture("monu1.vox"), self.path("x.gox"), "--scale", 64], 1, "monu1.vox", "max_voxels")
        fails([fixture("deer.vox"), self.path("x.gox"), "--merge-layers", "--split-layers"], 2, "--merge-layers")
        fails([fixture("deer.vox")], 2, "IN OUT")
        self.assertFalse(os.path.exists(self.path("x.gox")), "nothing written on failure")


if __name__ == "__main__":
    unittest.main()
