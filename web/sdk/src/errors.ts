// The errors a Client rejects with or ends with.

import { CloseReason, ErrorCode } from "./gen/tickwire/v1/tickwire_pb.js";

/** enumLabel returns an enum value's lowercase name without its prefix, such as "room_full". */
function enumLabel(e: Record<number, string>, v: number): string {
  return (e[v] ?? `${v}`).toLowerCase();
}

/**
 * ServerError is an Error message the server answered a request with (a
 * refused Hello, JoinRoom, CreateRoom...). A refused Hello's close, when the
 * server closed, is its `cause` (a {@link CloseError}).
 */
export class ServerError extends Error {
  /** code says what was refused and why. */
  readonly code: ErrorCode;
  /** detail is the server's human-readable text. */
  readonly detail: string;

  /** new ServerError wraps the server's code and text. */
  constructor(code: ErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`server error: ${enumLabel(ErrorCode, code)}${detail ? ": " + detail : ""}`, options);
    this.name = "ServerError";
    this.code = code;
    this.detail = detail;
  }
}

/**
 * CloseError is the server ending the connection for a tickwire reason
 * (its Closing message, or a WebSocket close code 4000 + reason).
 */
export class CloseError extends Error {
  /** reason says why. */
  readonly reason: CloseReason;
  /** detail is the server's human-readable text. */
  readonly detail: string;

  /** new CloseError wraps the server's reason and text. */
  constructor(reason: CloseReason, detail: string) {
    super(`connection closed: ${enumLabel(CloseReason, reason)}${detail ? ": " + detail : ""}`);
    this.name = "CloseError";
    this.reason = reason;
    this.detail = detail;
  }
}

/**
 * ConnectionLostError is a connection that ended without a tickwire reason:
 * a network failure, a WebSocket close code (1006 abnormal, 1001 going
 * away...), or no data from the server for too long.
 */
export class ConnectionLostError extends Error {
  /** code is the WebSocket close code, 1006 when the socket just died. */
  readonly code: number;

  /** new ConnectionLostError describes the end of a socket. */
  constructor(code: number, detail: string) {
    super(`connection lost: ${code}${detail ? " " + detail : ""}`);
    this.name = "ConnectionLostError";
    this.code = code;
  }
}

/**
 * ReconnectingError rejects a request made while the client redials, or
 * one that was waiting when the connection was lost (then its `cause` is
 * the loss). Retry after the "reconnect" event.
 */
export class ReconnectingError extends Error {
  /** new ReconnectingError names what could not be done. */
  constructor(what: string, options?: { cause?: unknown }) {
    super(`${what}: reconnecting`, options);
    this.name = "ReconnectingError";
  }
}

/**
 * ReconnectGaveUpError ends a client that found no way back within its
 * reconnect policy's giveUpAfterMs; `cause` is the loss, `lastAttempt` the
 * last redial's error.
 */
export class ReconnectGaveUpError extends Error {
  /** lastAttempt is why the last redial failed, if one was made. */
  readonly lastAttempt: unknown;

  /** new ReconnectGaveUpError records the loss and the attempts. */
  constructor(afterMs: number, attempts: number, lost: unknown, lastAttempt: unknown) {
    super(`reconnect gave up after ${Math.round(afterMs)} ms and ${attempts} attempts`, { cause: lost });
    this.name = "ReconnectGaveUpError";
    this.lastAttempt = lastAttempt;
  }
}

/** ClientClosedError is why a client ended after close(), and what calls made after it reject with. */
export class ClientClosedError extends Error {
  /** new ClientClosedError. */
  constructor() {
    super("client closed");
    this.name = "ClientClosedError";
  }
}

/** NotJoinedError rejects calls that need a seat in a room. */
export class NotJoinedError extends Error {
  /** new NotJoinedError names the call. */
  constructor(what: string) {
    super(`${what}: not in a room`);
    this.name = "NotJoinedError";
  }
}

/** TimeoutError rejects a request the server did not answer in time. */
export class TimeoutError extends Error {
  /** new TimeoutError names the request. */
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}
