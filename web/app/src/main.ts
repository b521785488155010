// The browser game: lobby, game and results screens over one tickwire
// connection. The session token lives in sessionStorage, so a reloaded tab
// says Hello with it and gets its seat back within the server's grace.

import "./style.css";
import { type Client, ClientClosedError, CloseError, CloseReason, connect, ErrorCode, type pb, type PredictFn, type Schema, ServerError } from "../../sdk/src/index.js";
import { LobbyScreen, phaseName } from "./lobby.js";
import { fetchModes, type ModeInfo } from "./modes.js";
import { Play } from "./play.js";
import { renderResults } from "./results.js";

const TOKEN_KEY = "tickwire.session";
const NAME_KEY = "tickwire.name";
const CODE_KEY = "tickwire.code";
const RETRY_MS = 2000;

type Screen = "connecting" | "lobby" | "game" | "results";

/** Results are a finished match as the results screen shows it. */
interface Results {
  results: pb.MatchResults;
  schema: Schema | null;
  playerId: number;
  mode: string;
}

/** App is the whole game: the connection and the three screens. */
export class App {
  client: Client | null = null;
  modes: ModeInfo[] = [];
  play: Play | null = null;
  screen: Screen = "connecting";
  results: Results | null = null;
  readonly lobby: LobbyScreen;
  #predict: PredictFn | undefined;

  constructor() {
    this.lobby = new LobbyScreen({
      rename: (n) => void this.#rename(n),
      quickPlay: (m) => void this.#request(() => this.client!.join(m)),
      createRoom: (m) => void this.#createRoom(m),
      joinCode: (c) => void this.#request(() => this.client!.joinCode(c)),
      joinRoom: (m, id) => void this.#request(() => this.client!.join(m, id)),
    });
    document.getElementById("to-lobby")!.onclick = () => this.#show("lobby");
    document.getElementById("again")!.onclick = () => {
      const mode = this.results?.mode ?? "";
      this.#show("lobby");
      void this.#request(() => this.client!.join(mode));
    };
  }

  /** start loads the modes and connects, resuming this tab's session if it has one. */
  async start(): Promise<void> {
    this.lobby.name = localStorage.getItem(NAME_KEY) || `guest-${Math.floor(1000 + Math.random() * 9000)}`;
    fetchModes()
      .then((m) => {
        this.modes = m;
        this.lobby.showModes(m);
      })
      .catch((e) => this.lobby.status(`cannot list the modes: ${e instanceof Error ? e.message : e}`));
    await this.#connect(sessionStorage.getItem(TOKEN_KEY) ?? undefined);
  }

