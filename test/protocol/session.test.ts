import { MqttProtocolError } from '../../src/packets/errors.js';
import type { ConnectPacket, Packet, PublishPacket } from '../../src/packets/packet.js';
import {
  MqttCapabilityError,
  MqttClosedError,
  MqttConnectionError,
  MqttPublishError,
  MqttQueueFullError,
  MqttSubscribeError,
  MqttTimeoutError,
} from '../../src/protocol/errors.js';
import { memoryStore } from '../../src/store/memory-store.js';
import {
  cmds,
  connack,
  connected,
  incoming,
  reconnect,
  req,
  session,
  stream,
  type Effect,
} from './session-harness.js';

const v5ack = (extra: object = {}) => connack(false, { returnCode: undefined, reasonCode: 0, ...extra });

describe('Session: connection lifecycle', () => {
  it('starts connecting (attempt 1), arms the connect timeout and opens the transport', () => {
    const { s, out } = session();
    s.start(0);
    expect(out.take()).toEqual<Effect[]>([
      { type: 'state', state: { status: 'connecting', attempt: 1 } },
      { type: 'arm', timer: 'connect', ms: 30000 },
      { type: 'open' },
    ]);
  });

  it('sends CONNECT once the transport is open (3.1.1)', () => {
    const { s, out } = session({ username: 'u', password: new Uint8Array([1]), keepalive: 15 });
    s.start(0);
    s.opened(0);
    expect(out.sent()).toEqual<Packet[]>([
      {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: 'test-client',
        clean: true,
        keepalive: 15,
        username: 'u',
        password: new Uint8Array([1]),
      },
    ]);
  });

  it('speaks MQTT 3.1 with protocol name MQIsdp', () => {
    const { s, out } = session({ protocolVersion: 3 });
    s.start(0);
    s.opened(0);
    const [p] = out.sent() as ConnectPacket[];
    expect([p?.protocolId, p?.protocolVersion]).toEqual(['MQIsdp', 3]);
  });

  it('MQTT 5 CONNECT carries our Maximum Packet Size and the session expiry', () => {
    const { s, out } = session({
      protocolVersion: 5,
      maxPacketSize: 1000,
      sessionExpiryInterval: 60,
      properties: { receiveMaximum: 10 },
    });
    s.start(0);
    s.opened(0);
    const [p] = out.sent() as ConnectPacket[];
    expect(p?.properties).toEqual({ receiveMaximum: 10, maximumPacketSize: 1000, sessionExpiryInterval: 60 });
  });

  it('CONNACK: connected, connect timer off, keepalive armed', () => {
    const { s, out } = session();
    s.start(0);
    s.opened(0);
    out.take();
    const ack = connack();
    s.received(ack, 5);
    expect(out.take()).toEqual<Effect[]>([
      { type: 'disarm', timer: 'connect' },
      { type: 'state', state: { status: 'connected', sessionPresent: false, connack: ack, clientId: 'test-client' } },
      { type: 'arm', timer: 'keepalive', ms: 59995 },
    ]);
  });

  it('no CONNACK within connectTimeout: closes, reconnecting after the first backoff delay', () => {
    const { s, out } = session();
    s.start(0);
    s.opened(0);
    out.take();
    s.timer('connect', 30000);
    const effects = out.take();
    expect(effects.slice(0, 4)).toEqual<Effect[]>([
      { type: 'close' },
      { type: 'disarm', timer: 'connect' },
      { type: 'disarm', timer: 'keepalive' },
      {
        type: 'state',
        state: { status: 'reconnecting', attempt: 1, delay: 1000, error: expect.any(MqttTimeoutError) },
      },
    ]);
    expect(effects[4]).toEqual({ type: 'arm', timer: 'reconnect', ms: 1000 });
    s.timer('reconnect', 31000);
    expect(out.take()).toEqual<Effect[]>([
      { type: 'state', state: { status: 'connecting', attempt: 2 } },
      { type: 'arm', timer: 'connect', ms: 30000 },
      { type: 'open' },
    ]);
  });

  it('a refused transport is retried with growing delays up to maxDelay, reset after success', () => {
    const { s, out } = session({ reconnect: { initialDelay: 1000, maxDelay: 10000, factor: 2, jitter: 0 } });
    s.start(0);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      out.take();
      s.closed(new Error('ECONNREFUSED'), 0);
      const st = out.take().find((e) => e.type === 'state');
      if (st?.type === 'state' && st.state.status === 'reconnecting') delays.push(st.state.delay);
      s.timer('reconnect', 0);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
    s.opened(0);
    s.received(connack(), 0);
    out.take();
    s.closed(new Error('lost'), 0);
    expect(out.take()).toContainEqual({
      type: 'state',
      state: { status: 'reconnecting', attempt: 1, delay: 1000, error: expect.any(MqttConnectionError) },
    });
  });

  it('wraps a network error in MqttConnectionError with the error as cause', () => {
    const { s, out } = session();
    s.start(0);
    out.take();
    const refused = new Error('ECONNREFUSED');
    s.closed(refused, 0);
    const st = out.take().find((e) => e.type === 'state');
    const error = st?.type === 'state' && st.state.status === 'reconnecting' ? st.state.error : undefined;
    expect(error).toBeInstanceOf(MqttConnectionError);
    expect(error?.message).toBe('could not connect: ECONNREFUSED');
    expect(error?.cause).toBe(refused);
  });

  it('the peer closing the connection is a MqttConnectionError, retried', () => {
    const { s, out } = session();
    connected(s, out);
    s.closed(undefined, 10);
    const st = out.take().find((e) => e.type === 'state');
    expect(st?.type === 'state' && st.state.status === 'reconnecting' && st.state.error).toBeInstanceOf(
      MqttConnectionError,
    );
  });

  it('reconnect: false closes for good on the first failure, failing streams with the error', () => {
    const { s, out } = session({ reconnect: false });
    connected(s, out);
    s.subscribe(stream('t', 'a'), 0);
    out.take();
    s.closed(new Error('lost'), 1);
    const error = expect.objectContaining({ message: 'connection lost: lost' });
    expect(out.take()).toEqual<Effect[]>([
      { type: 'close' },
      { type: 'disarm', timer: 'connect' },
      { type: 'disarm', timer: 'keepalive' },
      { type: 'disarm', timer: 'connect' },
      { type: 'disarm', timer: 'keepalive' },
      { type: 'disarm', timer: 'reconnect' },
      { type: 'disarm', timer: 'end' },
      { type: 'streamError', stream: 't', error },
      { type: 'state', state: { status: 'closed', error } },
    ]);
  });

  it('a stale closed input (already reconnecting) is ignored', () => {
    const { s, out } = session();
    s.start(0);
    s.closed(new Error('x'), 0);
    out.take();
    s.closed(new Error('again'), 0);
    expect(out.take()).toEqual([]);
  });
});

