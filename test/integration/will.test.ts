import { lastValueFrom } from 'rxjs';
import { type MqttMessage } from '../../src/index.js';
import { abruptTcp } from '../support/abrupt-tcp.js';
import { useAedes } from '../support/aedes-suite.js';
import { collect, collectUntil } from '../support/collect.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

describe('will message through aedes (MQTT 3.1.1)', () => {
  const suite = useAedes();

  it('is published when the connection is lost without DISCONNECT (MQTT-3.1.2-8)', async () => {
    const topic = uniqueTopic('will');
    const watcher = suite.pool.connect(suite.url);
    await waitFor(watcher.state$, 'connected');
    const suback = nextPacket(watcher, 'suback');
    const will = collect(watcher.topic(topic, { qos: 1 }), 1);
    await suback;

    const wire = abruptTcp();
    const payload = Uint8Array.of(0, 1, 2, 0xff);
    const client = suite.pool.connect(suite.url, {
      transport: wire.transport,
      will: { topic, payload, qos: 1 },
      reconnect: false,
    });
    await waitFor(client.state$, 'connected');
    const closed = waitFor(client.state$, 'closed');
    wire.drop();

    const [message] = await will;
    expect(message).toMatchObject({ topic, qos: 1, retain: false });
    expect(Buffer.from(message?.payload ?? []).equals(Buffer.from(payload))).toBe(true);
    // reconnect: false — the lost connection closes the client, with the error.
    expect((await closed).error).toBeInstanceOf(Error);
  });

  it('is retained when asked (will retain)', async () => {
    const topic = uniqueTopic('will-retained');
    const wire = abruptTcp();
    const client = suite.pool.connect(suite.url, { transport: wire.transport, will: { topic, payload: 'gone', qos: 1, retain: true } });
    await waitFor(client.state$, 'connected');
    const reconnecting = waitFor(client.state$, 'reconnecting');
    wire.drop();
    await reconnecting;

    const later = suite.pool.connect(suite.url);
    const [message] = await collect(later.topic(topic, { qos: 1 }), 1);
    expect(message).toMatchObject({ topic, retain: true });
    const publisher = suite.pool.connect(suite.url);
    await lastValueFrom(publisher.publish(topic, '', { qos: 1, retain: true }));
  });

  it('is not published after end() (DISCONNECT discards it, MQTT-3.14.4-3)', async () => {
    const topic = uniqueTopic('no-will');
    const watcher = suite.pool.connect(suite.url);
    await waitFor(watcher.state$, 'connected');
    const suback = nextPacket(watcher, 'suback');
    const sentinel = 'sentinel';
    const seen = collectUntil(watcher.topic(topic, { qos: 1 }), (m: MqttMessage) => Buffer.from(m.payload).toString() === sentinel);
    await suback;

    const client = suite.pool.connect(suite.url, { will: { topic, payload: 'will', qos: 1 } });
    await waitFor(client.state$, 'connected');
    await suite.pool.end(client);
    await lastValueFrom(watcher.publish(topic, sentinel, { qos: 1 }));
    expect(await seen).toEqual([]);
  });
});
