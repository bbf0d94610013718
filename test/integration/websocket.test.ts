import { lastValueFrom } from 'rxjs';
import { startAedes, type AedesBroker } from '../support/aedes.js';
import { clientPool } from '../support/client-pool.js';
import { collect } from '../support/collect.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

describe('ws:// through aedes behind a ws server (MQTT 3.1.1)', () => {
  let broker: AedesBroker;
  const pool = clientPool();
  beforeAll(async () => {
    broker = await startAedes();
  });
  afterEach(() => pool.endAll());
  afterAll(() => broker.stop());

  it.each([0, 1, 2] as const)('connects over WebSocket and round-trips a QoS %i message to a TCP client', async (qos) => {
    const ws = pool.connect(`ws://127.0.0.1:${broker.wsPort}/mqtt`);
    const tcp = pool.connect(`mqtt://127.0.0.1:${broker.port}`);
    await Promise.all([waitFor(ws.state$, 'connected'), waitFor(tcp.state$, 'connected')]);
    const topic = uniqueTopic('ws');

    // TCP → WebSocket
    const suback = nextPacket(ws, 'suback');
    const onWs = collect(ws.topic(topic, { qos: 2 }), 1);
    await suback;
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => i & 0xff);
    await lastValueFrom(tcp.publish(topic, big, { qos }));
    const [received] = await onWs;
    expect(received?.qos).toBe(qos);
    expect(Buffer.from(received?.payload ?? []).equals(Buffer.from(big))).toBe(true);

    // WebSocket → TCP
    const back = uniqueTopic('ws-back');
    const tcpSuback = nextPacket(tcp, 'suback');
    const onTcp = collect(tcp.topic(back, { qos: 2 }), 1);
    await tcpSuback;
    const result = await lastValueFrom(ws.publish(back, 'from ws', { qos }));
    expect(result.reasonCode).toBe(0);
    expect(Buffer.from((await onTcp)[0]?.payload ?? []).toString()).toBe('from ws');
  });
});
