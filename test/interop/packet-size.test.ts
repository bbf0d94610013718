/**
 * The server's Maximum Packet Size on Mosquitto 2 (`max_packet_size 100` in
 * mosquitto.conf, sent in CONNACK): a topic() whose SUBSCRIBE would exceed it fails
 * locally with a RangeError (MQTT-3.2.2-15), nothing is sent, the connection stays.
 */
import { filter, firstValueFrom, lastValueFrom } from 'rxjs';
import { type MqttClient, type Packet } from '../../src/index.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

describeWithMosquitto('Maximum Packet Size on Mosquitto 2 (max_packet_size 100)', () => {
  const suite = useMosquitto({ extraConfig: ['max_packet_size 100'] });

  async function connected(): Promise<{ client: MqttClient; sent: Packet[]; statuses: string[] }> {
    const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const sent: Packet[] = [];
    client.packets$.subscribe(({ direction, packet }) => {
      if (direction === 'out') sent.push(packet);
    });
    const statuses: string[] = [];
    client.state$.subscribe((s) => statuses.push(s.status));
    const { connack } = await waitFor(client.state$, 'connected');
    expect(connack.properties?.maximumPacketSize).toBe(100);
    return { client, sent, statuses };
  }

  it('MQTT-3.2.2-15: topic() with a filter too long fails with a RangeError, no SUBSCRIBE sent; another topic() works, still connected', async () => {
    const { client, sent, statuses } = await connected();
    const long = uniqueTopic('long') + '/' + 'x'.repeat(120);
    const error: unknown = await firstValueFrom(client.topic(long)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain('100 bytes');
    expect(sent.filter((p) => p.cmd === 'subscribe')).toEqual([]);

    const topic = uniqueTopic('short');
    const suback = firstValueFrom(client.packets$.pipe(filter((e) => e.direction === 'in' && e.packet.cmd === 'suback')));
    const message = firstValueFrom(client.topic(topic, { qos: 1 }));
    await suback;
    await lastValueFrom(client.publish(topic, 'ok', { qos: 1 }));
    expect(new TextDecoder().decode((await message).payload)).toBe('ok');
    expect(statuses).toEqual(['connecting', 'connected']);
  });
});
