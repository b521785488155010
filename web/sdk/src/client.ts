// Client: the player's side of a tickwire connection.

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type {
  ChatLine,
  GameMessage,
  Joined,
  Left,
  Notice,
  MatchResults,
  RoomCreated,
  RoomInfo,
  RoomState,
  RoomUpdate,
  ServerMessage,
  Snapshot,
  Welcome,
} from "./gen/tickwire/v1/tickwire_pb.js";
import { ChatChannel, ClientMessageSchema, CloseReason, ErrorCode, RoomPhase } from "./gen/tickwire/v1/tickwire_pb.js";
import { ClockSync, nowUs } from "./clock.js";
import { Entity, entityAt, GameEvent, ownEntityIndex, World } from "./entity.js";
import {
  ClientClosedError,
  ConnectionLostError,
  NotJoinedError,
  ReconnectGaveUpError,
  ReconnectingError,
  RedirectError,
  TimeoutError,
} from "./errors.js";
import { InputLog, type SentInput } from "./inputs.js";
import { Interpolator } from "./interpolate.js";
import { Lobby, type LobbyFollowUp, type RequestKind, type Subscription } from "./lobby.js";
import { type PredictFn, predictionError } from "./predict.js";
import { backoff, DEFAULT_RECONNECT, type ReconnectPolicy, reconnectable } from "./reconnect.js";
import { Replica } from "./replica.js";
import { Layout, type Rows } from "./rows.js";
import { Schema } from "./schema.js";
import { closeErrorFrom, handshake, type Handshake, type Socket, type SocketEvent, type WebSocketConstructor } from "./socket.js";
import { type ClientStats, newStats } from "./stats.js";

/** Options of {@link connect}. Only url is required. */
export interface ConnectOptions {
  /** url is the server's WebSocket endpoint, such as "ws://localhost:7777/ws". */
  url: string;
  /** name is the display name of a new guest (ignored with a sessionToken). */
  name?: string;
  /** sessionToken resumes a session (and its held seat): a token from {@link Client.sessionToken}. */
  sessionToken?: string;
  /**
   * reconnect: true (default policy) or a policy redials after a loss that
   * is not final, resuming the seat; false or absent, any loss is final.
   */
  reconnect?: boolean | ReconnectPolicy;
  /** inputRedundancy is how many earlier unacknowledged inputs ride along with each (default 3). */
  inputRedundancy?: number;
  /** interpolationSnapshots is how many snapshot intervals behind the server interpolated() renders (default 2.5). */
  interpolationSnapshots?: number;
  /** predict advances the own entity by one input, for predicted(). */
  predict?: PredictFn;
  /** pingIntervalMs is how often to measure RTT and clock (default 1000; 0 disables, and the read watchdog with it). */
  pingIntervalMs?: number;
  /** requestTimeoutMs bounds every lobby request (default 10000). */
  requestTimeoutMs?: number;
  /** handshakeTimeoutMs bounds each dial and Hello (default 10000). */
  handshakeTimeoutMs?: number;
  /** WebSocket is the constructor to use; default the global WebSocket (browsers, Node 22+). Node 20: pass the "ws" package's. */
  WebSocket?: WebSocketConstructor;
}

/** SnapshotInfo describes an applied snapshot. */
export interface SnapshotInfo {
  /** tick is the snapshot's tick. */
  tick: number;
  /** baseTick is the tick it applied to, 0 for a full snapshot. */
  baseTick: number;
  /** serverTimeUs is the server clock when the tick was simulated. */
  serverTimeUs: number;
  /** lastInputSeq is the highest input seq the server had applied. */
  lastInputSeq: number;
  /** entities is how many entities the view holds. */
  entities: number;
  /** events is how many new game events it delivered. */
  events: number;
  /** bytes is the frame's size. */
  bytes: number;
}

/** ClientEvents are the events {@link Client.on} takes, with their listeners. */
export interface ClientEvents {
  /** snapshot: a snapshot was applied and verified. */
  snapshot: (info: SnapshotInfo) => void;
  /** event: a game event, once even when several snapshots carry it. */
  event: (ev: GameEvent) => void;
  /** joined: seated in a room (also a resumed seat: joined.resumed). */
  joined: (joined: Joined) => void;
  /** left: the seat is gone (left, match ended, room closed). */
  left: (left: Left) => void;
  /** results: the match's final standings. */
  results: (results: MatchResults) => void;
  /** roomState: the room's phase changed. */
  roomState: (state: RoomState) => void;
  /** roomUpdate: a change to the subscribed room list. */
  roomUpdate: (update: RoomUpdate) => void;
  /** inputAck: the server reported input seq applied, latencyMs after it was sent. */
  inputAck: (seq: number, latencyMs: number) => void;
  /** message: every server message but Snapshot, Pong, GameMessage, ChatLine and Notice, after the client took it into account. */
  message: (msg: ServerMessage) => void;
  /** gameMessage: a message of the room's game to this player, in order. */
  gameMessage: (msg: GameMessage) => void;
  /**
   * chat: a line of the room's chat, in the room's order, once: lines the
   * server sends again on a resume (replay set) that the client saw are
   * left out; the recent lines sent on a join come with replay set.
   */
  chat: (line: ChatLine) => void;
  /** notice: a notice of the server's operator. */
  notice: (notice: Notice) => void;
  /** disconnect: the connection was lost and the client redials. */
  disconnect: (err: Error) => void;
  /** reconnect: a redial got its Welcome; resumed says whether the seat was kept. */
  reconnect: (resumed: boolean) => void;
  /** close: the client ended for good, and why (ClientClosedError after close()). */
  close: (err: Error) => void;
}

