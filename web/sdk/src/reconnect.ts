// Which losses a client redials after, and how long it waits (the same
// table as the Go client's, docs/client-go.md "Sessions and reconnection").

import { CloseReason, ErrorCode } from "./gen/tickwire/v1/tickwire_pb.js";
import { ClientClosedError, CloseError, ConnectionLostError, ServerError } from "./errors.js";

/** ReconnectPolicy says how a client redials after a loss that is not final. */
export interface ReconnectPolicy {
  /** minBackoffMs is the delay before the first redial (default 100); each failure doubles it. */
  minBackoffMs?: number;
  /** maxBackoffMs caps the delay (default 2000). */
  maxBackoffMs?: number;
  /** giveUpAfterMs ends the client this long after the loss (default 20000, the server's seat grace). */
  giveUpAfterMs?: number;
}

/** The defaults of a ReconnectPolicy. */
export const DEFAULT_RECONNECT: Required<ReconnectPolicy> = { minBackoffMs: 100, maxBackoffMs: 2000, giveUpAfterMs: 20000 };

/** Close reasons after which a redial is pointless or wrong. */
const FINAL_REASONS = new Set<CloseReason>([
  CloseReason.NORMAL,
  CloseReason.KICKED,
  CloseReason.ROOM_CLOSED,
  CloseReason.SERVER_SHUTDOWN,
  CloseReason.PROTOCOL_ERROR,
  CloseReason.VERSION_MISMATCH,
  CloseReason.REPLACED,
  CloseReason.MATCH_ENDED,
  CloseReason.AUTH_FAILED,
  CloseReason.IDLE_TIMEOUT,
]);

/** Hello refusals a redial would get again. */
const FINAL_ERROR_CODES = new Set<ErrorCode>([
  ErrorCode.UNSUPPORTED_VERSION,
  ErrorCode.INVALID_NAME,
  ErrorCode.INVALID_TOKEN,
  ErrorCode.EXPIRED_TOKEN,
  ErrorCode.SHUTTING_DOWN,
]);

/** WebSocket close codes a redial would meet again: normal, protocol, unsupported data, invalid payload, policy, too big. */
const FINAL_WS_CODES = new Set([1000, 1002, 1003, 1007, 1008, 1009]);

/**
 * reconnectable reports whether err, the end of a connection or a failed
 * redial, leaves a redial worth trying: network errors, 1001, 1006,
 * 1011–1014, SLOW_CONSUMER and SERVER_FULL do; close(), the server's
 * deliberate ends (NORMAL, KICKED, ROOM_CLOSED, MATCH_ENDED,
 * SERVER_SHUTDOWN, IDLE_TIMEOUT: a connection that held no seat, which a
 * redial would not change), REPLACED, refusals that would repeat and the
 * WebSocket codes 1000, 1002, 1003, 1007, 1008, 1009 do not.
 */
export function reconnectable(err: unknown): boolean {
  if (err instanceof ClientClosedError) return false;
  if (err instanceof ServerError) {
    if (FINAL_ERROR_CODES.has(err.code)) return false;
    return err.cause === undefined || reconnectable(err.cause);
  }
  if (err instanceof CloseError) return !FINAL_REASONS.has(err.reason);
  if (err instanceof ConnectionLostError) return !FINAL_WS_CODES.has(err.code);
  return true;
}

/**
 * backoff returns the delay before redial attempt n (0 = first):
 * minBackoffMs doubled n times, capped at maxBackoffMs, then cut by a
 * random share (jitter in [0, 1)) of up to half, so that clients dropped
 * together spread out.
 */
export function backoff(p: Required<ReconnectPolicy>, n: number, jitter: number): number {
  const d = Math.min(p.minBackoffMs * 2 ** Math.min(n, 30), p.maxBackoffMs);
  return d - (jitter * d) / 2;
}
