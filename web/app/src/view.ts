// What a mode's game screen is made of: a view that draws the world and
// turns controls into inputs, and the camera it draws through.

import type { Client, Entity, GameEvent, PredictFn } from "../../sdk/src/index.js";
import { FieldRole } from "../../sdk/src/index.js";
import type { Controls } from "./input.js";
import type { ModeInfo } from "./modes.js";

/** HudItem is one item of the HUD's top line. */
export interface HudItem {
  label: string;
  value: string;
  /** bar, when set, draws a 0..1 bar after the value. */
  bar?: number;
}

/** ScoreLine is one player of the side panel's list. */
export interface ScoreLine {
  label: string;
  score: number;
  me: boolean;
}

/** ModeView draws one mode's world and reads its controls. */
export interface ModeView {
  /** help says which keys do what. */
  readonly help: string;
  /** predict is the SDK predict hook for the own entity, if the mode has one. */
  readonly predict?: PredictFn;
  /** draw renders the world at now (performance.now()) on a canvas of w × h CSS pixels. */
  draw(ctx: CanvasRenderingContext2D, w: number, h: number, now: number): void;
  /** input returns the next input's values by name. */
  input(): Record<string, number>;
  /** hud returns the mode's HUD items (score, health, ...). */
  hud(): HudItem[];
  /** scores returns the players the view shows, best first. */
  scores(): ScoreLine[];
  /** feed returns a line for the event feed, or null for an event not worth one. */
  feed(ev: GameEvent): string | null;
  /** screenOf returns where entity id was last drawn, in canvas CSS pixels. */
  screenOf(id: number): { x: number; y: number } | undefined;
}

/** ViewContext is what a view is built with. */
export interface ViewContext {
  client: Client;
  controls: Controls;
  mode: ModeInfo | undefined;
}

/**
 * Camera maps world x/y (y up, angles counter-clockwise from +x, as the
 * games define them) to canvas pixels (y down), fitting a world rectangle
 * into the canvas.
 */
export class Camera {
  scale = 1;
  #ox = 0;
  #oy = 0;

  /** fit shows world [minX, maxX] × [minY, maxY] whole and centred on a w × h canvas. */
  fit(minX: number, minY: number, maxX: number, maxY: number, w: number, h: number): void {
    this.scale = Math.min(w / (maxX - minX), h / (maxY - minY));
    this.#ox = (w - (maxX - minX) * this.scale) / 2 - minX * this.scale;
    this.#oy = (h - (maxY - minY) * this.scale) / 2 + maxY * this.scale;
  }

  x(wx: number): number {
    return this.#ox + wx * this.scale;
  }

  y(wy: number): number {
    return this.#oy - wy * this.scale;
  }

  /** toWorld maps canvas pixels back to world coordinates. */
  toWorld(px: number, py: number): [number, number] {
    return [(px - this.#ox) / this.scale, (this.#oy - py) / this.scale];
  }
}

/** angleSteps turns a world direction into an angle of steps per turn. */
export function angleSteps(dx: number, dy: number, steps: number): number {
  const a = Math.atan2(dy, dx) / (2 * Math.PI);
  return ((Math.round(a * steps) % steps) + steps) % steps;
}

/** playerColor returns a stable colour for a player id. */
export function playerColor(id: number): string {
  return `hsl(${(id * 137) % 360} 65% 60%)`;
}

/** roleIndex returns the index of the first field of e's kind with role, -1 for none. */
export function roleIndex(e: Entity, role: FieldRole): number {
  return e.schema?.fields.findIndex((f) => f.role === role) ?? -1;
}

/**
 * GenericView draws any mode's entities that have a position as dots,
 * scaled to fit, and sends empty inputs: a mode the game does not know is
 * watchable, not playable.
 */
export class GenericView implements ModeView {
  readonly help = "This mode has no controls in the browser game yet: watching.";
  readonly #ctx: ViewContext;
  readonly #cam = new Camera();
  readonly #drawn = new Map<number, { x: number; y: number }>();

  constructor(ctx: ViewContext) {
    this.#ctx = ctx;
  }

  draw(ctx: CanvasRenderingContext2D, w: number, h: number, now: number): void {
    const world = this.#ctx.client.interpolated(now);
    const pts: [number, number, Entity][] = [];
    for (const e of world.entities) {
      const ix = roleIndex(e, FieldRole.POSITION_X);
      const iy = roleIndex(e, FieldRole.POSITION_Y);
      if (ix < 0 || iy < 0) continue;
      pts.push([e.schema!.fields[ix].dequantize(e.fields[ix]), e.schema!.fields[iy].dequantize(e.fields[iy]), e]);
    }
    ctx.fillStyle = "#12151c";
    ctx.fillRect(0, 0, w, h);
    if (pts.length === 0) return;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    this.#cam.fit(Math.min(...xs) - 50, Math.min(...ys) - 50, Math.max(...xs) + 50, Math.max(...ys) + 50, w, h);
    const me = this.#ctx.client.ownEntity()?.id;
    this.#drawn.clear();
    for (const [x, y, e] of pts) {
      const px = this.#cam.x(x);
      const py = this.#cam.y(y);
      this.#drawn.set(e.id, { x: px, y: py });
      ctx.fillStyle = e.id === me ? "#f5c542" : playerColor(e.kind);
      ctx.beginPath();
      ctx.arc(px, py, 5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  input(): Record<string, number> {
    return {};
  }

  hud(): HudItem[] {
    return [];
  }

  scores(): ScoreLine[] {
    return [];
  }

  feed(ev: GameEvent): string | null {
    return ev.name || null;
  }

  screenOf(id: number): { x: number; y: number } | undefined {
    return this.#drawn.get(id);
  }
}
