// The arena's game screen: the map, players and shots on a canvas, WASD or
// the arrows to move, the mouse to aim, a click (or space) to fire. The
// own player is drawn predicted (arenaPredictor), the others interpolated.

import type { Entity, GameEvent, PredictFn } from "../../sdk/src/index.js";
import { arenaMap } from "./gen/maps.js";
import { optionNumber } from "./modes.js";
import { arenaPredictor } from "./predict.js";
import { angleSteps, Camera, type HudItem, type ModeView, playerColor, type ScoreLine, type ViewContext } from "./view.js";

const ALIVE = 1;
const FLASH_MS = 250;

/** ArenaView is the arena's ModeView. */
export class ArenaView implements ModeView {
  readonly help = "WASD / arrows move · mouse aims · click or space fires";
  readonly predict: PredictFn;
  readonly #ctx: ViewContext;
  readonly #cam = new Camera();
  readonly #maxHealth: number;
  readonly #steps: number;
  readonly #drawn = new Map<number, { x: number; y: number }>();
  /** flashes are entities hit recently, until when. */
  readonly #flashes = new Map<number, number>();
  #aim = 0;
  #me: { x: number; y: number } | null = null;

  constructor(ctx: ViewContext) {
    this.#ctx = ctx;
    const schema = ctx.client.schema!;
    this.predict = arenaPredictor(schema, { maxSpeed: optionNumber(ctx.mode, "max-speed", 100) });
    this.#maxHealth = optionNumber(ctx.mode, "max-health", 100);
    this.#steps = schema.input[schema.inputIndex("aim")].scale || 4096;
  }

  draw(ctx: CanvasRenderingContext2D, w: number, h: number, now: number): void {
    const cam = this.#cam;
    const m = arenaMap;
    cam.fit(-12, -12, m.width + 12, m.height + 12, w, h);
    ctx.fillStyle = "#0c0e13";
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = "#1b2130";
    ctx.fillRect(cam.x(0), cam.y(m.height), m.width * cam.scale, m.height * cam.scale);
    ctx.strokeStyle = "#232a3a";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let x = 100; x < m.width; x += 100) {
      ctx.moveTo(cam.x(x), cam.y(0));
      ctx.lineTo(cam.x(x), cam.y(m.height));
    }
    for (let y = 100; y < m.height; y += 100) {
      ctx.moveTo(cam.x(0), cam.y(y));
      ctx.lineTo(cam.x(m.width), cam.y(y));
    }
    ctx.stroke();
    // Walls, the borders cut to a rim.
    ctx.fillStyle = "#4a5570";
    for (const [x0, y0, x1, y1] of m.walls) {
      const a = Math.max(x0, -12);
      const b = Math.max(y0, -12);
      const c = Math.min(x1, m.width + 12);
      const d = Math.min(y1, m.height + 12);
      ctx.fillRect(cam.x(a), cam.y(d), (c - a) * cam.scale, (d - b) * cam.scale);
    }

