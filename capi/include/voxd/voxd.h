/*
 * voxd.h — the stable C ABI of voxd (libvoxd.so): a voxel-editing engine you use in-process.
 *
 * Valid C11 and C++. Every symbol starts with voxd_ / VOXD_. docs/capi.md is the guide; this header is the
 * reference. The rules below hold for every function and are not repeated at each one.
 *
 * ERRORS
 *   Every function that can fail returns a voxd_status: VOXD_OK (0) or one of VOXD_ERROR_*. Its last parameter,
 *   `voxd_error** error`, may be NULL. When it is not NULL and the call fails, *error receives a new error
 *   object (code + readable message) that the caller frees with voxd_error_free(). On success *error is not
 *   touched. (If even the error object cannot be allocated, *error is set to NULL; the status still tells.)
 *   No exception, abort or assert crosses this ABI: NULL pointers, stale handles, huge counts, over-long or
 *   unterminated strings, unknown enum values and double destroys are refused with a status.
 *
 * OWNERSHIP
 *   - voxd_engine*: created by voxd_engine_create(), freed by voxd_engine_destroy(&engine), which sets the
 *     caller's pointer to NULL (so a second destroy is a no-op).
 *   - voxd_project: a 64-bit generational handle, not a pointer; nothing to free. voxd_project_close() makes
 *     it (and every copy of it) stale at once: later use returns VOXD_ERROR_STALE_HANDLE, never a crash.
 *     An engine frees every project still open when it is destroyed.
 *   - voxd_error*: freed by voxd_error_free(&error).
 *   - voxd_bytes: data allocated by the library, freed by voxd_bytes_free(&bytes).
 *   - Every pointer argument is borrowed for the duration of the call only; the library keeps none.
 *   - Arrays out (colours, voxels, layers, ...) go into caller buffers: `out` + `capacity` in elements, and
 *     `*out_count` receives the full number of results. At most `capacity` are written; pass out = NULL,
 *     capacity = 0 to ask for the count. When *out_count > capacity the result was truncated.
 *   - Strings out go into caller buffers like snprintf: at most capacity - 1 bytes plus a NUL are written
 *     (nothing when capacity is 0) and *out_len receives the full length without the NUL.
 *
 * STRINGS IN
 *   A string argument is a pointer plus a length in bytes (UTF-8, no embedded NUL). Pass VOXD_NUL_TERMINATED as
 *   the length for a NUL-terminated string; it is then read for at most VOXD_MAX_NAME_BYTES / VOXD_MAX_PATH_BYTES
 *   bytes, and a string without a NUL within that bound is refused (VOXD_ERROR_INVALID_ARGUMENT).
 *
 * THREAD SAFETY
 *   An engine may be used from many threads at once: every function taking a voxd_engine* is thread-safe,
 *   except voxd_engine_destroy(), which must not overlap any other call on that engine. Calls on one project are
 *   applied one at a time, in the order they take the project's lock; calls on different projects run in
 *   parallel. Exports and renders work on a snapshot and do not hold the project while encoding.
 *   Functions without an engine (version, status names, error accessors, voxd_bytes_free) are thread-safe;
 *   one voxd_error or voxd_bytes object must not be freed by one thread while another reads it.
 *
 * PATHS
 *   voxd_project_open_file() and voxd_project_save() take any path the calling process may open: this ABI runs
 *   in-process with the caller's rights, so unlike the daemon it does not restrict paths to a root directory.
 *
 * LAYERS
 *   Layer ids are unique within a project and never reused. Layer id 0 (VOXD_LAYER_ACTIVE) means the active
 *   layer for edits and VOXD_LAYER_VISIBLE, the same value, means "all visible layers merged" for reads.
 *
 * HISTORY
 *   Every successful editing call is one undo step; a failed one changes nothing.
 *
 * VERSIONING
 *   VOXD_VERSION_* is the version of this header; voxd_version() that of the loaded library. Within one major
 *   version the ABI only grows: functions, enum values and fields at the end of structs that start with
 *   struct_size are added, nothing is removed or changed. The library's SONAME is libvoxd.so.<major>.
 */