describe('Session: CONNACK refusals', () => {
  const refusal = (version: 4 | 5, code: number): Effect | undefined => {
    const { s, out } = session({ protocolVersion: version });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(
      version === 5 ? connack(false, { returnCode: undefined, reasonCode: code }) : connack(false, { returnCode: code }),
      0,
    );
    return out.take().find((e) => e.type === 'state');
  };

  it.each([1, 2, 4, 5])('3.1.1 return code %i ends the client with MqttConnectionError', (code) => {
    const st = refusal(4, code);
    expect(st).toEqual({ type: 'state', state: { status: 'closed', error: expect.any(MqttConnectionError) } });
    expect(st?.type === 'state' && st.state.status === 'closed' && st.state.error).toMatchObject({ reasonCode: code });
  });

  it('3.1.1 return code 3 (server unavailable) is retried', () => {
    expect(refusal(4, 3)).toMatchObject({ state: { status: 'reconnecting', error: { reasonCode: 3 } } });
  });

  it.each([0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c, 0x90, 0x95, 0x99, 0x9a, 0x9b])(
    'MQTT 5 reason code 0x%s ends the client',
    (code) => {
      expect(refusal(5, code)).toMatchObject({ state: { status: 'closed', error: { reasonCode: code } } });
    },
  );

  it.each([0x80, 0x81, 0x82, 0x83, 0x88, 0x89, 0x97, 0x9c, 0x9d, 0x9f])('MQTT 5 reason code 0x%s is retried', (code) => {
    expect(refusal(5, code)).toMatchObject({ state: { status: 'reconnecting', error: { reasonCode: code } } });
  });
});

describe('Session: keepalive (MQTT-3.1.2-23 in 3.1.1, MQTT-3.1.2-20 in 5)', () => {
  it('sends PINGREQ after keepalive seconds without sending, then waits one more period', () => {
    const { s, out } = session({ keepalive: 10 });
    connected(s, out);
    s.timer('keepalive', 10000);
    expect(out.take()).toEqual<Effect[]>([
      { type: 'send', packet: { cmd: 'pingreq' } },
      { type: 'arm', timer: 'keepalive', ms: 10000 },
    ]);
    s.received({ cmd: 'pingresp' }, 10020);
    expect(out.take()).toEqual<Effect[]>([{ type: 'arm', timer: 'keepalive', ms: 9980 }]);
  });

  it('no PINGREQ while packets are being sent: the timer moves to keepalive after the last one', () => {
    const { s, out } = session({ keepalive: 10 });
    connected(s, out);
    s.publish(req('r', 0), 4000);
    out.take();
    s.timer('keepalive', 10000);
    expect(out.take()).toEqual<Effect[]>([{ type: 'arm', timer: 'keepalive', ms: 4000 }]);
  });

  it('no PINGRESP within the keepalive: connection lost (MqttTimeoutError), reconnect', () => {
    const { s, out } = session({ keepalive: 10 });
    connected(s, out);
    s.timer('keepalive', 10000);
    out.take();
    s.timer('keepalive', 20000);
    const effects = out.take();
    expect(effects[0]).toEqual({ type: 'close' });
    expect(effects).toContainEqual({
      type: 'state',
      state: { status: 'reconnecting', attempt: 1, delay: 1000, error: expect.any(MqttTimeoutError) },
    });
  });

  it('keepalive 0 arms nothing', () => {
    const { s, out } = session({ keepalive: 0 });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(connack(), 0);
    expect(out.take().some((e) => e.type === 'arm')).toBe(false);
  });

  it('MQTT-3.2.2-21: the Server Keep Alive replaces ours', () => {
    const { s, out } = session({ protocolVersion: 5, keepalive: 60 });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(v5ack({ properties: { serverKeepAlive: 5 } }), 0);
    expect(out.take()).toContainEqual({ type: 'arm', timer: 'keepalive', ms: 5000 });
  });
});

