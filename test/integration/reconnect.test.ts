import { filter, firstValueFrom, lastValueFrom, throwError, timeout } from 'rxjs';
import { type ConnectionState, type MqttClient } from '../../src/index.js';
import { useAedes } from '../support/aedes-suite.js';
import { collect } from '../support/collect.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

const fastRetry = { initialDelay: 200, maxDelay: 400, factor: 2, jitter: 0 };

describe('reconnect after the server drops the connection (aedes, MQTT 3.1.1)', () => {
  const suite = useAedes();

  function record(client: MqttClient): ConnectionState[] {
    const states: ConnectionState[] = [];
    client.state$.subscribe((state) => states.push(state));
    return states;
  }

  it('goes reconnecting → connected, resubscribes, and sends a publish made while disconnected', async () => {
    const topic = uniqueTopic('resubscribed');
    const offline = uniqueTopic('offline');

    // A watcher with a persistent session, so a message for it is kept while it is dropped too.
    const watcher = suite.pool.connect(suite.url, { clientId: `rxmqtt_watch_${process.pid}`, clean: false, reconnect: fastRetry });
    await waitFor(watcher.state$, 'connected');
    const watcherSuback = nextPacket(watcher, 'suback');
    const offlineMessage = collect(watcher.topic(offline, { qos: 1 }), 1);
    await watcherSuback;

    const client = suite.pool.connect(suite.url, { reconnect: fastRetry });
    const states = record(client);
    await waitFor(client.state$, 'connected');
    const suback = nextPacket(client, 'suback');
    const messages = collect(client.topic(topic, { qos: 1 }), 1);
    await suback;

    const reconnecting = waitFor(client.state$, 'reconnecting');
    await suite.broker.dropClients();
    const lost = await reconnecting;
    expect(lost.attempt).toBe(1);
    expect(lost.error).toBeInstanceOf(Error);
    expect(lost.delay).toBe(200);

    // Published while disconnected: waits in the offline queue.
    const published = lastValueFrom(client.publish(offline, 'while away', { qos: 1 }));
    const resubscribed = nextPacket(client, 'suback');
    const back = await waitFor(client.state$, 'connected');
    expect(back.sessionPresent).toBe(false);
    await resubscribed;
    expect((await published).reasonCode).toBe(0);
    expect(Buffer.from((await offlineMessage)[0]?.payload ?? []).toString()).toBe('while away');

    const publisher = suite.pool.connect(suite.url);
    await lastValueFrom(publisher.publish(topic, 'after', { qos: 1 }));
    expect(Buffer.from((await messages)[0]?.payload ?? []).toString()).toBe('after');

    const statuses = states.map((s) => s.status);
    const firstLoss = statuses.indexOf('reconnecting');
    expect(statuses.slice(0, firstLoss)).toEqual(['connecting', 'connected']);
    expect(statuses.slice(firstLoss).at(-1)).toBe('connected');
    expect(statuses.slice(firstLoss)).not.toContain('closed');
  });

  it('with reconnect: false, a dropped connection closes the client, with the error', async () => {
    const client = suite.pool.connect(suite.url, { reconnect: false });
    await waitFor(client.state$, 'connected');
    const closed = waitFor(client.state$, 'closed');
    await suite.broker.dropClients();
    const state = await closed;
    expect(state.error).toBeInstanceOf(Error);
  });

  it('keeps retrying while the broker is down (attempt counts up), then connects when it is back', async () => {
    const client = suite.pool.connect(suite.url, { reconnect: { initialDelay: 100, maxDelay: 200, factor: 2, jitter: 0 } });
    await waitFor(client.state$, 'connected');
    const states = record(client);
    await suite.broker.stop();
    const third = await firstReconnecting(client, 3);
    expect(third.error).toBeInstanceOf(Error);
    expect(third.delay).toBeLessThanOrEqual(200);
    await suite.broker.restart();
    await waitFor(client.state$, 'connected');
    const attempts = states.filter((s) => s.status === 'reconnecting').map((s) => (s.status === 'reconnecting' ? s.attempt : 0));
    expect(attempts.slice(0, 3)).toEqual([1, 2, 3]);
  });
});

/** The first `reconnecting` state with `attempt` ≥ n (10 s at most). */
function firstReconnecting(client: MqttClient, n: number): Promise<Extract<ConnectionState, { status: 'reconnecting' }>> {
  return firstValueFrom(
    client.state$.pipe(
      filter((s): s is Extract<ConnectionState, { status: 'reconnecting' }> => s.status === 'reconnecting' && s.attempt >= n),
      timeout({ first: 10_000, with: () => throwError(() => new Error(`no reconnecting attempt ${n} within 10 s`)) }),
    ),
  );
}
