import assert from "node:assert/strict";
import test from "node:test";
import { optionDurationMs, optionNumber, parseGoDuration, type ModeInfo } from "../src/modes.js";

test("modes: Go durations", () => {
  const cases: [string, number][] = [
    ["5m0s", 300000],
    ["3m0s", 180000],
    ["1.5s", 1500],
    ["250ms", 250],
    ["1h2m3.5s", 3723500],
    ["0s", 0],
    ["0", 0],
    ["1500µs", 1.5],
    ["-2s", -2000],
  ];
  for (const [s, ms] of cases) assert.equal(parseGoDuration(s), ms, s);
  for (const bad of ["", "5", "5x", "m", "1.5.2s"]) assert.ok(Number.isNaN(parseGoDuration(bad)), bad);
});

test("modes: options with fallbacks", () => {
  const mode = { options: { "match-duration": "2m0s", "max-speed": "150", odd: "fast" } } as unknown as ModeInfo;
  assert.equal(optionDurationMs(mode, "match-duration", 1), 120000);
  assert.equal(optionDurationMs(mode, "missing", 7), 7);
  assert.equal(optionNumber(mode, "max-speed", 100), 150);
  assert.equal(optionNumber(mode, "odd", 100), 100);
  assert.equal(optionNumber(undefined, "max-speed", 100), 100);
});
