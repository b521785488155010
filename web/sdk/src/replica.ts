// The client's ring of applied, verified states (docs/protocol.md, "The
// client's ring of applied states").

import { applyDelta, DeltaError } from "./delta.js";
import { checksum, Layout, Rows } from "./rows.js";

/** REPLICA_STATES is how many states a client keeps: over 3 s at 20 Hz, twice the server's history. */
export const REPLICA_STATES = 64;

/** What applying a snapshot gave. */
export type ApplyResult =
  | { ok: true; rows: Rows }
  | { ok: false; problem: "stale" | "missing_base" | "checksum"; detail: string }
  | { ok: false; problem: "decode"; detail: string; error: DeltaError };

/**
 * Replica keeps the newest verified states keyed by tick, so that a delta
 * against any recently acknowledged tick applies. Only states whose
 * checksum matched are kept: a desync never becomes a baseline.
 */
export class Replica {
  #layout: Layout;
  #states: { tick: number; rows: Rows }[] = [];
  readonly #size: number;

  /** new Replica keeps size states of rows of layout. */
  constructor(layout: Layout, size = REPLICA_STATES) {
    this.#layout = layout;
    this.#size = Math.max(size, 2);
  }

  /** reset forgets every state and takes layout, for a new room or a resumed seat. */
  reset(layout: Layout): void {
    this.#layout = layout;
    this.#states = [];
  }

  /** layout returns the layout of the states. */
  get layout(): Layout {
    return this.#layout;
  }

  /** length returns how many states are held. */
  get length(): number {
    return this.#states.length;
  }

  /** latest returns the newest state, or tick 0 and an empty world. */
  latest(): { tick: number; rows: Rows } {
    return this.#states.at(-1) ?? { tick: 0, rows: new Rows(this.#layout) };
  }

  /** get returns the rows of tick (0: the empty world), or undefined. */
  get(tick: number): Rows | undefined {
    if (tick === 0) return new Rows(this.#layout);
    for (let i = this.#states.length - 1; i >= 0; i--) {
      if (this.#states[i].tick === tick) return this.#states[i].rows;
    }
    return undefined;
  }

  /**
   * apply applies a snapshot's delta to the state of baseTick, verifies the
   * result against sum and, when it matches, keeps it as the newest state.
   * On any problem nothing changes.
   */
  apply(tick: number, baseTick: number, delta: Uint8Array, sum: number): ApplyResult {
    const newest = this.#states.at(-1);
    if (tick === 0 || (newest && tick <= newest.tick)) {
      return { ok: false, problem: "stale", detail: `tick ${tick} not newer than ${newest?.tick ?? 0}` };
    }
    const base = this.get(baseTick);
    if (!base) return { ok: false, problem: "missing_base", detail: `tick ${tick}: base ${baseTick} not held` };
    const rows = applyDelta(base, delta);
    if (rows instanceof DeltaError) return { ok: false, problem: "decode", detail: `tick ${tick} on ${baseTick}: ${rows.message}`, error: rows };
    const got = checksum(rows);
    if (got !== sum) {
      return { ok: false, problem: "checksum", detail: `tick ${tick} on ${baseTick}: checksum ${hex(got)}, server says ${hex(sum)}` };
    }
    this.#states.push({ tick, rows });
    if (this.#states.length > this.#size) this.#states.shift();
    return { ok: true, rows };
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
