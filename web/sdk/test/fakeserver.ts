// A scripted tickwire server on a real WebSocket on 127.0.0.1 (the "ws"
// package's server), for the client's unit tests: each test plays the
// server's part message by message.
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { WebSocketServer, type WebSocket } from "ws";
import type { ClientMessage } from "../src/gen/tickwire/v1/tickwire_pb.js";
import {
  ClientMessageSchema,
  FieldRole,
  FieldType,
  Interpolation,
  SchemaSchema,
  ServerMessageSchema,
  SnapshotSchema,
} from "../src/gen/tickwire/v1/tickwire_pb.js";
import { encodeDelta } from "../src/delta.js";
import { checksum, Rows } from "../src/rows.js";
import { Schema } from "../src/schema.js";

type ServerBody = NonNullable<MessageInitShape<typeof ServerMessageSchema>["body"]>;
type ClientCase = NonNullable<ClientMessage["body"]["case"]>;

/** WAIT_MS bounds every wait: a safety net against a hung test, never a timing assertion. */
const WAIT_MS = 10000;

/** The test schema: ships with a position, an angle, health and an owner. */
export const shipSchemaProto = create(SchemaSchema, {
  entities: [
    {
      kind: 1,
      name: "ship",
      fields: [
        { name: "x", type: FieldType.FIXED, scale: 8, interpolation: Interpolation.LINEAR, role: FieldRole.POSITION_X },
        { name: "y", type: FieldType.FIXED, scale: 8, interpolation: Interpolation.LINEAR, role: FieldRole.POSITION_Y },
        { name: "angle", type: FieldType.ANGLE, scale: 256, interpolation: Interpolation.ANGLE, role: FieldRole.YAW },
        { name: "hp", type: FieldType.INT },
        { name: "owner", type: FieldType.UINT, role: FieldRole.OWNER },
      ],
    },
    { kind: 2, name: "rock", fields: [{ name: "x", type: FieldType.FIXED, scale: 8 }] },
  ],
  input: [
    { name: "move_x", type: FieldType.INT, min: -127, max: 127 },
    { name: "fire", type: FieldType.BOOL },
    { name: "aim", type: FieldType.ANGLE, scale: 256 },
  ],
  events: [{ kind: 1, name: "hit", actor: "shooter", target: "victim", values: [{ name: "damage", type: FieldType.INT }] }],
});

/** shipSchema is shipSchemaProto checked. */
export const shipSchema = Schema.fromProto(shipSchemaProto);

/** ships builds rows of the ship schema from [id, kind, ...fields] arrays. */
export function ships(...es: number[][]): Rows {
  return Rows.from(shipSchema.layout, es);
}

/** FakeConn is one client connection as the scripted server sees it. */
export class FakeConn {
  readonly ws: WebSocket;
  readonly #inbox: ClientMessage[] = [];
  #wake: (() => void) | null = null;
  /** closed resolves with the close code and reason the connection ended with. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** sent are the snapshots' rows by tick, as the server sent them. */
  readonly sent = new Map<number, Rows>();

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data: Buffer) => {
      this.#inbox.push(fromBinary(ClientMessageSchema, new Uint8Array(data)));
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => ws.on("close", (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  }

  /** next returns the next message of case what, dropping others (pings, acks) before it unless keep says so. */
  async next<C extends ClientCase>(what: C, keep: (m: ClientMessage) => boolean = () => false): Promise<Extract<ClientMessage["body"], { case: C }>["value"]> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const i = this.#inbox.findIndex((m) => m.body.case === what);
      if (i >= 0) {
        const [m] = this.#inbox.splice(i, 1);
        return m.body.value as never;
      }
      this.#inbox.splice(0, this.#inbox.length, ...this.#inbox.filter(keep));
      if (Date.now() > deadline) throw new Error(`no ${what} from the client`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** pending returns the messages received and not yet taken. */
  pending(): ClientMessage[] {
    return [...this.#inbox];
  }

  /** send sends one ServerMessage. */
  send(body: ServerBody): void {
    this.ws.send(toBinary(ServerMessageSchema, create(ServerMessageSchema, { body })));
  }

  /** welcome answers the Hello. */
  async welcome(opts: { resumed?: boolean; token?: string } = {}): Promise<{ name: string; sessionToken: string }> {
    const hello = await this.next("hello");
    this.send({
      case: "welcome",
      value: { protocolVersion: 2, sessionId: "s1", serverTimeUs: 1_000_000n, sessionToken: opts.token ?? "token-1", resumed: opts.resumed ?? false },
    });
    return hello;
  }

  /** joined sends Joined for the ship schema. */
  joined(opts: { resumed?: boolean; entityId?: number; playerId?: number; tick?: number } = {}): void {
    this.send({
      case: "joined",
      value: {
        roomId: "r1",
        mode: "ships",
        playerId: opts.playerId ?? 3,
        entityId: opts.entityId ?? 0,
        tick: opts.tick ?? 100,
        tickHz: 60,
        snapshotHz: 20,
        maxPlayers: 8,
        resumed: opts.resumed ?? false,
        schema: shipSchemaProto,
      },
    });
  }

  /**
   * snapshot sends the snapshot of tick: rows as a delta against the rows
   * sent at baseTick (0: full), with the right checksum unless sum is given.
   */
  snapshot(tick: number, baseTick: number, rows: Rows, opts: { sum?: number; events?: { tick: number; kind: number; actor?: number; target?: number; values?: number[] }[]; lastInputSeq?: number; serverTimeUs?: number } = {}): void {
    const base = baseTick === 0 ? null : this.sent.get(baseTick);
    if (baseTick !== 0 && !base) throw new Error(`no snapshot ${baseTick} sent`);
    this.sent.set(tick, rows);
    this.send({
      case: "snapshot",
      value: create(SnapshotSchema, {
        tick,
        baseTick,
        serverTimeUs: BigInt(opts.serverTimeUs ?? tick * 16_667),
        checksum: opts.sum ?? checksum(rows),
        delta: encodeDelta(base ?? null, rows),
        events: opts.events ?? [],
        lastInputSeq: opts.lastInputSeq ?? 0,
      }),
    });
  }
}

/** FakeServer accepts WebSocket connections on 127.0.0.1 and hands them to the test. */
export class FakeServer {
  readonly wss: WebSocketServer;
  readonly url: string;
  readonly #conns: FakeConn[] = [];
  #wake: (() => void) | null = null;

  private constructor(wss: WebSocketServer, port: number) {
    this.wss = wss;
    this.url = `ws://127.0.0.1:${port}/ws`;
    wss.on("connection", (ws) => {
      this.#conns.push(new FakeConn(ws));
      this.#wake?.();
    });
  }

  /** start listens on a free port of 127.0.0.1. */
  static start(): Promise<FakeServer> {
    return new Promise((resolve) => {
      const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 }, () => {
        const addr = wss.address();
        resolve(new FakeServer(wss, typeof addr === "object" && addr ? addr.port : 0));
      });
    });
  }

  /** accept returns the next connection. */
  async accept(): Promise<FakeConn> {
    const deadline = Date.now() + WAIT_MS;
    while (this.#conns.length === 0) {
      if (Date.now() > deadline) throw new Error("no connection");
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.#conns.shift()!;
  }

  /** close ends every connection and stops listening. */
  close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

/** until waits for cond, checking every few milliseconds; ms (default WAIT_MS) is a safety net, not an assertion. */
export async function until(cond: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