/** What createRoom answers. */
export interface CreatedRoom {
  /** joined is the creator's seat. */
  joined: Joined;
  /** room describes the new room. */
  room: RoomInfo | undefined;
  /** joinCode is what others join it with ({@link Client.joinCode}). */
  joinCode: string;
}

/** RoomPage is one page of a room listing ({@link Client.listRoomsPage}). */
export interface RoomPage {
  /** rooms are the page's rooms, oldest first. */
  rooms: RoomInfo[];
  /** nextCursor asks for the next page; empty on the last page. */
  nextCursor: string;
  /** total counts the listed rooms of the mode on every page. */
  total: number;
}

/** Body is a ClientMessage's oneof, as create() takes it. */
type Body = NonNullable<MessageInitShape<typeof ClientMessageSchema>["body"]>;

const PINGS_TRACKED = 8;
const RESYNC_RETRY_MS = 1000;
const CLOSE_WAIT_MS = 2000;
const MIN_READ_TIMEOUT_MS = 10000;
const EMPTY_LAYOUT = Layout.ofWidth(1);

/**
 * connect dials a tickwire server, says Hello (with the session token, if
 * any) and resolves with a Client once Welcome arrives. A refused Hello
 * rejects with a ServerError (cause: the server's CloseError); the first
 * connection is never retried.
 */
export async function connect(options: ConnectOptions): Promise<Client> {
  const ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!ctor) throw new TypeError("connect: no WebSocket here; pass one in options.WebSocket (Node 20: the ws package)");
  const hs = await handshakeFollowing(ctor, options.url, { name: options.name ?? "", token: options.sessionToken ?? "" }, options.handshakeTimeoutMs ?? 10000);
  return new Client(options, ctor, hs);
}

/** MAX_REDIRECTS bounds the Redirects one join or Hello follows, so two misconfigured nodes cannot bounce a client forever. */
const MAX_REDIRECTS = 3;

/** handshakeFollowing is handshake following the Redirects a cluster answers a Hello with (the session's seat is on another node). */
async function handshakeFollowing(ctor: WebSocketConstructor, url: string, hello: { name: string; token: string }, timeoutMs: number): Promise<Handshake> {
  for (let hops = 0; ; hops++) {
    try {
      const hs = await handshake(ctor, url, hello, timeoutMs, nowUs);
      hs.redirects = hops;
      return hs;
    } catch (e) {
      if (!(e instanceof RedirectError) || hops === MAX_REDIRECTS) throw e;
      url = e.url;
    }
  }
}

/**
 * Client is a connection to a tickwire server from the player's side: it
 * keeps the checksum-verified replica of the room, acknowledges snapshots,
 * sends inputs with redundancy, estimates RTT and the server clock, renders
 * interpolated and predicted views, makes lobby requests, and redials and
 * resumes its seat after a loss when asked to. Make one with {@link connect}.
 */
export class Client {
  readonly #opts: ConnectOptions;
  readonly #ctor: WebSocketConstructor;
  readonly #policy: Required<ReconnectPolicy> | null;
  readonly #redundancy: number;
  readonly #pingMs: number;
  readonly #listeners = new Map<keyof ClientEvents, Set<(...args: never[]) => void>>();

  #socket: Socket | null = null;
  #welcome: Welcome;
  #joined: Joined | null = null;
  #phase = RoomPhase.UNSPECIFIED;
  #joinedAtUs = 0;
  #schema: Schema | null = null;
  #replica = new Replica(EMPTY_LAYOUT);
  #interp = new Interpolator();
  #clock = new ClockSync();
  #inputs = new InputLog();
  #lobby = new Lobby();
  #ackTick = 0;
  /** chatSeq is the newest chat line's seq in the room (0 after a fresh join). */
  #chatSeq = 0n;
  #lastInputAtMs = -Infinity;
  #snapServerUs = 0;
  /** The newest snapshot that carried serverTimeUs; the others' time derives from it. */
  #timeAnchorTick = 0;
  #timeAnchorUs = 0;
  #pings: number[] = [];
  #resyncing = false;
  #resyncAtMs = 0;
  #closing: { reason: CloseReason; message: string } | null = null;
  #lastFrameAtMs = 0;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #redialTimer: ReturnType<typeof setTimeout> | undefined;
  #userClosed = false;
  // A move to another node (a Redirect) is under way: the old socket's end
  // meanwhile (the node left behind closes it, REPLACED) is kept in
  // lostWhileMoving, a loss only if the move fails.
  #moving = false;
  #lostWhileMoving: Error | null = null;
  #error: Error | null = null;
  #ended: Promise<void>;
  #markEnded!: () => void;
  #stats = newStats();

