// Compile-time tests of connect()'s signatures: checked by `npx tsc --noEmit -p
// tsconfig.json`; Jest never runs this file. A failing line is a type error.
import { defer, of } from 'rxjs';
import { connect } from '../../src/index.js';
import type { ConnectionState, MqttClient } from '../../src/index.js';

export const cases: MqttClient[] = [
  connect('mqtt://a'),
  connect(new URL('mqtt://a'), { protocolVersion: 5 }),
  connect('mqtt://a', { servers: ['mqtt://b', new URL('wss://c/mqtt'), () => of('mqtt://d')] }),
  connect({ servers: ['mqtt://a', 'mqtt://b'], followRedirects: true }),
  connect(() => of('wss://signed.example/mqtt?sig=1')),
  connect('mqtt://a', { username: () => of('u'), password: () => defer(() => of(new Uint8Array([1]))) }),
  connect('mqtt://a', { username: 'u', password: 'p' }),
];

// @ts-expect-error connect(options) needs servers
export const noServers = (): MqttClient => connect({ protocolVersion: 5 });
// @ts-expect-error a password function gives strings or bytes
export const badPassword = (): MqttClient => connect('mqtt://a', { password: () => of(42) });

/** `server` on connecting and connected, not on the others. */
export function serverOf(state: ConnectionState): string | undefined {
  switch (state.status) {
    case 'connecting':
    case 'connected':
      return state.server;
    default:
      // @ts-expect-error no server on reconnecting / closed
      return state.server;
  }
}
