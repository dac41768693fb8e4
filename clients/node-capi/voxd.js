// libvoxd (voxd's C ABI, voxd.h) in-process from Node.js through koffi. An Engine owns its voxd_engine*, a
// Project its handle; close() frees them, and a FinalizationRegistry frees what is garbage-collected unclosed.
// Failures throw VoxdError (code, status name, message). The library: $VOXD_LIBRARY, else libvoxd.so.0.
"use strict";
const koffi = require("koffi");

const lib = koffi.load(process.env.VOXD_LIBRARY || "libvoxd.so.0");

koffi.opaque("voxd_engine");
koffi.opaque("voxd_error");
const Vec3 = koffi.struct("voxd_vec3", { x: "int32", y: "int32", z: "int32" });
const Color = koffi.struct("voxd_color", { r: "uint8", g: "uint8", b: "uint8", a: "uint8" });
const Voxel = koffi.struct("voxd_voxel", { x: "int32", y: "int32", z: "int32", color: "voxd_color" });
koffi.struct("voxd_box", { min: "voxd_vec3", max: "voxd_vec3" });
koffi.struct("voxd_bytes", { data: "void *", size: "size_t" });
koffi.struct("voxd_engine_options", {
  struct_size: "size_t", max_projects: "uint64", max_voxels: "int64", max_layers: "uint64",
  max_history_steps: "uint64", max_history_bytes: "uint64", max_voxels_per_operation: "int64",
  max_file_bytes: "uint64",
});
koffi.struct("voxd_shape", { struct_size: "size_t", kind: "int32", mode: "int32", bounds: "voxd_box", color: "voxd_color" });
koffi.struct("voxd_render_options", {
  struct_size: "size_t", view: "int32", width: "int32", height: "int32", yaw: "double", pitch: "double",
  distance: "double", background: "uint32", disable_ambient_occlusion: "int32", disable_shadows: "int32",
  edges: "int32", perspective: "int32",
});

const E = "voxd_engine *", ERR = "_Out_ voxd_error **error";
const C = {
  status_name: lib.func("const char *voxd_status_name(int32 status)"),
  error_message: lib.func("const char *voxd_error_message(const voxd_error *error)"),
  error_free: lib.func("void voxd_error_free(_Inout_ voxd_error **error)"),
  bytes_free: lib.func("void voxd_bytes_free(_Inout_ voxd_bytes *bytes)"),
  version_string: lib.func("const char *voxd_version_string()"),
  options_init: lib.func(`int32 voxd_engine_options_init(_Out_ voxd_engine_options *options, ${ERR})`),
  engine_create: lib.func(`int32 voxd_engine_create(const voxd_engine_options *options, _Out_ voxd_engine **out, ${ERR})`),
  engine_destroy: lib.func("void voxd_engine_destroy(_Inout_ voxd_engine **engine)"),
  project_count: lib.func(`int32 voxd_engine_project_count(${E} engine, _Out_ size_t *count, ${ERR})`),
  list_projects: lib.func(`int32 voxd_engine_list_projects(${E} engine, _Out_ uint64 *out, size_t capacity, _Out_ size_t *count, ${ERR})`),
  project_create: lib.func(`int32 voxd_project_create(${E} engine, const char *name, size_t len, _Out_ uint64 *out, ${ERR})`),
  project_close: lib.func(`int32 voxd_project_close(${E} engine, uint64 project, ${ERR})`),
  project_copy: lib.func(`int32 voxd_project_copy(${E} engine, uint64 project, const char *name, size_t len, _Out_ uint64 *out, ${ERR})`),
  open_bytes: lib.func(`int32 voxd_project_open_bytes(${E} engine, const uint8_t *data, size_t size, const char *name, size_t len, _Out_ uint64 *out, ${ERR})`),
  get_name: lib.func(`int32 voxd_project_get_name(${E} engine, uint64 project, _Out_ uint8_t *out, size_t capacity, _Out_ size_t *len, ${ERR})`),
  export_to_buffer: lib.func(`int32 voxd_project_export_to_buffer(${E} engine, uint64 project, const char *format, size_t len, _Out_ uint8_t *buffer, size_t capacity, _Out_ size_t *size, ${ERR})`),
  voxels_set: lib.func(`int32 voxd_voxels_set(${E} engine, uint64 project, uint32 layer, const voxd_voxel *voxels, size_t count, ${ERR})`),
  voxels_get: lib.func(`int32 voxd_voxels_get(${E} engine, uint64 project, uint32 layer, const voxd_vec3 *positions, size_t count, _Out_ voxd_color *colors, ${ERR})`),
  read_box: lib.func(`int32 voxd_voxels_read_box(${E} engine, uint64 project, uint32 layer, const voxd_box *box, _Out_ uint8_t *out, size_t capacity, _Out_ size_t *count, ${ERR})`),
  query_count: lib.func(`int32 voxd_query_count(${E} engine, uint64 project, uint32 layer, _Out_ int64 *count, ${ERR})`),
  shape_apply: lib.func(`int32 voxd_shape_apply(${E} engine, uint64 project, uint32 layer, const voxd_shape *shape, _Out_ int64 *changed, ${ERR})`),
  layer_add: lib.func(`int32 voxd_layer_add(${E} engine, uint64 project, const char *name, size_t len, _Out_ uint32 *id, ${ERR})`),
  undo: lib.func(`int32 voxd_project_undo(${E} engine, uint64 project, ${ERR})`),
  render_options_init: lib.func(`int32 voxd_render_options_init(_Out_ voxd_render_options *options, ${ERR})`),
  render_png: lib.func(`int32 voxd_render_png(${E} engine, uint64 project, const voxd_render_options *options, _Out_ voxd_bytes *out, ${ERR})`),
};