    const client = this.#ctx.client;
    const world = client.interpolated(now);
    const myId = client.ownEntity()?.id ?? client.joined?.entityId ?? 0;
    const predicted = client.predicted();
    this.#drawn.clear();
    for (const e of world.ofKind("projectile")) this.#drawShot(ctx, e, myId);
    let me: Entity | undefined;
    for (const e of world.ofKind("player")) {
      if (e.id === myId) me = predicted && predicted.get("flags") & ALIVE ? predicted : e;
      else this.#drawPlayer(ctx, e, false, now);
    }
    // The own player last, on top of everyone.
    me ??= predicted;
    if (me) this.#drawPlayer(ctx, me, true, now);
    this.#me = me && me.get("flags") & ALIVE ? { x: me.value("x"), y: me.value("y") } : null;
  }

  #drawShot(ctx: CanvasRenderingContext2D, e: Entity, myId: number): void {
    const cam = this.#cam;
    const x = cam.x(e.value("x"));
    const y = cam.y(e.value("y"));
    const mine = e.get("owner") === this.#ctx.client.joined?.playerId;
    ctx.fillStyle = mine || e.id === myId ? "#ffe08a" : "#ff8a80";
    ctx.beginPath();
    ctx.arc(x, y, Math.max(2, arenaMap.projectileRadius * cam.scale), 0, 2 * Math.PI);
    ctx.fill();
    this.#drawn.set(e.id, { x, y });
  }

  #drawPlayer(ctx: CanvasRenderingContext2D, e: Entity, mine: boolean, now: number): void {
    const cam = this.#cam;
    const alive = (e.get("flags") & ALIVE) !== 0;
    const x = cam.x(e.value("x"));
    const y = cam.y(e.value("y"));
    const r = arenaMap.playerRadius * cam.scale;
    this.#drawn.set(e.id, { x, y });
    const owner = e.get("owner");
    ctx.globalAlpha = alive ? 1 : 0.25;
    ctx.fillStyle = mine ? "#f5c542" : playerColor(owner);
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fill();
    const flash = this.#flashes.get(e.id);
    if (flash !== undefined && flash > now) {
      ctx.strokeStyle = "#ff3b3b";
      ctx.lineWidth = 3;
      ctx.stroke();
    }
    // The aim: angles run counter-clockwise from +x, y up.
    const a = e.value("angle");
    ctx.strokeStyle = "#0c0e13";
    ctx.lineWidth = Math.max(2, r / 4);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + Math.cos(a) * r * 1.4, y - Math.sin(a) * r * 1.4);
    ctx.stroke();
    ctx.globalAlpha = 1;
    if (!alive) return;
    const health = Math.max(0, Math.min(1, e.get("health") / this.#maxHealth));
    ctx.fillStyle = "#333";
    ctx.fillRect(x - r, y - r - 9, 2 * r, 4);
    ctx.fillStyle = health > 0.5 ? "#5ad17a" : health > 0.25 ? "#f5c542" : "#ff6b6b";
    ctx.fillRect(x - r, y - r - 9, 2 * r * health, 4);
    ctx.fillStyle = "#dde3ec";
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(mine ? (this.#ctx.client.welcome.name || "you") : `P${owner}`, x, y + r + 13);
  }

  input(): Record<string, number> {
    const c = this.#ctx.controls;
    if (this.#me && c.mouseInside) {
      const [wx, wy] = this.#cam.toWorld(c.mouseX, c.mouseY);
      this.#aim = angleSteps(wx - this.#me.x, wy - this.#me.y, this.#steps);
    }
    return {
      move_x: c.axis(["KeyD", "ArrowRight"], ["KeyA", "ArrowLeft"]),
      move_y: c.axis(["KeyW", "ArrowUp"], ["KeyS", "ArrowDown"]),
      aim: this.#aim,
      buttons: c.buttons & 1 || c.held("Space") ? 1 : 0,
    };
  }

  hud(): HudItem[] {
    const me = this.#ctx.client.ownEntity();
    if (!me) return [];
    const health = me.get("health");
    const alive = (me.get("flags") & ALIVE) !== 0;
    return [
      { label: "score", value: String(me.get("score")) },
      { label: "health", value: alive ? String(health) : "respawning", bar: alive ? health / this.#maxHealth : 0 },
    ];
  }

  scores(): ScoreLine[] {
    const client = this.#ctx.client;
    const me = client.ownEntity()?.id;
    return client
      .state()
      .ofKind("player")
      .map((e) => ({ label: e.id === me ? client.welcome.name || "you" : `P${e.get("owner")}`, score: e.get("score"), me: e.id === me }))
      .sort((a, b) => b.score - a.score);
  }

  feed(ev: GameEvent): string | null {
    const client = this.#ctx.client;
    const me = client.ownEntity()?.id ?? client.joined?.entityId;
    const who = (id: number) => (id === me ? "you" : id === 0 ? "someone" : this.#label(id));
    switch (ev.name) {
      case "hit":
        this.#flashes.set(ev.target, performance.now() + FLASH_MS);
        return `${who(ev.actor)} hit ${who(ev.target)} (−${ev.value("damage")})`;
      case "death":
        return `${who(ev.actor)} took out ${who(ev.target)}`;
      case "respawn":
        return ev.target === me ? "you are back" : null;
    }
    return null;
  }

  #label(entity: number): string {
    const e = this.#ctx.client.state().get(entity);
    return e && e.kindName === "player" ? `P${e.get("owner")}` : `#${entity}`;
  }

  screenOf(id: number): { x: number; y: number } | undefined {
    return this.#drawn.get(id);
  }
}
