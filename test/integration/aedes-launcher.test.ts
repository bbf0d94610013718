import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { startAedes, type AedesBroker } from '../support/aedes.js';
import { CONNACK_ACCEPTED, connectPacket, exchangeConnect } from '../support/mqtt-bytes.js';

/** Sends CONNECT over WebSocket (subprotocol mqtt) and resolves with the first 4 bytes back. */
function exchangeConnectOverWebSocket(port: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, ['mqtt']);
    ws.once('open', () => ws.send(connectPacket('rxmqtt_launcher_ws')));
    // aedes writes a packet in pieces, and each piece becomes its own WebSocket frame.
    const received: number[] = [];
    ws.on('message', (data: Buffer) => {
      received.push(...data);
      if (received.length < 4) return;
      ws.terminate();
      resolve(Uint8Array.from(received.slice(0, 4)));
    });
    ws.once('error', reject);
  });
}

/** Connects a raw client: `acked` resolves on its CONNACK, `closed` when the broker closes it. */
function connectedClient(port: number): { acked: Promise<void>; closed: Promise<void> } {
  const socket = connect({ host: '127.0.0.1', port }, () => socket.write(connectPacket('rxmqtt_dropped')));
  socket.on('error', () => undefined);
  return {
    acked: new Promise((resolve) => socket.once('data', () => resolve())),
    closed: new Promise((resolve) => socket.once('close', () => resolve())),
  };
}

describe('aedes launcher (test/support/aedes.ts)', () => {
  let broker: AedesBroker;
  beforeAll(async () => {
    broker = await startAedes();
  });
  afterAll(() => broker.stop());

  it('answers a hand-made CONNECT with CONNACK accepted over TCP', async () => {
    expect(await exchangeConnect(broker.port)).toEqual(CONNACK_ACCEPTED);
  });

  it('answers a hand-made CONNECT with CONNACK accepted over WebSocket', async () => {
    expect(await exchangeConnectOverWebSocket(broker.wsPort)).toEqual(CONNACK_ACCEPTED);
  });

  it('dropClients() closes connected clients and keeps serving', async () => {
    const client = connectedClient(broker.port);
    await client.acked;
    await broker.dropClients();
    await client.closed;
    expect(await exchangeConnect(broker.port)).toEqual(CONNACK_ACCEPTED);
  });

  it('restart() serves again on the same ports', async () => {
    const { port, wsPort } = broker;
    await broker.restart();
    expect([broker.port, broker.wsPort]).toEqual([port, wsPort]);
    expect(await exchangeConnect(broker.port)).toEqual(CONNACK_ACCEPTED);
    expect(await exchangeConnectOverWebSocket(broker.wsPort)).toEqual(CONNACK_ACCEPTED);
  });

  it('stop() ends the broker: the port refuses', async () => {
    const other = await startAedes();
    await other.stop();
    await other.stop();
    await expect(exchangeConnect(other.port)).rejects.toEqual(expect.objectContaining({ code: 'ECONNREFUSED' }));
  });
});
