// The arena's client-side prediction: a port of arena.Predictor.Step
// (game/arena predict.go and physics.go), checked step by step against Go
// by the vectors in web/app/testdata/predict.json.

import type { PredictFn, Schema, SentInput } from "../../sdk/src/index.js";
import { arenaMap } from "./gen/maps.js";
import { ceilSqrt, clamp, floorDiv, isqrt, quo, roundDiv } from "./fixed.js";

/** VEL_SCALE is the arena's velocity units per world unit per second (arena velScale). */
const VEL_SCALE = 1024;
/** MAX_TICK_HZ bounds the tick rate as the arena does. */
const MAX_TICK_HZ = 1000;
/** MOVE_AXIS_MAX is the largest move axis of an input. */
const MOVE_AXIS_MAX = 127;
/** ALIVE is the "alive" bit of a player's flags. */
const ALIVE = 1;

/** A wall in sub-units. */
interface Rect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** A moving circle in sub-units (position) and sub-units per tick (velocity). */
interface Body {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

/** World is the arena's map at one tick rate (arena world). */
class World {
  readonly unit: number;
  readonly walls: Rect[];
  readonly playerR: number;

  constructor(tickHz: number) {
    this.unit = VEL_SCALE * tickHz;
    const u = this.unit;
    this.walls = arenaMap.walls.map(([a, b, c, d]) => ({ minX: a * u, minY: b * u, maxX: c * u, maxY: d * u }));
    this.playerR = arenaMap.playerRadius * u;
  }

  toGrid(v: number, scale: number): number {
    return roundDiv(v * scale, this.unit);
  }

  fromGrid(v: number, scale: number): number {
    return v * quo(this.unit, scale);
  }

