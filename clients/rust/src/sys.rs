//! The declarations of voxd.h, by hand: `#[repr(C)]` mirrors of its structs and `extern "C"` functions.
//! Everything here is unsafe to call; the rest of the crate is the safe wrapper.
#![allow(non_camel_case_types)]

use std::os::raw::c_char;

pub type voxd_status = i32;
pub type voxd_project = u64;

#[repr(C)]
pub struct voxd_engine {
    _opaque: [u8; 0],
}
#[repr(C)]
pub struct voxd_error {
    _opaque: [u8; 0],
}

pub const VOXD_OK: voxd_status = 0;
pub const VOXD_NUL_TERMINATED: usize = usize::MAX;
pub const VOXD_MAX_NAME_BYTES: usize = 1024;
pub const VOXD_MAX_PATH_BYTES: usize = 4096;
pub const VOXD_MIN_COORD: i32 = -1073741824;
pub const VOXD_MAX_COORD: i32 = 1073741823;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct voxd_vec3 {
    pub x: i32,
    pub y: i32,
    pub z: i32,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct voxd_color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct voxd_voxel {
    pub x: i32,
    pub y: i32,
    pub z: i32,
    pub color: voxd_color,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct voxd_box {
    pub min: voxd_vec3,
    pub max: voxd_vec3,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct voxd_color_count {
    pub color: voxd_color,
    pub count: i64,
}
#[repr(C)]
pub struct voxd_bytes {
    pub data: *mut u8,
    pub size: usize,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct voxd_engine_options {
    pub struct_size: usize,
    pub max_projects: u64,
    pub max_voxels: i64,
    pub max_layers: u64,
    pub max_history_steps: u64,
    pub max_history_bytes: u64,
    pub max_voxels_per_operation: i64,
    pub max_file_bytes: u64,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct voxd_project_info {
    pub struct_size: usize,
    pub voxel_count: i64,
    pub layer_count: u64,
    pub active_layer_id: u32,
    pub has_bounding_box: bool,
    pub bounding_box: voxd_box,
    pub undo_depth: u64,
    pub redo_depth: u64,
    pub memory_bytes: u64,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct voxd_shape {
    pub struct_size: usize,
    pub kind: i32,
    pub mode: i32,
    pub bounds: voxd_box,
    pub color: voxd_color,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct voxd_flood_fill_options {
    pub struct_size: usize,
    pub seed: voxd_vec3,
    pub color: voxd_color,
    pub tolerance: u8,
    pub has_bounds: bool,
    pub bounds: voxd_box,
    pub max_voxels: i64,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct voxd_layer_info {
    pub id: u32,
    pub visible: bool,
    pub mode: i32,
    pub voxel_count: i64,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct voxd_render_options {
    pub struct_size: usize,
    pub view: i32,
    pub width: i32,
    pub height: i32,
    pub yaw: f64,
    pub pitch: f64,
    pub distance: f64,
    pub background: u32,
    pub disable_ambient_occlusion: i32,
    pub disable_shadows: i32,
    pub edges: i32,
    pub perspective: i32,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct voxd_mesh_stats {
    pub quads: i64,
    pub triangles: i64,
    pub unmerged_quads: i64,
}

type E = *mut voxd_engine;
type Err = *mut *mut voxd_error;

#[link(name = "voxd")]
extern "C" {
    pub fn voxd_version() -> u32;
    pub fn voxd_version_string() -> *const c_char;
    pub fn voxd_status_name(status: voxd_status) -> *const c_char;
    pub fn voxd_error_code(error: *const voxd_error) -> voxd_status;
    pub fn voxd_error_message(error: *const voxd_error) -> *const c_char;
    pub fn voxd_error_free(error: Err);
    pub fn voxd_bytes_free(bytes: *mut voxd_bytes);

    pub fn voxd_engine_options_init(options: *mut voxd_engine_options, error: Err) -> voxd_status;
    pub fn voxd_engine_create(options: *const voxd_engine_options, out: *mut E, error: Err) -> voxd_status;
    pub fn voxd_engine_destroy(engine: *mut E);
    pub fn voxd_engine_project_count(engine: E, out_count: *mut usize, error: Err) -> voxd_status;
    pub fn voxd_engine_list_projects(engine: E, out: *mut u64, capacity: usize, out_count: *mut usize, error: Err)
        -> voxd_status;

    pub fn voxd_project_create(engine: E, name: *const c_char, name_len: usize, out: *mut voxd_project, error: Err)
        -> voxd_status;
    pub fn voxd_project_close(engine: E, project: voxd_project, error: Err) -> voxd_status;
    pub fn voxd_project_open_file(engine: E, path: *const c_char, path_len: usize, out: *mut voxd_project,
                                  error: Err) -> voxd_status;
    pub fn voxd_project_open_bytes(engine: E, data: *const u8, size: usize, name: *const c_char, name_len: usize,
                                   out: *mut voxd_project, error: Err) -> voxd_status;
    pub fn voxd_project_copy(engine: E, project: voxd_project, name: *const c_char, name_len: usize,
                             out: *mut voxd_project, error: Err) -> voxd_status;
    pub fn voxd_project_save(engine: E, project: voxd_project, path: *const c_char, path_len: usize, error: Err)
        -> voxd_status;
    pub fn voxd_project_export(engine: E, project: voxd_project, format: *const c_char, format_len: usize,
                               out: *mut voxd_bytes, error: Err) -> voxd_status;
    pub fn voxd_project_export_to_buffer(engine: E, project: voxd_project, format: *const c_char, format_len: usize,
                                         buffer: *mut u8, capacity: usize, out_size: *mut usize, error: Err)
        -> voxd_status;
    pub fn voxd_project_get_info(engine: E, project: voxd_project, out: *mut voxd_project_info, error: Err)
        -> voxd_status;
    pub fn voxd_project_get_name(engine: E, project: voxd_project, out: *mut c_char, capacity: usize,
                                 out_len: *mut usize, error: Err) -> voxd_status;
    pub fn voxd_project_undo(engine: E, project: voxd_project, error: Err) -> voxd_status;
    pub fn voxd_project_redo(engine: E, project: voxd_project, error: Err) -> voxd_status;

    pub fn voxd_voxels_set(engine: E, project: voxd_project, layer_id: u32, voxels: *const voxd_voxel, count: usize,
                           error: Err) -> voxd_status;
    pub fn voxd_voxels_remove(engine: E, project: voxd_project, layer_id: u32, positions: *const voxd_vec3,
                              count: usize, error: Err) -> voxd_status;
    pub fn voxd_voxels_get(engine: E, project: voxd_project, layer_id: u32, positions: *const voxd_vec3,
                           count: usize, out_colors: *mut voxd_color, error: Err) -> voxd_status;
    pub fn voxd_voxels_read_box(engine: E, project: voxd_project, layer_id: u32, bounds: *const voxd_box,
                                out: *mut voxd_voxel, capacity: usize, out_count: *mut usize, error: Err)
        -> voxd_status;
    pub fn voxd_layer_clear(engine: E, project: voxd_project, layer_id: u32, error: Err) -> voxd_status;

    pub fn voxd_shape_apply(engine: E, project: voxd_project, layer_id: u32, shape: *const voxd_shape,
                            out_changed: *mut i64, error: Err) -> voxd_status;
    pub fn voxd_line_draw(engine: E, project: voxd_project, layer_id: u32, from: voxd_vec3, to: voxd_vec3,
                          color: voxd_color, mode: i32, out_changed: *mut i64, error: Err) -> voxd_status;
    pub fn voxd_flood_fill(engine: E, project: voxd_project, layer_id: u32, options: *const voxd_flood_fill_options,
                           out_filled: *mut i64, error: Err) -> voxd_status;
    pub fn voxd_region_move(engine: E, project: voxd_project, layer_id: u32, source: *const voxd_box,
                            offset: voxd_vec3, keep_source: bool, out_moved: *mut i64, error: Err) -> voxd_status;

    pub fn voxd_layer_list(engine: E, project: voxd_project, out: *mut voxd_layer_info, capacity: usize,
                           out_count: *mut usize, error: Err) -> voxd_status;
    pub fn voxd_layer_get_name(engine: E, project: voxd_project, layer_id: u32, out: *mut c_char, capacity: usize,
                               out_len: *mut usize, error: Err) -> voxd_status;
    pub fn voxd_layer_add(engine: E, project: voxd_project, name: *const c_char, name_len: usize, out_id: *mut u32,
                          error: Err) -> voxd_status;
    pub fn voxd_layer_remove(engine: E, project: voxd_project, layer_id: u32, error: Err) -> voxd_status;
    pub fn voxd_layer_rename(engine: E, project: voxd_project, layer_id: u32, name: *const c_char, name_len: usize,
                             error: Err) -> voxd_status;
    pub fn voxd_layer_move(engine: E, project: voxd_project, layer_id: u32, new_index: usize, error: Err)
        -> voxd_status;
    pub fn voxd_layer_duplicate(engine: E, project: voxd_project, layer_id: u32, out_id: *mut u32, error: Err)
        -> voxd_status;
    pub fn voxd_layer_set_visible(engine: E, project: voxd_project, layer_id: u32, visible: bool, error: Err)
        -> voxd_status;
    pub fn voxd_layer_select(engine: E, project: voxd_project, layer_id: u32, error: Err) -> voxd_status;
    pub fn voxd_layer_merge(engine: E, project: voxd_project, upper_id: u32, lower_id: u32, error: Err)
        -> voxd_status;

    pub fn voxd_query_bounding_box(engine: E, project: voxd_project, layer_id: u32, out_box: *mut voxd_box,
                                   out_found: *mut bool, error: Err) -> voxd_status;
    pub fn voxd_query_count(engine: E, project: voxd_project, layer_id: u32, out_count: *mut i64, error: Err)
        -> voxd_status;
    pub fn voxd_query_histogram(engine: E, project: voxd_project, layer_id: u32, out: *mut voxd_color_count,
                                capacity: usize, out_count: *mut usize, error: Err) -> voxd_status;
    pub fn voxd_query_unique_colors(engine: E, project: voxd_project, layer_id: u32, out: *mut voxd_color,
                                    capacity: usize, out_count: *mut usize, error: Err) -> voxd_status;
    pub fn voxd_query_find_color(engine: E, project: voxd_project, layer_id: u32, color: voxd_color, tolerance: u8,
                                 out: *mut voxd_vec3, capacity: usize, out_count: *mut usize, error: Err)
        -> voxd_status;

    pub fn voxd_render_options_init(options: *mut voxd_render_options, error: Err) -> voxd_status;
    pub fn voxd_render_png(engine: E, project: voxd_project, options: *const voxd_render_options,
                           out: *mut voxd_bytes, error: Err) -> voxd_status;
    pub fn voxd_mesh_export(engine: E, project: voxd_project, format: i32, out: *mut voxd_bytes,
                            out_stats: *mut voxd_mesh_stats, error: Err) -> voxd_status;
}
