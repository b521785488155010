// Interpolation: the world between two snapshots, each field blended as the
// schema's hint says (docs/protocol.md, "Field schema": interpolation).

import { Interpolation } from "./gen/tickwire/v1/tickwire_pb.js";
import { Rows } from "./rows.js";
import type { Schema } from "./schema.js";

/** roundHalfAway rounds half away from zero, as Go's math.Round. */
function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** lerpInt32 blends a and b at t, rounding to nearest (halves away from zero). */
export function lerpInt32(a: number, b: number, t: number): number {
  return roundHalfAway(a + (b - a) * t) | 0;
}

/**
 * lerpAngle blends two angles of `steps` per turn along the shorter arc
 * and returns a value in 0..steps-1.
 */
export function lerpAngle(a: number, b: number, steps: number, t: number): number {
  if (steps <= 0) return b;
  let d = (((b - a) % steps) + steps) % steps; // 0..steps-1
  if (d > Math.trunc(steps / 2)) d -= steps; // the other way round is shorter
  const v = roundHalfAway(a + d * t);
  return ((v % steps) + steps) % steps;
}

/**
 * interpolateRows returns the blend of two snapshots at t in [0, 1] (0 =
 * from, 1 = to). An entity in both gets each field blended as its hint
 * says (LINEAR, ANGLE the short way round with the field's steps, NONE the
 * value of to); an entity only in to appears as it is in to; one only in
 * from was removed and is left out. An entity whose kind changed, or whose
 * kind the schema does not declare, is taken from to unblended.
 */
export function interpolateRows(from: Rows, to: Rows, t: number, schema: Schema | null): Rows {
  t = Math.max(0, Math.min(1, t));
  const out = new Rows(to.layout, to.data.slice());
  if (!schema) return out;
  let i = 0;
  for (let k = 0; k < out.length; k++) {
    const id = out.id(k);
    while (i < from.length && from.id(i) < id) i++;
    if (i >= from.length || from.id(i) !== id || from.kind(i) !== out.kind(k)) continue;
    const kind = schema.kind(out.kind(k));
    if (!kind) continue;
    const a = from.fields(i);
    const b = out.fields(k);
    kind.fields.forEach((f, x) => {
      if (f.interpolation === Interpolation.LINEAR) b[x] = lerpInt32(a[x], b[x], t);
      else if (f.interpolation === Interpolation.ANGLE) b[x] = lerpAngle(a[x], b[x], f.scale, t);
    });
  }
  return out;
}

/** A snapshot on the interpolation timeline. */
interface Frame {
  tick: number;
  timeUs: number;
  rows: Rows;
}

/** INTERP_FRAMES is how many snapshots an Interpolator keeps. */
const INTERP_FRAMES = 16;

/**
 * Interpolator keeps the newest snapshots with their server times and
 * renders the world at any server time between them.
 */
export class Interpolator {
  #schema: Schema | null = null;
  #frames: Frame[] = [];

  /** reset forgets every snapshot and takes schema for the ones to come. */
  reset(schema: Schema | null): void {
    this.#schema = schema;
    this.#frames = [];
  }

  /** length returns how many snapshots are held. */
  get length(): number {
    return this.#frames.length;
  }

  /**
   * push adds the snapshot of tick taken at server time timeUs; one not
   * newer than the newest held is ignored (false).
   */
  push(tick: number, timeUs: number, rows: Rows): boolean {
    const last = this.#frames.at(-1);
    if (last && timeUs <= last.timeUs) return false;
    this.#frames.push({ tick, timeUs, rows });
    if (this.#frames.length > INTERP_FRAMES) this.#frames.shift();
    return true;
  }

  /**
   * sample returns the world at server time renderUs and the tick of the
   * newer snapshot it used: the blend of the two snapshots around it, or
   * the oldest (newest) as it is when renderUs is before (after) all of
   * them; null when none is held.
   */
  sample(renderUs: number): { tick: number; rows: Rows } | null {
    const fs = this.#frames;
    if (fs.length === 0) return null;
    if (renderUs <= fs[0].timeUs) return { tick: fs[0].tick, rows: fs[0].rows };
    const newest = fs[fs.length - 1];
    if (renderUs >= newest.timeUs) return { tick: newest.tick, rows: newest.rows };
    for (let i = fs.length - 1; i > 0; i--) {
      const a = fs[i - 1];
      const b = fs[i];
      if (renderUs >= a.timeUs) {
        const t = (renderUs - a.timeUs) / (b.timeUs - a.timeUs);
        return { tick: b.tick, rows: interpolateRows(a.rows, b.rows, t, this.#schema) };
      }
    }
    return { tick: newest.tick, rows: newest.rows };
  }
}
