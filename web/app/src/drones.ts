// The drones' game screen, seen from above: x and y on the canvas, height
// as size and shade. W/S (or up/down) thrust, A/D (left/right) strafe,
// space / C lift up and down, the mouse turns the drone, shift or a click
// boosts. Every drone, the own one included, is drawn interpolated.

import type { Entity, GameEvent } from "../../sdk/src/index.js";
import { dronesMap } from "./gen/maps.js";
import { optionNumber } from "./modes.js";
import { angleSteps, Camera, type HudItem, type ModeView, playerColor, type ScoreLine, type ViewContext } from "./view.js";

const BOOSTING = 1;
const STUNNED = 2;

/** DronesView is the drones' ModeView. */
export class DronesView implements ModeView {
  readonly help = "W/S thrust · A/D strafe · space/C up/down · mouse turns · shift or click boosts";
  readonly #ctx: ViewContext;
  readonly #cam = new Camera();
  readonly #drawn = new Map<number, { x: number; y: number }>();
  readonly #viewRadius: number;
  readonly #steps: number;
  #yaw = 0;
  #me: { x: number; y: number } | null = null;

  constructor(ctx: ViewContext) {
    this.#ctx = ctx;
    this.#viewRadius = optionNumber(ctx.mode, "view-radius", 600);
    const schema = ctx.client.schema!;
    this.#steps = schema.input[schema.inputIndex("yaw")].scale || 4096;
  }

