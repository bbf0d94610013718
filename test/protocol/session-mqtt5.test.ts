import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import type { Packet, PublishPacket, PublishProperties, SubscribePacket } from '../../src/packets/packet.js';
import { MqttCapabilityError } from '../../src/protocol/errors.js';
import { Session } from '../../src/protocol/session.js';
import type { SessionConfig } from '../../src/protocol/session-config.js';
import { memoryStore } from '../../src/store/memory-store.js';
import {
  cmds,
  config,
  connack,
  connected,
  incoming,
  reconnect,
  Recorder,
  req,
  session,
  stream,
  type Effect,
  type Req,
  type Stream,
} from './session-harness.js';

const v5ack = (properties: object = {}, sessionPresent = false) =>
  connack(sessionPresent, { returnCode: undefined, reasonCode: 0, properties });

const v5 = (overrides: Partial<SessionConfig> = {}) => session({ protocolVersion: 5, ...overrides });

const publishes = (packets: Packet[]): PublishPacket[] => packets.filter((p): p is PublishPacket => p.cmd === 'publish');

/** Topic and alias of each PUBLISH sent. */
const sentTopics = (packets: Packet[]): Array<[string, number | undefined]> =>
  publishes(packets).map((p) => [p.topic, p.properties?.topicAlias]);

const rejection = (effects: Effect[], name: string): Error | undefined => {
  const e = effects.find((x) => x.type === 'reject' && x.request === name);
  return e?.type === 'reject' ? e.error : undefined;
};

const streamFailure = (effects: Effect[], name: string): Error | undefined => {
  const e = effects.find((x) => x.type === 'streamError' && x.stream === name);
  return e?.type === 'streamError' ? e.error : undefined;
};

const delivered = (effects: Effect[]): string[] => effects.flatMap((e) => (e.type === 'deliver' ? [e.stream] : []));

