//! libvoxd (voxd's C ABI, voxd.h) from Rust, with no crates: `sys` declares the ABI, and `Engine` / `Project`
//! hold it safely. An `Engine` owns its `voxd_engine*` and destroys it on drop; a `Project<'e>` owns a
//! project handle, borrows its engine (so it cannot outlive it) and closes the handle on drop. Both are
//! `Send + Sync`: the library serialises calls on one project and runs different projects in parallel.
//! Every failure is an `Error` with the library's status and message.
//!
//! Linking: `#[link(name = "voxd")]`; pass the directory from `pkg-config --libs-only-L voxd` with `-L`.

pub mod sys;

use std::ffi::CStr;
use std::fmt;
use std::os::raw::c_char;
use std::ptr::{self, NonNull};

pub use sys::{
    voxd_box as Box3, voxd_color as Color, voxd_color_count as ColorCount, voxd_layer_info as LayerInfo,
    voxd_mesh_stats as MeshStats, voxd_project_info as ProjectInfo, voxd_vec3 as Vec3, voxd_voxel as Voxel,
};

/// A voxd_status. Unknown values (from a newer library) keep their number.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Status(pub i32);

impl Status {
    pub const OK: Status = Status(0);
    pub const INVALID_ARGUMENT: Status = Status(1);
    pub const NOT_FOUND: Status = Status(2);
    pub const STALE_HANDLE: Status = Status(3);
    pub const LIMIT_EXCEEDED: Status = Status(4);
    pub const IO: Status = Status(5);
    pub const FORMAT: Status = Status(6);
    pub const UNSUPPORTED: Status = Status(7);
    pub const PERMISSION_DENIED: Status = Status(8);
    pub const PROTOCOL: Status = Status(9);
    pub const INTERNAL: Status = Status(10);
    pub const NOTHING_TO_DO: Status = Status(11);
    pub const BUSY: Status = Status(12);

    /// The library's stable name ("stale handle").
    pub fn name(self) -> &'static str {
        // A static string of the library, never freed.
        unsafe { CStr::from_ptr(sys::voxd_status_name(self.0)) }.to_str().unwrap_or("unknown error")
    }
}

impl fmt::Debug for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.0)
    }
}

/// A failed call: its status and the library's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status.name(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Runs one C call with a fresh error slot; turns a failure into an Error and frees the voxd_error.
fn call(f: impl FnOnce(*mut *mut sys::voxd_error) -> sys::voxd_status) -> Result<()> {
    let mut error: *mut sys::voxd_error = ptr::null_mut();
    let status = f(&mut error);
    if status == sys::VOXD_OK {
        return Ok(());
    }
    // voxd_error_message accepts NULL (an error object that could not be allocated) and gives "".
    let message = unsafe { CStr::from_ptr(sys::voxd_error_message(error)) }.to_string_lossy().into_owned();
    unsafe { sys::voxd_error_free(&mut error) };
    Err(Error { status: Status(status), message })
}

/// A &str as voxd.h's pointer + length (no copy, no NUL needed; an embedded NUL is refused by the library).
fn text(s: &str) -> (*const c_char, usize) {
    (s.as_ptr().cast(), s.len())
}

/// Library-owned bytes, copied into a Vec and freed.
fn take_bytes(mut bytes: sys::voxd_bytes) -> Vec<u8> {
    let out = if bytes.size == 0 { Vec::new() } else { unsafe { std::slice::from_raw_parts(bytes.data, bytes.size) }.to_vec() };
    unsafe { sys::voxd_bytes_free(&mut bytes) };
    out
}

/// The array-out rule: ask for the count with a null buffer, then fill; again if it grew meanwhile.
fn read_array<T: Default + Clone>(mut fill: impl FnMut(*mut T, usize, &mut usize) -> Result<()>) -> Result<Vec<T>> {
    let mut count = 0usize;
    fill(ptr::null_mut(), 0, &mut count)?;
    loop {
        let capacity = count;
        let mut out = vec![T::default(); capacity];
        fill(if capacity == 0 { ptr::null_mut() } else { out.as_mut_ptr() }, capacity, &mut count)?;
        if count <= capacity {
            out.truncate(count);
            return Ok(out);
        }
    }
}

