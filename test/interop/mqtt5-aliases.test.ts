/**
 * Outbound topic aliases against Mosquitto 2 (it announces Topic Alias Maximum 10 by
 * default, `max_topic_alias` in mosquitto.conf): many topics, more than the maximum,
 * all delivered under the right topic; a resend after a cut carries no alias.
 */
import { forkJoin, lastValueFrom } from 'rxjs';
import type { MqttClient, MqttMessage, Packet, PublishPacket, QoS } from '../../src/index.js';
import { collect } from '../support/collect.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { startMosquitto } from '../support/mosquitto.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(30_000);

const text = (m: MqttMessage): string => Buffer.from(m.payload).toString();

/** Every PUBLISH the client writes, as written (packets$ shows the packet handed to the transport). */
function outgoingPublishes(client: MqttClient): PublishPacket[] {
  const sent: PublishPacket[] = [];
  client.packets$.subscribe(({ direction, packet }: { direction: 'in' | 'out'; packet: Packet }) => {
    if (direction === 'out' && packet.cmd === 'publish') sent.push(packet);
  });
  return sent;
}

describeWithMosquitto('MQTT 5 outbound topic aliases on Mosquitto 2', () => {
  const suite = useMosquitto({ extraConfig: ['max_topic_alias 4'] });

  /** Subscribes a second client to `filter` (QoS 2); resolves once subscribed, with the next `count` messages to come. */
  async function subscribed(filter: string, count: number): Promise<{ received: Promise<MqttMessage[]> }> {
    const subscriber = suite.pool.connect(suite.url, { protocolVersion: 5 });
    await waitFor(subscriber.state$, 'connected');
    const suback = nextPacket(subscriber, 'suback');
    const received = collect(subscriber.topic(filter, { qos: 2 }), count, 20_000);
    await suback;
    return { received };
  }

  it('Mosquitto announces its Topic Alias Maximum in CONNACK (default 10; 4 as configured here)', async () => {
    const plain = await startMosquitto();
    try {
      const probe = suite.pool.connect(`mqtt://127.0.0.1:${plain.port}`, { protocolVersion: 5 });
      expect((await waitFor(probe.state$, 'connected')).connack.properties?.topicAliasMaximum).toBe(10);
      await suite.pool.end(probe);
    } finally {
      await plain.stop();
    }
    const configured = suite.pool.connect(suite.url, { protocolVersion: 5 });
    expect((await waitFor(configured.state$, 'connected')).connack.properties?.topicAliasMaximum).toBe(4);
  });

  it('300 messages over 12 topics (> the maximum of 4) at QoS 0/1/2 arrive under their own topics; aliases used, never above 4 (MQTT-3.2.2-17)', async () => {
    const base = uniqueTopic('aliases');
    const topics = Array.from({ length: 12 }, (_, i) => `${base}/t${i}`);
    // A pattern that both reuses aliases (hot topics) and forces evictions (cold ones).
    const plan = Array.from({ length: 300 }, (_, i) => {
      const topic = i % 3 === 0 ? topics[i % 12]! : topics[i % 2]!;
      return { topic, payload: `${i}@${topic}`, qos: (i % 3) as QoS };
    });
    const { received } = await subscribed(`${base}/#`, plan.length);

    const publisher = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const sent = outgoingPublishes(publisher);
    await waitFor(publisher.state$, 'connected');
    const results = await lastValueFrom(forkJoin(plan.map((m) => publisher.publish(m.topic, m.payload, { qos: m.qos }))));
    expect(results).toHaveLength(plan.length);

    const messages = await received;
    // Every message under the topic it was published to (the payload names it).
    for (const m of messages) expect(`@${m.topic}`).toBe(text(m).slice(text(m).indexOf('@')));
    expect(messages.map(text).sort()).toEqual(plan.map((m) => m.payload).sort());

    const aliases = sent.map((p) => p.properties?.topicAlias);
    expect(aliases.every((a) => a !== undefined && a >= 1 && a <= 4)).toBe(true);
    const empty = sent.filter((p) => p.topic === '').length;
    expect(empty).toBeGreaterThan(plan.length / 2); // most went with the alias alone
    // Each alias was given (with a topic) more than once: evictions happened.
    const bindings = sent.filter((p) => p.topic !== '').length;
    expect(bindings).toBeGreaterThan(4);
  });

  it('topicAliases: false sends full topics', async () => {
    const topic = uniqueTopic('no-aliases');
    const { received } = await subscribed(topic, 3);
    const publisher = suite.pool.connect(suite.url, { protocolVersion: 5, topicAliases: false });
    const sent = outgoingPublishes(publisher);
    await waitFor(publisher.state$, 'connected');
    await lastValueFrom(forkJoin([0, 1, 2].map((i) => publisher.publish(topic, `${i}`, { qos: 1 }))));
    expect((await received).map((m) => m.topic)).toEqual([topic, topic, topic]);
    expect(sent.map((p) => [p.topic, p.properties?.topicAlias])).toEqual([
      [topic, undefined],
      [topic, undefined],
      [topic, undefined],
    ]);
  });

  describe('behind a fault proxy', () => {
    let proxy: FaultProxy;
    beforeEach(async () => {
      proxy = await startFaultProxy(suite.broker.port);
    });
    afterEach(() => proxy.close());

    it('MQTT-3.3.2-7: QoS 1/2 publishes in flight at a cut are sent again with DUP, full topic and no alias; all arrive', async () => {
      const topic = uniqueTopic('resend');
      const { received } = await subscribed(topic, 8);
      const publisher = suite.pool.connect(proxy.url, {
        protocolVersion: 5,
        clean: true,
        sessionExpiryInterval: 60,
        reconnect: { initialDelay: 50, maxDelay: 50, jitter: 0 },
      });
      const sent = outgoingPublishes(publisher);
      await waitFor(publisher.state$, 'connected');
      // Two go through, so the topic has an alias; the rest are held by the stalled network.
      await lastValueFrom(forkJoin([0, 1].map((i) => publisher.publish(topic, `${i}`, { qos: 1 }))));
      proxy.stall(true);
      const pending = lastValueFrom(forkJoin([2, 3, 4, 5, 6, 7].map((i) => publisher.publish(topic, `${i}`, { qos: (i % 2 + 1) as QoS }))));
      while (sent.length < 8) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sent.slice(2).every((p) => p.topic === '' && p.properties?.topicAlias === 1)).toBe(true);
      proxy.cutAll();
      proxy.stall(false);
      await pending;

      const resent = sent.slice(8);
      expect(resent.length).toBeGreaterThanOrEqual(6);
      for (const p of resent) {
        expect(p.topic).toBe(topic);
        expect(p.properties?.topicAlias).toBeUndefined();
        expect(p.dup).toBe(true); // the session was resumed (Session Expiry 60 s)
      }
      expect((await received).map(text).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    });
  });
});