describe('Session: outbound publish', () => {
  it('QoS 0 is written and settled at once', () => {
    const { s, out } = session();
    connected(s, out);
    s.publish(req('r', 0), 0);
    expect(out.take()).toEqual<Effect[]>([
      {
        type: 'send',
        packet: { cmd: 'publish', topic: 'a/b', payload: new Uint8Array([1]), qos: 0, dup: false, retain: false },
      },
      { type: 'settle', request: 'r', result: { reasonCode: 0 } },
    ]);
  });

  it('QoS 1 settles on PUBACK with its packet id', () => {
    const { s, out } = session();
    connected(s, out);
    s.publish(req('r', 1), 0);
    expect(cmds(out.sent())).toEqual(['publish:1']);
    s.received({ cmd: 'puback', messageId: 1 }, 0);
    expect(out.take()).toEqual<Effect[]>([{ type: 'settle', request: 'r', result: { packetId: 1, reasonCode: 0 } }]);
  });

  it('QoS 2: PUBREC → PUBREL, PUBCOMP settles (MQTT-4.3.3-3)', () => {
    const { s, out } = session();
    connected(s, out);
    s.publish(req('r', 2), 0);
    expect(cmds(out.sent())).toEqual(['publish:1']);
    s.received({ cmd: 'pubrec', messageId: 1 }, 0);
    expect(out.sent()).toEqual([{ cmd: 'pubrel', messageId: 1 }]);
    s.received({ cmd: 'pubrec', messageId: 1 }, 0);
    expect(out.sent()).toEqual([{ cmd: 'pubrel', messageId: 1 }]);
    s.received({ cmd: 'pubcomp', messageId: 1 }, 0);
    expect(out.take()).toEqual<Effect[]>([{ type: 'settle', request: 'r', result: { packetId: 1, reasonCode: 0 } }]);
  });

  it('MQTT 5: PUBACK reason code ≥ 0x80 fails the publish with MqttPublishError', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.publish(req('r', 1), 0);
    out.take();
    s.received({ cmd: 'puback', messageId: 1, reasonCode: 0x87 }, 0);
    const [e] = out.take();
    expect(e).toMatchObject({ type: 'reject', request: 'r', error: { reasonCode: 0x87, topic: 'a/b' } });
    expect(e?.type === 'reject' && e.error).toBeInstanceOf(MqttPublishError);
  });

  it('MQTT 5: PUBREC ≥ 0x80 ends the flow without PUBREL and frees the id (MQTT-4.3.3-4)', () => {
    const { s, out } = session({ protocolVersion: 5, maxInflight: 1 });
    connected(s, out, v5ack());
    s.publish(req('r', 2), 0);
    s.publish(req('next', 1), 0);
    out.take();
    s.received({ cmd: 'pubrec', messageId: 1, reasonCode: 0x97 }, 0);
    const effects = out.take();
    expect(effects[0]).toMatchObject({ type: 'reject', request: 'r', error: { reasonCode: 0x97 } });
    expect(effects.filter((e) => e.type === 'send').map((e) => e.type === 'send' && e.packet.cmd)).toEqual([
      'publish',
    ]);
  });

  it('MQTT 5 PUBACK success codes and properties come back in the result', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.publish(req('r', 1), 0);
    out.take();
    s.received({ cmd: 'puback', messageId: 1, reasonCode: 0x10, properties: { reasonString: 'nobody' } }, 0);
    expect(out.take()).toEqual([
      {
        type: 'settle',
        request: 'r',
        result: { packetId: 1, reasonCode: 0x10, properties: { reasonString: 'nobody' } },
      },
    ]);
  });

  it('MQTT-3.2.2-11 / -14: QoS above Maximum QoS and RETAIN without Retain Available are refused', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack({ properties: { maximumQoS: 1, retainAvailable: false } }));
    s.publish(req('q2', 2), 0);
    s.publish({ ...req('ret', 0), retain: true }, 0);
    const effects = out.take();
    expect(effects).toMatchObject([
      { type: 'reject', request: 'q2', error: { reasonCode: 0x9b, capability: 'maximumQoS' } },
      { type: 'reject', request: 'ret', error: { reasonCode: 0x9a, capability: 'retainAvailable' } },
    ]);
    expect(effects.every((e) => e.type === 'reject' && e.error instanceof MqttCapabilityError)).toBe(true);
  });

  it('MQTT-3.2.2-15: a publish over the server Maximum Packet Size fails with RangeError, unsent', () => {
    const { s, out } = session({ protocolVersion: 5, packetSize: (p) => ((p as PublishPacket).payload.length > 50 ? 60 : 20) });
    connected(s, out, v5ack({ properties: { maximumPacketSize: 50 } }));
    s.publish(req('big', 1, 'a/b', new Uint8Array(100)), 0);
    s.publish(req('small', 1, 'a/b', new Uint8Array(10)), 0);
    const effects = out.take();
    expect(effects[0]).toMatchObject({ type: 'reject', request: 'big' });
    expect(effects[0]?.type === 'reject' && effects[0].error).toBeInstanceOf(RangeError);
    expect(effects[1]).toMatchObject({ type: 'send', packet: { messageId: 1 } });
  });

  it('properties are sent in MQTT 5 only', () => {
    const r = { ...req('r', 0), properties: { contentType: 'text/plain' } };
    const a = session({ protocolVersion: 5 });
    connected(a.s, a.out, v5ack());
    a.s.publish(r, 0);
    expect(a.out.sent()[0]).toMatchObject({ properties: { contentType: 'text/plain' } });
    const b = session({ protocolVersion: 4 });
    connected(b.s, b.out);
    b.s.publish(r, 0);
    expect(b.out.sent()[0]).not.toHaveProperty('properties');
  });
});

