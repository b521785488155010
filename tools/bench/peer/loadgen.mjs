// Load generator for the Colyseus peer: N bots that play the arena-move
// scenario as tickbot's wander bots do (30 inputs a second, full speed in a
// direction that changes every 0.7-1.3 s) and report the fleet's counters as
// JSON lines on stdout, in the format of tickbot's -stats stream, so the
// harness measures both servers' windows the same way.
//
//   node loadgen.mjs -server ws://127.0.0.1:2567 -bots 800 -ramp 200
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

const server = flag("server", "ws://127.0.0.1:2567");
const bots = Number(flag("bots", "16"));
const inputHz = Number(flag("input-hz", "30"));
const ramp = Number(flag("ramp", "200"));
const statsEvery = Number(flag("stats-every-ms", "1000"));
const INPUT_PERIOD = 1000 / inputHz;
const SCHEDULER_MS = 4; // granularity of the input schedule
let seed = Number(flag("seed", "1")) >>> 0;

// A small seeded generator (mulberry32): the same seed plays the same turns.
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
const start = performance.now();
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
    const client = new Client(server);
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

function statsLine() {
  return JSON.stringify({
    t: Math.round(performance.now() - start) / 1000,
    bots,
    live,
    failed,
    errors,
    seated_s: Math.round(seatedSeconds() * 1000) / 1000,
    snapshots: totals.snapshots,
    bytes_in: totals.bytesIn,
    bytes_out: totals.bytesOut,
    inputs: totals.inputs,
    desyncs: 0,
    ack_ns: takeAcks(),
  });
}

// One timer drives every bot's inputs: cheaper than a timer per bot, and
// it keeps each bot on its own fixed schedule.
const inputting = new Set();
const inputTimer = setInterval(() => {
  const now = performance.now();
  for (const b of inputting) {
    if (now < b.nextInput) continue;
    b.input(now);
    b.nextInput += INPUT_PERIOD;
    if (b.nextInput <= now) b.nextInput = now + INPUT_PERIOD; // skip what was missed
  }
}, SCHEDULER_MS);

const statsTimer = setInterval(() => process.stdout.write(statsLine() + "\n"), statsEvery);

function stop() {
  stopping = true;
  clearInterval(statsTimer);
  clearInterval(inputTimer);
  process.stdout.write(statsLine() + "\n", () => process.exit(0));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

// Bot i starts at i/ramp seconds, as tickbot's -ramp does.
for (let i = 0; i < bots; i++) {
  const b = new Bot(i);
  setTimeout(() => b.start(), (i * 1000) / ramp);
}
