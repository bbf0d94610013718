import { MqttProtocolError } from '../../src/packets/errors.js';
import type { AuthPacket, ConnectPacket, DisconnectPacket, Packet } from '../../src/packets/packet.js';
import {
  MqttAuthenticationError,
  MqttClosedError,
  MqttConnectionError,
  MqttPublishError,
  MqttSubscribeError,
  MqttTimeoutError,
} from '../../src/protocol/errors.js';
import { connack, connected, req, session, stream, type Effect, type Recorder } from './session-harness.js';

const METHOD = 'SCRAM-SHA-256';
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const v5ack = (extra: object = {}) => connack(false, { returnCode: undefined, reasonCode: 0, ...extra });
/** An AUTH from the server; `method` null for none. */
const auth = (reasonCode: number, method: string | null = METHOD, data?: Uint8Array): AuthPacket => {
  const packet: AuthPacket = { cmd: 'auth', reasonCode };
  if (method !== null) packet.properties = { authenticationMethod: method };
  if (data !== undefined) packet.properties = { ...packet.properties, authenticationData: data };
  return packet;
};
const v5 = { protocolVersion: 5 as const, authentication: { method: METHOD, data: bytes(1, 2) } };

/** The token of the last `authChallenge` effect among `effects`. */
function tokenOf(effects: Effect[]): number {
  const challenge = effects.filter((e) => e.type === 'authChallenge').at(-1);
  if (challenge?.type !== 'authChallenge') throw new Error('no authChallenge effect');
  return challenge.token;
}

function sentOf(effects: Effect[]): Packet[] {
  return effects.flatMap((e) => (e.type === 'send' ? [e.packet] : []));
}

function stateOf(effects: Effect[]): Effect | undefined {
  return effects.find((e) => e.type === 'state');
}

/** Starts and opens an authenticating session; forgets the CONNECT. */
function opening(overrides = {}): { s: ReturnType<typeof session>['s']; out: Recorder } {
  const { s, out } = session({ ...v5, ...overrides });
  s.start(0);
  s.opened(0);
  out.take();
  return { s, out };
}