describe('Session: packet identifiers (MQTT-2.3.1-2 in 3.1.1, MQTT-2.2.1-3 in 5)', () => {
  it('never reuses an identifier still in flight, across publish, subscribe and unsubscribe', () => {
    const { s, out } = session();
    connected(s, out);
    s.publish(req('a', 1), 0);
    s.publish(req('b', 2), 0);
    s.subscribe(stream('t', 'x'), 0);
    const st = stream('u', 'y');
    s.subscribe(st, 0);
    s.unsubscribe(st, 0);
    expect(cmds(out.sent())).toEqual(['publish:1', 'publish:2', 'subscribe:3', 'subscribe:4', 'unsubscribe:5']);
  });

  it('skips identifiers in flight after wrapping at 65535', () => {
    const { s: s2, out: out2 } = session();
    connected(s2, out2);
    s2.publish(req('held', 2), 0); // id 1, QoS 2
    s2.received({ cmd: 'pubrec', messageId: 1 }, 0); // PUBREL phase: id 1 still taken
    for (let id = 2; id <= 65535; id++) {
      s2.publish(req('x', 1), 0);
      s2.received({ cmd: 'puback', messageId: id }, 0);
    }
    out2.take();
    s2.publish(req('wrapped', 1), 0);
    expect(cmds(out2.sent())).toEqual(['publish:2']);
  });
});

describe('Session: window and ordering (MQTT-3.3.4-7)', () => {
  it('holds QoS 1/2 beyond maxInflight in order; everything behind waits, QoS 0 included', () => {
    const { s, out } = session({ maxInflight: 2 });
    connected(s, out);
    for (const [name, qos] of [['r1', 1], ['r2', 2], ['r3', 1], ['r4', 0], ['r5', 1]] as const) s.publish(req(name, qos), 0);
    expect(cmds(out.sent())).toEqual(['publish:1', 'publish:2']);
    s.received({ cmd: 'puback', messageId: 1 }, 0);
    const effects = out.take();
    expect(effects.map((e) => (e.type === 'send' ? cmds([e.packet])[0] : `${e.type}`))).toEqual([
      'settle',
      'publish:3',
      'publish',
      'settle',
    ]);
    s.received({ cmd: 'pubrec', messageId: 2 }, 0);
    expect(cmds(out.sent())).toEqual(['pubrel:2']); // PUBREL still counts against the window
    s.received({ cmd: 'pubcomp', messageId: 2 }, 0);
    expect(cmds(out.sent())).toEqual(['publish:4']);
  });

  it('defaults to 20 in flight for 3.1.1', () => {
    const { s, out } = session();
    connected(s, out);
    for (let i = 0; i < 25; i++) s.publish(req(`r${i}`, 1), 0);
    expect(out.sent()).toHaveLength(20);
  });

  it('MQTT 5: the window is min(maxInflight, Receive Maximum), else the Receive Maximum', () => {
    const a = session({ protocolVersion: 5, maxInflight: 10 });
    connected(a.s, a.out, v5ack({ properties: { receiveMaximum: 3 } }));
    for (let i = 0; i < 5; i++) a.s.publish(req(`r${i}`, 1), 0);
    expect(a.out.sent()).toHaveLength(3);
    const b = session({ protocolVersion: 5 });
    connected(b.s, b.out, v5ack({ properties: { receiveMaximum: 30 } }));
    for (let i = 0; i < 40; i++) b.s.publish(req(`r${i}`, 1), 0);
    expect(b.out.sent()).toHaveLength(30);
  });
});

describe('Session: offline queue', () => {
  it('queues while offline, bounded by queueLimit (MqttQueueFullError), drained in order on CONNACK', () => {
    const { s, out } = session({ queueLimit: 2 });
    s.start(0);
    s.publish(req('a', 0), 0);
    s.publish(req('b', 1), 0);
    s.publish(req('c', 1), 0);
    const effects = out.take();
    const rejected = effects.find((e) => e.type === 'reject');
    expect(rejected).toMatchObject({ request: 'c' });
    expect(rejected?.type === 'reject' && rejected.error).toBeInstanceOf(MqttQueueFullError);
    s.opened(0);
    s.received(connack(), 0);
    const sent = out.sent();
    expect(cmds(sent)).toEqual(['connect', 'publish', 'publish:1']);
  });

  it('a publish cancelled while queued is never sent', () => {
    const { s, out } = session();
    s.start(0);
    const a = req('a', 1);
    s.publish(a, 0);
    s.publish(req('b', 1), 0);
    s.cancel(a);
    s.opened(0);
    s.received(connack(), 0);
    expect(cmds(out.sent())).toEqual(['connect', 'publish:1']);
  });

  it('cancelling after the send lets the QoS flow finish', () => {
    const { s, out } = session();
    connected(s, out);
    const a = req('a', 2);
    s.publish(a, 0);
    s.cancel(a);
    out.take();
    s.received({ cmd: 'pubrec', messageId: 1 }, 0);
    expect(cmds(out.sent())).toEqual(['pubrel:1']);
  });
});

