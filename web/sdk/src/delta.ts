// The packed delta (docs/protocol.md, "The packed delta"): decoding with
// every validation rule, and encoding (for tools, tests and fake servers).

import { Layout, Rows } from "./rows.js";
import { readVarint, unzigzag, writeVarint, zigzag } from "./varint.js";

/**
 * DeltaRule names the rule a malformed delta breaks, as docs/protocol.md's
 * table lists them (Go's ErrDelta* errors, in lowercase).
 */
export type DeltaRule =
  | "truncated"
  | "varint"
  | "value"
  | "count"
  | "mask_run"
  | "mask"
  | "id_zero"
  | "id_order"
  | "id_overflow"
  | "kind"
  | "remove_unknown"
  | "remove_changed"
  | "trailing";

/** DeltaError is a malformed delta: the rule it breaks and where. */
export class DeltaError extends Error {
  /** rule is the broken rule. */
  readonly rule: DeltaRule;

  /** new DeltaError describes a broken rule; detail says where. */
  constructor(rule: DeltaRule, detail: string) {
    super(`malformed delta: ${rule}: ${detail}`);
    this.name = "DeltaError";
    this.rule = rule;
  }
}

const MAX_UINT32 = 0xffffffff;

/** Columns of a delta that scan has validated. */
interface Columns {
  nChanged: number;
  ids: number;
  masks: number;
  values: number;
  nRemoved: number;
  removed: number;
}

/** Thrown inside the decoder only; applyDelta returns it. */
function fail(rule: DeltaRule, detail: string): never {
  throw new DeltaError(rule, detail);
}

/** varint reads a varint or fails with its problem. */
function varint(b: Uint8Array, off: number, what: string): { value: number; next: number } {
  const r = readVarint(b, off);
  if (!r.ok) fail(r.problem, `${what} at byte ${off}`);
  return r;
}

/** count reads a column count that the remaining bytes (less reserve) must be able to hold. */
function count(b: Uint8Array, off: number, reserve: number, what: string): { value: number; next: number } {
  const r = varint(b, off, what);
  const room = Math.max(b.length - r.next - reserve, 0);
  if (r.value > room) fail("count", `${what} ${r.value} at byte ${off}, ${b.length - r.next} bytes remain`);
  return r;
}

/** ids validates an id-gap column of n ids at off and returns the offset past it. */
function ids(b: Uint8Array, off: number, n: number, what: string): number {
  let id = 0;
  for (let k = 0; k < n; k++) {
    const at = off;
    const r = varint(b, off, what);
    off = r.next;
    const gap = r.value;
    if (gap === 0 && k === 0) fail("id_zero", `${what} at byte ${at}`);
    if (gap === 0) fail("id_order", `${what} ${id} repeated at byte ${at}`);
    if (gap > MAX_UINT32 - id) fail("id_overflow", `${what} gap ${gap} after ${id} at byte ${at}`);
    id += gap;
  }
  return off;
}

/** popcount returns the set bits of mask, an integer below 2^33. */
function popcount(mask: number): number {
  let n = 0;
  for (let lo = mask % 0x100000000; lo !== 0; lo &= lo - 1) n++;
  return n + (mask >= 0x100000000 ? 1 : 0);
}

