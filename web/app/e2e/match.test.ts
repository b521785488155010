// The browser game end to end in headless Chromium against the real
// server: two players meet in a private room by its code, one moves and
// shoots the other, a cut network and a reloaded tab both get the seat
// back, the match ends with results, and no snapshot ever fails its
// checksum. Screenshots land in web/.build/e2e/.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { startServer, type Server } from "./server.js";
import { clearShot, nextWaypoint } from "./steer.js";

const artifacts = process.env.TICKWIRE_E2E_ARTIFACTS ?? ".build/e2e";
const VIEWPORT = { width: 900, height: 600 };

/** Info is what window.tickwire.info() returns (the parts the test reads). */
interface Info {
  screen: string;
  connected: boolean;
  name: string;
  sessionId: string;
  roomId: string;
  mode: string;
  playerId: number;
  entityId: number;
  phase: string;
  joinCode: string;
  timer: string;
  stats: { desyncs: number; decodeErrors: number; snapshots: number; reconnects: number; disconnects: number; bytesIn: number; predictionErrorMax: number } | null;
  net: { snapshotsPerSec: number; bytesInPerSec: number } | null;
  hits: { dealt: number; taken: number } | null;
  self: Record<string, number> | null;
  entities: Record<string, number | string>[];
  results: { players: { playerId: number; name: string; score: number; values: number[] }[] } | null;
}

const info = (p: Page) => p.evaluate(() => window.tickwire.info() as unknown as Info);

/** until polls check every 100 ms until it returns a value other than undefined, or fails after ms. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let server: Server;
let browser: Browser;

before(async () => {
  server = await startServer(process.env.TICKWIRE_SERVER_BIN!, ["-arena.countdown", "1s", "-drones.countdown", "1s"]);
  // launch starts Chromium with a fresh temporary profile of its own.
  browser = await chromium.launch({
    executablePath: process.env.TICKWIRE_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Pages in the background must not have their timers throttled.
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
    ],
    timeout: 30000,
  });
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, `the server's exit code; its log:\n${server?.log()}`);
});

/** pages are every page opened, for screenshots when a test fails. */
const pages: Page[] = [];

/** capture saves a screenshot and the state of every page, named after why. */
async function capture(why: string): Promise<void> {
  for (const [i, p] of pages.entries()) {
    if (p.isClosed()) continue;
    await p.screenshot({ path: join(artifacts, `${why}-${i}.png`) }).catch(() => {});
    console.log(`page ${i} state:`, JSON.stringify(await info(p).catch((e) => String(e))).slice(0, 3000));
  }
}

/** sideBySide puts the screenshots at paths next to each other, at 3/4 size, into out. */
async function sideBySide(paths: string[], out: string): Promise<void> {
  const w = Math.round(VIEWPORT.width * 0.75);
  const h = Math.round(VIEWPORT.height * 0.75);
  const page = await browser.newPage({ viewport: { width: w * paths.length + 8 * (paths.length - 1), height: h } });
  const imgs = paths.map((p) => `<img src="data:image/png;base64,${readFileSync(p).toString("base64")}" width="${w}" height="${h}">`);
  await page.setContent(`<body style="margin:0;background:#000;display:flex;gap:8px">${imgs.join("")}</body>`);
  await page.screenshot({ path: out });
  await page.close();
}

/** openPage opens url in a fresh context (its own storage and network) and reports page errors. */
async function openPage(url: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(url);
  return { context, page, errors };
}

test("two browser players: private room by code, a fight, a cut network, a reload, results", { timeout: 110000 }, async () => {
  try {
    await twoPlayers();
  } catch (e) {
    await capture("failed");
    throw e;
  }
});

