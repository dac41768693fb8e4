// The TypeScript client against the real daemon: every request, pipelining, typed errors, paging, batches,
// timeouts, and the README's example. Run by ctest (label daemon) through run_tests.sh.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import * as P from "../generated/voxd_generated";
import { buildAndRender } from "../examples/quickstart";
import {
  BusyError, edits, FormatError, InvalidArgumentError, LimitExceededError, NotFoundError, NothingToDoError,
  PermissionDeniedError, StaleHandleError, VoxdClient, VoxdError, VoxdTimeoutError,
} from "../src";
import { Daemon } from "./daemon";

const RED = 0xff0000ff, BLUE = 0x0000ffff;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function inline(file: { data?: Uint8Array } | object): Uint8Array {
  assert.ok("data" in file && file.data instanceof Uint8Array, "expected inline FileData");
  return (file as { data: Uint8Array }).data;
}

describe("voxd-client against voxd", { timeout: 240_000 }, () => {
  const daemon = new Daemon();
  let voxd: VoxdClient;

  before(async () => {
    await daemon.start("--max-voxels-per-request", "20000");
    voxd = new VoxdClient(daemon.endpoint, { timeout: 60 });
  });

  after(async () => {
    let unsent: string[];
    try {
      // Every request type of the schema was sent by some test (the daemon counts them by name).
      const stats = await voxd.stats();
      const sent = new Set(stats.perType.filter((t) => t.requests > 0n).map((t) => t.type));
      unsent = Object.keys(P.RequestBody).filter((k) => isNaN(Number(k)) && k !== "NONE" && !sent.has(k));
    } finally {
      voxd.close();
    }
    const { code, stderr } = await daemon.stop();
    assert.deepEqual(unsent, [], "request types no test sent");
    assert.equal(code, 0, `voxd exited with ${code}: ${stderr}`);
    assert.doesNotMatch(stderr, /AddressSanitizer|ThreadSanitizer|runtime error/);
  });

  it("speaks to the system requests", async () => {
    const hello = await voxd.hello("ts-test");
    assert.equal(hello.protocolVersion, 1);
    assert.match(hello.serverVersion, /^\d+\.\d+\.\d+$/);
    assert.equal(hello.maxVoxelsPerRequest, 20000n);
    assert.ok((await voxd.stats()).uptimeSeconds >= 0);
    assert.deepEqual(await voxd.ping(new Uint8Array([1, 2, 3])), new Uint8Array([1, 2, 3]));
    const health = await voxd.health();
    assert.equal(health.accepting, true);
    assert.ok(health.uptimeSeconds >= 0);
    assert.ok(Array.isArray(await voxd.listProjects()));
  });

  it("survives the Goxel crash sequence: create, create, use the first; stale after close", async () => {
    const a = await voxd.createProject("a");
    const b = await voxd.createProject("b");
    assert.notEqual(a, b);
    assert.equal(await voxd.setVoxels(a, [[0, 0, 0, RED], [1, 0, 0, RED]]), 2n);
    assert.equal(await voxd.setVoxels(b, [[5, 5, 5, BLUE]]), 1n);
    assert.equal(await voxd.countVoxels(a), 2n);
    await voxd.shareProject(a, "uid:4242", "read");  // granted and revoked; a malformed identity is refused
    await voxd.shareProject(a, "uid:4242", "none");
    await assert.rejects(voxd.shareProject(a, "bob", "edit"), InvalidArgumentError);
    await voxd.closeProject(a);
    await assert.rejects(voxd.countVoxels(a), (e: unknown) =>
      e instanceof StaleHandleError && e.status === "stale_handle" && e.code === 3 && e.message.length > 0);
    await assert.rejects(voxd.closeProject(a), StaleHandleError);
    await assert.rejects(voxd.countVoxels(0x123456789abcn), StaleHandleError);
    assert.deepEqual([...(await voxd.getVoxels(b, [[5, 5, 5], [0, 0, 0]]))], [BLUE, 0]);
    await voxd.closeProject(b);
  });

  it("edits, queries and layers, every call", async () => {
    const p = await voxd.createProject("edits");
    assert.equal(await voxd.drawShape(p, "box", { min: [0, 0, 0], max: [3, 3, 3] }, RED), 64n);
    assert.equal(await voxd.drawShape(p, "box", { min: [0, 0, 0], max: [1, 3, 3] }, BLUE, { mode: "subtract" }), 32n);
    assert.equal(await voxd.drawLine(p, [10, 0, 0], [10, 0, 9], BLUE), 10n);
    assert.equal(await voxd.moveRegion(p, { min: [10, 0, 0], max: [10, 0, 9] }, [0, 5, 0]), 10n);
    assert.equal(await voxd.removeVoxels(p, [[10, 5, 0]]), 1n);
    assert.equal(await voxd.countVoxels(p), 41n);
    assert.deepEqual(await voxd.boundingBox(p), { min: [2, 0, 0], max: [10, 5, 9] });
    const histogram = await voxd.histogram(p);
    assert.deepEqual(histogram.entries[0], { rgba: RED, count: 32n });
    assert.equal(histogram.totalColors, 2n);
    assert.deepEqual([...(await voxd.uniqueColors(p))].sort(), [RED, BLUE].sort());
    const found = await voxd.findByColor(p, BLUE, { maxResults: 3 });
    assert.equal(found.positions.length, 3);
    assert.equal(found.truncated, true);
    assert.deepEqual(await voxd.undo(p), { undoDepth: 4, redoDepth: 1 });
    assert.deepEqual(await voxd.redo(p), { undoDepth: 5, redoDepth: 0 });
    assert.equal(await voxd.clearLayer(p), 41n);
    assert.equal(await voxd.boundingBox(p), null);
    assert.equal(await voxd.floodFill(p, [0, 0, 0], BLUE, { bounds: { min: [0, 0, 0], max: [2, 2, 2] } }), 27n);

    const bottom = (await voxd.listLayers(p)).layers[0].id;
    const top = await voxd.addLayer(p, "top");
    await voxd.setVoxels(p, [[20, 20, 20, RED]]);
    const copy = await voxd.duplicateLayer(p, top);
    await voxd.renameLayer(p, copy, "copy");
    await voxd.setLayerVisible(p, copy, false);
    await voxd.moveLayer(p, copy, 0);
    let layers = await voxd.listLayers(p);
    assert.deepEqual(layers.layers.map((l) => [l.name, l.visible, l.voxels]),
                     [["copy", false, 1n], ["background", true, 27n], ["top", true, 1n]]);
    assert.equal(layers.activeLayer, copy, "a duplicated layer becomes the active one");
    await voxd.selectLayer(p, bottom);
    await voxd.mergeLayers(p, top, bottom);
    await voxd.removeLayer(p, copy);
    layers = await voxd.listLayers(p);
    assert.deepEqual(layers.layers.map((l) => l.name), ["background"]);
    const info = await voxd.projectInfo(p);
    assert.equal(info.name, "edits");
    assert.equal(info.voxels, 28n);
    assert.equal(info.layers.length, 1);
    assert.equal(info.activeLayer, bottom);
    await voxd.closeProject(p);
  });

  it("moves files inline and under the root, and renders", async () => {
    const p = await voxd.createProject("files");
    await voxd.drawShape(p, "sphere", { min: [-4, -4, -4], max: [4, 4, 4] }, RED);
    const voxels = await voxd.countVoxels(p);
    for (const format of ["gox", "vox", "txt"]) {
      const data = inline(await voxd.saveProject(p, { format }));
      const copy = await voxd.openFile({ data, name: `copy.${format}` });
      assert.equal(await voxd.countVoxels(copy.handle), voxels, format);
      await voxd.closeProject(copy.handle);
    }
    const written = await voxd.saveProject(p, { path: "model.gox" });
    assert.ok("path" in written && written.bytes > 0n);
    const reopened = await voxd.openFile({ path: "model.gox" });
    assert.equal(await voxd.countVoxels(reopened.handle), voxels);
    assert.ok("sha256" in written);
    assert.equal(written.sha256, createHash("sha256").update(readFileSync(join(daemon.root, "model.gox"))).digest("hex"));
    assert.deepEqual(written.alsoWritten, []);
    const gltf = await voxd.exportProject(p, { path: "model.gltf" });
    assert.ok("alsoWritten" in gltf);
    assert.equal(gltf.alsoWritten.length, 1);
    assert.ok(gltf.alsoWritten[0].endsWith("model.bin"), gltf.alsoWritten[0]);
    assert.ok(existsSync(join(daemon.root, "model.bin")));
    assert.ok((await voxd.removeFile("model.gox")).endsWith("model.gox"));
    assert.equal(existsSync(join(daemon.root, "model.gox")), false);
    await assert.rejects(voxd.removeFile("model.gox"), NotFoundError);
    const exported = await voxd.exportProject(p, { format: "obj" });
    const obj = inline(exported);
    assert.ok(obj.length > 100);
    // A sphere of voxels is watertight once T-junctions are removed; .gox is not a mesh.
    assert.ok("mesh" in exported && exported.mesh !== null && exported.mesh.watertight);
    assert.equal(exported.mesh.boundaryEdges, 0n);
    assert.ok("mesh" in written && written.mesh === null);
    const png = inline(await voxd.render(p, { view: "front", width: 40, height: 30 }));
    assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC);
    assert.equal(new DataView(png.buffer, png.byteOffset).getUint32(16), 40);
    assert.equal(new DataView(png.buffer, png.byteOffset).getUint32(20), 30);
    // The render options: the free camera at yaw 0 / pitch 0 is the front view; the look options change the picture.
    const size = { width: 40, height: 30 };
    assert.deepEqual(inline(await voxd.render(p, { yaw: 0, pitch: 0, ...size })), png);
    assert.deepEqual(inline(await voxd.render(p, { view: "free", yaw: 0, pitch: 0, distance: 0, perspective: false, ...size })), png);
    for (const look of [{ yaw: 120, pitch: -20 }, { yaw: 0, pitch: 0, perspective: true, distance: 60 },
                        { view: "front" as const, ambientOcclusion: false, shadows: false },
                        { view: "front" as const, background: 0x204060ff }]) {
      assert.notDeepEqual(inline(await voxd.render(p, { ...look, ...size })), png, JSON.stringify(look));
    }
    const big = { view: "front" as const, width: 200, height: 200 };
    assert.notDeepEqual(inline(await voxd.render(p, { ...big, edges: true })), inline(await voxd.render(p, big)));
    const snapshot = await voxd.copyProject(p, "snapshot");
    assert.equal(await voxd.countVoxels(snapshot), voxels);
    await Promise.all([p, snapshot, reopened.handle].map((h) => voxd.closeProject(h)));
  });

  it("reads boxes page by page, sparse and dense", async () => {
    const p = await voxd.createProject("pages");
    await voxd.drawShape(p, "box", { min: [0, 0, 0], max: [39, 39, 3] }, RED);
    const sparse = await voxd.readBox(p, { min: [0, 0, 0], max: [39, 39, 3] }, { maxVoxels: 4096 });
    assert.equal(sparse.length, 40 * 40 * 4);
    const first = await voxd.readBoxPage(p, { min: [0, 0, 0], max: [39, 39, 3] }, { maxVoxels: 4096 });
    assert.equal(first.done, false, "small pages: more than one");
    const dense = await voxd.readBoxDense(p, { min: [38, 38, 0], max: [41, 41, 5] }, { maxVoxels: 16 });
    assert.equal(dense.colors.length, 4 * 4 * 6);
    assert.equal(dense.colors[0], RED); // (38, 38, 0)
    assert.equal(dense.colors[3], 0); // (41, 38, 0)
    await voxd.closeProject(p);
  });

  it("pipelines: many requests in flight, per-project order kept, errors stay with their request", async () => {
    const [a, b] = await Promise.all([voxd.createProject("pa"), voxd.createProject("pb")]);
    const counts: Array<Promise<bigint>> = [];
    const writes: Array<Promise<bigint>> = [];
    for (let i = 0; i < 300; i++) {
      for (const p of [a, b]) {
        writes.push(voxd.setVoxels(p, [[i, 0, 0, RED]]));
        counts.push(voxd.countVoxels(p));
      }
    }
    assert.ok(voxd.inFlight > 1, "requests were sent without waiting");
    const results = await Promise.all(counts);
    results.forEach((n, k) => assert.equal(n, BigInt(Math.floor(k / 2) + 1), `count ${k}`));
    assert.ok((await Promise.all(writes)).every((n) => n === 1n));
    const good = voxd.setVoxels(a, [[0, 9, 0, BLUE]]);
    const bad = voxd.removeLayer(a, 42);
    const afterwards = voxd.countVoxels(a);
    assert.equal(await good, 1n);
    await assert.rejects(bad, NotFoundError);
    assert.equal(await afterwards, 301n);
    await Promise.all([voxd.closeProject(a), voxd.closeProject(b)]);
  });

  it("applies a batch atomically and names the failed operation", async () => {
    const p = await voxd.createProject("batch");
    const results = await voxd.batch(p, [
      edits.setVoxels([[0, 0, 0, RED], [1, 0, 0, RED]]), edits.addLayer("second"),
      edits.drawShape("box", { min: [0, 0, 0], max: [1, 1, 1] }, BLUE), edits.drawLine([5, 0, 0], [5, 0, 2], RED),
      edits.floodFill([9, 9, 9], BLUE, { bounds: { min: [9, 9, 9], max: [9, 9, 10] } }),
      edits.moveRegion({ min: [5, 0, 0], max: [5, 0, 2] }, [0, 3, 0], { keepSource: true }),
      edits.removeVoxels([[9, 9, 9]]), edits.clearLayer(0),
    ]);
    assert.equal(results.length, 8);
    assert.equal(results[0], 2n);
    assert.ok(results[1] > 0n, "AddLayer returns the new layer id");
    const layers = (await voxd.listLayers(p)).layers;
    const second = layers[1].id;
    const more = await voxd.batch(p, [
      edits.renameLayer(second, "renamed"), edits.duplicateLayer(second), edits.setLayerVisible(second, false),
      edits.selectLayer(layers[0].id), edits.moveLayer(second, 0), edits.mergeLayers(layers[0].id, second),
      edits.removeLayer(second),
    ]);
    assert.equal(more.length, 7);
    const before = await voxd.countVoxels(p);
    await assert.rejects(voxd.batch(p, [edits.setVoxels([[7, 7, 7, RED]]), edits.setVoxels([[8, 8, 8, RED]], 99)]),
                         (e: unknown) => e instanceof NotFoundError && /operation 1/.test(e.message));
    assert.equal(await voxd.countVoxels(p), before, "a failed batch changed nothing");
    await voxd.closeProject(p);
  });

  it("turns every refusal into its typed error", async () => {
    const p = await voxd.createProject("errors");
    await assert.rejects(voxd.undo(p), NothingToDoError);
    await assert.rejects(voxd.saveProject(p, { path: "../outside.gox" }), PermissionDeniedError);
    await assert.rejects(voxd.openFile({ data: new Uint8Array([0x47, 0x4f, 0x58, 0x20, 2, 0, 0, 0, 1, 2, 3, 4, 5]) }),
                         FormatError);
    await assert.rejects(voxd.exportProject(p, { format: "docx" }), InvalidArgumentError);
    await assert.rejects(voxd.setVoxels(p, [[2 ** 30, 0, 0, RED]]), InvalidArgumentError);
    await assert.rejects(voxd.render(p, { width: 5000 }), InvalidArgumentError);
    await assert.rejects(voxd.render(p, { pitch: 95 }), (e: unknown) =>
      e instanceof InvalidArgumentError && /pitch/.test(String((e as Error).message)));
    await assert.rejects(voxd.render(p, { view: "top", yaw: 10 }), TypeError);
    await assert.rejects(voxd.render(p, { background: -1 }), RangeError);
    await assert.rejects(voxd.render(p, { yaw: Number.NaN }), RangeError);
    const many = Array.from({ length: 20001 }, (_, i) => [i, 0, 0, RED] as const);
    await assert.rejects(voxd.setVoxels(p, many), (e: unknown) =>
      e instanceof LimitExceededError && e instanceof VoxdError && e.status === "limit_exceeded");
    // Values the protocol cannot carry are refused before sending.
    await assert.rejects(voxd.setVoxels(p, [[2 ** 31, 0, 0, RED]]), RangeError);
    await assert.rejects(voxd.drawShape(p, "pyramid" as "box", { min: [0, 0, 0], max: [1, 1, 1] }, RED), RangeError);
    assert.deepEqual(await voxd.ping(new Uint8Array([9])), new Uint8Array([9]), "the connection still works");
    await voxd.closeProject(p);
  });

  it("times out when the daemon does not answer, then drops the late reply", async () => {
    const slow = new VoxdClient(daemon.endpoint, { timeout: 0.3 });
    try {
      assert.deepEqual(await slow.ping(new Uint8Array([1])), new Uint8Array([1]));
      await daemon.pause();
      try {
        await assert.rejects(slow.ping(new Uint8Array([2])), VoxdTimeoutError);
      } finally {
        daemon.resume();
      }
      slow.close();
      await assert.rejects(slow.ping(), BusyError);
    } finally {
      slow.close();
    }
  });

  it("runs the README example: builds a model and renders it", async () => {
    const png = await buildAndRender(daemon.endpoint);
    assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC);
    assert.ok(png.length > 1000);
  });
});
