import { concat, lastValueFrom, toArray } from 'rxjs';
import type { MqttMessage, ProtocolVersion } from '../../src/index.js';
import { collectUntil } from '../support/collect.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { killMosquittoClients, mosquittoClient } from '../support/mosquitto-clients.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(30_000);

const N = 25;
const SENTINEL = 'sentinel';
/** mosquitto_sub -F: one line per message, marked so -d debug lines can be told apart. */
const FORMAT = 'MSG|%q|%r|%p';

describeWithMosquitto('QoS 2 with mosquitto_pub / mosquitto_sub as the foreign peer', () => {
  const suite = useMosquitto();
  afterEach(() => killMosquittoClients());

  describe.each([
    ['MQTT 5', 5, 'mqttv5'],
    ['MQTT 3.1.1', 4, 'mqttv311'],
    ['MQTT 3.1', 3, 'mqttv31'],
  ] as [string, ProtocolVersion, string][])('%s', (_name, protocolVersion, cliVersion) => {
    it(`our QoS 2 publishes reach mosquitto_sub -q 2 each exactly once, in order`, async () => {
      const topic = uniqueTopic(`to-sub-v${protocolVersion}`);
      const sub = mosquittoClient('mosquitto_sub', [
        '-h', '127.0.0.1', '-p', String(suite.broker.port), '-V', cliVersion,
        '-t', topic, '-q', '2', '-C', String(N + 1), '-W', '20', '-d', '-F', FORMAT,
      ]);
      await sub.output('received SUBACK');

      const client = suite.pool.connect(suite.url, { protocolVersion });
      await waitFor(client.state$, 'connected');
      const payloads = Array.from({ length: N }, (_, i) => `message ${i}`);
      // One after the other, so the broker receives them in order.
      const results = await lastValueFrom(
        concat(...[...payloads, SENTINEL].map((p) => client.publish(topic, p, { qos: 2 }))).pipe(toArray()),
      );
      expect(results.every((r) => r.reasonCode === 0 && r.packetId !== undefined)).toBe(true);

      const run = await sub.done;
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n').filter((line) => line.startsWith('MSG|'));
      // -C N+1: a duplicate would have taken the sentinel's place.
      expect(lines).toEqual([...payloads, SENTINEL].map((p) => `MSG|2|0|${p}`));
      // Every PUBLISH the broker sent it was a first delivery (no DUP), and each was acknowledged.
      expect(run.stdout).not.toMatch(/received PUBLISH \(d1/);
      expect(run.stdout.match(/sending PUBCOMP/g)).toHaveLength(N + 1);
    });

    it('mosquitto_pub -q 2 messages reach our topic() each exactly once, in order', async () => {
      const topic = uniqueTopic(`from-pub-v${protocolVersion}`);
      const client = suite.pool.connect(suite.url, { protocolVersion });
      await waitFor(client.state$, 'connected');
      const suback = nextPacket(client, 'suback');
      const received = collectUntil(client.topic(topic, { qos: 2 }), (m: MqttMessage) => Buffer.from(m.payload).toString() === SENTINEL, 20_000);
      await suback;

      const payloads = Array.from({ length: N }, (_, i) => `line ${i}`);
      const pub = mosquittoClient(
        'mosquitto_pub',
        ['-h', '127.0.0.1', '-p', String(suite.broker.port), '-V', cliVersion, '-t', topic, '-q', '2', '-l', '-d'],
        [...payloads, SENTINEL].join('\n') + '\n',
      );
      const run = await pub.done;
      expect(run.code).toBe(0);
      expect(run.stdout.match(/received PUBCOMP/g)).toHaveLength(N + 1);

      const messages = await received;
      expect(messages.map((m) => Buffer.from(m.payload).toString())).toEqual(payloads);
      expect(messages.every((m) => m.qos === 2 && !m.dup && m.topic === topic)).toBe(true);
    });
  });
});
