// The game screen's chat box (the room's chat, its recent lines on joining)
// and the notice banner (the operator's notices, on every screen).

import type { Client, pb } from "../../sdk/src/index.js";
import { ErrorCode, NoticeSeverity } from "../../sdk/src/index.js";

/** CHAT_LINES is how many lines the chat box shows. */
const CHAT_LINES = 40;
/** NOTICE_MS is how long a notice stays up. */
const NOTICE_MS = 15000;

/** ChatBox shows a room's chat and sends the lines typed into its form, until dispose. */
export class ChatBox {
  readonly #client: Client;
  readonly #list: HTMLOListElement;
  readonly #form: HTMLFormElement;
  readonly #input: HTMLInputElement;
  readonly #status: HTMLElement;
  readonly #off: (() => void)[] = [];
  /** lines are the texts shown, "name: text", oldest first, for tests. */
  readonly lines: string[] = [];

  constructor(client: Client) {
    this.#client = client;
    this.#list = document.getElementById("chat") as HTMLOListElement;
    this.#form = document.getElementById("chat-form") as HTMLFormElement;
    this.#input = document.getElementById("chat-text") as HTMLInputElement;
    this.#status = document.getElementById("chat-status")!;
    this.#list.replaceChildren();
    this.#status.textContent = "";
    const submit = (e: Event) => {
      e.preventDefault();
      this.#say();
    };
    this.#form.addEventListener("submit", submit);
    this.#off.push(
      () => this.#form.removeEventListener("submit", submit),
      client.on("chat", (l) => this.#add(l)),
      client.on("message", (m) => {
        if (m.body.case === "error" && m.body.value.code === ErrorCode.CHAT_REFUSED) this.#status.textContent = m.body.value.message;
      }),
    );
  }

  #say(): void {
    const text = this.#input.value.trim();
    if (!text) return;
    try {
      this.#client.chat(text);
      this.#input.value = "";
      this.#status.textContent = "";
    } catch (e) {
      this.#status.textContent = e instanceof Error ? e.message : String(e);
    }
  }

  #add(l: pb.ChatLine): void {
    const li = document.createElement("li");
    if (l.replay) li.className = "replay";
    const who = document.createElement("b");
    who.textContent = `${l.name}: `;
    li.append(who, document.createTextNode(l.text)); // text nodes: a line is never markup
    this.#list.append(li);
    this.lines.push(`${l.name}: ${l.text}`);
    while (this.#list.children.length > CHAT_LINES) this.#list.firstElementChild!.remove();
    this.#list.scrollTop = this.#list.scrollHeight;
  }

  /** dispose stops listening. */
  dispose(): void {
    for (const off of this.#off) off();
  }
}

/** NoticeBanner shows the operator's notices over every screen. */
export class NoticeBanner {
  readonly #el: HTMLElement;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** last is the newest notice's text, for tests. */
  last = "";

  constructor() {
    this.#el = document.getElementById("notice")!;
    this.#el.onclick = () => this.#hide();
  }

  /** show puts n up for a while (a critical one until clicked). */
  show(n: pb.Notice): void {
    this.last = n.text;
    this.#el.textContent = n.text;
    this.#el.className = `notice ${NoticeSeverity[n.severity]?.toLowerCase() ?? "info"}`;
    this.#el.hidden = false;
    clearTimeout(this.#timer);
    if (n.severity !== NoticeSeverity.CRITICAL) this.#timer = setTimeout(() => this.#hide(), NOTICE_MS);
  }

  #hide(): void {
    this.#el.hidden = true;
  }
}
