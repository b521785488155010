// The inputs a client has sent and the server has not yet reported
// applied: redundancy, acks, latency, prediction replay.

/** MAX_PENDING caps the unacknowledged inputs kept, should a server stop acknowledging. */
const MAX_PENDING = 256;

/** SentInput is one input as the client sent it. */
export interface SentInput {
  /** seq is its sequence number, +1 per input, continuing across rooms and connections. */
  readonly seq: number;
  /** tick is the server tick it was aimed at (a hint). */
  readonly tick: number;
  /** values are its raw values in the room's input order, clamped, trailing zeros left out. */
  readonly values: readonly number[];
  /** sentAtMs is when it was first sent (performance.now()). */
  readonly sentAtMs: number;
}

/** InputLog numbers inputs and keeps the unacknowledged ones, oldest first. */
export class InputLog {
  /** lastSeq is the seq of the newest input made. */
  lastSeq = 0;
  /** appliedSeq is the highest seq the server reported applied in this seat. */
  appliedSeq = 0;
  /** pending are the inputs not yet reported applied, oldest first. */
  pending: SentInput[] = [];

  /** add numbers a new input and keeps it; it returns it and how many old ones it pushed out. */
  add(values: number[], tick: number, nowMs: number): { input: SentInput; dropped: number } {
    const input = { seq: ++this.lastSeq, tick, values, sentAtMs: nowMs };
    this.pending.push(input);
    let dropped = 0;
    if (this.pending.length > MAX_PENDING) {
      dropped = this.pending.length - MAX_PENDING;
      this.pending.splice(0, dropped);
    }
    return { input, dropped };
  }

  /** newest returns the newest n pending inputs, oldest first: what a batch carries. */
  newest(n: number): SentInput[] {
    return this.pending.slice(Math.max(0, this.pending.length - n));
  }

  /** keepNewest forgets all but the newest n pending inputs and returns how many it forgot. */
  keepNewest(n: number): number {
    const drop = Math.max(0, this.pending.length - n);
    this.pending.splice(0, drop);
    return drop;
  }

  /** acknowledge takes the server's last applied seq and returns the inputs it newly covers. */
  acknowledge(lastSeq: number): SentInput[] {
    let k = 0;
    while (k < this.pending.length && this.pending[k].seq <= lastSeq) k++;
    this.appliedSeq = Math.max(this.appliedSeq, lastSeq);
    return this.pending.splice(0, k);
  }

  /** seen continues numbering after seq, when a resumed session's server reports it. */
  seen(seq: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  /** resetSeat forgets the pending inputs of a seat that is gone; seqs keep counting. */
  resetSeat(): void {
    this.pending = [];
    this.appliedSeq = 0;
  }
}
