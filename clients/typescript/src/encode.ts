// Builders of request bodies with flatc's generated code (generated/voxd_generated.ts, made from
// protocol/voxd.fbs at build time). Each edit is an `Edit`: the same value goes to its own request or, as one
// operation of many, into a Batch.
import * as flatbuffers from "flatbuffers";

import * as P from "../generated/voxd_generated";
import { BlendModeName, Box, RenderOptions, ShapeName, Vec3, ViewName, Voxel } from "./types";

type Builder = flatbuffers.Builder;
type Offset = flatbuffers.Offset;

/** A table field: a scalar, a struct written inline, or an offset made before the table started. */
type Field = number | boolean | bigint | { struct: (b: Builder) => Offset } | { offset: Offset } | undefined;

function camel(field: string): string {
  return field.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());
}

// Generated classes expose start<Name>/add<Field>/end<Name> statics; they are looked up by name here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TableClass = { name: string } & Record<string, any>;

export function table(b: Builder, T: TableClass, fields: Record<string, Field> = {}): Offset {
  T[`start${T.name}`](b);
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const add = T[`add${camel(field)}`];
    if (typeof add !== "function") throw new TypeError(`${T.name} has no field ${field}`);
    if (typeof value === "object" && "struct" in value) add(b, value.struct(b));
    else if (typeof value === "object" && "offset" in value) add(b, value.offset);
    else add(b, value);
  }
  return T[`end${T.name}`](b);
}

function int32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`${what} ${value} is not a 32-bit integer`);
  }
  return value;
}

