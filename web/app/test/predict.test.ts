// The arena prediction of the browser game against Go's
// (web/app/testdata/predict.json, written by go test ./tools/webgen -update).

import { fromBinary } from "@bufbuild/protobuf";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import { SchemaSchema } from "../../sdk/src/gen/tickwire/v1/tickwire_pb.js";
import { Schema } from "../../sdk/src/index.js";
import { arenaPredictor } from "../src/predict.js";

interface PredictCase {
  name: string;
  tick_hz: number;
  max_speed: number;
  kind: number;
  start: number[];
  steps: { seq: number; input: number[]; fields: number[] }[];
}

const file = JSON.parse(readFileSync(new URL("../../../app/testdata/predict.json", import.meta.url), "utf8")) as { schema: string; cases: PredictCase[] };
const schema = Schema.fromProto(fromBinary(SchemaSchema, Buffer.from(file.schema, "hex")));

test("predict: every step of every case matches Go", () => {
  assert.ok(file.cases.length >= 10);
  let steps = 0;
  for (const c of file.cases) {
    const predict = arenaPredictor(schema, { maxSpeed: c.max_speed });
    const fields = Int32Array.from(c.start);
    for (const [i, s] of c.steps.entries()) {
      predict(c.kind, fields, { seq: s.seq, tick: 0, values: s.input, sentAtMs: 0 }, c.tick_hz);
      assert.deepEqual([...fields], s.fields, `${c.name}: step ${i} (seq ${s.seq}, input ${s.input})`);
      steps++;
    }
  }
  assert.ok(steps > 1000, `${steps} steps`);
});

test("predict: a schema without players is refused", () => {
  const drones = { kindNamed: () => undefined } as unknown as Schema;
  assert.throws(() => arenaPredictor(drones), /no player kind/);
});
