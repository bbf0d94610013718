import type { ConnackPacket } from '../packets/packet.js';
import type { ServerRedirect } from './server-redirect.js';

/** The CONNACK packet that accepted the connection. */
export type Connack = ConnackPacket;

/**
 * Where the client's connection stands.
 *
 * - `connecting`: attempt number `attempt` (failed attempts since the last successful
 *   connection, plus one) is opening the transport to `server` or waiting for CONNACK.
 * - `connected`: CONNACK from `server` accepted the connection; `clientId` is the client
 *   identifier in use (the server's Assigned Client Identifier when it assigned one, MQTT 5).
 * - `reconnecting`: the connection failed (`error`); attempt `attempt` (failed
 *   attempts since the last successful connection, from 1) starts in `delay` ms.
 * - `closed`: for good; `error` when it closed on a fatal error rather than `end()`.
 *
 * `server` is the server's URL without credentials, query or fragment (for example
 * `mqtt://10.0.0.7:1883`, `wss://broker.example/mqtt`). For a `servers` entry given as
 * a function, `connecting` names the URL it gave last time (`''` before its first
 * answer); `connected` always names the URL of the connection.
 */
export type ConnectionState =
  | { status: 'connecting'; attempt: number; server: string }
  | { status: 'connected'; sessionPresent: boolean; connack: Connack; clientId: string; server: string }
  | { status: 'reconnecting'; attempt: number; delay: number; error: Error }
  | { status: 'closed'; error?: Error };

/**
 * The {@link ConnectionState} as the session reports it: the session knows no URLs,
 * so `connecting` and `connected` lack `server` (the client adds it), and `connecting`
 * carries `redirect` when the attempt follows a server's Server Reference.
 */
export type SessionConnectionState =
  | { status: 'connecting'; attempt: number; redirect?: ServerRedirect }
  | { status: 'connected'; sessionPresent: boolean; connack: Connack; clientId: string }
  | { status: 'reconnecting'; attempt: number; delay: number; error: Error }
  | { status: 'closed'; error?: Error };