#ifndef VOXD_VOXD_H
#define VOXD_VOXD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#if defined(VOXD_BUILDING_LIBRARY)
#define VOXD_API __declspec(dllexport)
#else
#define VOXD_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define VOXD_API __attribute__((visibility("default")))
#else
#define VOXD_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================== version ======================================== */

#define VOXD_VERSION_MAJOR 0
#define VOXD_VERSION_MINOR 1
#define VOXD_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, comparable with voxd_version(). */
#define VOXD_VERSION_NUMBER (VOXD_VERSION_MAJOR * 10000 + VOXD_VERSION_MINOR * 100 + VOXD_VERSION_PATCH)

/* The version of the loaded library, as VOXD_VERSION_NUMBER. */
VOXD_API uint32_t voxd_version(void);
/* "MAJOR.MINOR.PATCH" of the loaded library; a static string, never freed. */
VOXD_API const char* voxd_version_string(void);

/* ======================================== errors ======================================== */

/* Status codes. Values are stable and only appended; they mirror voxd::core::ErrorCode and the wire protocol. */
typedef int32_t voxd_status;
enum voxd_status_code {
  VOXD_OK = 0,
  VOXD_ERROR_INVALID_ARGUMENT = 1,  /* a value passed is out of range, malformed or NULL */
  VOXD_ERROR_NOT_FOUND = 2,         /* a named thing (layer, file, colour) does not exist */
  VOXD_ERROR_STALE_HANDLE = 3,      /* the project was closed (or never existed) */
  VOXD_ERROR_LIMIT_EXCEEDED = 4,    /* a configured limit (or memory) would be exceeded; nothing changed */
  VOXD_ERROR_IO = 5,                /* the operating system refused a read or write */
  VOXD_ERROR_FORMAT = 6,            /* a file or buffer is not valid in its format */
  VOXD_ERROR_UNSUPPORTED = 7,       /* valid, but not something voxd can do */
  VOXD_ERROR_PERMISSION_DENIED = 8, /* a path escapes a configured root (daemon only) */
  VOXD_ERROR_PROTOCOL = 9,          /* a wire message failed verification (daemon only) */
  VOXD_ERROR_INTERNAL = 10,         /* a bug in voxd; the message says where */
  VOXD_ERROR_NOTHING_TO_DO = 11,    /* undo/redo with an empty history */
  VOXD_ERROR_BUSY = 12              /* shutting down or overloaded */
};

/* The stable lowercase name of a status, e.g. "stale handle"; "unknown error" for values this library does not
 * know.
 * A static string, never freed. */
VOXD_API const char* voxd_status_name(voxd_status status);

/* Details of a failure: opaque, created by the library, freed by voxd_error_free(). */
typedef struct voxd_error voxd_error;

/* The status the failure returned; VOXD_ERROR_INVALID_ARGUMENT for a NULL error. */
VOXD_API voxd_status voxd_error_code(const voxd_error* error);
/* The readable message (UTF-8, NUL-terminated), valid until the error is freed; "" for a NULL error. */
VOXD_API const char* voxd_error_message(const voxd_error* error);
/* Frees *error and sets *error to NULL. NULL or a pointer to NULL is a no-op. */
VOXD_API void voxd_error_free(voxd_error** error);

/* ======================================== value types ======================================== */

/* Length value meaning "the string is NUL-terminated" (read up to the bound for its kind). */
#define VOXD_NUL_TERMINATED SIZE_MAX
/* Longest project or layer name, in bytes. */
#define VOXD_MAX_NAME_BYTES 1024
/* Longest path, in bytes. */
#define VOXD_MAX_PATH_BYTES 4096

/* Every coordinate lies in [VOXD_MIN_COORD, VOXD_MAX_COORD]; others are refused. */
#define VOXD_MIN_COORD (-1073741824)
#define VOXD_MAX_COORD 1073741823

#define VOXD_LAYER_ACTIVE 0u  /* edits: the active layer */
#define VOXD_LAYER_VISIBLE 0u /* reads: all visible layers, merged bottom to top */

