//! capi_rust: libvoxd driven from Rust the way a Rust service would hold it: the clients/rust wrapper
//! (Engine and Project own their handles, Drop frees them, even while a panic unwinds), threads on many
//! projects, the Goxel crash sequence, stale handles, every error status, size-query buffers, and raw
//! `extern "C"` calls for the misuse the wrapper cannot express (NULL pointers, NULL error slots). Under ASan
//! (libasan preloaded) LeakSanitizer checks at exit that every dropped engine was destroyed.

use std::cell::Cell;
use std::ptr;

use voxd::{sys, BlendMode, Box3, Color, Engine, FloodFill, MeshFormat, Options, Project, RenderOptions, ShapeKind,
           Status, Vec3, View, Voxel};

thread_local! {
    static FAILURES: Cell<u32> = Cell::new(0);
}
static TOTAL_FAILURES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

macro_rules! check {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            eprintln!("{}:{}: {}", file!(), line!(), format!($($arg)+));
            TOTAL_FAILURES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            FAILURES.with(|f| f.set(f.get() + 1));
        }
    };
}

/// A result must fail with `want`, with a message.
macro_rules! expect_err {
    ($result:expr, $want:expr, $what:expr) => {
        match $result {
            Ok(_) => check!(false, "{}: succeeded, wanted {:?}", $what, $want),
            Err(e) => {
                check!(e.status == $want, "{}: got {}, wanted {:?}", $what, e, $want);
                check!(!e.message.is_empty(), "{}: empty message", $what);
            }
        }
    };
}

const RED: Color = Color { r: 255, g: 0, b: 0, a: 255 };
const BLUE: Color = Color { r: 0, g: 0, b: 255, a: 255 };
const EMPTY: Color = Color { r: 0, g: 0, b: 0, a: 0 };

fn v(x: i32, y: i32, z: i32) -> Vec3 {
    Vec3 { x, y, z }
}
fn vox(x: i32, y: i32, z: i32, color: Color) -> Voxel {
    Voxel { x, y, z, color }
}
fn bx(x0: i32, y0: i32, z0: i32, x1: i32, y1: i32, z1: i32) -> Box3 {
    Box3 { min: v(x0, y0, z0), max: v(x1, y1, z1) }
}

fn test_version_and_statuses() {
    check!(voxd::version().split('.').count() == 3, "version {}", voxd::version());
    check!(unsafe { sys::voxd_version() } / 10000 == 0, "ABI major version");
    for (status, name) in [(Status::OK, "ok"), (Status::STALE_HANDLE, "stale handle"),
                           (Status::LIMIT_EXCEEDED, "limit exceeded"), (Status::NOTHING_TO_DO, "nothing to do")] {
        check!(status.name() == name, "status {} is {:?}", status.0, status.name());
    }
}

/// The sequence that crashed Goxel's daemon: create, create, use the first; then close it and use it again.
fn test_goxel_crash_sequence(engine: &Engine) {
    let a = engine.create_project("a").unwrap();
    let b = engine.create_project("b").unwrap();
    check!(a.handle() != b.handle() && a.handle() != 0, "handles");
    a.set_voxels(0, &[vox(0, 0, 0, RED), vox(1, 0, 0, RED)]).unwrap();
    b.set_voxels(0, &[vox(5, 5, 5, BLUE), vox(6, 5, 5, BLUE), vox(7, 5, 5, BLUE)]).unwrap();
    check!(a.count(0).unwrap() == 2, "the first project lost its voxels");
    let raw = a.handle();
    a.close().unwrap(); // consumes a: the borrow checker forbids using it again ...

    // ... so the stale handle is re-wrapped by hand, as a C caller would keep it.
    let stale = engine.project_from_raw(raw);
    expect_err!(stale.set_voxels(0, &[vox(9, 9, 9, RED)]), Status::STALE_HANDLE, "edit after close");
    expect_err!(stale.count(0), Status::STALE_HANDLE, "count after close");
    expect_err!(stale.info(), Status::STALE_HANDLE, "info after close");
    expect_err!(stale.undo(), Status::STALE_HANDLE, "undo after close");
    let c = engine.create_project("c").unwrap(); // may reuse the slot; the old handle stays stale
    expect_err!(stale.count(0), Status::STALE_HANDLE, "stale after the slot was reused");
    check!(c.count(0).unwrap() == 0, "the new project is not empty");
    expect_err!(stale.close(), Status::STALE_HANDLE, "second close");
    for forged in [0u64, u64::MAX, 0x1234_5678_9abc] {
        expect_err!(engine.project_from_raw(forged).count(0), Status::STALE_HANDLE, format!("forged {:#x}", forged));
    }
    let colors = b.get_voxels(0, &[v(5, 5, 5), v(0, 0, 0)]).unwrap();
    check!(colors == [BLUE, EMPTY], "the second project changed: {:?}", colors);
}