describe('Session: resume (MQTT-4.4.0-1)', () => {
  const withFlows = (version: 4 | 5 = 4) => {
    const ack = version === 5 ? v5ack() : connack();
    const { s, out } = session({ protocolVersion: version, clean: false });
    connected(s, out, ack);
    s.publish(req('q1', 1), 0);
    s.publish(req('q2', 2), 0);
    s.publish(req('q2b', 2), 0);
    s.received({ cmd: 'pubrec', messageId: 3 }, 0);
    out.take();
    return { s, out };
  };

  it('session present: unacknowledged PUBLISH again with DUP=1 and the same ids, PUBREL again (MQTT-3.3.1-1)', () => {
    const { s, out } = withFlows();
    const sent = reconnect(s, out, connack(true));
    expect(sent).toEqual<Packet[]>([
      { cmd: 'publish', topic: 'a/b', payload: new Uint8Array([1]), qos: 1, dup: true, retain: false, messageId: 1 },
      { cmd: 'publish', topic: 'a/b', payload: new Uint8Array([1]), qos: 2, dup: true, retain: false, messageId: 2 },
      { cmd: 'pubrel', messageId: 3 },
    ]);
    s.received({ cmd: 'pubcomp', messageId: 3 }, 0);
    expect(out.take()).toEqual([{ type: 'settle', request: 'q2b', result: { packetId: 3, reasonCode: 0 } }]);
  });

  it('no session: unacknowledged QoS 1/2 publishes go again as new messages (DUP=0), none dropped', () => {
    const { s, out } = withFlows();
    const sent = reconnect(s, out, connack(false));
    expect(sent.map((p) => [p.cmd, (p as PublishPacket).dup, (p as PublishPacket).qos])).toEqual([
      ['publish', false, 1],
      ['publish', false, 2],
      ['publish', false, 2],
    ]);
    s.received({ cmd: 'pubrec', messageId: 3 }, 0);
    expect(cmds(out.sent())).toEqual(['pubrel:3']);
  });

  it('MQTT 5: Clean Start only on the first connection; reconnects ask to resume', () => {
    const { s, out } = session({ protocolVersion: 5, clean: true });
    s.start(0);
    s.opened(0);
    expect((out.sent()[0] as ConnectPacket).clean).toBe(true);
    s.received(v5ack(), 0);
    s.closed(new Error('x'), 0);
    s.timer('reconnect', 0);
    s.opened(0);
    expect((out.sent()[0] as ConnectPacket).clean).toBe(false);
  });

  it('3.1.1: Clean Session applies to every connection', () => {
    const { s, out } = session({ clean: true });
    connected(s, out);
    s.closed(new Error('x'), 0);
    s.timer('reconnect', 0);
    s.opened(0);
    expect((out.sent()[0] as ConnectPacket).clean).toBe(true);
  });

  it('MQTT 5: the Assigned Client Identifier is used for the reconnect', () => {
    const { s, out } = session({ protocolVersion: 5, clientId: '' });
    connected(s, out, v5ack({ properties: { assignedClientIdentifier: 'srv-1' } }));
    s.closed(new Error('x'), 0);
    s.timer('reconnect', 0);
    s.opened(0);
    expect((out.sent()[0] as ConnectPacket).clientId).toBe('srv-1');
  });

  it('MQTT-3.2.2-4: session present after a clean start is a protocol error: close and retry', () => {
    const { s, out } = session({ clean: true });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(connack(true), 0);
    const effects = out.take();
    expect(effects.slice(0, 2)).toEqual([{ type: 'disarm', timer: 'connect' }, { type: 'close' }]);
    expect(effects).toContainEqual({
      type: 'state',
      state: { status: 'reconnecting', attempt: 1, delay: 1000, error: expect.any(MqttProtocolError) },
    });
  });

  it('flows restored from the store are resent on the first connection', () => {
    const store = memoryStore();
    store.putOutgoing({ cmd: 'publish', topic: 't', payload: new Uint8Array(), qos: 1, dup: false, retain: false, messageId: 7 });
    const { s, out } = session({ store, clean: false });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(connack(true), 0);
    expect(out.sent()).toEqual([
      { cmd: 'publish', topic: 't', payload: new Uint8Array(), qos: 1, dup: true, retain: false, messageId: 7 },
    ]);
    s.publish(req('next', 1), 0);
    expect(cmds(out.sent())).toEqual(['publish:1']);
    s.received({ cmd: 'puback', messageId: 7 }, 0);
    expect(out.take()).toEqual([]);
    expect(store.load().outgoing.map((o) => o.packet.messageId)).toEqual([1]);
  });
});

