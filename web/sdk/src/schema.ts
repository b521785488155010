// Schema: a game mode's description of its entities, input, events and
// results (docs/protocol.md, "Game modes and schemas"), checked as the
// protocol asks and indexed for lookups by number and by name.

import type {
  EntityKindSchema as PbEntityKind,
  EventKindSchema as PbEventKind,
  FieldSchema as PbField,
  Schema as PbSchema,
} from "./gen/tickwire/v1/tickwire_pb.js";
import { FieldRole, FieldType, Interpolation } from "./gen/tickwire/v1/tickwire_pb.js";
import { Layout, MAX_FIELDS, MAX_KIND } from "./rows.js";

/** MAX_INPUT_FIELDS is the most values an input may hold. */
export const MAX_INPUT_FIELDS = 16;
/** MAX_EVENT_VALUES is the most values an event may hold. */
export const MAX_EVENT_VALUES = 4;
/** MAX_RESULT_VALUES is the most game-defined values of a player's result. */
export const MAX_RESULT_VALUES = 16;
const MAX_NAME_BYTES = 64;
const MAX_ENUM_NAMES = 256;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** SchemaError is a schema that breaks a rule of docs/protocol.md. */
export class SchemaError extends Error {
  /** new SchemaError says which rule broke. */
  constructor(message: string) {
    super(`invalid schema: ${message}`);
    this.name = "SchemaError";
  }
}

/** utf8Length returns the bytes of s in UTF-8, which name limits count. */
function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** checkName throws unless name is 1 to 64 bytes. */
function checkName(name: string, what: string): void {
  const n = utf8Length(name);
  if (n === 0 || n > MAX_NAME_BYTES) throw new SchemaError(`${what}: name "${name}" is not 1 to ${MAX_NAME_BYTES} bytes`);
}

/**
 * roundInt32 rounds v half away from zero into int32, saturating at the
 * ends, NaN giving 0: how inputs and quantized values become raw values.
 */
export function roundInt32(v: number): number {
  if (Number.isNaN(v)) return 0;
  const r = v < 0 ? -Math.round(-v) : Math.round(v);
  return Math.max(INT32_MIN, Math.min(INT32_MAX, r)) | 0;
}

/**
 * Field is one named integer of a schema: an entity field, an input value,
 * an event value or a result value. Its type and scale say how to read the
 * raw int32 (docs/protocol.md, "Field types").
 */
export class Field {
  /** name is unique among its siblings. */
  readonly name: string;
  /** type says how to read the raw value. */
  readonly type: FieldType;
  /** scale is FIXED's units per whole and ANGLE's steps per turn; 0 otherwise. */
  readonly scale: number;
  /** min and max bound the raw value; both 0 means the type's own range. */
  readonly min: number;
  /** max is the inclusive upper bound (see min). */
  readonly max: number;
  /** names names ENUM values from 0 and FLAGS bits from bit 0. */
  readonly names: readonly string[];
  /** interpolation is how clients blend the field between snapshots. */
  readonly interpolation: Interpolation;
  /** role is what the field means to code that knows no game. */
  readonly role: FieldRole;

  /** new Field copies a wire FieldSchema; {@link Schema.fromProto} checks it. */
  constructor(f: PbField) {
    this.name = f.name;
    this.type = f.type;
    this.scale = f.scale;
    this.min = f.min;
    this.max = f.max;
    this.names = [...f.names];
    this.interpolation = f.interpolation;
    this.role = f.role;
  }

  /** check throws a SchemaError naming what is wrong with the field. */
  check(): void {
    const t = this.type;
    if (!(t in FieldType) || t === FieldType.UNSPECIFIED) throw new SchemaError(`field "${this.name}": unknown type ${t}`);
    if (!(this.interpolation in Interpolation)) throw new SchemaError(`field "${this.name}": unknown interpolation ${this.interpolation}`);
    if (!(this.role in FieldRole)) throw new SchemaError(`field "${this.name}": unknown role ${this.role}`);
    const scaled = t === FieldType.FIXED || t === FieldType.ANGLE;
    if (scaled && this.scale < 1) throw new SchemaError(`field "${this.name}": ${FieldType[t]} needs a scale of at least 1, has ${this.scale}`);
    if (!scaled && this.scale !== 0) throw new SchemaError(`field "${this.name}": ${FieldType[t]} takes no scale, has ${this.scale}`);
    if (this.interpolation === Interpolation.ANGLE && t !== FieldType.ANGLE) {
      throw new SchemaError(`field "${this.name}": angle interpolation on a ${FieldType[t]} field`);
    }
    if (this.min > this.max) throw new SchemaError(`field "${this.name}": min ${this.min} above max ${this.max}`);
    const n = this.names.length;
    if (t === FieldType.ENUM && (n === 0 || n > MAX_ENUM_NAMES)) throw new SchemaError(`field "${this.name}": an enum needs 1 to ${MAX_ENUM_NAMES} names, has ${n}`);
    if (t === FieldType.FLAGS && (n === 0 || n > 32)) throw new SchemaError(`field "${this.name}": flags need 1 to 32 bit names, have ${n}`);
    if (t !== FieldType.ENUM && t !== FieldType.FLAGS && n !== 0) throw new SchemaError(`field "${this.name}": ${FieldType[t]} takes no names`);
    for (const v of this.names) {
      if (utf8Length(v) > MAX_NAME_BYTES) throw new SchemaError(`field "${this.name}": value name longer than ${MAX_NAME_BYTES} bytes`);
    }
  }

