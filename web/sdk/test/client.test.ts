// The client against a scripted server over a real WebSocket on 127.0.0.1.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { WebSocket } from "ws";
import { Client, connect, type ConnectOptions } from "../src/client.js";
import { ClientClosedError, CloseError, ServerError } from "../src/errors.js";
import { CloseReason, ErrorCode, RoomUpdate_Kind } from "../src/gen/tickwire/v1/tickwire_pb.js";
import type { GameEvent } from "../src/entity.js";
import { FakeServer, ships, until, type FakeConn } from "./fakeserver.js";

let server: FakeServer;
before(async () => (server = await FakeServer.start()));
after(() => server.close());

/** open connects a client and answers its Hello; the client is seated when joined. */
async function open(opts: Partial<ConnectOptions> = {}, joined = true): Promise<{ c: Client; conn: FakeConn }> {
  const pending = connect({ url: server.url, name: "ada", WebSocket, pingIntervalMs: 0, ...opts });
  const conn = await server.accept();
  await conn.welcome();
  const c = await pending;
  if (joined) {
    const j = c.join("ships");
    await conn.next("joinRoom");
    conn.joined();
    await j;
  }
  return { c, conn };
}

const world1 = ships([1, 1, 80, 80, 10, 100, 3], [2, 1, -80, 0, 250, 100, 4], [5, 2, 16]);
const world2 = ships([1, 1, 120, 80, 20, 100, 3], [2, 1, -80, 40, 2, 90, 4], [6, 2, 32]);

test("handshake, join, full snapshot, delta, acks", async () => {
  const { c, conn } = await open();
  assert.equal(c.sessionToken, "token-1");
  assert.equal(c.schema?.kindNamed("ship")?.fieldIndex("owner"), 4);
  conn.snapshot(100, 0, world1);
  await until(() => c.stats.snapshots === 1, "the full snapshot");
  // No input within a snapshot interval: the client acks on its own.
  assert.equal((await conn.next("ack")).tick, 100);
  conn.snapshot(103, 100, world2);
  await until(() => c.stats.snapshots === 2, "the delta");
  assert.equal((await conn.next("ack")).tick, 103);
  const w = c.state();
  assert.equal(w.tick, 103);
  assert.deepEqual(w.entities.map((e) => e.id), [1, 2, 6]);
  const me = c.ownEntity();
  assert.equal(me?.id, 1, "the OWNER field holds player 3");
  assert.equal(me?.value("x"), 15);
  assert.equal(me?.get("angle"), 20);
  assert.equal(me?.kindName, "ship");
  assert.throws(() => me?.get("z"), RangeError);
  assert.equal(c.stats.fullSnapshots, 1);
  assert.equal(c.stats.desyncs, 0);
  await c.close();
  assert.equal((await conn.closed).code, 1000, "close says goodbye with 1000");
  assert.ok(c.error instanceof ClientClosedError);
});

test("inputs: clamped, by name or order, redundancy of the unacknowledged, acked by last_input_seq", async () => {
  const { c, conn } = await open({ inputRedundancy: 2 });
  conn.snapshot(100, 0, world1);
  await until(() => c.stats.snapshots === 1, "the full snapshot");
  const acks: number[] = [];
  c.on("inputAck", (seq) => acks.push(seq));
  assert.equal(c.sendInput({ move_x: 500, fire: 7, aim: -1 }), 1);
  let b = await conn.next("input");
  assert.deepEqual(b.inputs.map((i) => [i.seq, ...i.values]), [[1, 127, 1, 255]]);
  assert.equal(b.ackTick, 100);
  c.sendInput([-500]);
  c.sendInput([3, 0, 256]);
  c.sendInput([]);
  for (let i = 0; i < 3; i++) b = await conn.next("input");
  // The newest plus 2 earlier unacknowledged ones, oldest first.
  assert.deepEqual(b.inputs.map((i) => [i.seq, ...i.values]), [[2, -127], [3, 3], [4]]);
  assert.throws(() => c.sendInput([1, 2, 3, 4]), RangeError);
  assert.throws(() => c.sendInput({ jump: 1 }), RangeError);
  conn.snapshot(103, 100, world2, { lastInputSeq: 3 });
  await until(() => acks.length === 3, "acks of 1..3");
  assert.deepEqual(acks, [1, 2, 3]);
  c.sendInput([9]);
  b = await conn.next("input");
  assert.deepEqual(b.inputs.map((i) => i.seq), [4, 5], "acknowledged inputs are not repeated");
  assert.equal(b.ackTick, 103);
  assert.equal(c.stats.inputsAcked, 3);
  await c.close();
});