typedef struct voxd_vec3 {
  int32_t x;
  int32_t y;
  int32_t z;
} voxd_vec3;

/* RGBA8, sRGB. Alpha 0 is empty; alpha >= 127 counts as solid for meshes and renders. */
typedef struct voxd_color {
  uint8_t r;
  uint8_t g;
  uint8_t b;
  uint8_t a;
} voxd_color;

/* One voxel: 16 bytes, the bulk format of set/get/read calls. */
typedef struct voxd_voxel {
  int32_t x;
  int32_t y;
  int32_t z;
  voxd_color color;
} voxd_voxel;

/* An axis-aligned box of voxels; both corners are inclusive and min <= max on every axis. */
typedef struct voxd_box {
  voxd_vec3 min;
  voxd_vec3 max;
} voxd_box;

typedef struct voxd_color_count {
  voxd_color color;
  int64_t count;
} voxd_color_count;

/* How a shape's colour combines with the voxels there (Goxel's numbering). Mirrors voxd::core::BlendMode. */
typedef int32_t voxd_blend_mode;
enum voxd_blend_mode_value {
  VOXD_BLEND_OVER = 1,           /* "add": the colour is put over what is there */
  VOXD_BLEND_SUBTRACT = 2,       /* removes voxels */
  VOXD_BLEND_SUBTRACT_CLAMP = 3, /* lowers alpha down to the shape's inverse alpha */
  VOXD_BLEND_PAINT = 4,          /* recolours existing voxels only */
  VOXD_BLEND_MAX = 5,            /* per channel maximum */
  VOXD_BLEND_INTERSECT = 6,      /* keeps only voxels inside the shape */
  VOXD_BLEND_INTERSECT_FILL = 7, /* like intersect, recoloured with the shape's colour */
  VOXD_BLEND_MULT_ALPHA = 8,     /* multiplies existing colours by the shape's alpha */
  VOXD_BLEND_REPLACE = 9         /* writes the shape's colour, empty included */
};

/* Mirrors voxd::core::ShapeKind. */
typedef int32_t voxd_shape_kind;
enum voxd_shape_kind_value {
  VOXD_SHAPE_BOX = 0,
  VOXD_SHAPE_SPHERE = 1,  /* the ellipsoid inscribed in the bounds */
  VOXD_SHAPE_CYLINDER = 2 /* along z, inscribed in the bounds */
};

/* Mirrors voxd::core::formats::View. */
typedef int32_t voxd_view;
enum voxd_view_value {
  VOXD_VIEW_ISO = 0,
  VOXD_VIEW_FRONT = 1,
  VOXD_VIEW_BACK = 2,
  VOXD_VIEW_LEFT = 3,
  VOXD_VIEW_RIGHT = 4,
  VOXD_VIEW_TOP = 5,
  VOXD_VIEW_BOTTOM = 6,
  VOXD_VIEW_FREE = 7 /* the yaw, pitch, distance and perspective of voxd_render_options */
};

/* Mirrors voxd::core::formats::MeshFormat. */
typedef int32_t voxd_mesh_format;
enum voxd_mesh_format_value { VOXD_MESH_OBJ = 0, VOXD_MESH_PLY = 1, VOXD_MESH_STL = 2 };

/* ======================================== bytes ======================================== */

/* Bytes the library allocated (an exported file, a PNG). Free with voxd_bytes_free(). */
typedef struct voxd_bytes {
  uint8_t* data;
  size_t size;
} voxd_bytes;

/* Frees bytes->data and sets both fields to 0. NULL or already-freed bytes are a no-op. */
VOXD_API void voxd_bytes_free(voxd_bytes* bytes);

/* ======================================== engine ======================================== */

/* An engine: the registry of live projects, with its limits. Opaque; freed by voxd_engine_destroy(). */
typedef struct voxd_engine voxd_engine;

/* Limits of an engine. Set struct_size = sizeof(voxd_engine_options) (voxd_engine_options_init does), so a
 * newer library knows which fields an older caller filled; fields past struct_size keep their defaults.
 * Zero in a field means "the default". */
