import { defer, EMPTY, map, NEVER, type Observable, of, switchMap, throwError, timer } from 'rxjs';
import { MqttCredentialsError } from '../../src/client/mqtt-credentials-error.js';
import type { AuthChallenge } from '../../src/protocol/auth-challenge.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { MqttAuthenticationError, MqttConnectionError, MqttTimeoutError } from '../../src/protocol/errors.js';
import type { AuthPacket, ConnectPacket } from '../../src/packets/packet.js';
import { ofCmd, type ScriptedBroker } from '../../src/testing/index.js';
import { clientOnKit, CMD, marbles, stateLetters } from '../support/client-marbles.js';

const METHOD = 'TOKEN-EXCHANGE';
const utf8 = new TextEncoder();
const text = new TextDecoder();
const LETTERS = { ...CMD, A: 'auth' } as const;

/** The server's AUTH with `reasonCode` and `data`. */
function serverAuth(reasonCode: number, data?: string): AuthPacket {
  return {
    cmd: 'auth',
    reasonCode,
    properties: data === undefined ? { authenticationMethod: METHOD } : { authenticationMethod: METHOD, authenticationData: utf8.encode(data) },
  };
}

/**
 * Scripts a challenge–response on the broker (which answers no AUTH by itself, and is
 * made with `connack: false`): CONNECT → AUTH 0x18 "nonce"; the client's AUTH 0x18 →
 * CONNACK when its data is "signed:nonce", else CONNACK 0x87; the client's AUTH 0x19 →
 * AUTH 0x18 "nonce-2"; the answer to that → AUTH 0x00. Replies go out later in the same
 * frame (a reply to CONNECT needs the connection's version, set after it is recorded).
 */
function scriptChallenge(broker: ScriptedBroker, scheduler: { schedule(work: () => void): unknown }): void {
  let reauthenticating = false;
  broker.received$.pipe(ofCmd('connect', 'auth')).subscribe((packet: ConnectPacket | AuthPacket) => {
    scheduler.schedule(() => {
      if (packet.cmd === 'connect') return broker.send(serverAuth(0x18, 'nonce'));
      const data = text.decode(packet.properties?.authenticationData ?? new Uint8Array());
      if (packet.reasonCode === 0x19) {
        reauthenticating = true;
        return broker.send(serverAuth(0x18, 'nonce-2'));
      }
      if (reauthenticating) {
        reauthenticating = false;
        return broker.send(serverAuth(data === 'signed:nonce-2' ? 0x00 : 0x18));
      }
      broker.send(
        data === 'signed:nonce'
          ? { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { authenticationMethod: METHOD } }
          : { cmd: 'connack', sessionPresent: false, reasonCode: 0x87 },
      );
    });
  });
}

const sign = (challenge: AuthChallenge) => utf8.encode(`signed:${text.decode(challenge.authenticationData)}`);

