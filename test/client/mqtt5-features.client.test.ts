/**
 * MQTT 5 features through the whole client, against the scripted broker in virtual
 * time: what Mosquitto cannot be configured to do (no wildcard / shared subscriptions,
 * no subscription identifiers; a server that overruns our Receive Maximum).
 */
import { asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import type { ConnackProperties, Packet, PublishPacket } from '../../src/packets/packet.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { MqttCapabilityError } from '../../src/protocol/errors.js';
import { scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';

/** Runs `fn` in virtual time (every timer of client and broker included) and flushes. */
function virtual(fn: () => void): void {
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(() => fn());
}

function setup(properties: ConnackProperties, options: ClientOptions = {}): {
  broker: ScriptedBroker;
  client: MqttClient;
  received: Packet[];
  states: ConnectionState[];
} {
  const broker = scriptedBroker({ connack: { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties } });
  const received: Packet[] = [];
  broker.received$.subscribe((p) => received.push(p));
  const client = connect('mqtt://broker', {
    transport: broker.transport,
    protocolVersion: 5,
    reconnect: { initialDelay: 1000, jitter: 0 },
    ...options,
  });
  const states: ConnectionState[] = [];
  client.state$.subscribe((s) => states.push(s));
  return { broker, client, received, states };
}

describe('client MQTT 5: server capabilities fail locally (MqttCapabilityError), the connection stays', () => {
  it('topic() with a wildcard, a $share filter or a subscriptionIdentifier; publish retained or above Maximum QoS', () => {
    const errors: Record<string, unknown> = {};
    let result: ReturnType<typeof setup> | undefined;
    virtual(() => {
      result = setup({
        wildcardSubscriptionAvailable: false,
        sharedSubscriptionAvailable: false,
        subscriptionIdentifiersAvailable: false,
        retainAvailable: false,
        maximumQoS: 1,
      });
      const { client } = result;
      const record = (name: string) => ({ error: (e: unknown) => (errors[name] = e) });
      asyncScheduler.schedule(() => {
        client.topic('a/+').subscribe(record('wildcard'));
        client.topic('$share/g/a').subscribe(record('shared'));
        client.topic('a', { subscriptionIdentifier: 5 }).subscribe(record('subid'));
        client.publish('a', 'x', { retain: true }).subscribe(record('retain'));
        client.publish('a', 'x', { qos: 2 }).subscribe(record('qos'));
      }, 10);
      asyncScheduler.schedule(() => client.end(), 100);
    });
    expect(errors).toEqual({
      wildcard: expect.objectContaining({ capability: 'wildcardSubscriptionAvailable', reasonCode: 0xa2 }),
      shared: expect.objectContaining({ capability: 'sharedSubscriptionAvailable', reasonCode: 0x9e }),
      subid: expect.objectContaining({ capability: 'subscriptionIdentifiersAvailable', reasonCode: 0xa1 }),
      retain: expect.objectContaining({ capability: 'retainAvailable', reasonCode: 0x9a }),
      qos: expect.objectContaining({ capability: 'maximumQoS', reasonCode: 0x9b }),
    });
    for (const e of Object.values(errors)) expect(e).toBeInstanceOf(MqttCapabilityError);
    const { received, states, broker } = result!;
    expect(received.map((p) => p.cmd)).toEqual(['connect', 'disconnect']);
    expect(states.map((s) => s.status)).toEqual(['connecting', 'connected', 'closed']);
    expect(broker.connections).toBe(1);
  });

  it('a stream subscribed before the CONNACK fails when it arrives; a plain filter subscribes', () => {
    let error: unknown;
    let result: ReturnType<typeof setup> | undefined;
    virtual(() => {
      result = setup({ wildcardSubscriptionAvailable: false });
      result.client.topic('a/#').subscribe({ error: (e: unknown) => (error = e) });
      result.client.topic('a/b').subscribe();
      asyncScheduler.schedule(() => result!.client.end(), 100);
    });
    expect(error).toBeInstanceOf(MqttCapabilityError);
    const subscribed = result!.received.flatMap((p) => (p.cmd === 'subscribe' ? p.subscriptions.map((s) => s.topic) : []));
    expect(subscribed).toEqual(['a/b']);
  });
});

describe('client MQTT 5: outbound topic aliases through the scripted broker', () => {
  it('the broker resolves our aliases: our own subscription gets every message under its topic', () => {
    const topics: string[] = [];
    let sent: PublishPacket[] = [];
    virtual(() => {
      const { client, received } = setup({ topicAliasMaximum: 2 });
      client.topic('t/#').subscribe((m) => topics.push(m.topic));
      asyncScheduler.schedule(() => {
        for (const t of ['t/a', 't/b', 't/a', 't/c', 't/a', 't/b']) client.publish(t, 'x', { qos: 1 }).subscribe();
      }, 10);
      asyncScheduler.schedule(() => {
        sent = received.filter((p): p is PublishPacket => p.cmd === 'publish');
        client.end();
      }, 100);
    });
    expect(topics).toEqual(['t/a', 't/b', 't/a', 't/c', 't/a', 't/b']);
    expect(sent.map((p) => [p.topic, p.properties?.topicAlias])).toEqual([
      ['t/a', 1],
      ['t/b', 2],
      ['', 1],
      ['t/c', 2],
      ['', 1],
      ['t/b', 2],
    ]);
  });
});

describe('client MQTT 5: our Receive Maximum (MQTT-3.3.4-9)', () => {
  it('a server sending one more unacknowledged QoS 1 message than our Receive Maximum gets DISCONNECT 0x93; the client reconnects', () => {
    let result: ReturnType<typeof setup> | undefined;
    virtual(() => {
      result = setup({}, { properties: { receiveMaximum: 2 } });
      const { broker, client } = result;
      // A manual-ack stream that never acks: the PUBACKs wait.
      client.topic('a', { qos: 1, ack: 'manual' }).subscribe();
      asyncScheduler.schedule(() => {
        // Their flows end with the connection: ignore that.
        broker.publish('a', '1', { qos: 1 }).subscribe({ error: () => undefined });
        broker.publish('a', '2', { qos: 1 }).subscribe({ error: () => undefined });
      }, 10);
      asyncScheduler.schedule(() => broker.publish('a', '3', { qos: 1 }).subscribe({ error: () => undefined }), 20);
      asyncScheduler.schedule(() => client.end(), 5000);
    });
    const { received, states } = result!;
    expect(received).toContainEqual({ cmd: 'disconnect', reasonCode: 0x93 });
    expect(received.filter((p) => p.cmd === 'puback')).toEqual([]);
    const reconnecting = states.find((s) => s.status === 'reconnecting');
    expect(reconnecting?.status === 'reconnecting' && reconnecting.error).toBeInstanceOf(MqttProtocolError);
    expect(reconnecting).toMatchObject({ error: { reasonCode: 0x93 } });
    expect(states.filter((s) => s.status === 'connected')).toHaveLength(2);
  });
});
