// The net graph: the size of each snapshot as a bar, and the rates that
// matter beside it (snapshots and bytes a second, desyncs, round trip).

import type { Client, ClientStats, SnapshotInfo } from "../../sdk/src/index.js";

const BARS = 100;

/** NetRates are the net graph's numbers, also exposed for tests. */
export interface NetRates {
  snapshotsPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  desyncs: number;
  rttMs: number;
}

/** NetGraph samples a client and draws the graph on its canvas. */
export class NetGraph {
  readonly #canvas: HTMLCanvasElement;
  readonly #sizes: { bytes: number; full: boolean }[] = [];
  /** samples of the stats, one per draw, the last second's worth kept. */
  #samples: { at: number; s: ClientStats }[] = [];
  rates: NetRates = { snapshotsPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, desyncs: 0, rttMs: 0 };

  constructor(canvas: HTMLCanvasElement) {
    this.#canvas = canvas;
  }

  /** snapshot records an applied snapshot. */
  snapshot(info: SnapshotInfo): void {
    this.#sizes.push({ bytes: info.bytes, full: info.baseTick === 0 });
    if (this.#sizes.length > BARS) this.#sizes.shift();
  }

  /** draw samples client's stats at now and redraws. */
  draw(client: Client, now: number): void {
    const s = client.stats;
    this.#samples.push({ at: now, s });
    while (this.#samples.length > 2 && now - this.#samples[0].at > 1000) this.#samples.shift();
    const first = this.#samples[0];
    const secs = Math.max(0.001, (now - first.at) / 1000);
    if (now - first.at > 200) {
      this.rates = {
        snapshotsPerSec: (s.snapshots - first.s.snapshots) / secs,
        bytesInPerSec: (s.bytesIn - first.s.bytesIn) / secs,
        bytesOutPerSec: (s.bytesOut - first.s.bytesOut) / secs,
        desyncs: s.desyncs,
        rttMs: s.rttSmoothedMs,
      };
    }
    const c = this.#canvas;
    const ctx = c.getContext("2d");
    if (!ctx) return;
    const w = c.width;
    const h = c.height;
    ctx.clearRect(0, 0, w, h);
    const max = Math.max(64, ...this.#sizes.map((b) => b.bytes));
    const bw = w / BARS;
    const top = 40;
    this.#sizes.forEach((b, i) => {
      const bh = ((h - top - 2) * b.bytes) / max;
      ctx.fillStyle = b.full ? "#f5c542" : "#5ad17a";
      ctx.fillRect(i * bw, h - bh, Math.max(1, bw - 0.5), bh);
    });
    const r = this.rates;
    ctx.fillStyle = "#dde3ec";
    ctx.font = "11px ui-monospace, monospace";
    ctx.textAlign = "left";
    ctx.fillText(`${r.snapshotsPerSec.toFixed(0)} snap/s  in ${(r.bytesInPerSec / 1000).toFixed(1)} kB/s  out ${(r.bytesOutPerSec / 1000).toFixed(1)} kB/s`, 4, 13);
    ctx.fillStyle = s.desyncs > 0 ? "#ff6b6b" : "#dde3ec";
    ctx.fillText(`desyncs ${s.desyncs}  rtt ${r.rttMs.toFixed(0)} ms  max ${max} B`, 4, 27);
  }
}
