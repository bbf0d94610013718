import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../support/free-port.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

/** A TCP server on 127.0.0.1 that records what each connection sends and can answer. */
interface Upstream {
  readonly port: number;
  readonly sockets: Socket[];
  /** Bytes received, per connection. */
  readonly received: Buffer[][];
  close(): Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  const sockets: Socket[] = [];
  const received: Buffer[][] = [];
  const server: Server = createServer((socket) => {
    const mine: Buffer[] = [];
    sockets.push(socket);
    received.push(mine);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => mine.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    sockets,
    received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `check` every 5 ms until it holds; fails after `ms` (a bound, not a timing). */
async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A client socket through the proxy, recording what it receives and how it ends. */
interface Client {
  readonly socket: Socket;
  readonly data: Buffer[];
  readonly ended: { closed: boolean; error?: Error };
}

async function open(port: number): Promise<Client> {
  const socket = connect({ host: '127.0.0.1', port });
  const data: Buffer[] = [];
  const ended: Client['ended'] = { closed: false };
  socket.on('data', (chunk: Buffer) => data.push(chunk));
  socket.on('error', (error) => (ended.error = error));
  socket.on('close', () => (ended.closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, data, ended };
}

const total = (chunks: Buffer[]): number => chunks.reduce((n, c) => n + c.length, 0);

describe('fault proxy', () => {
  let upstream: Upstream;
  let proxy: FaultProxy;
  const clients: Client[] = [];

  beforeEach(async () => {
    upstream = await startUpstream();
    proxy = await startFaultProxy(upstream.port);
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await proxy.close();
    await upstream.close();
  });

  const client = async (): Promise<Client> => {
    const c = await open(proxy.port);
    clients.push(c);
    return c;
  };

  it('forwards both ways and counts connections and bytes', async () => {
    const c = await client();
    c.socket.write('hello');
    await until(() => total(upstream.received[0] ?? []) === 5, 'bytes upstream');
    upstream.sockets[0]!.write('world!');
    await until(() => total(c.data) === 6, 'bytes downstream');
    expect(Buffer.concat(upstream.received[0]!).toString()).toBe('hello');
    expect(Buffer.concat(c.data).toString()).toBe('world!');
    expect(proxy.stats).toMatchObject({ connections: 1, open: 1, cuts: 0, bytesUp: 5, bytesDown: 6, held: 0 });
    expect(proxy.url).toBe(`mqtt://127.0.0.1:${proxy.port}`);
  });

  it('cutAll() resets every pair: both ends see the connection die', async () => {
    const a = await client();
    const b = await client();
    await until(() => upstream.sockets.length === 2, 'two upstream connections');
    const upstreamClosed = upstream.sockets.map(() => false);
    upstream.sockets.forEach((s, i) => s.once('close', () => (upstreamClosed[i] = true)));
    expect(proxy.cutAll()).toBe(2);
    await until(() => a.ended.closed && b.ended.closed && upstreamClosed.every(Boolean), 'both ends closed');
    expect(a.ended.error).toMatchObject({ code: 'ECONNRESET' });
    expect(proxy.stats).toMatchObject({ connections: 2, open: 0, cuts: 2 });
    // New connections still pass.
    const c = await client();
    c.socket.write('again');
    await until(() => total(upstream.received[2] ?? []) === 5, 'bytes on a new connection');
  });

  it('stall(true) holds bytes both ways; stall(false) delivers them in order', async () => {
    const c = await client();
    await until(() => upstream.sockets.length === 1, 'upstream connection');
    proxy.stall(true);
    c.socket.write('one ');
    c.socket.write('two');
    upstream.sockets[0]!.write('down');
    await until(() => proxy.stats.held === 11, 'bytes held');
    expect(total(upstream.received[0]!)).toBe(0);
    expect(total(c.data)).toBe(0);
    proxy.stall(false);
    await until(() => total(upstream.received[0]!) === 7 && total(c.data) === 4, 'held bytes delivered');
    expect(Buffer.concat(upstream.received[0]!).toString()).toBe('one two');
    expect(Buffer.concat(c.data).toString()).toBe('down');
    expect(proxy.stats.held).toBe(0);
  });

  it('a connection opened while stalled is held too, and passes once resumed', async () => {
    proxy.stall(true);
    const c = await client();
    c.socket.write('early');
    await until(() => proxy.stats.held === 5, 'bytes held');
    proxy.stall(false);
    await until(() => total(upstream.received[0] ?? []) === 5, 'bytes delivered');
  });

  it('while stalled, the broker closing is not passed on; once resumed, the client side closes too', async () => {
    const c = await client();
    await until(() => upstream.sockets.length === 1, 'upstream connection');
    proxy.stall(true);
    upstream.sockets[0]!.destroy();
    await until(() => upstream.sockets[0]!.destroyed, 'upstream destroyed');
    // Give the close every chance to leak through: several loop turns.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(c.ended.closed).toBe(false);
    proxy.stall(false);
    await until(() => c.ended.closed, 'client closed after resume');
    await until(() => proxy.stats.open === 0, 'pair freed');
  });

  it('cutAfter(n, "up") lets exactly n client bytes through, then resets the pair', async () => {
    const c = await client();
    const cut = proxy.cutAfter(7, 'up');
    c.socket.write('abc');
    c.socket.write('defghij');
    await cut;
    await until(() => c.ended.closed, 'client closed');
    expect(Buffer.concat(upstream.received[0]!).toString()).toBe('abcdefg');
    expect(proxy.stats).toMatchObject({ cuts: 1, open: 0, bytesUp: 7 });
  });

  it('cutAfter(n, "down") counts only broker → client bytes', async () => {
    const c = await client();
    await until(() => upstream.sockets.length === 1, 'upstream connection');
    const cut = proxy.cutAfter(3, 'down');
    c.socket.write('up bytes are not counted');
    await until(() => total(upstream.received[0]!) === 24, 'up bytes');
    upstream.sockets[0]!.write('12345');
    await cut;
    await until(() => c.ended.closed, 'client closed');
    expect(Buffer.concat(c.data).toString()).toBe('123');
  });

  it('a broker that refuses the connection closes the client side', async () => {
    const port = await freePort();
    const dead = await startFaultProxy(port);
    try {
      const c = await open(dead.port);
      clients.push(c);
      await until(() => c.ended.closed, 'client closed');
      expect(dead.stats.open).toBe(0);
    } finally {
      await dead.close();
    }
  });

  it('close() ends every pair and stops listening', async () => {
    const c = await client();
    await proxy.close();
    await until(() => c.ended.closed, 'client closed');
    await expect(open(proxy.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await proxy.close(); // idempotent
  });
});
