// The lobby screen: the player's name, quick play and private rooms per
// mode, joining by code, and the live list of open rooms.

import type { pb } from "../../sdk/src/index.js";
import { RoomPhase, RoomUpdate_Kind } from "../../sdk/src/index.js";
import type { ModeInfo } from "./modes.js";

/** LobbyActions are what the lobby's buttons ask the game to do. */
export interface LobbyActions {
  rename(name: string): void;
  quickPlay(mode: string): void;
  createRoom(mode: string): void;
  joinCode(code: string): void;
  joinRoom(mode: string, roomId: string): void;
}

/** LobbyScreen owns the lobby's DOM. */
export class LobbyScreen {
  readonly #actions: LobbyActions;
  readonly #rooms = new Map<string, pb.RoomInfo>();
  readonly #status = document.getElementById("lobby-status")!;
  readonly #name = document.getElementById("name") as HTMLInputElement;

  constructor(actions: LobbyActions) {
    this.#actions = actions;
    document.getElementById("name-form")!.addEventListener("submit", (e) => {
      e.preventDefault();
      actions.rename(this.#name.value.trim());
    });
    document.getElementById("code-form")!.addEventListener("submit", (e) => {
      e.preventDefault();
      const code = (document.getElementById("code") as HTMLInputElement).value;
      actions.joinCode(code);
    });
  }

  /** name is the name field's value. */
  get name(): string {
    return this.#name.value.trim();
  }

  set name(v: string) {
    this.#name.value = v;
  }

  /** status shows a message (an error, a note), or clears it. */
  status(msg: string): void {
    this.#status.textContent = msg;
  }

  /** showModes lists the server's modes with their buttons. */
  showModes(modes: ModeInfo[]): void {
    const list = modes.map((m) => {
      const div = document.createElement("div");
      div.className = "mode";
      const about = document.createElement("div");
      about.innerHTML = `<div class="name"></div><div class="about"></div>`;
      about.firstElementChild!.textContent = m.name + (m.isDefault ? " (default)" : "");
      about.lastElementChild!.textContent = `up to ${m.maxPlayers} players · ${m.tickHz} ticks/s · ${m.snapshotHz} snapshots/s`;
      const quick = button("Quick play", () => this.#actions.quickPlay(m.name), "primary");
      quick.dataset.quickPlay = m.name;
      const create = button("Private room", () => this.#actions.createRoom(m.name));
      create.dataset.createRoom = m.name;
      const buttons = document.createElement("div");
      buttons.append(quick, " ", create);
      div.append(about, buttons);
      return div;
    });
    document.getElementById("modes")!.replaceChildren(...list);
  }

  /** setRooms replaces the room list. */
  setRooms(rooms: pb.RoomInfo[]): void {
    this.#rooms.clear();
    for (const r of rooms) this.#rooms.set(r.roomId, r);
    this.#renderRooms();
  }

  /** update applies one change of the room subscription. */
  update(u: pb.RoomUpdate): void {
    if (!u.room) return;
    if (u.kind === RoomUpdate_Kind.CLOSED) this.#rooms.delete(u.room.roomId);
    else this.#rooms.set(u.room.roomId, u.room);
    this.#renderRooms();
  }

  #renderRooms(): void {
    const rooms = [...this.#rooms.values()].filter((r) => !r.private).sort((a, b) => a.ageS - b.ageS);
    const rows = rooms.map((r) => {
      const tr = document.createElement("tr");
      const full = r.players >= r.maxPlayers;
      for (const text of [r.roomId, r.mode, `${r.players}/${r.maxPlayers}`, phaseName(r.phase), `${r.ageS}s`]) {
        tr.append(Object.assign(document.createElement("td"), { textContent: text }));
      }
      const td = document.createElement("td");
      const join = button(full ? "Full" : "Join", () => this.#actions.joinRoom(r.mode, r.roomId));
      join.disabled = full || r.phase === RoomPhase.ENDED;
      td.append(join);
      tr.append(td);
      return tr;
    });
    if (rows.length === 0) {
      const tr = document.createElement("tr");
      tr.append(Object.assign(document.createElement("td"), { colSpan: 6, textContent: "No open rooms: quick play opens one.", className: "muted" }));
      rows.push(tr);
    }
    (document.querySelector("#rooms tbody") as HTMLElement).replaceChildren(...rows);
    document.getElementById("rooms-count")!.textContent = rooms.length ? `(${rooms.length})` : "";
  }
}

function button(text: string, onClick: () => void, className = ""): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.className = className;
  b.onclick = onClick;
  return b;
}

/** phaseName is a room phase in lower case ("running"). */
export function phaseName(p: RoomPhase): string {
  return (RoomPhase[p] ?? "unknown").toLowerCase();
}