  /** moveBody advances b by its velocity in substeps of at most half the radius, sliding along walls. */
  moveBody(b: Body, r: number): void {
    const half = quo(r, 2);
    const n = Math.max(1, quo(Math.max(Math.abs(b.vx), Math.abs(b.vy)) + half - 1, half));
    for (let i = 0; i < n; i++) {
      b.x += quo(b.vx * (i + 1), n) - quo(b.vx * i, n);
      b.y += quo(b.vy * (i + 1), n) - quo(b.vy * i, n);
      for (let pass = 0; pass < 2; pass++) for (const w of this.walls) pushOut(b, r, w);
    }
  }
}

/** pushOut moves circle b out of wall w and removes the velocity into it (arena pushOut). */
function pushOut(b: Body, r: number, w: Rect): void {
  const cx = clamp(b.x, w.minX, w.maxX);
  const cy = clamp(b.y, w.minY, w.maxY);
  const dx = b.x - cx;
  const dy = b.y - cy;
  if (dx === 0 && dy === 0) {
    pushOutFromInside(b, r, w);
    return;
  }
  if (Math.abs(dx) >= r || Math.abs(dy) >= r) return;
  const d2 = dx * dx + dy * dy;
  if (d2 >= r * r) return;
  if (dy === 0) {
    if (dx > 0) [b.x, b.vx] = [cx + r, Math.max(b.vx, 0)];
    else [b.x, b.vx] = [cx - r, Math.min(b.vx, 0)];
  } else if (dx === 0) {
    if (dy > 0) [b.y, b.vy] = [cy + r, Math.max(b.vy, 0)];
    else [b.y, b.vy] = [cy - r, Math.min(b.vy, 0)];
  } else {
    const d = isqrt(d2);
    const push = r - d + 1;
    b.x += quo(dx * push, d);
    b.y += quo(dy * push, d);
    const vn = quo(b.vx * dx + b.vy * dy, d);
    if (vn < 0) {
      b.vx -= quo(dx * vn, d);
      b.vy -= quo(dy * vn, d);
    }
  }
}

/** pushOutFromInside leaves a wall through its nearest face (arena pushOutFromInside). */
function pushOutFromInside(b: Body, r: number, w: Rect): void {
  const left = b.x - w.minX;
  const right = w.maxX - b.x;
  const down = b.y - w.minY;
  const up = w.maxY - b.y;
  switch (Math.min(left, right, down, up)) {
    case left:
      [b.x, b.vx] = [w.minX - r, Math.min(b.vx, 0)];
      break;
    case right:
      [b.x, b.vx] = [w.maxX + r, Math.max(b.vx, 0)];
      break;
    case down:
      [b.y, b.vy] = [w.minY - r, Math.min(b.vy, 0)];
      break;
    default:
      [b.y, b.vy] = [w.maxY + r, Math.max(b.vy, 0)];
  }
}

/** targetVelocity is the velocity an input asks for (arena targetVelocity). */
function targetVelocity(mx: number, my: number, maxV: number): [number, number] {
  mx = clamp(mx, -MOVE_AXIS_MAX, MOVE_AXIS_MAX);
  my = clamp(my, -MOVE_AXIS_MAX, MOVE_AXIS_MAX);
  if (mx === 0 && my === 0) return [0, 0];
  const den = Math.max(MOVE_AXIS_MAX, ceilSqrt(mx * mx + my * my));
  return [quo(maxV * mx, den), quo(maxV * my, den)];
}

/** ArenaPredictOptions are the arena options prediction depends on. */
export interface ArenaPredictOptions {
  /** maxSpeed is the arena's max-speed option, world units per second (default 100). */
  maxSpeed?: number;
}

/**
 * arenaPredictor returns the SDK predict hook of an arena room with
 * schema: each input moves a living player one tick at the velocity the
 * input asks for (arena.Predictor.Step: steady state, no other players),
 * and sets its angle to the aim. Field and input positions come from the
 * schema by name; the positions' scale too.
 */
export function arenaPredictor(schema: Schema, opts: ArenaPredictOptions = {}): PredictFn {
  const kind = schema.kindNamed("player");
  if (!kind) throw new Error("arenaPredictor: the schema has no player kind");
  const fx = kind.fieldIndex("x");
  const fy = kind.fieldIndex("y");
  const fAngle = kind.fieldIndex("angle");
  const fFlags = kind.fieldIndex("flags");
  const scale = kind.fields[fx].scale;
  const inMoveX = schema.inputIndex("move_x");
  const inMoveY = schema.inputIndex("move_y");
  const inAim = schema.inputIndex("aim");
  const aimField = schema.input[inAim];
  const maxV = (opts.maxSpeed && opts.maxSpeed > 0 ? opts.maxSpeed : 100) * VEL_SCALE;
  let world: World | null = null;
  return (k: number, fields: Int32Array, input: SentInput, tickHz: number) => {
    if (k !== kind.kind || fields.length <= fFlags || (fields[fFlags] & ALIVE) === 0) return;
    const hz = Math.min(tickHz > 0 ? tickHz : 60, MAX_TICK_HZ);
    if (!world || world.unit !== VEL_SCALE * hz) world = new World(hz);
    const value = (i: number) => schema.input[i].clamp(input.values[i] ?? 0);
    const [tx, ty] = targetVelocity(value(inMoveX), value(inMoveY), maxV);
    const grid = quo(world.unit, scale);
    const s = input.seq;
    const b: Body = { x: world.fromGrid(fields[fx], scale), y: world.fromGrid(fields[fy], scale), vx: 0, vy: 0 };
    // The travel of input seq is the difference of the quantized paths at
    // seq and seq-1, so a chain of inputs telescopes without drift.
    b.vx = (floorDiv(tx * s, grid) - floorDiv(tx * (s - 1), grid)) * grid;
    b.vy = (floorDiv(ty * s, grid) - floorDiv(ty * (s - 1), grid)) * grid;
    world.moveBody(b, world.playerR);
    fields[fx] = world.toGrid(b.x, scale);
    fields[fy] = world.toGrid(b.y, scale);
    fields[fAngle] = aimField.clamp(value(inAim));
  };
}