class VoxdError extends Error {
  constructor(code, message) {
    const status = C.status_name(code);
    super(`${status}: ${message}`);
    this.name = "VoxdError";
    this.code = code;
    this.status = status; // voxd_status_name: "stale handle"
    this.detail = message;
  }
}
const STATUS = { OK: 0, INVALID_ARGUMENT: 1, NOT_FOUND: 2, STALE_HANDLE: 3, LIMIT_EXCEEDED: 4, IO: 5, FORMAT: 6,
                 UNSUPPORTED: 7, NOTHING_TO_DO: 11 };

// Runs f(errorSlot); throws VoxdError on failure after copying the message and freeing the voxd_error.
function call(f) {
  const slot = [null];
  const status = f(slot);
  if (status !== 0) {
    const message = slot[0] ? C.error_message(slot[0]) : "";
    C.error_free(slot);
    throw new VoxdError(status, message);
  }
}

const utf8 = (s) => Buffer.from(s, "utf8");

// What a finalizer needs: shared by an engine and its projects, kept alive by the registries.
// ptr is null once the engine is destroyed, which also closed its projects.
const engines = new FinalizationRegistry((state) => destroy(state));
const projects = new FinalizationRegistry(({ state, handle }) => {
  if (state.ptr) C.project_close(state.ptr, handle, [null]);
});
function destroy(state) {
  if (state.ptr) {
    const slot = [state.ptr];
    C.engine_destroy(slot);
    state.ptr = null;
  }
}

class Engine {
  constructor(limits = {}) {
    const options = {};
    call((e) => C.options_init(options, e));
    for (const [name, value] of Object.entries(limits)) {
      if (!(name in options) || name === "struct_size") throw new TypeError(`unknown engine option ${name}`);
      options[name] = value;
    }
    const out = [null];
    call((e) => C.engine_create(options, out, e));
    this.state = { ptr: out[0] };
    engines.register(this, this.state, this);
  }
  close() {
    engines.unregister(this);
    destroy(this.state);
  }
  get ptr() {
    if (!this.state.ptr) throw new VoxdError(STATUS.INVALID_ARGUMENT, "the engine is closed");
    return this.state.ptr;
  }
  projectCount() {
    const n = [0];
    call((e) => C.project_count(this.ptr, n, e));
    return Number(n[0]);
  }
  /** Raw handles (bigint) of the open projects: a null query for the count, then the array. */
  projectHandles() {
    for (;;) {
      const count = [0];
      call((e) => C.list_projects(this.ptr, null, 0, count, e));
      const capacity = Number(count[0]);
      const out = new BigUint64Array(Math.max(capacity, 1));
      call((e) => C.list_projects(this.ptr, capacity ? out : null, capacity, count, e));
      if (Number(count[0]) <= capacity) return Array.from(out.subarray(0, Number(count[0])));
    }
  }
  createProject(name) {
    const b = utf8(name), out = [0n];
    call((e) => C.project_create(this.ptr, b, b.length, out, e));
    return new Project(this, BigInt(out[0]), true);
  }
  openBytes(data, name) {
    const b = utf8(name), out = [0n];
    call((e) => C.open_bytes(this.ptr, data, data.length, b, b.length, out, e));
    return new Project(this, BigInt(out[0]), true);
  }
  /** A project for a raw handle, not owned (no finalizer); a stale one throws STALE_HANDLE on every call. */
  borrow(handle) {
    return new Project(this, BigInt(handle), false);
  }
}

