import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { tcp } from '../../src/transport/tcp.js';
import { openDuplex } from './open-duplex.js';

/** A server that resolves with every byte of its first connection once the client ends it. */
function sink(): Promise<{ server: Server; url: string; bytes: Promise<Buffer> }> {
  let resolveBytes: (bytes: Buffer) => void = () => undefined;
  const bytes = new Promise<Buffer>((resolve) => (resolveBytes = resolve));
  const server = createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      resolveBytes(Buffer.concat(chunks));
      socket.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, bytes }),
    ),
  );
}

function filled(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i + seed) & 0xff;
  return bytes;
}

describe('socket transport: sends of one tick', () => {
  afterEach(() => jest.restoreAllMocks());

  it('sendParts and send, small and large, mixed in one tick: every byte arrives in order', async () => {
    const { server, url, bytes } = await sink();
    const { duplex, subscription } = await openDuplex(tcp(), url);
    expect(duplex.sendParts).toBeDefined();
    const sent: Uint8Array[] = [];
    const send = (b: Uint8Array): void => {
      sent.push(b);
      duplex.send(b);
    };
    const parts = (head: Uint8Array, body: Uint8Array): void => {
      sent.push(head, body);
      duplex.sendParts!(head, body);
    };
    send(filled(4, 1));
    parts(filled(12, 2), filled(4096, 3));
    for (let i = 0; i < 40; i++) send(filled(200, 10 + i)); // small runs over the copy limit
    parts(filled(9, 4), filled(20, 5)); // a small body is joined with its neighbours
    send(filled(10_000, 6));
    parts(filled(12, 7), filled(1024, 8));
    send(filled(2, 9));
    duplex.close();
    expect(await bytes).toEqual(Buffer.concat(sent));
    subscription.unsubscribe();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('hands a large body to the socket as it is, not a copy', async () => {
    const { server, url, bytes } = await sink();
    const write = jest.spyOn(Socket.prototype, 'write');
    const { duplex, subscription } = await openDuplex(tcp(), url);
    const head = filled(7, 1);
    const body = filled(4096, 2);
    duplex.sendParts!(head, body);
    duplex.sendParts!(head, body);
    duplex.close();
    expect(await bytes).toEqual(Buffer.concat([head, body, head, body]));
    expect(write.mock.calls.filter(([chunk]) => chunk === body)).toHaveLength(2);
    subscription.unsubscribe();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('one tick of small sends leaves in one write', async () => {
    const { server, url, bytes } = await sink();
    const write = jest.spyOn(Socket.prototype, 'write');
    const { duplex, subscription } = await openDuplex(tcp(), url);
    const before = write.mock.calls.length;
    duplex.send(filled(4, 1));
    duplex.sendParts!(filled(5, 2), filled(100, 3));
    duplex.send(filled(4, 4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(write.mock.calls.length - before).toBe(1);
    duplex.close();
    expect((await bytes).length).toBe(113);
    subscription.unsubscribe();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