/** scan checks everything that does not need the base and finds the columns (step 1). */
function scan(b: Uint8Array, width: number): Columns {
  let off = 0;
  const nc = count(b, off, 1, "changed count");
  const nChanged = nc.value;
  off = nc.next;
  const idsAt = off;
  off = ids(b, off, nChanged, "changed id");
  const masksAt = off;
  let values = 0;
  const limit = 2 ** width;
  for (let covered = 0; covered < nChanged; ) {
    let at = off;
    const run = varint(b, off, "mask run");
    off = run.next;
    if (run.value === 0 || run.value > nChanged - covered) {
      fail("mask_run", `run ${run.value} at byte ${at}, ${nChanged - covered} of ${nChanged} entities left`);
    }
    at = off;
    const mask = varint(b, off, "mask");
    off = mask.next;
    if (mask.value >= limit) fail("mask", `mask ${mask.value} at byte ${at} for rows of ${width} values`);
    covered += run.value;
    values += run.value * popcount(mask.value);
  }
  const valuesAt = off;
  for (let k = 0; k < values; k++) {
    const at = off;
    const v = varint(b, off, "value delta");
    if (v.value > MAX_UINT32) fail("value", `value delta ${v.value} at byte ${at} exceeds 32 bits`);
    off = v.next;
  }
  const nr = count(b, off, 0, "removed count");
  off = nr.next;
  const removedAt = off;
  off = ids(b, off, nr.value, "removed id");
  if (off !== b.length) fail("trailing", `${b.length - off} bytes after byte ${off}`);
  return { nChanged, ids: idsAt, masks: masksAt, values: valuesAt, nRemoved: nr.value, removed: removedAt };
}

