// Game messages, chat and notices against a scripted server over a real
// WebSocket on 127.0.0.1.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { WebSocket } from "ws";
import { Client, connect } from "../src/client.js";
import { NotJoinedError, ServerError } from "../src/errors.js";
import type { ChatLine, GameMessage, Notice } from "../src/gen/tickwire/v1/tickwire_pb.js";
import { ChatChannel, ErrorCode, NoticeScope, NoticeSeverity } from "../src/gen/tickwire/v1/tickwire_pb.js";
import { FakeServer, until, type FakeConn } from "./fakeserver.js";

let server: FakeServer;
before(async () => (server = await FakeServer.start()));
after(() => server.close());

/** open connects a client, answers its Hello and seats it. */
async function open(): Promise<{ c: Client; conn: FakeConn }> {
  const pending = connect({ url: server.url, name: "ada", WebSocket, pingIntervalMs: 0 });
  const conn = await server.accept();
  await conn.welcome();
  const c = await pending;
  const j = c.join("ships");
  await conn.next("joinRoom");
  conn.joined();
  await j;
  return { c, conn };
}

/** line is a ChatLine body. */
function line(seq: number, text: string, replay = false) {
  return { case: "chat" as const, value: { seq: BigInt(seq), fromPlayer: 2, name: "bob", text, serverTimeUs: 5n, replay } };
}

test("sendMessage and chat go out; gameMessage, chat and notice events come in", async () => {
  const { c, conn } = await open();
  const msgs: GameMessage[] = [];
  const lines: ChatLine[] = [];
  const notices: Notice[] = [];
  c.on("gameMessage", (m) => msgs.push(m));
  c.on("chat", (l) => lines.push(l));
  c.on("notice", (n) => notices.push(n));

  c.sendMessage(1, 1, -3);
  const gm = await conn.next("gameMessage");
  assert.equal(gm.kind, 1);
  assert.deepEqual(gm.values, [1, -3]);
  c.chat("hello");
  let sc = await conn.next("chat");
  assert.equal(sc.text, "hello");
  assert.equal(sc.channel, ChatChannel.ROOM);
  c.chat("team only", true);
  sc = await conn.next("chat");
  assert.equal(sc.channel, ChatChannel.TEAM);

  conn.send({ case: "gameMessage", value: { kind: 3, values: [1, 2] } });
  conn.send(line(1, "hi"));
  conn.send({ case: "notice", value: { severity: NoticeSeverity.WARNING, text: "maintenance", scope: NoticeScope.SERVER } });
  await until(() => msgs.length === 1 && lines.length === 1 && notices.length === 1, "the three events");
  assert.deepEqual(msgs[0].values, [1, 2]);
  assert.equal(lines[0].text, "hi");
  assert.equal(notices[0].severity, NoticeSeverity.WARNING);
  await c.close();
});

test("chat lines a resume replays are seen once; a fresh join starts over", async () => {
  const { c, conn } = await open();
  const seen: string[] = [];
  c.on("chat", (l) => seen.push(`${l.seq}${l.replay ? "r" : ""} ${l.text}`));
  conn.send(line(1, "one"));
  conn.send(line(2, "two"));
  await until(() => seen.length === 2, "two lines");
  // After a resume the server sends its recent lines again, replay set.
  conn.joined({ resumed: true });
  conn.send(line(1, "one", true));
  conn.send(line(2, "two", true));
  conn.send(line(3, "three", true));
  conn.send(line(4, "four"));
  await until(() => seen.length === 4, "the new lines");
  assert.deepEqual(seen, ["1 one", "2 two", "3r three", "4 four"]);
  // Another room numbers its lines afresh.
  conn.joined();
  conn.send(line(1, "new room"));
  await until(() => seen.length === 5, "the new room's line");
  assert.equal(seen[4], "1 new room");
  await c.close();
});

test("a refused chat line answers no waiting request; sending outside a room throws", async () => {
  const { c, conn } = await open();
  const errors: number[] = [];
  c.on("message", (m) => {
    if (m.body.case === "error") errors.push(m.body.value.code);
  });
  const list = c.listRooms();
  await conn.next("listRooms");
  conn.send({ case: "error", value: { code: ErrorCode.CHAT_REFUSED, message: "chat: rate limited" } });
  conn.send({ case: "error", value: { code: ErrorCode.MESSAGE_REFUSED, message: "game message: unknown kind 9" } });
  conn.send({ case: "roomList", value: { rooms: [], total: 0 } });
  assert.deepEqual(await list, []);
  assert.deepEqual(errors, [ErrorCode.CHAT_REFUSED, ErrorCode.MESSAGE_REFUSED]);
  const left = c.listRooms();
  await conn.next("listRooms");
  conn.send({ case: "error", value: { code: ErrorCode.RATE_LIMITED, message: "listings" } });
  await assert.rejects(left, ServerError);
  conn.send({ case: "left", value: { roomId: "r1" } });
  await until(() => c.joined === null, "left");
  assert.throws(() => c.chat("anyone?"), NotJoinedError);
  assert.throws(() => c.sendMessage(1), NotJoinedError);
  await c.close();
});
