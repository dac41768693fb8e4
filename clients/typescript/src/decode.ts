// Readers of the result tables into plain values (see types.ts).
import * as P from "../generated/voxd_generated";
import { Box, LayerInfo, Vec3, Voxel } from "./types";
import * as T from "./types";

const str = (s: string | null): string => s ?? "";

export function box(b: P.Box3 | null): Box | null {
  if (!b) return null;
  const lo = b.min(), hi = b.max();
  if (!lo || !hi) return null;
  return { min: [lo.x(), lo.y(), lo.z()], max: [hi.x(), hi.y(), hi.z()] };
}

const BLEND_NAMES = Object.fromEntries(
  Object.entries(P.BlendMode).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k]),
) as Record<number, T.BlendModeName>;

function layer(l: P.LayerInfo): LayerInfo {
  return { id: l.id(), name: str(l.name()), visible: l.visible(), mode: BLEND_NAMES[l.mode()] ?? "over",
           voxels: l.voxels(), index: l.index() };
}

function list<I, O>(length: number, at: (i: number) => I | null, map: (item: I) => O): O[] {
  const out: O[] = [];
  for (let i = 0; i < length; i++) {
    const item = at(i);
    if (item !== null) out.push(map(item));
  }
  return out;
}

export const hello = (r: P.HelloResult): T.HelloInfo => ({
  protocolVersion: r.protocolVersion(), minProtocolVersion: r.minProtocolVersion(),
  serverVersion: str(r.serverVersion()), maxMessageBytes: r.maxMessageBytes(), maxReplyBytes: r.maxReplyBytes(),
  maxVoxelsPerRequest: r.maxVoxelsPerRequest(),
});

export const ping = (r: P.PingResult): Uint8Array => r.payloadArray()?.slice() ?? new Uint8Array();

export const health = (r: P.HealthResult): T.Health =>
  ({ accepting: r.accepting(), uptimeSeconds: r.uptimeSeconds(), projects: r.projects() });

export const stats = (r: P.StatsResult): T.Stats => ({
  uptimeSeconds: r.uptimeSeconds(), projects: r.projects(), voxels: r.voxels(),
  projectMemoryBytes: r.projectMemoryBytes(), residentMemoryBytes: r.residentMemoryBytes(), requests: r.requests(),
  errors: r.errors(), malformed: r.malformed(), busy: r.busy(), queued: r.queued(),
  perType: list(r.perTypeLength(), (i) => r.perType(i), (t) => ({ type: str(t.type()), requests: t.requests(),
                                                                  errors: t.errors() })),
  latencyP50Us: r.latencyP50Us(), latencyP90Us: r.latencyP90Us(), latencyP99Us: r.latencyP99Us(),
  latencyMaxUs: r.latencyMaxUs(),
});

export const projectList = (r: P.ProjectList): T.ProjectSummary[] =>
  list(r.projectsLength(), (i) => r.projects(i), (p) => ({ handle: p.handle(), name: str(p.name()),
                                                          voxels: p.voxels(), layers: p.layers(),
                                                          memoryBytes: p.memoryBytes() }));

export const created = (r: P.ProjectCreated): T.Created => ({ handle: r.handle(), warning: str(r.warning()) });

export const projectInfo = (r: P.ProjectInfo): T.ProjectInfo => ({
  handle: r.handle(), name: str(r.name()), voxels: r.voxels(), memoryBytes: r.memoryBytes(),
  boundingBox: box(r.boundingBox()), layers: list(r.layersLength(), (i) => r.layers(i), layer),
  activeLayer: r.activeLayer(), undoDepth: r.undoDepth(), redoDepth: r.redoDepth(),
});

const meshReport = (m: P.MeshReport | null): T.MeshReport | null =>
  m ? { triangles: m.triangles(), faces: m.faces(), watertight: m.watertight(), boundaryEdges: m.boundaryEdges(),
        nonmanifoldEdges: m.nonmanifoldEdges(), inconsistentEdges: m.inconsistentEdges() } : null;

export const fileWritten = (r: P.FileWritten): T.FileWritten =>
  ({ path: str(r.path()), bytes: r.bytes(), lossy: r.lossy(), warning: str(r.warning()), sha256: str(r.sha256()),
     alsoWritten: list(r.alsoWrittenLength(), (i) => r.alsoWritten(i), (s) => s), mesh: meshReport(r.mesh()) });

export const fileData = (r: P.FileData): T.FileData =>
  ({ data: r.dataArray()?.slice() ?? new Uint8Array(), lossy: r.lossy(), warning: str(r.warning()),
     mesh: meshReport(r.mesh()) });

export const colors = (r: P.Colors): Uint32Array => r.colorsArray()?.slice() ?? new Uint32Array();

export function voxelPage(r: P.VoxelPage): T.VoxelPage {
  const voxels: Voxel[] = list(r.voxelsLength(), (i) => r.voxels(i), (v) => [v.x(), v.y(), v.z(), v.rgba()] as const);
  return { voxels, dense: r.denseArray()?.slice() ?? new Uint32Array(), denseBox: box(r.denseBox()),
           nextCursor: r.nextCursorArray()?.slice() ?? new Uint8Array(), done: r.done() };
}

export const changed = (r: P.Changed): bigint => r.voxels();
export const layerCreated = (r: P.LayerCreated): number => r.layer();
export const layerList = (r: P.LayerList): T.LayerList =>
  ({ layers: list(r.layersLength(), (i) => r.layers(i), layer), activeLayer: r.activeLayer() });
export const history = (r: P.HistoryResult): T.History => ({ undoDepth: r.undoDepth(), redoDepth: r.redoDepth() });
export const batchResult = (r: P.BatchResult): bigint[] =>
  list(r.resultsLength(), (i) => r.results(i), (v) => v);
export const boundingBox = (r: P.BoundingBox): Box | null => box(r.box());
export const count = (r: P.Count): bigint => r.voxels();
export const histogram = (r: P.Histogram): T.Histogram => ({
  entries: list(r.entriesLength(), (i) => r.entries(i), (e) => ({ rgba: e.rgba(), count: e.count() })),
  totalColors: r.totalColors(),
});
export const positions = (r: P.Positions): T.Positions => ({
  positions: list(r.positionsLength(), (i) => r.positions(i), (p) => [p.x(), p.y(), p.z()] as Vec3),
  truncated: r.truncated(),
});
