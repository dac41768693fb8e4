// Values of the protocol as plain TypeScript: colours are uint 0xRRGGBBAA, handles are bigint (uint64).

export type Vec3 = readonly [x: number, y: number, z: number];
export interface Box { readonly min: Vec3; readonly max: Vec3 }
/** x, y, z, rgba (alpha 0 removes). */
export type Voxel = readonly [x: number, y: number, z: number, rgba: number];
export type ProjectHandle = bigint;

export type BlendModeName =
  | "over" | "subtract" | "subtract_clamp" | "paint" | "max" | "intersect" | "intersect_fill" | "mult_alpha"
  | "replace";
export type ShapeName = "box" | "sphere" | "cylinder";
export type ViewName = "iso" | "front" | "back" | "left" | "right" | "top" | "bottom";

/** Layer id 0: the active layer for edits, every visible layer merged for reads. */
export const ACTIVE_LAYER = 0;
export const VISIBLE_LAYERS = 0;

export interface HelloInfo {
  protocolVersion: number;
  minProtocolVersion: number;
  serverVersion: string;
  maxMessageBytes: bigint;
  maxReplyBytes: bigint;
  maxVoxelsPerRequest: bigint;
}
export interface Health { accepting: boolean; uptimeSeconds: number; projects: bigint }
export interface RequestTypeStats { type: string; requests: bigint; errors: bigint }
export interface Stats {
  uptimeSeconds: number;
  projects: bigint;
  voxels: bigint;
  projectMemoryBytes: bigint;
  residentMemoryBytes: bigint;
  requests: bigint;
  errors: bigint;
  malformed: bigint;
  busy: bigint;
  queued: bigint;
  perType: RequestTypeStats[];
  latencyP50Us: number;
  latencyP90Us: number;
  latencyP99Us: number;
  latencyMaxUs: number;
}
export interface ProjectSummary { handle: bigint; name: string; voxels: bigint; layers: number; memoryBytes: bigint }
export interface Created { handle: ProjectHandle; warning: string }
export interface LayerInfo {
  id: number;
  name: string;
  visible: boolean;
  mode: BlendModeName;
  voxels: bigint;
  index: number;
}
export interface ProjectInfo {
  handle: ProjectHandle;
  name: string;
  voxels: bigint;
  memoryBytes: bigint;
  boundingBox: Box | null;
  layers: LayerInfo[];
  activeLayer: number;
  undoDepth: number;
  redoDepth: number;
}
/** A file written under the daemon's root. */
export interface FileWritten { path: string; bytes: bigint; lossy: boolean; warning: string }
/** A file returned inline. */
export interface FileData { data: Uint8Array; lossy: boolean; warning: string }
export interface VoxelPage {
  voxels: Voxel[];
  dense: Uint32Array;
  denseBox: Box | null;
  nextCursor: Uint8Array;
  done: boolean;
}
export interface LayerList { layers: LayerInfo[]; activeLayer: number }
export interface History { undoDepth: number; redoDepth: number }
export interface Histogram { entries: Array<{ rgba: number; count: bigint }>; totalColors: bigint }
export interface Positions { positions: Vec3[]; truncated: boolean }
/** Every voxel of a box, x fastest, then y, then z (0 = empty). */
export interface DenseBox { box: Box; colors: Uint32Array }
