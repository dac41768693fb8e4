// The connection to voxd: one ZeroMQ DEALER socket; every request method returns a Promise of its decoded
// result. Requests are pipelined: send as many as you like without awaiting, replies are matched by id.
import * as flatbuffers from "flatbuffers";
import { Dealer } from "zeromq";

import * as P from "../generated/voxd_generated";
import { Response } from "../generated/voxd/protocol/response"; // not re-exported: the root type is Request
import * as D from "./decode";
import { batch, box3, bytes, Edit, edits, render as renderBody, table, text, vec3Vector } from "./encode";
import { errorFor, ProtocolError, VoxdError, VoxdTimeoutError } from "./errors";
import * as T from "./types";

/** The protocol version this client speaks (Request.version). */
export const PROTOCOL_VERSION = 1;

type Builder = flatbuffers.Builder;
type RequestName = keyof typeof P.RequestBody;
type ResultName = keyof typeof P.ResultBody;

/** How to read a reply: the result types it may carry, each with its reader. */
type Decoder<R> = (response: Response) => R;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function result<R>(...readers: Array<[ResultName, new () => any, (table: any) => R]>): Decoder<R> {
  return (response) => {
    const type = response.resultType();
    for (const [name, Class, read] of readers) {
      if (P.ResultBody[name] === type) return read(response.result(new Class()));
    }
    throw new ProtocolError(P.Status.protocol, `a reply carries result type ${P.ResultBody[type] ?? type}, ` +
      `expected ${readers.map(([n]) => n).join(" or ")}`, response.id());
  };
}
const none: Decoder<void> = () => undefined;
const file = result<T.FileWritten | T.FileData>(["FileWritten", P.FileWritten, D.fileWritten],
                                                ["FileData", P.FileData, D.fileData]);
const changed = result(["Changed", P.Changed, D.changed]);
const layerCreated = result(["LayerCreated", P.LayerCreated, D.layerCreated]);

interface Pending {
  name: RequestName;
  decode: Decoder<unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface ClientOptions {
  /** Seconds to wait for each reply (default 30). */
  timeout?: number;
}

/** voxctl's rule: $VOXD_ENDPOINT, else ipc://$XDG_RUNTIME_DIR/voxd/voxd.sock, else ipc:///tmp/voxd-<uid>/voxd.sock. */
export function defaultEndpoint(): string {
  if (process.env.VOXD_ENDPOINT) return process.env.VOXD_ENDPOINT;
  const runtime = process.env.XDG_RUNTIME_DIR ?? "";
  const dir = runtime.startsWith("/") ? `${runtime}/voxd` : `/tmp/voxd-${process.getuid?.() ?? 0}`;
  return `ipc://${dir}/voxd.sock`;
}

export class VoxdClient {
  readonly endpoint: string;
  private readonly socket = new Dealer({ linger: 0 });
  private readonly timeoutMs: number;
  private readonly pending = new Map<bigint, Pending>();
  private nextId = 1n;
  private sending: Promise<void> = Promise.resolve(); // zeromq allows one send in progress at a time
  private closed = false;

  constructor(endpoint: string = defaultEndpoint(), options: ClientOptions = {}) {
    this.endpoint = endpoint;
    this.timeoutMs = (options.timeout ?? 30) * 1000;
    this.socket.connect(endpoint);
    void this.receive();
  }

