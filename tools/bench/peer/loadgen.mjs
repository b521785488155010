// Load generator for the Colyseus peer: N bots that play the arena-move
// scenario as tickbot's wander bots do (30 inputs a second, full speed in a
// direction that changes every 0.7-1.3 s) and report the fleet's counters as
// JSON lines on stdout, in the format of tickbot's -stats stream, so the
// harness measures both servers' windows the same way.
//
//   node loadgen.mjs -server ws://127.0.0.1:2567 -bots 800 -ramp 200
//
// The bots are spread over -workers threads (default: one per core), so the
// generator is not capped at the one core a Node event loop can use; the
// main thread only gathers the workers' counters and writes the lines.
//
// What it measures:
//   bytes_in    WebSocket message payload bytes received after joining
//   bytes_out   message payload bytes sent (inputs)
//   snapshots   state patches applied (onStateChange calls)
//   ack_ns      input→ack: the time from sending an input that changes the
//               bot's direction to the first patch in which its own position
//               moved along the new direction (at least one simulation step
//               applied the input). The room syncs only x/y, so there is no
//               acknowledged sequence number to read; inputs that keep the
//               direction cannot be observed and are not sampled, nor are
//               turns smaller than 10 degrees or taken near a wall.
import { Client } from "@colyseus/sdk";
import { availableParallelism } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const AXIS_MAX = 127;
const ANGLE_STEPS = 1024;
const TURN_MIN_MS = 700;
const TURN_SPREAD_MS = 600;
const STEP = 100 / 60; // world units a player moves per simulation step
const WIDTH = 1600;
const HEIGHT = 1000;
const WALL_MARGIN = 30; // turns this close to a wall are not sampled
const MIN_TURN_COS = Math.cos((10 * Math.PI) / 180);

function flag(name, def) {
  const i = process.argv.indexOf("-" + name);
  return i >= 0 ? process.argv[i + 1] : def;
}

const cfg = isMainThread
  ? {
      server: flag("server", "ws://127.0.0.1:2567"),
      bots: Number(flag("bots", "16")),
      inputHz: Number(flag("input-hz", "30")),
      ramp: Number(flag("ramp", "200")),
      statsEvery: Number(flag("stats-every-ms", "1000")),
      seed: Number(flag("seed", "1")) >>> 0,
      workers: Number(flag("workers", String(availableParallelism()))),
    }
  : workerData;
const INPUT_PERIOD = 1000 / cfg.inputHz;
const SCHEDULER_MS = 4; // granularity of the input schedule

// A small seeded generator (mulberry32): the same seed plays the same turns.
let seed = isMainThread ? 0 : (cfg.seed + 0x9e3779b9 * cfg.worker) >>> 0;
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

// Input→ack samples in log buckets 1 % wide, as tickbot keeps them.
const HIST_FLOOR_NS = 1000;
const LOG_BASE = Math.log(1.01);
let ackHist = new Map(); // bucket index → count
function addAck(ns) {
  const i = ns <= HIST_FLOOR_NS ? 0 : Math.ceil(Math.log(ns / HIST_FLOOR_NS) / LOG_BASE);
  ackHist.set(i, (ackHist.get(i) || 0) + 1);
}
function takeAcks() {
  const out = [...ackHist.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, c]) => [Math.ceil(HIST_FLOOR_NS * Math.pow(1.01, i)), c]);
  ackHist = new Map();
  return out;
}

const totals = { snapshots: 0, bytesIn: 0, bytesOut: 0, inputs: 0 };
let live = 0;
let failed = 0;
let errors = 0;
let seatedClosedMs = 0; // seated time of bots that left
const seated = new Set(); // bots seated now
const nowNs = () => Math.round(performance.now() * 1e6);

class Bot {
  constructor(i) {
    this.i = i;
    this.dir = 0;
    this.mx = 0;
    this.my = 0;
    this.turnAt = 0;
    this.pending = null; // the newest unacknowledged turn
    this.last = null; // own position at the previous patch
  }

  async start() {
    const client = new Client(cfg.server);
    try {
      this.room = await client.joinOrCreate("arena");
    } catch (err) {
      failed++;
      console.error(`loadgen: bot ${this.i}: ${err.message || err}`);
      return;
    }
    live++;
    this.joinedAt = performance.now();
    seated.add(this);
    const room = this.room;
    const ws = room.connection.transport.ws;
    ws.addEventListener("message", (ev) => {
      totals.bytesIn += ev.data.byteLength ?? ev.data.length;
    });
    const send = room.connection.send.bind(room.connection);
    room.connection.send = (data) => {
      totals.bytesOut += data.byteLength;
      send(data);
    };
    room.onStateChange((state) => this.onPatch(state));
    room.onLeave(() => {
      live--;
      seated.delete(this);
      seatedClosedMs += performance.now() - this.joinedAt;
      if (!stopping) errors++;
      inputting.delete(this);
    });
    room.onError((code, msg) => {
      errors++;
      console.error(`loadgen: bot ${this.i}: room error ${code} ${msg}`);
    });
    // Inputs follow a fixed schedule from a random phase, as a Go ticker
    // does: a late event loop sends the input that is due, and skips the
    // ones it missed rather than sending a burst (setInterval would drift).
    this.nextInput = performance.now() + rand() * INPUT_PERIOD;
    inputting.add(this);
  }

  input(now) {
    if (now >= this.turnAt) {
      this.turnAt = now + TURN_MIN_MS + rand() * TURN_SPREAD_MS;
      const dir = Math.floor(rand() * ANGLE_STEPS);
      const rad = (dir * 2 * Math.PI) / ANGLE_STEPS;
      const mx = Math.round(Math.cos(rad) * AXIS_MAX);
      const my = Math.round(Math.sin(rad) * AXIS_MAX);
      this.turn(mx, my);
      this.mx = mx;
      this.my = my;
    }
    this.room.send("move", [this.mx, this.my]);
    totals.inputs++;
  }

