import { Observable, type Subscriber } from 'rxjs';
import type { Duplex, Transport } from './transport.js';

/**
 * The part of the WebSocket API the transport uses, met by the browser `WebSocket` and
 * by the `ws` package. Handlers take `never` so both implementations' own event types
 * fit; the transport reads only `data`, `error`, `code`, `reason` and `wasClean`.
 */
export interface WebSocketLike {
  /** Set to `'arraybuffer'` by the transport, so binary messages arrive as `ArrayBuffer`. */
  binaryType: string;
  /** `1` (OPEN) once the handshake is done. */
  readonly readyState: number;
  /** The subprotocol the server chose (the transport asks for `mqtt`). */
  readonly protocol: string;
  /** Sends one binary message. */
  send(data: Uint8Array<ArrayBuffer>): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Called once the connection is open. */
  onopen: ((event: never) => void) | null;
  /** Called with each message (`event.data`). */
  onmessage: ((event: never) => void) | null;
  /** Called when the connection fails. */
  onerror: ((event: never) => void) | null;
  /** Called once the connection is closed (`event.code`, `event.reason`, `event.wasClean`). */
  onclose: ((event: never) => void) | null;
}

/** Opens a WebSocket to `url` asking for `protocols` (the `new WebSocket(url, protocols)` of an implementation). */
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

/** `WebSocket.OPEN`, the same in every implementation. */
const OPEN = 1;

/** What the transport reads from a message event. */
interface MessageEventLike {
  readonly data: unknown;
}

/** What the transport reads from an error event (`ws` carries the Error; browsers nothing). */
interface ErrorEventLike {
  readonly error?: unknown;
  readonly message?: unknown;
}

/** What the transport reads from a close event. */
interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** Whether a value is an Error, also one made in another realm (Node core errors under Jest's vm). */
function isError(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

/** Whether a value is an ArrayBuffer, also one made in another realm. */
function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

/** The same bytes on a plain ArrayBuffer (a view, no copy, unless they sit on a SharedArrayBuffer). */
function onArrayBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  return isArrayBuffer(buffer) ? new Uint8Array(buffer, bytes.byteOffset, bytes.byteLength) : bytes.slice();
}

/** The Error behind an error event: `ws`'s own Error, or one saying what little a browser tells. */
function errorOf(event: ErrorEventLike, url: string): Error {
  if (isError(event.error)) return event.error;
  const detail = typeof event.message === 'string' && event.message !== '' ? `: ${event.message}` : '';
  return new Error(`WebSocket error on ${url}${detail}`);
}

/** An open WebSocket as a {@link Duplex}. */
class WebSocketDuplex implements Duplex {
  readonly incoming: Observable<Uint8Array>;
  private readonly subscribers = new Set<Subscriber<Uint8Array>>();
  /** Chunks that arrived before anyone subscribed to `incoming`. */
  private early: Uint8Array[] | undefined = [];
  /** Set once the connection ended: `null` for a clean close, else the error. */
  private end: Error | null | undefined;

  constructor(private readonly socket: WebSocketLike) {
    this.incoming = new Observable<Uint8Array>((subscriber) => {
      const early = this.early;
      this.early = undefined;
      for (const chunk of early ?? []) subscriber.next(chunk);
      if (this.end === null) subscriber.complete();
      else if (this.end !== undefined) subscriber.error(this.end);
      else this.subscribers.add(subscriber);
      return () => this.subscribers.delete(subscriber);
    });
  }

  /** Bytes of one message from the socket. */
  receive(data: unknown): void {
    if (!isArrayBuffer(data)) {
      // MQTT-6.0.0-1: packets travel in binary frames; any other frame closes the connection.
      this.finish(new Error('WebSocket text frame received: MQTT packets must be sent in binary frames (MQTT-6.0.0-1)'));
      this.close();
      return;
    }
    const chunk = new Uint8Array(data);
    if (this.early !== undefined) this.early.push(chunk);
    for (const subscriber of this.subscribers) subscriber.next(chunk);
  }

  /** The connection ended: `null` when cleanly, else with the error. First call wins. */
  finish(end: Error | null): void {
    if (this.end !== undefined) return;
    this.end = end;
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of subscribers) {
      if (end === null) subscriber.complete();
      else subscriber.error(end);
    }
  }

  send(bytes: Uint8Array): void {
    if (this.socket.readyState === OPEN) this.socket.send(onArrayBuffer(bytes));
  }

  close(): void {
    if (this.socket.readyState === OPEN) this.socket.close(1000);
  }
}

/**
 * A WebSocket transport over any WebSocket implementation: subprotocol `mqtt`, binary
 * frames, `binaryType` `'arraybuffer'`. `ws:`/`wss:` URLs, default ports 80/443, and the
 * path `/mqtt` when the URL has none. Browser-safe; `websocket()` of each entry
 * calls it with that environment's `WebSocket`.
 *
 * @example
 * ```ts
 * const transport = websocketTransport((url, protocols) => new WebSocket(url, protocols));
 * ```
 * @param create opens a WebSocket.
 * @returns the Transport; each subscription opens one connection.
 */
export function websocketTransport(create: WebSocketFactory): Transport {
  return (url) =>
    new Observable<Duplex>((subscriber) => {
      const target = new URL(url.href);
      if (target.pathname === '' || target.pathname === '/') target.pathname = '/mqtt';
      const href = target.href;
      const socket = create(href, ['mqtt']);
      socket.binaryType = 'arraybuffer';
      let duplex: WebSocketDuplex | undefined;
      socket.onopen = () => {
        duplex = new WebSocketDuplex(socket);
        subscriber.next(duplex);
      };
      socket.onmessage = (event: MessageEventLike) => duplex?.receive(event.data);
      socket.onerror = (event: ErrorEventLike) => {
        const error = errorOf(event, href);
        if (duplex === undefined) subscriber.error(error);
        else duplex.finish(error);
      };
      socket.onclose = (event: CloseEventLike) => {
        const error = event.wasClean
          ? null
          : new Error(`WebSocket to ${href} closed abnormally (code ${event.code}${event.reason === '' ? '' : `, ${event.reason}`})`);
        if (duplex === undefined) subscriber.error(error ?? new Error(`WebSocket to ${href} closed before it opened (code ${event.code})`));
        else duplex.finish(error);
      };
      return () => {
        if (duplex !== undefined) {
          duplex.close();
          return;
        }
        socket.onerror = null;
        socket.onopen = null;
        // Closing a CONNECTING socket is allowed; it reports an error we no longer listen to.
        socket.close();
      };
    });
}
