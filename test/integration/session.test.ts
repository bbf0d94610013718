import { forkJoin, lastValueFrom } from 'rxjs';
import { useAedes } from '../support/aedes-suite.js';
import { collect } from '../support/collect.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

describe('persistent session on aedes (MQTT 3.1.1, clean: false)', () => {
  const suite = useAedes();

  it('receives the QoS 1 messages published while it was away, with sessionPresent true (MQTT-3.2.2-2)', async () => {
    const clientId = `rxmqtt_persist_${process.pid}_a`;
    const topic = uniqueTopic('persist');

    const first = suite.pool.connect(suite.url, { clientId, clean: false });
    expect((await waitFor(first.state$, 'connected')).sessionPresent).toBe(false);
    const suback = nextPacket(first, 'suback');
    const sub = first.topic(topic, { qos: 1 }).subscribe();
    await suback;
    await suite.pool.end(first);
    sub.unsubscribe();

    const publisher = suite.pool.connect(suite.url);
    const sent = ['one', 'two', 'three'];
    await lastValueFrom(forkJoin(sent.map((m) => publisher.publish(topic, m, { qos: 1 }))));

    const again = suite.pool.connect(suite.url, { clientId, clean: false });
    const queued = collect(again.messages$, sent.length);
    const connected = await waitFor(again.state$, 'connected');
    expect(connected.sessionPresent).toBe(true);
    const messages = await queued;
    expect(messages.map((m) => Buffer.from(m.payload).toString())).toEqual(sent);
    expect(messages.every((m) => m.topic === topic && m.qos === 1)).toBe(true);

    // The subscription is still the broker's: a topic() stream on it gets new messages.
    const live = collect(again.topic(topic, { qos: 1 }), 1);
    await nextPacket(again, 'suback');
    await lastValueFrom(publisher.publish(topic, 'live', { qos: 1 }));
    expect(Buffer.from((await live)[0]?.payload ?? []).toString()).toBe('live');
  });

  it('starts afresh with clean: true (sessionPresent false, nothing queued)', async () => {
    const clientId = `rxmqtt_persist_${process.pid}_b`;
    const topic = uniqueTopic('clean');
    const first = suite.pool.connect(suite.url, { clientId, clean: false });
    await waitFor(first.state$, 'connected');
    const suback = nextPacket(first, 'suback');
    const sub = first.topic(topic, { qos: 1 }).subscribe();
    await suback;
    await suite.pool.end(first);
    sub.unsubscribe();

    const clean = suite.pool.connect(suite.url, { clientId, clean: true });
    expect((await waitFor(clean.state$, 'connected')).sessionPresent).toBe(false);
  });
});
