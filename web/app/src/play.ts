// The game screen: a mode's view on the canvas, inputs at the room's tick
// rate, the HUD (score, health, match timer, ping), the room's join code
// and share link, an event feed and the net graph.

import type { Client, GameEvent, pb, SnapshotInfo } from "../../sdk/src/index.js";
import { RoomPhase } from "../../sdk/src/index.js";
import { ArenaView } from "./arena.js";
import { DronesView } from "./drones.js";
import { Controls } from "./input.js";
import { type ModeInfo, optionDurationMs } from "./modes.js";
import { NetGraph } from "./netgraph.js";
import { GenericView, type ModeView } from "./view.js";

const FEED_LINES = 6;
const FEED_MS = 6000;

/** Play runs the game screen of one seat until dispose. */
export class Play {
  readonly client: Client;
  readonly view: ModeView;
  readonly net: NetGraph;
  readonly #mode: ModeInfo | undefined;
  readonly #controls: Controls;
  readonly #canvas: HTMLCanvasElement;
  readonly #off: (() => void)[] = [];
  readonly #feed: { text: string; at: number }[] = [];
  #raf = 0;
  #inputTimer: ReturnType<typeof setInterval> | undefined;
  /** runningTick is the tick the match started at, when this client saw it start. */
  #runningTick = 0;
  #countdownEndTick = 0;
  #playersNeeded = 0;
  #hudText = "";
  #scoresKey = "";
  /** joinCode is the room's code when this client created it (others' codes are not sent). */
  joinCode: string;
  /** hits counts hit events this client saw: dealt by and taken by its own entity. */
  readonly hits = { dealt: 0, taken: 0 };

  constructor(client: Client, mode: ModeInfo | undefined, joinCode: string) {
    this.client = client;
    this.#mode = mode;
    this.joinCode = joinCode;
    this.#canvas = document.getElementById("view") as HTMLCanvasElement;
    this.#controls = new Controls(this.#canvas);
    const ctx = { client, controls: this.#controls, mode };
    const name = client.joined?.mode;
    this.view = name === "arena" ? new ArenaView(ctx) : name === "drones" ? new DronesView(ctx) : new GenericView(ctx);
    this.net = new NetGraph(document.getElementById("netgraph") as HTMLCanvasElement);
    document.getElementById("help")!.textContent = this.view.help;
    this.#off.push(
      client.on("event", (ev) => this.#onEvent(ev)),
      client.on("snapshot", (s: SnapshotInfo) => this.net.snapshot(s)),
      client.on("roomState", (s: pb.RoomState) => this.#onRoomState(s)),
    );
    this.#renderSide();
    const hz = client.joined?.tickHz || 60;
    // One input per simulation tick: each one is a tick of prediction.
    this.#inputTimer = setInterval(() => this.#sendInput(), 1000 / hz);
    const frame = (now: number) => {
      this.#draw(now);
      this.#raf = requestAnimationFrame(frame);
    };
    this.#raf = requestAnimationFrame(frame);
  }

  /**
   * fit sizes the canvas's pixels to its box (times the device pixel
   * ratio) and returns the box's CSS size; checked every frame, since the
   * screen may have been hidden when the game started or the window
   * resized since.
   */
  #fit(): [number, number] {
    const dpr = window.devicePixelRatio || 1;
    const r = this.#canvas.getBoundingClientRect();
    const w = Math.max(1, Math.round(r.width * dpr));
    const h = Math.max(1, Math.round(r.height * dpr));
    if (this.#canvas.width !== w || this.#canvas.height !== h) {
      this.#canvas.width = w;
      this.#canvas.height = h;
    }
    return [r.width, r.height];
  }

  #sendInput(): void {
    const c = this.client;
    if (!c.joined || !c.schema || c.error) return;
    try {
      c.sendInput(this.view.input());
    } catch {
      // The seat went away between the check and the send; the next
      // joined or left event sorts the screen out.
    }
  }