  /** range returns the inclusive range of the raw value: [min, max] when either is set, else the type's own. */
  range(): [number, number] {
    if (this.min !== 0 || this.max !== 0) return [this.min, this.max];
    switch (this.type) {
      case FieldType.UINT:
        return [0, INT32_MAX];
      case FieldType.BOOL:
        return [0, 1];
      case FieldType.ENUM:
        return [0, this.names.length - 1];
      case FieldType.ANGLE:
        return [0, this.scale - 1];
    }
    return [INT32_MIN, INT32_MAX]; // INT, FIXED; FLAGS are masked by clamp instead
  }

  /**
   * clamp returns raw made valid for the field exactly as the server makes
   * input values valid: an ANGLE modulo its scale, FLAGS without the bits
   * that have no name, a BOOL 0 or 1, and every value then clamped into
   * {@link range}. A value that is not an int32 is first rounded half away
   * from zero and saturated ({@link roundInt32}).
   */
  clamp(raw: number): number {
    let v = Number.isInteger(raw) && raw >= INT32_MIN && raw <= INT32_MAX ? raw : roundInt32(raw);
    switch (this.type) {
      case FieldType.ANGLE:
        v %= this.scale;
        if (v < 0) v += this.scale;
        break;
      case FieldType.FLAGS:
        v &= this.names.length >= 32 ? -1 : 2 ** this.names.length - 1;
        break;
      case FieldType.BOOL:
        if (v !== 0) v = 1;
        break;
    }
    const [lo, hi] = this.range();
    return Math.max(lo, Math.min(hi, v)) | 0;
  }

  /**
   * quantize returns the raw value of v in the field's units: FIXED
   * round(v × scale); ANGLE v in radians (any, counter-clockwise) as the
   * nearest of scale steps; otherwise round(v); then {@link clamp}.
   */
  quantize(v: number): number {
    if (this.type === FieldType.FIXED) v *= this.scale;
    else if (this.type === FieldType.ANGLE) {
      let turns = v / (2 * Math.PI);
      turns -= Math.floor(turns);
      v = turns * this.scale;
    }
    return this.clamp(roundInt32(v));
  }

  /**
   * dequantize returns what raw means: FIXED raw / scale; ANGLE radians in
   * [0, 2π) (raw modulo scale); otherwise raw itself.
   */
  dequantize(raw: number): number {
    if (this.type === FieldType.FIXED) return raw / this.scale;
    if (this.type === FieldType.ANGLE) {
      let steps = (raw % this.scale) | 0; // | 0 turns -0 into 0
      if (steps < 0) steps += this.scale;
      return (steps * 2 * Math.PI) / this.scale;
    }
    return raw;
  }

  /**
   * text returns the name of raw: an ENUM's name, a FLAGS value's set bit
   * names joined by "|" (unnamed bits as one hexadecimal number after
   * them), "true" or "false" for a BOOL; "" when there is no name to show
   * (numbers, a FLAGS value of 0, an ENUM or BOOL out of range).
   */
  text(raw: number): string {
    switch (this.type) {
      case FieldType.BOOL:
        return raw === 0 ? "false" : raw === 1 ? "true" : "";
      case FieldType.ENUM:
        return raw >= 0 && raw < this.names.length ? this.names[raw] : "";
      case FieldType.FLAGS: {
        let v = raw >>> 0;
        const parts: string[] = [];
        this.names.forEach((name, i) => {
          const bit = 2 ** i;
          if (name === "" || Math.floor(v / bit) % 2 === 0) return;
          v -= bit;
          parts.push(name);
        });
        if (v !== 0) parts.push("0x" + v.toString(16));
        return parts.join("|");
      }
    }
    return "";
  }

