import { lastValueFrom, materialize, toArray } from 'rxjs';
import { MqttClosedError, type ConnectionState, type PacketEvent } from '../../src/index.js';
import { useAedes } from '../support/aedes-suite.js';
import { freePort } from '../support/free-port.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

describe('end() against aedes (MQTT 3.1.1)', () => {
  const suite = useAedes();

  it('sends DISCONNECT, closes (state$ emits closed without error and completes) and completes topic streams', async () => {
    const client = suite.pool.connect(suite.url);
    await waitFor(client.state$, 'connected');
    const out: PacketEvent[] = [];
    client.packets$.subscribe((e) => out.push(e));
    const suback = nextPacket(client, 'suback');
    const stream = lastValueFrom(client.topic(uniqueTopic('ended')).pipe(materialize(), toArray()));
    await suback;
    const states = lastValueFrom(client.state$.pipe(toArray()));

    const ended = client.end();
    await lastValueFrom(ended, { defaultValue: 'completed' });

    expect((await states).map((s: ConnectionState) => s)).toEqual([expect.objectContaining({ status: 'connected' }), { status: 'closed' }]);
    expect((await stream).map((n) => n.kind)).toEqual(['C']);
    expect(out.filter((e) => e.direction === 'out').map((e) => e.packet.cmd)).toContain('disconnect');

    // Idempotent; a late subscriber of end() and of state$ still sees the end.
    await expect(lastValueFrom(client.end(), { defaultValue: 'done' })).resolves.toBe('done');
    await expect(lastValueFrom(client.state$.pipe(toArray()))).resolves.toEqual([{ status: 'closed' }]);
  });

  it('publish after end() fails with MqttClosedError', async () => {
    const client = suite.pool.connect(suite.url);
    await waitFor(client.state$, 'connected');
    await suite.pool.end(client);
    for (const qos of [0, 1, 2] as const) {
      await expect(lastValueFrom(client.publish(uniqueTopic('late'), 'x', { qos }))).rejects.toBeInstanceOf(MqttClosedError);
    }
  });

  it('waits for a QoS 1 and a QoS 2 publish in flight before closing (no force)', async () => {
    const client = suite.pool.connect(suite.url);
    await waitFor(client.state$, 'connected');
    const topic = uniqueTopic('in-flight');
    const one = lastValueFrom(client.publish(topic, 'q1', { qos: 1 }));
    const two = lastValueFrom(client.publish(topic, 'q2', { qos: 2 }));
    await lastValueFrom(client.end(), { defaultValue: undefined });
    await expect(one).resolves.toMatchObject({ reasonCode: 0 });
    await expect(two).resolves.toMatchObject({ reasonCode: 0 });
  });

  it('fails the publishes still waiting in the offline queue with MqttClosedError', async () => {
    const nobody = await freePort();
    const client = suite.pool.connect(`mqtt://127.0.0.1:${nobody}`, { reconnect: { initialDelay: 60_000, maxDelay: 60_000 } });
    await waitFor(client.state$, 'reconnecting');
    const queued = lastValueFrom(client.publish('queued', 'x', { qos: 1 }));
    await suite.pool.end(client);
    await expect(queued).rejects.toBeInstanceOf(MqttClosedError);
  });
});
