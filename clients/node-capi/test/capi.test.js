// libvoxd through koffi, the same sequence as the Go and Rust consumers (tests/capi/go, tests/capi/rust):
// the Goxel crash sequence, stale and forged handles, every error status, size-query buffers, calls from
// libuv's thread pool on one engine, and projects dropped unclosed freed by the FinalizationRegistry.
// Run by tests/capi/languages_test.sh node (node --expose-gc --test).
"use strict";
const assert = require("node:assert/strict");
const { test } = require("node:test");
const koffi = require("koffi");

const voxd = require("../voxd.js");
const { Engine, VoxdError, STATUS } = voxd;
const RED = 0xff0000ff, BLUE = 0x0000ffff;

function throwsStatus(f, code, what) {
  assert.throws(f, (e) => e instanceof VoxdError && e.code === code && e.detail.length > 0, what);
}

test("the Goxel crash sequence: create, create, use the first; stale after close", () => {
  const engine = new Engine();
  try {
    const a = engine.createProject("a"), b = engine.createProject("b");
    assert.notEqual(a.handle, b.handle);
    a.setVoxels([[0, 0, 0, RED], [1, 0, 0, RED]]);
    b.setVoxels([[5, 5, 5, BLUE]]);
    assert.equal(a.count(), 2);
    a.close();
    throwsStatus(() => a.count(), STATUS.STALE_HANDLE, "count after close");
    throwsStatus(() => a.setVoxels([[9, 9, 9, RED]]), STATUS.STALE_HANDLE, "edit after close");
    throwsStatus(() => a.close(), STATUS.STALE_HANDLE, "second close");
    for (const forged of [0n, 2n ** 64n - 1n, 0x123456789abcn]) {
      throwsStatus(() => engine.borrow(forged).count(), STATUS.STALE_HANDLE, `forged ${forged}`);
    }
    const c = engine.createProject("c");
    throwsStatus(() => engine.borrow(a.handle).count(), STATUS.STALE_HANDLE, "stale after slot reuse");
    assert.equal(c.count(), 0);
    assert.deepEqual(b.getVoxels([[5, 5, 5], [0, 0, 0]]), [BLUE, 0]);
    assert.equal(voxd.version().split(".").length, 3);
  } finally {
    engine.close();
    engine.close(); // a second close does nothing
  }
});

test("every error status the ABI gives a caller", () => {
  const engine = new Engine({ max_projects: 2, max_voxels_per_operation: 1000 });
  try {
    const p = engine.createProject("errors");
    throwsStatus(() => p.setVoxels([[2 ** 30, 0, 0, RED]]), STATUS.INVALID_ARGUMENT, "coordinate");
    throwsStatus(() => p.applyShape("box", [5, 0, 0], [1, 1, 1], RED), STATUS.INVALID_ARGUMENT, "inverted box");
    throwsStatus(() => p.renderPng("nowhere", 10, 10), STATUS.INVALID_ARGUMENT, "unknown view");
    throwsStatus(() => engine.createProject("a\0b"), STATUS.INVALID_ARGUMENT, "embedded NUL");
    throwsStatus(() => engine.createProject("x".repeat(1025)), STATUS.INVALID_ARGUMENT, "long name");
    assert.throws(() => new Engine({ not_a_limit: 1 }), TypeError);
    throwsStatus(() => new Engine({ max_voxels: -1 }), STATUS.INVALID_ARGUMENT, "negative limit");
    throwsStatus(() => p.setVoxels([[0, 0, 0, RED]], 4242), STATUS.NOT_FOUND, "unknown layer");
    const many = Array.from({ length: 1001 }, (_, i) => [i, 0, 0, RED]);
    throwsStatus(() => p.setVoxels(many), STATUS.LIMIT_EXCEEDED, "per-operation limit");
    assert.equal(p.count(), 0, "a refused edit changed nothing");
    engine.createProject("second");
    throwsStatus(() => engine.createProject("third"), STATUS.LIMIT_EXCEEDED, "max_projects");
    p.setVoxels(many.slice(0, 10));
    const size = p.export("vox").length;
    throwsStatus(() => p.exportInto("vox", Buffer.alloc(size - 1)), STATUS.LIMIT_EXCEEDED, "short buffer");
    throwsStatus(() => engine.openBytes(Buffer.from("VOX \x96\x00\x00\x00MAIN", "latin1"), "x.vox"), STATUS.FORMAT, "garbage");
    throwsStatus(() => p.export("docx"), STATUS.UNSUPPORTED, "unknown format");
    throwsStatus(() => p.copy("copy"), STATUS.LIMIT_EXCEEDED, "copy beyond max_projects");
    engine.borrow(engine.projectHandles().find((h) => h !== p.handle)).close();
    const q = p.copy("copy");
    throwsStatus(() => q.undo(), STATUS.NOTHING_TO_DO, "undo without history");
    engine.close();
    assert.throws(() => p.count(), (e) => e instanceof VoxdError && /engine is closed/.test(e.message));
  } finally {
    engine.close();
  }
});

