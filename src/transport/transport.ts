import type { Observable } from 'rxjs';

/**
 * An open byte connection to a server.
 *
 * `incoming` emits bytes as they arrive, completes when the peer closes and errors on
 * failure. `send` writes bytes; `close` ends the connection (idempotent).
 */
export interface Duplex {
  /** Bytes as they arrive; completes when the peer closes, errors on failure. */
  readonly incoming: Observable<Uint8Array>;
  /** Writes bytes to the connection. */
  send(bytes: Uint8Array): void;
  /**
   * Optional: writes `head` then `body` as if they were one `send` of both joined,
   * without joining them. A byte-stream transport (TCP, TLS) offers it so that a
   * large PUBLISH payload reaches the socket without being copied into the packet;
   * one that frames each send (WebSocket: one binary frame per packet) leaves it out,
   * and the client then sends whole packets.
   *
   * @param head the first bytes (a PUBLISH's fixed and variable header).
   * @param body the bytes that follow (its payload); not copied, so not to be mutated.
   */
  sendParts?(head: Uint8Array, body: Uint8Array): void;
  /** Closes the connection; calling it again does nothing. */
  close(): void;
}

/**
 * Opens a byte connection to `url`: emits one {@link Duplex} once open, errors if it
 * cannot open. Unsubscribing closes the connection.
 *
 * @example
 * ```ts
 * const client = connect('mqtt://broker', { transport: tcp() });
 * ```
 */
export type Transport = (url: URL) => Observable<Duplex>;