test("prediction replays unacknowledged inputs", async () => {
  const { c, conn } = await open({
    predict: (_kind, fields, input) => {
      fields[0] += input.values[0] ?? 0;
    },
  });
  conn.snapshot(100, 0, world1);
  await until(() => c.stats.snapshots === 1, "the full snapshot");
  c.sendInput([10]);
  c.sendInput([5]);
  assert.equal(c.predicted()?.get("x"), 95);
  assert.equal(c.ownEntity()?.get("x"), 80);
  conn.snapshot(103, 100, ships([1, 1, 90, 80, 10, 100, 3]), { lastInputSeq: 1 });
  await until(() => c.stats.inputsAcked === 1, "ack of input 1");
  assert.equal(c.predicted()?.get("x"), 95, "90 from the server, 5 predicted");
  assert.equal(c.stats.predictionErrorLast, 0);
  await c.close();
});

test("a checksum mismatch counts a desync, keeps nothing and asks once for a full snapshot", async () => {
  const { c, conn } = await open();
  conn.snapshot(100, 0, world1);
  await until(() => c.stats.snapshots === 1, "the full snapshot");
  conn.snapshot(103, 100, world2, { sum: 12345 });
  conn.snapshot(106, 103, world2); // based on a state the client refused
  assert.equal((await conn.next("resync")).tick, 103);
  await until(() => c.stats.missingBaseSnapshots === 1, "the missing base");
  assert.equal(c.stats.desyncs, 1);
  assert.equal(c.stats.resyncRequests, 1, "one outstanding request, not repeated at once");
  assert.equal(c.state().tick, 100);
  conn.snapshot(109, 0, world2);
  await until(() => c.stats.fullSnapshots === 2, "the full snapshot answering the resync");
  assert.equal(c.state().tick, 109);
  assert.deepEqual(c.state().entities.map((e) => e.id), [1, 2, 6]);
  assert.ok(!conn.pending().some((m) => m.body.case === "resync"));
  await c.close();
});

test("a malformed delta counts a decode error and asks for a resync", async () => {
  const { c, conn } = await open();
  conn.send({ case: "snapshot", value: { tick: 100, baseTick: 0, delta: Uint8Array.of(1, 0, 1, 2, 2, 0) } });
  assert.equal((await conn.next("resync")).tick, 100);
  assert.equal(c.stats.decodeErrors, 1);
  conn.ws.send(Buffer.from([0xff, 0xff, 0xff])); // not a ServerMessage at all
  await until(() => c.stats.decodeErrors === 2, "the garbage frame");
  await c.close();
});

test("events are delivered once, by tick, named by the schema", async () => {
  const { c, conn } = await open();
  const got: GameEvent[] = [];
  c.on("event", (e) => got.push(e));
  const hit = (tick: number, damage: number) => ({ tick, kind: 1, actor: 2, target: 1, values: [damage] });
  conn.snapshot(100, 0, world1, { events: [hit(99, 1), hit(100, 2)] });
  // The client's ack lags: the next delta is against 100 again and repeats nothing older.
  conn.snapshot(103, 100, world2, { events: [hit(101, 3), hit(103, 4)] });
  conn.snapshot(106, 100, world2, { events: [hit(101, 3), hit(103, 4), hit(105, 5)] });
  await until(() => c.stats.snapshots === 3, "three snapshots");
  assert.deepEqual(got.map((e) => e.value("damage")), [1, 2, 3, 4, 5]);
  assert.equal(got[0].name, "hit");
  assert.equal(got[4].tick, 105);
  await c.close();
});

