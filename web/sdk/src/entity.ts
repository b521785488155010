// What a Client hands out of a room's state: entities and their fields by
// name, worlds, and game events. All of them are copies, the caller's to keep.

import type { GameEvent as PbGameEvent } from "./gen/tickwire/v1/tickwire_pb.js";
import { FieldRole } from "./gen/tickwire/v1/tickwire_pb.js";
import type { Rows } from "./rows.js";
import type { EntityKind, EventKind, Field, Schema } from "./schema.js";

/**
 * Entity is one entity of a world: its id, kind and fields (raw int32
 * values in its kind's field order), read by name through the schema.
 */
export class Entity {
  /** id identifies the entity in its room. */
  readonly id: number;
  /** kind is its kind number. */
  readonly kind: number;
  /** fields are the raw values of its kind's fields, in schema order. */
  readonly fields: Int32Array;
  /** schema is its kind's description, undefined for a kind the schema does not name. */
  readonly schema: EntityKind | undefined;

  /** new Entity copies nothing: fields becomes the entity's own. */
  constructor(id: number, kind: number, fields: Int32Array, schema: EntityKind | undefined) {
    this.id = id;
    this.kind = kind;
    this.fields = fields;
    this.schema = schema;
  }

  /** kindName returns the kind's name, such as "player" ("" when unknown). */
  get kindName(): string {
    return this.schema?.name ?? "";
  }

  /** has reports whether the entity's kind has a field called name. */
  has(name: string): boolean {
    return (this.schema?.fieldIndex(name) ?? -1) >= 0;
  }

  /** field returns the description of the field called name; it throws for a name the kind lacks. */
  field(name: string): Field {
    const i = this.#index(name);
    return this.schema!.fields[i];
  }

  /** get returns the raw value of the field called name; it throws for a name the kind lacks. */
  get(name: string): number {
    return this.fields[this.#index(name)];
  }

  /**
   * value returns the field called name in its units: FIXED raw / scale,
   * ANGLE radians in [0, 2π), others the raw number. It throws for a name
   * the kind lacks.
   */
  value(name: string): number {
    const i = this.#index(name);
    return this.schema!.fields[i].dequantize(this.fields[i]);
  }

  /** text returns the field called name as a person reads it ({@link Field.format}). */
  text(name: string): string {
    const i = this.#index(name);
    return this.schema!.fields[i].format(this.fields[i]);
  }

  /** toJSON returns the entity with its fields by name, for logs and tools. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { id: this.id, kind: this.kindName || this.kind };
    this.schema?.fields.forEach((f, i) => (out[f.name] = f.dequantize(this.fields[i])));
    return out;
  }

  #index(name: string): number {
    const i = this.schema?.fieldIndex(name) ?? -1;
    if (i < 0) {
      const known = this.schema?.fields.map((f) => f.name).join(", ") ?? "none";
      throw new RangeError(`entity ${this.id} of kind ${this.kindName || this.kind} has no field "${name}" (fields: ${known})`);
    }
    return i;
  }
}

/** entityAt copies entity i of rows. */
export function entityAt(rows: Rows, i: number, schema: Schema | null): Entity {
  const kind = rows.kind(i);
  return new Entity(rows.id(i), kind, rows.fields(i).slice(), schema?.kind(kind));
}

/** World is a room's entities at one tick, in id order. */
export class World {
  /** tick is the snapshot tick the world shows (for an interpolated one, the newer of the two blended). */
  readonly tick: number;
  /** entities are every entity of the player's view, in ascending id order. */
  readonly entities: readonly Entity[];

  /** new World wraps entities. */
  constructor(tick: number, entities: readonly Entity[]) {
    this.tick = tick;
    this.entities = entities;
  }

  /** World.of copies rows into a World. */
  static of(tick: number, rows: Rows, schema: Schema | null): World {
    const es: Entity[] = [];
    for (let i = 0; i < rows.length; i++) es.push(entityAt(rows, i, schema));
    return new World(tick, es);
  }

  /** get returns the entity with id, or undefined. */
  get(id: number): Entity | undefined {
    let lo = 0;
    let hi = this.entities.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.entities[m].id < id) lo = m + 1;
      else hi = m;
    }
    return this.entities[lo]?.id === id ? this.entities[lo] : undefined;
  }

  /** ofKind returns the entities of the kind called name, such as "player". */
  ofKind(name: string): Entity[] {
    return this.entities.filter((e) => e.kindName === name);
  }
}

/**
 * ownEntityIndex returns the index in rows of the player's own entity:
 * entityId when the room named one (Joined.entity_id), else the first
 * entity whose OWNER-role field holds playerId; -1 for none.
 */
export function ownEntityIndex(schema: Schema, rows: Rows, entityId: number, playerId: number): number {
  if (entityId !== 0) return rows.find(entityId);
  for (let i = 0; i < rows.length; i++) {
    const kind = schema.kind(rows.kind(i));
    if (!kind) continue;
    const fields = rows.fields(i);
    for (let f = 0; f < kind.fields.length && f < fields.length; f++) {
      if (kind.fields[f].role === FieldRole.OWNER && fields[f] >>> 0 === playerId) return i;
    }
  }
  return -1;
}

/**
 * GameEvent is a one-off game event of a snapshot, named by the schema
 * (an arena "hit": actor the shooter, target the victim, value "damage").
 */
export class GameEvent {
  /** tick is the tick it happened at. */
  readonly tick: number;
  /** kind is its event kind number. */
  readonly kind: number;
  /** actor is the entity that caused it, 0 for none. */
  readonly actor: number;
  /** target is the entity it happened to, 0 for none. */
  readonly target: number;
  /** values are its 4 values, missing ones 0. */
  readonly values: readonly number[];
  /** schema is its kind's description, undefined for a kind the schema does not name. */
  readonly schema: EventKind | undefined;

  /** new GameEvent copies a wire GameEvent. */
  constructor(e: PbGameEvent, schema: EventKind | undefined) {
    this.tick = e.tick;
    this.kind = e.kind;
    this.actor = e.actor;
    this.target = e.target;
    this.values = [0, 1, 2, 3].map((i) => e.values[i] ?? 0);
    this.schema = schema;
  }

  /** name returns the event kind's name, such as "hit" ("" when unknown). */
  get name(): string {
    return this.schema?.name ?? "";
  }

  /** value returns the value called name in its units; it throws for a name the event lacks. */
  value(name: string): number {
    const i = this.schema?.valueIndex(name) ?? -1;
    if (i < 0) throw new RangeError(`event ${this.name || this.kind} has no value "${name}"`);
    return this.schema!.values[i].dequantize(this.values[i]);
  }
}