/// Threads each make and edit their own projects, all edit one shared project, and one closes a project the
/// others are using.
fn test_threads(engine: &Engine) {
    const WORKERS: i32 = 8;
    const PROJECTS_EACH: i32 = 6;
    const ROUNDS: i32 = 20;
    let shared = engine.create_project("shared").unwrap();
    let doomed_handle = engine.create_project("doomed").unwrap().into_raw();
    std::thread::scope(|scope| {
        for w in 0..WORKERS {
            let shared = &shared;
            scope.spawn(move || {
                for i in 0..PROJECTS_EACH {
                    let p = engine.create_project(&format!("w{}-{}", w, i)).unwrap();
                    for r in 0..ROUNDS {
                        p.set_voxels(0, &[vox(w, r, i, RED), vox(w, r, i + 100, BLUE)]).unwrap();
                    }
                    check!(p.count(0).unwrap() == 2 * ROUNDS as i64, "worker {} project {}", w, i);
                } // each project is closed by Drop here
                let doomed = engine.project_from_raw(doomed_handle);
                for r in 0..ROUNDS {
                    shared.set_voxels(0, &[vox(w, r, 0, RED)]).unwrap();
                    // Closed by worker 0 meanwhile: each call either works or is stale, never worse.
                    if let Err(e) = doomed.set_voxels(0, &[vox(w, r, 0, RED)]) {
                        check!(e.status == Status::STALE_HANDLE, "doomed: {}", e);
                    }
                    if w == 0 && r == ROUNDS / 2 {
                        engine.project_from_raw(doomed_handle).close().unwrap();
                    }
                }
                doomed.into_raw(); // not this thread's to close
            });
        }
    });
    check!(shared.count(0).unwrap() == (WORKERS * ROUNDS) as i64, "shared project");
    expect_err!(engine.project_from_raw(doomed_handle).count(0), Status::STALE_HANDLE, "doomed after close");
    check!(engine.project_count().unwrap() == 1, "projects left: {}", engine.project_count().unwrap()); // shared
}