typedef struct voxd_engine_options {
  size_t struct_size;
  uint64_t max_projects;              /* open projects at once (default 1024) */
  int64_t max_voxels;                 /* non-empty voxels per project (default 256 Mi) */
  uint64_t max_layers;                /* layers per project (default 256) */
  uint64_t max_history_steps;         /* undo steps kept per project (default 256) */
  uint64_t max_history_bytes;         /* memory the undo history of a project may keep (default 512 MiB) */
  int64_t max_voxels_per_operation;   /* voxels one call may pass, visit or return (default 64 Mi) */
  uint64_t max_file_bytes;            /* largest file or buffer opened (default 1 GiB) */
} voxd_engine_options;

/* Fills *options with the defaults and its struct_size. */
VOXD_API voxd_status voxd_engine_options_init(voxd_engine_options* options, voxd_error** error);

/* Creates an engine. options may be NULL (defaults). *out receives the engine. */
VOXD_API voxd_status voxd_engine_create(const voxd_engine_options* options, voxd_engine** out, voxd_error** error);
/* Closes every project and frees the engine; sets *engine to NULL. NULL or a pointer to NULL is a no-op.
 * Not thread-safe: no other call may use the engine meanwhile. */
VOXD_API void voxd_engine_destroy(voxd_engine** engine);
/* The number of open projects. */
VOXD_API voxd_status voxd_engine_project_count(voxd_engine* engine, size_t* out_count, voxd_error** error);
/* The handles of the open projects (array out: see OWNERSHIP). */
VOXD_API voxd_status voxd_engine_list_projects(voxd_engine* engine, uint64_t* out, size_t capacity,
                                               size_t* out_count, voxd_error** error);

/* ======================================== projects ======================================== */

/* A project handle: slot and generation in 64 bits. 0 is never a valid handle. */
typedef uint64_t voxd_project;

/* A new project with one empty layer named "background". */
VOXD_API voxd_status voxd_project_create(voxd_engine* engine, const char* name, size_t name_len, voxd_project* out,
                                         voxd_error** error);
/* Closes the project: its handle becomes stale at once. A call that holds it meanwhile finishes first. */
VOXD_API voxd_status voxd_project_close(voxd_engine* engine, voxd_project project, voxd_error** error);
/* Opens a file (.gox, .vox, .qb, .txt; format from the content, else from the extension) as a new project named
 * after the file. See PATHS. */
VOXD_API voxd_status voxd_project_open_file(voxd_engine* engine, const char* path, size_t path_len, voxd_project* out,
                                            voxd_error** error);
/* Opens a file held in memory. The format comes from the content, else from the extension of name (which also
 * names the project; e.g. "model.txt"). */
VOXD_API voxd_status voxd_project_open_bytes(voxd_engine* engine, const uint8_t* data, size_t size, const char* name,
                                             size_t name_len, voxd_project* out, voxd_error** error);
/* A new project holding a copy of the project's current state (no history). */
VOXD_API voxd_status voxd_project_copy(voxd_engine* engine, voxd_project project, const char* name, size_t name_len,
                                       voxd_project* out, voxd_error** error);
/* Writes the project to a file whose format is its extension: .gox .vox .qb .txt, meshes .obj .ply .stl, glTF .gltf
 * .glb, and .png (an iso render). The file is written whole or not at all (through a temporary file then renamed). */
VOXD_API voxd_status voxd_project_save(voxd_engine* engine, voxd_project project, const char* path, size_t path_len,
                                       voxd_error** error);
/* The same file in memory: format is an extension with or without the dot ("gox", ".vox", "obj", "png").
 * out receives library-owned bytes. */
VOXD_API voxd_status voxd_project_export(voxd_engine* engine, voxd_project project, const char* format,
                                         size_t format_len, voxd_bytes* out, voxd_error** error);
/* The same into a caller buffer. buffer = NULL (capacity 0) asks for the size. *out_size receives the size of the
 * file; when capacity is smaller, nothing is written and VOXD_ERROR_LIMIT_EXCEEDED is returned. The size can
 * change between two calls if another thread edits the project. */
