/**
 * MQTT 5 subscriptions against Mosquitto 2, our client on both sides: subscription
 * identifiers route each copy of a message to the subscription it was sent for (so a
 * shared subscription beside an overlapping plain one delivers correctly), and the
 * subscription options No Local, Retain As Published and Retain Handling behave as
 * the spec says.
 */
import { firstValueFrom, forkJoin, lastValueFrom, take, toArray } from 'rxjs';
import type { MqttClient, MqttMessage, PublishPacket, SubscribeOptions } from '../../src/index.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(30_000);

const text = (m: MqttMessage): string => Buffer.from(m.payload).toString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; fails after `ms` naming `what` (a bound, not a timing). */
async function until(check: () => boolean, what: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(10);
  }
}

describeWithMosquitto('MQTT 5 subscriptions on Mosquitto 2', () => {
  const suite = useMosquitto();

  async function connected(): Promise<MqttClient> {
    const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
    await waitFor(client.state$, 'connected');
    return client;
  }

  /** Subscribes `client` to `filter`, keeping every message; resolves once the SUBACK came. */
  async function keep(client: MqttClient, filter: string, options: SubscribeOptions = {}): Promise<MqttMessage[]> {
    const got: MqttMessage[] = [];
    const suback = nextPacket(client, 'suback');
    client.topic(filter, options).subscribe((m) => got.push(m));
    await suback;
    return got;
  }

  describe('subscription identifiers (MQTT-3.3.4-3, MQTT-3.3.4-4)', () => {
    it('Mosquitto sends back the identifier of each subscription, which SUBSCRIBE carried', async () => {
      const client = await connected();
      const topic = uniqueTopic('ids');
      const subscribe = nextPacket(client, 'subscribe', 'out');
      const incoming = nextPacket(client, 'publish');
      const got = keep(client, topic);
      const id = (await subscribe).properties?.subscriptionIdentifier;
      expect(id).toBeGreaterThanOrEqual(1);
      await got;
      await lastValueFrom(client.publish(topic, 'x'));
      expect(((await incoming) as PublishPacket).properties?.subscriptionIdentifier).toEqual(id);
    });

    it('two overlapping filters of one client: each stream gets each message once', async () => {
      const client = await connected();
      const base = uniqueTopic('overlap');
      const plus = await keep(client, `${base}/+`, { qos: 1 });
      const hash = await keep(client, `${base}/#`, { qos: 1 });
      const publisher = await connected();
      await lastValueFrom(forkJoin(['a', 'b', 'c'].map((p) => publisher.publish(`${base}/t`, p, { qos: 1 }))));
      await until(() => plus.length >= 3 && hash.length >= 3, () => `3 + 3 messages, got ${plus.length} + ${hash.length}`);
      await sleep(200); // a duplicate would be on its way by now
      expect(plus.map(text)).toEqual(['a', 'b', 'c']);
      expect(hash.map(text)).toEqual(['a', 'b', 'c']);
    });

    it('$share/g/f beside an overlapping plain f, with a second member in the group: the plain stream gets all, the group each message once', async () => {
      const base = uniqueTopic('share');
      const group = `g${process.pid}`;
      const [a, b, publisher] = await Promise.all([connected(), connected(), connected()]);
      const plain = await keep(a, `${base}/+`, { qos: 1 });
      const shareA = await keep(a, `$share/${group}/${base}/+`, { qos: 1 });
      const shareB = await keep(b, `$share/${group}/${base}/+`, { qos: 1 });
      const n = 40;
      const payloads = Array.from({ length: n }, (_, i) => `${i}`);
      await lastValueFrom(forkJoin(payloads.map((p) => publisher.publish(`${base}/t`, p, { qos: 1 }))));
      await until(
        () => plain.length >= n && shareA.length + shareB.length >= n,
        () => `plain ${plain.length}/${n}, share ${shareA.length}+${shareB.length}/${n}`,
      );
      await sleep(200); // a copy sent for the other subscription would be here by now
      expect(plain.map(text)).toEqual(payloads);
      // Without identifier routing, a's share stream would also get every plain copy.
      expect([...shareA, ...shareB].map(text).sort()).toEqual([...payloads].sort());
      expect(shareA.length).toBeGreaterThan(0);
      expect(shareB.length).toBeGreaterThan(0);
    });
  });

  describe('subscription options', () => {
    it('No Local: our own publishes do not come back; another client\'s do (MQTT-3.8.3-3)', async () => {
      const [client, other] = await Promise.all([connected(), connected()]);
      const topic = uniqueTopic('no-local');
      const local = await keep(client, topic, { qos: 1, noLocal: true });
      const everyone = await keep(other, topic, { qos: 1 });
      await lastValueFrom(client.publish(topic, 'mine', { qos: 1 }));
      await lastValueFrom(other.publish(topic, 'theirs', { qos: 1 }));
      await until(() => local.length >= 1 && everyone.length >= 2, () => 'the messages');
      expect(local.map(text)).toEqual(['theirs']); // 'mine', acknowledged first, would have come first
      expect(everyone.map(text)).toEqual(['mine', 'theirs']);
    });

    it('Retain As Published: the RETAIN flag is kept on forwarded messages with it, cleared without it (MQTT-3.3.1-12, MQTT-3.3.1-13)', async () => {
      const [kept, cleared, publisher] = await Promise.all([connected(), connected(), connected()]);
      const topic = uniqueTopic('rap');
      const rap = await keep(kept, topic, { retainAsPublished: true });
      const plain = await keep(cleared, topic);
      await lastValueFrom(publisher.publish(topic, 'r', { qos: 1, retain: true }));
      await lastValueFrom(publisher.publish(topic, 'n', { qos: 1 }));
      await until(() => rap.length >= 2 && plain.length >= 2, () => 'the messages');
      expect(rap.map((m) => [text(m), m.retain])).toEqual([
        ['r', true],
        ['n', false],
      ]);
      expect(plain.map((m) => [text(m), m.retain])).toEqual([
        ['r', false],
        ['n', false],
      ]);
      await lastValueFrom(publisher.publish(topic, '', { qos: 1, retain: true })); // clear it
    });

    /** A retained message on a fresh topic; the topic. */
    async function retained(publisher: MqttClient): Promise<string> {
      const topic = uniqueTopic('rh');
      await lastValueFrom(publisher.publish(topic, 'kept', { qos: 1, retain: true }));
      return topic;
    }

    /** The first `n` messages of `topic(filter, options)` on `client`, after publishing 'live' once subscribed. */
    async function firstMessages(client: MqttClient, publisher: MqttClient, filter: string, options: SubscribeOptions, n: number): Promise<string[]> {
      const suback = nextPacket(client, 'suback');
      const got = firstValueFrom(client.topic(filter, options).pipe(take(n), toArray()));
      await suback;
      await lastValueFrom(publisher.publish(filter, 'live', { qos: 1 }));
      return (await got).map((m) => `${text(m)}${m.retain ? ' (retained)' : ''}`);
    }

    it('Retain Handling 0: retained messages are sent at subscribe (MQTT-3.3.1-9)', async () => {
      const [client, publisher] = await Promise.all([connected(), connected()]);
      const topic = await retained(publisher);
      expect(await firstMessages(client, publisher, topic, { retainHandling: 0 }, 2)).toEqual(['kept (retained)', 'live']);
    });

    it('Retain Handling 2: retained messages are never sent (MQTT-3.3.1-11)', async () => {
      const [client, publisher] = await Promise.all([connected(), connected()]);
      const topic = await retained(publisher);
      expect(await firstMessages(client, publisher, topic, { retainHandling: 2 }, 1)).toEqual(['live']);
    });

    it('Retain Handling 1: sent for a new subscription, not when the subscription already existed (MQTT-3.3.1-10); 0 sends them again', async () => {
      const [client, publisher] = await Promise.all([connected(), connected()]);
      const topic = await retained(publisher);
      // The first stream subscribes: a new subscription, the retained message comes.
      const first = await keep(client, topic, { qos: 0, retainHandling: 1 });
      await until(() => first.length >= 1, () => 'the retained message');
      // A stream at a higher QoS makes the client SUBSCRIBE the same filter again: it already exists.
      const again = await keep(client, topic, { qos: 1, retainHandling: 1 });
      await lastValueFrom(publisher.publish(topic, 'live', { qos: 1 }));
      await until(() => again.length >= 1 && first.length >= 2, () => 'the live message');
      expect(again.map(text)).toEqual(['live']);
      expect(first.map(text)).toEqual(['kept', 'live']);

      // Retain Handling 0 on the same re-SUBSCRIBE: the retained message comes again.
      const other = await connected();
      const first0 = await keep(other, topic, { qos: 0, retainHandling: 0 });
      await until(() => first0.length >= 1, () => 'the retained message');
      const again0 = await keep(other, topic, { qos: 1, retainHandling: 0 });
      await until(() => again0.length >= 1 && first0.length >= 2, () => 'the retained message twice');
      expect(again0.map(text)).toEqual(['kept']);
      expect(first0.map(text)).toEqual(['kept', 'kept']);
    });
  });
});