fn test_error_statuses(dir: &str) {
    let engine =
        Engine::new(Options { max_projects: 3, max_voxels_per_operation: 1000, max_layers: 3, ..Default::default() })
            .unwrap();
    let p = engine.create_project("errors").unwrap();
    let unit = bx(0, 0, 0, 1, 1, 1);

    // invalid argument
    expect_err!(Engine::new(Options { max_voxels: -1, ..Default::default() }), Status::INVALID_ARGUMENT, "negative limit");
    expect_err!(p.set_voxels(0, &[vox(sys::VOXD_MAX_COORD + 1, 0, 0, RED)]), Status::INVALID_ARGUMENT, "coordinate");
    expect_err!(p.apply_shape(0, ShapeKind(7), BlendMode::OVER, unit, RED), Status::INVALID_ARGUMENT, "unknown shape");
    expect_err!(p.apply_shape(0, ShapeKind::BOX, BlendMode(0), unit, RED), Status::INVALID_ARGUMENT, "unknown mode");
    expect_err!(p.apply_shape(0, ShapeKind::BOX, BlendMode::OVER, bx(5, 0, 0, 1, 1, 1), RED), Status::INVALID_ARGUMENT,
                "inverted box");
    expect_err!(p.read_box(0, bx(3, 0, 0, 0, 3, 3)), Status::INVALID_ARGUMENT, "inverted read box");
    expect_err!(p.render_png(View(42), 10, 10), Status::INVALID_ARGUMENT, "unknown view");
    expect_err!(p.render_png(View::ISO, 0, 10), Status::INVALID_ARGUMENT, "zero width");
    expect_err!(p.mesh(MeshFormat(3)), Status::INVALID_ARGUMENT, "unknown mesh format");
    expect_err!(engine.create_project("a\0b"), Status::INVALID_ARGUMENT, "embedded NUL");
    expect_err!(engine.create_project(&"x".repeat(sys::VOXD_MAX_NAME_BYTES + 1)), Status::INVALID_ARGUMENT, "long name");
    expect_err!(p.create_bad_fill(), Status::INVALID_ARGUMENT, "negative flood fill bound");
    let bottom = p.layers().unwrap()[0].id;
    expect_err!(p.move_layer(bottom, 1 << 40), Status::INVALID_ARGUMENT, "layer index past the end");
    expect_err!(p.remove_layer(bottom), Status::INVALID_ARGUMENT, "removing the last layer");
    expect_err!(p.save(&format!("{}/noextension", dir)), Status::INVALID_ARGUMENT, "save without extension");

    // not found
    expect_err!(p.set_voxels(4242, &[vox(0, 0, 0, RED)]), Status::NOT_FOUND, "unknown layer");
    expect_err!(p.layer_name(4242), Status::NOT_FOUND, "name of an unknown layer");
    expect_err!(engine.open_file(&format!("{}/no/such.gox", dir)), Status::NOT_FOUND, "missing file");
    expect_err!(p.save(&format!("{}/no/such/x.gox", dir)), Status::NOT_FOUND, "save into a missing directory");

    // limit exceeded: per-operation voxels, layers, projects, a short buffer
    let many: Vec<Voxel> = (0..1001).map(|i| vox(i, 0, 0, RED)).collect();
    expect_err!(p.set_voxels(0, &many), Status::LIMIT_EXCEEDED, "more voxels than one operation may pass");
    check!(p.count(0).unwrap() == 0, "a refused edit changed the project");
    p.add_layer("two").unwrap();
    p.add_layer("three").unwrap();
    expect_err!(p.add_layer("four"), Status::LIMIT_EXCEEDED, "more layers than max_layers");
    {
        let _second = engine.create_project("second").unwrap();
        let _third = engine.create_project("third").unwrap();
        expect_err!(engine.create_project("fourth"), Status::LIMIT_EXCEEDED, "more projects than max_projects");
    }
    check!(engine.project_count().unwrap() == 1, "Drop closed the two projects");
    p.set_voxels(0, &many[..10]).unwrap();
    let size = p.export_into("vox", &mut []).unwrap();
    expect_err!(p.export_into("vox", &mut vec![0u8; size - 1]), Status::LIMIT_EXCEEDED, "buffer one byte short");

    // format, unsupported, nothing to do
    expect_err!(engine.open_bytes(b"VOX \x96\x00\x00\x00MAIN", "x.vox"), Status::FORMAT, "garbage .vox");
    expect_err!(p.export("docx"), Status::UNSUPPORTED, "unknown export format");
    expect_err!(p.save(&format!("{}/x.docx", dir)), Status::UNSUPPORTED, "unknown save format");
    let q = p.copy("copy").unwrap();
    expect_err!(q.undo(), Status::NOTHING_TO_DO, "undo of a copy (no history)");
    expect_err!(q.redo(), Status::NOTHING_TO_DO, "redo with nothing undone");
}

trait BadFill {
    fn create_bad_fill(&self) -> voxd::Result<i64>;
}
impl BadFill for Project<'_> {
    fn create_bad_fill(&self) -> voxd::Result<i64> {
        self.flood_fill(0, FloodFill { color: RED, max_voxels: -1, ..Default::default() })
    }
}