VOXD_API voxd_status voxd_project_export_to_buffer(voxd_engine* engine, voxd_project project, const char* format,
                                                   size_t format_len, uint8_t* buffer, size_t capacity,
                                                   size_t* out_size, voxd_error** error);

/* What a project holds. Set struct_size = sizeof(voxd_project_info); fields past it are not written. */
typedef struct voxd_project_info {
  size_t struct_size;
  int64_t voxel_count;      /* non-empty voxels over all layers */
  uint64_t layer_count;
  uint32_t active_layer_id; /* where edits with VOXD_LAYER_ACTIVE go */
  bool has_bounding_box;    /* false when the merged visible layers are empty */
  voxd_box bounding_box;    /* of the merged visible layers */
  uint64_t undo_depth;
  uint64_t redo_depth;
  uint64_t memory_bytes;    /* voxel data and history */
} voxd_project_info;

VOXD_API voxd_status voxd_project_get_info(voxd_engine* engine, voxd_project project, voxd_project_info* out,
                                           voxd_error** error);
/* The project's name (string out: see OWNERSHIP). */
VOXD_API voxd_status voxd_project_get_name(voxd_engine* engine, voxd_project project, char* out, size_t capacity,
                                           size_t* out_len, voxd_error** error);

/* ======================================== history ======================================== */

/* VOXD_ERROR_NOTHING_TO_DO when there is no step to undo / redo. */
VOXD_API voxd_status voxd_project_undo(voxd_engine* engine, voxd_project project, voxd_error** error);
VOXD_API voxd_status voxd_project_redo(voxd_engine* engine, voxd_project project, voxd_error** error);

/* ======================================== voxels ======================================== */

/* Sets count voxels on a layer (alpha 0 removes). At most max_voxels_per_operation per call; all or nothing. */
VOXD_API voxd_status voxd_voxels_set(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                     const voxd_voxel* voxels, size_t count, voxd_error** error);
VOXD_API voxd_status voxd_voxels_remove(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                        const voxd_vec3* positions, size_t count, voxd_error** error);
/* Writes the colour at each of count positions into out_colors[0..count) ({0,0,0,0} where empty). */
VOXD_API voxd_status voxd_voxels_get(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                     const voxd_vec3* positions, size_t count, voxd_color* out_colors,
                                     voxd_error** error);
/* The non-empty voxels inside box (array out: see OWNERSHIP), in block order. VOXD_ERROR_LIMIT_EXCEEDED when
 * more than max_voxels_per_operation are inside. */
VOXD_API voxd_status voxd_voxels_read_box(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                          const voxd_box* box, voxd_voxel* out, size_t capacity, size_t* out_count,
                                          voxd_error** error);
/* Removes every voxel of a layer. */
VOXD_API voxd_status voxd_layer_clear(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                      voxd_error** error);

/* ======================================== shapes ======================================== */

/* A shape to apply. Set struct_size = sizeof(voxd_shape). */
typedef struct voxd_shape {
  size_t struct_size;
  voxd_shape_kind kind;
  voxd_blend_mode mode;
  voxd_box bounds; /* the shape is inscribed in this box */
  voxd_color color;
} voxd_shape;

/* Applies a shape; *out_changed (may be NULL) receives the number of voxels whose value changed. */
VOXD_API voxd_status voxd_shape_apply(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                      const voxd_shape* shape, int64_t* out_changed, voxd_error** error);
/* Draws a one-voxel-wide line from `from` to `to`, both included. */
VOXD_API voxd_status voxd_line_draw(voxd_engine* engine, voxd_project project, uint32_t layer_id, voxd_vec3 from,
                                    voxd_vec3 to, voxd_color color, voxd_blend_mode mode, int64_t* out_changed,
                                    voxd_error** error);