/// The string-out rule (like snprintf): the length first, then the bytes and a NUL.
fn read_string(mut fill: impl FnMut(*mut c_char, usize, &mut usize) -> Result<()>) -> Result<String> {
    let mut length = 0usize;
    fill(ptr::null_mut(), 0, &mut length)?;
    loop {
        let mut buffer = vec![0u8; length + 1];
        let capacity = buffer.len();
        fill(buffer.as_mut_ptr().cast(), capacity, &mut length)?;
        if length < capacity {
            buffer.truncate(length);
            return Ok(String::from_utf8_lossy(&buffer).into_owned());
        }
    }
}

/// The version of the loaded library ("0.1.0").
pub fn version() -> &'static str {
    unsafe { CStr::from_ptr(sys::voxd_version_string()) }.to_str().unwrap_or("")
}

/// An engine's limits; zero fields keep the library's defaults.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub max_projects: u64,
    pub max_voxels: i64,
    pub max_layers: u64,
    pub max_history_steps: u64,
    pub max_history_bytes: u64,
    pub max_voxels_per_operation: i64,
    pub max_file_bytes: u64,
}

/// Owns one voxd_engine; dropping it destroys the engine (and closes every project still open). The borrow
/// checker gives what voxd.h asks of destroy: no call overlaps it, since every Project borrows the engine.
pub struct Engine {
    ptr: NonNull<sys::voxd_engine>,
}

// voxd.h: every function taking an engine is thread-safe (except destroy, which Drop makes exclusive).
unsafe impl Send for Engine {}
unsafe impl Sync for Engine {}

impl Drop for Engine {
    fn drop(&mut self) {
        let mut ptr = self.ptr.as_ptr();
        unsafe { sys::voxd_engine_destroy(&mut ptr) };
    }
}

impl Engine {
    pub fn new(options: Options) -> Result<Engine> {
        let mut o = sys::voxd_engine_options::default();
        call(|e| unsafe { sys::voxd_engine_options_init(&mut o, e) })?;
        let keep = |value: u64, default: u64| if value == 0 { default } else { value };
        o.max_projects = keep(options.max_projects, o.max_projects);
        o.max_voxels = if options.max_voxels == 0 { o.max_voxels } else { options.max_voxels };
        o.max_layers = keep(options.max_layers, o.max_layers);
        o.max_history_steps = keep(options.max_history_steps, o.max_history_steps);
        o.max_history_bytes = keep(options.max_history_bytes, o.max_history_bytes);
        o.max_voxels_per_operation =
            if options.max_voxels_per_operation == 0 { o.max_voxels_per_operation } else { options.max_voxels_per_operation };
        o.max_file_bytes = keep(options.max_file_bytes, o.max_file_bytes);
        let mut ptr: *mut sys::voxd_engine = ptr::null_mut();
        call(|e| unsafe { sys::voxd_engine_create(&o, &mut ptr, e) })?;
        let ptr = NonNull::new(ptr).ok_or(Error { status: Status::INTERNAL, message: "no engine".into() })?;
        Ok(Engine { ptr })
    }

    /// The raw pointer, for calls the wrapper does not make (it stays owned by this Engine).
    pub fn as_ptr(&self) -> *mut sys::voxd_engine {
        self.ptr.as_ptr()
    }

    pub fn project_count(&self) -> Result<usize> {
        let mut n = 0;
        call(|e| unsafe { sys::voxd_engine_project_count(self.as_ptr(), &mut n, e) })?;
        Ok(n)
    }

    /// The raw handles of the open projects.
    pub fn project_handles(&self) -> Result<Vec<u64>> {
        read_array(|out, capacity, count| {
            call(|e| unsafe { sys::voxd_engine_list_projects(self.as_ptr(), out, capacity, count, e) })
        })
    }

