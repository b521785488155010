// The tickwire client SDK: connect, join, send inputs, draw the world.
// See web/sdk/README.md.

export { Client, connect } from "./client.js";
export type { ClientEvents, ConnectOptions, CreatedRoom, RoomPage, SnapshotInfo } from "./client.js";
export { Entity, GameEvent, World } from "./entity.js";
export {
  ClientClosedError,
  CloseError,
  ConnectionLostError,
  NotJoinedError,
  ReconnectGaveUpError,
  ReconnectingError,
  ServerError,
  TimeoutError,
} from "./errors.js";
export type { SentInput } from "./inputs.js";
export type { PredictFn } from "./predict.js";
export type { ReconnectPolicy } from "./reconnect.js";
export { EntityKind, EventKind, Field, Schema, SchemaError } from "./schema.js";
export type { ClientStats } from "./stats.js";
export type { WebSocketConstructor, WebSocketLike } from "./socket.js";

// The codec, for tools and tests.
export { applyDelta, DeltaError, encodeDelta } from "./delta.js";
export type { DeltaRule } from "./delta.js";
export { crc32c } from "./crc32c.js";
export { interpolateRows, Interpolator, lerpAngle, lerpInt32 } from "./interpolate.js";
export { checksum, Layout, Rows } from "./rows.js";

// The wire protocol's messages and enums (protobuf-es).
export * as pb from "./gen/tickwire/v1/tickwire_pb.js";
export { CloseReason, ErrorCode, FieldRole, FieldType, Interpolation, RoomPhase, RoomUpdate_Kind } from "./gen/tickwire/v1/tickwire_pb.js";