describe('Session MQTT 5: outbound topic aliases', () => {
  it('first publish of a topic sends topic + alias, later ones an empty topic + alias (MQTT 5 3.3.2.3.4)', () => {
    const { s, out } = v5();
    connected(s, out, v5ack({ topicAliasMaximum: 3 }));
    s.publish(req('a1', 0, 'x/a'), 0);
    s.publish(req('b1', 0, 'x/b'), 0);
    s.publish(req('a2', 0, 'x/a'), 0);
    s.publish(req('b2', 0, 'x/b'), 0);
    expect(sentTopics(out.sent())).toEqual([
      ['x/a', 1],
      ['x/b', 2],
      ['', 1],
      ['', 2],
    ]);
  });

  it('keeps other properties beside the alias', () => {
    const { s, out } = v5();
    connected(s, out, v5ack({ topicAliasMaximum: 1 }));
    const r = { ...req('r', 0, 't'), properties: { contentType: 'text/plain' } };
    s.publish(r, 0);
    s.publish({ ...r, name: 'again' }, 0);
    expect(publishes(out.sent()).map((p) => p.properties)).toEqual([
      { contentType: 'text/plain', topicAlias: 1 },
      { contentType: 'text/plain', topicAlias: 1 },
    ]);
  });

  it('when all aliases are taken the least recently used topic gives its alias up (MQTT-3.2.2-17: never above the maximum)', () => {
    const { s, out } = v5();
    connected(s, out, v5ack({ topicAliasMaximum: 2 }));
    for (const [name, topic] of [
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'a'], // a is now more recent than b
      ['4', 'c'], // evicts b (alias 2)
      ['5', 'a'], // a keeps alias 1
      ['6', 'b'], // evicts c (alias 2)
      ['7', 'c'], // evicts a (alias 1)
    ] as const) {
      s.publish(req(name, 0, topic), 0);
    }
    expect(sentTopics(out.sent())).toEqual([
      ['a', 1],
      ['b', 2],
      ['', 1],
      ['c', 2],
      ['', 1],
      ['b', 2],
      ['c', 1],
    ]);
  });

  it('no aliases when the server allows none (MQTT-3.2.2-18), when turned off, or in 3.1.1', () => {
    const none = v5();
    connected(none.s, none.out, v5ack());
    const off = v5({ topicAliases: false });
    connected(off.s, off.out, v5ack({ topicAliasMaximum: 10 }));
    const v4 = session();
    connected(v4.s, v4.out, connack(false, { properties: { topicAliasMaximum: 10 } }));
    for (const { s, out } of [none, off, v4]) {
      s.publish(req('a', 0, 't'), 0);
      s.publish(req('b', 0, 't'), 0);
      const sent = publishes(out.sent());
      expect(sent.map((p) => p.topic)).toEqual(['t', 't']);
      expect(sent.every((p) => p.properties === undefined)).toBe(true);
    }
  });

  it('the in-flight table and the store keep the full topic; only the packet sent carries the alias', () => {
    const store = memoryStore();
    const { s, out } = v5({ store });
    connected(s, out, v5ack({ topicAliasMaximum: 5 }));
    s.publish(req('a', 1, 'long/topic'), 0);
    s.publish(req('b', 1, 'long/topic'), 0);
    expect(sentTopics(out.sent())).toEqual([
      ['long/topic', 1],
      ['', 1],
    ]);
    const kept = store.load().outgoing.map((o) => [o.packet.topic, o.packet.properties]);
    expect(kept).toEqual([
      ['long/topic', undefined],
      ['long/topic', undefined],
    ]);
  });

  it('MQTT-3.3.2-7: a resend after reconnect carries no alias, DUP (session present) or as new; aliases start over', () => {
    const { s, out } = v5({ clean: false });
    connected(s, out, v5ack({ topicAliasMaximum: 5 }));
    s.publish(req('a', 1, 'p/q'), 0);
    s.publish(req('b', 2, 'p/q'), 0);
    out.take();
    const resumed = publishes(reconnect(s, out, v5ack({ topicAliasMaximum: 5 }, true)));
    expect(resumed.map((p) => [p.topic, p.dup, p.properties])).toEqual([
      ['p/q', true, undefined],
      ['p/q', true, undefined],
    ]);
    // The table was reset: the next publish sets the alias again.
    s.publish(req('c', 0, 'p/q'), 0);
    expect(sentTopics(out.sent())).toEqual([['p/q', 1]]);
    const fresh = publishes(reconnect(s, out, v5ack({ topicAliasMaximum: 5 })));
    expect(fresh.map((p) => [p.topic, p.dup, p.properties])).toEqual([
      ['p/q', false, undefined],
      ['p/q', false, undefined],
    ]);
  });

  it('an alias the application set is respected and recorded; ours then follow it', () => {
    const { s, out } = v5();
    connected(s, out, v5ack({ topicAliasMaximum: 2 }));
    s.publish({ ...req('own', 1, 'mine'), properties: { topicAlias: 2 } }, 0);
    s.publish(req('auto', 0, 'mine'), 0); // the server maps 2 → mine
    s.publish(req('other', 0, 'other'), 0); // gets 1
    s.publish(req('third', 0, 'third'), 0); // evicts mine (least recent): 2
    expect(sentTopics(out.sent())).toEqual([
      ['mine', 2],
      ['', 2],
      ['other', 1],
      ['third', 2],
    ]);
  });

  it('an application alias is kept out of the stored packet, so its resend has none', () => {
    const store = memoryStore();
    const { s, out } = v5({ store, clean: false });
    connected(s, out, v5ack({ topicAliasMaximum: 2 }));
    s.publish({ ...req('own', 1, 'mine'), properties: { topicAlias: 1, contentType: 'c' } }, 0);
    expect(publishes(out.sent())[0]?.properties).toEqual({ topicAlias: 1, contentType: 'c' });
    expect(store.load().outgoing[0]?.packet.properties).toEqual({ contentType: 'c' });
    const resent = publishes(reconnect(s, out, v5ack({}, true)));
    expect(resent.map((p) => [p.topic, p.properties])).toEqual([['mine', { contentType: 'c' }]]);
  });

  it.each([
    [0, 2],
    [3, 2],
    [1, 0],
  ])(
    'MQTT-3.3.2-8 / MQTT-3.2.2-17 / MQTT-3.2.2-18: an application alias %i with a server maximum of %i fails with RangeError, unsent',
    (alias, maximum) => {
      const { s, out } = v5();
      connected(s, out, v5ack({ topicAliasMaximum: maximum }));
      s.publish({ ...req('bad', 1, 't'), properties: { topicAlias: alias } }, 0);
      const effects = out.take();
      expect(effects.some((e) => e.type === 'send')).toBe(false);
      expect(rejection(effects, 'bad')).toBeInstanceOf(RangeError);
      s.publish(req('next', 1, 't'), 0);
      expect(cmds(out.sent())).toEqual(['publish:1']); // the id was not used up
    },
  );

  it('MQTT-3.2.2-15: no alias when it would push the packet over the server Maximum Packet Size', () => {
    const size = (p: Packet): number => {
      const pub = p as PublishPacket;
      return 10 + pub.topic.length + pub.payload.length + (pub.properties?.topicAlias === undefined ? 0 : 3);
    };
    const { s, out } = v5({ packetSize: size });
    connected(s, out, v5ack({ topicAliasMaximum: 2, maximumPacketSize: 14 }));
    s.publish(req('r', 0, 'ab', new Uint8Array(2)), 0); // 14 plain, 17 with the alias
    s.publish(req('r2', 0, 'ab', new Uint8Array(2)), 0);
    expect(sentTopics(out.sent())).toEqual([
      ['ab', undefined],
      ['ab', undefined],
    ]);
  });

  it('QoS 0 and QoS 1 share the table, and the queued publishes sent on CONNACK get aliases', () => {
    const { s, out } = v5();
    s.start(0);
    s.publish(req('q1', 1, 't'), 0);
    s.publish(req('q0', 0, 't'), 0);
    s.opened(0);
    s.received(v5ack({ topicAliasMaximum: 1 }), 0);
    expect(sentTopics(out.sent())).toEqual([
      ['t', 1],
      ['', 1],
    ]);
  });
});