    fn created(&self, f: impl FnOnce(*mut u64, *mut *mut sys::voxd_error) -> sys::voxd_status) -> Result<Project<'_>> {
        let mut handle = 0u64;
        call(|e| f(&mut handle, e))?;
        Ok(Project { engine: self, handle })
    }

    /// A new empty project with one layer named "background".
    pub fn create_project(&self, name: &str) -> Result<Project<'_>> {
        let (s, n) = text(name);
        self.created(|out, e| unsafe { sys::voxd_project_create(self.as_ptr(), s, n, out, e) })
    }

    pub fn open_file(&self, path: &str) -> Result<Project<'_>> {
        let (s, n) = text(path);
        self.created(|out, e| unsafe { sys::voxd_project_open_file(self.as_ptr(), s, n, out, e) })
    }

    pub fn open_bytes(&self, data: &[u8], name: &str) -> Result<Project<'_>> {
        let (s, n) = text(name);
        self.created(|out, e| unsafe {
            sys::voxd_project_open_bytes(self.as_ptr(), data.as_ptr(), data.len(), s, n, out, e)
        })
    }

    /// Takes ownership of a raw handle (from `project_handles` or `Project::into_raw`). A handle that is not
    /// open makes every call fail with STALE_HANDLE; dropping it is then harmless.
    pub fn project_from_raw(&self, handle: u64) -> Project<'_> {
        Project { engine: self, handle }
    }
}

/// One project of an Engine. Dropping it closes the project; `close` does the same and reports errors.
pub struct Project<'e> {
    engine: &'e Engine,
    handle: u64,
}

impl Drop for Project<'_> {
    fn drop(&mut self) {
        // Already stale (closed through another owner) is fine here: the project is gone either way.
        let _ = call(|e| unsafe { sys::voxd_project_close(self.engine.as_ptr(), self.handle, e) });
    }
}

