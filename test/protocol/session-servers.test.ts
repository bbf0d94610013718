import type { ConnectPacket } from '../../src/packets/packet.js';
import { MqttConnectionError } from '../../src/protocol/errors.js';
import { serverRedirect } from '../../src/protocol/server-redirect.js';
import { connack, session, type Effect } from './session-harness.js';

const refusal = (reasonCode: number, serverReference?: string) =>
  connack(false, { returnCode: undefined, reasonCode, ...(serverReference === undefined ? {} : { properties: { serverReference } }) });

/** The state and timer effects, compactly. */
const brief = (effects: Effect[]): string[] =>
  effects.flatMap((e) => {
    if (e.type === 'state') {
      const s = e.state;
      if (s.status === 'reconnecting') return [`reconnecting ${s.attempt} +${s.delay}`];
      if (s.status === 'connecting') return [`connecting ${s.attempt}${s.redirect ? ` → ${s.redirect.reference}${s.redirect.permanent ? ' (moved)' : ''}` : ''}`];
      return [s.status];
    }
    return e.type === 'arm' && e.timer === 'reconnect' ? [`arm reconnect ${e.ms}`] : [];
  });

describe('Session: credentials of the attempt', () => {
  it('opened(now, credentials) puts them in CONNECT in place of the configured ones', () => {
    const { s, out } = session({ username: 'configured', password: new Uint8Array([9]) });
    s.start(0);
    s.opened(0, { username: 'fresh', password: new Uint8Array([1, 2]) });
    const [connect] = out.sent() as ConnectPacket[];
    expect([connect?.username, connect?.password]).toEqual(['fresh', new Uint8Array([1, 2])]);
  });

  it('credentials without a password send none, even when one is configured', () => {
    const { s, out } = session({ username: 'configured', password: new Uint8Array([9]) });
    s.start(0);
    s.opened(0, { username: 'only' });
    const [connect] = out.sent() as ConnectPacket[];
    expect(connect).toMatchObject({ username: 'only' });
    expect(connect).not.toHaveProperty('password');
  });

  it('without credentials, CONNECT carries the configured ones (unchanged)', () => {
    const { s, out } = session({ username: 'configured' });
    s.start(0);
    s.opened(0);
    expect(out.sent()[0]).toMatchObject({ username: 'configured' });
  });
});

describe('Session: refused credentials', () => {
  it.each([
    [4, 4],
    [4, 5],
    [5, 0x86],
    [5, 0x87],
  ] as const)('v%i code %i: fatal with fixed credentials, retried after the backoff when they are asked per attempt', (protocolVersion, code) => {
    const ack = protocolVersion === 5 ? refusal(code) : connack(false, { returnCode: code });
    const fixed = session({ protocolVersion });
    fixed.s.start(0);
    fixed.s.opened(0);
    fixed.out.take();
    fixed.s.received(ack, 0);
    expect(brief(fixed.out.take())).toEqual(['closed']);
    const asked = session({ protocolVersion, askedCredentials: true });
    asked.s.start(0);
    asked.s.opened(0, { username: 'u', password: new Uint8Array([1]) });
    asked.out.take();
    asked.s.received(ack, 0);
    expect(brief(asked.out.take())).toEqual(['reconnecting 1 +1000', 'arm reconnect 1000']);
  });

  it('other fatal refusals stay fatal when credentials are asked (0x85 client identifier not valid)', () => {
    const { s, out } = session({ protocolVersion: 5, askedCredentials: true });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(refusal(0x85), 0);
    expect(brief(out.take())).toEqual(['closed']);
  });
});