describe('Session: MQTT 5 enhanced authentication (4.12)', () => {
  it('CONNECT carries the Authentication Method and the initial Authentication Data (3.1.2.11.9, 3.1.2.11.10)', () => {
    const { s, out } = session(v5);
    s.start(0);
    s.opened(0);
    const [connect] = out.sent() as ConnectPacket[];
    expect(connect?.properties).toMatchObject({ authenticationMethod: METHOD, authenticationData: bytes(1, 2) });
  });

  it('MQTT-4.12.0-2 / MQTT-4.12.0-3: AUTH 0x18 from the server is a challenge; the answer goes back in AUTH 0x18 with the same method (MQTT-4.12.0-5)', () => {
    const { s, out } = opening();
    s.received(auth(0x18, METHOD, bytes(9)), 10);
    const effects = out.take();
    expect(effects).toEqual<Effect[]>([
      {
        type: 'authChallenge',
        challenge: { reasonCode: 0x18, method: METHOD, authenticationData: bytes(9), properties: { authenticationMethod: METHOD, authenticationData: bytes(9) } },
        token: 1,
      },
    ]);
    s.authAnswer(tokenOf(effects), { data: bytes(3, 4) }, 20);
    expect(out.sent()).toEqual<Packet[]>([
      { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: METHOD, authenticationData: bytes(3, 4) } },
    ]);
    // A second answer to the same challenge is ignored.
    s.authAnswer(1, { data: bytes(5) }, 21);
    expect(out.take()).toEqual([]);
    // CONNACK success ends the exchange.
    s.received(v5ack({ properties: { authenticationMethod: METHOD, authenticationData: bytes(7) } }), 30);
    expect(stateOf(out.take())).toMatchObject({ state: { status: 'connected' } });
  });

  it('an answer without data is an AUTH 0x18 with the method only', () => {
    const { s, out } = opening();
    s.received(auth(0x18), 0);
    s.authAnswer(tokenOf(out.take()), {}, 0);
    expect(out.sent()).toEqual<Packet[]>([{ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: METHOD } }]);
  });

  it('several rounds: each challenge gets a new token; a stale token is ignored', () => {
    const { s, out } = opening();
    s.received(auth(0x18, METHOD, bytes(1)), 0);
    const first = tokenOf(out.take());
    s.authAnswer(first, { data: bytes(2) }, 0);
    out.take();
    s.received(auth(0x18, METHOD, bytes(3)), 0);
    const second = tokenOf(out.take());
    expect(second).not.toBe(first);
    s.authAnswer(first, { data: bytes(9) }, 0);
    expect(out.take()).toEqual([]);
    s.authAnswer(second, { data: bytes(4) }, 0);
    expect(out.sent()).toHaveLength(1);
  });

  it('a failed respond ends the attempt: DISCONNECT 0x80 (allowed before CONNACK, MQTT-3.1.2-30), close, reconnecting with the MqttAuthenticationError', () => {
    const { s, out } = opening();
    s.received(auth(0x18), 0);
    const error = new MqttAuthenticationError('authenticate.respond failed: no token');
    s.authFailed(tokenOf(out.take()), error, 5);
    const effects = out.take();
    expect(sentOf(effects)).toEqual<Packet[]>([{ cmd: 'disconnect', reasonCode: 0x80 }]);
    expect(effects.map((e) => e.type)).toContain('close');
    expect(stateOf(effects)).toEqual({ type: 'state', state: { status: 'reconnecting', attempt: 1, delay: 1000, error } });
    // A late answer of that attempt is ignored.
    s.authAnswer(1, { data: bytes(1) }, 6);
    expect(out.take()).toEqual([]);
  });

  it('the connect timeout still applies while a challenge waits for its answer', () => {
    const { s, out } = opening();
    s.received(auth(0x18), 100);
    const token = tokenOf(out.take());
    s.timer('connect', 30000);
    const effects = out.take();
    expect(stateOf(effects)).toMatchObject({ state: { status: 'reconnecting', error: expect.any(MqttTimeoutError) } });
    s.authAnswer(token, { data: bytes(1) }, 30001);
    expect(out.take()).toEqual([]);
  });

  it('a CONNACK refusal after a challenge is the usual refusal (0x8C bad authentication method is fatal, MQTT-4.12.0-1)', () => {
    const { s, out } = opening();
    s.received(auth(0x18), 0);
    s.authAnswer(tokenOf(out.take()), { data: bytes(1) }, 0);
    out.take();
    s.received(connack(false, { returnCode: undefined, reasonCode: 0x8c }), 0);
    const state = stateOf(out.take());
    expect(state).toMatchObject({ state: { status: 'closed', error: expect.any(MqttConnectionError) } });
    expect(state?.type === 'state' && state.state.status === 'closed' && state.state.error).toMatchObject({ reasonCode: 0x8c });
  });

  it('MQTT-4.12.0-6: AUTH from the server when CONNECT named no method is a protocol error', () => {
    const { s, out } = session({ protocolVersion: 5 });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(auth(0x18), 0);
    expect(stateOf(out.take())).toMatchObject({
      state: { status: 'reconnecting', error: expect.objectContaining({ reasonCode: 0x82, message: expect.stringContaining('MQTT-4.12.0-6') }) },
    });
    // The same once connected: DISCONNECT 0x82 first.
    const c = session({ protocolVersion: 5 });
    connected(c.s, c.out, v5ack());
    c.s.received(auth(0x18), 0);
    const effects = c.out.take();
    expect(sentOf(effects)).toEqual([{ cmd: 'disconnect', reasonCode: 0x82 }]);
    expect(stateOf(effects)).toMatchObject({ state: { error: expect.any(MqttProtocolError) } });
  });

  it('MQTT-4.12.0-5: AUTH with another Authentication Method (or none) is a protocol error', () => {
    for (const method of ['PLAIN', null]) {
      const { s, out } = opening();
      s.received(auth(0x18, method), 0);
      expect(stateOf(out.take())).toMatchObject({
        state: { status: 'reconnecting', error: expect.objectContaining({ reasonCode: 0x82, message: expect.stringContaining('MQTT-4.12.0-5') }) },
      });
    }
  });

  it('MQTT-3.15.2-1: AUTH 0x19 from the server, or AUTH 0x00 before CONNACK, is a protocol error', () => {
    for (const code of [0x19, 0x00]) {
      const { s, out } = opening();
      s.received(auth(code), 0);
      expect(stateOf(out.take())).toMatchObject({ state: { status: 'reconnecting', error: expect.any(MqttProtocolError) } });
    }
  });

  it('MQTT-4.12.0-5 / MQTT-4.12.0-6: a successful CONNACK with another Authentication Method, or with one when CONNECT had none, is a protocol error; one without any is accepted', () => {
    const other = opening();
    other.s.received(v5ack({ properties: { authenticationMethod: 'PLAIN' } }), 0);
    expect(stateOf(other.out.take())).toMatchObject({ state: { status: 'reconnecting', error: expect.any(MqttProtocolError) } });
    const none = session({ protocolVersion: 5 });
    none.s.start(0);
    none.s.opened(0);
    none.out.take();
    none.s.received(v5ack({ properties: { authenticationMethod: METHOD } }), 0);
    expect(stateOf(none.out.take())).toMatchObject({ state: { status: 'reconnecting', error: expect.any(MqttProtocolError) } });
    const lenient = opening();
    lenient.s.received(v5ack(), 0);
    expect(stateOf(lenient.out.take())).toMatchObject({ state: { status: 'connected' } });
  });

  it('AUTH in MQTT 3.1.1 is a protocol error', () => {
    const { s, out } = session();
    connected(s, out);
    s.received(auth(0x18), 0);
    expect(stateOf(out.take())).toMatchObject({ state: { status: 'reconnecting', error: expect.any(MqttProtocolError) } });
  });
});

