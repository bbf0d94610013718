import { defer, EMPTY, of, throwError, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import { MqttCredentialsError } from '../../src/client/mqtt-credentials-error.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { ConnackPacket, ConnectPacket } from '../../src/packets/packet.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { MqttConnectionError } from '../../src/protocol/errors.js';
import { ofCmd, scriptedBroker, type ScriptedBroker, type ScriptedBrokerOptions } from '../../src/testing/index.js';
import type { Transport } from '../../src/transport/transport.js';
import { CMD, marbles } from '../support/client-marbles.js';

/** Scripted brokers by host name, and one transport that routes each URL to its host's broker. */
function brokers(
  scheduler: TestScheduler,
  scripts: Record<string, ScriptedBrokerOptions>,
): { by: Record<string, ScriptedBroker>; transport: Transport; opened: string[] } {
  const by: Record<string, ScriptedBroker> = {};
  for (const [host, script] of Object.entries(scripts)) by[host] = scriptedBroker({ scheduler, ...script });
  const opened: string[] = [];
  const transport: Transport = (url) => {
    opened.push(url.host);
    const broker = by[url.hostname];
    return broker === undefined ? throwError(() => new Error(`ECONNREFUSED ${url.host}`)) : broker.transport(url);
  };
  return { by, transport, opened };
}

/** The client's states, each as `status@server` (`reconnecting` with its delay). */
function states(client: MqttClient): string[] {
  const seen: string[] = [];
  client.state$.subscribe((s: ConnectionState) => {
    if (s.status === 'connecting' || s.status === 'connected') seen.push(`${s.status}@${s.server}`);
    else if (s.status === 'reconnecting') seen.push(`reconnecting+${s.delay}`);
    else seen.push(s.status);
  });
  return seen;
}

const BACKOFF = { initialDelay: 1000, maxDelay: 8000, factor: 2, jitter: 0 };

function v5refusal(reasonCode: number, serverReference?: string): ConnackPacket {
  return serverReference === undefined
    ? { cmd: 'connack', sessionPresent: false, reasonCode }
    : { cmd: 'connack', sessionPresent: false, reasonCode, properties: { serverReference } };
}

describe('several servers', () => {
  it('tries the servers in turn after each failure, wrapping around; state$ names the server of each attempt', () => {
    marbles((_helpers, scheduler) => {
      const { transport, opened } = brokers(scheduler, { c: {} });
      const client = connect('mqtt://a', { servers: ['mqtt://b:1884', 'mqtt://c'], transport, scheduler, random: () => 0, reconnect: BACKOFF });
      const seen = states(client);
      scheduler.schedule(() => client.end(), 10_000);
      scheduler.flush();
      // a refused at 0, b refused at 1 s, c connects at 3 s.
      expect(opened).toEqual(['a:1883', 'b:1884', 'c:1883']);
      // a failed inside connect(): a late subscriber's first state is the retry.
      expect(seen).toEqual([
        'reconnecting+1000',
        'connecting@mqtt://b:1884',
        'reconnecting+2000',
        'connecting@mqtt://c:1883',
        'connected@mqtt://c:1883',
        'closed',
      ]);
    });
  });

  it('stays on a server while it works, moves on when it fails, and wraps around to the first', () => {
    marbles((_helpers, scheduler) => {
      const { by, transport, opened } = brokers(scheduler, { a: {}, b: {} });
      const client = connect('mqtt://a', { servers: ['mqtt://b'], transport, scheduler, random: () => 0, reconnect: BACKOFF });
      const seen = states(client);
      scheduler.schedule(() => by.a?.drop(), 100);
      scheduler.schedule(() => by.b?.drop(), 5000);
      scheduler.schedule(() => client.end(), 10_000);
      scheduler.flush();
      expect(opened).toEqual(['a:1883', 'b:1883', 'a:1883']);
      expect(seen.filter((s) => s.startsWith('connected'))).toEqual([
        'connected@mqtt://a:1883',
        'connected@mqtt://b:1883',
        'connected@mqtt://a:1883',
      ]);
    });
  });

  it('connect({ servers }) starts with the first; each server keeps its own credentials from its URL', () => {
    marbles((_helpers, scheduler) => {
      const { by, transport } = brokers(scheduler, { a: { refuse: 1 }, b: {} });
      const client = connect({ servers: ['mqtt://ann:one@a', 'mqtt://bob:two@b'], transport, scheduler, random: () => 0 });
      const connects: ConnectPacket[] = [];
      by.b?.received$.pipe(ofCmd('connect')).subscribe((c) => connects.push(c));
      scheduler.schedule(() => client.end(), 5000);
      scheduler.flush();
      expect(connects.map((c) => [c.username, new TextDecoder().decode(c.password)])).toEqual([['bob', 'two']]);
    });
  });

  it('a QoS 1 publish queued while the first server is gone reaches the second', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { by, transport } = brokers(scheduler, { a: {}, b: {} });
      const client = connect('mqtt://a', { servers: ['mqtt://b'], transport, scheduler, random: () => 0, reconnect: BACKOFF });
      scheduler.schedule(() => by.a?.drop(), 100);
      scheduler.schedule(() => client.publish('t', 'queued', { qos: 1 }).subscribe(), 200);
      scheduler.schedule(() => client.end(), 3000);
      expectObservable(by.b!.commands$).toBe('1100ms (cP) 1896ms (dx)', CMD);
    });
  });

  it('refuses an empty server list and names a bad servers entry', () => {
    expect(() => connect({ servers: [] })).toThrow(/url, or options.servers/);
    expect(() => connect('ws://a', { servers: ['ws://b', 'http://c'] })).toThrow(/^servers\[1\]: url scheme/);
  });
});

