/**
 * The server's Maximum Packet Size (CONNACK) holds for every packet the client sends
 * (MQTT-3.2.2-15), not only PUBLISH: SUBSCRIBE fails its streams, UNSUBSCRIBE waits,
 * acks / DISCONNECT / AUTH lose their Reason String and User Properties first.
 */
import { encode } from '../../src/packets/encode.js';
import type { DisconnectPacket, Packet, PubackPacket, SubscribePacket } from '../../src/packets/packet.js';
import { MqttAuthenticationError } from '../../src/protocol/errors.js';
import { fitPacket, packetFits } from '../../src/protocol/packet-fits.js';
import { cmds, connack, connected, incoming, reconnect, session, stream, type Effect } from './session-harness.js';

const size = (p: Packet): number => encode(p, 5).length;
const v5ack = (maximumPacketSize: number, sessionPresent = false) =>
  connack(sessionPresent, { returnCode: undefined, reasonCode: 0, properties: { maximumPacketSize } });
const v5 = () => session({ protocolVersion: 5, packetSize: size });
const long = 'a/' + 'x'.repeat(200);

/**
 * A session whose filter `long` became stale: subscribed under a large limit, resumed
 * under a limit too small for its UNSUBSCRIBE, then left by its stream.
 */
function leftStale(): ReturnType<typeof v5> {
  const { s, out } = v5();
  connected(s, out, v5ack(1000));
  const big = stream('big', long);
  s.subscribe(big, 1);
  s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 1);
  reconnect(s, out, v5ack(100, true), 2);
  s.unsubscribe(big, 3);
  return { s, out };
}

describe('Session: SUBSCRIBE within the server Maximum Packet Size (MQTT-3.2.2-15)', () => {
  it('MQTT-3.2.2-15: a SUBSCRIBE over the limit fails its stream with a RangeError naming filter and limit; nothing sent', () => {
    const { s, out } = v5();
    connected(s, out, v5ack(100));
    s.subscribe(stream('big', long), 1);
    const effects = out.take();
    expect(effects.filter((e) => e.type === 'send')).toEqual([]);
    const failed = effects.find((e) => e.type === 'streamError');
    expect(failed).toEqual({ type: 'streamError', stream: 'big', error: expect.any(RangeError) });
    const message = failed?.type === 'streamError' ? failed.error.message : '';
    expect(message).toContain(`"${long}"`);
    expect(message).toContain('100 bytes');
    expect(message).toContain('MQTT-3.2.2-15');
  });

  it('MQTT-3.2.2-15: the refused filter is not half-registered (tree, subscriptions, identifiers, packet ids)', () => {
    const { s, out } = v5();
    connected(s, out, v5ack(100));
    s.subscribe(stream('big', long), 1);
    out.take();
    // Not routed by the tree nor by its subscription identifier (1, allocated for it).
    s.received({ ...incoming(long), properties: { subscriptionIdentifier: 1 } }, 2);
    expect(out.take().filter((e) => e.type === 'deliver')).toEqual([]);
    // Not a subscription any more: a second stream of it is refused again, not joined silently.
    s.subscribe(stream('again', long), 3);
    expect(out.take().map((e) => e.type)).toEqual(['streamError']);
    // The packet identifier was not taken: the next SUBSCRIBE has 1.
    s.subscribe(stream('small', 'a/b'), 4);
    const sent = out.sent() as SubscribePacket[];
    expect(cmds(sent)).toEqual(['subscribe:1']);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 5);
    s.received(incoming('a/b'), 6);
    expect(out.take().filter((e) => e.type === 'deliver')).toEqual([
      { type: 'deliver', stream: 'small', message: expect.objectContaining({ topic: 'a/b' }) },
    ]);
  });

  it('MQTT-3.2.2-15: user properties count; the exact size decides (a SUBSCRIBE of exactly the limit goes)', () => {
    const { s, out } = v5();
    const userProperties = { k: 'v'.repeat(80) };
    const exact = size({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [{ topic: 'a', qos: 0, nl: false, rap: false, rh: 0 }],
      properties: { subscriptionIdentifier: 1, userProperties },
    });
    connected(s, out, v5ack(exact));
    s.subscribe(stream('fits', 'a', { userProperties }), 1);
    expect(cmds(out.sent())).toEqual(['subscribe:1']);
    s.subscribe(stream('over', 'b', { userProperties: { k: 'v'.repeat(81) } }), 2);
    expect(out.take()).toEqual<Effect[]>([{ type: 'streamError', stream: 'over', error: expect.any(RangeError) }]);
  });

  it('MQTT-3.2.2-15: a stream subscribed offline fails when the CONNACK sets a smaller limit; the others subscribe', () => {
    const { s, out } = v5();
    s.subscribe(stream('big', long), 0);
    s.subscribe(stream('small', 'a/b'), 0);
    s.start(0);
    s.opened(0);
    out.take();
    s.received(v5ack(100), 1);
    const effects = out.take();
    expect(effects.filter((e) => e.type === 'streamError')).toEqual([
      { type: 'streamError', stream: 'big', error: expect.any(RangeError) },
    ]);
    const sent = effects.flatMap((e) => (e.type === 'send' ? [e.packet as SubscribePacket] : []));
    expect(sent.map((p) => p.subscriptions[0]?.topic)).toEqual(['a/b']);
  });

  it('MQTT-3.2.2-15: a refused QoS upgrade fails only the stream that asked; the filter keeps its QoS and streams', () => {
    const { s, out } = v5();
    connected(s, out, v5ack(100));
    s.subscribe(stream('low', 'a'), 1);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 1);
    out.take();
    s.subscribe(stream('high', 'a', { qos: 1, userProperties: { k: 'v'.repeat(100) } }), 2);
    expect(out.take()).toEqual<Effect[]>([{ type: 'streamError', stream: 'high', error: expect.any(RangeError) }]);
    s.received(incoming('a'), 3);
    expect(out.take().filter((e) => e.type === 'deliver').map((e) => e.type === 'deliver' && e.stream)).toEqual(['low']);
    // Back at QoS 0: a plain QoS 1 stream upgrades it.
    s.subscribe(stream('one', 'a', { qos: 1 }), 4);
    const [sub] = out.sent() as SubscribePacket[];
    expect(sub?.subscriptions[0]).toMatchObject({ topic: 'a', qos: 1 });
  });

  it('3.1.1 has no server limit: a long filter subscribes', () => {
    const { s, out } = session({ packetSize: (p) => encode(p, 4).length });
    connected(s, out);
    s.subscribe(stream('big', long), 1);
    expect(cmds(out.sent())).toEqual(['subscribe:1']);
  });
});