describe('Session MQTT 5: our Receive Maximum (MQTT-3.3.4-9)', () => {
  const limited = (receiveMaximum: number) => v5({ properties: { receiveMaximum } });

  const closedWith0x93 = (effects: Effect[]): boolean =>
    effects.some((e) => e.type === 'send' && e.packet.cmd === 'disconnect' && e.packet.reasonCode === 0x93) &&
    effects.some(
      (e) =>
        e.type === 'state' &&
        e.state.status === 'reconnecting' &&
        e.state.error instanceof MqttProtocolError &&
        e.state.error.reasonCode === 0x93,
    );

  it('QoS 2 messages count until PUBCOMP: one more than Receive Maximum is DISCONNECT 0x93, then reconnect', () => {
    const { s, out } = limited(2);
    connected(s, out, v5ack());
    s.received(incoming('a', 2, 1), 0);
    s.received(incoming('a', 2, 2), 0);
    expect(closedWith0x93(out.take())).toBe(false);
    s.received({ cmd: 'pubrel', messageId: 1, reasonCode: 0 }, 0); // PUBCOMP 1 frees a slot
    s.received(incoming('a', 2, 3), 0);
    expect(closedWith0x93(out.take())).toBe(false);
    s.received(incoming('a', 2, 4), 0);
    expect(closedWith0x93(out.take())).toBe(true);
  });

  it('a QoS 2 re-send of an id awaiting PUBREL is not a new message', () => {
    const { s, out } = limited(1);
    connected(s, out, v5ack());
    s.received(incoming('a', 2, 1), 0);
    s.received(incoming('a', 2, 1, true), 0);
    expect(closedWith0x93(out.take())).toBe(false);
  });

  it('QoS 1 acknowledged at once never counts; QoS 0 never counts', () => {
    const { s, out } = limited(1);
    connected(s, out, v5ack());
    for (let id = 1; id <= 5; id++) s.received(incoming('a', 1, id), 0);
    for (let i = 0; i < 5; i++) s.received(incoming('a', 0), 0);
    expect(closedWith0x93(out.take())).toBe(false);
  });

  it('a manual-ack message not yet acked counts (QoS 1 until its PUBACK goes out)', () => {
    const out = new Recorder();
    const receipts: number[] = [];
    out.deliver = (_stream: Stream, _message: MqttMessage, receipt?: number) => {
      if (receipt !== undefined) receipts.push(receipt);
    };
    const s = new Session<Req, Stream>(config({ protocolVersion: 5, properties: { receiveMaximum: 2 } }), out);
    connected(s, out, v5ack());
    const m = stream('m', 'a', { qos: 1, ack: 'manual' });
    s.subscribe(m, 0);
    s.received(incoming('a', 1, 1), 0);
    s.received(incoming('a', 1, 2), 0);
    expect(closedWith0x93(out.take())).toBe(false);
    s.acknowledge(m, receipts[0] as number, 0);
    expect(cmds(out.sent())).toEqual(['puback:1']);
    s.received(incoming('a', 1, 3), 0);
    expect(closedWith0x93(out.take())).toBe(false);
    s.received(incoming('a', 1, 4), 0);
    expect(closedWith0x93(out.take())).toBe(true);
  });

  it('the count starts over on each connection', () => {
    const { s, out } = limited(1);
    connected(s, out, v5ack());
    s.received(incoming('a', 2, 1), 0);
    reconnect(s, out, v5ack());
    s.received(incoming('a', 2, 2), 0);
    expect(closedWith0x93(out.take())).toBe(false);
  });

  it('not enforced without a Receive Maximum below 65535, nor in 3.1.1, nor with enforceReceiveMaximum: false', () => {
    const cases = [
      { ...v5(), ack: v5ack() },
      { ...session({ properties: { receiveMaximum: 1 } }), ack: connack() },
      { ...v5({ properties: { receiveMaximum: 1 }, enforceReceiveMaximum: false }), ack: v5ack() },
    ];
    for (const { s, out, ack } of cases) {
      connected(s, out, ack);
      for (let id = 1; id <= 100; id++) s.received(incoming('a', 2, id), 0);
      expect(out.take().some((e) => e.type === 'send' && e.packet.cmd === 'disconnect')).toBe(false);
    }
  });
});