describe('MQTT 5 enhanced authentication on the scripted broker (4.12)', () => {
  it('MQTT-4.12.0-2 / MQTT-4.12.0-3: a challenge goes to respond; its answer goes back in AUTH 0x18; CONNACK ends the exchange', () => {
    marbles(({ expectObservable }, scheduler) => {
      const challenges: AuthChallenge[] = [];
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        authenticate: {
          method: METHOD,
          data: utf8.encode('hello'),
          // An answer that takes 100 ms (a token service, say).
          respond: (challenge) => {
            challenges.push(challenge);
            return timer(100).pipe(map(() => sign(challenge)));
          },
        },
      });
      scriptChallenge(broker, scheduler);
      scheduler.schedule(() => client.end(), 500);
      expectObservable(broker.commands$).toBe('c 99ms A 399ms (dx)', LETTERS);
      expectObservable(stateLetters(client)).toBe('C 99ms K 399ms (X|)');
      let connect: ConnectPacket | undefined;
      let answer: AuthPacket | undefined;
      broker.received$.pipe(ofCmd('connect')).subscribe((p) => (connect = p));
      broker.received$.pipe(ofCmd('auth')).subscribe((p) => (answer = p));
      scheduler.schedule(() => {
        expect(connect?.properties).toMatchObject({ authenticationMethod: METHOD, authenticationData: utf8.encode('hello') });
        expect(challenges).toEqual([{ reasonCode: 0x18, method: METHOD, authenticationData: utf8.encode('nonce'), properties: expect.any(Object) }]);
        // MQTT-4.12.0-5: the same method on every AUTH.
        expect(answer).toEqual({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: METHOD, authenticationData: utf8.encode('signed:nonce') } });
      }, 200);
    });
  });

  it('the connect timeout still applies while respond is slow: no CONNACK within connectTimeout → reconnecting, the late answer is dropped', () => {
    marbles(({ expectObservable }, scheduler) => {
      let error: unknown;
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        connectTimeout: 1000,
        reconnect: { initialDelay: 5000, jitter: 0 },
        authenticate: { method: METHOD, respond: (challenge) => timer(3000).pipe(map(() => sign(challenge))) },
      });
      scriptChallenge(broker, scheduler);
      client.state$.subscribe((s) => {
        if (s.status === 'reconnecting') error = s.error;
      });
      scheduler.schedule(() => client.end(), 2500);
      //                                   0 CONNECT, 1000 timeout: closed; no AUTH ever sent
      expectObservable(broker.commands$).toBe('c 999ms x', LETTERS);
      expectObservable(stateLetters(client)).toBe('C 999ms R 1499ms (X|)');
      scheduler.schedule(() => expect(error).toBeInstanceOf(MqttTimeoutError), 1001);
    });
  });

  it.each([
    ['errors', () => throwError(() => new Error('token service down')), 'authenticate.respond failed: token service down'],
    ['completes empty', () => EMPTY, 'authenticate.respond completed without an answer'],
  ])('a respond that %s ends the attempt: DISCONNECT 0x80, closed with MqttAuthenticationError', (_name, respond, message) => {
    marbles(({ expectObservable }, scheduler) => {
      let state: ConnectionState | undefined;
      let disconnect: unknown;
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        reconnect: false,
        authenticate: { method: METHOD, respond },
      });
      scriptChallenge(broker, scheduler);
      client.state$.subscribe((s) => (state = s));
      broker.received$.pipe(ofCmd('disconnect')).subscribe((p) => (disconnect = p));
      expectObservable(broker.commands$).toBe('(cdx)', LETTERS);
      // state$ shows the current state on subscribe: closed already within frame 0.
      expectObservable(stateLetters(client)).toBe('(X|)');
      scheduler.schedule(() => {
        expect(disconnect).toEqual({ cmd: 'disconnect', reasonCode: 0x80 });
        expect(state).toEqual({ status: 'closed', error: expect.any(MqttAuthenticationError) });
        expect(state?.status === 'closed' && state.error?.message).toBe(message);
      }, 1);
    });
  });

  it('a wrong answer: CONNACK 0x87 is the usual (fatal) refusal', () => {
    marbles(({ expectObservable }, scheduler) => {
      let state: ConnectionState | undefined;
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        authenticate: { method: METHOD, respond: () => of(utf8.encode('wrong')) },
      });
      scriptChallenge(broker, scheduler);
      client.state$.subscribe((s) => (state = s));
      expectObservable(stateLetters(client)).toBe('(CX|)');
      scheduler.schedule(() => {
        expect(state).toEqual({ status: 'closed', error: expect.any(MqttConnectionError) });
        expect(state?.status === 'closed' && state.error).toMatchObject({ reasonCode: 0x87 });
      }, 1);
    });
  });

  it('respond giving something that is not a Uint8Array fails the attempt with MqttAuthenticationError (DISCONNECT 0x80), not on the wire', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        reconnect: false,
        authenticate: { method: METHOD, respond: () => of('signed' as unknown as Uint8Array) },
      });
      scriptChallenge(broker, scheduler);
      let error: unknown;
      client.state$.subscribe((s) => {
        if (s.status === 'closed') error = s.error;
      });
      expectObservable(broker.commands$).toBe('(cdx)', LETTERS);
      scheduler.schedule(() => {
        expect(error).toBeInstanceOf(MqttAuthenticationError);
        expect((error as Error).message).toBe("authenticate.respond's answer must be a Uint8Array, an AuthAnswer or undefined, not string");
      }, 5);
    });
  });

  it('without respond, a challenge fails the attempt the same way', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        reconnect: false,
        authenticate: { method: METHOD },
      });
      scriptChallenge(broker, scheduler);
      expectObservable(broker.commands$).toBe('(cdx)', LETTERS);
      expectObservable(client.state$.pipe(map((s) => (s.status === 'closed' ? s.error?.constructor : s.status)))).toBe('(E|)', {
        E: MqttAuthenticationError,
      });
    });
  });

  it('MQTT-4.12.0-6: an AUTH from a server the CONNECT named no method to is a protocol error (DISCONNECT 0x82, reconnect)', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5, reconnect: { initialDelay: 1000, jitter: 0 } });
      scheduler.schedule(() => broker.send(serverAuth(0x18, 'x')), 10);
      scheduler.schedule(() => client.end(), 500);
      expectObservable(broker.commands$).toBe('c 9ms (dx)', LETTERS);
      expectObservable(stateLetters(client)).toBe('K 9ms R 489ms (X|)');
    });
  });
});