/// How a shape combines with what is there (voxd_blend_mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlendMode(pub i32);
impl BlendMode {
    pub const OVER: BlendMode = BlendMode(1);
    pub const SUBTRACT: BlendMode = BlendMode(2);
    pub const SUBTRACT_CLAMP: BlendMode = BlendMode(3);
    pub const PAINT: BlendMode = BlendMode(4);
    pub const MAX: BlendMode = BlendMode(5);
    pub const INTERSECT: BlendMode = BlendMode(6);
    pub const INTERSECT_FILL: BlendMode = BlendMode(7);
    pub const MULT_ALPHA: BlendMode = BlendMode(8);
    pub const REPLACE: BlendMode = BlendMode(9);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShapeKind(pub i32);
impl ShapeKind {
    pub const BOX: ShapeKind = ShapeKind(0);
    pub const SPHERE: ShapeKind = ShapeKind(1);
    pub const CYLINDER: ShapeKind = ShapeKind(2);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View(pub i32);
impl View {
    pub const ISO: View = View(0);
    pub const FRONT: View = View(1);
    pub const BACK: View = View(2);
    pub const LEFT: View = View(3);
    pub const RIGHT: View = View(4);
    pub const TOP: View = View(5);
    pub const BOTTOM: View = View(6);
    /// The free camera of `RenderOptions` (yaw, pitch, distance, perspective).
    pub const FREE: View = View(7);
}

/// What `Project::render` draws: voxd_render_options (docs/formats-mesh-render.md says what each does).
/// `RenderOptions::default()` is the library's defaults (voxd_render_options_init).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RenderOptions {
    pub view: View,
    /// 1..4096 pixels.
    pub width: i32,
    pub height: i32,
    /// The free camera, used with `View::FREE`; it looks at the centre of the model's bounding box.
    /// Degrees, -360..360: 0 is the front view, 90 the right view.
    pub yaw: f64,
    /// Degrees, -90..90: 0 is level, 90 the top view.
    pub pitch: f64,
    /// Voxels from the centre, 1..1000000; 0 fits the model to the frame.
    pub distance: f64,
    /// Else orthographic.
    pub perspective: bool,
    /// Creases and inner corners darken.
    pub ambient_occlusion: bool,
    /// One directional light casts voxel shadows.
    pub shadows: bool,
    /// Voxel face edges darken (where voxels are at least 4 pixels across).
    pub edges: bool,
    /// The empty pixels; all zero is transparent.
    pub background: Color,
}

impl Default for RenderOptions {
    /// Iso, 512x512, ambient occlusion and shadows on, no edges, transparent; the free camera at the iso
    /// view's angles, fitted, orthographic.
    fn default() -> Self {
        let mut o = sys::voxd_render_options::default();
        // Fails only on a NULL options.
        unsafe { sys::voxd_render_options_init(&mut o, ptr::null_mut()) };
        let b = o.background;
        RenderOptions {
            view: View(o.view),
            width: o.width,
            height: o.height,
            yaw: o.yaw,
            pitch: o.pitch,
            distance: o.distance,
            perspective: o.perspective != 0,
            ambient_occlusion: o.disable_ambient_occlusion == 0,
            shadows: o.disable_shadows == 0,
            edges: o.edges != 0,
            background: Color { r: (b >> 24) as u8, g: (b >> 16) as u8, b: (b >> 8) as u8, a: b as u8 },
        }
    }
}

impl RenderOptions {
    fn to_sys(&self) -> sys::voxd_render_options {
        let c = self.background;
        sys::voxd_render_options {
            struct_size: std::mem::size_of::<sys::voxd_render_options>(),
            view: self.view.0,
            width: self.width,
            height: self.height,
            yaw: self.yaw,
            pitch: self.pitch,
            distance: self.distance,
            background: u32::from(c.r) << 24 | u32::from(c.g) << 16 | u32::from(c.b) << 8 | u32::from(c.a),
            disable_ambient_occlusion: i32::from(!self.ambient_occlusion),
            disable_shadows: i32::from(!self.shadows),
            edges: i32::from(self.edges),
            perspective: i32::from(self.perspective),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeshFormat(pub i32);
impl MeshFormat {
    pub const OBJ: MeshFormat = MeshFormat(0);
    pub const PLY: MeshFormat = MeshFormat(1);
    pub const STL: MeshFormat = MeshFormat(2);
}

/// Layer id 0: the active layer for edits, all visible layers merged for reads.
pub const LAYER_ACTIVE: u32 = 0;
pub const LAYER_VISIBLE: u32 = 0;

/// A flood fill: `bounds` None is the layer's bounding box grown by one; `max_voxels` 0 is the engine's limit.
#[derive(Clone, Copy, Debug, Default)]
pub struct FloodFill {
    pub seed: Vec3,
    pub color: Color,
    pub tolerance: u8,
    pub bounds: Option<Box3>,
    pub max_voxels: i64,
}

type ErrorSlot = *mut *mut sys::voxd_error;

impl<'e> Project<'e> {
    pub fn handle(&self) -> u64 {
        self.handle
    }

    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// Gives up ownership without closing; the handle stays open (see Engine::project_from_raw).
    pub fn into_raw(self) -> u64 {
        let handle = self.handle;
        std::mem::forget(self);
        handle
    }

    fn call(&self, f: impl FnOnce(*mut sys::voxd_engine, u64, ErrorSlot) -> sys::voxd_status) -> Result<()> {
        call(|e| f(self.engine.as_ptr(), self.handle, e))
    }

    /// Closes the project now, reporting an error (STALE_HANDLE if something else closed it).
    pub fn close(self) -> Result<()> {
        let result = self.call(|en, h, e| unsafe { sys::voxd_project_close(en, h, e) });
        std::mem::forget(self);
        result
    }

    pub fn name(&self) -> Result<String> {
        read_string(|out, capacity, length| {
            self.call(|en, h, e| unsafe { sys::voxd_project_get_name(en, h, out, capacity, length, e) })
        })
    }

    pub fn info(&self) -> Result<ProjectInfo> {
        let mut info = ProjectInfo { struct_size: std::mem::size_of::<ProjectInfo>(), ..Default::default() };
        self.call(|en, h, e| unsafe { sys::voxd_project_get_info(en, h, &mut info, e) })?;
        Ok(info)
    }

    /// A new project with this one's current state and no history.
    pub fn copy(&self, name: &str) -> Result<Project<'e>> {
        let (s, n) = text(name);
        self.engine.created(|out, e| unsafe { sys::voxd_project_copy(self.engine.as_ptr(), self.handle, s, n, out, e) })
    }

    pub fn save(&self, path: &str) -> Result<()> {
        let (s, n) = text(path);
        self.call(|en, h, e| unsafe { sys::voxd_project_save(en, h, s, n, e) })
    }

    pub fn export(&self, format: &str) -> Result<Vec<u8>> {
        let (s, n) = text(format);
        let mut out = sys::voxd_bytes { data: ptr::null_mut(), size: 0 };
        self.call(|en, h, e| unsafe { sys::voxd_project_export(en, h, s, n, &mut out, e) })?;
        Ok(take_bytes(out))
    }

    /// Exports into `buffer` (empty: asks for the size); returns the file's size. A short buffer is
    /// LIMIT_EXCEEDED and nothing is written.
    pub fn export_into(&self, format: &str, buffer: &mut [u8]) -> Result<usize> {
        let (s, n) = text(format);
        let mut size = 0usize;
        let out = if buffer.is_empty() { ptr::null_mut() } else { buffer.as_mut_ptr() };
        self.call(|en, h, e| unsafe { sys::voxd_project_export_to_buffer(en, h, s, n, out, buffer.len(), &mut size, e) })?;
        Ok(size)
    }

    pub fn undo(&self) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_project_undo(en, h, e) })
    }