describe('Session: MQTT 5 re-authentication (4.12.1)', () => {
  it('MQTT-4.12.1-1: AUTH 0x19 with the method of the CONNECT; AUTH 0x00 ends it', () => {
    const { s, out } = session(v5);
    connected(s, out, v5ack({ properties: { authenticationMethod: METHOD } }));
    s.reauthenticate({ data: bytes(5) }, 10);
    expect(out.sent()).toEqual<Packet[]>([
      { cmd: 'auth', reasonCode: 0x19, properties: { authenticationMethod: METHOD, authenticationData: bytes(5) } },
    ]);
    // A second call while it runs joins it: nothing more is sent.
    s.reauthenticate({ data: bytes(6) }, 11);
    expect(out.take()).toEqual([]);
    s.received(auth(0x18, METHOD, bytes(8)), 12);
    const token = tokenOf(out.take());
    s.authAnswer(token, { data: bytes(9) }, 13);
    expect(out.sent()).toEqual<Packet[]>([
      { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: METHOD, authenticationData: bytes(9) } },
    ]);
    s.received(auth(0x00), 14);
    expect(out.take()).toEqual<Effect[]>([{ type: 'reauthenticated', error: undefined }]);
    // AUTH 0x00 with no re-authentication running: protocol error.
    s.received(auth(0x00), 15);
    expect(stateOf(out.take())).toMatchObject({ state: { status: 'reconnecting', error: expect.any(MqttProtocolError) } });
  });

  it('publishes flow during a re-authentication (the previous authentication stays in force)', () => {
    const { s, out } = session(v5);
    connected(s, out, v5ack());
    s.reauthenticate({}, 0);
    out.take();
    s.publish(req('p', 1), 0);
    expect(out.sent().map((p) => p.cmd)).toEqual(['publish']);
  });

  it('a DISCONNECT from the server fails it with the MqttConnectionError (reason code, properties)', () => {
    const { s, out } = session(v5);
    connected(s, out, v5ack());
    s.reauthenticate({}, 0);
    out.take();
    const disconnect: DisconnectPacket = { cmd: 'disconnect', reasonCode: 0x87, properties: { reasonString: 'token expired' } };
    s.received(disconnect, 0);
    const done = out.take().find((e) => e.type === 'reauthenticated');
    expect(done).toEqual({ type: 'reauthenticated', error: expect.any(MqttConnectionError) });
    expect(done?.type === 'reauthenticated' && done.error).toMatchObject({ reasonCode: 0x87, properties: { reasonString: 'token expired' } });
  });

  it('MQTT-4.12.1-2: a failed respond during re-authentication sends DISCONNECT 0x80, closes and fails it', () => {
    const { s, out } = session(v5);
    connected(s, out, v5ack());
    s.reauthenticate({}, 0);
    s.received(auth(0x18), 0);
    const error = new MqttAuthenticationError('authenticate.respond completed without an answer');
    s.authFailed(tokenOf(out.take()), error, 0);
    const effects = out.take();
    expect(sentOf(effects)).toEqual([{ cmd: 'disconnect', reasonCode: 0x80 }]);
    expect(effects).toContainEqual({ type: 'reauthenticated', error });
    expect(stateOf(effects)).toMatchObject({ state: { status: 'reconnecting', error } });
  });

  it('fails at once when not connected, when closed, or without an Authentication Method (MQTT-4.12.0-7)', () => {
    const a = session(v5);
    a.s.start(0);
    a.out.take();
    a.s.reauthenticate({}, 0);
    expect(a.out.take()).toEqual([{ type: 'reauthenticated', error: expect.any(MqttConnectionError) }]);
    a.s.end(0, true);
    a.out.take();
    a.s.reauthenticate({}, 0);
    expect(a.out.take()).toEqual([{ type: 'reauthenticated', error: expect.any(MqttClosedError) }]);
    const b = session({ protocolVersion: 5 });
    connected(b.s, b.out, v5ack());
    b.s.reauthenticate({}, 0);
    expect(b.out.take()).toEqual([{ type: 'reauthenticated', error: expect.any(TypeError) }]);
  });

  it('end() fails a running re-authentication with MqttClosedError', () => {
    const { s, out } = session(v5);
    connected(s, out, v5ack());
    s.reauthenticate({}, 0);
    out.take();
    s.end(0);
    expect(out.take()).toContainEqual({ type: 'reauthenticated', error: expect.any(MqttClosedError) });
  });
});