describe('Session: UNSUBSCRIBE within the server Maximum Packet Size (MQTT-3.2.2-15)', () => {
  it('MQTT-3.2.2-15: an UNSUBSCRIBE over a resumed connection limit is not sent; the filter stays stale and goes when it fits', () => {
    const { s, out } = v5();
    connected(s, out, v5ack(1000));
    const big = stream('big', long, { qos: 1 });
    s.subscribe(big, 1);
    s.received({ cmd: 'suback', messageId: 1, granted: [1] }, 1);
    out.take();
    // Session resumed on a server with a smaller limit: the subscription is held, not sent again.
    expect(reconnect(s, out, v5ack(100, true), 2)).toEqual([]);
    s.unsubscribe(big, 3);
    expect(out.take()).toEqual([]);
    // What the server still sends for it is acknowledged, delivered to no stream.
    s.received(incoming(long, 1, 7), 4);
    const effects = out.take();
    expect(effects.filter((e) => e.type === 'deliver')).toEqual([]);
    expect(cmds(effects.flatMap((e) => (e.type === 'send' ? [e.packet] : [])))).toEqual(['puback:7']);
    // Resumed again under a larger limit: the UNSUBSCRIBE goes.
    const sent = reconnect(s, out, v5ack(1000, true), 5);
    expect(sent).toEqual([{ cmd: 'unsubscribe', messageId: expect.any(Number), unsubscriptions: [long] }]);
  });

  it('MQTT-3.2.2-15: an UNSUBSCRIBE whose User Properties do not fit goes without them', () => {
    const { s, out } = v5();
    connected(s, out, v5ack(100));
    const leaving = stream('leaving', 'a/b', { unsubscribeUserProperties: { note: 'n'.repeat(200) } });
    s.subscribe(leaving, 1);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 1);
    out.take();
    s.unsubscribe(leaving, 2);
    const [unsubscribe] = out.sent();
    expect(unsubscribe).toMatchObject({ cmd: 'unsubscribe', unsubscriptions: ['a/b'] });
    expect(unsubscribe?.cmd === 'unsubscribe' && unsubscribe.properties?.userProperties).toBeFalsy();
  });

  it('MQTT-3.2.2-15: a stale filter is forgotten when the session is not resumed', () => {
    const { s, out } = leftStale();
    expect(reconnect(s, out, v5ack(1000, false), 4)).toEqual([]);
  });
});