  async #connect(token: string | undefined): Promise<void> {
    this.#conn("connecting…");
    let client: Client;
    try {
      client = await connect({
        url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`,
        name: this.lobby.name,
        sessionToken: token,
        reconnect: true,
        predict: (kind, fields, input, hz) => this.#predict?.(kind, fields, input, hz),
      });
    } catch (e) {
      if (token && e instanceof ServerError && (e.code === ErrorCode.INVALID_TOKEN || e.code === ErrorCode.EXPIRED_TOKEN)) {
        sessionStorage.removeItem(TOKEN_KEY); // a restarted server's old session: start afresh
        return this.#connect(undefined);
      }
      this.#conn(`offline: ${e instanceof Error ? e.message : e}; retrying`, true);
      setTimeout(() => void this.#connect(token), RETRY_MS);
      return;
    }
    this.#attach(client);
  }

  #attach(client: Client): void {
    this.client = client;
    sessionStorage.setItem(TOKEN_KEY, client.sessionToken);
    localStorage.setItem(NAME_KEY, client.welcome.name);
    this.lobby.name = client.welcome.name;
    this.#conn(`online as ${client.welcome.name}`);
    client.on("joined", (j) => this.#enterGame(j));
    client.on("results", (r) => this.#showResults(r));
    client.on("left", (l) => this.#left(l));
    client.on("disconnect", () => this.#conn("connection lost: reconnecting…", true));
    client.on("reconnect", (resumed) => {
      sessionStorage.setItem(TOKEN_KEY, client.sessionToken);
      this.#conn(`online as ${client.welcome.name}`);
      if (!resumed && this.play) {
        this.#leaveGame();
        this.lobby.status("Your seat was lost while the connection was down.");
      }
      void this.#subscribe(client);
    });
    client.on("close", (err) => this.#closed(client, err));
    if (client.joined) this.#enterGame(client.joined);
    else {
      this.#show("lobby");
      const code = new URLSearchParams(location.search).get("code");
      if (code) void this.#request(() => client.joinCode(code));
    }
    void this.#subscribe(client);
  }

  async #subscribe(client: Client): Promise<void> {
    try {
      const rooms = await client.subscribeRooms("", (u) => {
        this.lobby.update(u);
      });
      this.lobby.setRooms(rooms);
    } catch {
      // Lost again meanwhile: the reconnect handler subscribes anew.
    }
  }

  #closed(client: Client, err: Error): void {
    if (client !== this.client) return;
    this.client = null;
    this.#leaveGame();
    if (err instanceof ClientClosedError) return;
    if (err instanceof CloseError && err.reason === CloseReason.REPLACED) {
      this.#conn("this session is playing in another tab", true);
      return;
    }
    this.#conn(`disconnected: ${err.message}; reconnecting`, true);
    setTimeout(() => void this.#connect(sessionStorage.getItem(TOKEN_KEY) ?? undefined), RETRY_MS);
  }

  async #rename(name: string): Promise<void> {
    const c = this.client;
    if (!name || (c && c.welcome.name === name)) return;
    if (c?.joined) {
      this.lobby.status("Leave the room before changing your name.");
      return;
    }
    localStorage.setItem(NAME_KEY, name);
    this.lobby.name = name;
    sessionStorage.removeItem(TOKEN_KEY);
    this.client = null;
    await c?.close();
    await this.#connect(undefined);
  }

  async #createRoom(mode: string): Promise<void> {
    await this.#request(async () => {
      const created = await this.client!.createRoom(mode, { private: true });
      sessionStorage.setItem(CODE_KEY, JSON.stringify({ roomId: created.joined.roomId, code: created.joinCode }));
      this.play?.setJoinCode(created.joinCode);
    });
  }

  /**
   * request runs a lobby call, showing its failure in the lobby. A name
   * typed but not confirmed counts: the session is renewed with it first.
   */
  async #request(fn: () => Promise<unknown>): Promise<void> {
    const name = this.lobby.name;
    if (this.client && !this.client.joined && name && name !== this.client.welcome.name) await this.#rename(name);
    if (!this.client) {
      this.lobby.status("Not connected yet.");
      return;
    }
    this.lobby.status("");
    try {
      await fn();
    } catch (e) {
      this.lobby.status(e instanceof Error ? e.message : String(e));
    }
  }

  #enterGame(j: pb.Joined): void {
    const client = this.client;
    if (!client) return;
    if (this.play && this.play.client === client && this.play.client.joined?.roomId === j.roomId && j.resumed) return; // the same seat, back after a redial
    this.#leaveGame();
    let code = "";
    try {
      const saved = JSON.parse(sessionStorage.getItem(CODE_KEY) ?? "null") as { roomId: string; code: string } | null;
      if (saved?.roomId === j.roomId) code = saved.code;
    } catch {
      // Not ours to worry about: no code then.
    }
    this.play = new Play(client, this.modes.find((m) => m.name === j.mode), code);
    this.#predict = this.play.view.predict;
    if (location.search) history.replaceState(null, "", "/"); // a reload resumes by token, not by code
    this.#show("game");
  }

  #leaveGame(): void {
    this.play?.dispose();
    this.play = null;
    this.#predict = undefined;
  }

  #left(l: pb.Left): void {
    this.#leaveGame();
    if (this.screen === "results") return;
    this.#show("lobby");
    if (l.reason !== CloseReason.NORMAL) this.lobby.status(`You left the room: ${l.message || CloseReason[l.reason]}`);
  }

  #showResults(r: pb.MatchResults): void {
    const c = this.client;
    this.results = { results: r, schema: c?.schema ?? null, playerId: c?.joined?.playerId ?? 0, mode: c?.joined?.mode ?? "" };
    renderResults(document.getElementById("standings") as HTMLTableElement, r, this.results.schema, this.results.playerId);
    this.#leaveGame();
    this.#show("results");
  }

  #show(screen: Screen): void {
    this.screen = screen;
    for (const id of ["lobby", "game", "results"]) document.getElementById(id)!.hidden = id !== screen;
  }

  #conn(text: string, bad = false): void {
    const el = document.getElementById("conn")!;
    el.textContent = text;
    el.classList.toggle("bad", bad);
  }

  /** info is the game's state as plain data, for tests and the console. */
  info(): Record<string, unknown> {
    const c = this.client;
    const play = this.play;
    return {
      screen: this.screen,
      connected: !!c && !c.reconnecting && !c.error,
      name: c?.welcome.name ?? "",
      sessionId: c?.welcome.sessionId ?? "",
      roomId: c?.joined?.roomId ?? "",
      mode: c?.joined?.mode ?? "",
      playerId: c?.joined?.playerId ?? 0,
      entityId: c?.ownEntity()?.id ?? c?.joined?.entityId ?? 0,
      phase: c ? phaseName(c.phase) : "",
      joinCode: play?.joinCode ?? "",
      timer: play?.timer() ?? "",
      stats: c?.stats ?? null,
      net: play?.net.rates ?? null,
      hits: play ? { ...play.hits } : null,
      self: c?.ownEntity()?.toJSON() ?? null,
      entities: c ? c.state().entities.map((e) => e.toJSON()) : [],
      results: this.results
        ? { mode: this.results.mode, players: this.results.results.players.map((p) => ({ playerId: p.playerId, name: p.name, score: p.score, values: [...p.values] })) }
        : null,
    };
  }

  /** screenOf returns where entity id was last drawn, in page CSS pixels. */
  screenOf(id: number): { x: number; y: number } | undefined {
    const p = this.play?.view.screenOf(id);
    if (!p) return undefined;
    const r = document.getElementById("view")!.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }
}

declare global {
  interface Window {
    /** tickwire is the running game, for tests and the console. */
    tickwire: App;
  }
}

const app = new App();
window.tickwire = app;
void app.start();
