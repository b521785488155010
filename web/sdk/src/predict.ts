// Client-side prediction of the player's own entity.

import { FieldRole } from "./gen/tickwire/v1/tickwire_pb.js";
import type { Entity } from "./entity.js";
import type { SentInput } from "./inputs.js";
import type { Schema } from "./schema.js";

/**
 * PredictFn advances the player's own entity by one input, mirroring the
 * game's movement rule: it changes fields (the kind's fields, raw) in
 * place. tickHz is the room's simulation rate. The SDK knows no game, so
 * without one the predicted entity is the authoritative one.
 */
export type PredictFn = (kind: number, fields: Int32Array, input: SentInput, tickHz: number) => void;

/** POSITION_ROLES are the roles whose fields prediction errors are measured in. */
const POSITION_ROLES = new Set([FieldRole.POSITION_X, FieldRole.POSITION_Y, FieldRole.POSITION_Z]);

/**
 * predictionError returns the distance, in raw units, between the position
 * fields (roles POSITION_X/Y/Z) of a predicted and an authoritative entity
 * of one kind; 0 for a kind without position.
 */
export function predictionError(schema: Schema, predicted: Entity, actual: Entity): number {
  const kind = schema.kind(actual.kind);
  if (!kind || predicted.kind !== actual.kind) return 0;
  let sum = 0;
  kind.fields.forEach((f, i) => {
    if (POSITION_ROLES.has(f.role) && i < predicted.fields.length && i < actual.fields.length) {
      const d = predicted.fields[i] - actual.fields[i];
      sum += d * d;
    }
  });
  return Math.sqrt(sum);
}
