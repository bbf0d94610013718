import { Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tls } from '../../src/transport/tls.js';
import { generateCerts, type TestCerts } from '../support/certs.js';
import { collect, firstBytes, openDuplex, openError } from './open-duplex.js';

let certs: TestCerts;
let server: Server;
let port: number;
const sockets = new Set<TLSSocket>();

beforeAll(async () => {
  certs = generateCerts();
  server = createServer({ cert: certs.cert, key: certs.key }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => socket.write(chunk));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
  certs.cleanup();
});

afterEach(() => jest.restoreAllMocks());

describe('tls transport', () => {
  it('connects when the server certificate chains to the given CA, and carries bytes both ways', async () => {
    const { duplex, subscription } = await openDuplex(tls({ ca: certs.ca }), `mqtts://127.0.0.1:${port}`);
    const received = firstBytes(duplex.incoming, 2);
    duplex.send(Uint8Array.from([0xc0, 0x00]));
    expect(await received).toEqual([0xc0, 0x00]);
    subscription.unsubscribe();
  });

  it('checks the host name against the certificate (localhost) and accepts the CA as bytes', async () => {
    const ca = new TextEncoder().encode(certs.ca);
    const { duplex, subscription } = await openDuplex(tls({ ca: [ca] }), `tls://localhost:${port}`);
    const received = collect(duplex.incoming);
    subscription.unsubscribe();
    expect((await received).end).toEqual({ complete: true });
  });

  it('fails with a certificate error without the CA', async () => {
    const error = await openError(tls(), `mqtts://127.0.0.1:${port}`);
    expect(error).toEqual(expect.objectContaining({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }));
  });

  it('fails when the host name does not match the certificate', async () => {
    const error = await openError(tls({ ca: certs.ca, servername: 'broker.example' }), `mqtts://127.0.0.1:${port}`);
    expect(error).toEqual(expect.objectContaining({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }));
  });

  it('connects without the CA when rejectUnauthorized is false', async () => {
    const { subscription } = await openDuplex(tls({ rejectUnauthorized: false }), `mqtts://127.0.0.1:${port}`);
    subscription.unsubscribe();
  });

  it('sets TCP_NODELAY by default, not with noDelay: false', async () => {
    const setNoDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    const on = await openDuplex(tls({ ca: certs.ca }), `mqtts://127.0.0.1:${port}`);
    expect(setNoDelay).toHaveBeenLastCalledWith(true);
    on.subscription.unsubscribe();
    const off = await openDuplex(tls({ ca: certs.ca, noDelay: false }), `mqtts://127.0.0.1:${port}`);
    expect(setNoDelay).toHaveBeenLastCalledWith(false);
    off.subscription.unsubscribe();
  });
});