/// What the wrapper never does, through the raw declarations: NULL pointers and out-arguments, NULL error
/// slots, counts without arrays, unterminated strings, truncated outs.
fn test_raw_misuse() {
    let err: Cell<*mut sys::voxd_error> = Cell::new(ptr::null_mut()); // one slot, reused by every call
    let status = |s: sys::voxd_status, want: Status, what: &str| {
        check!(s == want.0, "{}: {:?}, wanted {:?}", what, Status(s), want);
        if s != 0 {
            let message = unsafe { std::ffi::CStr::from_ptr(sys::voxd_error_message(err.get())) };
            check!(!err.get().is_null() && !message.to_bytes().is_empty(), "{}: no error object", what);
            check!(unsafe { sys::voxd_error_code(err.get()) } == s, "{}: error code", what);
        }
        unsafe { sys::voxd_error_free(err.as_ptr()) };
        check!(err.get().is_null(), "voxd_error_free did not clear the pointer");
    };
    unsafe {
        let mut engine: *mut sys::voxd_engine = ptr::null_mut();
        status(sys::voxd_engine_create(ptr::null(), ptr::null_mut(), err.as_ptr()), Status::INVALID_ARGUMENT, "no out");
        check!(sys::voxd_engine_create(ptr::null(), ptr::null_mut(), ptr::null_mut()) == 1, "NULL error slot");
        status(sys::voxd_engine_create(ptr::null(), &mut engine, err.as_ptr()), Status::OK, "create");
        let name = b"raw\0";
        let mut project = 0u64;
        status(sys::voxd_project_create(engine, name.as_ptr().cast(), sys::VOXD_NUL_TERMINATED, &mut project, err.as_ptr()),
               Status::OK, "project");
        status(sys::voxd_project_create(ptr::null_mut(), name.as_ptr().cast(), 3, &mut project, err.as_ptr()),
               Status::INVALID_ARGUMENT, "NULL engine");
        status(sys::voxd_project_create(engine, ptr::null(), 3, &mut project, err.as_ptr()), Status::INVALID_ARGUMENT,
               "NULL name");
        status(sys::voxd_project_create(engine, name.as_ptr().cast(), 3, ptr::null_mut(), err.as_ptr()),
               Status::INVALID_ARGUMENT, "NULL out");
        let unterminated = vec![b'x'; sys::VOXD_MAX_NAME_BYTES + 16];
        status(sys::voxd_project_create(engine, unterminated.as_ptr().cast(), sys::VOXD_NUL_TERMINATED, &mut project,
                                        err.as_ptr()), Status::INVALID_ARGUMENT, "unterminated name");
        status(sys::voxd_voxels_set(engine, project, 0, ptr::null(), 3, err.as_ptr()), Status::INVALID_ARGUMENT, "NULL voxels");
        status(sys::voxd_voxels_set(engine, project, 0, ptr::null(), usize::MAX / 2, err.as_ptr()), Status::LIMIT_EXCEEDED,
               "huge count");
        let mut count = 0usize;
        status(sys::voxd_engine_list_projects(engine, ptr::null_mut(), 4, &mut count, err.as_ptr()),
               Status::INVALID_ARGUMENT, "capacity without array");
        status(sys::voxd_engine_list_projects(engine, ptr::null_mut(), 0, ptr::null_mut(), err.as_ptr()),
               Status::INVALID_ARGUMENT, "NULL count");
        let mut info = sys::voxd_project_info::default();
        status(sys::voxd_project_get_info(engine, project, &mut info, err.as_ptr()), Status::INVALID_ARGUMENT, "struct_size 0");
        info.struct_size = std::mem::size_of::<sys::voxd_project_info>() + 64;
        status(sys::voxd_project_get_info(engine, project, &mut info, err.as_ptr()), Status::OK, "larger output struct");
        check!(info.layer_count == 1, "info {:?}", info);
        let shape = sys::voxd_shape { struct_size: std::mem::size_of::<sys::voxd_shape>() + 64, kind: 0, mode: 1,
                                      ..Default::default() };
        status(sys::voxd_shape_apply(engine, project, 0, &shape, ptr::null_mut(), err.as_ptr()), Status::INVALID_ARGUMENT,
               "larger input struct");
        status(sys::voxd_render_png(engine, project, ptr::null(), ptr::null_mut(), err.as_ptr()), Status::INVALID_ARGUMENT,
               "NULL bytes out");

        // Array out, truncated: the count is the full number, only capacity elements are written.
        let mut second = 0u64;
        status(sys::voxd_project_create(engine, name.as_ptr().cast(), 3, &mut second, err.as_ptr()), Status::OK, "second");
        let mut handles = [0u64; 2];
        status(sys::voxd_engine_list_projects(engine, handles.as_mut_ptr(), 1, &mut count, err.as_ptr()), Status::OK, "list");
        check!(count == 2 && handles[0] != 0 && handles[1] == 0, "truncated list {} {:?}", count, handles);
        let mut small = [0x55u8; 3];
        status(sys::voxd_project_get_name(engine, project, small.as_mut_ptr().cast(), 3, &mut count, err.as_ptr()),
               Status::OK, "name");
        check!(count == 3 && &small == b"ra\0", "truncated name {:?}", small);

        let mut bytes = sys::voxd_bytes { data: ptr::null_mut(), size: 0 };
        sys::voxd_bytes_free(&mut bytes);
        sys::voxd_bytes_free(ptr::null_mut());
        sys::voxd_error_free(ptr::null_mut());
        sys::voxd_engine_destroy(&mut engine); // projects still open: destroy frees them
        check!(engine.is_null(), "destroy did not clear the pointer");
        sys::voxd_engine_destroy(&mut engine);
        sys::voxd_engine_destroy(ptr::null_mut());
    }
}