describe('Session: inbound publish', () => {
  it('QoS 0 and QoS 1 are delivered; QoS 1 answered by PUBACK', () => {
    const { s, out } = session();
    connected(s, out);
    s.subscribe(stream('t', 'a/+'), 0);
    out.take();
    s.received(incoming('a/b', 1, 9), 0);
    const message = { topic: 'a/b', payload: new Uint8Array([7]), qos: 1 as const, retain: false, dup: false };
    expect(out.take()).toEqual<Effect[]>([
      { type: 'message', message },
      { type: 'deliver', stream: 't', message },
      { type: 'send', packet: { cmd: 'puback', messageId: 9 } },
    ]);
  });

  it('QoS 2: delivered once, PUBREC; a re-send before PUBREL gets PUBREC but no delivery (MQTT-4.3.3-10 / 3.1.1 MQTT-4.3.3-2)', () => {
    const { s, out } = session();
    connected(s, out);
    s.received(incoming('a', 2, 5), 0);
    expect(out.take().map((e) => e.type)).toEqual(['message', 'send']);
    s.received(incoming('a', 2, 5, true), 0);
    expect(out.take()).toEqual([{ type: 'send', packet: { cmd: 'pubrec', messageId: 5 } }]);
    s.received(incoming('a', 2, 5, false), 0); // id reuse before PUBREL: still the same message
    expect(out.take()).toEqual([{ type: 'send', packet: { cmd: 'pubrec', messageId: 5 } }]);
    s.received({ cmd: 'pubrel', messageId: 5 }, 0);
    expect(out.sent()).toEqual([{ cmd: 'pubcomp', messageId: 5 }]);
    s.received(incoming('a', 2, 5), 0); // after PUBREL: a new message (MQTT-4.3.3-12)
    expect(out.take().map((e) => e.type)).toEqual(['message', 'send']);
  });

  it('PUBREL for an unknown id is answered by PUBCOMP (0x92 Packet Identifier not found in 5)', () => {
    const a = session();
    connected(a.s, a.out);
    a.s.received({ cmd: 'pubrel', messageId: 77 }, 0);
    expect(a.out.sent()).toEqual([{ cmd: 'pubcomp', messageId: 77 }]);
    const b = session({ protocolVersion: 5 });
    connected(b.s, b.out, v5ack());
    b.s.received({ cmd: 'pubrel', messageId: 77, reasonCode: 0 }, 0);
    expect(b.out.sent()).toEqual([{ cmd: 'pubcomp', messageId: 77, reasonCode: 0x92 }]);
  });

  it('QoS 2 ids awaiting PUBREL survive a resumed session, not a new one', () => {
    const { s, out } = session({ clean: false });
    connected(s, out);
    s.received(incoming('a', 2, 5), 0);
    reconnect(s, out, connack(true));
    s.received(incoming('a', 2, 5, true), 0);
    expect(out.take().map((e) => e.type)).toEqual(['send']);
    reconnect(s, out, connack(false));
    s.received(incoming('a', 2, 5, true), 0);
    expect(out.take().map((e) => e.type)).toEqual(['message', 'send']);
  });

  it('MQTT 5 topic aliases: set, then used with an empty topic; an unknown or out-of-range alias is a protocol error', () => {
    const { s, out } = session({ protocolVersion: 5, properties: { topicAliasMaximum: 2 } });
    connected(s, out, v5ack());
    s.received({ ...incoming('x/y'), properties: { topicAlias: 1 } }, 0);
    s.received({ ...incoming(''), properties: { topicAlias: 1 } }, 0);
    const topics = out.take().flatMap((e) => (e.type === 'message' ? [e.message.topic] : []));
    expect(topics).toEqual(['x/y', 'x/y']);
    s.received({ ...incoming('z'), properties: { topicAlias: 3 } }, 0);
    expect(out.take()[0]).toEqual({ type: 'send', packet: { cmd: 'disconnect', reasonCode: 0x94 } });
  });

  it('MQTT 5: an alias never set on this connection is Topic Alias invalid: DISCONNECT 0x94 (MQTT 5 3.3.2.3.4)', () => {
    const { s, out } = session({ protocolVersion: 5, properties: { topicAliasMaximum: 2 } });
    connected(s, out, v5ack());
    s.received({ ...incoming('x/y'), properties: { topicAlias: 1 } }, 0);
    reconnect(s, out, v5ack()); // aliases do not outlive the connection
    s.received({ ...incoming(''), properties: { topicAlias: 1 } }, 0);
    expect(out.take().find((e) => e.type === 'send')).toEqual({ type: 'send', packet: { cmd: 'disconnect', reasonCode: 0x94 } });
  });
});

describe('Session: protocol errors from the server', () => {
  it('a PUBACK / PUBCOMP for an unknown id is ignored (nothing to settle, nothing lost)', () => {
    const { s, out } = session();
    connected(s, out);
    s.received({ cmd: 'puback', messageId: 42 }, 0);
    s.received({ cmd: 'pubcomp', messageId: 42 }, 0);
    expect(out.take()).toEqual([]);
  });

  it('a PUBREC for an unknown id is answered by PUBREL (0x92 in 5)', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.received({ cmd: 'pubrec', messageId: 42, reasonCode: 0 }, 0);
    expect(out.sent()).toEqual([{ cmd: 'pubrel', messageId: 42, reasonCode: 0x92 }]);
  });

  const expectViolation = (effects: Effect[], v5: boolean) => {
    const i = effects.findIndex((e) => e.type === 'close');
    if (v5) expect(effects[i - 1]).toEqual({ type: 'send', packet: { cmd: 'disconnect', reasonCode: 0x82 } });
    expect(effects).toContainEqual({
      type: 'state',
      state: { status: 'reconnecting', attempt: 1, delay: 1000, error: expect.any(MqttProtocolError) },
    });
  };

  it('a PUBCOMP before PUBREC closes (DISCONNECT 0x82 in 5) and reconnects, keeping the flow', () => {
    const { s, out } = session({ protocolVersion: 5, clean: false });
    connected(s, out, v5ack());
    s.publish(req('r', 2), 0);
    out.take();
    s.received({ cmd: 'pubcomp', messageId: 1, reasonCode: 0 }, 0);
    expectViolation(out.take(), true);
    expect(cmds(reconnect(s, out, v5ack({ sessionPresent: true })))).toEqual(['publish:1']);
  });

  it('a PUBACK for a QoS 2 flow is a protocol error', () => {
    const { s, out } = session();
    connected(s, out);
    s.publish(req('r', 2), 0);
    out.take();
    s.received({ cmd: 'puback', messageId: 1 }, 0);
    expectViolation(out.take(), false);
  });

  it('MQTT-3.2.0-2: a second CONNACK is a protocol error', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.received(v5ack(), 0);
    expectViolation(out.take(), true);
  });

  it('MQTT-3.2.0-1: a packet before CONNACK is a protocol error', () => {
    const { s, out } = session();
    s.start(0);
    s.opened(0);
    out.take();
    s.received(incoming('a'), 0);
    expectViolation(out.take(), false);
  });

  it('a malformed packet reported by the codec: DISCONNECT with its code (5), reconnect, nothing lost', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.publish(req('r', 1), 0);
    out.take();
    s.protocolError(new MqttProtocolError('bad remaining length', 0x81), 0);
    const effects = out.take();
    expect(effects[0]).toEqual({ type: 'send', packet: { cmd: 'disconnect', reasonCode: 0x81 } });
    expect(cmds(reconnect(s, out, v5ack()))).toEqual(['publish:1']);
  });

  it('MQTT 5 server DISCONNECT: reconnecting with a MqttConnectionError carrying its reason code', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.received({ cmd: 'disconnect', reasonCode: 0x8b }, 0);
    expect(out.take()).toContainEqual({
      type: 'state',
      state: { status: 'reconnecting', attempt: 1, delay: 1000, error: expect.objectContaining({ reasonCode: 0x8b }) },
    });
  });

  it('packets only a client sends are protocol errors when they come from the server', () => {
    const { s, out } = session();
    connected(s, out);
    s.received({ cmd: 'pingreq' }, 0);
    expectViolation(out.take(), false);
  });
});