describe('authenticate.data as a function: fresh Authentication Data per attempt (a SCRAM nonce)', () => {
  /** A data function giving "nonce-1", "nonce-2", … and counting its calls. */
  function nonces(): { data: () => Observable<Uint8Array>; calls: () => number } {
    let n = 0;
    return { data: () => defer(() => of(utf8.encode(`nonce-${++n}`))), calls: () => n };
  }

  it('asks it before every attempt: each CONNECT carries the data of its own attempt', () => {
    marbles(({ expectObservable }, scheduler) => {
      const connects: ConnectPacket[] = [];
      const { data } = nonces();
      const { broker, client } = clientOnKit(scheduler, {}, {
        protocolVersion: 5,
        reconnect: { initialDelay: 100, jitter: 0 },
        authenticate: { method: METHOD, data },
      });
      broker.received$.pipe(ofCmd('connect')).subscribe((p) => connects.push(p));
      scheduler.schedule(() => broker.drop(), 50);
      scheduler.schedule(() => client.end(), 500);
      expectObservable(broker.commands$).toBe('c 49ms x 99ms c 349ms (dx)', LETTERS);
      scheduler.schedule(() => {
        expect(connects.map((c) => text.decode(c.properties?.authenticationData))).toEqual(['nonce-1', 'nonce-2']);
        expect(connects.every((c) => c.properties?.authenticationMethod === METHOD)).toBe(true);
      }, 400);
    });
  });

  it('a data function that fails fails that attempt with MqttCredentialsError (option "authenticate.data"); the next attempt asks again', () => {
    marbles(({ expectObservable }, scheduler) => {
      let calls = 0;
      const states: ConnectionState[] = [];
      const { broker, client } = clientOnKit(scheduler, {}, {
        protocolVersion: 5,
        reconnect: { initialDelay: 100, jitter: 0 },
        authenticate: {
          method: METHOD,
          data: () => (++calls === 1 ? throwError(() => new Error('token service down')) : of(utf8.encode('ok'))),
        },
      });
      client.state$.subscribe((s) => states.push(s));
      scheduler.schedule(() => client.end(), 500);
      expectObservable(broker.commands$).toBe('100ms c 399ms (dx)', LETTERS);
      scheduler.schedule(() => {
        const failed = states.find((s) => s.status === 'reconnecting');
        const error = failed?.status === 'reconnecting' ? failed.error : undefined;
        expect(error).toBeInstanceOf(MqttCredentialsError);
        expect(error).toMatchObject({ option: 'authenticate.data', message: 'authenticate.data failed: token service down' });
        expect(calls).toBe(2);
      }, 400);
    });
  });

  it('reauthenticate() without data asks it again; with data, it is not asked; a failing ask fails reauthenticate() only', () => {
    marbles(({ expectObservable }, scheduler) => {
      const reauths: AuthPacket[] = [];
      let fail = false;
      let n = 0;
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        authenticate: {
          method: METHOD,
          data: () => (fail ? throwError(() => new Error('offline')) : of(utf8.encode(`fresh-${++n}`))),
          respond: (challenge) => of(sign(challenge)),
        },
      });
      scriptChallenge(broker, scheduler);
      broker.received$.pipe(ofCmd('auth')).subscribe((p) => reauths.push(p));
      scheduler.schedule(() => {
        fail = true;
      }, 2500);
      scheduler.schedule(() => client.end(), 4000);
      expectObservable(timer(1000).pipe(switchMap(() => client.reauthenticate()))).toBe('1000ms |');
      expectObservable(timer(2000).pipe(switchMap(() => client.reauthenticate(utf8.encode('given'))))).toBe('2000ms |');
      expectObservable(timer(3000).pipe(switchMap(() => client.reauthenticate()))).toBe(
        '3000ms #',
        undefined,
        new MqttCredentialsError('authenticate.data failed: offline', 'authenticate.data'),
      );
      // The connection is untouched by the failed ask: the end at 4 s is a normal DISCONNECT.
      expectObservable(stateLetters(client)).toBe('(CK) 3996ms (X|)');
      scheduler.schedule(() => {
        expect(reauths.filter((p) => p.reasonCode === 0x19).map((p) => text.decode(p.properties?.authenticationData))).toEqual(['fresh-2', 'given']);
        expect(n).toBe(2); // once for CONNECT, once for the first reauthenticate()
      }, 3500);
    });
  });
});