function uint32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${what} ${value} is not an unsigned 32-bit integer`);
  }
  return value >>> 0;
}

export const vec3 = (v: Vec3): { struct: (b: Builder) => Offset } => ({
  struct: (b) => P.Vec3.createVec3(b, int32(v[0], "x"), int32(v[1], "y"), int32(v[2], "z")),
});

export const box3 = (box: Box): { struct: (b: Builder) => Offset } => ({
  struct: (b) =>
    P.Box3.createBox3(b, int32(box.min[0], "min x"), int32(box.min[1], "min y"), int32(box.min[2], "min z"),
      int32(box.max[0], "max x"), int32(box.max[1], "max y"), int32(box.max[2], "max z")),
});

export function voxelVector(b: Builder, voxels: readonly Voxel[]): Offset {
  b.startVector(16, voxels.length, 4);
  for (let i = voxels.length - 1; i >= 0; i--) {
    const [x, y, z, rgba] = voxels[i];
    P.Voxel.createVoxel(b, int32(x, "x"), int32(y, "y"), int32(z, "z"), uint32(rgba, "rgba"));
  }
  return b.endVector();
}

export function vec3Vector(b: Builder, positions: readonly Vec3[]): Offset {
  b.startVector(12, positions.length, 4);
  for (let i = positions.length - 1; i >= 0; i--) {
    const [x, y, z] = positions[i];
    P.Vec3.createVec3(b, int32(x, "x"), int32(y, "y"), int32(z, "z"));
  }
  return b.endVector();
}

export function text(b: Builder, value: string | undefined): { offset: Offset } | undefined {
  return value === undefined ? undefined : { offset: b.createString(value) };
}

export function bytes(b: Builder, value: Uint8Array | undefined): { offset: Offset } | undefined {
  if (value === undefined) return undefined;
  b.startVector(1, value.length, 1);
  for (let i = value.length - 1; i >= 0; i--) b.addInt8(value[i]);
  return { offset: b.endVector() };
}

function enumValue<E extends Record<string, string | number>>(E: E, name: string, what: string): number {
  const value = E[name];
  if (typeof value !== "number") throw new RangeError(`unknown ${what} ${JSON.stringify(name)}`);
  return value;
}

export const blendMode = (name: BlendModeName) => enumValue(P.BlendMode, name, "blend mode");
export const shapeKind = (name: ShapeName) => enumValue(P.ShapeKind, name, "shape");
export const view = (name: ViewName) => enumValue(P.View, name, "view");

/**
 * A Render body. Camera options (yaw, pitch, distance, perspective) without a view mean view "free", and with
 * another view are refused before sending, as in the Python client; the daemon checks the ranges.
 */
export function render(b: Builder, options: RenderOptions): Offset {
  const given = (["yaw", "pitch", "distance", "perspective"] as const).filter((k) => options[k] !== undefined);
  const name = options.view ?? (given.length > 0 ? "free" : "iso");
  if (given.length > 0 && name !== "free") {
    throw new TypeError(`render: ${given.join(", ")} need view "free", not ${JSON.stringify(name)}`);
  }
  for (const k of ["yaw", "pitch", "distance"] as const) {
    const v = options[k];
    if (v !== undefined && !Number.isFinite(v)) throw new RangeError(`render: ${k} ${v} is not a finite number`);
  }
  // Nested tables are built before the table that holds them.
  const camera = name !== "free" ? undefined : {
    offset: table(b, P.FreeCamera, {
      yaw: options.yaw, pitch: options.pitch, distance: options.distance, perspective: options.perspective,
    }),
  };
  const path = text(b, options.path);
  return table(b, P.Render, {
    path, view: view(name), width: options.width ?? 512, height: options.height ?? 512,
    ambient_occlusion: options.ambientOcclusion, shadows: options.shadows, edges: options.edges,
    background: options.background === undefined ? undefined : uint32(options.background, "background"), camera,
  });
}

/** One edit: a request on its own, or an operation of a Batch. */
export interface Edit {
  readonly type: keyof typeof P.EditOperation & keyof typeof P.RequestBody;
  build(b: Builder): Offset;
}

const edit = (type: Edit["type"], build: (b: Builder) => Offset): Edit => ({ type, build });

/** The edits (each one undo step, or part of a Batch's one step). Layer 0 is the active layer. */
export const edits = {
  setVoxels: (voxels: readonly Voxel[], layer = 0) =>
    edit("SetVoxels", (b) => table(b, P.SetVoxels, { voxels: { offset: voxelVector(b, voxels) }, layer })),
  removeVoxels: (positions: readonly Vec3[], layer = 0) =>
    edit("RemoveVoxels", (b) => table(b, P.RemoveVoxels, { positions: { offset: vec3Vector(b, positions) }, layer })),
  clearLayer: (layer = 0) => edit("ClearLayer", (b) => table(b, P.ClearLayer, { layer })),
  drawShape: (shape: ShapeName, box: Box, rgba: number, options: { mode?: BlendModeName; layer?: number } = {}) =>
    edit("DrawShape", (b) =>
      table(b, P.DrawShape, {
        layer: options.layer ?? 0, kind: shapeKind(shape), box: box3(box), rgba: uint32(rgba, "rgba"),
        mode: blendMode(options.mode ?? "over"),
      })),
  drawLine: (from: Vec3, to: Vec3, rgba: number, options: { mode?: BlendModeName; layer?: number } = {}) =>
    edit("DrawLine", (b) =>
      table(b, P.DrawLine, {
        layer: options.layer ?? 0, from: vec3(from), to: vec3(to), rgba: uint32(rgba, "rgba"),
        mode: blendMode(options.mode ?? "over"),
      })),
  floodFill: (seed: Vec3, rgba: number, options: { tolerance?: number; bounds?: Box; layer?: number } = {}) =>
    edit("FloodFill", (b) =>
      table(b, P.FloodFill, {
        layer: options.layer ?? 0, seed: vec3(seed), rgba: uint32(rgba, "rgba"), tolerance: options.tolerance ?? 0,
        bounds: options.bounds ? box3(options.bounds) : undefined,
      })),
  moveRegion: (source: Box, offset: Vec3, options: { keepSource?: boolean; layer?: number } = {}) =>
    edit("MoveRegion", (b) =>
      table(b, P.MoveRegion, {
        layer: options.layer ?? 0, source: box3(source), offset: vec3(offset), keep_source: options.keepSource ?? false,
      })),
  addLayer: (name: string) => edit("AddLayer", (b) => table(b, P.AddLayer, { name: text(b, name) })),
  removeLayer: (layer: number) => edit("RemoveLayer", (b) => table(b, P.RemoveLayer, { layer })),
  renameLayer: (layer: number, name: string) =>
    edit("RenameLayer", (b) => table(b, P.RenameLayer, { name: text(b, name), layer })),
  moveLayer: (layer: number, index: number) => edit("MoveLayer", (b) => table(b, P.MoveLayer, { layer, index })),
  duplicateLayer: (layer: number) => edit("DuplicateLayer", (b) => table(b, P.DuplicateLayer, { layer })),
  mergeLayers: (upper: number, lower: number) => edit("MergeLayers", (b) => table(b, P.MergeLayers, { upper, lower })),
  setLayerVisible: (layer: number, visible: boolean) =>
    edit("SetLayerVisible", (b) => table(b, P.SetLayerVisible, { layer, visible })),
  selectLayer: (layer: number) => edit("SelectLayer", (b) => table(b, P.SelectLayer, { layer })),
};

export function batch(b: Builder, operations: readonly Edit[]): Offset {
  const ops = operations.map((op) => {
    const body = op.build(b);
    return table(b, P.BatchOperation, { op_type: P.EditOperation[op.type], op: { offset: body } });
  });
  return table(b, P.Batch, { operations: { offset: P.Batch.createOperationsVector(b, ops) } });
}