describe('Session: subscriptions', () => {
  it('the first stream of a filter subscribes; later ones share it; the last one gone unsubscribes', () => {
    const { s, out } = session();
    connected(s, out);
    const a = stream('a', 'x/+');
    const b = stream('b', 'x/+');
    s.subscribe(a, 0);
    s.subscribe(b, 0);
    expect(out.sent()).toEqual([{ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'x/+', qos: 0 }] }]);
    s.unsubscribe(a, 0);
    expect(out.sent()).toEqual([]);
    s.unsubscribe(b, 0);
    expect(out.sent()).toEqual([{ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['x/+'] }]);
  });

  it('a stream asking for a higher QoS re-subscribes at it; a lower one does not', () => {
    const { s, out } = session();
    connected(s, out);
    s.subscribe(stream('a', 't', { qos: 1 }), 0);
    s.subscribe(stream('b', 't', { qos: 0 }), 0);
    s.subscribe(stream('c', 't', { qos: 2 }), 0);
    expect(out.sent().map((p) => p.cmd === 'subscribe' && p.subscriptions[0]?.qos)).toEqual([1, 2]);
  });

  it('routes each message to every stream whose filter matches', () => {
    const { s, out } = session();
    connected(s, out);
    s.subscribe(stream('all', '#'), 0);
    s.subscribe(stream('plus', 'a/+'), 0);
    s.subscribe(stream('other', 'b/+'), 0);
    s.subscribe(stream('shared', '$share/g/a/b'), 0);
    out.take();
    s.received(incoming('a/b'), 0);
    const got = out.take().flatMap((e) => (e.type === 'deliver' ? [e.stream] : []));
    expect(got.sort()).toEqual(['all', 'plus', 'shared']);
  });

  it('a refused SUBACK fails the streams of that SUBSCRIBE with MqttSubscribeError; others go on', () => {
    const { s, out } = session();
    connected(s, out);
    s.subscribe(stream('ok', 'ok'), 0);
    s.subscribe(stream('no1', 'no'), 0);
    s.subscribe(stream('no2', 'no'), 0);
    out.take();
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 0);
    s.received({ cmd: 'suback', messageId: 2, granted: [0x80] }, 0);
    const effects = out.take();
    expect(effects.map((e) => e.type === 'streamError' && e.stream)).toEqual(['no1', 'no2']);
    expect(effects[0]?.type === 'streamError' && effects[0].error).toBeInstanceOf(MqttSubscribeError);
    expect(effects[0]).toMatchObject({ error: { reasonCode: 0x80, filter: 'no' } });
    s.received(incoming('no'), 0);
    s.received(incoming('ok'), 0);
    expect(out.take().flatMap((e) => (e.type === 'deliver' ? [e.stream] : []))).toEqual(['ok']);
  });

  it('subscribes made offline go out after CONNACK', () => {
    const { s, out } = session();
    s.start(0);
    s.subscribe(stream('a', 'x', { qos: 1 }), 0);
    s.opened(0);
    s.received(connack(), 0);
    expect(cmds(out.sent())).toEqual(['connect', 'subscribe:1']);
  });

  it('resubscribes by itself when the CONNACK says no session', () => {
    const { s, out } = session();
    connected(s, out);
    s.subscribe(stream('a', 'x', { qos: 1 }), 0);
    s.subscribe(stream('b', 'y'), 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [1] }, 0);
    s.received({ cmd: 'suback', messageId: 2, granted: [0] }, 0);
    out.take();
    expect(reconnect(s, out, connack(false))).toEqual([
      { cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'x', qos: 1 }] },
      { cmd: 'subscribe', messageId: 4, subscriptions: [{ topic: 'y', qos: 0 }] },
    ]);
  });

  it('with the session present, only subscriptions not yet acknowledged are sent again', () => {
    const { s, out } = session({ clean: false });
    connected(s, out);
    s.subscribe(stream('a', 'x'), 0);
    s.subscribe(stream('b', 'y'), 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 0);
    out.take();
    expect(reconnect(s, out, connack(true))).toEqual([
      { cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'y', qos: 0 }] },
    ]);
  });

  it('a filter dropped while offline is unsubscribed when the session resumes', () => {
    const { s, out } = session({ clean: false });
    connected(s, out);
    const a = stream('a', 'x');
    s.subscribe(a, 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 0);
    s.closed(new Error('lost'), 0);
    s.unsubscribe(a, 0);
    s.timer('reconnect', 0);
    s.opened(0);
    out.take();
    s.received(connack(true), 0);
    expect(out.sent()).toEqual([{ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['x'] }]);
  });

  it('MQTT 5 subscription options and properties', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.subscribe(
      stream('a', 'x', {
        qos: 1,
        noLocal: true,
        retainAsPublished: true,
        retainHandling: 2,
        subscriptionIdentifier: 7,
        userProperties: { k: 'v' },
      }),
      0,
    );
    expect(out.sent()).toEqual([
      {
        cmd: 'subscribe',
        messageId: 1,
        subscriptions: [{ topic: 'x', qos: 1, nl: true, rap: true, rh: 2 }],
        properties: { subscriptionIdentifier: 7, userProperties: { k: 'v' } },
      },
    ]);
  });
});