describe('MQTT 5 re-authentication on the scripted broker (4.12.1)', () => {
  it('MQTT-4.12.1-1: reauthenticate() sends AUTH 0x19, answers the challenge and completes on AUTH 0x00', () => {
    marbles(({ expectObservable }, scheduler) => {
      const reauths: AuthPacket[] = [];
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        authenticate: { method: METHOD, data: utf8.encode('first'), respond: (challenge) => of(sign(challenge)) },
      });
      scriptChallenge(broker, scheduler);
      broker.received$.pipe(ofCmd('auth')).subscribe((p) => reauths.push(p));
      scheduler.schedule(() => client.end(), 2000);
      expectObservable(timer(1000).pipe(switchMap(() => client.reauthenticate(utf8.encode('again'))))).toBe('1000ms |');
      expectObservable(broker.commands$).toBe('(cA) 996ms (AA) 996ms (dx)', LETTERS);
      scheduler.schedule(() => {
        expect(reauths.slice(1)).toEqual([
          { cmd: 'auth', reasonCode: 0x19, properties: { authenticationMethod: METHOD, authenticationData: utf8.encode('again') } },
          { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: METHOD, authenticationData: utf8.encode('signed:nonce-2') } },
        ]);
      }, 1500);
    });
  });

  it('fails with the MqttConnectionError of a DISCONNECT from the server', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        authenticate: { method: METHOD, respond: () => NEVER },
      });
      // This broker accepts at once and answers AUTH 0x19 with a DISCONNECT.
      broker.received$.pipe(ofCmd('connect', 'auth')).subscribe((packet) => {
        scheduler.schedule(() =>
          broker.send(
            packet.cmd === 'connect'
              ? { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { authenticationMethod: METHOD } }
              : { cmd: 'disconnect', reasonCode: 0x87, properties: { reasonString: 'no re-authentication for you' } },
          ),
        );
      });
      scheduler.schedule(() => client.end(), 2000);
      const error = new MqttConnectionError('the server sent DISCONNECT (135): no re-authentication for you', 0x87);
      expectObservable(timer(100).pipe(switchMap(() => client.reauthenticate()))).toBe('100ms #', undefined, error);
    });
  });

  it('3.15.2.2.3 / 3.15.2.2.4: reauthenticate(AuthAnswer) and a respond giving an AuthAnswer send their Reason String and User Properties', () => {
    marbles((_helpers, scheduler) => {
      const auths: AuthPacket[] = [];
      const { broker, client } = clientOnKit(scheduler, { connack: false }, {
        protocolVersion: 5,
        authenticate: {
          method: METHOD,
          data: utf8.encode('first'),
          respond: (challenge) => of({ data: sign(challenge), userProperties: { step: 'answer' } }),
        },
      });
      scriptChallenge(broker, scheduler);
      broker.received$.pipe(ofCmd('auth')).subscribe((p) => auths.push(p));
      scheduler.schedule(() => client.reauthenticate({ reasonString: 'token rotation', userProperties: { step: 'start' } }).subscribe(), 1000);
      scheduler.schedule(() => client.end(), 2000);
      scheduler.schedule(() => {
        expect(auths.map((p) => [p.reasonCode, p.properties])).toEqual([
          [0x18, { authenticationMethod: METHOD, authenticationData: utf8.encode('signed:nonce'), userProperties: { step: 'answer' } }],
          // No data given: authenticate.data goes, with the properties.
          [0x19, { authenticationMethod: METHOD, authenticationData: utf8.encode('first'), reasonString: 'token rotation', userProperties: { step: 'start' } }],
          [0x18, { authenticationMethod: METHOD, authenticationData: utf8.encode('signed:nonce-2'), userProperties: { step: 'answer' } }],
        ]);
      }, 1500);
    });
  });

  it('data that is not a Uint8Array fails with a TypeError before anything is sent', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(scheduler, {}, { protocolVersion: 5, authenticate: { method: METHOD } });
      scheduler.schedule(() => client.end(), 10);
      expectObservable(client.reauthenticate('token' as unknown as Uint8Array)).toBe(
        '#',
        undefined,
        new TypeError('reauthenticate() data must be a Uint8Array, an AuthAnswer or undefined, not string'),
      );
    });
  });

  it('fails at once when not connected', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(scheduler, { connack: false }, { protocolVersion: 5, authenticate: { method: METHOD } });
      scheduler.schedule(() => client.end(), 10);
      expectObservable(client.reauthenticate()).toBe('#', undefined, new MqttConnectionError('not connected: re-authentication needs an accepted connection'));
    });
  });
});
