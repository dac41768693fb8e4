// capi_go: libvoxd driven from Go the way a Go service would hold it: the clients/go wrapper (Engine and
// Project own their handles, finalizers free what is dropped), goroutines on many projects, the Goxel crash
// sequence, stale handles, every error status, size-query buffers, and raw cgo calls for the misuse the
// wrapper cannot express (NULL pointers, NULL error slots). Under ASan (libasan preloaded) it ends with a
// leak check, which proves the finalizers freed what was dropped.
package main

/*
#cgo pkg-config: voxd
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <voxd/voxd.h>

// -1 when LeakSanitizer is not loaded; else the number of leaks found (non-zero: leaks).
static int leak_check(void) {
  int (*check)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "__lsan_do_recoverable_leak_check");
  return check ? check() : -1;
}
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"

	"voxd"
)

var failures int

func check(ok bool, format string, args ...any) {
	if !ok {
		_, file, line, _ := runtime.Caller(1)
		fmt.Fprintf(os.Stderr, "%s:%d: %s\n", filepath.Base(file), line, fmt.Sprintf(format, args...))
		failures++
	}
}

// expect checks that err is the status want (voxd.OK: no error), with a message when it is an error.
func expect(err error, want voxd.Status, what string) {
	_, file, line, _ := runtime.Caller(1)
	where := fmt.Sprintf("%s:%d: %s", filepath.Base(file), line, what)
	if want == voxd.OK {
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: unexpected error %v\n", where, err)
			failures++
		}
		return
	}
	var verr *voxd.Error
	switch {
	case err == nil:
		fmt.Fprintf(os.Stderr, "%s: succeeded, wanted %v\n", where, want)
		failures++
	case !errors.Is(err, want) || !errors.As(err, &verr):
		fmt.Fprintf(os.Stderr, "%s: got %v, wanted %v\n", where, err, want)
		failures++
	case verr.Message == "" || !strings.HasPrefix(err.Error(), want.String()+": "):
		fmt.Fprintf(os.Stderr, "%s: error %q has no message or a wrong name\n", where, err.Error())
		failures++
	}
}

func must[T any](value T, err error) T {
	if err != nil {
		_, file, line, _ := runtime.Caller(1)
		fmt.Fprintf(os.Stderr, "%s:%d: %v\n", filepath.Base(file), line, err)
		os.Exit(1)
	}
	return value
}

var (
	red  = voxd.Color{R: 255, A: 255}
	blue = voxd.Color{B: 255, A: 255}
)

func box(x0, y0, z0, x1, y1, z1 int32) voxd.Box {
	return voxd.Box{Min: voxd.Vec3{X: x0, Y: y0, Z: z0}, Max: voxd.Vec3{X: x1, Y: y1, Z: z1}}
}

func testVersionAndStatuses() {
	check(voxd.Version() == fmt.Sprintf("%d.%d.%d", C.VOXD_VERSION_MAJOR, C.VOXD_VERSION_MINOR, C.VOXD_VERSION_PATCH),
		"version %s", voxd.Version())
	names := map[voxd.Status]string{voxd.OK: "ok", voxd.ErrStaleHandle: "stale handle",
		voxd.ErrLimitExceeded: "limit exceeded", voxd.ErrNothingToDo: "nothing to do"}
	for status, name := range names {
		check(status.String() == name, "status %d is %q", int(status), status.String())
	}
}

// The sequence that crashed Goxel's daemon: create, create, use the first; then close it and use it again.
func testGoxelCrashSequence(engine *voxd.Engine) {
	a := must(engine.CreateProject("a"))
	b := must(engine.CreateProject("b"))
	check(a.Handle() != b.Handle() && a.Handle() != 0, "handles %d %d", a.Handle(), b.Handle())
	expect(a.SetVoxels(voxd.LayerActive, []voxd.Voxel{{0, 0, 0, red}, {1, 0, 0, red}}), voxd.OK, "edit the first")
	expect(b.SetVoxels(voxd.LayerActive, []voxd.Voxel{{5, 5, 5, blue}, {6, 5, 5, blue}, {7, 5, 5, blue}}), voxd.OK,
		"edit the second")
	check(must(a.Count(voxd.LayerVisible)) == 2, "the first project lost its voxels")
	stale := a.Handle()
	expect(a.Close(), voxd.OK, "close the first")

	expect(a.SetVoxels(0, []voxd.Voxel{{9, 9, 9, red}}), voxd.ErrStaleHandle, "edit after close")
	_, err := a.Count(0)
	expect(err, voxd.ErrStaleHandle, "count after close")
	_, err = a.Info()
	expect(err, voxd.ErrStaleHandle, "info after close")
	expect(a.Undo(), voxd.ErrStaleHandle, "undo after close")
	expect(a.Close(), voxd.ErrStaleHandle, "second close")
	for _, forged := range []uint64{0, ^uint64(0), 0x123456789abc} {
		_, err = engine.Borrow(forged).Count(0)
		expect(err, voxd.ErrStaleHandle, fmt.Sprintf("forged handle %#x", forged))
	}
	// A new project may reuse the slot; the old handle stays stale and reaches nothing.
	c := must(engine.CreateProject("c"))
	_, err = engine.Borrow(stale).Count(0)
	expect(err, voxd.ErrStaleHandle, "stale handle after the slot was reused")
	check(must(c.Count(0)) == 0, "the new project is not empty")
	expect(c.Close(), voxd.OK, "close c")

	colors := must(b.GetVoxels(0, []voxd.Vec3{{5, 5, 5}, {0, 0, 0}}))
	check(colors[0] == blue && colors[1] == voxd.Color{}, "the second project changed: %v", colors)
	expect(b.Close(), voxd.OK, "close b")
}

// Goroutines (on several OS threads) each make and edit their own projects, all edit one shared project, and
// one closes a project the others are using.
func testGoroutines(engine *voxd.Engine) {
	const workers, projectsEach, rounds = 8, 6, 20
	shared := must(engine.CreateProject("shared"))
	doomed := must(engine.CreateProject("doomed"))
	var wg sync.WaitGroup
	problems := make(chan string, workers*projectsEach+workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int32) {
			defer wg.Done()
			runtime.LockOSThread() // spread the calls over distinct threads
			defer runtime.UnlockOSThread()
			for i := 0; i < projectsEach; i++ {
				p, err := engine.CreateProject(fmt.Sprintf("w%d-%d", w, i))
				if err != nil {
					problems <- err.Error()
					return
				}
				for r := int32(0); r < rounds; r++ {
					if err := p.SetVoxels(0, []voxd.Voxel{{w, r, int32(i), red}, {w, r, int32(i) + 100, blue}}); err != nil {
						problems <- err.Error()
					}
				}
				if n, err := p.Count(0); err != nil || n != 2*rounds {
					problems <- fmt.Sprintf("worker %d project %d: %d voxels, %v", w, i, n, err)
				}
				if err := p.Close(); err != nil {
					problems <- err.Error()
				}
			}
			for r := int32(0); r < rounds; r++ {
				if err := shared.SetVoxels(0, []voxd.Voxel{{w, r, 0, red}}); err != nil {
					problems <- err.Error()
				}
				// The doomed project is closed by worker 0 meanwhile: every call either works or is stale.
				if err := doomed.SetVoxels(0, []voxd.Voxel{{w, r, 0, red}}); err != nil && !errors.Is(err, voxd.ErrStaleHandle) {
					problems <- "doomed: " + err.Error()
				}
				if w == 0 && r == rounds/2 {
					if err := doomed.Close(); err != nil {
						problems <- err.Error()
					}
				}
			}
		}(int32(w))
	}
	wg.Wait()
	close(problems)
	for p := range problems {
		check(false, "goroutine: %s", p)
	}
	check(must(shared.Count(0)) == workers*rounds, "shared project has %d voxels", must(shared.Count(0)))
	_, err := doomed.Count(0)
	expect(err, voxd.ErrStaleHandle, "the doomed project after close")
	check(must(engine.ProjectCount()) == 1, "projects left: %d", must(engine.ProjectCount()))
	expect(shared.Close(), voxd.OK, "close shared")
}

func testErrorStatuses(dir string) {
	engine := must(voxd.NewEngine(&voxd.Options{MaxProjects: 3, MaxVoxelsPerOperation: 1000, MaxLayers: 3}))
	defer engine.Close()
	p := must(engine.CreateProject("errors"))

	// invalid argument
	_, err := voxd.NewEngine(&voxd.Options{MaxVoxels: -1})
	expect(err, voxd.ErrInvalidArgument, "negative limit")
	expect(p.SetVoxels(0, []voxd.Voxel{{C.VOXD_MAX_COORD + 1, 0, 0, red}}), voxd.ErrInvalidArgument, "coordinate past the bound")
	_, err = p.ApplyShape(0, voxd.ShapeKind(7), voxd.BlendOver, box(0, 0, 0, 1, 1, 1), red)
	expect(err, voxd.ErrInvalidArgument, "unknown shape")
	_, err = p.ApplyShape(0, voxd.ShapeBox, voxd.BlendMode(0), box(0, 0, 0, 1, 1, 1), red)
	expect(err, voxd.ErrInvalidArgument, "unknown blend mode")
	_, err = p.ApplyShape(0, voxd.ShapeBox, voxd.BlendOver, box(5, 0, 0, 1, 1, 1), red)
	expect(err, voxd.ErrInvalidArgument, "inverted box")
	_, err = p.ReadBox(0, box(3, 0, 0, 0, 3, 3))
	expect(err, voxd.ErrInvalidArgument, "inverted read box")
	_, err = p.RenderPNG(voxd.View(42), 10, 10)
	expect(err, voxd.ErrInvalidArgument, "unknown view")
	_, err = p.RenderPNG(voxd.ViewIso, 0, 10)
	expect(err, voxd.ErrInvalidArgument, "zero width")
	_, _, err = p.Mesh(voxd.MeshFormat(3))
	expect(err, voxd.ErrInvalidArgument, "unknown mesh format")
	_, err = engine.CreateProject("a\x00b")
	expect(err, voxd.ErrInvalidArgument, "embedded NUL")
	_, err = engine.CreateProject(strings.Repeat("x", C.VOXD_MAX_NAME_BYTES+1))
	expect(err, voxd.ErrInvalidArgument, "over-long name")
	_, err = p.FloodFill(0, voxd.FloodFill{Seed: voxd.Vec3{}, Color: red, MaxVoxels: -1})
	expect(err, voxd.ErrInvalidArgument, "negative flood fill bound")
	expect(p.MoveLayer(must(p.Layers())[0].ID, 1<<40), voxd.ErrInvalidArgument, "layer index past the end")
	expect(p.RemoveLayer(must(p.Layers())[0].ID), voxd.ErrInvalidArgument, "removing the last layer")
	expect(p.Save(filepath.Join(dir, "noextension")), voxd.ErrInvalidArgument, "save without extension")

	// not found
	expect(p.SetVoxels(4242, []voxd.Voxel{{0, 0, 0, red}}), voxd.ErrNotFound, "unknown layer")
	_, err = p.LayerName(4242)
	expect(err, voxd.ErrNotFound, "name of an unknown layer")
	_, err = engine.OpenFile(filepath.Join(dir, "no", "such.gox"))
	expect(err, voxd.ErrNotFound, "missing file")
	expect(p.Save(filepath.Join(dir, "no", "such", "x.gox")), voxd.ErrNotFound, "save into a missing directory")

	// limit exceeded: per-operation voxels, layers, projects, a short buffer
	many := make([]voxd.Voxel, 1001)
	for i := range many {
		many[i] = voxd.Voxel{X: int32(i), Color: red}
	}
	expect(p.SetVoxels(0, many), voxd.ErrLimitExceeded, "more voxels than one operation may pass")
	check(must(p.Count(0)) == 0, "a refused edit changed the project")
	must(p.AddLayer("two"))
	must(p.AddLayer("three"))
	_, err = p.AddLayer("four")
	expect(err, voxd.ErrLimitExceeded, "more layers than max_layers")
	second := must(engine.CreateProject("second"))
	must(engine.CreateProject("third"))
	_, err = engine.CreateProject("fourth")
	expect(err, voxd.ErrLimitExceeded, "more projects than max_projects")
	expect(second.Close(), voxd.OK, "close second")
	expect(p.SetVoxels(0, many[:10]), voxd.OK, "ten voxels")
	size := must(p.ExportInto("vox", nil))
	_, err = p.ExportInto("vox", make([]byte, size-1))
	expect(err, voxd.ErrLimitExceeded, "export into a buffer one byte short")

	// format, unsupported, nothing to do, I/O
	_, err = engine.OpenBytes([]byte("VOX \x96\x00\x00\x00MAIN"), "x.vox")
	expect(err, voxd.ErrFormat, "garbage .vox")
	_, err = p.Export("docx")
	expect(err, voxd.ErrUnsupported, "unknown export format")
	expect(p.Save(filepath.Join(dir, "x.docx")), voxd.ErrUnsupported, "unknown save format")
	q := must(p.Copy("copy"))
	expect(q.Undo(), voxd.ErrNothingToDo, "undo of a copy (no history)")
	expect(q.Redo(), voxd.ErrNothingToDo, "redo with nothing undone")
	expect(q.Close(), voxd.OK, "close the copy")
	if os.Geteuid() != 0 { // root may write anywhere
		readOnly := filepath.Join(dir, "read-only")
		must(0, os.Mkdir(readOnly, 0o500))
		err = p.Save(filepath.Join(readOnly, "x.gox"))
		check(errors.Is(err, voxd.ErrIO) || errors.Is(err, voxd.ErrPermissionDenied), "save into a read-only directory: %v", err)
	}

	// A closed engine: every call is refused, nothing crashes.
	engine.Close()
	engine.Close()
	_, err = p.Count(0)
	expect(err, voxd.ErrInvalidArgument, "project of a closed engine")
	expect(p.Close(), voxd.ErrInvalidArgument, "close in a closed engine")
}

// What the wrapper never does, done through cgo: NULL pointers and out-arguments, NULL error slots, counts
// without arrays. Each is refused with a status.
func testRawMisuse() {
	var engine *C.voxd_engine
	var cerr *C.voxd_error
	status := func(s C.voxd_status, want C.voxd_status, what string) {
		check(s == want, "%s: %s, wanted %s", what, C.GoString(C.voxd_status_name(s)), C.GoString(C.voxd_status_name(want)))
		if s != C.VOXD_OK {
			check(cerr != nil && C.GoString(C.voxd_error_message(cerr)) != "", "%s: no error object", what)
		}
		C.voxd_error_free(&cerr)
		check(cerr == nil, "voxd_error_free did not clear the pointer")
	}
	status(C.voxd_engine_create(nil, nil, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "create without out")
	check(C.voxd_engine_create(nil, nil, nil) == C.VOXD_ERROR_INVALID_ARGUMENT, "NULL error slot")
	status(C.voxd_engine_create(nil, &engine, &cerr), C.VOXD_OK, "create")
	defer C.voxd_engine_destroy(&engine)

	var project C.voxd_project
	name := C.CString("raw")
	defer C.free(unsafe.Pointer(name))
	status(C.voxd_project_create(engine, name, C.VOXD_NUL_TERMINATED, &project, &cerr), C.VOXD_OK, "project")
	status(C.voxd_project_create(nil, name, 3, &project, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "NULL engine")
	status(C.voxd_project_create(engine, nil, 3, &project, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "NULL name")
	status(C.voxd_project_create(engine, name, 3, nil, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "NULL out")
	unterminated := bytes.Repeat([]byte{'x'}, C.VOXD_MAX_NAME_BYTES+16)
	status(C.voxd_project_create(engine, (*C.char)(unsafe.Pointer(&unterminated[0])), C.VOXD_NUL_TERMINATED, &project, &cerr),
		C.VOXD_ERROR_INVALID_ARGUMENT, "unterminated name")
	status(C.voxd_voxels_set(engine, project, 0, nil, 3, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "NULL voxels")
	status(C.voxd_voxels_set(engine, project, 0, nil, C.SIZE_MAX/2, &cerr), C.VOXD_ERROR_LIMIT_EXCEEDED, "huge count")
	var count C.size_t
	status(C.voxd_engine_list_projects(engine, nil, 4, &count, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "capacity without array")
	status(C.voxd_engine_list_projects(engine, nil, 0, nil, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "NULL count")
	status(C.voxd_project_export_to_buffer(engine, project, name, 3, nil, 10, &count, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT,
		"export capacity without buffer")
	var info C.voxd_project_info
	status(C.voxd_project_get_info(engine, project, &info, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "struct_size 0")
	// A newer caller's larger output struct: the fields this library knows are written, the size is kept.
	info.struct_size = C.sizeof_voxd_project_info + 64
	status(C.voxd_project_get_info(engine, project, &info, &cerr), C.VOXD_OK, "larger output struct_size")
	check(info.struct_size == C.sizeof_voxd_project_info+64 && info.layer_count == 1, "info %+v", info)
	// An input struct larger than this library knows is refused rather than half-understood.
	var shape C.voxd_shape
	shape.struct_size = C.sizeof_voxd_shape + 64
	shape.kind = C.VOXD_SHAPE_BOX
	shape.mode = C.VOXD_BLEND_OVER
	status(C.voxd_shape_apply(engine, project, 0, &shape, nil, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "input struct_size too big")
	status(C.voxd_render_png(engine, project, nil, nil, &cerr), C.VOXD_ERROR_INVALID_ARGUMENT, "NULL bytes out")

	// Array out, truncated: *count is the full number, only capacity elements are written.
	var second C.voxd_project
	status(C.voxd_project_create(engine, name, 3, &second, &cerr), C.VOXD_OK, "second project")
	handles := [2]C.uint64_t{0, 0}
	status(C.voxd_engine_list_projects(engine, &handles[0], 1, &count, &cerr), C.VOXD_OK, "truncated list")
	check(count == 2 && handles[0] != 0 && handles[1] == 0, "truncated list: count %d, %v", count, handles)
	// String out, truncated like snprintf.
	small := make([]byte, 3)
	status(C.voxd_project_get_name(engine, project, (*C.char)(unsafe.Pointer(&small[0])), 3, &count, &cerr), C.VOXD_OK, "name")
	check(count == 3 && string(small) == "ra\x00", "truncated name %q, length %d", small, count)

	var bytesOut C.voxd_bytes
	C.voxd_bytes_free(&bytesOut) // freeing empty bytes is a no-op
	C.voxd_bytes_free(nil)
	C.voxd_error_free(nil)
	C.voxd_engine_destroy(nil)
}

// Buffers sized by a null query, through the wrapper: counts, strings and files agree with the real reads.
func testSizeQueries(engine *voxd.Engine, dir string) {
	p := must(engine.CreateProject("sizes"))
	defer p.Close()
	must(p.ApplyShape(0, voxd.ShapeSphere, voxd.BlendOver, box(-4, -4, -4, 4, 4, 4), red))
	must(p.DrawLine(0, voxd.Vec3{X: 10}, voxd.Vec3{X: 10, Z: 9}, blue, voxd.BlendOver))
	n := must(p.Count(0))
	check(n > 100, "sphere of %d voxels", n)
	check(int64(len(must(p.ReadBox(0, box(-10, -10, -10, 10, 10, 10))))) == n, "read_box disagrees with count")
	histogram := must(p.Histogram(0))
	check(len(histogram) == 2 && histogram[0].Color == red && histogram[1].Count == 10, "histogram %v", histogram)
	check(len(must(p.UniqueColors(0))) == 2, "unique colours")
	found := must(p.FindColor(0, blue, 0))
	check(len(found) == 10 && found[0].X == 10, "find colour %v", found)

	size := must(p.ExportInto("gox", nil))
	buffer := make([]byte, size)
	check(must(p.ExportInto("gox", buffer)) == size, "export size changed")
	check(bytes.Equal(buffer, must(p.Export("gox"))), "buffer export differs from library-owned bytes")
	for _, format := range []string{"gox", "vox", "txt"} {
		q := must(engine.OpenBytes(must(p.Export(format)), "copy."+format))
		check(must(q.Count(0)) == n, "%s round trip: %d voxels", format, must(q.Count(0)))
		expect(q.Close(), voxd.OK, "close "+format)
	}
	path := filepath.Join(dir, "sizes.vox")
	expect(p.Save(path), voxd.OK, "save")
	q := must(engine.OpenFile(path))
	check(must(q.Name()) == "sizes" && must(q.Count(0)) == n, "saved file")
	expect(q.Close(), voxd.OK, "close file")
	long := strings.Repeat("n", 300) // longer than any first guess: the name is read by its reported length
	q = must(p.Copy(long))
	check(must(q.Name()) == long, "long name")
	expect(q.Close(), voxd.OK, "close long")

	png := must(p.RenderPNG(voxd.ViewFront, 40, 30))
	check(bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) && png[19] == 40 && png[23] == 30, "PNG header")
	// The render options: the free camera at yaw 0, pitch 0 is the front view; the look options change the picture.
	o := voxd.DefaultRenderOptions()
	check(o.View == voxd.ViewIso && o.Width == 512 && o.Height == 512 && o.AmbientOcclusion && o.Shadows && !o.Edges &&
		o.Yaw == 45 && o.Pitch > 35 && o.Pitch < 36 && o.Distance == 0 && !o.Perspective && o.Background == voxd.Color{},
		"render defaults %+v", o)
	o.View, o.Width, o.Height, o.Yaw, o.Pitch = voxd.ViewFree, 40, 30, 0, 0
	check(bytes.Equal(must(p.Render(o)), png), "the free camera at yaw 0, pitch 0 is the front view")
	for i, change := range []func(*voxd.RenderOptions){
		func(o *voxd.RenderOptions) { o.Yaw, o.Pitch = 120, -20 },
		func(o *voxd.RenderOptions) { o.Perspective, o.Distance = true, 60 },
		func(o *voxd.RenderOptions) { o.AmbientOcclusion, o.Shadows = false, false },
		func(o *voxd.RenderOptions) { o.Background = voxd.Color{32, 64, 96, 255} },
	} {
		changed := o
		change(&changed)
		check(!bytes.Equal(must(p.Render(changed)), png), "render option change %d shows", i)
	}
	bad := o
	bad.Pitch = 95
	_, renderErr := p.Render(bad)
	expect(renderErr, voxd.ErrInvalidArgument, "pitch out of range")
	check(renderErr != nil && strings.Contains(renderErr.Error(), "pitch"), "the error names the pitch: %v", renderErr)
	mesh, stats := must2(p.Mesh(voxd.MeshPLY))
	check(bytes.HasPrefix(mesh, []byte("ply")) && stats.Triangles >= 2*stats.Quads && stats.Quads > 0, "mesh %+v", stats)

	// Layers and history through the wrapper.
	top := must(p.AddLayer("top"))
	expect(p.SetVoxels(voxd.LayerActive, []voxd.Voxel{{20, 20, 20, red}}), voxd.OK, "voxel on the new layer")
	copyID := must(p.DuplicateLayer(top))
	expect(p.RenameLayer(copyID, "copy"), voxd.OK, "rename")
	layers := must(p.Layers())
	check(len(layers) == 3 && layers[2].ID == copyID && layers[2].VoxelCount == 1, "layers %+v", layers)
	check(must(p.LayerName(copyID)) == "copy", "layer name")
	expect(p.SetLayerVisible(copyID, false), voxd.OK, "hide")
	expect(p.MoveLayer(copyID, 0), voxd.OK, "move")
	expect(p.SelectLayer(layers[0].ID), voxd.OK, "select")
	expect(p.MergeLayers(top, layers[0].ID), voxd.OK, "merge")
	expect(p.RemoveLayer(copyID), voxd.OK, "remove")
	info := must(p.Info())
	check(info.LayerCount == 1 && info.VoxelCount == n+1 && info.HasBoundingBox && info.UndoDepth > 5, "info %+v", info)
	expect(p.Undo(), voxd.OK, "undo")
	expect(p.Redo(), voxd.OK, "redo")
	filled := must(p.FloodFill(0, voxd.FloodFill{Seed: voxd.Vec3{X: 30}, Color: blue, Bounds: &voxd.Box{
		Min: voxd.Vec3{X: 30}, Max: voxd.Vec3{X: 32, Y: 2, Z: 2}}}))
	check(filled == 27, "flood fill %d", filled)
	moved := must(p.MoveRegion(0, box(30, 0, 0, 32, 2, 2), voxd.Vec3{Y: 10}, true))
	check(moved == 27, "region copy %d", moved)
	expect(p.RemoveVoxels(0, []voxd.Vec3{{X: 30, Y: 10}}), voxd.OK, "remove voxel")
	expect(p.ClearLayer(0), voxd.OK, "clear")
	check(must(p.Count(0)) == 0, "cleared")
	_, ok, err := p.BoundingBox(0)
	check(!ok && err == nil, "bounding box of an empty project")
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return a, b
}

// Projects and engines dropped without Close: the garbage collector's finalizers close and destroy them.
func testFinalizers(engine *voxd.Engine) {
	before := must(engine.ProjectCount())
	func() {
		for i := 0; i < 40; i++ {
			p := must(engine.CreateProject(fmt.Sprintf("dropped-%d", i)))
			must(p.ApplyShape(0, voxd.ShapeBox, voxd.BlendOver, box(0, 0, 0, 7, 7, 7), red))
		}
	}()
	check(must(engine.ProjectCount()) == before+40, "dropped projects are open until collected")
	deadline := time.Now().Add(20 * time.Second)
	for must(engine.ProjectCount()) > before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	check(must(engine.ProjectCount()) == before, "finalizers left %d projects open", must(engine.ProjectCount())-before)

	// Whole engines with open projects, dropped: the leak check at the end sees whether they were destroyed.
	for i := 0; i < 10; i++ {
		e := must(voxd.NewEngine(nil))
		p := must(e.CreateProject("orphan"))
		must(p.ApplyShape(0, voxd.ShapeSphere, voxd.BlendOver, box(0, 0, 0, 15, 15, 15), blue))
	}
	for i := 0; i < 20; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

func main() {
	dir := must(os.MkdirTemp("", "capi-go-"))
	defer os.RemoveAll(dir)
	testVersionAndStatuses()
	engine := must(voxd.NewEngine(&voxd.Options{MaxProjects: 256}))
	testGoxelCrashSequence(engine)
	testGoroutines(engine)
	testSizeQueries(engine, dir)
	testErrorStatuses(dir)
	testRawMisuse()
	testFinalizers(engine)
	engine.Close()
	runtime.GC()

	switch leaks := C.leak_check(); {
	case leaks == -1:
		fmt.Println("capi_go: LeakSanitizer not loaded; no leak check")
	case leaks != 0:
		check(false, "LeakSanitizer found leaks (dropped engines not destroyed by their finalizers?)")
	default:
		fmt.Println("capi_go: no leaks")
	}
	if failures > 0 {
		fmt.Fprintf(os.Stderr, "capi_go: %d failures\n", failures)
		os.Exit(1)
	}
	fmt.Println("capi_go: all checks passed")
}
