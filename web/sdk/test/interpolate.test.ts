// Interpolation per hint, and the timeline.
import assert from "node:assert/strict";
import { test } from "node:test";
import { interpolateRows, Interpolator } from "../src/interpolate.js";
import { ships, shipSchema } from "./fakeserver.js";

const from = ships([1, 1, 0, 100, 250, 10, 3], [2, 1, 0, 0, 0, 0, 0], [3, 2, 8]);
const to = ships([1, 1, 80, 60, 6, 20, 3], [2, 2, 40], [4, 1, 9, 9, 9, 9, 9]);

test("interpolateRows blends each field by its hint", () => {
  const mid = interpolateRows(from, to, 0.5, shipSchema);
  assert.deepEqual(mid.toArrays(), [
    [1, 1, 40, 80, 0, 20, 3], // x, y LINEAR; angle 250 → 6 the short way (through 0); hp NONE snaps to the newer
    [2, 2, 40, 0, 0, 0, 0], // kind changed: taken from the newer as it is
    [4, 1, 9, 9, 9, 9, 9], // created: as it is; entity 3 was removed and is gone
  ]);
  assert.deepEqual(interpolateRows(from, to, 0, shipSchema).row(0), Int32Array.of(1, 0, 100, 250, 20, 3), "t 0: blended fields at from, the rest from to");
  assert.deepEqual(interpolateRows(from, to, 7, shipSchema).toArrays(), to.toArrays(), "t is clamped to 1");
  assert.deepEqual(interpolateRows(from, to, 0.5, null).toArrays(), to.toArrays(), "no schema: no hints");
});

test("Interpolator samples by server time", () => {
  const ip = new Interpolator();
  ip.reset(shipSchema);
  assert.equal(ip.sample(0), null);
  assert.ok(ip.push(100, 1000, from));
  assert.ok(!ip.push(101, 1000, to), "not newer: ignored");
  assert.ok(ip.push(103, 2000, to));
  assert.equal(ip.sample(500)!.rows, from);
  assert.equal(ip.sample(2500)!.rows, to);
  const s = ip.sample(1250)!;
  assert.equal(s.tick, 103);
  assert.equal(s.rows.fields(0)[0], 20);
  for (let i = 0; i < 20; i++) ip.push(200 + i, 3000 + i, to);
  assert.equal(ip.length, 16, "the newest 16 are kept");
});