  /**
   * format returns raw as a person reads it: {@link text} when it has a
   * name, an ANGLE in degrees (one decimal), otherwise the number
   * {@link dequantize} gives.
   */
  format(raw: number): string {
    const t = this.text(raw);
    if (t !== "") return t;
    if (this.type === FieldType.ANGLE) return `${Math.round((this.dequantize(raw) * 1800) / Math.PI) / 10}°`;
    return String(this.dequantize(raw));
  }
}

/** indexFields returns a name → index map of fields. */
function indexFields(fields: readonly Field[]): Map<string, number> {
  return new Map(fields.map((f, i) => [f.name, i]));
}

/** checkFields throws unless fields are at most `most`, named distinctly, each valid. */
function checkFields(fields: readonly Field[], most: number, what: string): void {
  if (fields.length > most) throw new SchemaError(`${what}: ${fields.length} fields, at most ${most}`);
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    checkName(f.name, `${what}: field ${i}`);
    if (seen.has(f.name)) throw new SchemaError(`${what}: field "${f.name}" declared twice`);
    seen.add(f.name);
    f.check();
  });
}

/** EntityKind is one kind of entity: its number, name and fields (after the kind, in row order). */
export class EntityKind {
  /** kind is the first value of its rows, 1..255. */
  readonly kind: number;
  /** name is unique among the kinds, such as "player". */
  readonly name: string;
  /** fields follow the kind in every row. */
  readonly fields: readonly Field[];
  readonly #index: Map<string, number>;

  /** new EntityKind copies a wire EntityKindSchema. */
  constructor(k: PbEntityKind) {
    this.kind = k.kind;
    this.name = k.name;
    this.fields = k.fields.map((f) => new Field(f));
    this.#index = indexFields(this.fields);
  }

  /** fieldIndex returns the index of the field called name among fields, or -1. */
  fieldIndex(name: string): number {
    return this.#index.get(name) ?? -1;
  }

  /** field returns the field called name, or undefined. */
  field(name: string): Field | undefined {
    const i = this.fieldIndex(name);
    return i < 0 ? undefined : this.fields[i];
  }
}

/** EventKind is one kind of game event: its number, name, values and what its entities are. */
export class EventKind {
  /** kind is the GameEvent.kind number, nonzero. */
  readonly kind: number;
  /** name is unique among the events, such as "hit". */
  readonly name: string;
  /** values names GameEvent.values in order (at most 4). */
  readonly values: readonly Field[];
  /** actor says what the actor entity is, such as "shooter"; "" when unused. */
  readonly actor: string;
  /** target says what the target entity is; "" when unused. */
  readonly target: string;
  readonly #index: Map<string, number>;

  /** new EventKind copies a wire EventKindSchema. */
  constructor(e: PbEventKind) {
    this.kind = e.kind;
    this.name = e.name;
    this.values = e.values.map((f) => new Field(f));
    this.actor = e.actor;
    this.target = e.target;
    this.#index = indexFields(this.values);
  }

  /** valueIndex returns the index of the value called name, or -1. */
  valueIndex(name: string): number {
    return this.#index.get(name) ?? -1;
  }
}

/**
 * Schema is a room's description of its state, input, events and results,
 * from Joined.schema. {@link Schema.fromProto} checks it against every rule
 * of docs/protocol.md; a client refuses a room whose schema breaks one.
 */
export class Schema {
  /** entities are the entity kinds. */
  readonly entities: readonly EntityKind[];
  /** input names an input's values, in order (at most 16). */
  readonly input: readonly Field[];
  /** events are the event kinds. */
  readonly events: readonly EventKind[];
  /** results names PlayerResult.values, in order (at most 16). */
  readonly results: readonly Field[];
  /** width is the values of every row: 1 + the most fields any kind has. */
  readonly width: number;
  /** layout is what the codec needs of the schema. */
  readonly layout: Layout;
  readonly #kinds = new Map<number, EntityKind>();
  readonly #kindNames = new Map<string, EntityKind>();
  readonly #events = new Map<number, EventKind>();
  readonly #eventNames = new Map<string, EventKind>();
  readonly #inputIndex: Map<string, number>;
  readonly #resultIndex: Map<string, number>;

  /** Use {@link Schema.fromProto}. */
  private constructor(pb: PbSchema) {
    this.entities = pb.entities.map((k) => new EntityKind(k));
    this.input = pb.input.map((f) => new Field(f));
    this.events = pb.events.map((e) => new EventKind(e));
    this.results = pb.results.map((f) => new Field(f));
    this.width = 1 + Math.max(0, ...this.entities.map((k) => k.fields.length));
    this.layout = Layout.ofKinds(this.entities.map((k) => ({ kind: k.kind, fields: k.fields.length })));
    this.#inputIndex = indexFields(this.input);
    this.#resultIndex = indexFields(this.results);
  }

