// The cross-language vectors (web/sdk/testdata/vectors.json, written by the
// Go codec: go test ./tools/vectors -update): every one must decode here
// to the same rows, checksums and verdicts.
import { fromBinary } from "@bufbuild/protobuf";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { FieldSchemaSchema, SchemaSchema, ServerMessageSchema } from "../src/gen/tickwire/v1/tickwire_pb.js";
import { applyDelta, DeltaError, encodeDelta } from "../src/delta.js";
import { lerpAngle, lerpInt32 } from "../src/interpolate.js";
import { checksum, Rows } from "../src/rows.js";
import { Field, Schema, SchemaError } from "../src/schema.js";

interface Vectors {
  schemas: { name: string; proto: string; width: number }[];
  deltas: {
    name: string;
    schema: string;
    base?: number[][];
    base_of?: string;
    base_is_target_of?: string;
    delta: string;
    target: number[][];
    checksum: number;
    encoded: boolean;
  }[];
  frames: {
    name: string;
    delta: string;
    frame: string;
    tick: number;
    base_tick: number;
    server_time_us: number;
    checksum: number;
    last_input_seq: number;
    events: { tick: number; kind: number; actor: number; target: number; values: number[] }[];
  }[];
  malformed: { name: string; schema: string; base?: number[][]; base_of?: string; delta: string; rule: string }[];
  invalid_schemas: { name: string; proto: string; problem: string }[];
  fields: {
    where: string;
    field: string;
    proto: string;
    clamp: [number, number][];
    quantize: { v: number; raw: number }[];
    dequantize: { raw: number; v: number }[];
    text: { raw: number; text: string }[];
  }[];
  lerps: { a: number; b: number; t: number; want: number }[];
  angle_lerps: { a: number; b: number; steps: number; t: number; want: number }[];
}

const v: Vectors = JSON.parse(readFileSync(new URL("../../../sdk/testdata/vectors.json", import.meta.url), "utf8"));

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

const schemas = new Map(v.schemas.map((s) => [s.name, Schema.fromProto(fromBinary(SchemaSchema, hex(s.proto)))]));
const deltaByName = new Map(v.deltas.map((d) => [d.name, d]));

/** baseRows resolves a vector's base rows. */
function baseRows(schema: Schema, d: { base?: number[][]; base_of?: string; base_is_target_of?: string }): Rows {
  if (d.base) return Rows.from(schema.layout, d.base);
  if (d.base_is_target_of) return Rows.from(schema.layout, deltaByName.get(d.base_is_target_of)!.target);
  const of = deltaByName.get(d.base_of!);
  assert.ok(of, `no vector ${d.base_of}`);
  return baseRows(schema, of);
}

test("vectors: schemas", (t) => {
  assert.ok(v.schemas.length >= 5);
  for (const s of v.schemas) {
    assert.equal(schemas.get(s.name)!.width, s.width, s.name);
  }
  for (const mode of ["arena", "drones"]) assert.ok(schemas.has(mode), `shipped mode ${mode}`);
  assert.equal(schemas.get("wide")!.width, 33);
});

test("vectors: deltas decode to the same rows and checksums, and re-encode", (t) => {
  let encoded = 0;
  for (const d of v.deltas) {
    const schema = schemas.get(d.schema)!;
    const base = baseRows(schema, d);
    const before = base.toArrays();
    const got = applyDelta(base, hex(d.delta));
    assert.ok(!(got instanceof DeltaError), `${d.name}: ${got}`);
    const rows = got as Rows;
    assert.deepEqual(rows.toArrays(), d.target, d.name);
    assert.equal(checksum(rows), d.checksum, `${d.name} checksum`);
    assert.deepEqual(base.toArrays(), before, `${d.name}: base changed`);
    if (d.encoded) {
      assert.equal(toHex(encodeDelta(base, rows)), d.delta, `${d.name} re-encoded`);
      encoded++;
    }
  }
  assert.ok(v.deltas.length >= 200, `${v.deltas.length} deltas`);
  t.diagnostic(`${v.deltas.length} delta vectors decoded, ${encoded} re-encoded byte for byte`);
});

test("vectors: snapshot frames", (t) => {
  for (const f of v.frames) {
    const msg = fromBinary(ServerMessageSchema, hex(f.frame));
    assert.equal(msg.body.case, "snapshot", f.name);
    const s = msg.body.value as Extract<typeof msg.body, { case: "snapshot" }>["value"];
    assert.equal(s.tick, f.tick);
    assert.equal(s.baseTick, f.base_tick);
    assert.equal(Number(s.serverTimeUs), f.server_time_us);
    assert.equal(s.checksum, f.checksum);
    assert.equal(s.lastInputSeq, f.last_input_seq);
    assert.deepEqual(
      s.events.map((e) => ({ tick: e.tick, kind: e.kind, actor: e.actor, target: e.target, values: [0, 1, 2, 3].map((i) => e.values[i] ?? 0) })),
      f.events,
      f.name,
    );
    const d = deltaByName.get(f.delta)!;
    const schema = schemas.get(d.schema)!;
    assert.equal(toHex(s.delta), d.delta);
    const rows = applyDelta(baseRows(schema, d), s.delta) as Rows;
    assert.equal(checksum(rows), s.checksum, f.name);
  }
  t.diagnostic(`${v.frames.length} frame vectors`);
});

test("vectors: malformed deltas are refused with the same rule", (t) => {
  for (const m of v.malformed) {
    const schema = schemas.get(m.schema)!;
    const base = baseRows(schema, m);
    const got = applyDelta(base, hex(m.delta));
    assert.ok(got instanceof DeltaError, `${m.name}: accepted`);
    assert.equal(got.rule, m.rule, `${m.name}: ${got.message}`);
  }
  assert.ok(v.malformed.length >= 500, `${v.malformed.length} malformed`);
  t.diagnostic(`${v.malformed.length} malformed vectors refused, each for the rule Go names`);
});

test("vectors: invalid schemas are refused", (t) => {
  for (const s of v.invalid_schemas) {
    assert.throws(() => Schema.fromProto(fromBinary(SchemaSchema, hex(s.proto))), SchemaError, `${s.name}: ${s.problem}`);
  }
  t.diagnostic(`${v.invalid_schemas.length} invalid schemas refused`);
});

test("vectors: field conversions", (t) => {
  for (const fv of v.fields) {
    const f = new Field(fromBinary(FieldSchemaSchema, hex(fv.proto)));
    const what = `${fv.where}.${fv.field}`;
    for (const [raw, want] of fv.clamp) assert.equal(f.clamp(raw), want, `${what} clamp ${raw}`);
    for (const q of fv.quantize) assert.equal(f.quantize(q.v), q.raw, `${what} quantize ${q.v}`);
    for (const q of fv.dequantize) assert.equal(f.dequantize(q.raw), q.v, `${what} dequantize ${q.raw}`);
    for (const q of fv.text) assert.equal(f.text(q.raw), q.text, `${what} text ${q.raw}`);
  }
  t.diagnostic(`${v.fields.length} field vectors`);
});

test("vectors: interpolation of values", (t) => {
  for (const l of v.lerps) assert.equal(lerpInt32(l.a, l.b, l.t), l.want, JSON.stringify(l));
  for (const l of v.angle_lerps) assert.equal(lerpAngle(l.a, l.b, l.steps, l.t), l.want, JSON.stringify(l));
});
