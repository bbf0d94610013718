import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { MqttPublishError, type ProtocolVersion } from '../../src/index.js';
import { collect } from '../support/collect.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

/** MQTT 5 reason codes of PUBACK / PUBREC. */
const NO_MATCHING_SUBSCRIBERS = 0x10;
const NOT_AUTHORIZED = 0x87;

describeWithMosquitto('MQTT 5 reason codes in publish results, Mosquitto 2 (acl_file: rxmqtt-test/# only)', () => {
  let dir: string;
  const suite = useMosquitto(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-acl-'));
    const acl = join(dir, 'acl');
    // Lines before any `user` line apply to anonymous clients.
    writeFileSync(acl, 'topic readwrite rxmqtt-test/#\n');
    return { extraConfig: [`acl_file ${acl}`] };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('QoS 1: PUBACK 0x10 (no matching subscribers) with nobody listening, 0 with a subscriber', async () => {
    const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
    await waitFor(client.state$, 'connected');
    const lonely = await lastValueFrom(client.publish(uniqueTopic('nobody'), 'x', { qos: 1 }));
    expect(lonely).toMatchObject({ reasonCode: NO_MATCHING_SUBSCRIBERS, packetId: expect.any(Number) });

    const topic = uniqueTopic('somebody');
    const suback = nextPacket(client, 'suback');
    const mine = collect(client.topic(topic, { qos: 1 }), 1);
    await suback;
    const heard = await lastValueFrom(client.publish(topic, 'x', { qos: 1 }));
    expect(heard.reasonCode).toBe(0);
    await mine;
  });

  it('QoS 2 completes on PUBCOMP with its packet id and a success code', async () => {
    const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const pubcomp = nextPacket(client, 'pubcomp');
    await waitFor(client.state$, 'connected');
    const result = await lastValueFrom(client.publish(uniqueTopic('nobody-2'), 'x', { qos: 2 }));
    expect(result.packetId).toBe((await pubcomp).messageId);
    expect(result.reasonCode).toBeLessThan(0x80);
  });

  it.each([1, 2] as const)('QoS %i to a topic the ACL denies: MqttPublishError with reason code 0x87 (not authorized)', async (qos) => {
    const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
    await waitFor(client.state$, 'connected');
    const refused = lastValueFrom(client.publish('denied/topic', 'x', { qos }));
    await expect(refused).rejects.toBeInstanceOf(MqttPublishError);
    await expect(refused).rejects.toMatchObject({ reasonCode: NOT_AUTHORIZED, topic: 'denied/topic' });
    // The connection stays up and usable.
    const ok = await lastValueFrom(client.publish(uniqueTopic('after-refusal'), 'x', { qos }));
    expect(ok.reasonCode).toBeLessThan(0x80);
  });

  it.each([4, 3] as ProtocolVersion[])('protocol %i has no refusal: a denied QoS 1 publish still completes with reason code 0', async (protocolVersion) => {
    const client = suite.pool.connect(suite.url, { protocolVersion });
    await waitFor(client.state$, 'connected');
    const result = await lastValueFrom(client.publish('denied/topic', 'x', { qos: 1 }));
    expect(result.reasonCode).toBe(0);
  });
});
