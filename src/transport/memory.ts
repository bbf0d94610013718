import { Observable, type Subscriber } from 'rxjs';
import type { Duplex, Transport } from './transport.js';

/**
 * One end of an in-process byte pipe ({@link memoryPair}): a {@link Duplex} that can
 * also fail, to simulate a network error.
 */
export interface MemoryDuplex extends Duplex {
  /** Whether either end has closed or failed the pipe. */
  readonly closed: boolean;
  /**
   * Ends the pipe with a failure: the other end's `incoming` errors with `error`,
   * this end's `incoming` completes. Does nothing once the pipe is closed.
   *
   * @param error what the other end sees, e.g. `new Error('ECONNRESET')`.
   */
  fail(error: Error): void;
}

/** The two ends of an in-process byte pipe. */
export interface MemoryPair {
  /** The end a client uses. */
  readonly client: MemoryDuplex;
  /** The end a server uses. */
  readonly server: MemoryDuplex;
}

/** What ended one direction of the pipe: `{}` for a close, `{ error }` for a failure. */
interface End {
  readonly error?: Error;
}

/**
 * Runs tasks one at a time, in order: a task queued while another runs (a reply sent
 * from inside a receive handler) waits until the running one returns, then runs in
 * the same call stack. Delivery stays synchronous but never re-entrant, like a
 * socket that hands over one chunk at a time.
 */
class Trampoline {
  private readonly queue: (() => void)[] = [];
  private running = false;

  run(task: () => void): void {
    this.queue.push(task);
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) next();
    } finally {
      this.running = false;
    }
  }
}

/** One direction of the pipe: bytes buffered until someone reads, then handed over. */
class Channel {
  private readonly buffer: Uint8Array[] = [];
  private readonly readers = new Set<Subscriber<Uint8Array>>();
  private end: End | undefined;
  readonly incoming: Observable<Uint8Array>;

  constructor(private readonly trampoline: Trampoline) {
    this.incoming = new Observable<Uint8Array>((reader) => {
      this.readers.add(reader);
      this.trampoline.run(() => this.drain());
      return () => this.readers.delete(reader);
    });
  }

  push(bytes: Uint8Array): void {
    this.buffer.push(bytes);
    this.drain();
  }

  finish(end: End): void {
    this.end = end;
    this.drain();
  }

  /** Hands buffered bytes to the readers, then the end once everything is read. */
  private drain(): void {
    while (this.readers.size > 0 && this.buffer.length > 0) {
      const bytes = this.buffer.shift()!;
      for (const reader of [...this.readers]) reader.next(bytes);
    }
    if (this.end === undefined || this.buffer.length > 0) return;
    for (const reader of [...this.readers]) {
      this.readers.delete(reader);
      if (this.end.error !== undefined) reader.error(this.end.error);
      else reader.complete();
    }
  }
}

/** The shared state of both ends. */
class Pipe {
  readonly trampoline = new Trampoline();
  readonly toServer = new Channel(this.trampoline);
  readonly toClient = new Channel(this.trampoline);
  closed = false;
}

/** One end of a {@link Pipe}. */
class PipeEnd implements MemoryDuplex {
  readonly incoming: Observable<Uint8Array>;

  constructor(
    private readonly pipe: Pipe,
    private readonly inbound: Channel,
    private readonly outbound: Channel,
  ) {
    this.incoming = inbound.incoming;
  }

  get closed(): boolean {
    return this.pipe.closed;
  }

  send(bytes: Uint8Array): void {
    if (this.pipe.closed) return;
    this.pipe.trampoline.run(() => this.outbound.push(bytes));
  }

  close(): void {
    this.shut({}, {});
  }

  fail(error: Error): void {
    this.shut({ error }, {});
  }

  /** Ends both directions, after every byte already sent has been delivered. */
  private shut(outboundEnd: End, inboundEnd: End): void {
    if (this.pipe.closed) return;
    this.pipe.closed = true;
    this.pipe.trampoline.run(() => {
      this.outbound.finish(outboundEnd);
      this.inbound.finish(inboundEnd);
    });
  }
}

/**
 * An in-process byte pipe between a client end and a server end, synchronous so that
 * it runs inside `TestScheduler.run()` virtual time: `send` on one end hands the bytes
 * to the other end's `incoming` subscribers before it returns (no Promise, microtask
 * or timer). A send made from inside a receive handler is delivered right after that
 * handler returns, still synchronously: delivery is never re-entrant.
 *
 * The same `Uint8Array` is handed over, not a copy: do not mutate bytes after sending
 * them. Bytes sent before the other end subscribes to `incoming` wait in a buffer and
 * go to its first subscriber. `close()` on either end completes both `incoming`
 * streams (after the bytes already sent); `fail(error)` errors the other end's
 * `incoming`. Both are idempotent, and `send` after either is ignored.
 *
 * @example
 * ```ts
 * const { client, server } = memoryPair();
 * server.incoming.subscribe((bytes) => server.send(bytes)); // an echo server
 * client.incoming.subscribe((bytes) => console.log(bytes));  // logs [1, 2, 3] at once
 * client.send(Uint8Array.of(1, 2, 3));
 * ```
 * @returns the two ends.
 */
export function memoryPair(): MemoryPair {
  const pipe = new Pipe();
  return {
    client: new PipeEnd(pipe, pipe.toClient, pipe.toServer),
    server: new PipeEnd(pipe, pipe.toServer, pipe.toClient),
  };
}

/**
 * A {@link Transport} to an in-process server, for tests: each subscription makes a
 * {@link memoryPair}, hands the server end to `accept` and emits the client end at
 * once (synchronously). `accept` may throw to refuse the connection: the Transport's
 * Observable then errors with what it threw. Unsubscribing closes the pair.
 *
 * @example
 * ```ts
 * const echo = memory((server) => server.incoming.subscribe((bytes) => server.send(bytes)));
 * const client = connect('mqtt://test', { transport: echo });
 * ```
 * @param accept called with the server end and the URL of each new connection.
 * @returns the Transport.
 */
export function memory(accept: (server: MemoryDuplex, url: URL) => void): Transport {
  return (url) =>
    new Observable<Duplex>((subscriber) => {
      const { client, server } = memoryPair();
      try {
        accept(server, url);
      } catch (error) {
        client.close();
        subscriber.error(error);
        return undefined;
      }
      subscriber.next(client);
      return () => client.close();
    });
}