describe('Session: server redirects (MQTT 5 §4.11)', () => {
  it('followRedirects: a 0x9C refusal with a Server Reference retries at once, telling the next attempt where', () => {
    const { s, out } = session({ protocolVersion: 5, followRedirects: true });
    s.start(0);
    s.opened(0);
    out.take();
    s.received(refusal(0x9c, 'other:1883'), 0);
    expect(brief(out.take())).toEqual(['reconnecting 1 +0', 'arm reconnect 0']);
    s.timer('reconnect', 0);
    const next = out.take();
    expect(brief(next)).toEqual(['connecting 2 → other:1883']);
    expect(next[0]).toEqual({ type: 'state', state: { status: 'connecting', attempt: 2, redirect: { reference: 'other:1883', permanent: false } } });
  });

  it('0x9D (server moved) is a permanent redirect; a DISCONNECT 0x9C redirects too', () => {
    const { s, out } = session({ protocolVersion: 5, followRedirects: true });
    s.start(0);
    s.opened(0);
    s.received(refusal(0x9d, 'moved'), 0);
    s.timer('reconnect', 0);
    expect(brief(out.take())).toEqual(['connecting 1', 'reconnecting 1 +0', 'arm reconnect 0', 'connecting 2 → moved (moved)']);
    s.opened(0);
    s.received(refusal(0), 0);
    out.take();
    s.received({ cmd: 'disconnect', reasonCode: 0x9c, properties: { serverReference: 'elsewhere' } }, 0);
    s.timer('reconnect', 0);
    expect(brief(out.take())).toEqual(['reconnecting 1 +0', 'arm reconnect 0', 'connecting 2 → elsewhere']);
  });

  it('at most 5 redirects without a successful connection; then the backoff, which they did not lengthen', () => {
    const { s, out } = session({ protocolVersion: 5, followRedirects: true });
    s.start(0);
    for (let i = 0; i < 7; i++) {
      s.opened(0);
      s.received(refusal(0x9c, 'loop'), 0);
      s.timer('reconnect', 0);
    }
    const states = brief(out.take()).filter((e) => e.startsWith('reconnecting'));
    expect(states).toEqual([
      'reconnecting 1 +0',
      'reconnecting 2 +0',
      'reconnecting 3 +0',
      'reconnecting 4 +0',
      'reconnecting 5 +0',
      'reconnecting 6 +1000',
      'reconnecting 7 +2000',
    ]);
  });

  it('a successful connection resets the count of redirects', () => {
    const { s, out } = session({ protocolVersion: 5, followRedirects: true });
    s.start(0);
    for (let i = 0; i < 5; i++) {
      s.opened(0);
      s.received(refusal(0x9c, 'r'), 0);
      s.timer('reconnect', 0);
    }
    s.opened(0);
    s.received(refusal(0), 0);
    out.take();
    s.closed(undefined, 0); // lost: an ordinary failure
    s.timer('reconnect', 1000);
    s.opened(0);
    s.received(refusal(0x9c, 'r'), 0);
    expect(brief(out.take())).toEqual(['reconnecting 1 +1000', 'arm reconnect 1000', 'connecting 2', 'reconnecting 2 +0', 'arm reconnect 0']);
  });

  it('without followRedirects, or without a Server Reference, 0x9C / 0x9D are retried after the backoff', () => {
    for (const [follow, reference] of [[false, 'x'], [true, undefined]] as const) {
      const { s, out } = session({ protocolVersion: 5, followRedirects: follow });
      s.start(0);
      s.opened(0);
      out.take();
      s.received(refusal(0x9c, reference), 0);
      s.timer('reconnect', 1000);
      expect(brief(out.take())).toEqual(['reconnecting 1 +1000', 'arm reconnect 1000', 'connecting 2']);
    }
  });
});

describe('serverRedirect', () => {
  it('reads the Server Reference of a 0x9C / 0x9D connection error', () => {
    const error = (code: number, serverReference?: string) =>
      new MqttConnectionError('x', code, undefined, serverReference === undefined ? undefined : { serverReference });
    expect(serverRedirect(error(0x9c, 'a:1'))).toEqual({ reference: 'a:1', permanent: false });
    expect(serverRedirect(error(0x9d, 'mqtts://b'))).toEqual({ reference: 'mqtts://b', permanent: true });
    expect(serverRedirect(error(0x9c))).toBeUndefined();
    expect(serverRedirect(error(0x9c, '  '))).toBeUndefined();
    expect(serverRedirect(error(0x87, 'a'))).toBeUndefined();
    expect(serverRedirect(new Error('x'))).toBeUndefined();
  });
});