test("interpolated renders between snapshots by server time", async () => {
  const { c, conn } = await open();
  conn.snapshot(100, 0, world1, { serverTimeUs: 1_000_000 });
  conn.snapshot(103, 100, world2, { serverTimeUs: 1_050_000 });
  await until(() => c.stats.snapshots === 2, "two snapshots");
  // The Welcome said 1 s at about now: find the local time that renders
  // server time 1.025 s, 2.5 intervals (125 ms) behind.
  const nowMs = performance.now();
  const serverNow = c.serverNowUs();
  const at = (serverUs: number) => nowMs + (serverUs + 125_000 - serverNow) / 1000;
  const mid = c.interpolated(at(1_025_000));
  const ship = mid.get(1)!;
  assert.equal(ship.get("x"), 100, "x blends linearly");
  assert.equal(mid.get(2)!.get("angle"), 254, "the angle blends the short way round: 250 → 2 passes 254");
  assert.equal(mid.get(2)!.get("hp"), 90, "no hint: the newer value");
  assert.equal(mid.get(5), undefined, "removed in the newer snapshot");
  assert.ok(mid.get(6), "created in the newer snapshot");
  assert.equal(c.interpolated(at(0)).get(1)!.get("x"), 80, "before every snapshot: the oldest");
  assert.equal(c.interpolated(at(9e9)).get(1)!.get("x"), 120, "after every snapshot: the newest");
  await c.close();
});

test("a snapshot without server time derives it from the tick", async () => {
  const { c, conn } = await open();
  const times: number[] = [];
  c.on("snapshot", (s) => times.push(s.serverTimeUs));
  conn.snapshot(100, 0, world1, { serverTimeUs: 1_000_000 });
  conn.snapshot(104, 100, world2, { serverTimeUs: 0 }); // left out: 4 ticks at 60 Hz later
  await until(() => c.stats.snapshots === 2, "two snapshots");
  assert.deepEqual(times, [1_000_000, 1_066_666]);
  await c.close();
});

test("lobby requests are answered in order; refusals are ServerErrors", async () => {
  const { c, conn } = await open({}, false);
  const code = c.joinCode("ZZZZZZ");
  const list = c.listRooms("ships");
  const created = c.createRoom("ships", { maxPlayers: 4, private: true });
  await conn.next("joinRoom");
  await conn.next("listRooms");
  const cr = await conn.next("createRoom");
  assert.equal(cr.maxPlayers, 4);
  assert.equal(cr.private, true);
  conn.send({ case: "error", value: { code: ErrorCode.UNKNOWN_CODE, message: "no room has code ZZZZZZ" } });
  conn.send({ case: "roomList", value: { rooms: [{ roomId: "a", mode: "ships", players: 1, maxPlayers: 8 }] } });
  conn.joined();
  conn.send({ case: "roomCreated", value: { room: { roomId: "r1", mode: "ships", private: true }, joinCode: "ABCDEF" } });
  await assert.rejects(code, (e: unknown) => e instanceof ServerError && e.code === ErrorCode.UNKNOWN_CODE);
  assert.deepEqual((await list).map((r) => r.roomId), ["a"]);
  // A page further on: the limit and cursor go out, the next cursor and
  // the total come back.
  const page = c.listRoomsPage("ships", { limit: 1, cursor: "c1" });
  const lr = await conn.next("listRooms");
  assert.equal(lr.limit, 1);
  assert.equal(lr.cursor, "c1");
  conn.send({ case: "roomList", value: { rooms: [{ roomId: "b", mode: "ships" }], nextCursor: "c2", total: 3 } });
  const p = await page;
  assert.deepEqual([p.rooms.map((r) => r.roomId), p.nextCursor, p.total], [["b"], "c2", 3]);
  const room = await created;
  assert.equal(room.joinCode, "ABCDEF");
  assert.equal(room.joined.roomId, "r1");
  assert.equal(c.joined?.playerId, 3);
  // A subscription: the list, then updates to the callback and the event.
  const updates: string[] = [];
  c.on("roomUpdate", (u) => updates.push(`event ${u.room?.roomId}`));
  const sub = c.subscribeRooms("ships", (u) => updates.push(`${RoomUpdate_Kind[u.kind]} ${u.room?.roomId}`));
  await conn.next("subscribeRooms");
  conn.send({ case: "roomList", value: { rooms: [] } });
  assert.deepEqual(await sub, []);
  conn.send({ case: "roomUpdate", value: { kind: RoomUpdate_Kind.CREATED, room: { roomId: "b" } } });
  await until(() => updates.length === 2, "the update");
  assert.deepEqual(updates, ["CREATED b", "event b"]);
  c.unsubscribeRooms();
  assert.equal((await conn.next("subscribeRooms")).unsubscribe, true);
  c.leave();
  await conn.next("leaveRoom");
  conn.send({ case: "left", value: { roomId: "r1", reason: CloseReason.NORMAL } });
  await until(() => c.joined === null, "left");
  await c.close();
});