describe('Session: DISCONNECT from the server (MQTT 5)', () => {
  const disconnect: DisconnectPacket = {
    cmd: 'disconnect',
    reasonCode: 0x8e,
    properties: { reasonString: 'taken over', userProperties: { node: 'b' } },
  };

  it('reconnecting with a MqttConnectionError carrying the reason code, reason string and properties', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.received(disconnect, 0);
    const state = stateOf(out.take());
    expect(state).toMatchObject({ state: { status: 'reconnecting', error: expect.any(MqttConnectionError) } });
    const error = state?.type === 'state' && state.state.status === 'reconnecting' ? state.state.error : undefined;
    expect(error).toMatchObject({ reasonCode: 0x8e, properties: disconnect.properties });
    expect(error?.message).toContain('taken over');
  });

  it('reconnect: false: closed with it; topic() streams fail with it, in-flight publishes with MqttClosedError whose cause is it', () => {
    const { s, out } = session({ protocolVersion: 5, reconnect: false });
    connected(s, out, v5ack());
    s.subscribe(stream('t', 'a/#'), 0);
    s.publish(req('p', 1), 0);
    out.take();
    s.received(disconnect, 0);
    const effects = out.take();
    const closed = stateOf(effects);
    const error = closed?.type === 'state' && closed.state.status === 'closed' ? closed.state.error : undefined;
    expect(error).toBeInstanceOf(MqttConnectionError);
    expect(error).toMatchObject({ reasonCode: 0x8e, properties: disconnect.properties });
    expect(effects).toContainEqual({ type: 'streamError', stream: 't', error });
    const rejected = effects.find((e) => e.type === 'reject');
    expect(rejected?.type === 'reject' && rejected.error).toBeInstanceOf(MqttClosedError);
    expect(rejected?.type === 'reject' && rejected.error.cause).toBe(error);
  });
});

