import { connect, createServer, type Server, type Socket } from 'node:net';

/** Which way bytes flow through the proxy: `up` is client → broker, `down` broker → client. */
export type ProxyDirection = 'up' | 'down' | 'both';

/** What the proxy has carried so far. */
export interface ProxyStats {
  /** Client connections accepted. */
  connections: number;
  /** Connection pairs open now. */
  open: number;
  /** Connection pairs cut by `cutAll()` / `cutAfter()`. */
  cuts: number;
  /** Bytes forwarded client → broker. */
  bytesUp: number;
  /** Bytes forwarded broker → client. */
  bytesDown: number;
  /** Bytes held back right now by `stall(true)`. */
  held: number;
}

/** A TCP proxy that breaks connections on demand, between a client and a broker. */
export interface FaultProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** `mqtt://127.0.0.1:${port}`. */
  readonly url: string;
  /** Counters (a live object: read it when needed). */
  readonly stats: Readonly<ProxyStats>;
  /**
   * Cuts every open connection pair at once, with a TCP reset on both sides (as a
   * network failure looks, not a clean close).
   *
   * @returns how many pairs were cut.
   */
  cutAll(): number;
  /**
   * Stops forwarding in both directions, as a network that silently stops carrying
   * packets: bytes are read and held, in order, for the pairs open now and the ones
   * opened while stalled, and a FIN or a close from one side is not passed on either
   * (so each side must notice by itself, by keepalive). `stall(false)` forwards what
   * was held (bytes, then a FIN or close) and resumes.
   *
   * @param on true to stall, false to resume.
   */
  stall(on: boolean): void;
  /**
   * Arms a one-shot cut: once `nBytes` more bytes have passed in `direction`
   * (counted over every pair from now), the pair carrying the last of them is cut
   * right after exactly that byte (mid-packet, if that is where it falls).
   *
   * @param nBytes bytes to let through first (≥ 1).
   * @param direction which way to count; default `'both'`.
   * @returns a promise resolved when the cut has happened.
   */
  cutAfter(nBytes: number, direction?: ProxyDirection): Promise<void>;
  /** Cuts every pair and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** One client connection and its connection to the broker. */
interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Bytes read while stalled (or before the broker side opened), per direction. */
  readonly held: { up: Buffer[]; down: Buffer[] };
  /** A FIN that arrived while stalled, per direction, to pass on when resumed. */
  readonly finHeld: { up: boolean; down: boolean };
  /** Sides that have closed. */
  readonly gone: { client: boolean; upstream: boolean };
  upstreamOpen: boolean;
  closed: boolean;
}

/** A pending `cutAfter`. */
interface CutTrigger {
  remaining: number;
  readonly direction: ProxyDirection;
  readonly done: () => void;
}

/**
 * Starts a TCP proxy on 127.0.0.1 (a free port) in front of `127.0.0.1:targetPort`.
 * Each client connection gets its own connection to the target; when either side
 * closes, so does the other. Stop it with `close()` in `afterAll`.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy(broker.port);
 * const client = connect(proxy.url, { reconnect: { initialDelay: 50 } });
 * proxy.cutAll();                  // the client sees a lost connection
 * await proxy.cutAfter(100, 'up'); // cut after 100 more bytes from the client
 * await proxy.close();
 * ```
 * @param targetPort the broker's port on 127.0.0.1.
 * @returns the running proxy.
 */
