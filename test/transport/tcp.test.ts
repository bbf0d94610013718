import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { tcp } from '../../src/transport/tcp.js';
import { collect, firstBytes, openDuplex, openError } from './open-duplex.js';
import { freePort } from '../support/free-port.js';

/** A TCP server on 127.0.0.1:0 whose connections are handled by `onConnection`. */
function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; url: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    onConnection(socket);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets }),
    ),
  );
}

function closeServer(server: Server, sockets: Socket[]): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

const echo = (socket: Socket): void => {
  socket.on('data', (chunk) => socket.write(chunk));
  socket.on('error', () => undefined);
};

describe('tcp transport', () => {
  it('emits a Duplex once connected; bytes sent come back from an echo server as plain Uint8Array', async () => {
    const { server, url, sockets } = await listen(echo);
    const { duplex, subscription } = await openDuplex(tcp(), url);
    const received = firstBytes(duplex.incoming, 4);
    let chunk: Uint8Array | undefined;
    const probe = duplex.incoming.subscribe((c) => (chunk ??= c));
    duplex.send(Uint8Array.from([0x10, 0x02, 0x00, 0x04]));
    expect(await received).toEqual([0x10, 0x02, 0x00, 0x04]);
    expect(Object.getPrototypeOf(chunk)).toBe(Uint8Array.prototype);
    expect(Buffer.isBuffer(chunk)).toBe(false);
    probe.unsubscribe();
    subscription.unsubscribe();
    await closeServer(server, sockets);
  });

  it('completes incoming when the peer closes', async () => {
    const { server, url, sockets } = await listen((socket) => socket.end(Uint8Array.from([0xd0, 0x00])));
    const { duplex, subscription } = await openDuplex(tcp(), url);
    const received = await collect(duplex.incoming);
    expect(received.bytes).toEqual([0xd0, 0x00]);
    expect(received.end).toEqual({ complete: true });
    subscription.unsubscribe();
    await closeServer(server, sockets);
  });

  it('errors incoming when the connection is reset', async () => {
    const { server, url, sockets } = await listen((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const { duplex, subscription } = await openDuplex(tcp(), url);
    const receiving = collect(duplex.incoming);
    duplex.send(Uint8Array.from([0xc0, 0x00]));
    const received = await receiving;
    expect(received.end).toEqual({ error: expect.objectContaining({ code: 'ECONNRESET' }) });
    subscription.unsubscribe();
    await closeServer(server, sockets);
  });

  it('errors with ECONNREFUSED when nothing listens', async () => {
    const port = await freePort();
    const error = await openError(tcp(), `mqtt://127.0.0.1:${port}`);
    expect(error).toEqual(expect.objectContaining({ code: 'ECONNREFUSED' }));
  });

  it('closes the socket when the Transport is unsubscribed', async () => {
    let serverSide: Promise<void> | undefined;
    const { server, url, sockets } = await listen((socket) => {
      serverSide = new Promise((resolve) => socket.on('close', () => resolve()));
      socket.resume();
    });
    const { duplex, subscription } = await openDuplex(tcp(), url);
    const received = collect(duplex.incoming);
    subscription.unsubscribe();
    await serverSide;
    expect((await received).end).toEqual({ complete: true });
    await closeServer(server, sockets);
  });

  it('close() flushes what was sent, then ends; is idempotent; send after close is ignored', async () => {
    let got: Promise<number[]> | undefined;
    const { server, url, sockets } = await listen((socket) => {
      got = new Promise((resolve) => {
        const bytes: number[] = [];
        socket.on('data', (chunk) => bytes.push(...chunk));
        socket.on('end', () => resolve(bytes));
      });
    });
    const { duplex, subscription } = await openDuplex(tcp(), url);
    const received = collect(duplex.incoming);
    duplex.send(Uint8Array.from([0xe0, 0x00])); // DISCONNECT
    duplex.close();
    duplex.close();
    duplex.send(Uint8Array.from([0xc0, 0x00]));
    expect(await got).toEqual([0xe0, 0x00]);
    expect((await received).end).toEqual({ complete: true });
    subscription.unsubscribe();
    await closeServer(server, sockets);
  });

  it('connects to the URL host given by name (localhost)', async () => {
    const { server, url, sockets } = await listen(echo);
    const { duplex, subscription } = await openDuplex(tcp(), url.replace('127.0.0.1', 'localhost'));
    const received = firstBytes(duplex.incoming, 2);
    duplex.send(Uint8Array.from([0xc0, 0x00]));
    expect(await received).toEqual([0xc0, 0x00]);
    subscription.unsubscribe();
    await closeServer(server, sockets);
  });

  describe('TCP_NODELAY', () => {
    afterEach(() => jest.restoreAllMocks());

    it('is on by default', async () => {
      const setNoDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
      const { server, url, sockets } = await listen(echo);
      const { subscription } = await openDuplex(tcp(), url);
      expect(setNoDelay).toHaveBeenCalledWith(true);
      subscription.unsubscribe();
      await closeServer(server, sockets);
    });

    it('is off with noDelay: false', async () => {
      const setNoDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
      const { server, url, sockets } = await listen(echo);
      const { subscription } = await openDuplex(tcp({ noDelay: false }), url);
      expect(setNoDelay).toHaveBeenCalledWith(false);
      expect(setNoDelay).not.toHaveBeenCalledWith(true);
      subscription.unsubscribe();
      await closeServer(server, sockets);
    });
  });
});
