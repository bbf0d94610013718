import { forkJoin, lastValueFrom } from 'rxjs';
import type { MqttClient, PublishResult, ProtocolVersion } from '../../src/index.js';
import { collect } from '../support/collect.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(30_000);

/** Follows the outbound QoS 1/2 window in packets$: PUBLISH out opens a slot, PUBACK / PUBCOMP in closes it. */
function windowWatch(client: MqttClient): { max(): number; now(): number } {
  const open = new Set<number>();
  let max = 0;
  client.packets$.subscribe(({ direction, packet }) => {
    if (direction === 'out' && packet.cmd === 'publish' && packet.qos > 0 && packet.messageId !== undefined) {
      open.add(packet.messageId);
      max = Math.max(max, open.size);
    } else if (direction === 'in' && (packet.cmd === 'pubcomp' || packet.cmd === 'puback')) {
      open.delete(packet.messageId);
    } else if (direction === 'in' && packet.cmd === 'pubrec' && packet.reasonCode !== undefined && packet.reasonCode >= 0x80) {
      open.delete(packet.messageId); // a refused PUBREC ends the flow (MQTT 5 4.3.3)
    }
  });
  return { max: () => max, now: () => open.size };
}

describeWithMosquitto('outbound flow control on Mosquitto 2 (default limits)', () => {
  const suite = useMosquitto();

  /** Publishes `n` QoS 2 messages at once to a subscribed topic; checks they all arrive. */
  async function burst(protocolVersion: ProtocolVersion, n: number): Promise<{ results: PublishResult[]; max: number; states: string[] }> {
    const [client, subscriber] = [suite.pool.connect(suite.url, { protocolVersion }), suite.pool.connect(suite.url, { protocolVersion: 5 })];
    const states: string[] = [];
    client.state$.subscribe((s) => states.push(s.status));
    const window = windowWatch(client);
    await Promise.all([waitFor(client.state$, 'connected'), waitFor(subscriber.state$, 'connected')]);
    const topic = uniqueTopic(`burst-v${protocolVersion}`);
    const suback = nextPacket(subscriber, 'suback');
    const received = collect(subscriber.topic(topic, { qos: 2 }), n, 20_000);
    await suback;

    const payloads = Array.from({ length: n }, (_, i) => `m${i}`);
    const results = await lastValueFrom(forkJoin(payloads.map((p) => client.publish(topic, p, { qos: 2 }))));
    expect((await received).map((m) => Buffer.from(m.payload).toString())).toEqual(payloads);
    expect(window.now()).toBe(0);
    return { results, max: window.max(), states };
  }

  it('MQTT 5: the CONNACK announces Receive Maximum 20, and 100 QoS 2 publishes never have more than 20 in flight', async () => {
    const probe = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const connack = (await waitFor(probe.state$, 'connected')).connack;
    // MQTT 5 3.2.2.3.3: absent means 65535; Mosquitto sends 20.
    expect(connack.properties?.receiveMaximum).toBe(20);

    const { results, max, states } = await burst(5, 100);
    expect(results.every((r) => r.reasonCode === 0)).toBe(true);
    expect(new Set(results.map((r) => r.packetId)).size).toBeGreaterThan(1);
    expect(max).toBe(20); // the window is used, and never exceeded (MQTT-4.9.0-2)
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('MQTT 3.1.1: 100 QoS 2 publishes at once stay within the default window of 20, so Mosquitto keeps the connection', async () => {
    const { results, max, states } = await burst(4, 100);
    expect(results).toHaveLength(100);
    expect(max).toBe(20);
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('MQTT 5: a smaller maxInflight is respected', async () => {
    const client = suite.pool.connect(suite.url, { protocolVersion: 5, maxInflight: 3 });
    const window = windowWatch(client);
    await waitFor(client.state$, 'connected');
    const topic = uniqueTopic('small-window');
    await lastValueFrom(forkJoin(Array.from({ length: 30 }, (_, i) => client.publish(topic, `m${i}`, { qos: 2 }))));
    expect(window.max()).toBe(3);
  });
});
