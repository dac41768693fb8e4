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
export type ViewName = "iso" | "front" | "back" | "left" | "right" | "top" | "bottom" | "free";

/** Render's options (docs/formats-mesh-render.md). Omitted ones are the protocol's defaults. */
export interface RenderOptions {
  /** Default "iso", or "free" when a camera option is given. */
  view?: ViewName;
  width?: number;
  height?: number;
  /** Written under the daemon's root (FileWritten) instead of returned (FileData). */
  path?: string;
  /** Creases and inner corners darken (default true). */
  ambientOcclusion?: boolean;
  /** One directional light casts voxel shadows (default true). */
  shadows?: boolean;
  /** Voxel face edges darken where voxels are at least 4 pixels across (default false). */
  edges?: boolean;
  /** 0xRRGGBBAA of the empty pixels (default 0, transparent). */
  background?: number;
  /** The free camera (view "free"): degrees -360..360; 0 is the front view, 90 the right view (default 45). */
  yaw?: number;
  /** Degrees -90..90; 90 looks straight down (default 35.26, the iso view's). */
  pitch?: number;
  /** Voxels from the model's centre, 1..1000000; 0 (default) fits the model to the frame. */
  distance?: number;
  /** Perspective instead of orthographic (default false). */
  perspective?: boolean;
}

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
/** The surface of an exported mesh, measured on the faces written with vertices welded by position. */
export interface MeshReport {
  /** triangles written, or those of the polygons written (.obj, .ply) */
  triangles: bigint;
  /** faces written: triangles, or polygons for .obj and .ply */
  faces: bigint;
  /** no boundary, non-manifold or inconsistently oriented edge */
  watertight: boolean;
  boundaryEdges: bigint;
  /** edges of more than two faces: voxels touching only along an edge */
  nonmanifoldEdges: bigint;
  inconsistentEdges: bigint;
}
/** A file written under the daemon's root. */
export interface FileWritten {
  path: string; bytes: bigint; lossy: boolean; warning: string;
  /** SHA-256 of the bytes written, hex */
  sha256: string;
  /** side files written before it, beside it (a .gltf's .bin) */
  alsoWritten: string[];
  /** mesh formats only */
  mesh: MeshReport | null;
}
/** A file returned inline. */
export interface FileData { data: Uint8Array; lossy: boolean; warning: string; /** mesh formats only */ mesh: MeshReport | null }
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
