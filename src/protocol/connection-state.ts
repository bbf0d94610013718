import type { ConnackPacket } from '../packets/packet.js';

/** The CONNACK packet that accepted the connection. */
export type Connack = ConnackPacket;

/**
 * Where the client's connection stands.
 *
 * - `connecting`: attempt number `attempt` (failed attempts since the last successful
 *   connection, plus one) is opening the transport or waiting for CONNACK.
 * - `connected`: CONNACK accepted the connection; `clientId` is the client identifier
 *   in use (the server's Assigned Client Identifier when it assigned one, MQTT 5).
 * - `reconnecting`: the connection failed (`error`); attempt `attempt` (failed
 *   attempts since the last successful connection, from 1) starts in `delay` ms.
 * - `closed`: for good; `error` when it closed on a fatal error rather than `end()`.
 */
export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'connected'; sessionPresent: boolean; connack: Connack; clientId: string }
  | { status: 'reconnecting'; attempt: number; delay: number; error: Error }
  | { status: 'closed'; error?: Error };