  /**
   * Schema.fromProto checks a wire Schema (docs/protocol.md: at least one
   * entity kind, kinds 1..255 and distinct, names 1 to 64 bytes and
   * distinct among siblings, field counts within their limits, known types
   * with a scale where the type needs one, min ≤ max, ANGLE interpolation
   * only on ANGLE fields, names only for ENUM and FLAGS) and returns it
   * indexed. It throws a {@link SchemaError} naming the first rule broken.
   */
  static fromProto(pb: PbSchema | undefined): Schema {
    if (!pb) throw new SchemaError("missing");
    const s = new Schema(pb);
    s.#check();
    return s;
  }

  #check(): void {
    if (this.entities.length === 0) throw new SchemaError("no entity kinds");
    for (const k of this.entities) {
      if (k.kind < 1 || k.kind > MAX_KIND) throw new SchemaError(`entity kind "${k.name}": number ${k.kind} outside 1..${MAX_KIND}`);
      if (this.#kinds.has(k.kind)) throw new SchemaError(`entity kind number ${k.kind} declared twice`);
      if (this.#kindNames.has(k.name)) throw new SchemaError(`entity kind name "${k.name}" declared twice`);
      checkName(k.name, `entity kind ${k.kind}`);
      this.#kinds.set(k.kind, k);
      this.#kindNames.set(k.name, k);
      checkFields(k.fields, MAX_FIELDS, `entity kind "${k.name}"`);
    }
    checkFields(this.input, MAX_INPUT_FIELDS, "input");
    for (const e of this.events) {
      if (e.kind === 0) throw new SchemaError(`event "${e.name}": kind number 0`);
      if (this.#events.has(e.kind)) throw new SchemaError(`event kind number ${e.kind} declared twice`);
      if (this.#eventNames.has(e.name)) throw new SchemaError(`event name "${e.name}" declared twice`);
      checkName(e.name, `event ${e.kind}`);
      this.#events.set(e.kind, e);
      this.#eventNames.set(e.name, e);
      checkFields(e.values, MAX_EVENT_VALUES, `event "${e.name}"`);
    }
    checkFields(this.results, MAX_RESULT_VALUES, "results");
  }

  /** kind returns the entity kind numbered kind, or undefined. */
  kind(kind: number): EntityKind | undefined {
    return this.#kinds.get(kind);
  }

  /** kindNamed returns the entity kind called name, or undefined. */
  kindNamed(name: string): EntityKind | undefined {
    return this.#kindNames.get(name);
  }

  /** event returns the event kind numbered kind, or undefined. */
  event(kind: number): EventKind | undefined {
    return this.#events.get(kind);
  }

  /** eventNamed returns the event kind called name, or undefined. */
  eventNamed(name: string): EventKind | undefined {
    return this.#eventNames.get(name);
  }

  /** inputIndex returns the index of the input value called name, or -1. */
  inputIndex(name: string): number {
    return this.#inputIndex.get(name) ?? -1;
  }

  /** resultIndex returns the index of the result value called name, or -1. */
  resultIndex(name: string): number {
    return this.#resultIndex.get(name) ?? -1;
  }

  /**
   * inputValues turns an input into raw values in schema order, each
   * clamped as the server clamps ({@link Field.clamp}): values is either an
   * array in schema order (missing trailing values are 0) or an object
   * keyed by input field name (missing ones are 0). It throws a RangeError
   * for more values than the input has, or an unknown name.
   */
  inputValues(values: readonly number[] | Readonly<Record<string, number>>): number[] {
    const out = new Array<number>(this.input.length).fill(0);
    if (Array.isArray(values)) {
      if (values.length > this.input.length) throw new RangeError(`${values.length} input values, the room's input has ${this.input.length}`);
      values.forEach((v, i) => (out[i] = this.input[i].clamp(v)));
    } else {
      for (const [name, v] of Object.entries(values)) {
        const i = this.inputIndex(name);
        if (i < 0) throw new RangeError(`no input value "${name}"; the room's input has ${this.input.map((f) => f.name).join(", ")}`);
        out[i] = this.input[i].clamp(v);
      }
    }
    // Trailing zeros cost nothing: the server reads missing values as 0.
    let n = out.length;
    while (n > 0 && out[n - 1] === 0) n--;
    return out.slice(0, n);
  }
}