describe('Session: acks, DISCONNECT and AUTH within the server Maximum Packet Size', () => {
  it('MQTT-3.2.2-15: under a usual limit acks, PINGREQ and DISCONNECT go unchanged', () => {
    const { s, out } = v5();
    connected(s, out, v5ack(20));
    s.received(incoming('t', 1, 3), 1);
    s.received(incoming('t', 2, 4), 2);
    s.received({ cmd: 'pubrel', messageId: 4, reasonCode: 0 }, 3);
    s.end(4, false, { reasonCode: 0, sessionExpiryInterval: 0 });
    expect(cmds(out.sent())).toEqual(['puback:3', 'pubrec:4', 'pubcomp:4', 'disconnect']);
  });

  it('MQTT-3.2.2-15: a DISCONNECT that cannot fit even cut is not sent: the connection just closes (last resort)', () => {
    const { s, out } = session({ protocolVersion: 5, packetSize: size, sessionExpiryInterval: 10 });
    connected(s, out, v5ack(5));
    s.end(1, false, { reasonCode: 0, sessionExpiryInterval: 60 });
    const effects = out.take();
    expect(effects.filter((e) => e.type === 'send')).toEqual([]);
    expect(effects.map((e) => e.type)).toContain('close');
    expect(effects.at(-1)).toEqual({ type: 'state', state: { status: 'closed' } });
  });

  it('MQTT-3.2.2-15: reauthenticate() with Authentication Data over the limit fails with a RangeError, nothing sent, connected', () => {
    const { s, out } = session({ protocolVersion: 5, packetSize: size, authentication: { method: 'M' } });
    connected(s, out, connack(false, { returnCode: undefined, reasonCode: 0, properties: { maximumPacketSize: 50, authenticationMethod: 'M' } }));
    s.reauthenticate({ data: new Uint8Array(100) }, 1);
    expect(out.take()).toEqual<Effect[]>([{ type: 'reauthenticated', error: expect.any(RangeError) }]);
    s.reauthenticate({ data: new Uint8Array(10) }, 2);
    expect(cmds(out.sent())).toEqual(['auth']);
  });

  it('MQTT-3.2.2-15: an AUTH whose Reason String or User Properties do not fit goes without them', () => {
    const { s, out } = session({ protocolVersion: 5, packetSize: size, authentication: { method: 'M' } });
    connected(s, out, connack(false, { returnCode: undefined, reasonCode: 0, properties: { maximumPacketSize: 50, authenticationMethod: 'M' } }));
    s.reauthenticate({ data: new Uint8Array(10), reasonString: 'r'.repeat(60), userProperties: { k: 'u'.repeat(60) } }, 1);
    expect(out.sent()).toEqual([
      { cmd: 'auth', reasonCode: 0x19, properties: { authenticationMethod: 'M', authenticationData: new Uint8Array(10) } },
    ]);
  });

  it('MQTT-3.2.2-15: an AUTH answer over the limit is not sent: DISCONNECT 0x80 and a MqttAuthenticationError', () => {
    const { s, out } = session({ protocolVersion: 5, packetSize: size, authentication: { method: 'M' } });
    connected(s, out, connack(false, { returnCode: undefined, reasonCode: 0, properties: { maximumPacketSize: 50, authenticationMethod: 'M' } }));
    s.reauthenticate({}, 1);
    out.take();
    s.received({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'M' } }, 2);
    const challenge = out.take().find((e) => e.type === 'authChallenge');
    const token = challenge?.type === 'authChallenge' ? challenge.token : 0;
    s.authAnswer(token, { data: new Uint8Array(100) }, 3);
    const effects = out.take();
    expect(effects.filter((e) => e.type === 'send')).toEqual([{ type: 'send', packet: { cmd: 'disconnect', reasonCode: 0x80 } }]);
    expect(effects).toContainEqual({ type: 'reauthenticated', error: expect.any(MqttAuthenticationError) });
    expect(effects).toContainEqual({ type: 'state', state: expect.objectContaining({ status: 'reconnecting' }) });
  });
});

