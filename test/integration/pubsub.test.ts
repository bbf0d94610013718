import { forkJoin, lastValueFrom } from 'rxjs';
import { type MqttClient, type MqttMessage, type PacketEvent } from '../../src/index.js';
import { useAedes } from '../support/aedes-suite.js';
import { collect, collectUntil } from '../support/collect.js';
import { nextPacket, nextPackets } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

const SENTINEL = new TextEncoder().encode('--sentinel--');
const isSentinel = (m: MqttMessage): boolean => Buffer.from(m.payload).equals(SENTINEL);

/** Payloads that would show a codec slip: empty, every byte value, multi-byte lengths, > 64 KiB. */
function payloads(): Uint8Array[] {
  const every = Uint8Array.from({ length: 256 }, (_, i) => i);
  const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) & 0xff);
  return [new Uint8Array(0), Uint8Array.of(0), every, new TextEncoder().encode('héllo ✓'), big];
}

describe('pub/sub through aedes (MQTT 3.1.1)', () => {
  const suite = useAedes();

  /** A client, connected. */
  async function connected(options = {}): Promise<MqttClient> {
    const client = suite.pool.connect(suite.url, options);
    await waitFor(client.state$, 'connected');
    return client;
  }

  describe.each([0, 1, 2] as const)('at QoS %i', (qos) => {
    it('delivers every payload byte for byte, each message once, with its QoS', async () => {
      const [subscriber, publisher] = await Promise.all([connected(), connected()]);
      const topic = uniqueTopic(`qos${qos}`);
      const suback = nextPacket(subscriber, 'suback');
      const received = collectUntil(subscriber.topic(topic, { qos: 2 }), isSentinel);
      expect((await suback).granted).toEqual([2]);

      const sent = payloads();
      const results = await lastValueFrom(
        forkJoin([...sent, SENTINEL].map((payload) => publisher.publish(topic, payload, { qos }))),
      );
      const messages = await received;

      expect(messages.map((m) => Buffer.from(m.payload))).toEqual(sent.map((p) => Buffer.from(p)));
      expect(messages.every((m) => m.topic === topic && m.qos === qos && !m.retain && !m.dup)).toBe(true);
      expect(messages.every((m) => m.payload instanceof Uint8Array)).toBe(true);
      for (const result of results) {
        expect(result.reasonCode).toBe(0);
        if (qos === 0) expect(result.packetId).toBeUndefined();
        else expect(result.packetId).toEqual(expect.any(Number));
      }
    });
  });

  it('downgrades to the subscription QoS (MQTT-3.8.4-6): QoS 2 sent, QoS 1 subscribed, QoS 1 received', async () => {
    const [subscriber, publisher] = await Promise.all([connected(), connected()]);
    const topic = uniqueTopic('downgrade');
    const suback = nextPacket(subscriber, 'suback');
    const received = collect(subscriber.topic(topic, { qos: 1 }), 1);
    await suback;
    await lastValueFrom(publisher.publish(topic, 'x', { qos: 2 }));
    expect((await received)[0]?.qos).toBe(1);
  });

  it('delivers a retained message to a later subscriber with the retain flag set (MQTT-3.3.1-6), live ones without (MQTT-3.3.1-9)', async () => {
    const [live, publisher] = await Promise.all([connected(), connected()]);
    const topic = uniqueTopic('retained');
    const suback = nextPacket(live, 'suback');
    const liveMessage = collect(live.topic(topic, { qos: 1 }), 1);
    await suback;
    await lastValueFrom(publisher.publish(topic, 'kept', { qos: 1, retain: true }));
    expect((await liveMessage)[0]).toMatchObject({ topic, retain: false });

    const later = await connected();
    const [retained] = await collect(later.topic(topic, { qos: 1 }), 1);
    expect(retained).toMatchObject({ topic, retain: true, qos: 1 });
    expect(Buffer.from(retained?.payload ?? []).toString()).toBe('kept');

    // An empty retained message clears it (MQTT-3.3.1-10): a new subscriber gets nothing.
    await lastValueFrom(publisher.publish(topic, '', { qos: 1, retain: true }));
    const last = await connected();
    const nothing = collectUntil(last.topic(topic, { qos: 1 }), isSentinel);
    await nextPacket(last, 'suback');
    await lastValueFrom(publisher.publish(topic, SENTINEL, { qos: 1 }));
    expect(await nothing).toEqual([]);
  });

  it('ref-counts a filter: two subscribers share one SUBSCRIBE, and one UNSUBSCRIBE goes out after both left', async () => {
    const [client, publisher] = await Promise.all([connected(), connected()]);
    const out: PacketEvent[] = [];
    client.packets$.subscribe((event) => {
      if (event.direction === 'out') out.push(event);
    });
    const topic = uniqueTopic('refcount');
    const count = (cmd: string): number => out.filter((e) => e.packet.cmd === cmd).length;

    const suback = nextPacket(client, 'suback');
    const first: MqttMessage[] = [];
    const second: MqttMessage[] = [];
    const a = client.topic(topic, { qos: 1 }).subscribe((m) => first.push(m));
    const b = client.topic(topic, { qos: 1 }).subscribe((m) => second.push(m));
    await suback;
    const bothGotIt = collect(client.messages$, 1);
    await lastValueFrom(publisher.publish(topic, 'one', { qos: 1 }));
    await bothGotIt;
    expect([first.length, second.length]).toEqual([1, 1]);
    expect(count('subscribe')).toBe(1);

    a.unsubscribe();
    // A round trip on the same connection: any UNSUBSCRIBE would have gone out before it.
    await lastValueFrom(client.publish(uniqueTopic('ping'), 'x', { qos: 1 }));
    expect(count('unsubscribe')).toBe(0);

    const unsuback = nextPacket(client, 'unsuback');
    b.unsubscribe();
    await unsuback;
    expect(count('unsubscribe')).toBe(1);
    const unsubscribe = out.find((e) => e.packet.cmd === 'unsubscribe')?.packet;
    expect(unsubscribe).toMatchObject({ unsubscriptions: [topic] });
  });

  it('gives streams of overlapping filters each the messages that match them', async () => {
    const [client, publisher] = await Promise.all([connected(), connected()]);
    const base = uniqueTopic('overlap');
    const filters = [`${base}/#`, `${base}/+/c`, `${base}/b/c`];
    const subacks = nextPackets(client, 'suback', filters.length);
    const streams = filters.map((filter) => collectUntil(client.topic(filter, { qos: 1 }), isSentinel));
    await subacks;
    for (const topic of [`${base}/b/c`, `${base}/x/c`, `${base}/b`, `${base}/b/c/d`]) {
      await lastValueFrom(publisher.publish(topic, topic, { qos: 1 }));
    }
    // The sentinel matches all three filters.
    await lastValueFrom(publisher.publish(`${base}/b/c`, SENTINEL, { qos: 1 }));
    const [all, plus, exact] = await Promise.all(streams);
    const topics = (messages: MqttMessage[] | undefined): string[] => (messages ?? []).map((m) => m.topic);
    expect(topics(all)).toEqual([`${base}/b/c`, `${base}/x/c`, `${base}/b`, `${base}/b/c/d`]);
    expect(topics(plus)).toEqual([`${base}/b/c`, `${base}/x/c`]);
    expect(topics(exact)).toEqual([`${base}/b/c`]);
  });

  it('never shows the password in packets$', async () => {
    const password = 'pa55-Wörd';
    const client = suite.pool.connect(suite.url, { username: 'user', password });
    const events: PacketEvent[] = [];
    client.packets$.subscribe((event) => events.push(event));
    await waitFor(client.state$, 'connected');
    const connectPacket = events.find((e) => e.packet.cmd === 'connect')?.packet;
    expect(connectPacket).toMatchObject({ cmd: 'connect', username: 'user' });
    const secret = Buffer.from(password);
    for (const event of events) {
      const packet = event.packet as unknown as Record<string, unknown>;
      for (const value of Object.values(packet)) {
        if (value instanceof Uint8Array) expect(Buffer.from(value).includes(secret)).toBe(false);
        if (typeof value === 'string') expect(value).not.toContain(password);
      }
    }
    expect(JSON.stringify(events)).not.toContain(password);
  });
});