const BLEND = { over: 1, subtract: 2, paint: 4, replace: 9 };
const SHAPE = { box: 0, sphere: 1, cylinder: 2 };
const VIEW = { iso: 0, front: 1, back: 2, left: 3, right: 4, top: 5, bottom: 6, free: 7 };
const CAMERA_KEYS = ["yaw", "pitch", "distance", "perspective"];
const LOOK_KEYS = ["ambientOcclusion", "shadows", "edges", "background"];

// renderPng's background: 0xRRGGBBAA, or "#RRGGBB" / "#RRGGBBAA" (the # optional), as voxd_client's render().
function backgroundValue(value) {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  const hex = typeof value === "string" ? value.replace(/^#/, "") : "";
  if (/^([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(hex)) return (parseInt(hex.padEnd(8, "f"), 16) >>> 0);
  throw new TypeError(`background must be 0xRRGGBBAA or "#RRGGBB[AA]", not ${JSON.stringify(value)}`);
}
const color = (rgba) => ({ r: (rgba >>> 24) & 255, g: (rgba >>> 16) & 255, b: (rgba >>> 8) & 255, a: rgba & 255 });
const rgbaOf = (c) => ((c.r << 24) | (c.g << 16) | (c.b << 8) | c.a) >>> 0;

class Project {
  constructor(engine, handle, owned) {
    this.engine = engine;
    this.handle = handle;
    if (owned) projects.register(this, { state: engine.state, handle }, this);
  }
  call(f) {
    call((e) => f(this.engine.ptr, this.handle, e));
  }
  close() {
    projects.unregister(this);
    this.call((en, h, e) => C.project_close(en, h, e));
  }
  copy(name) {
    const b = utf8(name), out = [0n];
    this.call((en, h, e) => C.project_copy(en, h, b, b.length, out, e));
    return new Project(this.engine, BigInt(out[0]), true);
  }
  name() {
    const length = [0];
    this.call((en, h, e) => C.get_name(en, h, null, 0, length, e));
    const buffer = Buffer.alloc(Number(length[0]) + 1);
    this.call((en, h, e) => C.get_name(en, h, buffer, buffer.length, length, e));
    return buffer.subarray(0, Number(length[0])).toString("utf8");
  }
  /** [x, y, z, rgba] voxels; alpha 0 removes. */
  setVoxels(voxels, layer = 0) {
    const items = voxels.map(([x, y, z, rgba]) => ({ x, y, z, color: color(rgba) }));
    this.call((en, h, e) => C.voxels_set(en, h, layer, items.length ? items : null, items.length, e));
  }
  getVoxels(positions, layer = 0) {
    const items = positions.map(([x, y, z]) => ({ x, y, z }));
    const out = items.map(() => ({}));
    this.call((en, h, e) => C.voxels_get(en, h, layer, items, items.length, out, e));
    return out.map(rgbaOf);
  }
  /** The non-empty voxels of a box: a null query for the count, then a buffer of 16-byte voxd_voxels. */
  readBox(min, max, layer = 0) {
    const box = { min: { x: min[0], y: min[1], z: min[2] }, max: { x: max[0], y: max[1], z: max[2] } };
    for (;;) {
      const count = [0];
      this.call((en, h, e) => C.read_box(en, h, layer, box, null, 0, count, e));
      const capacity = Number(count[0]);
      const buffer = Buffer.alloc(capacity * koffi.sizeof(Voxel));
      this.call((en, h, e) => C.read_box(en, h, layer, box, capacity ? buffer : null, capacity, count, e));
      if (Number(count[0]) > capacity) continue; // grew meanwhile
      const voxels = [];
      for (let i = 0; i < capacity; i++) {
        const o = i * 16;
        voxels.push([buffer.readInt32LE(o), buffer.readInt32LE(o + 4), buffer.readInt32LE(o + 8), buffer.readUInt32BE(o + 12)]);
      }
      return voxels;
    }
  }
  count(layer = 0) {
    const n = [0];
    this.call((en, h, e) => C.query_count(en, h, layer, n, e));
    return Number(n[0]);
  }
  applyShape(kind, min, max, rgba, mode = "over", layer = 0) {
    if (!(kind in SHAPE) || !(mode in BLEND)) throw new RangeError(`unknown shape ${kind} or mode ${mode}`);
    const shape = { struct_size: koffi.sizeof("voxd_shape"), kind: SHAPE[kind], mode: BLEND[mode],
                    bounds: { min: { x: min[0], y: min[1], z: min[2] }, max: { x: max[0], y: max[1], z: max[2] } },
                    color: color(rgba) };
    const changed = [0];
    this.call((en, h, e) => C.shape_apply(en, h, layer, shape, changed, e));
    return Number(changed[0]);
  }
  addLayer(name) {
    const b = utf8(name), id = [0];
    this.call((en, h, e) => C.layer_add(en, h, b, b.length, id, e));
    return id[0];
  }
  undo() {
    this.call((en, h, e) => C.undo(en, h, e));
  }
  /** A file in memory (gox, vox, txt, obj, ...): a null query for the size, then a caller buffer. */
  export(format) {
    const f = utf8(format), size = [0];
    this.call((en, h, e) => C.export_to_buffer(en, h, f, f.length, null, 0, size, e));
    const buffer = Buffer.alloc(Number(size[0]));
    this.call((en, h, e) => C.export_to_buffer(en, h, f, f.length, buffer, buffer.length, size, e));
    return buffer;
  }
  exportInto(format, buffer) {
    const f = utf8(format), size = [0];
    this.call((en, h, e) => C.export_to_buffer(en, h, f, f.length, buffer, buffer.length, size, e));
    return Number(size[0]);
  }
  /**
   * PNG bytes owned by the library: copied into a Buffer, then freed with voxd_bytes_free. `look` has the
   * keywords of voxd_client's render(): ambientOcclusion and shadows (default true), edges (false), background
   * (0xRRGGBBAA or "#RRGGBB[AA]", default 0 = transparent), and the free camera yaw, pitch (degrees), distance
   * (voxels, 0 = fit) and perspective; camera keys with the default view mean view "free".
   */
  renderPng(view = "iso", width = 512, height = 512, look = {}) {
    for (const key of Object.keys(look)) {
      if (!CAMERA_KEYS.includes(key) && !LOOK_KEYS.includes(key)) {
        throw new TypeError(`renderPng: unknown option ${key} (${[...LOOK_KEYS, ...CAMERA_KEYS].join(", ")})`);
      }
    }
    const camera = CAMERA_KEYS.filter(k => look[k] !== undefined);
    if (camera.length > 0 && view === "iso") view = "free";
    if (camera.length > 0 && view !== "free") {
      throw new TypeError(`renderPng: ${camera.join(", ")} need view "free", not ${JSON.stringify(view)}`);
    }
    const options = {};
    this.call((en, h, e) => C.render_options_init(options, e));
    Object.assign(options, { view: VIEW[view] ?? 99, width, height });
    if (look.ambientOcclusion !== undefined) options.disable_ambient_occlusion = look.ambientOcclusion ? 0 : 1;
    if (look.shadows !== undefined) options.disable_shadows = look.shadows ? 0 : 1;
    if (look.edges !== undefined) options.edges = look.edges ? 1 : 0;
    if (look.background !== undefined) options.background = backgroundValue(look.background);
    for (const key of ["yaw", "pitch", "distance"]) if (look[key] !== undefined) options[key] = Number(look[key]);
    if (look.perspective !== undefined) options.perspective = look.perspective ? 1 : 0;
    const out = {};
    this.call((en, h, e) => C.render_png(en, h, options, out, e));
    try {
      return Buffer.from(koffi.decode(out.data, koffi.array("uint8_t", Number(out.size))));
    } finally {
      C.bytes_free(out);
    }
  }
}

module.exports = { Engine, Project, VoxdError, STATUS, version: () => C.version_string() };