describe('Session MQTT 5: subscription identifiers', () => {
  const subscribes = (packets: Packet[]): SubscribePacket[] =>
    packets.filter((p): p is SubscribePacket => p.cmd === 'subscribe');

  const withIds = (topic: string, ids: number | number[], qos: 0 | 1 = 0, messageId?: number): PublishPacket => {
    const properties: PublishProperties = { subscriptionIdentifier: ids };
    return { ...incoming(topic, qos, messageId), properties };
  };

  it('each subscription gets its own identifier in SUBSCRIBE; an application identifier is used as given', () => {
    const { s, out } = v5();
    connected(s, out, v5ack());
    s.subscribe(stream('a', 'x/+'), 0);
    s.subscribe(stream('a2', 'x/+'), 0); // shares the subscription
    s.subscribe(stream('b', 'x/#'), 0);
    s.subscribe(stream('u', 'y', { subscriptionIdentifier: 77 }), 0);
    expect(subscribes(out.sent()).map((p) => [p.subscriptions[0]?.topic, p.properties?.subscriptionIdentifier])).toEqual([
      ['x/+', 1],
      ['x/#', 2],
      ['y', 77],
    ]);
  });

  it('MQTT-3.3.4-3 / -4: a PUBLISH with identifiers reaches only the streams of those subscriptions', () => {
    const { s, out } = v5();
    connected(s, out, v5ack());
    s.subscribe(stream('plain', 'sensors/+'), 0); // id 1
    s.subscribe(stream('share', '$share/g/sensors/+'), 0); // id 2
    s.subscribe(stream('share2', '$share/g/sensors/+'), 0);
    out.take();
    s.received(withIds('sensors/t', 2), 0); // the copy for the share
    expect(delivered(out.take()).sort()).toEqual(['share', 'share2']);
    s.received(withIds('sensors/t', 1), 0); // the copy for the plain one
    expect(delivered(out.take())).toEqual(['plain']);
    s.received(withIds('sensors/t', [1, 2]), 0); // one copy for both
    expect(delivered(out.take()).sort()).toEqual(['plain', 'share', 'share2']);
  });

  it('without identifiers, or with none we know for a matching filter, the topic tree decides', () => {
    const { s, out } = v5();
    connected(s, out, v5ack());
    s.subscribe(stream('plain', 'a/+'), 0); // id 1
    s.subscribe(stream('other', 'b'), 0); // id 2
    out.take();
    s.received(incoming('a/x'), 0);
    expect(delivered(out.take())).toEqual(['plain']);
    s.received(withIds('a/x', 99), 0);
    expect(delivered(out.take())).toEqual(['plain']);
    // Id 2 belongs to "b" now (e.g. a subscription of an earlier process had it): tree.
    s.received(withIds('a/x', 2), 0);
    expect(delivered(out.take())).toEqual(['plain']);
  });

  it('manual acks work through identifier routing (QoS 1 waits for the ack)', () => {
    const out = new Recorder();
    const receipts: number[] = [];
    const base = out.deliver.bind(out);
    out.deliver = (st: Stream, message: MqttMessage, receipt?: number) => {
      base(st, message);
      if (receipt !== undefined) receipts.push(receipt);
    };
    const s = new Session<Req, Stream>(config({ protocolVersion: 5 }), out);
    connected(s, out, v5ack());
    const m = stream('m', 'a', { qos: 1, ack: 'manual' });
    s.subscribe(m, 0);
    out.take();
    s.received(withIds('a', 1, 1, 5), 0);
    expect(out.take().map((e) => e.type)).toEqual(['message', 'deliver']);
    s.acknowledge(m, receipts[0] as number, 0);
    expect(cmds(out.sent())).toEqual(['puback:5']);
  });

  it('an identifier is freed with its subscription and not handed out again while in use', () => {
    const { s, out } = v5();
    connected(s, out, v5ack());
    const a = stream('a', 'a');
    s.subscribe(a, 0); // 1
    s.subscribe(stream('b', 'b', { subscriptionIdentifier: 2 }), 0); // the application's 2
    s.subscribe(stream('c', 'c'), 0); // 2 is taken: 3
    s.unsubscribe(a, 0);
    s.subscribe(stream('d', 'd'), 0); // 4 (ours grow)
    expect(
      subscribes(out.sent()).map((p) => p.properties?.subscriptionIdentifier),
    ).toEqual([1, 2, 3, 4]);
    s.received(withIds('a', 1), 0);
    expect(delivered(out.take())).toEqual([]); // nothing subscribes to "a" any more
  });

  it('no identifiers when the server says Subscription Identifiers Available 0, nor in 3.1.1', () => {
    const { s, out } = v5();
    connected(s, out, v5ack({ subscriptionIdentifiersAvailable: false }));
    s.subscribe(stream('a', 'x'), 0);
    expect(subscribes(out.sent())[0]).not.toHaveProperty('properties');
    const v4 = session();
    connected(v4.s, v4.out);
    v4.s.subscribe(stream('a', 'x'), 0);
    expect(subscribes(v4.out.sent())[0]).not.toHaveProperty('properties');
  });

  it('a resubscribe after reconnect sends the same identifier', () => {
    const { s, out } = v5();
    connected(s, out, v5ack());
    s.subscribe(stream('a', 'x'), 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 0);
    out.take();
    const again = subscribes(reconnect(s, out, v5ack()));
    expect(again.map((p) => p.properties?.subscriptionIdentifier)).toEqual([1]);
  });
});