/// Buffers sized by a null query, and every other call through the wrapper.
fn test_size_queries_and_calls(engine: &Engine, dir: &str) {
    let p = engine.create_project("sizes").unwrap();
    p.apply_shape(0, ShapeKind::SPHERE, BlendMode::OVER, bx(-4, -4, -4, 4, 4, 4), RED).unwrap();
    check!(p.draw_line(0, v(10, 0, 0), v(10, 0, 9), BLUE, BlendMode::OVER).unwrap() == 10, "line");
    let n = p.count(0).unwrap();
    check!(n > 100, "sphere of {} voxels", n);
    check!(p.read_box(0, bx(-10, -10, -10, 10, 10, 10)).unwrap().len() as i64 == n, "read_box disagrees with count");
    let histogram = p.histogram(0).unwrap();
    check!(histogram.len() == 2 && histogram[0].color == RED && histogram[1].count == 10, "histogram {:?}", histogram);
    check!(p.unique_colors(0).unwrap().len() == 2, "unique colours");
    let found = p.find_color(0, BLUE, 0).unwrap();
    check!(found.len() == 10 && found[0].x == 10, "find colour {:?}", found);

    let size = p.export_into("gox", &mut []).unwrap();
    let mut buffer = vec![0u8; size];
    check!(p.export_into("gox", &mut buffer).unwrap() == size, "export size changed");
    check!(buffer == p.export("gox").unwrap(), "buffer export differs from library-owned bytes");
    for format in ["gox", "vox", "txt"] {
        let q = engine.open_bytes(&p.export(format).unwrap(), &format!("copy.{}", format)).unwrap();
        check!(q.count(0).unwrap() == n, "{} round trip", format);
    }
    let path = format!("{}/sizes.vox", dir);
    p.save(&path).unwrap();
    let q = engine.open_file(&path).unwrap();
    check!(q.name().unwrap() == "sizes" && q.count(0).unwrap() == n, "saved file");
    let long = "n".repeat(300);
    check!(p.copy(&long).unwrap().name().unwrap() == long, "long name");

    let png = p.render_png(View::FRONT, 40, 30).unwrap();
    check!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png[19] == 40 && png[23] == 30, "PNG header");
    // The render options: the free camera at yaw 0, pitch 0 is the front view; the look options change the picture.
    let d = RenderOptions::default();
    check!(d.view == View::ISO && d.width == 512 && d.height == 512 && d.ambient_occlusion && d.shadows && !d.edges
               && d.yaw == 45.0 && d.pitch > 35.0 && d.pitch < 36.0 && d.distance == 0.0 && !d.perspective
               && d.background == Color { r: 0, g: 0, b: 0, a: 0 },
           "render defaults {:?}", d);
    let level = RenderOptions { view: View::FREE, width: 40, height: 30, yaw: 0.0, pitch: 0.0, ..d };
    check!(p.render(&level).unwrap() == png, "the free camera at yaw 0, pitch 0 is the front view");
    for (i, changed) in [
        RenderOptions { yaw: 120.0, pitch: -20.0, ..level },
        RenderOptions { perspective: true, distance: 60.0, ..level },
        RenderOptions { ambient_occlusion: false, shadows: false, ..level },
        RenderOptions { background: Color { r: 32, g: 64, b: 96, a: 255 }, ..level },
    ]
    .iter()
    .enumerate()
    {
        check!(p.render(changed).unwrap() != png, "render option change {} shows", i);
    }
    match p.render(&RenderOptions { pitch: 95.0, ..level }) {
        Ok(_) => check!(false, "pitch 95 rendered"),
        Err(e) => check!(e.status == Status::INVALID_ARGUMENT && e.message.contains("pitch"), "pitch 95: {}", e),
    }
    let (mesh, stats) = p.mesh(MeshFormat::PLY).unwrap();
    check!(mesh.starts_with(b"ply") && stats.triangles >= 2 * stats.quads && stats.quads > 0, "mesh {:?}", stats);

    let top = p.add_layer("top").unwrap();
    p.set_voxels(voxd::LAYER_ACTIVE, &[vox(20, 20, 20, RED)]).unwrap();
    let copy = p.duplicate_layer(top).unwrap();
    p.rename_layer(copy, "copy").unwrap();
    let layers = p.layers().unwrap();
    check!(layers.len() == 3 && layers[2].id == copy && layers[2].voxel_count == 1, "layers {:?}", layers);
    check!(p.layer_name(copy).unwrap() == "copy", "layer name");
    p.set_layer_visible(copy, false).unwrap();
    p.move_layer(copy, 0).unwrap();
    p.select_layer(layers[0].id).unwrap();
    p.merge_layers(top, layers[0].id).unwrap();
    p.remove_layer(copy).unwrap();
    let info = p.info().unwrap();
    check!(info.layer_count == 1 && info.voxel_count == n + 1 && info.has_bounding_box && info.undo_depth > 5,
           "info {:?}", info);
    p.undo().unwrap();
    p.redo().unwrap();
    let fill = FloodFill { seed: v(30, 0, 0), color: BLUE, bounds: Some(bx(30, 0, 0, 32, 2, 2)), ..Default::default() };
    check!(p.flood_fill(0, fill).unwrap() == 27, "flood fill");
    check!(p.move_region(0, bx(30, 0, 0, 32, 2, 2), v(0, 10, 0), true).unwrap() == 27, "region copy");
    p.remove_voxels(0, &[v(30, 10, 0)]).unwrap();
    p.clear_layer(0).unwrap();
    check!(p.count(0).unwrap() == 0 && p.bounding_box(0).unwrap().is_none(), "cleared");
}