export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  const stats: ProxyStats = { connections: 0, open: 0, cuts: 0, bytesUp: 0, bytesDown: 0, held: 0 };
  let stalled = false;
  let closed = false;
  let trigger: CutTrigger | undefined;

  const shut = (pair: Pair, reset: boolean): void => {
    if (pair.closed) return;
    pair.closed = true;
    pairs.delete(pair);
    stats.open--;
    stats.held -= heldBytes(pair);
    pair.held.up.length = 0;
    pair.held.down.length = 0;
    for (const socket of [pair.client, pair.upstream]) {
      if (reset && !socket.destroyed && socket.readyState === 'open') socket.resetAndDestroy();
      else socket.destroy();
    }
  };

  /** Writes `chunk` to the far side of `from`, honouring a pending cut and backpressure. */
  const forward = (pair: Pair, dir: 'up' | 'down', chunk: Buffer): void => {
    const [source, sink] = dir === 'up' ? [pair.client, pair.upstream] : [pair.upstream, pair.client];
    let bytes = chunk;
    let cutNow = false;
    const t = trigger;
    if (t !== undefined && (t.direction === 'both' || t.direction === dir)) {
      if (bytes.length >= t.remaining) {
        bytes = bytes.subarray(0, t.remaining);
        cutNow = true;
      } else {
        t.remaining -= bytes.length;
      }
    }
    if (dir === 'up') stats.bytesUp += bytes.length;
    else stats.bytesDown += bytes.length;
    if (cutNow && t !== undefined) {
      trigger = undefined;
      // Let exactly these bytes reach the peer, then reset both sides.
      sink.write(bytes, () => {
        stats.cuts++;
        shut(pair, true);
        t.done();
      });
      source.pause();
      return;
    }
    if (!sink.write(bytes)) {
      source.pause();
      sink.once('drain', () => {
        if (!pair.closed) source.resume();
      });
    }
  };

  const onData = (pair: Pair, dir: 'up' | 'down', chunk: Buffer): void => {
    if (pair.closed) return;
    if (stalled || (dir === 'up' && !pair.upstreamOpen)) {
      pair.held[dir].push(chunk);
      stats.held += chunk.length;
      return;
    }
    forward(pair, dir, chunk);
  };

  /** A FIN from one side becomes a FIN to the other (after what was forwarded), unless stalled. */
  const onEnd = (pair: Pair, dir: 'up' | 'down'): void => {
    if (pair.closed) return;
    if (stalled || (dir === 'up' && !pair.upstreamOpen)) pair.finHeld[dir] = true;
    else (dir === 'up' ? pair.upstream : pair.client).end();
  };

  /** One side closed: the other follows, gracefully, unless stalled (then it learns when resumed). */
  const onClose = (pair: Pair, side: 'client' | 'upstream'): void => {
    if (pair.closed) return;
    pair.gone[side] = true;
    if (pair.gone.client && pair.gone.upstream) shut(pair, false);
    else if (!stalled) release(pair);
  };

  /** Ends the side still open, and frees the pair once it closes (or after a second at most). */
  const release = (pair: Pair): void => {
    const other = pair.gone.client ? pair.upstream : pair.client;
    other.end();
    setTimeout(() => shut(pair, false), 1000).unref();
  };

  const flush = (pair: Pair): void => {
    for (const dir of ['up', 'down'] as const) {
      if (dir === 'up' && !pair.upstreamOpen) continue;
      const chunks = pair.held[dir].splice(0);
      const sinkGone = dir === 'up' ? pair.gone.upstream : pair.gone.client;
      for (const chunk of chunks) {
        stats.held -= chunk.length;
        if (!pair.closed && !sinkGone) forward(pair, dir, chunk);
      }
      if (pair.finHeld[dir] && !pair.closed) {
        pair.finHeld[dir] = false;
        (dir === 'up' ? pair.upstream : pair.client).end();
      }
    }
    if (!pair.closed && (pair.gone.client || pair.gone.upstream)) release(pair);
  };

  const server: Server = createServer((client) => {
    stats.connections++;
    stats.open++;
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    const pair: Pair = {
      client,
      upstream,
      held: { up: [], down: [] },
      finHeld: { up: false, down: false },
      gone: { client: false, upstream: false },
      upstreamOpen: false,
      closed: false,
    };
    pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Errors (resets, refused) are followed by 'close'; never an unhandled 'error'.
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('data', (chunk: Buffer) => onData(pair, 'up', chunk));
    upstream.on('data', (chunk: Buffer) => onData(pair, 'down', chunk));
    upstream.once('connect', () => {
      pair.upstreamOpen = true;
      if (!stalled) flush(pair);
    });
    client.once('end', () => onEnd(pair, 'up'));
    upstream.once('end', () => onEnd(pair, 'down'));
    client.once('close', () => onClose(pair, 'client'));
    upstream.once('close', () => onClose(pair, 'upstream'));
  });
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stats,
    cutAll() {
      const open = Array.from(pairs);
      for (const pair of open) shut(pair, true);
      stats.cuts += open.length;
      return open.length;
    },
    stall(on) {
      stalled = on;
      if (!on) for (const pair of Array.from(pairs)) flush(pair);
    },
    cutAfter(nBytes, direction = 'both') {
      if (!(nBytes >= 1)) throw new RangeError(`cutAfter needs at least 1 byte, not ${nBytes}`);
      return new Promise<void>((resolve) => {
        trigger = { remaining: nBytes, direction, done: resolve };
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const pair of Array.from(pairs)) shut(pair, false);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function heldBytes(pair: Pair): number {
  let n = 0;
  for (const chunk of pair.held.up) n += chunk.length;
  for (const chunk of pair.held.down) n += chunk.length;
  return n;
}