/* A flood fill. Set struct_size = sizeof(voxd_flood_fill_options). */
typedef struct voxd_flood_fill_options {
  size_t struct_size;
  voxd_vec3 seed;
  voxd_color color;     /* the colour the region gets */
  uint8_t tolerance;    /* per RGBA channel, against the seed's colour */
  bool has_bounds;      /* false: the layer's bounding box grown by one */
  voxd_box bounds;      /* the fill never leaves this box */
  int64_t max_voxels;   /* at most this many; 0 (or more than max_voxels_per_operation): that limit */
} voxd_flood_fill_options;

/* 6-connected fill from the seed over voxels like the seed's (an empty seed fills empty space within the
 * bounds). *out_filled (may be NULL) receives the number of voxels filled. */
VOXD_API voxd_status voxd_flood_fill(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                     const voxd_flood_fill_options* options, int64_t* out_filled, voxd_error** error);
/* Moves (keep_source false) or copies the voxels inside source by offset; overlapping works. */
VOXD_API voxd_status voxd_region_move(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                      const voxd_box* source, voxd_vec3 offset, bool keep_source,
                                      int64_t* out_moved, voxd_error** error);

/* ======================================== layers ======================================== */

/* One entry of voxd_layer_list. Frozen: new layer facts come through new functions. */
typedef struct voxd_layer_info {
  uint32_t id;
  bool visible;
  voxd_blend_mode mode;
  int64_t voxel_count;
} voxd_layer_info;

/* The layers bottom to top (array out: see OWNERSHIP). */
VOXD_API voxd_status voxd_layer_list(voxd_engine* engine, voxd_project project, voxd_layer_info* out,
                                     size_t capacity, size_t* out_count, voxd_error** error);
/* A layer's name (string out: see OWNERSHIP). layer_id names one layer here: 0 is VOXD_ERROR_NOT_FOUND. */
VOXD_API voxd_status voxd_layer_get_name(voxd_engine* engine, voxd_project project, uint32_t layer_id, char* out,
                                         size_t capacity, size_t* out_len, voxd_error** error);
/* Adds an empty layer on top and makes it active; *out_id (may be NULL) receives its id. */
VOXD_API voxd_status voxd_layer_add(voxd_engine* engine, voxd_project project, const char* name, size_t name_len,
                                    uint32_t* out_id, voxd_error** error);
/* Removes a layer; the last one cannot be removed (VOXD_ERROR_INVALID_ARGUMENT). */
VOXD_API voxd_status voxd_layer_remove(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                       voxd_error** error);
VOXD_API voxd_status voxd_layer_rename(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                       const char* name, size_t name_len, voxd_error** error);
/* Moves a layer to position new_index (0 = bottom). */
VOXD_API voxd_status voxd_layer_move(voxd_engine* engine, voxd_project project, uint32_t layer_id, size_t new_index,
                                     voxd_error** error);
VOXD_API voxd_status voxd_layer_duplicate(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                          uint32_t* out_id, voxd_error** error);
VOXD_API voxd_status voxd_layer_set_visible(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                            bool visible, voxd_error** error);
/* Makes a layer the active one. */
VOXD_API voxd_status voxd_layer_select(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                       voxd_error** error);
/* Merges upper into lower (upper's voxels over lower's, by upper's blend mode); upper is removed. */
VOXD_API voxd_status voxd_layer_merge(voxd_engine* engine, voxd_project project, uint32_t upper_id,
                                      uint32_t lower_id, voxd_error** error);

/* ======================================== queries ======================================== */

/* *out_found is false (and *out_box untouched) when the layer(s) are empty. */
VOXD_API voxd_status voxd_query_bounding_box(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                             voxd_box* out_box, bool* out_found, voxd_error** error);
VOXD_API voxd_status voxd_query_count(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                      int64_t* out_count, voxd_error** error);
/* Colours with their counts, most frequent first (array out: see OWNERSHIP). */
VOXD_API voxd_status voxd_query_histogram(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                          voxd_color_count* out, size_t capacity, size_t* out_count,
                                          voxd_error** error);
/* The distinct colours (array out: see OWNERSHIP). */
VOXD_API voxd_status voxd_query_unique_colors(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                              voxd_color* out, size_t capacity, size_t* out_count,
                                              voxd_error** error);
