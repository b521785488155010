// The game modes a server plays, from GET /v1/modes.

/** ModeInfo is one mode of GET /v1/modes (docs/protocol.md, "Modes"). */
export interface ModeInfo {
  name: string;
  tickHz: number;
  snapshotHz: number;
  maxPlayers: number;
  minPlayers: number;
  countdownMs: number;
  /** isDefault marks the mode of joins that name none. */
  isDefault: boolean;
  /** options are the mode's own options as the server runs them, as its flags print them. */
  options: Readonly<Record<string, string>>;
}

/** fetchModes loads the server's modes. */
export async function fetchModes(base = ""): Promise<ModeInfo[]> {
  const resp = await fetch(`${base}/v1/modes`);
  if (!resp.ok) throw new Error(`GET /v1/modes: ${resp.status} ${resp.statusText}`);
  const body = (await resp.json()) as { modes: Record<string, unknown>[] };
  return body.modes.map((m) => ({
    name: String(m.name),
    tickHz: Number(m.tick_hz),
    snapshotHz: Number(m.snapshot_hz),
    maxPlayers: Number(m.max_players),
    minPlayers: Number(m.min_players),
    countdownMs: Number(m.countdown_ms),
    isDefault: m.default === true,
    options: (m.options as Record<string, string> | undefined) ?? {},
  }));
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/**
 * parseGoDuration reads a duration as Go's time.Duration prints it
 * ("5m0s", "1.5s", "250ms", "1h2m3s") into milliseconds; NaN when it is
 * not one.
 */
export function parseGoDuration(s: string): number {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m) return s === "0" ? 0 : NaN;
  let total = 0;
  for (const part of s.slice(m[1].length).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * UNITS[part[2]];
  }
  return m[1] === "-" ? -total : total;
}

/** optionNumber returns a mode option as a number, or fallback when absent or not a number. */
export function optionNumber(mode: ModeInfo | undefined, name: string, fallback: number): number {
  const v = Number(mode?.options[name]);
  return mode?.options[name] !== undefined && Number.isFinite(v) ? v : fallback;
}

/** optionDurationMs returns a mode option that is a duration, in ms, or fallback. */
export function optionDurationMs(mode: ModeInfo | undefined, name: string, fallback: number): number {
  const raw = mode?.options[name];
  const v = raw === undefined ? NaN : parseGoDuration(raw);
  return Number.isFinite(v) ? v : fallback;
}