test("a lost connection is redialed with the session token; the seat resumes and inputs keep their seqs", async () => {
  const { c, conn } = await open({ reconnect: { minBackoffMs: 5, maxBackoffMs: 20, giveUpAfterMs: 8000 } });
  const seen: string[] = [];
  c.on("disconnect", () => seen.push("disconnect"));
  c.on("reconnect", (resumed) => seen.push(`reconnect ${resumed}`));
  conn.snapshot(100, 0, world1);
  await until(() => c.stats.snapshots === 1, "the full snapshot");
  c.sendInput([1]);
  c.sendInput([2]);
  await conn.next("input");
  conn.ws.terminate(); // the network drops
  await until(() => c.reconnecting, "the loss");
  c.sendInput([3]); // queued while redialing
  const conn2 = await server.accept();
  const hello = await conn2.welcome({ resumed: true, token: "token-2" });
  assert.equal(hello.sessionToken, "token-1", "redials with the newest token");
  await until(() => !c.reconnecting, "the redial");
  conn2.joined({ resumed: true });
  conn2.snapshot(130, 0, world2, { lastInputSeq: 1 });
  await until(() => c.stats.snapshots === 2, "the full snapshot after resume");
  c.sendInput([4]);
  const b = await conn2.next("input");
  assert.deepEqual(b.inputs.map((i) => i.seq), [2, 3, 4], "unacknowledged inputs go again, seqs continue");
  assert.equal(b.ackTick, 130);
  assert.deepEqual(seen, ["disconnect", "reconnect true"]);
  assert.equal(c.sessionToken, "token-2");
  assert.equal(c.stats.reconnects, 1);
  assert.equal(c.state().tick, 130);
  await c.close();
});

test("a final close reason ends the client with a CloseError, no redial", async () => {
  const { c, conn } = await open({ reconnect: true });
  let closedWith: Error | null = null;
  c.on("close", (e) => (closedWith = e));
  conn.send({ case: "closing", value: { reason: CloseReason.KICKED, message: "bye" } });
  conn.ws.close(4002, "bye");
  await c.closed;
  assert.ok(c.error instanceof CloseError);
  assert.equal((c.error as CloseError).reason, CloseReason.KICKED);
  assert.equal(closedWith, c.error);
  assert.throws(() => c.sendInput([1]), CloseError);
  await assert.rejects(c.join(), CloseError);
});

test("a refused hello rejects connect with the ServerError and its CloseError", async () => {
  const pending = connect({ url: server.url, name: "", WebSocket, pingIntervalMs: 0 });
  const conn = await server.accept();
  await conn.next("hello");
  conn.send({ case: "error", value: { code: ErrorCode.INVALID_NAME, message: "empty name" } });
  conn.send({ case: "closing", value: { reason: CloseReason.PROTOCOL_ERROR, message: "empty name" } });
  conn.ws.close(4006, "empty name");
  await assert.rejects(pending, (e: unknown) => {
    assert.ok(e instanceof ServerError);
    assert.equal(e.code, ErrorCode.INVALID_NAME);
    assert.ok(e.cause instanceof CloseError);
    return true;
  });
});

