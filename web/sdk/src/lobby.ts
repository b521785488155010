// Lobby requests: the server answers them in order, so each reply goes to
// the oldest waiting request, and an Error is the oldest one's answer.

import { create } from "@bufbuild/protobuf";
import type { Error as PbError, Joined, RoomCreated, RoomInfo, RoomList, RoomUpdate } from "./gen/tickwire/v1/tickwire_pb.js";
import { RoomUpdate_Kind, RoomUpdateSchema } from "./gen/tickwire/v1/tickwire_pb.js";
import { ServerError } from "./errors.js";

/** What a request waits for. */
export type RequestKind = "join" | "create" | "list" | "subscribe" | "resubscribe";

/** The answer of a request. */
export interface Answer {
  joined?: Joined;
  created?: RoomCreated;
  rooms?: RoomInfo[];
  list?: RoomList;
}

/** A room-list subscription: its callback and the list as the updates left it. */
export interface Subscription {
  mode: string;
  fn: (u: RoomUpdate) => void;
  rooms: Map<string, RoomInfo>;
}

interface Request {
  kind: RequestKind;
  resolve: (a: Answer) => void;
  reject: (e: Error) => void;
  created?: RoomCreated;
  joined?: Joined;
  sub?: Subscription;
  /** abandoned: the caller stopped waiting (timeout, unsubscribe); its answer is dropped. */
  abandoned: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/** What handling a lobby message leaves to do: room updates for a callback, an unsubscribe to send. */
export interface LobbyFollowUp {
  fn?: (u: RoomUpdate) => void;
  updates?: RoomUpdate[];
  unsubscribe?: boolean;
}

/** Lobby keeps the waiting requests in wire order and the room subscription. */
export class Lobby {
  #reqs: Request[] = [];
  /** sub is the active subscription, null for none. */
  sub: Subscription | null = null;

  /**
   * add queues a request of kind (its message must go out right after) and
   * returns its answer; after timeoutMs it rejects with onTimeout() and
   * its answer, when it comes, is dropped.
   */
  add(kind: RequestKind, timeoutMs: number, onTimeout: () => Error, sub?: Subscription): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const r: Request = { kind, resolve, reject, sub, abandoned: false };
      if (timeoutMs > 0) {
        r.timer = setTimeout(() => {
          r.abandoned = true;
          r.reject(onTimeout());
        }, timeoutMs);
      }
      this.#reqs.push(r);
    });
  }

  /** waiting returns how many requests await their answer. */
  get waiting(): number {
    return this.#reqs.length;
  }

  #head(...kinds: RequestKind[]): Request | undefined {
    const r = this.#reqs[0];
    return r && kinds.includes(r.kind) ? r : undefined;
  }

  #pop(a: Answer | Error): Request {
    const r = this.#reqs.shift()!;
    clearTimeout(r.timer);
    if (!r.abandoned) {
      if (a instanceof Error) r.reject(a);
      else r.resolve(a);
    }
    return r;
  }

  /** joined gives a Joined (not a resumed one) to the join or create it answers; both orders of a create's two answers work. */
  joined(j: Joined): void {
    const r = this.#head("join", "create");
    if (!r) return;
    if (r.kind === "create" && !r.created) r.joined = j;
    else this.#pop({ joined: j, created: r.created });
  }

  /** roomCreated gives RoomCreated to the create it answers. */
  roomCreated(rc: RoomCreated): void {
    const r = this.#head("create");
    if (!r) return;
    if (!r.joined) r.created = rc;
    else this.#pop({ joined: r.joined, created: rc });
  }

  /** roomList gives a RoomList to the list or subscription it answers. */
  roomList(list: RoomList): LobbyFollowUp {
    const r = this.#head("list", "subscribe", "resubscribe");
    if (!r) return {};
    this.#pop({ rooms: list.rooms, list });
    if (r.kind === "subscribe") {
      if (r.abandoned) return { unsubscribe: true };
      r.sub!.rooms = roomMap(list.rooms);
      this.sub = r.sub!;
    } else if (r.kind === "resubscribe") {
      if (this.sub !== r.sub) return {}; // unsubscribed or replaced meanwhile
      const updates = diffRooms(r.sub.rooms, list.rooms);
      r.sub.rooms = roomMap(list.rooms);
      return { fn: r.sub.fn, updates };
    }
    return {};
  }

  /** roomUpdate applies an update to the subscription. */
  roomUpdate(u: RoomUpdate): LobbyFollowUp {
    if (!this.sub || !u.room) return {};
    if (u.kind === RoomUpdate_Kind.CLOSED) this.sub.rooms.delete(u.room.roomId);
    else this.sub.rooms.set(u.room.roomId, u.room);
    return { fn: this.sub.fn, updates: [u] };
  }

  /** error gives an Error to the oldest request; false when none waits. */
  error(e: PbError): boolean {
    if (this.#reqs.length === 0) return false;
    const r = this.#pop(new ServerError(e.code, e.message));
    if (r.kind === "resubscribe" && this.sub === r.sub) this.sub = null;
    return true;
  }

  /** unsubscribe ends the subscription, and one still on its way. */
  unsubscribe(): void {
    this.sub = null;
    for (const r of this.#reqs) if (r.kind === "subscribe") r.abandoned = true;
  }

  /** failAll answers every waiting request with err. */
  failAll(err: Error): void {
    while (this.#reqs.length > 0) this.#pop(err);
  }
}

/** roomMap indexes rooms by id. */
function roomMap(rooms: RoomInfo[]): Map<string, RoomInfo> {
  return new Map(rooms.map((r) => [r.roomId, r]));
}

/** diffRooms returns the updates that turn old into fresh: CLOSED for rooms gone (by id), then CREATED or CHANGED in fresh's order. */
function diffRooms(old: Map<string, RoomInfo>, fresh: RoomInfo[]): RoomUpdate[] {
  const seen = new Set(fresh.map((r) => r.roomId));
  const out: RoomUpdate[] = [];
  for (const id of [...old.keys()].filter((id) => !seen.has(id)).sort()) {
    out.push(create(RoomUpdateSchema, { kind: RoomUpdate_Kind.CLOSED, room: old.get(id) }));
  }
  for (const r of fresh) {
    const prev = old.get(r.roomId);
    if (!prev) out.push(create(RoomUpdateSchema, { kind: RoomUpdate_Kind.CREATED, room: r }));
    else if (prev.mode !== r.mode || prev.phase !== r.phase || prev.players !== r.players || prev.maxPlayers !== r.maxPlayers || prev.private !== r.private) {
      out.push(create(RoomUpdateSchema, { kind: RoomUpdate_Kind.CHANGED, room: r }));
    }
  }
  return out;
}