/* Positions of voxels within tolerance per channel of color (array out: see OWNERSHIP). */
VOXD_API voxd_status voxd_query_find_color(voxd_engine* engine, voxd_project project, uint32_t layer_id,
                                           voxd_color color, uint8_t tolerance, voxd_vec3* out, size_t capacity,
                                           size_t* out_count, voxd_error** error);

/* ======================================== render and meshes ======================================== */

/* Set struct_size = sizeof(voxd_render_options) (voxd_render_options_init does). Fields past the caller's
 * struct_size keep their defaults, so a caller built against an older voxd.h (struct_size 24, up to height) gets
 * the default look. As for the engine options, a zero-filled struct is the defaults: ambient occlusion and shadows
 * on (hence the disable_ fields), edges off, transparent background, orthographic. docs/formats-mesh-render.md
 * says what each option does. */
typedef struct voxd_render_options {
  size_t struct_size;
  voxd_view view;
  int32_t width;  /* 1..4096 */
  int32_t height; /* 1..4096 */
  /* Appended after 0.1.0; the first is 8-byte aligned, so an old struct's tail padding lands in no new field.
   * The free camera, used with VOXD_VIEW_FREE, looks at the centre of the model's bounding box. */
  double yaw;                        /* degrees, -360..360; 0 = the front view, 90 = the right view */
  double pitch;                      /* degrees, -90..90; 0 = level, 90 = the top view */
  double distance;                   /* voxels from the centre, 1..1000000; 0 fits the model to the frame */
  uint32_t background;               /* 0xRRGGBBAA of the empty pixels; 0 = transparent */
  int32_t disable_ambient_occlusion; /* non-zero: no ambient occlusion (creases and corners do not darken) */
  int32_t disable_shadows;           /* non-zero: no shadows of the directional light */
  int32_t edges;                     /* non-zero: voxel face edges darken */
  int32_t perspective;               /* non-zero: a perspective free camera, else orthographic */
} voxd_render_options;

/* Fills *options with the defaults (iso, 512x512, the free camera at the iso view's yaw 45 and pitch 35.26)
 * and its struct_size. */
VOXD_API voxd_status voxd_render_options_init(voxd_render_options* options, voxd_error** error);

/* A CPU render of the merged visible layers as PNG bytes (library-owned). options may be NULL: the defaults.
 * Out-of-range options are VOXD_ERROR_INVALID_ARGUMENT with a message naming the field. */
VOXD_API voxd_status voxd_render_png(voxd_engine* engine, voxd_project project, const voxd_render_options* options,
                                     voxd_bytes* out, voxd_error** error);

/* A contact sheet (added after 0.1.0): `count` (1..16) renders of the model, each with its own options (a NULL
 * entry: the defaults), on one PNG grid, row by row, left to right, as square as it gets and wider than tall;
 * every cell is as large as the largest view, which is centred in it, with 4 transparent pixels between cells.
 * A sheet over 4096 x 4096 pixels is VOXD_ERROR_LIMIT_EXCEEDED; everything is checked before any render. */
VOXD_API voxd_status voxd_render_sheet_png(voxd_engine* engine, voxd_project project,
                                           const voxd_render_options* const* shots, size_t count, voxd_bytes* out,
                                           voxd_error** error);

typedef struct voxd_mesh_stats {
  int64_t quads;          /* after merging coplanar faces */
  int64_t triangles;      /* what .stl writes: 2 per quad, more where T-junction vertices were added */
  int64_t unmerged_quads; /* one per exposed voxel face */
} voxd_mesh_stats;

/* A mesh of the merged visible layers (library-owned bytes); out_stats may be NULL. */
VOXD_API voxd_status voxd_mesh_export(voxd_engine* engine, voxd_project project, voxd_mesh_format format,
                                      voxd_bytes* out, voxd_mesh_stats* out_stats, voxd_error** error);

#ifdef __cplusplus
}
#endif

#endif /* VOXD_VOXD_H */
