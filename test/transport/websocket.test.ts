import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { websocket } from '../../src/transport/websocket.node.js';
import { websocket as browserWebsocket } from '../../src/transport/websocket.js';
import { collect, firstBytes, openDuplex, openError } from './open-duplex.js';
import { freePort } from '../support/free-port.js';

/** A `ws` server on 127.0.0.1:0 that speaks subprotocol `mqtt` (or, with `protocol: false`, none). */
async function listen(
  onConnection: (ws: WebSocket, request: IncomingMessage) => void,
  protocol: 'mqtt' | false = 'mqtt',
): Promise<{ wss: WebSocketServer; url: string; stop(): Promise<void> }> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocol !== false && protocols.has(protocol) ? protocol : false),
  });
  wss.on('connection', onConnection);
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  return {
    wss,
    url,
    stop: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

describe('websocket transport (Node, ws)', () => {
  it('negotiates subprotocol mqtt on path /mqtt by default and sends binary frames', async () => {
    let seen: Promise<{ protocol: string; path: string | undefined; isBinary: boolean; bytes: number[] }> | undefined;
    const server = await listen((ws, request) => {
      seen = new Promise((resolve) =>
        ws.once('message', (data: Buffer, isBinary) =>
          resolve({ protocol: ws.protocol, path: request.url, isBinary, bytes: [...data] }),
        ),
      );
    });
    const { duplex, subscription } = await openDuplex(websocket(), server.url);
    duplex.send(Uint8Array.from([0xc0, 0x00]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await seen).toEqual({ protocol: 'mqtt', path: '/mqtt', isBinary: true, bytes: [0xc0, 0x00] });
    subscription.unsubscribe();
    await server.stop();
  });

  it('keeps the path of the URL when it has one', async () => {
    let path: string | undefined;
    const server = await listen((_ws, request) => (path = request.url));
    const { subscription } = await openDuplex(websocket(), `${server.url}/custom/path`);
    expect(path).toBe('/custom/path');
    subscription.unsubscribe();
    await server.stop();
  });

  it('emits binary messages as plain Uint8Array, also those sent before incoming is subscribed', async () => {
    const server = await listen((ws) => {
      ws.send(Uint8Array.from([0x20, 0x02]));
      ws.send(Uint8Array.from([0x00, 0x00]));
    });
    const { duplex, subscription } = await openDuplex(websocket(), server.url);
    await new Promise((resolve) => setTimeout(resolve, 20)); // let both messages arrive unobserved
    const chunks: Uint8Array[] = [];
    const probe = duplex.incoming.subscribe((chunk) => chunks.push(chunk));
    expect(chunks.flatMap((c) => [...c])).toEqual([0x20, 0x02, 0x00, 0x00]);
    expect(Object.getPrototypeOf(chunks[0])).toBe(Uint8Array.prototype);
    probe.unsubscribe();
    subscription.unsubscribe();
    await server.stop();
  });

  it('completes incoming when the server closes cleanly', async () => {
    const server = await listen((ws) => ws.close(1000));
    const { duplex, subscription } = await openDuplex(websocket(), server.url);
    expect((await collect(duplex.incoming)).end).toEqual({ complete: true });
    subscription.unsubscribe();
    await server.stop();
  });

  it('errors incoming when the connection drops without a close frame', async () => {
    const server = await listen((ws) => ws.once('message', () => ws.terminate()));
    const { duplex, subscription } = await openDuplex(websocket(), server.url);
    const received = collect(duplex.incoming);
    duplex.send(Uint8Array.from([0xc0, 0x00]));
    expect((await received).end).toEqual({ error: expect.objectContaining({ message: expect.stringContaining('1006') }) });
    subscription.unsubscribe();
    await server.stop();
  });

  it('closes the connection and errors incoming on a text frame (MQTT-6.0.0-1)', async () => {
    let closed: Promise<number> | undefined;
    const server = await listen((ws) => {
      closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send('not binary');
    });
    const { duplex, subscription } = await openDuplex(websocket(), server.url);
    const received = await collect(duplex.incoming);
    expect(received.end).toEqual({ error: expect.objectContaining({ message: expect.stringContaining('MQTT-6.0.0-1') }) });
    expect(await closed).toBe(1000);
    subscription.unsubscribe();
    await server.stop();
  });

  it('closes the connection when the Transport is unsubscribed; close() is idempotent, send after it ignored', async () => {
    let closed: Promise<number> | undefined;
    const server = await listen((ws) => {
      closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    });
    const { duplex, subscription } = await openDuplex(websocket(), server.url);
    const received = collect(duplex.incoming);
    subscription.unsubscribe();
    duplex.close();
    duplex.send(Uint8Array.from([0xc0, 0x00]));
    expect(await closed).toBe(1000);
    expect((await received).end).toEqual({ complete: true });
    await server.stop();
  });

  it('fails to open when the server does not speak subprotocol mqtt', async () => {
    const server = await listen(() => undefined, false);
    const error = await openError(websocket(), server.url);
    expect(error).toEqual(expect.objectContaining({ message: expect.stringContaining('subprotocol') }));
    await server.stop();
  });

  it('fails to open with ECONNREFUSED when nothing listens', async () => {
    const port = await freePort();
    const error = await openError(websocket(), `ws://127.0.0.1:${port}`);
    expect(error).toEqual(expect.objectContaining({ code: 'ECONNREFUSED' }));
  });

  it('fails to open on an HTTP error answer to the handshake', async () => {
    const server = await listen(() => undefined);
    server.wss.options.verifyClient = () => false;
    const error = await openError(websocket(), server.url);
    expect(error).toEqual(expect.objectContaining({ message: expect.stringContaining('401') }));
    await server.stop();
  });
});

describe('websocket transport (browser, global WebSocket)', () => {
  const original = globalThis.WebSocket;
  afterEach(() => {
    globalThis.WebSocket = original;
  });

  it('uses the global WebSocket: mqtt subprotocol, binary both ways', async () => {
    globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
    const server = await listen((ws) => ws.on('message', (data: Buffer, isBinary) => ws.send(data, { binary: isBinary })));
    const { duplex, subscription } = await openDuplex(browserWebsocket(), server.url);
    const echoed = firstBytes(duplex.incoming, 2);
    duplex.send(Uint8Array.from([0xc0, 0x00]));
    expect(await echoed).toEqual([0xc0, 0x00]);
    subscription.unsubscribe();
    await server.stop();
  });

  it('fails with a TypeError on subscribe when there is no global WebSocket', async () => {
    Reflect.deleteProperty(globalThis, 'WebSocket');
    const error = await openError(browserWebsocket(), 'ws://127.0.0.1:1');
    expect(error).toBeInstanceOf(TypeError);
  });
});