    pub fn redo(&self) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_project_redo(en, h, e) })
    }

    pub fn set_voxels(&self, layer: u32, voxels: &[Voxel]) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_voxels_set(en, h, layer, voxels.as_ptr(), voxels.len(), e) })
    }

    pub fn remove_voxels(&self, layer: u32, positions: &[Vec3]) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_voxels_remove(en, h, layer, positions.as_ptr(), positions.len(), e) })
    }

    pub fn get_voxels(&self, layer: u32, positions: &[Vec3]) -> Result<Vec<Color>> {
        let mut colors = vec![Color::default(); positions.len()];
        self.call(|en, h, e| unsafe {
            sys::voxd_voxels_get(en, h, layer, positions.as_ptr(), positions.len(), colors.as_mut_ptr(), e)
        })?;
        Ok(colors)
    }

    pub fn read_box(&self, layer: u32, bounds: Box3) -> Result<Vec<Voxel>> {
        read_array(|out, capacity, count| {
            self.call(|en, h, e| unsafe { sys::voxd_voxels_read_box(en, h, layer, &bounds, out, capacity, count, e) })
        })
    }

    pub fn clear_layer(&self, layer: u32) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_layer_clear(en, h, layer, e) })
    }

    /// Applies a shape inscribed in `bounds`; returns the number of voxels changed.
    pub fn apply_shape(&self, layer: u32, kind: ShapeKind, mode: BlendMode, bounds: Box3, color: Color) -> Result<i64> {
        let shape = sys::voxd_shape {
            struct_size: std::mem::size_of::<sys::voxd_shape>(),
            kind: kind.0,
            mode: mode.0,
            bounds,
            color,
        };
        let mut changed = 0i64;
        self.call(|en, h, e| unsafe { sys::voxd_shape_apply(en, h, layer, &shape, &mut changed, e) })?;
        Ok(changed)
    }

    pub fn draw_line(&self, layer: u32, from: Vec3, to: Vec3, color: Color, mode: BlendMode) -> Result<i64> {
        let mut changed = 0i64;
        self.call(|en, h, e| unsafe { sys::voxd_line_draw(en, h, layer, from, to, color, mode.0, &mut changed, e) })?;
        Ok(changed)
    }

    pub fn flood_fill(&self, layer: u32, fill: FloodFill) -> Result<i64> {
        let options = sys::voxd_flood_fill_options {
            struct_size: std::mem::size_of::<sys::voxd_flood_fill_options>(),
            seed: fill.seed,
            color: fill.color,
            tolerance: fill.tolerance,
            has_bounds: fill.bounds.is_some(),
            bounds: fill.bounds.unwrap_or_default(),
            max_voxels: fill.max_voxels,
        };
        let mut filled = 0i64;
        self.call(|en, h, e| unsafe { sys::voxd_flood_fill(en, h, layer, &options, &mut filled, e) })?;
        Ok(filled)
    }

    /// Moves (or, with keep_source, copies) the voxels inside `source` by `offset`.
    pub fn move_region(&self, layer: u32, source: Box3, offset: Vec3, keep_source: bool) -> Result<i64> {
        let mut moved = 0i64;
        self.call(|en, h, e| unsafe { sys::voxd_region_move(en, h, layer, &source, offset, keep_source, &mut moved, e) })?;
        Ok(moved)
    }

    pub fn layers(&self) -> Result<Vec<LayerInfo>> {
        read_array(|out, capacity, count| self.call(|en, h, e| unsafe { sys::voxd_layer_list(en, h, out, capacity, count, e) }))
    }

    pub fn layer_name(&self, layer: u32) -> Result<String> {
        read_string(|out, capacity, length| {
            self.call(|en, h, e| unsafe { sys::voxd_layer_get_name(en, h, layer, out, capacity, length, e) })
        })
    }

    pub fn add_layer(&self, name: &str) -> Result<u32> {
        let (s, n) = text(name);
        let mut id = 0u32;
        self.call(|en, h, e| unsafe { sys::voxd_layer_add(en, h, s, n, &mut id, e) })?;
        Ok(id)
    }

    pub fn remove_layer(&self, layer: u32) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_layer_remove(en, h, layer, e) })
    }

    pub fn rename_layer(&self, layer: u32, name: &str) -> Result<()> {
        let (s, n) = text(name);
        self.call(|en, h, e| unsafe { sys::voxd_layer_rename(en, h, layer, s, n, e) })
    }

    pub fn move_layer(&self, layer: u32, index: usize) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_layer_move(en, h, layer, index, e) })
    }

    pub fn duplicate_layer(&self, layer: u32) -> Result<u32> {
        let mut id = 0u32;
        self.call(|en, h, e| unsafe { sys::voxd_layer_duplicate(en, h, layer, &mut id, e) })?;
        Ok(id)
    }

    pub fn set_layer_visible(&self, layer: u32, visible: bool) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_layer_set_visible(en, h, layer, visible, e) })
    }

    pub fn select_layer(&self, layer: u32) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_layer_select(en, h, layer, e) })
    }

    pub fn merge_layers(&self, upper: u32, lower: u32) -> Result<()> {
        self.call(|en, h, e| unsafe { sys::voxd_layer_merge(en, h, upper, lower, e) })
    }

    /// None when the layer(s) are empty.
    pub fn bounding_box(&self, layer: u32) -> Result<Option<Box3>> {
        let mut bounds = Box3::default();
        let mut found = false;
        self.call(|en, h, e| unsafe { sys::voxd_query_bounding_box(en, h, layer, &mut bounds, &mut found, e) })?;
        Ok(found.then(|| bounds))
    }

    pub fn count(&self, layer: u32) -> Result<i64> {
        let mut n = 0i64;
        self.call(|en, h, e| unsafe { sys::voxd_query_count(en, h, layer, &mut n, e) })?;
        Ok(n)
    }

    pub fn histogram(&self, layer: u32) -> Result<Vec<ColorCount>> {
        read_array(|out, capacity, count| {
            self.call(|en, h, e| unsafe { sys::voxd_query_histogram(en, h, layer, out, capacity, count, e) })
        })
    }

    pub fn unique_colors(&self, layer: u32) -> Result<Vec<Color>> {
        read_array(|out, capacity, count| {
            self.call(|en, h, e| unsafe { sys::voxd_query_unique_colors(en, h, layer, out, capacity, count, e) })
        })
    }

    pub fn find_color(&self, layer: u32, color: Color, tolerance: u8) -> Result<Vec<Vec3>> {
        read_array(|out, capacity, count| {
            self.call(|en, h, e| unsafe { sys::voxd_query_find_color(en, h, layer, color, tolerance, out, capacity, count, e) })
        })
    }

    /// A named view with the default look.
    pub fn render_png(&self, view: View, width: i32, height: i32) -> Result<Vec<u8>> {
        self.render(&RenderOptions { view, width, height, ..RenderOptions::default() })
    }

    /// PNG bytes of the merged visible layers; out-of-range options are INVALID_ARGUMENT naming the field.
    pub fn render(&self, options: &RenderOptions) -> Result<Vec<u8>> {
        let options = options.to_sys();
        let mut out = sys::voxd_bytes { data: ptr::null_mut(), size: 0 };
        self.call(|en, h, e| unsafe { sys::voxd_render_png(en, h, &options, &mut out, e) })?;
        Ok(take_bytes(out))
    }

    pub fn mesh(&self, format: MeshFormat) -> Result<(Vec<u8>, MeshStats)> {
        let mut out = sys::voxd_bytes { data: ptr::null_mut(), size: 0 };
        let mut stats = MeshStats::default();
        self.call(|en, h, e| unsafe { sys::voxd_mesh_export(en, h, format.0, &mut out, &mut stats, e) })?;
        Ok((take_bytes(out), stats))
    }
}