describe('server redirects (MQTT 5, followRedirects)', () => {
  const options = (transport: Transport, scheduler: TestScheduler, extra: ClientOptions = {}): ClientOptions => ({
    protocolVersion: 5,
    followRedirects: true,
    transport,
    scheduler,
    random: () => 0,
    reconnect: BACKOFF,
    ...extra,
  });

  it('CONNACK 0x9C with a Server Reference: the next attempt goes there at once; the list is unchanged', () => {
    marbles((_helpers, scheduler) => {
      const { by, transport, opened } = brokers(scheduler, { a: { connack: (_c, n) => (n === 1 ? v5refusal(0x9c, 'z:1999') : undefined) }, z: {} });
      const client = connect('mqtt://a', options(transport, scheduler));
      const seen = states(client);
      scheduler.schedule(() => by.z?.drop(), 100);
      scheduler.schedule(() => client.end(), 5000);
      scheduler.flush();
      // refused by a at 0, z at once (delay 0); z drops at 100 ms: back to the list (a) after the backoff.
      expect(opened).toEqual(['a:1883', 'z:1999', 'a:1883']);
      expect(seen.slice(0, 5)).toEqual([
        'connecting@mqtt://a:1883',
        'reconnecting+0',
        'connecting@mqtt://z:1999',
        'connected@mqtt://z:1999',
        'reconnecting+1000',
      ]);
    });
  });

  it('0x9D (server moved) replaces the server for good; DISCONNECT 0x9C redirects a live connection', () => {
    marbles((_helpers, scheduler) => {
      const { by, transport, opened } = brokers(scheduler, { a: { connack: v5refusal(0x9d, 'mqtt://m:2000') }, m: {}, t: {} });
      const client = connect('mqtt://a', options(transport, scheduler));
      const seen = states(client);
      scheduler.schedule(() => by.m?.send({ cmd: 'disconnect', reasonCode: 0x9c, properties: { serverReference: 't' } }), 100);
      scheduler.schedule(() => by.t?.drop(), 200);
      scheduler.schedule(() => client.end(), 5000);
      scheduler.flush();
      // a → m (moved), m → t (DISCONNECT 0x9C), t drops: the list's only server is now m.
      expect(opened).toEqual(['a:1883', 'm:2000', 't:1883', 'm:2000']);
      expect(seen.filter((s) => s.startsWith('reconnecting'))).toEqual(['reconnecting+0', 'reconnecting+0', 'reconnecting+1000']);
    });
  });

  it('follows at most 5 redirects between two successful connections, then backs off as for any refusal', () => {
    marbles((_helpers, scheduler) => {
      const { transport, opened } = brokers(scheduler, { a: { connack: v5refusal(0x9c, 'a') } });
      const client = connect('mqtt://a', options(transport, scheduler));
      const seen = states(client);
      scheduler.schedule(() => client.end(), 2500);
      scheduler.flush();
      expect(opened).toHaveLength(7); // 1 + 5 redirects at once + 1 after the backoff
      expect(seen.filter((s) => s.startsWith('reconnecting'))).toEqual([
        ...Array<string>(5).fill('reconnecting+0'),
        'reconnecting+1000', // redirects followed do not lengthen the backoff
        'reconnecting+2000',
      ]);
    });
  });

  it('without followRedirects (or without a reference) 0x9C is retried after the backoff, on the next server', () => {
    marbles((_helpers, scheduler) => {
      const { transport, opened } = brokers(scheduler, { a: { connack: v5refusal(0x9c, 'z') }, b: { connack: v5refusal(0x9d) } });
      const client = connect('mqtt://a', options(transport, scheduler, { followRedirects: false, servers: ['mqtt://b'] }));
      const seen = states(client);
      let error: unknown;
      client.state$.subscribe((s) => {
        if (s.status === 'reconnecting') error ??= s.error;
      });
      scheduler.schedule(() => client.end(), 3500);
      scheduler.flush();
      expect(opened).toEqual(['a:1883', 'b:1883', 'a:1883']);
      expect(seen.filter((s) => s.startsWith('reconnecting'))).toEqual(['reconnecting+1000', 'reconnecting+2000', 'reconnecting+4000']);
      expect(error).toBeInstanceOf(MqttConnectionError);
      expect(error).toMatchObject({ reasonCode: 0x9c, properties: { serverReference: 'z' } });
    });
  });

  it('a reference it cannot use (from TLS to plain) is not followed: the next server after the backoff, not at once', () => {
    marbles((_helpers, scheduler) => {
      const { transport, opened } = brokers(scheduler, { a: { connack: v5refusal(0x9c, 'mqtt://z') }, b: {} });
      const client = connect('mqtts://a', options(transport, scheduler, { servers: ['mqtts://b'] }));
      const seen = states(client);
      scheduler.schedule(() => client.end(), 2500);
      scheduler.flush();
      expect(opened).toEqual(['a:8883', 'b:8883']);
      expect(seen.filter((s) => s.startsWith('reconnecting'))).toEqual(['reconnecting+1000']);
    });
  });
});