/** IdColumn reads back a validated id-gap column. */
class IdColumn {
  #b: Uint8Array;
  #off: number;
  #left: number;
  #id = 0;
  constructor(b: Uint8Array, off: number, n: number) {
    this.#b = b;
    this.#off = off;
    this.#left = n;
  }
  /** next returns the next id, or -1 when the column is done. */
  next(): number {
    if (this.#left === 0) return -1;
    const r = varint(this.#b, this.#off, "id");
    this.#off = r.next;
    this.#left--;
    this.#id += r.value;
    return this.#id;
  }
}

/**
 * applyDelta applies a packed delta to base (an empty world when null) and
 * returns the resulting rows, of base's layout (or of layout when base is
 * null); base is left as it was. A delta that breaks any rule of
 * docs/protocol.md gives a {@link DeltaError} naming the rule: applyDelta
 * never throws on any bytes, and allocates no more than the delta's size
 * and base's entities allow.
 */
export function applyDelta(base: Rows | null, delta: Uint8Array, layout?: Layout): Rows | DeltaError {
  const l = base?.layout ?? layout;
  if (!l) throw new TypeError("applyDelta needs a base or a layout");
  try {
    return apply(l, base?.data ?? new Int32Array(0), delta);
  } catch (e) {
    if (e instanceof DeltaError) return e;
    throw e; // a bug of this decoder, not of the delta
  }
}

/** apply merge-walks base, the listed ids and the removed ids (step 2). */
function apply(layout: Layout, bd: Int32Array, delta: Uint8Array): Rows {
  const w = layout.width;
  const s = 1 + w;
  const cols = scan(delta, w);
  // nChanged is bounded by the delta's length, so this allocation is too.
  const out = new Int32Array(bd.length + cols.nChanged * s);
  let n = 0; // int32s written to out
  const chg = new IdColumn(delta, cols.ids, cols.nChanged);
  const rem = new IdColumn(delta, cols.removed, cols.nRemoved);
  let maskOff = cols.masks;
  let runLeft = 0;
  let mask = 0;
  let valOff = cols.values;
  let cid = chg.next();
  let rid = rem.next();
  let i = 0;
  while (i < bd.length || cid >= 0) {
    const bok = i < bd.length;
    const bid = bok ? bd[i] >>> 0 : 0;
    // Removed ids walk in step with base; one that falls before the next
    // base entity was never in base.
    if (rid >= 0 && (!bok || rid < bid)) fail("remove_unknown", `id ${rid}`);
    let at: number;
    if (bok && (cid < 0 || bid < cid)) {
      // Not listed: kept, or dropped when removed.
      if (rid === bid) rid = rem.next();
      else {
        out.set(bd.subarray(i, i + s), n);
        n += s;
      }
      i += s;
      continue;
    } else if (bok && bid === cid) {
      if (rid === bid) fail("remove_changed", `id ${rid}`);
      at = n;
      out.set(bd.subarray(i, i + s), n);
      n += s;
      i += s;
    } else {
      // Listed and not in base: created from an all-zero row.
      at = n;
      out.fill(0, n, n + s);
      out[n] = cid | 0;
      n += s;
    }
    if (runLeft === 0) {
      const run = varint(delta, maskOff, "mask run");
      const m = varint(delta, run.next, "mask");
      maskOff = m.next;
      runLeft = run.value;
      mask = m.value;
    }
    runLeft--;
    for (let f = 0, m = mask; m !== 0; f++, m = Math.floor(m / 2)) {
      if (m % 2 === 0) continue;
      const v = varint(delta, valOff, "value delta");
      valOff = v.next;
      out[at + 1 + f] = (out[at + 1 + f] + unzigzag(v.value)) | 0;
    }
    if (!layout.validRow(out.subarray(at + 1, at + s))) fail("kind", `entity ${cid}: ${rowProblem(layout, out.subarray(at + 1, at + s))}`);
    cid = chg.next();
  }
  if (rid >= 0) fail("remove_unknown", `id ${rid}`);
  return new Rows(layout, n === out.length ? out : out.slice(0, n));
}

/** rowProblem says why a row is not valid. */
function rowProblem(layout: Layout, row: Int32Array): string {
  const n = layout.fieldCount(row[0]);
  if (n < 0) return `kind ${row[0]} is not declared`;
  for (let i = 1 + n; i < row.length; i++) {
    if (row[i] !== 0) return `kind ${row[0]} has ${n} fields, but row value ${i} is ${row[i]}`;
  }
  return "valid";
}

/**
 * encodeDelta returns the packed delta that turns base (null: an empty
 * world) into target, as the server writes it: listed ids as gaps, one
 * mask run per maximal sequence of equal masks, minimal varints. Both must
 * have the same width.
 */
export function encodeDelta(base: Rows | null, target: Rows): Uint8Array {
  const w = target.width;
  if (base && base.width !== w) throw new RangeError(`delta from width ${base.width} to width ${w}`);
  const s = 1 + w;
  const bd = base?.data ?? new Int32Array(0);
  const td = target.data;
  // The listed entities: offset in target, in base (-1 created), mask.
  const listed: { t: number; old: number; mask: number }[] = [];
  let i = 0;
  let matched = 0;
  for (let t = 0; t < td.length; t += s) {
    const id = td[t] >>> 0;
    while (i < bd.length && bd[i] >>> 0 < id) i += s;
    const old = i < bd.length && bd[i] >>> 0 === id ? i : -1;
    if (old >= 0) matched++;
    let mask = 0;
    for (let f = 0; f < w; f++) {
      const was = old >= 0 ? bd[old + 1 + f] : 0;
      if (td[t + 1 + f] !== was) mask += 2 ** f;
    }
    if (mask !== 0 || old < 0) listed.push({ t, old, mask });
  }
  const out: number[] = [];
  writeVarint(out, listed.length);
  let prev = 0;
  for (const c of listed) {
    const id = td[c.t] >>> 0;
    writeVarint(out, id - prev);
    prev = id;
  }
  for (let k = 0; k < listed.length; ) {
    let run = 1;
    while (k + run < listed.length && listed[k + run].mask === listed[k].mask) run++;
    writeVarint(out, run);
    writeVarint(out, listed[k].mask);
    k += run;
  }
  for (const c of listed) {
    for (let f = 0, m = c.mask; m !== 0; f++, m = Math.floor(m / 2)) {
      if (m % 2 === 0) continue;
      const was = c.old >= 0 ? bd[c.old + 1 + f] : 0;
      writeVarint(out, zigzag((td[c.t + 1 + f] - was) | 0));
    }
  }
  writeVarint(out, bd.length / s - matched);
  prev = 0;
  let j = 0;
  for (let b = 0; b < bd.length; b += s) {
    const id = bd[b] >>> 0;
    while (j < td.length && td[j] >>> 0 < id) j += s;
    if (j < td.length && td[j] >>> 0 === id) continue;
    writeVarint(out, id - prev);
    prev = id;
  }
  return Uint8Array.from(out);
}
