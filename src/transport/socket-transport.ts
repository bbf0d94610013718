import type { Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { Duplex } from './transport.js';

/**
 * Up to this many bytes, the small chunks of one tick are copied into one buffer
 * (carved from Node's Buffer pool): one copy costs less than a socket write each.
 */
const COPY_MAX = 4095;
/** A chunk of this many bytes or more (a large payload) is never copied: it is written as it is. */
const LARGE = 1024;

/** A connected Node socket as a {@link Duplex}. */
class SocketDuplex implements Duplex {
  readonly incoming: Observable<Uint8Array>;
  private failure: Error | undefined;
  private closed = false;

  constructor(private readonly socket: Socket) {
    // Always listen for errors: an 'error' without a listener would crash the process.
    socket.on('error', (error: Error) => {
      this.failure ??= error;
    });
    socket.once('close', () => {
      this.closed = true;
    });
    this.incoming = new Observable<Uint8Array>((subscriber) => {
      if (this.failure !== undefined) {
        subscriber.error(this.failure);
        return undefined;
      }
      if (this.closed) {
        subscriber.complete();
        return undefined;
      }
      const onData = (chunk: Buffer): void => {
        subscriber.next(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      };
      const onError = (error: Error): void => subscriber.error(error);
      // 'close' follows 'end' (peer closed) and our own close(); after an error it comes
      // second, and the subscriber has already been told.
      const onClose = (): void => subscriber.complete();
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('close', onClose);
      return () => {
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('close', onClose);
        // Nobody reads any more: stop the flow so later bytes wait in the socket.
        if (socket.listenerCount('data') === 0) socket.pause();
      };
    });
  }

  /**
   * Gathers the packets of the current tick and writes them, once the tick is over:
   * the packets of a burst (acks for a chunk of PUBLISHes, a loop of publishes) leave
   * in one syscall instead of one each, and the socket's per-write bookkeeping is
   * paid once. Small chunks are joined into one buffer; a large one is written as it
   * is, in a corked writev with the rest, in order. This is I/O batching, not a timer:
   * it never delays bytes past the tick.
   */
  send(bytes: Uint8Array): void {
    if (this.socket.writable) this.queue(bytes);
  }

  /** As `send` of `head` and `body` joined: a large `body` (a payload) is not copied. */
  sendParts(head: Uint8Array, body: Uint8Array): void {
    if (!this.socket.writable) return;
    this.queue(head);
    this.queue(body);
  }

  /** The chunks written in the current tick, not yet handed to the socket. */
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Whether a chunk in `pending` is {@link LARGE}. */
  private pendingLarge = false;

  private queue(bytes: Uint8Array): void {
    const pending = this.pending;
    if (pending.length === 0) process.nextTick(this.flush);
    pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (bytes.length >= LARGE) this.pendingLarge = true;
  }

  private readonly flush = (): void => {
    const pending = this.pending;
    const n = pending.length;
    if (n === 0) return;
    const socket = this.socket;
    const total = this.pendingBytes;
    const large = this.pendingLarge;
    this.pendingBytes = 0;
    this.pendingLarge = false;
    if (!socket.writable) {
      pending.length = 0;
      return;
    }
    if (n === 1) socket.write(pending[0] as Uint8Array);
    else if (!large && total <= COPY_MAX) socket.write(join(pending, 0, n, total));
    else {
      // One corked writev: each run of small chunks joined, each large chunk as it is.
      socket.cork();
      for (let i = 0; i < n; ) {
        let end = i;
        let bytes = 0;
        for (; end < n; end++) {
          const length = (pending[end] as Uint8Array).length;
          if (length >= LARGE || bytes + length > COPY_MAX) break;
          bytes += length;
        }
        if (end - i > 1) {
          socket.write(join(pending, i, end, bytes));
          i = end;
        } else socket.write(pending[i++] as Uint8Array);
      }
      socket.uncork();
    }
    pending.length = 0;
  };

  /** Flushes what was written (a DISCONNECT, say), sends FIN, then frees the socket. */
  close(): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.flush();
    this.socket.end(() => this.socket.destroy());
  }
}

/** `chunks[start, end)`, `bytes` in all, copied into one buffer. */
function join(chunks: readonly Uint8Array[], start: number, end: number, bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  let pos = 0;
  for (let i = start; i < end; i++) {
    const chunk = chunks[i] as Uint8Array;
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

/**
 * Wraps a Node socket being opened as a Transport Observable: emits one Duplex once
 * `ready` fires, errors with the socket's error if that comes first, and closes the
 * socket on unsubscribe. Shared by {@link tcp} and {@link tls}.
 *
 * @param open starts the connection (called once per subscription).
 * @param ready the event that means the socket can carry MQTT (`connect`, `secureConnect`).
 * @returns the Observable a Transport returns.
 */
export function socketTransport(open: () => Socket, ready: 'connect' | 'secureConnect'): Observable<Duplex> {
  return new Observable<Duplex>((subscriber) => {
    const socket = open();
    let duplex: SocketDuplex | undefined;
    const onError = (error: Error): void => subscriber.error(error);
    socket.once('error', onError);
    socket.once(ready, () => {
      socket.off('error', onError);
      duplex = new SocketDuplex(socket);
      subscriber.next(duplex);
    });
    return () => {
      socket.off('error', onError);
      if (duplex === undefined) {
        // Still connecting (or failed): nothing to flush. Keep a listener so a late
        // error of the destroyed socket is not thrown.
        socket.on('error', () => undefined);
        socket.destroy();
      } else {
        duplex.close();
      }
    };
  });
}
