// voxd-client: a TypeScript client of the voxd daemon over ZeroMQ, with flatc's code of protocol/voxd.fbs.
export { VoxdClient, PROTOCOL_VERSION, defaultEndpoint } from "./client";
export type { ClientOptions } from "./client";
export { edits } from "./encode";
export type { Edit } from "./encode";
export * from "./errors";
export * from "./types";