  // turn opens an input→ack sample for a turn the patches can show.
  turn(mx, my) {
    this.pending = null;
    const p = this.last;
    if (!p || p.x < WALL_MARGIN || p.y < WALL_MARGIN || p.x > WIDTH - WALL_MARGIN || p.y > HEIGHT - WALL_MARGIN) return;
    const n = unit(mx, my);
    const o = unit(this.mx, this.my);
    const cos = n.x * o.x + n.y * o.y;
    if (cos > MIN_TURN_COS) return;
    // q: the part of the new direction the old one cannot explain.
    const q = { x: n.x - cos * o.x, y: n.y - cos * o.y };
    const q2 = q.x * q.x + q.y * q.y;
    this.pending = { sentNs: nowNs(), q, threshold: 0.5 * STEP * q2, from: { x: p.x, y: p.y } };
  }

  onPatch(state) {
    totals.snapshots++;
    const me = state.players && state.players.get(this.room.sessionId);
    if (!me) return;
    const pos = { x: me.x, y: me.y };
    const pend = this.pending;
    if (pend && this.last) {
      // Movement since the previous patch along q: zero until a step
      // applied the turn, then at least one step's worth.
      const dx = pos.x - this.last.x;
      const dy = pos.y - this.last.y;
      if (dx * pend.q.x + dy * pend.q.y > pend.threshold) {
        addAck(nowNs() - pend.sentNs);
        this.pending = null;
      }
    }
    this.last = pos;
  }
}

function unit(x, y) {
  const l = Math.hypot(x, y);
  return l > 0 ? { x: x / l, y: y / l } : { x: 0, y: 0 };
}

let stopping = false;
function seatedSeconds() {
  const now = performance.now();
  let ms = seatedClosedMs;
  for (const b of seated) ms += now - b.joinedAt;
  return ms / 1000;
}

// counters returns this worker's counters, with the input→ack samples
// since the previous call.
function counters() {
  return {
    live, failed, errors,
    seated_s: seatedSeconds(),
    snapshots: totals.snapshots,
    bytes_in: totals.bytesIn,
    bytes_out: totals.bytesOut,
    inputs: totals.inputs,
    ack_ns: takeAcks(),
  };
}

// One timer drives every bot's inputs: cheaper than a timer per bot, and
// it keeps each bot on its own fixed schedule.
const inputting = new Set();

function runWorker() {
  const inputTimer = setInterval(() => {
    const now = performance.now();
    for (const b of inputting) {
      if (now < b.nextInput) continue;
      b.input(now);
      b.nextInput += INPUT_PERIOD;
      if (b.nextInput <= now) b.nextInput = now + INPUT_PERIOD; // skip what was missed
    }
  }, SCHEDULER_MS);
  parentPort.on("message", (m) => {
    if (m === "stop") {
      stopping = true;
      clearInterval(inputTimer);
    }
    parentPort.postMessage(counters());
  });
  // Bot i starts at i/ramp seconds, as tickbot's -ramp does; this worker
  // plays every bot i with i % workers == worker.
  for (let i = cfg.worker; i < cfg.bots; i += cfg.workers) {
    const b = new Bot(i);
    setTimeout(() => b.start(), (i * 1000) / cfg.ramp - cfg.startedAfterMs);
  }
}

// runMain starts the workers and writes a line of their summed counters
// every -stats-every-ms, and a last one on SIGTERM or SIGINT.
function runMain() {
  const start = performance.now();
  const n = Math.max(1, Math.min(cfg.workers, cfg.bots));
  const workers = [];
  for (let w = 0; w < n; w++) {
    workers.push(
      new Worker(new URL(import.meta.url), {
        workerData: { ...cfg, workers: n, worker: w, startedAfterMs: performance.now() - start },
      }),
    );
  }
  // Workers answer every message with their counters, in order.
  const pending = workers.map(() => []);
  workers.forEach((wk, w) => {
    wk.on("message", (c) => pending[w].shift()(c));
    wk.on("error", (err) => {
      console.error(`loadgen: worker ${w}: ${err.stack || err}`);
      process.exit(1);
    });
  });
  const ask = (msg) =>
    Promise.all(workers.map((wk, w) => new Promise((resolve) => {
      pending[w].push(resolve);
      wk.postMessage(msg);
    })));

  async function line(msg) {
    const cs = await ask(msg);
    const sum = (k) => cs.reduce((a, c) => a + c[k], 0);
    const acks = new Map();
    for (const c of cs) for (const [ub, k] of c.ack_ns) acks.set(ub, (acks.get(ub) || 0) + k);
    return JSON.stringify({
      t: Math.round(performance.now() - start) / 1000,
      bots: cfg.bots,
      live: sum("live"),
      failed: sum("failed"),
      errors: sum("errors"),
      seated_s: Math.round(sum("seated_s") * 1000) / 1000,
      snapshots: sum("snapshots"),
      bytes_in: sum("bytes_in"),
      bytes_out: sum("bytes_out"),
      inputs: sum("inputs"),
      desyncs: 0,
      ack_ns: [...acks.entries()].sort((a, b) => a[0] - b[0]),
    });
  }

  let busy = false;
  const statsTimer = setInterval(async () => {
    if (busy) return; // a starved worker is late: skip a line rather than queue them
    busy = true;
    process.stdout.write((await line("stats")) + "\n");
    busy = false;
  }, cfg.statsEvery);

  async function stop() {
    clearInterval(statsTimer);
    process.stdout.write((await line("stop")) + "\n", () => process.exit(0));
  }
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (isMainThread) runMain();
else runWorker();
