// The SDK against the real Go server: two clients per shipped mode meet in
// a private room by its code, play with random inputs and verify thousands
// of snapshot checksums; one drops its connection and resumes its seat.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { WebSocket } from "ws";
import { type Client, connect } from "../src/client.js";
import { ServerError } from "../src/errors.js";
import { ErrorCode } from "../src/gen/tickwire/v1/tickwire_pb.js";
import { TickwireServer } from "./server.js";
import { until } from "./fakeserver.js";

/** SNAPSHOTS is how many snapshots each client verifies before the drop. */
const SNAPSHOTS = 1000;

describe("the real server", { concurrency: true }, () => {
  let server: TickwireServer;
  before(async () => {
    // 60 snapshots a second, so that thousands take seconds while acks and
    // inputs stay below the server's rate limit; matches that do not end meanwhile.
    server = await TickwireServer.start([
      "-arena.tick-hz", "120", "-arena.snapshot-hz", "60", "-arena.score-limit", "100000", "-arena.countdown", "0s",
      "-drones.tick-hz", "60", "-drones.snapshot-hz", "60", "-drones.core-limit", "100000", "-drones.countdown", "0s",
    ]);
  });
  after(async () => {
    assert.equal(await server.stop(), 0, "the server shuts down cleanly");
  });

  /** play sends a random input (each value anywhere in its field's range, clamped by the SDK) every 33 ms. */
  function play(c: Client): () => void {
    const t = setInterval(() => {
      const s = c.schema;
      if (!s || c.reconnecting) return;
      const values: Record<string, number> = {};
      for (const f of s.input) {
        const [lo, hi] = f.range();
        values[f.name] = Math.round(lo + Math.random() * (hi - lo));
      }
      c.sendInput(values);
    }, 33);
    return () => clearInterval(t);
  }

  test("listRoomsPage walks the public rooms a page at a time", async () => {
    const opts = { url: server.url, WebSocket };
    const owners = await Promise.all([1, 2, 3].map((i) => connect({ ...opts, name: `owner-${i}` })));
    const made = new Set<string>();
    for (const o of owners) made.add((await o.createRoom("arena", { maxPlayers: 4 })).joined.roomId);
    const reader = await connect({ ...opts, name: "reader" });
    const seen: string[] = [];
    let cursor = "";
    let pages = 0;
    do {
      const page = await reader.listRoomsPage("arena", { limit: 2, cursor });
      assert.ok(page.rooms.length <= 2, "no more than the limit");
      assert.equal(page.total, 3, "the total counts every page");
      seen.push(...page.rooms.map((r) => r.roomId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== "" && pages < 10);
    assert.equal(pages, 2);
    assert.deepEqual(new Set(seen), made, "every public room once");
    assert.equal(seen.length, 3);
    await Promise.all([...owners, reader].map((c) => c.close()));
  });

  for (const mode of ["arena", "drones"]) {
    test(`${mode}: two SDK clients in a private room verify ${SNAPSHOTS * 2}+ snapshots with no desync, and one resumes its seat`, async () => {
      const opts = { url: server.url, WebSocket, reconnect: { minBackoffMs: 20, maxBackoffMs: 200, giveUpAfterMs: 15000 } };
      const a = await connect({ ...opts, name: `${mode}-a` });
      const b = await connect({ ...opts, name: `${mode}-b` });
      const events = [0, 0];
      a.on("event", () => events[0]++);
      b.on("event", () => events[1]++);
      const room = await a.createRoom(mode, { maxPlayers: 2, private: true });
      assert.match(room.joinCode, /^[A-Z0-9]{6}$/);
      assert.equal(room.room?.private, true);
      await assert.rejects(b.joinCode("0000OO"), (e: unknown) => e instanceof ServerError && e.code === ErrorCode.UNKNOWN_CODE);
      const jb = await b.joinCode(room.joinCode.toLowerCase());
      assert.equal(jb.roomId, room.joined.roomId);
      assert.notEqual(jb.playerId, room.joined.playerId);
      assert.equal((await b.listRooms(mode)).some((r) => r.roomId === jb.roomId), false, "a private room is not listed");
      const stops = [play(a), play(b)];
      try {
        await until(() => a.stats.snapshots >= SNAPSHOTS && b.stats.snapshots >= SNAPSHOTS, `${SNAPSHOTS} snapshots each`, 120000);
        assert.ok(a.ownEntity(), "a sees its own entity");
        assert.ok(b.ownEntity(), "b sees its own entity");
        assert.ok(a.interpolated().entities.length > 0, "an interpolated world to draw");

        // a's network drops: it redials with its token and gets its seat back.
        const seatA = a.joined!;
        const resumed = new Promise<boolean>((resolve) => a.on("reconnect", resolve));
        const rejoined = new Promise<boolean>((resolve) => a.on("joined", (j) => resolve(j.resumed)));
        const seqBefore = a.stats.inputsSent;
        a.dropConnection();
        assert.equal(await resumed, true, "Welcome{resumed}");
        assert.equal(await rejoined, true, "Joined{resumed}");
        assert.equal(a.joined?.playerId, seatA.playerId);
        assert.equal(a.joined?.entityId, seatA.entityId);
        const after = a.stats.snapshots;
        await until(() => a.stats.snapshots >= after + 120 && a.stats.lastAppliedInputSeq > seqBefore, "play on after the resume", 60000);
      } finally {
        stops.forEach((stop) => stop());
      }
      for (const [name, c] of [["a", a], ["b", b]] as const) {
        const s = c.stats;
        assert.equal(s.desyncs, 0, `${name} desyncs`);
        assert.equal(s.decodeErrors, 0, `${name} decode errors`);
        assert.ok(s.inputsAcked > 0, `${name} inputs acknowledged`);
        assert.ok(s.clockSamples > 0, `${name} clock samples`);
        console.log(
          `# ${mode} ${name}: ${s.snapshots} snapshots verified (${s.fullSnapshots} full), 0 desyncs, ` +
            `${s.inputsAcked}/${s.inputsSent} inputs acked, input→ack ${s.inputAckLatencySmoothedMs.toFixed(1)} ms, ` +
            `${s.bytesIn} bytes in, ${s.reconnects} reconnects, events ${name === "a" ? events[0] : events[1]}, ` +
            `stale ${s.staleSnapshots}, missing base ${s.missingBaseSnapshots}, resyncs ${s.resyncRequests}, frames out ${s.framesOut}`,
        );
      }
      assert.equal(a.stats.reconnects, 1);
      await Promise.all([a.close(), b.close()]);
    });
  }
});
