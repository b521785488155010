// Schema checks and lookups, input values, value formatting.
import { clone, create } from "@bufbuild/protobuf";
import assert from "node:assert/strict";
import { test } from "node:test";
import { FieldSchemaSchema, FieldType, SchemaSchema } from "../src/gen/tickwire/v1/tickwire_pb.js";
import { Field, Schema, SchemaError } from "../src/schema.js";
import { shipSchema, shipSchemaProto } from "./fakeserver.js";

test("schema lookups by number and name", () => {
  const s = shipSchema;
  assert.equal(s.width, 6);
  assert.equal(s.kind(1)?.name, "ship");
  assert.equal(s.kindNamed("rock")?.kind, 2);
  assert.equal(s.kind(3), undefined);
  assert.equal(s.kindNamed("ship")?.fieldIndex("hp"), 3);
  assert.equal(s.kindNamed("ship")?.field("nope"), undefined);
  assert.equal(s.event(1)?.name, "hit");
  assert.equal(s.eventNamed("hit")?.valueIndex("damage"), 0);
  assert.equal(s.inputIndex("aim"), 2);
  assert.equal(s.layout.fieldCount(2), 1);
  assert.equal(s.layout.fieldCount(3), -1);
});

test("input values by order or name, clamped, trailing zeros left out", () => {
  const s = shipSchema;
  assert.deepEqual(s.inputValues([200, 5, 257]), [127, 1, 1]);
  assert.deepEqual(s.inputValues({ aim: -1 }), [0, 0, 255]);
  assert.deepEqual(s.inputValues({ move_x: -3.5 }), [-4], "rounded half away from zero");
  assert.deepEqual(s.inputValues({ move_x: Number.NaN }), []);
  assert.deepEqual(s.inputValues([]), []);
  assert.throws(() => s.inputValues([1, 2, 3, 4]), RangeError);
  assert.throws(() => s.inputValues({ jump: 1 }), /no input value "jump"/);
});

test("schema rules: every broken one is refused with a reason", () => {
  const cases: [string, (p: typeof shipSchemaProto) => void, RegExp][] = [
    ["no kinds", (p) => (p.entities = []), /no entity kinds/],
    ["kind 0", (p) => (p.entities[0].kind = 0), /outside 1\.\.255/],
    ["same kind twice", (p) => (p.entities[1].kind = 1), /declared twice/],
    ["field type 0", (p) => (p.entities[0].fields[0].type = FieldType.UNSPECIFIED), /unknown type/],
    ["fixed without scale", (p) => (p.entities[0].fields[0].scale = 0), /scale/],
    ["enum without names", (p) => (p.entities[0].fields[3].type = FieldType.ENUM), /names/],
    ["min above max", (p) => ((p.input[0].min = 2), (p.input[0].max = 1)), /min 2 above max 1/],
  ];
  for (const [name, mutate, want] of cases) {
    const p = clone(SchemaSchema, shipSchemaProto);
    mutate(p);
    assert.throws(() => Schema.fromProto(p), (e: unknown) => e instanceof SchemaError && want.test(e.message), name);
  }
  assert.throws(() => Schema.fromProto(undefined), SchemaError);
});

test("field formatting", () => {
  const f = (init: Parameters<typeof create<typeof FieldSchemaSchema>>[1]) => new Field(create(FieldSchemaSchema, init));
  assert.equal(f({ name: "a", type: FieldType.ANGLE, scale: 4096 }).format(1024), "90°");
  assert.equal(f({ name: "x", type: FieldType.FIXED, scale: 8 }).format(-12), "-1.5");
  assert.equal(f({ name: "f", type: FieldType.FLAGS, names: ["alive", "firing"] }).format(3), "alive|firing");
  assert.equal(f({ name: "f", type: FieldType.FLAGS, names: ["alive"] }).format(5), "alive|0x4");
  assert.equal(f({ name: "e", type: FieldType.ENUM, names: ["red", "blue"] }).format(1), "blue");
  assert.equal(f({ name: "e", type: FieldType.ENUM, names: ["red", "blue"] }).format(7), "7");
  assert.equal(f({ name: "b", type: FieldType.BOOL }).format(1), "true");
  assert.equal(f({ name: "n", type: FieldType.INT }).format(-3), "-3");
});