test("buffers sized by a null query: handles, names, boxes, files; library-owned bytes freed", () => {
  const engine = new Engine();
  try {
    const p = engine.createProject("n".repeat(300));
    assert.equal(p.name(), "n".repeat(300));
    const changed = p.applyShape("sphere", [-4, -4, -4], [4, 4, 4], RED);
    assert.equal(p.count(), changed);
    assert.equal(p.readBox([-10, -10, -10], [10, 10, 10]).length, changed);
    for (const format of ["gox", "vox", "txt"]) {
      const q = engine.openBytes(p.export(format), `copy.${format}`);
      assert.equal(q.count(), changed, format);
      q.close();
    }
    assert.deepEqual(engine.projectHandles(), [p.handle]);
    const png = p.renderPng("front", 40, 30);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 40);
    // The render options: the free camera at yaw 0, pitch 0 is the front view; the look options change the picture.
    assert.deepEqual(p.renderPng("free", 40, 30, { yaw: 0, pitch: 0 }), png);
    assert.deepEqual(p.renderPng("iso", 40, 30, { yaw: 0, pitch: 0, distance: 0, perspective: false }), png);
    for (const [view, look] of [["free", { yaw: 120, pitch: -20 }], ["free", { yaw: 0, pitch: 0, perspective: true, distance: 60 }],
                                ["front", { ambientOcclusion: false, shadows: false }], ["front", { background: 0x204060ff }]]) {
      assert.notDeepEqual(p.renderPng(view, 40, 30, look), png, JSON.stringify(look));
    }
    assert.deepEqual(p.renderPng("front", 40, 30, { background: "#204060" }), p.renderPng("front", 40, 30, { background: 0x204060ff }));
    // Edges show where a voxel is at least 4 pixels across.
    assert.notDeepEqual(p.renderPng("front", 200, 200, { edges: true }), p.renderPng("front", 200, 200));
    throwsStatus(() => p.renderPng("free", 40, 30, { pitch: 95 }), STATUS.INVALID_ARGUMENT, "pitch 95");
    assert.throws(() => p.renderPng("free", 40, 30, { pitch: 95 }), /pitch/);
    assert.throws(() => p.renderPng("top", 40, 30, { yaw: 10 }), TypeError);
    assert.throws(() => p.renderPng("front", 40, 30, { zoom: 2 }), TypeError);
    assert.throws(() => p.renderPng("front", 40, 30, { background: "blue" }), TypeError);
    assert.ok(p.addLayer("top") > 0);
  } finally {
    engine.close();
  }
});

test("calls from libuv's thread pool on one engine: private projects, one shared", async () => {
  const engine = new Engine();
  try {
    const shared = engine.createProject("shared");
    const own = Array.from({ length: 4 }, (_, i) => engine.createProject(`own-${i}`));
    // koffi's .async runs each call on a pool thread: the ABI is thread-safe for every engine call.
    const lib = koffi.load(process.env.VOXD_LIBRARY || "libvoxd.so.0");
    const f = lib.func("int32 voxd_voxels_set(voxd_engine *engine, uint64 project, uint32 layer, " +
                       "const voxd_voxel *voxels, size_t count, void *error)");
    const set = (project, voxels) => new Promise((resolve, reject) => {
      const items = voxels.map(([x, y, z, rgba]) =>
        ({ x, y, z, color: { r: rgba >>> 24, g: (rgba >>> 16) & 255, b: (rgba >>> 8) & 255, a: rgba & 255 } }));
      f.async(engine.ptr, project.handle, 0, items, items.length, null, (err, status) => (err ? reject(err) : resolve(status)));
    });
    const calls = [];
    for (let r = 0; r < 25; r++) {
      own.forEach((p, i) => calls.push(set(p, [[i, r, 0, RED], [i, r, 1, BLUE]])));
      calls.push(set(shared, [[r, 0, 0, RED]]));
    }
    assert.ok((await Promise.all(calls)).every((status) => status === 0));
    own.forEach((p) => assert.equal(p.count(), 50));
    assert.equal(shared.count(), 25);
  } finally {
    engine.close();
  }
});

test("projects and engines dropped unclosed are freed by the FinalizationRegistry", async () => {
  assert.equal(typeof global.gc, "function", "run with --expose-gc");
  const engine = new Engine();
  try {
    (() => {
      for (let i = 0; i < 30; i++) engine.createProject(`dropped-${i}`).applyShape("box", [0, 0, 0], [7, 7, 7], RED);
    })();
    assert.equal(engine.projectCount(), 30);
    for (let i = 0; i < 200 && engine.projectCount() > 0; i++) {
      global.gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(engine.projectCount(), 0, "finalizers closed every dropped project");
  } finally {
    engine.close();
  }
});
