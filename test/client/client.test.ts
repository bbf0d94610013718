import { asyncScheduler, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import type { MqttClient, PacketEvent } from '../../src/client/mqtt-client.js';
import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import type { ConnectPacket } from '../../src/packets/packet.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { MqttClosedError, MqttConnectionError, MqttSubscribeError } from '../../src/protocol/errors.js';
import { FakeBroker, type FakeBrokerScript } from '../marbles/fake-broker.js';

/** Runs `fn` in virtual time (every client timer included) and flushes. */
function virtual(fn: () => void): void {
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(() => fn());
}

function setup(script: FakeBrokerScript = {}, options: ClientOptions = {}): { broker: FakeBroker; client: MqttClient } {
  const broker = new FakeBroker(script);
  const client = connect('mqtt://broker', { transport: broker.transport, random: () => 0, ...options });
  return { broker, client };
}

describe('connect()', () => {
  it('returns a hot client that connects at once, with the generated client id', () => {
    virtual(() => {
      const { broker, client } = setup({}, { random: () => 0.5 });
      const connectPacket = broker.log[0]?.packet as ConnectPacket;
      expect(connectPacket.clientId).toBe('rxmqtt_ssssssss');
      let state: ConnectionState | undefined;
      client.state$.pipe(take(1)).subscribe((s) => (state = s));
      expect(state?.status).toBe('connected');
      client.end();
    });
  });

  it('refuses a bad URL or option synchronously', () => {
    expect(() => connect('http://x')).toThrow(TypeError);
    expect(() => connect('mqtt://x', { keepalive: -1 })).toThrow(RangeError);
  });

  it('the browser connect needs a transport for mqtt: URLs (the Node entry has them)', () => {
    expect(() => connect('mqtt://x')).toThrow(/Node entry/);
  });
});

describe('packets$', () => {
  it('traces packets both ways and never shows the password', () => {
    const broker = new FakeBroker();
    const events: PacketEvent[] = [];
    virtual(() => {
      const options: ClientOptions = { transport: broker.transport, username: 'u', password: 'secret' };
      const client = connect('mqtt://b', { ...options, reconnect: { initialDelay: 10 }, clientId: 'me' });
      client.packets$.subscribe((e) => events.push(e));
      broker.drop();
      asyncScheduler.schedule(() => client.end(), 100);
    });
    const connects = events.filter((e) => e.packet.cmd === 'connect').map((e) => e.packet as ConnectPacket);
    expect(connects).toHaveLength(1);
    expect(new TextDecoder().decode(connects[0]?.password)).toBe('******');
    expect((broker.log[1]?.packet as ConnectPacket).password).toEqual(new TextEncoder().encode('secret'));
    expect(events.map((e) => `${e.direction}:${e.packet.cmd}`).slice(0, 2)).toEqual(['out:connect', 'in:connack']);
  });
});

describe('publish()', () => {
  it('is cold: nothing is sent until subscribed, and each subscription sends once', () => {
    virtual(() => {
      const { broker, client } = setup();
      const p = client.publish('a/b', 'hi', { qos: 1 });
      const publishes = () => broker.log.filter((e) => e.packet.cmd === 'publish').length;
      expect(publishes()).toBe(0);
      const results: unknown[] = [];
      p.subscribe((r) => results.push(r));
      p.subscribe((r) => results.push(r));
      expect(publishes()).toBe(2);
      expect(results).toEqual([
        { packetId: 1, reasonCode: 0 },
        { packetId: 2, reasonCode: 0 },
      ]);
      client.end();
    });
  });

  it.each([
    ['a wildcard topic', 'a/+', {}, TypeError],
    ['an empty topic', '', {}, TypeError],
    ['QoS 3', 'a', { qos: 3 }, RangeError],
  ] as const)('fails with a typed error for %s, before anything is sent', (_name, topic, options, type) => {
    virtual(() => {
      const { broker, client } = setup();
      let error: unknown;
      client.publish(topic, 'x', options as object).subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(type);
      expect(broker.log.some((e) => e.packet.cmd === 'publish')).toBe(false);
      client.end();
    });
  });

  it('fails with MqttClosedError after end()', () => {
    virtual(() => {
      const { client } = setup();
      client.end();
      let error: unknown;
      client.publish('a', 'x').subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(MqttClosedError);
    });
  });

  it('can be called from inside a message handler (inputs are serialised)', () => {
    virtual(() => {
      const { broker, client } = setup();
      client.topic('ping').subscribe(() => client.publish('pong', 'x', { qos: 1 }).subscribe());
      broker.publish('ping');
      expect(broker.log.map((e) => e.packet.cmd)).toEqual(['connect', 'subscribe', 'publish']);
      client.end();
    });
  });
});

describe('topic()', () => {
  it('delivers matching messages to each stream, overlapping filters included; messages$ sees all', () => {
    virtual(() => {
      const { broker, client } = setup();
      const got: string[] = [];
      const all: MqttMessage[] = [];
      client.messages$.subscribe((m) => all.push(m));
      client.topic('a/+').subscribe((m) => got.push(`plus:${m.topic}`));
      client.topic('a/#').subscribe((m) => got.push(`hash:${m.topic}`));
      broker.publish('a/b');
      broker.publish('c');
      expect(got.sort()).toEqual(['hash:a/b', 'plus:a/b']);
      expect(all.map((m) => m.topic)).toEqual(['a/b', 'c']);
      expect(all[0]).toEqual({ topic: 'a/b', payload: new Uint8Array([1]), qos: 0, retain: false, dup: false });
      client.end();
    });
  });

  it('is ref-counted: one SUBSCRIBE for two subscribers, UNSUBSCRIBE after the last', () => {
    virtual(() => {
      const { broker, client } = setup();
      const t = client.topic('x');
      const a = t.subscribe();
      const b = t.subscribe();
      a.unsubscribe();
      b.unsubscribe();
      expect(broker.log.map((e) => e.packet.cmd)).toEqual(['connect', 'subscribe', 'unsubscribe']);
      client.end();
    });
  });

  it('fails with a TypeError for an invalid filter', () => {
    const { client } = setup({}, { scheduler: new TestScheduler(() => undefined) });
    let error: unknown;
    client.topic('a/#/b').subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(TypeError);
    client.end({ force: true });
  });

  it('fails with MqttSubscribeError carrying the SUBACK code when refused', () => {
    virtual(() => {
      const { broker, client } = setup({ suback: false });
      let error: unknown;
      client.topic('secret').subscribe({ error: (e: unknown) => (error = e) });
      broker.send({ cmd: 'suback', messageId: 1, granted: [0x80] });
      expect(error).toBeInstanceOf(MqttSubscribeError);
      expect(error).toMatchObject({ reasonCode: 0x80, filter: 'secret' });
      client.end();
    });
  });

  it('fails with the client error when the client closes on a fatal CONNACK refusal', () => {
    virtual(() => {
      const { client } = setup({
        connackDelay: 10,
        connack: () => ({ cmd: 'connack', sessionPresent: false, returnCode: 5 }),
      });
      let error: unknown;
      client.topic('a').subscribe({ error: (e: unknown) => (error = e) });
      asyncScheduler.schedule(() => {
        expect(error).toBeInstanceOf(MqttConnectionError);
        expect(error).toMatchObject({ reasonCode: 5 });
      }, 20);
    });
  });
});

describe('bad bytes from the server', () => {
  it('a malformed packet closes the connection with MqttProtocolError (0x81) and reconnects', () => {
    virtual(() => {
      const { broker, client } = setup();
      const seen: ConnectionState[] = [];
      client.state$.subscribe((s) => seen.push(s));
      (broker as unknown as { connection: { incoming: { next(b: Uint8Array): void } } }).connection.incoming.next(
        new Uint8Array([0x40, 0x01, 0x00]), // PUBACK with remaining length 1: too short
      );
      const reconnecting = seen.find((s) => s.status === 'reconnecting');
      expect(reconnecting?.status === 'reconnecting' && reconnecting.error).toBeInstanceOf(MqttProtocolError);
      client.end();
    });
  });

  it('a packet over maxPacketSize is refused from its header (0x95)', () => {
    virtual(() => {
      const { broker, client } = setup({}, { maxPacketSize: 100 });
      const seen: ConnectionState[] = [];
      client.state$.subscribe((s) => seen.push(s));
      (broker as unknown as { connection: { incoming: { next(b: Uint8Array): void } } }).connection.incoming.next(
        new Uint8Array([0x30, 0xff, 0x7f]), // PUBLISH announcing 16383 bytes
      );
      const reconnecting = seen.find((s) => s.status === 'reconnecting');
      expect(reconnecting?.status === 'reconnecting' && reconnecting.error).toMatchObject({ reasonCode: 0x95 });
      client.end();
    });
  });
});
