import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import type { Packet, SubscribePacket, UnsubscribePacket } from '../../src/packets/packet.js';
import { scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';

interface Setup {
  broker: ScriptedBroker;
  client: MqttClient;
  scheduler: TestScheduler;
  /** The filters of every SUBSCRIBE / UNSUBSCRIBE the broker received, in order. */
  subscribed: string[];
  unsubscribed: string[];
}

function setup(options: ClientOptions = {}): Setup {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const broker = scriptedBroker({ scheduler });
  const subscribed: string[] = [];
  const unsubscribed: string[] = [];
  broker.received$.subscribe((packet: Packet) => {
    if (packet.cmd === 'subscribe') subscribed.push(...(packet as SubscribePacket).subscriptions.map((s) => s.topic));
    if (packet.cmd === 'unsubscribe') unsubscribed.push(...(packet as UnsubscribePacket).unsubscriptions);
  });
  const client = connect('mqtt://broker', { transport: broker.transport, scheduler, ...options });
  scheduler.flush();
  return { broker, client, scheduler, subscribed, unsubscribed };
}

function end({ client, scheduler }: Setup): void {
  client.end({ force: true }).subscribe();
  scheduler.flush();
}

describe('topic() with named wildcards, against the scripted broker', () => {
  it('subscribes with the names stripped and puts the matched level on each message', () => {
    const t = setup();
    const got: { room: string }[] = [];
    const topics: string[] = [];
    t.client.topic('sensors/+room/temperature').subscribe((m) => {
      got.push(m.params);
      topics.push(m.topic);
    });
    t.scheduler.flush();
    t.broker.publish('sensors/kitchen/temperature', '21.5').subscribe();
    t.broker.publish('sensors//temperature', '0').subscribe();
    t.scheduler.flush();
    expect(t.subscribed).toEqual(['sensors/+/temperature']);
    expect(got).toEqual([{ room: 'kitchen' }, { room: '' }]);
    expect(topics).toEqual(['sensors/kitchen/temperature', 'sensors//temperature']);
    end(t);
  });

  it('#name gives the remaining levels, [] when # matched the parent level', () => {
    const t = setup();
    const got: string[][] = [];
    t.client.topic('logs/#path').subscribe((m) => got.push(m.params.path));
    t.scheduler.flush();
    for (const topic of ['logs/api/2024/05', 'logs', 'logs/']) t.broker.publish(topic, 'x').subscribe();
    t.scheduler.flush();
    expect(t.subscribed).toEqual(['logs/#']);
    expect(got).toEqual([['api', '2024', '05'], [], ['']]);
    end(t);
  });

  it('keeps the payload, QoS and flags of the message', () => {
    const t = setup();
    const got: MqttMessage[] = [];
    t.client.topic('a/+x', { qos: 1 }).subscribe((m) => got.push(m));
    t.scheduler.flush();
    t.broker.publish('a/1', 'hello', { qos: 1 }).subscribe();
    t.scheduler.flush();
    expect(got).toEqual([
      { topic: 'a/1', payload: new TextEncoder().encode('hello'), qos: 1, retain: false, dup: false, params: { x: '1' } },
    ]);
    end(t);
  });

  it('a filter without names delivers plain messages (no params)', () => {
    const t = setup();
    const got: MqttMessage[] = [];
    t.client.topic('sensors/+/temperature').subscribe((m) => got.push(m));
    t.scheduler.flush();
    t.broker.publish('sensors/hall/temperature', '1').subscribe();
    t.scheduler.flush();
    expect(got).toHaveLength(1);
    expect('params' in (got[0] as MqttMessage)).toBe(false);
    end(t);
  });

  it('filters that strip to the same one share one SUBSCRIBE, each stream with its own names; messages$ has no params', () => {
    const t = setup();
    const xs: string[] = [];
    const ys: string[] = [];
    const all: MqttMessage[] = [];
    t.client.messages$.subscribe((m) => all.push(m));
    const one = t.client.topic('a/+x').subscribe((m) => xs.push(m.params.x));
    const two = t.client.topic('a/+y').subscribe((m) => ys.push(m.params.y));
    t.scheduler.flush();
    t.broker.publish('a/1', 'p').subscribe();
    t.scheduler.flush();
    expect(t.subscribed).toEqual(['a/+']);
    expect(xs).toEqual(['1']);
    expect(ys).toEqual(['1']);
    expect(all).toHaveLength(1);
    expect('params' in (all[0] as MqttMessage)).toBe(false);
    one.unsubscribe();
    two.unsubscribe();
    t.scheduler.flush();
    expect(t.unsubscribed).toEqual(['a/+']);
    end(t);
  });

  it('MQTT-4.8.2-1: $share/group/ is kept in the SUBSCRIBE, the names stripped', () => {
    const t = setup({ protocolVersion: 5 });
    const got: string[] = [];
    t.client.topic('$share/group/sensors/+room/x').subscribe((m) => got.push(m.params.room));
    t.scheduler.flush();
    t.broker.publish('sensors/hall/x', '1').subscribe();
    t.scheduler.flush();
    expect(t.subscribed).toEqual(['$share/group/sensors/+/x']);
    expect(got).toEqual(['hall']);
    end(t);
  });

  it.each(['a/+id/b/+id', 'a/+1bad', 'a/#rest/b'])('%s fails the stream with a TypeError naming it; nothing is sent', (filter) => {
    const t = setup();
    let error: unknown;
    t.client.topic(filter).subscribe({ error: (e: unknown) => (error = e) });
    t.scheduler.flush();
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain(JSON.stringify(filter));
    expect(t.subscribed).toEqual([]);
    end(t);
  });
});