  /** sizeAt scales a radius by height: low things small, high ones large. */
  #sizeAt(z: number): number {
    return 0.6 + (0.9 * Math.max(0, Math.min(dronesMap.sizeZ, z))) / dronesMap.sizeZ;
  }

  draw(ctx: CanvasRenderingContext2D, w: number, h: number, now: number): void {
    const cam = this.#cam;
    const m = dronesMap;
    cam.fit(-20, -20, m.sizeX + 20, m.sizeY + 20, w, h);
    ctx.fillStyle = "#0c0e13";
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = "#16202b";
    ctx.fillRect(cam.x(0), cam.y(m.sizeY), m.sizeX * cam.scale, m.sizeY * cam.scale);
    ctx.strokeStyle = "#1f2c3a";
    ctx.beginPath();
    for (let v = 200; v < m.sizeX; v += 200) {
      ctx.moveTo(cam.x(v), cam.y(0));
      ctx.lineTo(cam.x(v), cam.y(m.sizeY));
      ctx.moveTo(cam.x(0), cam.y(v));
      ctx.lineTo(cam.x(m.sizeX), cam.y(v));
    }
    ctx.stroke();
    // Pillars: the higher the top, the lighter; a beam in mid-air is see-through.
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    for (const [x0, y0, z0, x1, y1, z1] of m.pillars) {
      const light = 22 + Math.round((28 * z1) / m.sizeZ);
      ctx.fillStyle = z0 > 0 ? `hsl(215 15% ${light}% / 0.55)` : `hsl(215 15% ${light}%)`;
      ctx.fillRect(cam.x(x0), cam.y(y1), (x1 - x0) * cam.scale, (y1 - y0) * cam.scale);
      if (z1 < m.sizeZ || z0 > 0) {
        ctx.fillStyle = "#c8d0dc";
        ctx.fillText(z0 > 0 ? `${z0}–${z1}` : `${z1}`, cam.x((x0 + x1) / 2), cam.y((y0 + y1) / 2) + 4);
      }
    }

    const client = this.#ctx.client;
    const world = client.interpolated(now);
    const myId = client.ownEntity()?.id ?? client.joined?.entityId ?? 0;
    this.#drawn.clear();
    for (const e of world.ofKind("core")) this.#drawCore(ctx, e);
    let me: Entity | undefined;
    const drones = world.ofKind("drone").sort((a, b) => a.value("z") - b.value("z"));
    for (const e of drones) {
      if (e.id === myId) me = e;
      else this.#drawDrone(ctx, e, false, now);
    }
    if (me) {
      if (this.#viewRadius > 0) {
        ctx.strokeStyle = "#f5c54233";
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.arc(cam.x(me.value("x")), cam.y(me.value("y")), this.#viewRadius * cam.scale, 0, 2 * Math.PI);
        ctx.stroke();
      }
      this.#drawDrone(ctx, me, true, now);
    }
    this.#me = me ? { x: me.value("x"), y: me.value("y") } : null;
  }

  #drawCore(ctx: CanvasRenderingContext2D, e: Entity): void {
    const cam = this.#cam;
    const x = cam.x(e.value("x"));
    const y = cam.y(e.value("y"));
    const r = dronesMap.coreRadius * cam.scale * this.#sizeAt(e.value("z")) * 0.8;
    const bright = e.get("value") > 1;
    ctx.globalAlpha = e.get("taken_by") !== 0 ? 0.3 : 1;
    ctx.fillStyle = bright ? "#7ff3ff" : "#3fb6c9";
    ctx.beginPath();
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r);
    ctx.lineTo(x - r, y);
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
    this.#drawn.set(e.id, { x, y });
  }

  #drawDrone(ctx: CanvasRenderingContext2D, e: Entity, mine: boolean, now: number): void {
    const cam = this.#cam;
    const x = cam.x(e.value("x"));
    const y = cam.y(e.value("y"));
    const z = e.value("z");
    const r = Math.max(3, dronesMap.droneRadius * cam.scale * this.#sizeAt(z));
    const flags = e.get("flags");
    this.#drawn.set(e.id, { x, y });
    const yaw = e.value("yaw");
    if (flags & BOOSTING) {
      ctx.strokeStyle = "#ffb347";
      ctx.lineWidth = r / 2;
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x - Math.cos(yaw) * r * 2.2, y + Math.sin(yaw) * r * 2.2);
      ctx.stroke();
    }
    const stunned = (flags & STUNNED) !== 0 && Math.floor(now / 120) % 2 === 0;
    // Shade by height: a drone high up is lighter.
    const light = 45 + Math.round((25 * z) / dronesMap.sizeZ);
    ctx.fillStyle = stunned ? "#888" : mine ? `hsl(45 90% ${light}%)` : playerColor(e.get("owner")).replace("60%)", `${light}%)`);
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fill();
    ctx.strokeStyle = "#0c0e13";
    ctx.lineWidth = Math.max(2, r / 4);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + Math.cos(yaw) * r * 1.5, y - Math.sin(yaw) * r * 1.5);
    ctx.stroke();
    ctx.fillStyle = "#dde3ec";
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    const cores = e.get("cores");
    const label = mine ? this.#ctx.client.welcome.name || "you" : `P${e.get("owner")}`;
    ctx.fillText(cores > 0 ? `${label} ◆${cores}` : label, x, y + r + 13);
  }

  input(): Record<string, number> {
    const c = this.#ctx.controls;
    if (this.#me && c.mouseInside) {
      const [wx, wy] = this.#cam.toWorld(c.mouseX, c.mouseY);
      this.#yaw = angleSteps(wx - this.#me.x, wy - this.#me.y, this.#steps);
    }
    return {
      thrust: c.axis(["KeyW", "ArrowUp"], ["KeyS", "ArrowDown"]),
      strafe: c.axis(["KeyD", "ArrowRight"], ["KeyA", "ArrowLeft"]),
      lift: c.axis(["Space", "KeyE"], ["KeyC", "KeyQ"]),
      yaw: this.#yaw,
      pitch: 0,
      buttons: c.buttons & 1 || c.held("ShiftLeft", "ShiftRight") ? 1 : 0,
    };
  }

  hud(): HudItem[] {
    const me = this.#ctx.client.ownEntity();
    if (!me) return [];
    const energy = me.get("energy");
    const items: HudItem[] = [
      { label: "cores", value: String(me.get("cores")) },
      { label: "energy", value: String(energy), bar: energy / 100 },
      { label: "height", value: String(Math.round(me.value("z"))) },
    ];
    if (me.get("flags") & STUNNED) items.push({ label: "", value: "stunned" });
    return items;
  }

  scores(): ScoreLine[] {
    const client = this.#ctx.client;
    const me = client.ownEntity()?.id;
    return client
      .state()
      .ofKind("drone")
      .map((e) => ({ label: e.id === me ? client.welcome.name || "you" : `P${e.get("owner")}`, score: e.get("cores"), me: e.id === me }))
      .sort((a, b) => b.score - a.score);
  }

  feed(ev: GameEvent): string | null {
    const client = this.#ctx.client;
    const me = client.ownEntity()?.id ?? client.joined?.entityId;
    const who = (id: number) => {
      if (id === me) return "you";
      const e = client.state().get(id);
      return e ? `P${e.get("owner")}` : `#${id}`;
    };
    switch (ev.name) {
      case "pickup":
        return ev.actor === me ? `you picked up ${ev.value("value")} (◆${ev.value("cores")})` : `${who(ev.actor)} picked up a core`;
      case "tag":
        return `${who(ev.actor)} tagged ${who(ev.target)}${ev.value("stolen") ? " and stole a core" : ""}`;
    }
    return null;
  }

  screenOf(id: number): { x: number; y: number } | undefined {
    return this.#drawn.get(id);
  }
}