describe('Session: Session Expiry Interval on DISCONNECT (MQTT 5 3.14.2.2.2)', () => {
  function ended(overrides: object, expiry: number | undefined, ack = v5ack()): Packet[] {
    const { s, out } = session({ protocolVersion: 5, ...overrides });
    connected(s, out, ack);
    s.end(0, false, { sessionExpiryInterval: expiry });
    return out.sent();
  }

  it('sent in the DISCONNECT properties when the CONNECT had a non-zero interval', () => {
    expect(ended({ sessionExpiryInterval: 300 }, 0)).toEqual([{ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } }]);
    expect(ended({ sessionExpiryInterval: 300 }, 600)).toEqual([{ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 600 } }]);
    expect(ended({ properties: { sessionExpiryInterval: 300 } }, 10)).toEqual([{ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 10 } }]);
  });

  it('not given: no property', () => {
    expect(ended({ sessionExpiryInterval: 300 }, undefined)).toEqual([{ cmd: 'disconnect', reasonCode: 0 }]);
  });

  it('a non-zero interval after a CONNECT with 0 (or none) is a Protocol Error: not sent; 0 is', () => {
    expect(ended({}, 300)).toEqual([{ cmd: 'disconnect', reasonCode: 0 }]);
    expect(ended({ sessionExpiryInterval: 0 }, 300)).toEqual([{ cmd: 'disconnect', reasonCode: 0 }]);
    expect(ended({}, 0)).toEqual([{ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } }]);
  });

  it('checkEnd says why a Session Expiry Interval may not be sent, with the interval in force (CONNECT, or the CONNACK that replaced it)', () => {
    const refusalOf = (s: ReturnType<typeof session>['s'], asked: number): string | undefined => {
      const checked = s.checkEnd({ sessionExpiryInterval: asked });
      // What may not be sent is left out of the request the session keeps.
      expect(checked.request).toEqual(checked.problem === undefined ? { sessionExpiryInterval: asked } : {});
      return checked.problem?.message;
    };
    const refusal = (overrides: object, ack = v5ack()): [string | undefined, string | undefined] => {
      const { s, out } = session({ protocolVersion: 5, ...overrides });
      connected(s, out, ack);
      return [refusalOf(s, 60), refusalOf(s, 0)];
    };
    expect(refusal({ sessionExpiryInterval: 300 })).toEqual([undefined, undefined]);
    expect(refusal({})).toEqual([expect.stringContaining('3.14.2.2.2'), undefined]);
    expect(refusal({ sessionExpiryInterval: 300 }, v5ack({ properties: { sessionExpiryInterval: 0 } }))).toEqual([
      expect.stringContaining('in force is 0'),
      undefined,
    ]);
    expect(refusal({}, v5ack({ properties: { sessionExpiryInterval: 120 } }))).toEqual([undefined, undefined]);
    // Before any connection: the CONNECT's value decides.
    expect(refusalOf(session({ protocolVersion: 5 }).s, 60)).toEqual(expect.stringContaining('3.14.2.2.2'));
    expect(refusalOf(session({ protocolVersion: 5, sessionExpiryInterval: 30 }).s, 60)).toBeUndefined();
  });

  it("the CONNACK's Session Expiry Interval is the one in force (3.2.2.3.2)", () => {
    expect(ended({ sessionExpiryInterval: 300 }, 60, v5ack({ properties: { sessionExpiryInterval: 0 } }))).toEqual([
      { cmd: 'disconnect', reasonCode: 0 },
    ]);
  });

  it('3.1.1 DISCONNECT has no properties', () => {
    const { s, out } = session({ sessionExpiryInterval: 300 });
    connected(s, out);
    s.end(0, false, { sessionExpiryInterval: 0 });
    expect(out.sent()).toEqual([{ cmd: 'disconnect' }]);
  });
});