test("pings measure the round trip and the clock", async () => {
  const { c, conn } = await open({ pingIntervalMs: 50 });
  for (let i = 0; i < 3; i++) {
    const p = await conn.next("ping");
    conn.send({ case: "pong", value: { clientTimeUs: p.clientTimeUs, serverTimeUs: 5_000_000n } });
  }
  conn.send({ case: "pong", value: { clientTimeUs: 42n, serverTimeUs: 1n } }); // echoes no ping of ours
  await until(() => c.stats.clockSamples === 4 && c.stats.unmatchedPongs === 1, "three samples and the stray pong");
  assert.ok(c.stats.rttMs >= 0);
  await c.close();
});

test("a Hello answered by Redirect says Hello at that node, and the move counts", async () => {
  const pending = connect({ url: server.url, name: "ada", WebSocket, pingIntervalMs: 0, sessionToken: "token-0" });
  const first = await server.accept();
  await first.next("hello");
  first.send({ case: "redirect", value: { url: server.url, roomId: "r1", reservation: "", expiresUnixMs: 0n } });
  const other = await server.accept();
  const hello = await other.welcome({ resumed: true });
  assert.equal(hello.sessionToken, "token-0", "the seat's node gets the session's token");
  const c = await pending;
  assert.equal(c.stats.redirects, 1);
  await c.close();
});

test("a join answered by Redirect moves to that node and takes the reserved seat there", async () => {
  const { c, conn } = await open({}, false);
  const j = c.join("ships");
  await conn.next("joinRoom");
  conn.send({ case: "redirect", value: { url: server.url, roomId: "r1", reservation: "seat-1", expiresUnixMs: 0n } });
  const other = await server.accept();
  const hello = await other.welcome({ token: "token-2" });
  assert.equal(hello.sessionToken, "token-1", "the new node gets the session's token");
  const jr = await other.next("joinRoom");
  assert.equal(jr.roomId, "r1");
  assert.equal(jr.reservation, "seat-1");
  other.joined();
  assert.equal((await j).roomId, "r1");
  assert.equal((await conn.closed).code, 1000, "the first node gets a goodbye");
  assert.equal(c.stats.redirects, 1);
  assert.equal(c.sessionToken, "token-2");
  other.snapshot(100, 0, world1);
  await until(() => c.stats.snapshots === 1, "a snapshot from the new node");
  await c.close();
});

test("a Hello answered by Redirect is followed to the node holding the seat", async () => {
  const pending = connect({ url: server.url, name: "ada", sessionToken: "token-1", WebSocket, pingIntervalMs: 0 });
  const first = await server.accept();
  await first.next("hello");
  first.send({ case: "redirect", value: { url: server.url, roomId: "r1" } });
  const second = await server.accept();
  await second.welcome({ resumed: true });
  const c = await pending;
  assert.equal(c.welcome.resumed, true);
  await c.close();
});

test("the node left behind closing the old connection (REPLACED) during a move is no loss", async () => {
  const { c, conn } = await open({}, false);
  const j = c.join("ships");
  await conn.next("joinRoom");
  conn.send({ case: "redirect", value: { url: server.url, roomId: "r1", reservation: "seat-1", expiresUnixMs: 0n } });
  const other = await server.accept();
  await other.next("hello", (m) => m.body.case === "hello");
  // The new node claimed the session: the old one replaces its connection
  // before the client has its Welcome.
  conn.send({ case: "closing", value: { reason: CloseReason.REPLACED, message: "another connection took over this session on another node" } });
  conn.ws.close(4000 + CloseReason.REPLACED, "replaced");
  await conn.closed;
  other.send({ case: "welcome", value: { protocolVersion: 2, sessionId: "s1", serverTimeUs: 1_000_000n, sessionToken: "token-2" } });
  const jr = await other.next("joinRoom");
  assert.equal(jr.reservation, "seat-1");
  other.joined();
  assert.equal((await j).roomId, "r1");
  assert.equal(c.error, null);
  assert.equal(c.stats.disconnects, 0);
  await c.close();
});