async function twoPlayers(): Promise<void> {
  const t0 = Date.now();
  const step = (what: string) => console.log(`  [${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);

  // A opens the lobby and creates a private arena room.
  const a = await openPage(`${server.base}/`);
  await until("A's lobby", 10000, async () => ((await info(a.page)).screen === "lobby" && (await info(a.page)).connected ? true : undefined));
  await a.page.locator("#name").fill("alice");
  await a.page.locator("#name-form button").click();
  await until("A renamed", 10000, async () => ((await info(a.page)).name === "alice" && (await info(a.page)).connected ? true : undefined));
  await a.page.screenshot({ path: join(artifacts, "a-lobby.png") });
  await a.page.locator('button[data-create-room="arena"]').click();
  const code = await until("A's join code", 10000, async () => (await info(a.page)).joinCode || undefined);
  const link = await a.page.locator("#share-link").getAttribute("href");
  assert.equal(link, `${server.base}/?code=${code}`);
  step(`A created room with code ${code}`);

  // B follows the share link, which joins directly.
  const b = await openPage(link!);
  const bJoined = await until("B in A's room", 10000, async () => {
    const i = await info(b.page);
    return i.screen === "game" && i.entityId ? i : undefined;
  });
  const aInfo = await info(a.page);
  assert.equal(bJoined.roomId, aInfo.roomId);
  assert.notEqual(bJoined.playerId, aInfo.playerId);
  assert.equal(new URL(b.page.url()).search, "", "the code leaves the address once used");
  await until("the match running on both", 10000, async () =>
    (await info(a.page)).phase === "running" && (await info(b.page)).phase === "running" ? true : undefined,
  );
  step(`B joined as player ${bJoined.playerId}; match running`);

  // Where B sees A at first, to tell later that A moved.
  const aEntity = aInfo.entityId;
  const bEntity = bJoined.entityId;
  const aSeenByB = async () => (await info(b.page)).entities.find((e) => e.id === aEntity) as Record<string, number> | undefined;
  const aStart = await until("A in B's view", 5000, aSeenByB);

  // A walks (keyboard) toward a spot with a clear shot at B, aims there
  // (mouse) and fires (mouse button) until B has taken damage.
  const held = new Set<string>();
  const hold = async (keys: string[]) => {
    for (const k of [...held]) if (!keys.includes(k)) await a.page.keyboard.up(k).then(() => held.delete(k));
    for (const k of keys) if (!held.has(k)) await a.page.keyboard.down(k).then(() => held.add(k));
  };
  let firing = false;
  await until("B hit by A", 40000, async () => {
    const ia = await info(a.page);
    const ib = await info(b.page);
    if ((ib.hits?.taken ?? 0) > 0 && (ia.hits?.dealt ?? 0) > 0) return true;
    const me = ia.self;
    const target = ia.entities.find((e) => e.id === bEntity) as Record<string, number> | undefined;
    if (!me || !target || !(me.flags & 1)) return undefined;
    const aim = await a.page.evaluate((id) => window.tickwire.screenOf(id), bEntity);
    if (aim) await a.page.mouse.move(aim.x, aim.y);
    const inRange = Math.hypot(target.x - me.x, target.y - me.y) < 420 && clearShot(me.x, me.y, target.x, target.y);
    if (inRange) {
      await hold([]);
      if (!firing) await a.page.mouse.down();
      firing = true;
      return undefined;
    }
    if (firing) await a.page.mouse.up();
    firing = false;
    const wp = nextWaypoint(me.x, me.y, target.x, target.y, 380);
    if (!wp) return undefined;
    const dx = wp[0] - me.x;
    const dy = wp[1] - me.y;
    const keys: string[] = [];
    if (dx > 4) keys.push("KeyD");
    if (dx < -4) keys.push("KeyA");
    if (dy > 4) keys.push("KeyW");
    if (dy < -4) keys.push("KeyS");
    await hold(keys);
    return undefined;
  });
  await a.page.waitForTimeout(300);
  await a.page.screenshot({ path: join(artifacts, "a-fight.png") });
  await b.page.screenshot({ path: join(artifacts, "b-fight.png") });
  await sideBySide([join(artifacts, "a-fight.png"), join(artifacts, "b-fight.png")], join(artifacts, "match.png"));
  if (firing) await a.page.mouse.up();
  await hold([]);
  const aNow = (await aSeenByB())!;
  const moved = Math.hypot(aNow.x - aStart.x, aNow.y - aStart.y);
  const ib = await info(b.page);
  const ia = await info(a.page);
  step(`A moved ${moved.toFixed(0)} units as B saw it, dealt ${ia.hits!.dealt} hits; B took ${ib.hits!.taken}, health ${ib.self?.health}`);
  assert.ok(moved > 20 || ia.hits!.dealt > 0, `B saw A move ${moved} units`);
  assert.ok(ib.hits!.taken > 0 && ia.hits!.dealt > 0);
  assert.ok(ia.stats!.snapshots > 20 && ia.net!.snapshotsPerSec > 5, `A's net: ${JSON.stringify(ia.net)}`);

  // B's network goes down; its socket breaks; the page keeps trying and,
  // once the network is back, resumes the same seat.
  await b.context.setOffline(true);
  await b.page.evaluate(() => window.tickwire.client?.dropConnection());
  await until("B noticing the loss", 5000, async () => (!(await info(b.page)).connected ? true : undefined));
  await b.page.waitForTimeout(1500);
  await b.page.screenshot({ path: join(artifacts, "b-offline.png") });
  await b.context.setOffline(false);
  const resumed = await until("B resumed", 15000, async () => {
    const i = await info(b.page);
    return i.connected && i.screen === "game" && i.stats!.reconnects > 0 && i.stats!.snapshots > ib.stats!.snapshots + 5 ? i : undefined;
  });
  assert.equal(resumed.playerId, bJoined.playerId, "the same seat after the network came back");
  assert.equal(resumed.entityId, bJoined.entityId);
  assert.equal(resumed.sessionId, bJoined.sessionId);
  step(`B resumed player ${resumed.playerId} after ${resumed.stats!.disconnects} loss(es)`);
  const beforeReload = resumed.stats!;

  // B reloads its tab: the page says Hello with the stored token and gets its seat back.
  await b.page.reload();
  const reloaded = await until("B back after a reload", 15000, async () => {
    const i = await info(b.page);
    return i.connected && i.screen === "game" && i.stats!.snapshots > 5 ? i : undefined;
  });
  assert.equal(reloaded.playerId, bJoined.playerId, "the same seat after a reload");
  assert.equal(reloaded.sessionId, bJoined.sessionId);
  step(`B reloaded and resumed player ${reloaded.playerId}`);

  // The operator ends the match: both pages show the results, named.
  const resp = await fetch(`${server.admin}/v1/admin/rooms/${aInfo.roomId}/debug`, {
    method: "POST",
    headers: { Authorization: `Bearer ${server.adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ command: "end" }),
  });
  assert.equal(resp.status, 200, await resp.text());
  for (const p of [a.page, b.page]) {
    const r = await until("results", 10000, async () => {
      const i = await info(p);
      return i.screen === "results" && i.results ? i.results : undefined;
    });
    assert.deepEqual(r.players.map((x) => x.name).sort(), ["alice", bJoined.name].sort());
  }
  const header = await a.page.locator("#standings thead").innerText();
  assert.match(header, /kills/);
  assert.match(header, /deaths/);
  await a.page.screenshot({ path: join(artifacts, "a-results.png") });
  step("both pages show the results");

  // No snapshot failed its checksum anywhere, and the pages logged no error.
  const fa = (await info(a.page)).stats!;
  const fb = (await info(b.page)).stats!;
  for (const [who, s] of [["A", fa], ["B before the reload", beforeReload], ["B", fb]] as const) {
    assert.equal(s.desyncs, 0, `${who}'s desyncs`);
    assert.equal(s.decodeErrors, 0, `${who}'s decode errors`);
  }
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket connection/.test(e)), []);
  await a.page.locator("#to-lobby").click();
  assert.equal((await info(a.page)).screen, "lobby");

  // The second mode plays too: A quick-plays drones and flies (thrust
  // toward the pointer, and up).
  await a.page.locator('button[data-quick-play="drones"]').click();
  const start = await until("A flying a drone", 10000, async () => {
    const i = await info(a.page);
    return i.mode === "drones" && i.phase === "running" && i.self ? i.self : undefined;
  });
  const box = (await a.page.locator("#view").boundingBox())!;
  await a.page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.2);
  await a.page.keyboard.down("KeyW");
  await a.page.keyboard.down("Space");
  const flown = await until("A's drone moving", 10000, async () => {
    const me = (await info(a.page)).self;
    return me && Math.hypot(me.x - start.x, me.y - start.y) > 100 && me.z > start.z ? me : undefined;
  });
  await a.page.screenshot({ path: join(artifacts, "a-drones.png") });
  await a.page.keyboard.up("KeyW");
  await a.page.keyboard.up("Space");
  step(`A flew a drone from (${start.x}, ${start.y}, ${start.z}) to (${flown.x.toFixed(0)}, ${flown.y.toFixed(0)}, ${flown.z.toFixed(0)})`);
  assert.equal((await info(a.page)).stats!.desyncs, 0);
  step("done");
}