describe('Session: will properties, assigned client identifier, properties on results and errors (MQTT 5)', () => {
  it('CONNECT carries the will with all its properties', () => {
    const properties = {
      willDelayInterval: 2,
      payloadFormatIndicator: true,
      messageExpiryInterval: 60,
      contentType: 'text/plain',
      responseTopic: 'r/t',
      correlationData: bytes(1),
      userProperties: { a: 'b' },
    };
    const will = { topic: 'w', payload: bytes(1), qos: 1 as const, retain: false, properties };
    const { s, out } = session({ protocolVersion: 5, will });
    s.start(0);
    s.opened(0);
    expect((out.sent()[0] as ConnectPacket).will).toEqual(will);
  });

  it('MQTT-3.1.3-7: the connected state names the Assigned Client Identifier; else ours', () => {
    const { s, out } = session({ protocolVersion: 5, clientId: '' });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(v5ack({ properties: { assignedClientIdentifier: 'auto-1' } }), 0);
    expect(stateOf(out.take())).toMatchObject({ state: { status: 'connected', clientId: 'auto-1' } });
    const mine = session({ protocolVersion: 5, clientId: 'me' });
    mine.s.start(0);
    mine.s.opened(0);
    mine.out.take();
    mine.s.received(v5ack(), 0);
    expect(stateOf(mine.out.take())).toMatchObject({ state: { status: 'connected', clientId: 'me' } });
  });

  it('the assigned identifier is used by the CONNECTs of reconnects', () => {
    const { s, out } = session({ protocolVersion: 5, clientId: '' });
    connected(s, out, v5ack({ properties: { assignedClientIdentifier: 'auto-1' } }));
    s.closed(new Error('lost'), 0);
    s.timer('reconnect', 1000);
    s.opened(1000);
    expect((out.sent()[0] as ConnectPacket).clientId).toBe('auto-1');
  });

  it('a received PUBLISH keeps its properties', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    const properties = {
      payloadFormatIndicator: true,
      messageExpiryInterval: 10,
      contentType: 'application/json',
      responseTopic: 'reply/me',
      correlationData: bytes(4, 2),
      userProperties: { k: ['v1', 'v2'] },
    };
    s.received({ cmd: 'publish', topic: 'a', payload: bytes(1), qos: 0, dup: false, retain: false, properties }, 0);
    expect(out.take()).toContainEqual({ type: 'message', message: expect.objectContaining({ properties }) });
  });

  it('PUBACK / PUBCOMP properties reach the PublishResult; refusals carry them on MqttPublishError', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.publish(req('one', 1), 0);
    s.publish(req('two', 2), 0);
    s.publish(req('bad', 1), 0);
    out.take();
    const properties = { reasonString: 'ok', userProperties: { x: 'y' } };
    s.received({ cmd: 'puback', messageId: 1, reasonCode: 0x10, properties }, 0);
    s.received({ cmd: 'pubrec', messageId: 2, reasonCode: 0 }, 0);
    s.received({ cmd: 'pubcomp', messageId: 2, reasonCode: 0, properties }, 0);
    s.received({ cmd: 'puback', messageId: 3, reasonCode: 0x87, properties: { reasonString: 'denied' } }, 0);
    const effects = out.take();
    expect(effects).toContainEqual({ type: 'settle', request: 'one', result: { packetId: 1, reasonCode: 0x10, properties } });
    expect(effects).toContainEqual({ type: 'settle', request: 'two', result: { packetId: 2, reasonCode: 0, properties } });
    const refused = effects.find((e) => e.type === 'reject');
    expect(refused?.type === 'reject' && refused.error).toBeInstanceOf(MqttPublishError);
    expect(refused?.type === 'reject' && refused.error).toMatchObject({ reasonCode: 0x87, properties: { reasonString: 'denied' } });
  });

  it('a refusing SUBACK carries its reason string and user properties on MqttSubscribeError', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    s.subscribe(stream('t', 'a/#'), 0);
    out.take();
    const properties = { reasonString: 'no wildcards here', userProperties: { policy: 'strict' } };
    s.received({ cmd: 'suback', messageId: 1, granted: [0xa2], properties }, 0);
    const failed = out.take().find((e) => e.type === 'streamError');
    expect(failed?.type === 'streamError' && failed.error).toBeInstanceOf(MqttSubscribeError);
    expect(failed?.type === 'streamError' && failed.error).toMatchObject({ reasonCode: 0xa2, properties });
    expect(failed?.type === 'streamError' && failed.error.message).toContain('no wildcards here');
  });

  it('a refusing UNSUBACK changes nothing in the session (it is visible in packets$ only)', () => {
    const { s, out } = session({ protocolVersion: 5 });
    connected(s, out, v5ack());
    const t = stream('t', 'a/#');
    s.subscribe(t, 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [0] }, 0);
    s.unsubscribe(t, 0);
    out.take();
    s.received({ cmd: 'unsuback', messageId: 2, granted: [0x87] }, 0);
    expect(out.take()).toEqual([]);
  });
});