describe('Session MQTT 5: server capabilities fail locally with MqttCapabilityError', () => {
  it.each([
    ['wildcardSubscriptionAvailable', 'a/+', 0xa2, { wildcardSubscriptionAvailable: false }, {}],
    ['wildcardSubscriptionAvailable', '$share/g/a/#', 0xa2, { wildcardSubscriptionAvailable: false }, {}],
    ['sharedSubscriptionAvailable', '$share/g/a', 0x9e, { sharedSubscriptionAvailable: false }, {}],
    ['subscriptionIdentifiersAvailable', 'a', 0xa1, { subscriptionIdentifiersAvailable: false }, { subscriptionIdentifier: 3 }],
  ] as const)('%s = 0: topic("%s") fails with reason code %i, nothing sent (MQTT 5 3.2.2.3.12–14)', (capability, filter, code, props, options) => {
    const { s, out } = v5();
    connected(s, out, v5ack(props));
    s.subscribe(stream('t', filter, options), 0);
    const effects = out.take();
    expect(effects.some((e) => e.type === 'send')).toBe(false);
    const error = streamFailure(effects, 't');
    expect(error).toBeInstanceOf(MqttCapabilityError);
    expect(error).toMatchObject({ capability, reasonCode: code });
    expect(error?.message).toContain(filter);
    // Nothing left behind: a message on the topic reaches nobody.
    s.received(incoming('a'), 0);
    expect(delivered(out.take())).toEqual([]);
  });

  it('what the server can do still goes: a plain filter without wildcards', () => {
    const { s, out } = v5();
    connected(s, out, v5ack({ wildcardSubscriptionAvailable: false, sharedSubscriptionAvailable: false }));
    s.subscribe(stream('t', 'a/b'), 0);
    expect(cmds(out.sent())).toEqual(['subscribe:1']);
  });

  it('a stream subscribed while offline fails when the CONNACK that rules it out arrives; the others subscribe', () => {
    const { s, out } = v5();
    s.start(0);
    s.subscribe(stream('wild', 'a/#'), 0);
    s.subscribe(stream('plain', 'a/b'), 0);
    s.opened(0);
    out.take();
    s.received(v5ack({ wildcardSubscriptionAvailable: false }), 0);
    const effects = out.take();
    expect(streamFailure(effects, 'wild')).toMatchObject({ capability: 'wildcardSubscriptionAvailable', reasonCode: 0xa2 });
    const sent = effects.flatMap((e) => (e.type === 'send' && e.packet.cmd === 'subscribe' ? [e.packet.subscriptions[0]?.topic] : []));
    expect(sent).toEqual(['a/b']);
  });

  it('a resumed session that held a now-refused subscription is told to drop it', () => {
    const { s, out } = v5({ clean: false });
    connected(s, out, v5ack());
    s.subscribe(stream('wild', 'a/#'), 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 0);
    out.take();
    const sent = reconnect(s, out, v5ack({ wildcardSubscriptionAvailable: false }, true));
    expect(sent).toMatchObject([{ cmd: 'unsubscribe', unsubscriptions: ['a/#'] }]);
  });

  it('MQTT-3.2.2-11 / MQTT-3.2.2-14: publishes over Maximum QoS or retained without Retain Available fail, unsent', () => {
    const { s, out } = v5();
    connected(s, out, v5ack({ maximumQoS: 0, retainAvailable: false }));
    s.publish(req('q1', 1), 0);
    s.publish({ ...req('ret', 0), retain: true }, 0);
    s.publish(req('ok', 0), 0);
    const effects = out.take();
    expect(rejection(effects, 'q1')).toMatchObject({ capability: 'maximumQoS', reasonCode: 0x9b });
    expect(rejection(effects, 'ret')).toMatchObject({ capability: 'retainAvailable', reasonCode: 0x9a });
    expect(rejection(effects, 'q1')).toBeInstanceOf(MqttCapabilityError);
    expect(publishes(effects.flatMap((e) => (e.type === 'send' ? [e.packet] : []))).length).toBe(1);
  });

  it('a publish queued offline fails when the CONNACK says so', () => {
    const { s, out } = v5();
    s.start(0);
    s.publish({ ...req('ret', 1), retain: true }, 0);
    s.opened(0);
    out.take();
    s.received(v5ack({ retainAvailable: false }), 0);
    const effects = out.take();
    expect(rejection(effects, 'ret')).toBeInstanceOf(MqttCapabilityError);
    expect(effects.some((e) => e.type === 'send' && e.packet.cmd === 'publish')).toBe(false);
  });
});

describe('Session: a refused stronger SUBSCRIBE (MQTT 5 options)', () => {
  it("the refused stream's options leave with it: the next SUBSCRIBE carries the remaining stream's (no No Local, its user properties)", () => {
    const { s, out } = v5();
    connected(s, out, v5ack());
    s.subscribe(stream('a', 'x/#', { qos: 0, userProperties: { who: 'A' } }), 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 0);
    s.subscribe(stream('b', 'x/#', { qos: 1, noLocal: true, userProperties: { who: 'B' } }), 1);
    s.received({ cmd: 'suback', messageId: 2, granted: [0x87] }, 2);
    out.take();
    const resent = reconnect(s, out, v5ack({}, false), 3).filter((p) => p.cmd === 'subscribe');
    expect(resent).toEqual([
      {
        cmd: 'subscribe',
        messageId: expect.any(Number),
        subscriptions: [{ topic: 'x/#', qos: 0, nl: false, rap: false, rh: 0 }],
        properties: { subscriptionIdentifier: expect.any(Number), userProperties: { who: 'A' } },
      },
    ]);
  });
});