  /** Use {@link connect}. */
  constructor(opts: ConnectOptions, ctor: WebSocketConstructor, hs: Handshake) {
    this.#opts = opts;
    this.#ctor = ctor;
    const r = opts.reconnect;
    this.#policy = r ? { ...DEFAULT_RECONNECT, ...(r === true ? {} : r) } : null;
    if (this.#policy) this.#policy.maxBackoffMs = Math.max(this.#policy.maxBackoffMs, this.#policy.minBackoffMs);
    this.#redundancy = Math.max(0, opts.inputRedundancy ?? 3);
    this.#pingMs = opts.pingIntervalMs ?? 1000;
    this.#welcome = hs.welcome;
    this.#ended = new Promise((resolve) => (this.#markEnded = resolve));
    this.#takeOver(hs);
  }

  // ---- state ----

  /** welcome is the newest Welcome (a redial replaces it). */
  get welcome(): Welcome {
    return this.#welcome;
  }

  /** sessionToken is the newest session token: pass it as {@link ConnectOptions.sessionToken} to resume elsewhere. */
  get sessionToken(): string {
    return this.#welcome.sessionToken || this.#opts.sessionToken || "";
  }

  /** joined is the current seat's Joined, null outside a room. */
  get joined(): Joined | null {
    return this.#joined;
  }

  /** phase is the room's lifecycle phase (UNSPECIFIED outside a room). */
  get phase(): RoomPhase {
    return this.#phase;
  }

  /** schema is the room's schema (null outside a room, or when the room's schema was refused). */
  get schema(): Schema | null {
    return this.#schema;
  }

  /** reconnecting is true while the connection is lost and the client redials. */
  get reconnecting(): boolean {
    return this.#socket === null && this.#error === null;
  }

  /** error is why the client ended, null while it is open or redialing. */
  get error(): Error | null {
    return this.#error;
  }

  /** stats returns a copy of the counters and measurements. */
  get stats(): ClientStats {
    const s = { ...this.#stats };
    s.rttMs = this.#clock.rttUs / 1000;
    s.rttSmoothedMs = this.#clock.rttSmoothedUs / 1000;
    s.clockOffsetMs = this.#clock.offsetUs / 1000;
    s.clockSamples = this.#clock.samples;
    s.lastAppliedInputSeq = this.#inputs.appliedSeq;
    s.lastTick = this.#ackTick;
    return s;
  }

  /** serverNowUs returns the estimated server clock now, in µs. */
  serverNowUs(): number {
    return this.#clock.serverTime(nowUs());
  }

  /** state returns the newest authoritative world (tick 0 and no entities before the room's first snapshot). */
  state(): World {
    const { tick, rows } = this.#replica.latest();
    return World.of(tick, rows, this.#schema);
  }

  /**
   * interpolated returns the world as it was 2.5 snapshot intervals (see
   * {@link ConnectOptions.interpolationSnapshots}) before the estimated
   * server time at nowMs (a performance.now() reading, such as
   * requestAnimationFrame's timestamp; default now), each field blended
   * between the two snapshots around that time as its schema hint says.
   */
  interpolated(nowMs: number = performance.now()): World {
    const hz = this.#joined?.snapshotHz ?? 0;
    const delayUs = hz > 0 ? ((this.#opts.interpolationSnapshots ?? 2.5) * 1e6) / hz : 0;
    const s = this.#interp.sample(this.#clock.serverTime(Math.round(nowMs * 1000)) - delayUs);
    if (!s) return new World(0, []);
    return World.of(s.tick, s.rows, this.#schema);
  }

  /**
   * ownEntity returns the player's own entity in the newest authoritative
   * state: Joined.entity_id, or else the first entity whose OWNER-role
   * field holds the player's id; undefined when it has none.
   */
  ownEntity(): Entity | undefined {
    if (!this.#joined || !this.#schema) return undefined;
    const { rows } = this.#replica.latest();
    const i = ownEntityIndex(this.#schema, rows, this.#joined.entityId, this.#joined.playerId);
    return i < 0 ? undefined : entityAt(rows, i, this.#schema);
  }

  /**
   * predicted returns the own entity advanced by the predict option over
   * every input the server has not reported applied (without predict, the
   * authoritative one); undefined when the player has no entity.
   */
  predicted(): Entity | undefined {
    const self = this.ownEntity();
    if (!self) return undefined;
    return this.#predict(self, this.#inputs.pending);
  }

  #predict(self: Entity, inputs: readonly SentInput[]): Entity {
    const fields = self.fields.slice();
    const fn = this.#opts.predict;
    if (fn) for (const input of inputs) fn(self.kind, fields, input, this.#joined?.tickHz ?? 0);
    return new Entity(self.id, self.kind, fields, self.schema);
  }

  // ---- events ----

  /** on adds a listener for event and returns a function that removes it. */
  on<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(fn as (...args: never[]) => void);
    return () => set!.delete(fn as (...args: never[]) => void);
  }

  #emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as unknown as (...a: Parameters<ClientEvents[K]>) => void)(...args);
      } catch (e) {
        // A listener's bug must not break the client; it still surfaces.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  // ---- playing ----

  /**
   * sendInput sends the next input and returns its seq. values are the
   * room's input values by schema order (missing trailing ones 0) or by
   * name ({move_x: 127}); each is clamped as the server clamps. The frame
   * repeats the newest unacknowledged inputs and acknowledges the newest
   * applied snapshot. While redialing the input is kept for the resumed
   * connection. It throws NotJoinedError outside a room, RangeError for
   * values the input does not have, and the client's error once it ended.
   */
  sendInput(values: readonly number[] | Readonly<Record<string, number>>): number {
    if (this.#error) throw this.#error;
    if (!this.#joined || !this.#schema) throw new NotJoinedError("send input");
    const raw = this.#schema.inputValues(values);
    const now = performance.now();
    const { input, dropped } = this.#inputs.add(raw, this.#targetTick(Math.round(now * 1000)), now);
    this.#stats.inputsUnackedDropped += dropped;
    this.#stats.inputsSent++;
    if (!this.#socket) {
      this.#stats.inputsDroppedReconnecting += this.#inputs.keepNewest(this.#redundancy + 1);
      return input.seq;
    }
    const batch = this.#inputs.newest(this.#redundancy + 1);
    this.#lastInputAtMs = now;
    this.#send({
      case: "input",
      value: { inputs: batch.map((i) => ({ seq: i.seq, tick: i.tick, values: [...i.values] })), ackTick: this.#ackTick },
    });
    return input.seq;
  }

  /** targetTick estimates the server tick an input sent now arrives for (a hint for logs). */
  #targetTick(localUs: number): number {
    const hz = this.#joined?.tickHz ?? 0;
    if (hz <= 0 || !this.#joined) return 0;
    let baseTick = this.#ackTick;
    let baseUs = this.#snapServerUs;
    if (baseTick === 0) {
      baseTick = this.#joined.tick;
      baseUs = this.#clock.serverTime(this.#joinedAtUs);
    }
    const ahead = this.#clock.serverTime(localUs) + this.#clock.rttSmoothedUs / 2 - baseUs;
    return ahead <= 0 ? baseTick : (baseTick + Math.floor((ahead * hz) / 1e6)) >>> 0;
  }

  /** requestResync asks the server for a full snapshot (the client does this itself after a desync). */
  requestResync(): void {
    this.#markResync(performance.now());
    this.#send({ case: "resync", value: { tick: this.#ackTick } });
  }

  #markResync(nowMs: number): void {
    this.#resyncing = true;
    this.#resyncAtMs = nowMs;
    this.#stats.resyncRequests++;
  }

  // ---- lobby ----

  /**
   * join asks for a seat: quick play in mode (empty: the server's default)
   * or the public room roomId. It resolves with Joined or rejects with a
   * ServerError (UNKNOWN_ROOM, ROOM_FULL, ALREADY_IN_ROOM...).
   */
  async join(mode = "", roomId = ""): Promise<Joined> {
    return this.#join({ mode, roomId });
  }

  /** joinCode asks for a seat in the room with a join code (private or public); unknown: ServerError UNKNOWN_CODE. */
  async joinCode(code: string): Promise<Joined> {
    return this.#join({ joinCode: code });
  }

  /**
   * join sends JoinRoom and resolves with Joined. A Redirect (the seat is on
   * another node of a cluster) is followed: the client moves to that node
   * and takes the reserved seat there.
   */
  async #join(value: { mode?: string; roomId?: string; joinCode?: string; reservation?: string }): Promise<Joined> {
    for (let hops = 0; ; hops++) {
      const a = await this.#request("join", { case: "joinRoom", value });
      if (!a.redirect) return a.joined!;
      if (hops === MAX_REDIRECTS) throw new Error(`join: more than ${MAX_REDIRECTS} redirects`);
      await this.#move(a.redirect.url);
      value = { roomId: a.redirect.roomId, reservation: a.redirect.reservation };
    }
  }

  /**
   * move makes a new connection to url, with the session's token, the live
   * one, and closes the old one with a goodbye (1000). Requests waiting on
   * the old connection fail with ReconnectingError; a room subscription is
   * renewed. Redials still dial the configured url, whose node sends the
   * client back to its seat's node.
   */
  async #move(url: string): Promise<void> {
    this.#moving = true;
    let hs: Handshake;
    try {
      hs = await handshakeFollowing(this.#ctor, url, { name: this.#opts.name ?? "", token: this.sessionToken }, this.#opts.handshakeTimeoutMs ?? 10000);
    } catch (e) {
      this.#moving = false;
      const lost = this.#lostWhileMoving;
      this.#lostWhileMoving = null;
      if (lost) this.#afterLoss(lost);
      throw e;
    }
    this.#moving = false;
    this.#lostWhileMoving = null;
    if (this.#error) {
      hs.socket.close(1000);
      throw this.#error;
    }
    const old = this.#socket; // null when the node left behind closed it already
    this.#socket = null; // the old socket's close is not a loss
    clearInterval(this.#pingTimer);
    this.#lobby.failAll(new ReconnectingError("request"));
    this.#stats.redirects++;
    this.#takeOver(hs);
    old?.close(1000);
    this.#renewSubscription();
  }

  /** renewSubscription subscribes again on a new connection; it goes out before anything else. */
  #renewSubscription(): void {
    const sub = this.#lobby.sub;
    if (sub) {
      const ms = this.#opts.requestTimeoutMs ?? 10000;
      this.#lobby.add("resubscribe", ms, () => new TimeoutError("subscribeRooms", ms), sub).catch(() => {});
      this.#send({ case: "subscribeRooms", value: { mode: sub.mode } });
    }
  }

  /**
   * createRoom opens a room of mode with maxPlayers seats (0: the mode's
   * room size), private (joined by code only) or listed, and seats the
   * caller; it resolves with the seat and the room's join code.
   */
  async createRoom(mode = "", opts: { maxPlayers?: number; private?: boolean } = {}): Promise<CreatedRoom> {
    const a = await this.#request("create", {
      case: "createRoom",
      value: { mode, maxPlayers: opts.maxPlayers ?? 0, private: opts.private ?? false },
    });
    return { joined: a.joined!, room: a.created?.room, joinCode: a.created?.joinCode ?? "" };
  }

  /**
   * listRooms resolves with the first page of the public rooms of mode
   * (empty: all), up to the server's default page size (50); listRoomsPage
   * walks further.
   */
  async listRooms(mode = ""): Promise<RoomInfo[]> {
    return (await this.listRoomsPage(mode)).rooms;
  }

  /**
   * listRoomsPage resolves with one page of the public rooms of mode,
   * oldest first: at most limit rooms (0: the server's default, 50; the
   * server sends no more than 100) from cursor (empty: the first page;
   * else a previous page's nextCursor, which is empty on the last page).
   * total counts the listed rooms of the mode on every page.
   */
  async listRoomsPage(mode = "", page: { limit?: number; cursor?: string } = {}): Promise<RoomPage> {
    const a = await this.#request("list", {
      case: "listRooms",
      value: { mode, limit: page.limit ?? 0, cursor: page.cursor ?? "" },
    });
    return { rooms: a.rooms ?? [], nextCursor: a.list?.nextCursor ?? "", total: a.list?.total ?? 0 };
  }

  /**
   * subscribeRooms resolves with the public rooms of mode (empty: all),
   * then calls onUpdate with every change (also emitted as "roomUpdate")
   * until unsubscribeRooms. It replaces an earlier subscription. After a
   * redial the client subscribes again and calls onUpdate with the
   * differences, so the caller's list stays whole.
   */
  async subscribeRooms(mode: string, onUpdate: (u: RoomUpdate) => void): Promise<RoomInfo[]> {
    const sub: Subscription = { mode, fn: onUpdate, rooms: new Map() };
    const a = await this.#request("subscribe", { case: "subscribeRooms", value: { mode } }, sub);
    return a.rooms ?? [];
  }

  /** unsubscribeRooms ends the room subscription (the server does not answer). */
  unsubscribeRooms(): void {
    this.#lobby.unsubscribe();
    if (this.#socket) this.#send({ case: "subscribeRooms", value: { unsubscribe: true } });
  }

  /**
   * sendMessage sends the room's game a game message of kind (one of the
   * schema's messages) with values in the kind's order. A refusal comes
   * back as an Error of code MESSAGE_REFUSED ("message" event).
   */
  sendMessage(kind: number, ...values: number[]): void {
    this.#talk({ case: "gameMessage", value: { kind, values } }, "sendMessage");
  }

  /**
   * chat says text to everyone in the room (team: to the player's team, in
   * a mode with teams). The line comes back numbered through "chat"; a
   * refusal as an Error of code CHAT_REFUSED ("message" event).
   */
  chat(text: string, team = false): void {
    const channel = team ? ChatChannel.TEAM : ChatChannel.ROOM;
    this.#talk({ case: "chat", value: { channel, text } }, "chat");
  }

  #talk(body: Body, what: string): void {
    if (this.#error) throw this.#error;
    if (!this.#socket) throw new ReconnectingError(what);
    if (!this.#joined) throw new NotJoinedError(what);
    this.#send(body);
  }

  /** leave gives up the seat; "left" follows. */
  leave(): void {
    if (this.#error) throw this.#error;
    if (!this.#socket) throw new ReconnectingError("leave");
    this.#send({ case: "leaveRoom", value: {} });
  }

  #request(kind: RequestKind, body: Body, sub?: Subscription) {
    if (this.#error) return Promise.reject(this.#error);
    if (!this.#socket) return Promise.reject(new ReconnectingError(body.case ?? "request"));
    const ms = this.#opts.requestTimeoutMs ?? 10000;
    const answer = this.#lobby.add(kind, ms, () => new TimeoutError(body.case ?? "request", ms), sub);
    this.#send(body);
    return answer;
  }

  #followUp(f: LobbyFollowUp): void {
    for (const u of f.updates ?? []) {
      try {
        f.fn!(u);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
      this.#emit("roomUpdate", u);
    }
    if (f.unsubscribe) this.#send({ case: "subscribeRooms", value: { unsubscribe: true } });
  }

  // ---- the connection ----

  #send(body: Body): boolean {
    const s = this.#socket;
    if (!s) return false;
    const before = s.bytesOut;
    const ok = s.send(create(ClientMessageSchema, { body }));
    this.#stats.bytesOut += s.bytesOut - before;
    if (ok) this.#stats.framesOut++;
    return ok;
  }

  /** takeOver makes a welcomed socket the live connection. */
  #takeOver(hs: Handshake): void {
    this.#stats.redirects += hs.redirects ?? 0;
    this.#socket = hs.socket;
    this.#welcome = hs.welcome;
    this.#closing = null;
    this.#pings = [];
    this.#stats.bytesIn += hs.bytesIn;
    this.#stats.framesIn += hs.framesIn;
    this.#stats.bytesOut += hs.socket.bytesOut;
    this.#stats.framesOut += hs.socket.framesOut;
    this.#clock.addSample(hs.sentUs, Number(hs.welcome.serverTimeUs), hs.recvUs);
    this.#lastFrameAtMs = performance.now();
    if (this.#pingMs > 0) {
      const readTimeout = Math.max(MIN_READ_TIMEOUT_MS, 5 * this.#pingMs);
      const socket = hs.socket;
      this.#ping();
      this.#pingTimer = setInterval(() => {
        if (performance.now() - this.#lastFrameAtMs > readTimeout) {
          socket.drop();
          this.#lost(socket, new ConnectionLostError(1006, `no data from the server for ${readTimeout} ms`));
          return;
        }
        this.#ping();
      }, this.#pingMs);
    }
    hs.socket.listen((ev) => this.#onSocket(hs.socket, ev));
  }

  #ping(): void {
    const sent = nowUs();
    this.#pings.push(sent);
    if (this.#pings.length > PINGS_TRACKED) this.#pings.shift();
    this.#send({ case: "ping", value: { clientTimeUs: BigInt(sent) } });
  }

  #onSocket(socket: Socket, ev: SocketEvent): void {
    if (socket !== this.#socket) return;
    if (ev.kind === "close") {
      this.#lost(socket, closeErrorFrom(ev.code, ev.reason, this.#closing));
      return;
    }
    this.#lastFrameAtMs = performance.now();
    this.#stats.bytesIn += ev.bytes;
    this.#stats.framesIn++;
    if (!ev.msg) {
      this.#stats.decodeErrors++;
      return;
    }
    this.#handle(ev.msg, ev.bytes);
  }

  #handle(msg: ServerMessage, bytes: number): void {
    const b = msg.body;
    switch (b.case) {
      case "snapshot":
        this.#handleSnapshot(b.value, bytes);
        return;
      case "pong": {
        const sent = Number(b.value.clientTimeUs);
        const i = this.#pings.indexOf(sent);
        // Only echoes of our own pings are samples; anything else would
        // poison the offset with a made-up round trip.
        if (i >= 0) {
          this.#pings.splice(i, 1);
          this.#clock.addSample(sent, Number(b.value.serverTimeUs), nowUs());
        } else this.#stats.unmatchedPongs++;
        return;
      }
      case "joined": {
        const j = b.value;
        this.#joined = j;
        this.#phase = j.phase;
        this.#joinedAtUs = nowUs();
        try {
          this.#schema = Schema.fromProto(j.schema);
        } catch {
          this.#schema = null; // its snapshots count as decode errors
        }
        if (j.resumed) this.#resetView();
        else {
          this.#chatSeq = 0n;
          this.#resetSeat();
          this.#lobby.joined(j);
        }
        this.#emit("joined", j);
        break;
      }
      case "left":
        this.#joined = null;
        this.#phase = RoomPhase.UNSPECIFIED;
        this.#schema = null;
        this.#resetSeat();
        this.#emit("left", b.value);
        break;
      case "roomState":
        if (this.#joined && b.value.roomId === this.#joined.roomId) this.#phase = b.value.phase;
        this.#emit("roomState", b.value);
        break;
      case "roomCreated":
        this.#lobby.roomCreated(b.value as RoomCreated);
        break;
      case "roomList":
        this.#followUp(this.#lobby.roomList(b.value));
        break;
      case "roomUpdate":
        this.#followUp(this.#lobby.roomUpdate(b.value));
        break;
      case "error":
        // A refused chat line or game message answers no request.
        if (b.value.code !== ErrorCode.CHAT_REFUSED && b.value.code !== ErrorCode.MESSAGE_REFUSED) this.#lobby.error(b.value);
        break;
      case "gameMessage":
        this.#emit("gameMessage", b.value);
        return;
      case "chat":
        if (b.value.seq > this.#chatSeq) {
          this.#chatSeq = b.value.seq;
          this.#emit("chat", b.value);
        }
        return;
      case "notice":
        this.#emit("notice", b.value);
        return;
      case "redirect":
        this.#lobby.redirect(b.value);
        break;
      case "closing":
        this.#closing = { reason: b.value.reason, message: b.value.message };
        break;
      case "matchResults":
        this.#emit("results", b.value);
        break;
    }
    this.#emit("message", msg);
  }

  /** resetSeat forgets the room's replica, view and pending inputs. */
  #resetSeat(): void {
    this.#resetView();
    this.#inputs.resetSeat();
  }

  /** resetView forgets the replica, the interpolation timeline and the ack: the next snapshot must be full. */
  #resetView(): void {
    this.#replica.reset(this.#schema?.layout ?? EMPTY_LAYOUT);
    this.#interp.reset(this.#schema);
    this.#ackTick = 0;
    this.#snapServerUs = 0;
    this.#timeAnchorTick = 0;
    this.#timeAnchorUs = 0;
    this.#resyncing = false;
  }

  #handleSnapshot(s: Snapshot, bytes: number): void {
    if (!this.#joined) {
      this.#stats.unexpectedSnapshots++;
      return;
    }
    if (!this.#schema) {
      this.#stats.decodeErrors++; // the room's schema was refused
      return;
    }
    const now = performance.now();
    const prev = this.#replica.latest();
    const r = this.#replica.apply(s.tick, s.baseTick, s.delta, s.checksum);
    if (!r.ok) {
      let resync = true;
      if (r.problem === "stale") {
        this.#stats.staleSnapshots++;
        resync = false;
      } else if (r.problem === "missing_base") this.#stats.missingBaseSnapshots++;
      else if (r.problem === "checksum") this.#stats.desyncs++;
      else this.#stats.decodeErrors++;
      // One outstanding request at a time, repeated if it goes unanswered.
      if (resync && this.#resyncing && now - this.#resyncAtMs < RESYNC_RETRY_MS) resync = false;
      if (resync) {
        this.#markResync(now);
        this.#send({ case: "resync", value: { tick: s.tick } });
      }
      return;
    }
    this.#stats.snapshots++;
    // A client resuming a session it did not start learns here where the seqs are.
    this.#inputs.seen(s.lastInputSeq);
    if (s.baseTick === 0) {
      this.#stats.fullSnapshots++;
      this.#resyncing = false;
    }
    this.#ackTick = s.tick;
    if (s.serverTimeUs !== 0n || this.#timeAnchorTick === 0) {
      this.#timeAnchorTick = s.tick;
      this.#timeAnchorUs = Number(s.serverTimeUs);
      this.#snapServerUs = this.#timeAnchorUs;
    } else {
      // Left out: the snapshot's time follows from the tick.
      this.#snapServerUs = deriveServerTimeUs(this.#timeAnchorTick, this.#timeAnchorUs, s.tick, this.#joined.tickHz);
    }
    this.#interp.push(s.tick, this.#snapServerUs, r.rows);
    const acked = s.lastInputSeq > this.#inputs.appliedSeq ? this.#acknowledge(prev.rows, s.lastInputSeq, now) : [];
    // Inputs carry the ack when they flow; a quiet client acks on its own.
    const hz = this.#joined.snapshotHz;
    if (hz > 0 && now - this.#lastInputAtMs >= 1000 / hz) this.#send({ case: "ack", value: { tick: s.tick } });
    // Deltas against an older base repeat events already delivered.
    const events = s.events.filter((e) => e.tick > prev.tick).map((e) => new GameEvent(e, this.#schema?.event(e.kind)));
    for (const a of acked) this.#emit("inputAck", a.seq, now - a.sentAtMs);
    for (const e of events) this.#emit("event", e);
    this.#emit("snapshot", {
      tick: s.tick,
      baseTick: s.baseTick,
      serverTimeUs: this.#snapServerUs,
      lastInputSeq: s.lastInputSeq,
      entities: r.rows.length,
      events: events.length,
      bytes,
    });
  }

  /** acknowledge handles the server reporting inputs up to lastSeq applied. */
  #acknowledge(prevRows: Rows, lastSeq: number, now: number): SentInput[] {
    const before = this.#joined && this.#schema ? ownEntityIndex(this.#schema, prevRows, this.#joined.entityId, this.#joined.playerId) : -1;
    const acked = this.#inputs.acknowledge(lastSeq);
    this.#stats.inputsAcked += acked.length;
    if (acked.length > 0) {
      const lat = now - acked[acked.length - 1].sentAtMs;
      this.#stats.inputAckLatencyMs = lat;
      const s = this.#stats.inputAckLatencySmoothedMs;
      this.#stats.inputAckLatencySmoothedMs = s === 0 ? lat : s + (lat - s) / 8;
    }
    if (this.#opts.predict && this.#schema && before >= 0 && acked.length > 0) {
      // The prediction made for lastSeq: the old authoritative entity
      // advanced by the inputs this snapshot newly covers.
      const guess = this.#predict(entityAt(prevRows, before, this.#schema), acked);
      const actual = this.ownEntity();
      if (actual) {
        const e = predictionError(this.#schema, guess, actual);
        this.#stats.predictionErrorLast = e;
        this.#stats.predictionErrorMax = Math.max(this.#stats.predictionErrorMax, e);
      }
    }
    return acked;
  }

  // ---- losses, redials and the end ----

  /** lost handles the end of socket: the client ends or redials. */
  #lost(socket: Socket, err: Error): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    clearInterval(this.#pingTimer);
    if (this.#moving) {
      this.#lostWhileMoving = err;
      return;
    }
    this.#afterLoss(err);
  }

  /** afterLoss ends the client or starts redialing after the live connection was lost. */
  #afterLoss(err: Error): void {
    if (this.#userClosed || !this.#policy || !reconnectable(err)) {
      this.#end(err);
      return;
    }
    this.#stats.disconnects++;
    this.#lobby.failAll(new ReconnectingError("request", { cause: err }));
    this.#emit("disconnect", err);
    this.#redial(err, performance.now(), 0, undefined);
  }

  #redial(lost: Error, startMs: number, attempt: number, lastErr: unknown): void {
    if (this.#error) return;
    const p = this.#policy!;
    const d = backoff(p, attempt, Math.random());
    if (performance.now() + d - startMs > p.giveUpAfterMs) {
      this.#end(new ReconnectGaveUpError(performance.now() - startMs, attempt, lost, lastErr));
      return;
    }
    this.#redialTimer = setTimeout(async () => {
      const left = p.giveUpAfterMs - (performance.now() - startMs);
      let hs: Handshake;
      try {
        hs = await handshakeFollowing(
          this.#ctor,
          this.#opts.url,
          { name: this.#opts.name ?? "", token: this.sessionToken },
          Math.max(1, Math.min(this.#opts.handshakeTimeoutMs ?? 10000, left)),
        );
      } catch (e) {
        if (this.#error) return;
        this.#stats.reconnectFailures++;
        if (!reconnectable(e)) this.#end(e instanceof Error ? e : new Error(String(e)));
        else this.#redial(lost, startMs, attempt + 1, e);
        return;
      }
      if (this.#error) {
        hs.socket.close(1000);
        return;
      }
      this.#resume(hs);
    }, d);
  }

  /** resume makes a redialed socket live: a kept seat keeps its inputs, a lost one is forgotten. */
  #resume(hs: Handshake): void {
    this.#stats.reconnects++;
    const resumed = hs.welcome.resumed;
    if (resumed) this.#resetView();
    else if (this.#joined) {
      this.#joined = null;
      this.#phase = RoomPhase.UNSPECIFIED;
      this.#schema = null;
      this.#resetSeat();
    }
    this.#takeOver(hs);
    this.#renewSubscription();
    this.#emit("reconnect", resumed);
  }

  #end(err: Error): void {
    if (this.#error) return;
    if (this.#userClosed) err = new ClientClosedError();
    this.#error = err;
    clearInterval(this.#pingTimer);
    clearTimeout(this.#redialTimer);
    this.#socket?.drop();
    this.#socket = null;
    this.#lobby.failAll(err);
    this.#markEnded();
    this.#emit("close", err);
  }

  /** closed resolves once the client has ended for good (see {@link error} for why). */
  get closed(): Promise<void> {
    return this.#ended;
  }

  /**
   * close says goodbye (WebSocket close 1000: the server releases the seat
   * at once), waits up to 2 s for the server's close, and ends the client.
   * While redialing it ends at once. It is safe to call more than once.
   */
  async close(): Promise<void> {
    if (this.#error) return;
    this.#userClosed = true;
    const s = this.#socket;
    if (!s) {
      this.#end(new ClientClosedError());
      return;
    }
    s.close(1000);
    const timer = setTimeout(() => this.#end(new ClientClosedError()), CLOSE_WAIT_MS);
    await this.#ended;
    clearTimeout(timer);
  }

  /**
   * dropConnection cuts the socket without a goodbye, as a network failure
   * would (a test and chaos hook): with reconnect the client redials and
   * resumes its seat; without, it ends.
   */
  dropConnection(): void {
    const s = this.#socket;
    if (!s) return;
    s.drop();
    this.#lost(s, new ConnectionLostError(1006, "connection dropped"));
  }
}

/**
 * deriveServerTimeUs is the server time of a snapshot tick that carries none (docs/protocol.md, "Server time"):
 * the time of the newest snapshot tick that carried one, plus the ticks since at the room's tick rate, in whole
 * microseconds rounded down.
 */
export function deriveServerTimeUs(anchorTick: number, anchorUs: number, tick: number, tickHz: number): number {
  const ticks = (tick - anchorTick) >>> 0;
  return anchorUs + Math.floor((ticks * 1_000_000) / Math.max(tickHz, 1));
}