  #onRoomState(s: pb.RoomState): void {
    if (s.roomId !== this.client.joined?.roomId) return;
    if (s.phase === RoomPhase.RUNNING) this.#runningTick = s.tick;
    if (s.phase === RoomPhase.COUNTDOWN) this.#countdownEndTick = s.tick + s.countdownTicks;
    if (s.phase === RoomPhase.WAITING) this.#playersNeeded = s.playersNeeded;
  }

  #onEvent(ev: GameEvent): void {
    const me = this.client.ownEntity()?.id ?? this.client.joined?.entityId;
    if (ev.name === "hit" && me !== undefined) {
      if (ev.actor === me) this.hits.dealt++;
      if (ev.target === me) this.hits.taken++;
    }
    const line = this.view.feed(ev);
    if (line) {
      this.#feed.push({ text: line, at: performance.now() });
      if (this.#feed.length > FEED_LINES) this.#feed.shift();
    }
  }

  /** timer returns the HUD's match line: what the client knows of the phase and the time left. */
  timer(): string {
    const c = this.client;
    const hz = c.joined?.tickHz || 60;
    const tick = c.state().tick;
    switch (c.phase) {
      case RoomPhase.WAITING:
        return this.#playersNeeded > 0 ? `waiting for ${this.#playersNeeded} more` : "waiting for players";
      case RoomPhase.COUNTDOWN:
        return this.#countdownEndTick > 0 ? `starts in ${Math.max(0, Math.ceil((this.#countdownEndTick - tick) / hz))}` : "starting";
      case RoomPhase.RUNNING: {
        const durationMs = optionDurationMs(this.#mode, "match-duration", 0);
        if (this.#runningTick === 0 || durationMs <= 0 || tick === 0) return "match running";
        const leftS = Math.max(0, Math.ceil(durationMs / 1000 - (tick - this.#runningTick) / hz));
        return `${Math.floor(leftS / 60)}:${String(leftS % 60).padStart(2, "0")}`;
      }
      case RoomPhase.ENDED:
        return "match over";
    }
    return "";
  }

  #draw(now: number): void {
    const ctx = this.#canvas.getContext("2d");
    if (!ctx) return;
    const [w, h] = this.#fit();
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.view.draw(ctx, w, h, now);
    this.net.draw(this.client, now);
    this.#renderHud(now);
  }

  #renderHud(now: number): void {
    const items = this.view.hud().map((i) => {
      const bar = i.bar === undefined ? "" : ` <span class="bar"><i style="width:${Math.round(Math.max(0, Math.min(1, i.bar)) * 100)}%"></i></span>`;
      return `<span class="item">${esc(i.label)} <b>${esc(i.value)}</b>${bar}</span>`;
    });
    items.push(`<span class="item"><b>${esc(this.timer())}</b></span>`);
    items.push(`<span class="item">ping <b>${Math.round(this.client.stats.rttSmoothedMs)} ms</b></span>`);
    if (this.client.reconnecting) items.push(`<span class="item"><b>reconnecting…</b></span>`);
    const html = items.join("");
    if (html !== this.#hudText) {
      this.#hudText = html;
      document.getElementById("hud-top")!.innerHTML = html;
    }
    const scores = this.view.scores();
    const key = scores.map((r) => `${r.me}|${r.label}|${r.score}`).join(";");
    if (key !== this.#scoresKey) {
      this.#scoresKey = key;
      document.getElementById("scores")!.replaceChildren(
        ...scores.map((r) => Object.assign(document.createElement("li"), { textContent: `${r.label} · ${r.score}`, className: r.me ? "me" : "" })),
      );
    }
    const feed = document.getElementById("feed")!;
    const lines = this.#feed.filter((f) => now - f.at < FEED_MS).map((f) => f.text);
    if (feed.childElementCount !== lines.length || lines.some((l, i) => feed.children[i]?.textContent !== l)) {
      feed.replaceChildren(...lines.map((l) => Object.assign(document.createElement("li"), { textContent: l })));
    }
  }

  /** renderSide fills the side panel: the room, its code and share link, leave. */
  #renderSide(): void {
    const side = document.getElementById("hud-side")!;
    const j = this.client.joined;
    side.replaceChildren();
    const title = document.createElement("div");
    title.textContent = `${j?.mode ?? ""} · room ${j?.roomId ?? ""}`;
    side.append(title);
    if (this.joinCode) {
      const link = `${location.origin}/?code=${encodeURIComponent(this.joinCode)}`;
      const code = Object.assign(document.createElement("div"), { className: "code", textContent: this.joinCode });
      code.id = "join-code";
      const a = Object.assign(document.createElement("a"), { href: link, textContent: link, id: "share-link" });
      const copy = Object.assign(document.createElement("button"), { type: "button", textContent: "Copy link" });
      copy.onclick = () => void navigator.clipboard?.writeText(link).then(() => (copy.textContent = "Copied"));
      side.append(Object.assign(document.createElement("div"), { textContent: "Join code" }), code, a, document.createElement("br"), copy);
    }
    const leave = Object.assign(document.createElement("button"), { type: "button", textContent: "Leave" });
    leave.id = "leave";
    leave.style.marginLeft = "6px";
    leave.onclick = () => {
      try {
        this.client.leave();
      } catch {
        // Not connected right now: nothing to leave yet.
      }
    };
    side.append(leave);
  }

  /** setJoinCode shows the room's join code (it arrives after Joined). */
  setJoinCode(code: string): void {
    this.joinCode = code;
    this.#renderSide();
  }

  /** dispose stops the loops and listeners. */
  dispose(): void {
    cancelAnimationFrame(this.#raf);
    clearInterval(this.#inputTimer);
    this.#controls.dispose();
    for (const off of this.#off) off();
  }
}

/** esc escapes text for HTML. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
