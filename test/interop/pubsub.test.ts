import { forkJoin, lastValueFrom } from 'rxjs';
import type { MqttClient, MqttMessage, ProtocolVersion } from '../../src/index.js';
import { abruptTcp } from '../support/abrupt-tcp.js';
import { collect, collectUntil } from '../support/collect.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

const SENTINEL = new TextEncoder().encode('--sentinel--');
const isSentinel = (m: MqttMessage): boolean => Buffer.from(m.payload).equals(SENTINEL);
const text = (m: MqttMessage | undefined): string => Buffer.from(m?.payload ?? []).toString();

/** Payloads that would show a codec slip: empty, every byte value, multi-byte lengths, > 64 KiB. */
function payloads(): Uint8Array[] {
  const every = Uint8Array.from({ length: 256 }, (_, i) => i);
  const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) & 0xff);
  return [new Uint8Array(0), Uint8Array.of(0), every, new TextEncoder().encode('héllo ✓'), big];
}

const VERSIONS: [string, ProtocolVersion][] = [
  ['MQTT 5', 5],
  ['MQTT 3.1.1', 4],
  ['MQTT 3.1', 3],
];

describeWithMosquitto('pub/sub through Mosquitto 2', () => {
  const suite = useMosquitto();

  describe.each(VERSIONS)('%s', (_name, protocolVersion) => {
    /** A client of this version, connected. */
    async function connected(options = {}): Promise<MqttClient> {
      const client = suite.pool.connect(suite.url, { protocolVersion, ...options });
      await waitFor(client.state$, 'connected');
      return client;
    }

    it('connects: CONNECT carries the protocol name and level of the version; CONNACK accepted', async () => {
      const client = suite.pool.connect(suite.url, { protocolVersion });
      const connect = nextPacket(client, 'connect', 'out');
      const state = await waitFor(client.state$, 'connected');
      const sent = await connect;
      // MQTT 3.1: 'MQIsdp' level 3 (MQTT-3.1.2-1 / -2 name the 3.1.1 and 5 ones: 'MQTT' 4 / 5).
      expect([sent.protocolId, sent.protocolVersion]).toEqual([protocolVersion === 3 ? 'MQIsdp' : 'MQTT', protocolVersion]);
      // Mosquitto logs the protocol it saw: p1 = 3.1, p2 = 3.1.1, p5 = 5.
      const logged = { 3: 'p1', 4: 'p2', 5: 'p5' }[protocolVersion];
      const line = `as ${sent.clientId} (${logged},`;
      // The log line travels through a pipe: it may trail the CONNACK a little.
      for (let i = 0; i < 100 && !suite.broker.log().includes(line); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(suite.broker.log()).toContain(line);
      expect(state.sessionPresent).toBe(false);
      expect(protocolVersion === 5 ? state.connack.reasonCode : state.connack.returnCode).toBe(0);
    });

    it.each([0, 1, 2] as const)('delivers every payload byte for byte at QoS %i, each message once', async (qos) => {
      const [subscriber, publisher] = await Promise.all([connected(), connected()]);
      const topic = uniqueTopic(`v${protocolVersion}-qos${qos}`);
      const suback = nextPacket(subscriber, 'suback');
      const received = collectUntil(subscriber.topic(topic, { qos: 2 }), isSentinel);
      const granted = await suback;
      expect(granted.granted).toEqual([2]);

      const sent = payloads();
      const results = await lastValueFrom(
        forkJoin([...sent, SENTINEL].map((payload) => publisher.publish(topic, payload, { qos }))),
      );
      const messages = await received;

      expect(messages.map((m) => Buffer.from(m.payload))).toEqual(sent.map((p) => Buffer.from(p)));
      expect(messages.every((m) => m.topic === topic && m.qos === qos && !m.retain && !m.dup)).toBe(true);
      for (const result of results) {
        expect(result.reasonCode).toBe(0);
        if (qos > 0) expect(result.packetId).toEqual(expect.any(Number));
      }
    });

    it('delivers a retained message to a later subscriber with the retain flag set', async () => {
      const publisher = await connected();
      const topic = uniqueTopic(`v${protocolVersion}-retained`);
      await lastValueFrom(publisher.publish(topic, 'kept', { qos: 1, retain: true }));
      const later = await connected();
      const [retained] = await collect(later.topic(topic, { qos: 1 }), 1);
      expect(retained).toMatchObject({ topic, retain: true, qos: 1 });
      expect(text(retained)).toBe('kept');
      await lastValueFrom(publisher.publish(topic, '', { qos: 1, retain: true }));
    });

    it('has its will published when the connection is lost without DISCONNECT', async () => {
      const topic = uniqueTopic(`v${protocolVersion}-will`);
      const watcher = await connected();
      const suback = nextPacket(watcher, 'suback');
      const will = collect(watcher.topic(topic, { qos: 1 }), 1);
      await suback;

      const wire = abruptTcp();
      // keepalive 60: the will must come from the lost connection, not from a keepalive timeout.
      const client = await connected({ transport: wire.transport, keepalive: 60, will: { topic, payload: 'gone', qos: 1 } });
      const reconnecting = waitFor(client.state$, 'reconnecting');
      wire.drop();
      await reconnecting;
      const [message] = await will;
      expect(message).toMatchObject({ topic, qos: 1, retain: false });
      expect(text(message)).toBe('gone');
    });

    it('does not have its will published after end()', async () => {
      const topic = uniqueTopic(`v${protocolVersion}-no-will`);
      const watcher = await connected();
      const suback = nextPacket(watcher, 'suback');
      const seen = collectUntil(watcher.topic(topic, { qos: 1 }), isSentinel);
      await suback;
      const client = await connected({ will: { topic, payload: 'will', qos: 1 } });
      await suite.pool.end(client);
      await lastValueFrom(watcher.publish(topic, SENTINEL, { qos: 1 }));
      expect(await seen).toEqual([]);
    });
  });
});
