// Finding a way across the arena for a test's player: a breadth-first
// search over a coarse grid of the map (walls grown by a player's radius)
// and a line-of-sight check for shots.

import { arenaMap } from "../src/gen/maps.js";

const CELL = 20;
const COLS = Math.ceil(arenaMap.width / CELL);
const ROWS = Math.ceil(arenaMap.height / CELL);
/** MARGIN keeps the path this far from walls, beyond a player's radius. */
const MARGIN = 6;

function blocked(x: number, y: number, r: number): boolean {
  return arenaMap.walls.some(([a, b, c, d]) => x > a - r && x < c + r && y > b - r && y < d + r);
}

const free: boolean[] = [];
for (let j = 0; j < ROWS; j++) for (let i = 0; i < COLS; i++) free.push(!blocked((i + 0.5) * CELL, (j + 0.5) * CELL, arenaMap.playerRadius + MARGIN));

function cellOf(x: number, y: number): [number, number] {
  return [Math.min(COLS - 1, Math.max(0, Math.floor(x / CELL))), Math.min(ROWS - 1, Math.max(0, Math.floor(y / CELL)))];
}

/**
 * clearShot reports whether a shot from (x0, y0) to (x1, y1) passes no
 * wall (walls grown by a projectile's radius and a little more).
 */
export function clearShot(x0: number, y0: number, x1: number, y1: number): boolean {
  const n = Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 4);
  for (let k = 0; k <= n; k++) {
    const t = k / Math.max(1, n);
    if (blocked(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, arenaMap.projectileRadius + 4)) return false;
  }
  return true;
}

/**
 * nextWaypoint returns where a player at (x, y) should head next to reach
 * a free spot with a clear shot at (tx, ty) from at most `range` away: the
 * centre of the first cell of a shortest grid path; null when already there
 * or there is no way.
 */
export function nextWaypoint(x: number, y: number, tx: number, ty: number, range: number): [number, number] | null {
  const goal = (i: number, j: number) => {
    const cx = (i + 0.5) * CELL;
    const cy = (j + 0.5) * CELL;
    return Math.hypot(cx - tx, cy - ty) <= range && Math.hypot(cx - tx, cy - ty) > 80 && clearShot(cx, cy, tx, ty);
  };
  const [si, sj] = cellOf(x, y);
  const prev = new Int32Array(COLS * ROWS).fill(-1);
  const start = sj * COLS + si;
  prev[start] = start;
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const c = queue[q];
    const i = c % COLS;
    const j = (c - i) / COLS;
    if (goal(i, j)) {
      // Walk back to the cell after the start.
      let step = c;
      while (prev[step] !== start && step !== start) step = prev[step];
      if (step === start) return null;
      return [((step % COLS) + 0.5) * CELL, (Math.floor(step / COLS) + 0.5) * CELL];
    }
    for (const [di, dj] of [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]]) {
      const ni = i + di;
      const nj = j + dj;
      if (ni < 0 || nj < 0 || ni >= COLS || nj >= ROWS) continue;
      const n = nj * COLS + ni;
      if (prev[n] !== -1 || !free[n]) continue;
      // No cutting corners past a wall.
      if (di !== 0 && dj !== 0 && (!free[j * COLS + ni] || !free[nj * COLS + i])) continue;
      prev[n] = c;
      queue.push(n);
    }
  }
  return null;
}
