import { map, type Observable } from 'rxjs';
import { type RunHelpers, TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { scriptedBroker, type ScriptedBroker, type ScriptedBrokerOptions } from '../../src/testing/index.js';

/**
 * Letters for `broker.commands$` in marble diagrams.
 * Client → broker packets: c CONNECT, P PUBLISH, r PUBREL, s SUBSCRIBE, u UNSUBSCRIBE,
 * p PINGREQ, d DISCONNECT, a PUBACK, e PUBREC, m PUBCOMP.
 * Connections: x ended, f attempt refused.
 */
export const CMD = {
  c: 'connect',
  P: 'publish',
  r: 'pubrel',
  s: 'subscribe',
  u: 'unsubscribe',
  p: 'pingreq',
  d: 'disconnect',
  a: 'puback',
  e: 'pubrec',
  m: 'pubcomp',
  x: 'closed',
  f: 'refused',
} as const;

/** Letters of `client.state$`: C connecting, K connected, R reconnecting, X closed. */
const STATE_LETTER: Record<ConnectionState['status'], string> = {
  connecting: 'C',
  connected: 'K',
  reconnecting: 'R',
  closed: 'X',
};

/**
 * Runs `fn` inside `TestScheduler.run()`, with the scheduler itself for the client's
 * and the broker's `scheduler` option.
 *
 * @param fn the test body.
 */
export function marbles(fn: (helpers: RunHelpers, scheduler: TestScheduler) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run((helpers) => fn(helpers, scheduler));
}

/**
 * A scripted broker and a client connected to it, both on `scheduler`, with
 * deterministic backoff (no jitter: `random` always 0).
 *
 * @param scheduler the test's scheduler.
 * @param broker options of the scripted broker.
 * @param options client options.
 * @returns the broker and the client.
 */
export function clientOnKit(
  scheduler: TestScheduler,
  broker: ScriptedBrokerOptions = {},
  options: ClientOptions = {},
): { broker: ScriptedBroker; client: MqttClient } {
  const kit = scriptedBroker({ scheduler, ...broker });
  const client = connect('mqtt://broker', { transport: kit.transport, scheduler, random: () => 0, ...options });
  return { broker: kit, client };
}

/**
 * @param broker a scripted broker.
 * @returns its connection events as letters: o opened, f refused, x closed.
 */
export function connectionLetters(broker: ScriptedBroker): Observable<string> {
  return broker.connection$.pipe(map((e) => (e.type === 'open' ? 'o' : e.type === 'refused' ? 'f' : 'x')));
}

/**
 * @param client a client.
 * @returns its states as letters ({@link STATE_LETTER}).
 */
export function stateLetters(client: MqttClient): Observable<string> {
  return client.state$.pipe(map((s) => STATE_LETTER[s.status]));
}