describe('Session: end()', () => {
  it('with nothing in flight: DISCONNECT, close, streams complete, closed; idempotent', () => {
    const { s, out } = session();
    connected(s, out);
    s.subscribe(stream('t', 'a'), 0);
    out.take();
    s.end(0);
    const effects = out.take();
    expect(effects[0]).toEqual({ type: 'send', packet: { cmd: 'disconnect' } });
    expect(effects[1]).toEqual({ type: 'close' });
    expect(effects.slice(-2)).toEqual([
      { type: 'streamComplete', stream: 't' },
      { type: 'state', state: { status: 'closed' } },
    ]);
    s.end(0);
    s.end(0, true);
    expect(out.take()).toEqual([]);
  });

  it('fails unsent publishes with MqttClosedError; later publishes and streams too', () => {
    const { s, out } = session();
    s.start(0);
    s.publish(req('queued', 1), 0);
    out.take();
    s.end(0);
    const rejected = out.take().find((e) => e.type === 'reject');
    expect(rejected?.type === 'reject' && rejected.error).toBeInstanceOf(MqttClosedError);
    s.publish(req('late', 0), 0);
    s.subscribe(stream('late', 'x'), 0);
    expect(out.take().map((e) => e.type)).toEqual(['reject', 'streamComplete']);
  });

  it('waits for in-flight flows (bounded by connectTimeout), then disconnects', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.publish(req('r', 1), 0);
    out.take();
    s.end(0, false, { reasonCode: 0x04 });
    expect(out.take()).toEqual([{ type: 'arm', timer: 'end', ms: 30000 }]);
    s.received({ cmd: 'puback', messageId: 1, reasonCode: 0 }, 10);
    const effects = out.take();
    expect(effects[0]).toMatchObject({ type: 'settle', request: 'r' });
    expect(effects[1]).toEqual({ type: 'send', packet: { cmd: 'disconnect', reasonCode: 0x04 } });
    expect(effects.at(-1)).toEqual({ type: 'state', state: { status: 'closed' } });
  });

  it('gives up on in-flight flows when the grace runs out: they fail with MqttClosedError', () => {
    const { s, out } = session();
    connected(s, out);
    s.publish(req('r', 2), 0);
    s.end(0);
    out.take();
    s.timer('end', 30000);
    const effects = out.take();
    expect(effects[0]).toEqual({ type: 'send', packet: { cmd: 'disconnect' } });
    const rejected = effects.find((e) => e.type === 'reject');
    expect(rejected?.type === 'reject' && rejected.error).toBeInstanceOf(MqttClosedError);
  });

  it('force does not wait', () => {
    const { s, out } = session();
    connected(s, out);
    s.publish(req('r', 1), 0);
    out.take();
    s.end(0, true);
    expect(out.take().map((e) => e.type)).toContain('close');
  });

  it('while reconnecting: closed at once, no DISCONNECT', () => {
    const { s, out } = session();
    connected(s, out);
    s.closed(new Error('x'), 0);
    out.take();
    s.end(0);
    const effects = out.take();
    expect(effects.some((e) => e.type === 'send')).toBe(false);
    expect(effects).toContainEqual({ type: 'disarm', timer: 'reconnect' });
    expect(effects.at(-1)).toEqual({ type: 'state', state: { status: 'closed' } });
  });
});

describe('Session: a stream learns when its subscription is in place (subscribed)', () => {
  const subscribedOf = (effects: Effect[]): string[] => effects.flatMap((e) => (e.type === 'subscribed' ? [e.stream] : []));

  it('on the SUBACK that grants it, for every stream that waited on it; not on a refusal', () => {
    const { s, out } = session();
    out.trackSubscribed = true;
    connected(s, out);
    s.subscribe(stream('a', 'x/#', { qos: 1 }), 0);
    s.subscribe(stream('b', 'x/#', { qos: 1 }), 0); // joins the pending SUBSCRIBE
    s.subscribe(stream('c', 'y', { qos: 1 }), 0);
    expect(subscribedOf(out.take())).toEqual([]);
    s.received({ cmd: 'suback', messageId: 1, granted: [1] }, 0);
    expect(subscribedOf(out.take())).toEqual(['a', 'b']);
    s.received({ cmd: 'suback', messageId: 2, granted: [0x80] }, 0);
    expect(subscribedOf(out.take())).toEqual([]);
  });

  it('at once for a stream joining a subscription the server already granted; after the SUBACK when it asks for more QoS', () => {
    const { s, out } = session();
    out.trackSubscribed = true;
    connected(s, out);
    s.subscribe(stream('a', 'x', { qos: 1 }), 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [1] }, 0);
    out.take();
    s.subscribe(stream('b', 'x', { qos: 0 }), 0);
    expect(subscribedOf(out.take())).toEqual(['b']);
    s.subscribe(stream('c', 'x', { qos: 2 }), 0);
    expect(subscribedOf(out.take())).toEqual([]);
    s.received({ cmd: 'suback', messageId: 2, granted: [2] }, 0);
    expect(subscribedOf(out.take())).toEqual(['c']);
  });

  it('again after the re-SUBSCRIBE of a reconnect without a session', () => {
    const { s, out } = session();
    out.trackSubscribed = true;
    connected(s, out);
    s.subscribe(stream('a', 'x', { qos: 1 }), 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [1] }, 0);
    out.take();
    const resent = reconnect(s, out, connack(false)).find((p) => p.cmd === 'subscribe');
    expect(resent?.cmd).toBe('subscribe');
    s.received({ cmd: 'suback', messageId: resent?.cmd === 'subscribe' ? resent.messageId : 0, granted: [1] }, 0);
    expect(subscribedOf(out.take())).toEqual(['a']);
  });
});
