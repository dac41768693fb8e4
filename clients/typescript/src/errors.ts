// Errors of the client: VoxdError carries the daemon's status (its name as in protocol/voxd.fbs), with one
// subclass per status so callers can `catch (e) { if (e instanceof StaleHandleError) ... }`.

export const STATUS_NAMES = [
  "ok", "invalid_argument", "not_found", "stale_handle", "limit_exceeded", "io", "format", "unsupported",
  "permission_denied", "protocol", "internal", "nothing_to_do", "busy",
] as const;

export type StatusName = (typeof STATUS_NAMES)[number];

export function statusName(code: number): StatusName | `status ${number}` {
  return code >= 0 && code < STATUS_NAMES.length ? STATUS_NAMES[code] : `status ${code}`;
}

/** The daemon answered with an error status (or its reply could not be read: `protocol`). */
export class VoxdError extends Error {
  readonly code: number;
  readonly status: StatusName | `status ${number}`;
  readonly requestId: bigint;

  constructor(code: number, message: string, requestId: bigint = 0n) {
    const status = statusName(code);
    super(message.startsWith(status) ? message : `${status}: ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.requestId = requestId;
  }
}

export class InvalidArgumentError extends VoxdError {}
export class NotFoundError extends VoxdError {}
export class StaleHandleError extends VoxdError {}
export class LimitExceededError extends VoxdError {}
export class IoError extends VoxdError {}
export class FormatError extends VoxdError {}
export class UnsupportedError extends VoxdError {}
export class PermissionDeniedError extends VoxdError {}
export class ProtocolError extends VoxdError {}
export class InternalError extends VoxdError {}
export class NothingToDoError extends VoxdError {}
export class BusyError extends VoxdError {}

const ERROR_CLASSES: ReadonlyArray<typeof VoxdError> = [
  VoxdError, InvalidArgumentError, NotFoundError, StaleHandleError, LimitExceededError, IoError, FormatError,
  UnsupportedError, PermissionDeniedError, ProtocolError, InternalError, NothingToDoError, BusyError,
];

/** The typed error for a status (statuses from a newer daemon become a plain VoxdError). */
export function errorFor(code: number, message: string, requestId: bigint = 0n): VoxdError {
  const Class = ERROR_CLASSES[code] ?? VoxdError;
  return new Class(code, message, requestId);
}

/** No reply within the timeout (a late reply is recognised by its id and dropped). */
export class VoxdTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VoxdTimeoutError";
  }
}
