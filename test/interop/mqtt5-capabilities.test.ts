/**
 * Server capabilities announced by Mosquitto 2 (`retain_available false`, `max_qos 1`
 * in mosquitto.conf): the client fails the publish itself with MqttCapabilityError,
 * sends nothing, and keeps its connection (Mosquitto would disconnect it).
 */
import { lastValueFrom } from 'rxjs';
import { MqttCapabilityError, type MqttClient, type PublishPacket } from '../../src/index.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

describeWithMosquitto('MQTT 5 server capabilities on Mosquitto 2 (retain_available false, max_qos 1)', () => {
  const suite = useMosquitto({ extraConfig: ['retain_available false', 'max_qos 1'] });

  async function connected(): Promise<{ client: MqttClient; publishes: PublishPacket[]; statuses: string[] }> {
    const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const publishes: PublishPacket[] = [];
    client.packets$.subscribe(({ direction, packet }) => {
      if (direction === 'out' && packet.cmd === 'publish') publishes.push(packet);
    });
    const statuses: string[] = [];
    client.state$.subscribe((s) => statuses.push(s.status));
    await waitFor(client.state$, 'connected');
    return { client, publishes, statuses };
  }

  it('the CONNACK says so', async () => {
    const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const { connack } = await waitFor(client.state$, 'connected');
    expect(connack.properties).toMatchObject({ retainAvailable: false, maximumQoS: 1 });
  });

  it('MQTT-3.2.2-14: a retained publish fails with MqttCapabilityError (retainAvailable, 0x9A), unsent; the connection stays', async () => {
    const { client, publishes, statuses } = await connected();
    const topic = uniqueTopic('retain');
    const error: unknown = await lastValueFrom(client.publish(topic, 'x', { qos: 1, retain: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MqttCapabilityError);
    expect(error).toMatchObject({ capability: 'retainAvailable', reasonCode: 0x9a });
    expect(publishes).toEqual([]);
    expect((await lastValueFrom(client.publish(topic, 'y', { qos: 1 }))).reasonCode).toBeLessThan(0x80);
    expect(statuses).toEqual(['connecting', 'connected']);
  });

  it('MQTT-3.2.2-11: a QoS 2 publish fails with MqttCapabilityError (maximumQoS, 0x9B), unsent; QoS 1 goes', async () => {
    const { client, publishes, statuses } = await connected();
    const topic = uniqueTopic('qos');
    const error: unknown = await lastValueFrom(client.publish(topic, 'x', { qos: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MqttCapabilityError);
    expect(error).toMatchObject({ capability: 'maximumQoS', reasonCode: 0x9b });
    expect(publishes).toEqual([]);
    expect((await lastValueFrom(client.publish(topic, 'y', { qos: 1 }))).packetId).toBeGreaterThan(0);
    expect(statuses).toEqual(['connecting', 'connected']);
  });
});