  /** Closes the socket; requests in flight are rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
    this.failAll(errorFor(P.Status.busy, "the client was closed before the reply came"));
  }

  /** Requests waiting for their reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
  }

  private async receive(): Promise<void> {
    try {
      for await (const frames of this.socket) this.dispatch(frames[frames.length - 1]);
    } catch (error) {
      if (!this.closed) this.failAll(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private dispatch(frame: Buffer): void {
    let response: Response;
    try {
      const bb = new flatbuffers.ByteBuffer(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
      if (frame.length < 8 || !bb.__has_identifier("VOXD")) throw new Error("a reply without the VOXD identifier");
      response = Response.getRootAsResponse(bb);
    } catch (error) {
      this.failAll(new ProtocolError(P.Status.protocol, `unreadable reply: ${String(error)}`));
      return;
    }
    const id = response.id();
    const pending = this.pending.get(id);
    if (!pending) {
      // The daemon could not read some request's id: it cannot be matched, so everything in flight fails.
      if (id === 0n && response.status() !== P.Status.ok) {
        this.failAll(errorFor(response.status(), response.message() ?? ""));
      }
      return; // else a late reply to a request that timed out
    }
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (response.status() !== P.Status.ok) {
      pending.reject(errorFor(response.status(), response.message() ?? "", id));
      return;
    }
    try {
      pending.resolve(pending.decode(response));
    } catch (error) {
      pending.reject(error as Error);
    }
  }

  /** Sends one request; resolves with its decoded result. */
  private request<R>(name: RequestName, project: bigint, body: (b: Builder) => flatbuffers.Offset,
                     decode: Decoder<R>): Promise<R> {
    if (this.closed) return Promise.reject(errorFor(P.Status.busy, "the client is closed"));
    const id = this.nextId++;
    const b = new flatbuffers.Builder(256);
    let frame: Uint8Array;
    try {
      const bodyOffset = body(b);
      P.Request.startRequest(b);
      P.Request.addVersion(b, PROTOCOL_VERSION);
      P.Request.addId(b, id);
      P.Request.addProject(b, project);
      P.Request.addBodyType(b, P.RequestBody[name]);
      P.Request.addBody(b, bodyOffset);
      P.Request.finishRequestBuffer(b, P.Request.endRequest(b));
      frame = b.asUint8Array();
    } catch (error) {
      return Promise.reject(error); // a value the protocol cannot carry (RangeError, TypeError)
    }
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new VoxdTimeoutError(`voxd at ${this.endpoint} did not answer ${name} (request ${id}) in time`));
      }, this.timeoutMs);
      timer.unref();
      this.pending.set(id, { name, decode, resolve: resolve as (v: unknown) => void, reject, timer });
      this.sending = this.sending.then(() => this.socket.send(frame)).catch((error: Error) => {
        const p = this.pending.get(id);
        if (p) {
          this.pending.delete(id);
          clearTimeout(p.timer);
          p.reject(error);
        }
      });
    });
  }

  private edit<R>(project: bigint, op: Edit, decode: Decoder<R>): Promise<R> {
    return this.request(op.type, project, (b) => op.build(b), decode);
  }

  // ---- system ----
  hello(clientName = "voxd-client-ts"): Promise<T.HelloInfo> {
    return this.request("Hello", 0n, (b) => table(b, P.Hello, { client_name: text(b, clientName) }),
                        result(["HelloResult", P.HelloResult, D.hello]));
  }
  ping(payload: Uint8Array = new Uint8Array()): Promise<Uint8Array> {
    return this.request("Ping", 0n, (b) => table(b, P.Ping, { payload: bytes(b, payload) }),
                        result(["PingResult", P.PingResult, D.ping]));
  }
  health(): Promise<T.Health> {
    return this.request("GetHealth", 0n, (b) => table(b, P.GetHealth), result(["HealthResult", P.HealthResult, D.health]));
  }
  stats(): Promise<T.Stats> {
    return this.request("GetStats", 0n, (b) => table(b, P.GetStats), result(["StatsResult", P.StatsResult, D.stats]));
  }
  listProjects(): Promise<T.ProjectSummary[]> {
    return this.request("ListProjects", 0n, (b) => table(b, P.ListProjects),
                        result(["ProjectList", P.ProjectList, D.projectList]));
  }

  // ---- projects ----
  createProject(name: string): Promise<T.ProjectHandle> {
    return this.request("CreateProject", 0n, (b) => table(b, P.CreateProject, { name: text(b, name) }),
                        result(["ProjectCreated", P.ProjectCreated, (r: P.ProjectCreated) => r.handle()]));
  }
  closeProject(project: T.ProjectHandle): Promise<void> {
    return this.request("CloseProject", project, (b) => table(b, P.CloseProject), none);
  }
  /** Grants `identity` ("curve:<Z85 public key>" or "uid:<n>") read or edit access to a project you own;
   * "none" revokes (docs/security.md). */
  shareProject(project: T.ProjectHandle, identity: string, access: "none" | "read" | "edit"): Promise<void> {
    const level = { none: P.Access.none, read: P.Access.read, edit: P.Access.edit }[access];
    if (level === undefined) throw new RangeError(`access ${access} is none of none, read, edit`);
    return this.request("ShareProject", project,
                        (b) => table(b, P.ShareProject, { identity: text(b, identity), access: level }), none);
  }
  /** Opens a file under the daemon's root (`path`) or sent inline (`data`). */
  openFile(source: { path?: string; data?: Uint8Array; name?: string; format?: string }): Promise<T.Created> {
    return this.request("OpenFile", 0n, (b) => table(b, P.OpenFile, {
      path: text(b, source.path), data: bytes(b, source.data), name: text(b, source.name),
      format: text(b, source.format),
    }), result(["ProjectCreated", P.ProjectCreated, D.created]));
  }
  /** gox, vox or txt: to `path` under the root, or inline without one. */
  saveProject(project: T.ProjectHandle, options: { path?: string; format?: string } = {}): Promise<T.FileWritten | T.FileData> {
    return this.request("SaveProject", project, (b) => table(b, P.SaveProject, {
      path: text(b, options.path), format: text(b, options.format),
    }), file);
  }
  /** Like saveProject, meshes included (obj, ply, stl). */
  exportProject(project: T.ProjectHandle, options: { path?: string; format?: string } = {}): Promise<T.FileWritten | T.FileData> {
    return this.request("ExportProject", project, (b) => table(b, P.ExportProject, {
      path: text(b, options.path), format: text(b, options.format),
    }), file);
  }
  /** Removes a file under the daemon's root: only a regular file of a format voxd writes; resolves to its path. */
  removeFile(path: string): Promise<string> {
    return this.request("RemoveFile", 0n, (b) => table(b, P.RemoveFile, { path: text(b, path) }),
                        result(["FileRemoved", P.FileRemoved, (r: P.FileRemoved) => r.path() ?? ""]));
  }
  projectInfo(project: T.ProjectHandle): Promise<T.ProjectInfo> {
    return this.request("GetProjectInfo", project, (b) => table(b, P.GetProjectInfo),
                        result(["ProjectInfo", P.ProjectInfo, D.projectInfo]));
  }
  copyProject(project: T.ProjectHandle, name: string): Promise<T.ProjectHandle> {
    return this.request("CopyProject", project, (b) => table(b, P.CopyProject, { name: text(b, name) }),
                        result(["ProjectCreated", P.ProjectCreated, (r: P.ProjectCreated) => r.handle()]));
  }

  // ---- voxels ----
  setVoxels(project: T.ProjectHandle, voxels: readonly T.Voxel[], layer = 0): Promise<bigint> {
    return this.edit(project, edits.setVoxels(voxels, layer), changed);
  }
  removeVoxels(project: T.ProjectHandle, positions: readonly T.Vec3[], layer = 0): Promise<bigint> {
    return this.edit(project, edits.removeVoxels(positions, layer), changed);
  }
  /** One rgba per position (0 = empty). */
  getVoxels(project: T.ProjectHandle, positions: readonly T.Vec3[], layer = 0): Promise<Uint32Array> {
    return this.request("GetVoxels", project, (b) => table(b, P.GetVoxels, {
      positions: { offset: vec3Vector(b, positions) }, layer,
    }), result(["Colors", P.Colors, D.colors]));
  }
  /** One page of a box read; start without a cursor, repeat with nextCursor until done. */
  readBoxPage(project: T.ProjectHandle, box: T.Box, options: { layer?: number; dense?: boolean; cursor?: Uint8Array;
                                                               maxVoxels?: number } = {}): Promise<T.VoxelPage> {
    return this.request("ReadBox", project, (b) => table(b, P.ReadBox, {
      cursor: options.cursor && options.cursor.length ? bytes(b, options.cursor) : undefined,
      layer: options.layer ?? 0, box: box3(box), mode: options.dense ? P.ReadBoxMode.dense : P.ReadBoxMode.sparse,
      max_voxels: options.maxVoxels ?? 0,
    }), result(["VoxelPage", P.VoxelPage, D.voxelPage]));
  }
  /** The non-empty voxels of a box, every page. */
  async readBox(project: T.ProjectHandle, box: T.Box, options: { layer?: number; maxVoxels?: number } = {}): Promise<T.Voxel[]> {
    const voxels: T.Voxel[] = [];
    for await (const page of this.pages(project, box, { ...options, dense: false })) voxels.push(...page.voxels);
    return voxels;
  }
  /** Every voxel of a box (x fastest, then y, then z; 0 = empty), every page. */
  async readBoxDense(project: T.ProjectHandle, box: T.Box, options: { layer?: number; maxVoxels?: number } = {}): Promise<T.DenseBox> {
    const lo = [0, 1, 2].map((i) => Math.min(box.min[i], box.max[i])) as unknown as T.Vec3;
    const hi = [0, 1, 2].map((i) => Math.max(box.min[i], box.max[i])) as unknown as T.Vec3;
    const parts: Uint32Array[] = [];
    let nextZ = lo[2];
    for await (const page of this.pages(project, box, { ...options, dense: true })) {
      if (!page.denseBox || page.denseBox.min[2] !== nextZ) {
        throw new ProtocolError(P.Status.protocol, `a dense page does not start at z = ${nextZ}`);
      }
      parts.push(page.dense);
      nextZ = page.denseBox.max[2] + 1;
    }
    const colors = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      colors.set(part, at);
      at += part.length;
    }
    return { box: { min: lo, max: hi }, colors };
  }
  private async *pages(project: T.ProjectHandle, box: T.Box, options: { layer?: number; dense: boolean;
                                                                         maxVoxels?: number }): AsyncGenerator<T.VoxelPage> {
    let cursor: Uint8Array | undefined;
    for (;;) {
      const page = await this.readBoxPage(project, box, { ...options, cursor });
      yield page;
      if (page.done) return;
      if (!page.nextCursor.length) throw new ProtocolError(P.Status.protocol, "a page that is not done has no cursor");
      cursor = page.nextCursor;
    }
  }
  clearLayer(project: T.ProjectHandle, layer = 0): Promise<bigint> {
    return this.edit(project, edits.clearLayer(layer), changed);
  }

  // ---- shapes ----
  drawShape(project: T.ProjectHandle, shape: T.ShapeName, box: T.Box, rgba: number,
            options: { mode?: T.BlendModeName; layer?: number } = {}): Promise<bigint> {
    return this.edit(project, edits.drawShape(shape, box, rgba, options), changed);
  }
  drawLine(project: T.ProjectHandle, from: T.Vec3, to: T.Vec3, rgba: number,
           options: { mode?: T.BlendModeName; layer?: number } = {}): Promise<bigint> {
    return this.edit(project, edits.drawLine(from, to, rgba, options), changed);
  }
  floodFill(project: T.ProjectHandle, seed: T.Vec3, rgba: number,
            options: { tolerance?: number; bounds?: T.Box; layer?: number } = {}): Promise<bigint> {
    return this.edit(project, edits.floodFill(seed, rgba, options), changed);
  }
  moveRegion(project: T.ProjectHandle, source: T.Box, offset: T.Vec3,
             options: { keepSource?: boolean; layer?: number } = {}): Promise<bigint> {
    return this.edit(project, edits.moveRegion(source, offset, options), changed);
  }

  // ---- layers ----
  addLayer(project: T.ProjectHandle, name: string): Promise<number> {
    return this.edit(project, edits.addLayer(name), layerCreated);
  }
  removeLayer(project: T.ProjectHandle, layer: number): Promise<bigint> {
    return this.edit(project, edits.removeLayer(layer), changed);
  }
  renameLayer(project: T.ProjectHandle, layer: number, name: string): Promise<bigint> {
    return this.edit(project, edits.renameLayer(layer, name), changed);
  }
  moveLayer(project: T.ProjectHandle, layer: number, index: number): Promise<bigint> {
    return this.edit(project, edits.moveLayer(layer, index), changed);
  }
  duplicateLayer(project: T.ProjectHandle, layer: number): Promise<number> {
    return this.edit(project, edits.duplicateLayer(layer), layerCreated);
  }
  mergeLayers(project: T.ProjectHandle, upper: number, lower: number): Promise<bigint> {
    return this.edit(project, edits.mergeLayers(upper, lower), changed);
  }
  setLayerVisible(project: T.ProjectHandle, layer: number, visible: boolean): Promise<bigint> {
    return this.edit(project, edits.setLayerVisible(layer, visible), changed);
  }
  selectLayer(project: T.ProjectHandle, layer: number): Promise<bigint> {
    return this.edit(project, edits.selectLayer(layer), changed);
  }
  listLayers(project: T.ProjectHandle): Promise<T.LayerList> {
    return this.request("ListLayers", project, (b) => table(b, P.ListLayers), result(["LayerList", P.LayerList, D.layerList]));
  }

  // ---- history ----
  undo(project: T.ProjectHandle): Promise<T.History> {
    return this.request("Undo", project, (b) => table(b, P.Undo), result(["HistoryResult", P.HistoryResult, D.history]));
  }
  redo(project: T.ProjectHandle): Promise<T.History> {
    return this.request("Redo", project, (b) => table(b, P.Redo), result(["HistoryResult", P.HistoryResult, D.history]));
  }
  /** Applies every edit in order as one undo step, all or nothing; one value per edit (see BatchResult). */
  batch(project: T.ProjectHandle, operations: readonly Edit[]): Promise<bigint[]> {
    return this.request("Batch", project, (b) => batch(b, operations), result(["BatchResult", P.BatchResult, D.batchResult]));
  }

  // ---- queries ----
  boundingBox(project: T.ProjectHandle, layer = 0): Promise<T.Box | null> {
    return this.request("GetBoundingBox", project, (b) => table(b, P.GetBoundingBox, { layer }),
                        result(["BoundingBox", P.BoundingBox, D.boundingBox]));
  }
  countVoxels(project: T.ProjectHandle, layer = 0): Promise<bigint> {
    return this.request("CountVoxels", project, (b) => table(b, P.CountVoxels, { layer }), result(["Count", P.Count, D.count]));
  }
  histogram(project: T.ProjectHandle, options: { layer?: number; maxEntries?: number } = {}): Promise<T.Histogram> {
    return this.request("GetHistogram", project, (b) => table(b, P.GetHistogram, {
      layer: options.layer ?? 0, max_entries: options.maxEntries ?? 0,
    }), result(["Histogram", P.Histogram, D.histogram]));
  }
  uniqueColors(project: T.ProjectHandle, layer = 0): Promise<Uint32Array> {
    return this.request("GetUniqueColors", project, (b) => table(b, P.GetUniqueColors, { layer }),
                        result(["Colors", P.Colors, D.colors]));
  }
  findByColor(project: T.ProjectHandle, rgba: number,
              options: { tolerance?: number; maxResults?: number; layer?: number } = {}): Promise<T.Positions> {
    return this.request("FindByColor", project, (b) => table(b, P.FindByColor, {
      layer: options.layer ?? 0, rgba, tolerance: options.tolerance ?? 0, max_results: options.maxResults ?? 0,
    }), result(["Positions", P.Positions, D.positions]));
  }

  // ---- render ----
  /** A PNG of the visible layers: inline (FileData) or, with `path`, written under the root (FileWritten). */
  /** Options: view (or the free camera: yaw, pitch, distance, perspective) and the look; see T.RenderOptions. */
  render(project: T.ProjectHandle, options: T.RenderOptions = {}): Promise<T.FileWritten | T.FileData> {
    return this.request("Render", project, (b) => renderBody(b, options), file);
  }
}