/// Drop runs on every path out of a scope, panics included; an engine dropped with projects still open frees
/// them (the leak check at exit proves it).
fn test_drop(engine: &Engine) {
    let before = engine.project_count().unwrap();
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let p = engine.create_project("panics").unwrap();
        p.set_voxels(0, &[vox(1, 1, 1, RED)]).unwrap();
        panic!("while holding a project");
    }));
    check!(unwound.is_err(), "the closure panicked");
    check!(engine.project_count().unwrap() == before, "the unwound project was not closed");
    for _ in 0..10 {
        let other = Engine::new(Options::default()).unwrap();
        let p = other.create_project("orphan").unwrap();
        p.apply_shape(0, ShapeKind::SPHERE, BlendMode::OVER, bx(0, 0, 0, 15, 15, 15), BLUE).unwrap();
        p.into_raw(); // left open on purpose: the engine's Drop frees it
    }
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        if !info.to_string().contains("while holding a project") {
            eprintln!("{}", info);
        }
    }));
    let dir = std::env::temp_dir().join(format!("capi-rust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dir_str = dir.to_str().unwrap().to_owned();

    test_version_and_statuses();
    {
        let engine = Engine::new(Options { max_projects: 256, ..Default::default() }).unwrap();
        test_goxel_crash_sequence(&engine);
        test_threads(&engine);
        test_size_queries_and_calls(&engine, &dir_str);
        test_drop(&engine);
    }
    test_error_statuses(&dir_str);
    test_raw_misuse();
    std::fs::remove_dir_all(&dir).ok();

    let failures = TOTAL_FAILURES.load(std::sync::atomic::Ordering::Relaxed);
    if failures > 0 {
        eprintln!("capi_rust: {} failures", failures);
        std::process::exit(1);
    }
    println!("capi_rust: all checks passed");
}