describe('credentials asked before every attempt', () => {
  it('calls the password function once per attempt and sends its first value', () => {
    marbles((_helpers, scheduler) => {
      const { by, transport } = brokers(scheduler, { a: { refuse: 1, connack: (_c, n) => ({ cmd: 'connack', sessionPresent: false, returnCode: n === 1 ? 3 : 0 }) } });
      let calls = 0;
      const password = (): Observable<string> => defer(() => of(`token-${++calls}`, 'ignored'));
      const client = connect('mqtt://a', { username: 'u', password, transport, scheduler, random: () => 0, reconnect: BACKOFF });
      const passwords: string[] = [];
      by.a?.received$.pipe(ofCmd('connect')).subscribe((c) => passwords.push(new TextDecoder().decode(c.password)));
      scheduler.schedule(() => by.a?.drop(), 5000);
      scheduler.schedule(() => client.end(), 9000);
      scheduler.flush();
      // refused transport (token-1 asked, unused), CONNACK 3 (token-2), accepted (token-3), dropped, again (token-4).
      expect(calls).toBe(4);
      expect(passwords).toEqual(['token-2', 'token-3', 'token-4']);
    });
  });

  it('an expired token refused by CONNACK (0x87) is not fatal: the next attempt asks for a new one', () => {
    marbles((_helpers, scheduler) => {
      const { by, transport } = brokers(scheduler, {
        a: { connack: (c) => ({ cmd: 'connack', sessionPresent: false, reasonCode: new TextDecoder().decode(c.password) === 'fresh' ? 0 : 0x87 }) },
      });
      const tokens = ['expired', 'fresh'];
      const client = connect('mqtt://a', { protocolVersion: 5, password: () => of(tokens.shift() ?? 'none'), transport, scheduler, random: () => 0, reconnect: BACKOFF });
      const seen = states(client);
      scheduler.schedule(() => client.end(), 3000);
      scheduler.flush();
      expect(by.a?.connections).toBe(2);
      expect(seen).toEqual(['connecting@mqtt://a:1883', 'reconnecting+1000', 'connecting@mqtt://a:1883', 'connected@mqtt://a:1883', 'closed']);
    });
  });

  it('asks in virtual time: a token that takes 500 ms delays the CONNECT by 500 ms', () => {
    marbles(({ cold, expectObservable }, scheduler) => {
      const { by, transport } = brokers(scheduler, { a: {} });
      const client = connect('mqtt://a', { username: () => cold('500ms u', { u: 'late' }), transport, scheduler });
      scheduler.schedule(() => client.end(), 1000);
      expectObservable(by.a!.commands$).toBe('500ms c 499ms (dx)', CMD);
    });
  });

  it.each([
    ['fails', () => throwError(() => new Error('token service down')), /password failed: token service down/],
    ['completes empty', () => EMPTY, /password completed without a value/],
    ['gives a number', () => of(42), /password gave number/],
  ])('a password function that %s fails the attempt with MqttCredentialsError, and the backoff retries', (_name, password, message) => {
    marbles((_helpers, scheduler) => {
      const { by, transport } = brokers(scheduler, { a: {} });
      const client = connect('mqtt://a', { password: password as unknown as () => Observable<string>, transport, scheduler, random: () => 0, reconnect: BACKOFF });
      const errors: Error[] = [];
      client.state$.subscribe((s) => {
        if (s.status === 'reconnecting') errors.push(s.error);
      });
      scheduler.schedule(() => client.end(), 2500);
      scheduler.flush();
      expect(by.a?.attempts).toBe(0);
      expect(errors).toHaveLength(2); // at 0 and at 1 s
      expect(errors[0]).toBeInstanceOf(MqttCredentialsError);
      expect(errors[0]).toMatchObject({ option: 'password', message });
    });
  });

  it('a URL function is asked per attempt: state$ names the URL it gave', () => {
    marbles((_helpers, scheduler) => {
      const { by, transport, opened } = brokers(scheduler, { a: {}, b: {} });
      const urls = ['mqtt://a?sig=1', 'mqtt://b/?sig=2'];
      let i = 0;
      const client = connect(() => of(urls[i++ % 2] as string), { transport, scheduler, random: () => 0, reconnect: BACKOFF });
      const seen = states(client);
      scheduler.schedule(() => by.a?.drop(), 100);
      scheduler.schedule(() => client.end(), 3000);
      scheduler.flush();
      expect(opened).toEqual(['a:1883', 'b:1883']);
      expect(seen.slice(0, 4)).toEqual(['connecting@', 'connected@mqtt://a:1883', 'reconnecting+1000', 'connecting@mqtt://a:1883']);
      expect(seen[4]).toBe('connected@mqtt://b:1883/');
    });
  });
});
