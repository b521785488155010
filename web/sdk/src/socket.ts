// The WebSocket underneath a Client: the browser's, Node 22's global one,
// or any constructor with the same shape (the "ws" package in Node 20),
// and the Hello → Welcome handshake.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ClientMessage, ServerMessage, Welcome } from "./gen/tickwire/v1/tickwire_pb.js";
import { ClientMessageSchema, CloseReason, ProtocolVersion, ServerMessageSchema } from "./gen/tickwire/v1/tickwire_pb.js";
import { CloseError, ConnectionLostError, RedirectError, ServerError, TimeoutError } from "./errors.js";

/**
 * WebSocketLike is what a Client needs of a WebSocket: the standard
 * browser API, which the "ws" package also implements.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onopen: ((ev: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onmessage: ((ev: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onclose: ((ev: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onerror: ((ev: any) => void) | null;
}

/** WebSocketConstructor makes a WebSocketLike for a URL, as `new WebSocket(url)` does. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What a Socket reports: a decoded message (or a frame that did not decode), or its end. */
export type SocketEvent =
  | { kind: "message"; msg: ServerMessage | null; bytes: number; error?: string }
  | { kind: "close"; code: number; reason: string };

/** OPEN is WebSocket.OPEN. */
const OPEN = 1;

/**
 * Socket wraps a WebSocketLike: it decodes frames into ServerMessages and
 * hands every event, in order, to the current listener, queueing them while
 * there is none (between the handshake and the client taking over).
 */
export class Socket {
  readonly #ws: WebSocketLike;
  #listener: ((ev: SocketEvent) => void) | null = null;
  #queue: SocketEvent[] = [];
  #closed = false;
  /** bytesOut counts the payload bytes sent. */
  bytesOut = 0;
  /** framesOut counts the frames sent. */
  framesOut = 0;

  /** new Socket opens url with ctor; onOpen runs once it is open. */
  constructor(ctor: WebSocketConstructor, url: string, onOpen: () => void) {
    this.#ws = new ctor(url);
    this.#ws.binaryType = "arraybuffer";
    this.#ws.onopen = () => onOpen();
    this.#ws.onmessage = (ev: { data: unknown }) => this.#deliver(decode(ev.data));
    this.#ws.onclose = (ev: { code?: number; reason?: string }) => {
      this.#closed = true;
      this.#deliver({ kind: "close", code: ev.code ?? 1006, reason: ev.reason ?? "" });
    };
    // An error is always followed by close, which says what there is to say.
    this.#ws.onerror = () => {};
  }

  #deliver(ev: SocketEvent): void {
    if (this.#listener) this.#listener(ev);
    else this.#queue.push(ev);
  }

  /** listen makes fn the listener (null: queue events), first handing it whatever is queued. */
  listen(fn: ((ev: SocketEvent) => void) | null): void {
    this.#listener = fn;
    while (this.#listener === fn && fn && this.#queue.length > 0) fn(this.#queue.shift()!);
  }

  /** send writes msg as one binary frame; false when the socket is not open. */
  send(msg: ClientMessage): boolean {
    if (this.#ws.readyState !== OPEN) return false;
    const b = toBinary(ClientMessageSchema, msg);
    try {
      this.#ws.send(b);
    } catch {
      return false; // closing meanwhile: the close event tells
    }
    this.bytesOut += b.length;
    this.framesOut++;
    return true;
  }

  /** close sends a close frame with code (1000: a goodbye; anything else keeps a held seat). */
  close(code: number, reason = ""): void {
    if (this.#closed) return;
    try {
      this.#ws.close(code, reason);
    } catch {
      // already closing
    }
  }

  /**
   * drop abandons the socket at once, as a network failure would: no more
   * events, and the socket is cut without a goodbye ("ws" terminate, else
   * a close that is not 1000, so the server holds the seat).
   */
  drop(): void {
    this.#listener = () => {};
    this.#queue = [];
    const ws = this.#ws as WebSocketLike & { terminate?: () => void };
    if (typeof ws.terminate === "function") ws.terminate();
    else this.close(4000, "dropped");
  }
}

/** decode turns a frame's data into a message event; text frames and garbage give msg null. */
function decode(data: unknown): SocketEvent {
  let bytes: Uint8Array;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else if (typeof data === "string") return { kind: "message", msg: null, bytes: data.length, error: "text frame" };
  else return { kind: "message", msg: null, bytes: 0, error: "unknown frame data" };
  try {
    return { kind: "message", msg: fromBinary(ServerMessageSchema, bytes), bytes: bytes.length };
  } catch (e) {
    return { kind: "message", msg: null, bytes: bytes.length, error: String(e) };
  }
}

/** closeErrorFrom turns the end of a socket into the connection's error. */
export function closeErrorFrom(code: number, reason: string, closing: { reason: CloseReason; message: string } | null): Error {
  if (closing) return new CloseError(closing.reason, closing.message);
  if (code > 4000 && code < 5000 && CloseReason[code - 4000] !== undefined) return new CloseError(code - 4000, reason);
  return new ConnectionLostError(code, reason);
}

/** What a handshake gives. */
export interface Handshake {
  socket: Socket;
  welcome: Welcome;
  sentUs: number;
  recvUs: number;
  bytesIn: number;
  framesIn: number;
  /** redirects counts the Redirects a Hello was answered with on the way here (the client's handshakeFollowing); absent for one handshake. */
  redirects?: number;
}

/**
 * handshake opens a socket to url, sends Hello and waits for Welcome. It
 * rejects with the server's ServerError (its close, a CloseError, as
 * cause) when Hello is refused, a CloseError or ConnectionLostError when
 * the connection ends first, a TimeoutError after timeoutMs.
 */
export function handshake(
  ctor: WebSocketConstructor,
  url: string,
  hello: { name: string; token: string },
  timeoutMs: number,
  clockUs: () => number,
): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    let sentUs = 0;
    let bytesIn = 0;
    let framesIn = 0;
    let refused: { code: number; message: string } | null = null;
    let closing: { reason: CloseReason; message: string } | null = null;
    let socket: Socket;
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket?.drop();
      reject(err);
    };
    const timer = setTimeout(() => fail(new TimeoutError("handshake", timeoutMs)), timeoutMs);
    try {
      socket = new Socket(ctor, url, () => {
        sentUs = clockUs();
        socket.send(
          create(ClientMessageSchema, {
            body: { case: "hello", value: { protocolVersion: ProtocolVersion.CURRENT, name: hello.name, sessionToken: hello.token } },
          }),
        );
      });
    } catch (e) {
      clearTimeout(timer);
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    socket.listen((ev) => {
      if (ev.kind === "close") {
        clearTimeout(timer);
        const end = closeErrorFrom(ev.code, ev.reason, closing);
        reject(refused ? new ServerError(refused.code, refused.message, { cause: end }) : end);
        return;
      }
      bytesIn += ev.bytes;
      framesIn++;
      const b = ev.msg?.body;
      if (!b) return; // an undecodable frame
      if (b.case === "welcome") {
        clearTimeout(timer);
        socket.listen(null); // what follows waits for the client
        resolve({ socket, welcome: b.value, sentUs, recvUs: clockUs(), bytesIn, framesIn });
      } else if (b.case === "error") refused = { code: b.value.code, message: b.value.message };
      else if (b.case === "closing") closing = { reason: b.value.reason, message: b.value.message };
      else if (b.case === "redirect") fail(new RedirectError(b.value.url, b.value.roomId));
      else fail(new Error(`handshake: unexpected ${b.case} before welcome`));
    });
  });
}