describe('fitPacket: Reason String and User Properties may be left out to fit (MQTT-3.2.2-15, MQTT-3.1.2-25)', () => {
  const reasonString = 'r'.repeat(60);
  const userProperties = { k: 'u'.repeat(60) };

  it('MQTT-3.4.2-2 / MQTT-3.1.2-25: an ack that fits goes as it is; one over the limit loses its Reason String first', () => {
    const puback: PubackPacket = { cmd: 'puback', messageId: 1, reasonCode: 0x10, properties: { reasonString, userProperties } };
    expect(fitPacket(puback, 1000, size)).toBe(puback);
    const cut = fitPacket(puback, size(puback) - 1, size);
    expect(cut).toEqual({ ...puback, properties: { userProperties } });
    expect(puback.properties).toEqual({ reasonString, userProperties }); // not mutated
  });

  it('MQTT-3.14.2-3 / MQTT-3.14.2-4 / MQTT-3.1.2-25: then the User Properties; other properties stay', () => {
    const disconnect: DisconnectPacket = {
      cmd: 'disconnect',
      reasonCode: 0,
      properties: { reasonString, userProperties, sessionExpiryInterval: 5 },
    };
    expect(fitPacket(disconnect, 20, size)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 5 } });
  });

  it('MQTT-3.2.2-15 / MQTT-3.1.2-25: undefined when even the cut packet is over the limit (the packet is not sent)', () => {
    const disconnect: DisconnectPacket = { cmd: 'disconnect', reasonCode: 0, properties: { reasonString, sessionExpiryInterval: 5 } };
    expect(fitPacket(disconnect, 4, size)).toBeUndefined();
    expect(fitPacket({ cmd: 'pingreq' }, 1, size)).toBeUndefined();
  });

  it('packetFits: the cheap bound answers without the exact size when far under the limit', () => {
    const exact = jest.fn(size);
    const unsubscribe: Packet = { cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['a/b'], properties: { userProperties } };
    expect(packetFits(unsubscribe, 1000, exact)).toBe(true);
    expect(exact).not.toHaveBeenCalled();
    expect(packetFits(unsubscribe, size(unsubscribe), exact)).toBe(true);
    expect(packetFits(unsubscribe, size(unsubscribe) - 1, exact)).toBe(false);
  });
});

describe('Session: a stale filter subscribed again over the limit (MQTT-3.2.2-15)', () => {
  it('MQTT-3.2.2-15: the refused SUBSCRIBE does not forget the UNSUBSCRIBE still owed to the resumed session', () => {
    const { s, out } = leftStale();
    s.subscribe(stream('again', long), 4);
    expect(out.take().map((e) => e.type)).toEqual(['streamError']);
    const sent = reconnect(s, out, v5ack(1000, true), 5);
    expect(sent).toEqual([{ cmd: 'unsubscribe', messageId: expect.any(Number), unsubscriptions: [long] }]);
  });

  it('a filter unsubscribed offline and subscribed again before the CONNACK: SUBSCRIBE only, no UNSUBSCRIBE', () => {
    const { s, out } = v5();
    connected(s, out, v5ack(1000));
    const first = stream('first', 'a/b');
    s.subscribe(first, 1);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 1);
    s.closed(new Error('lost'), 2);
    s.unsubscribe(first, 3);
    s.subscribe(stream('second', 'a/b'), 4);
    s.timer('reconnect', 5);
    s.opened(5);
    out.take();
    s.received(v5ack(1000, true), 6);
    expect(out.sent().map((p) => p.cmd)).toEqual(['subscribe']);
  });
});
