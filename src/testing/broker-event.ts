import type { PacketCmd } from '../packets/packet.js';

/**
 * Something that happened to a connection of a {@link ScriptedBroker}:
 * - `open`: a connection was accepted (`connection` counts them from 1);
 * - `refused`: a connection attempt was refused (`attempt` counts every attempt from 1);
 * - `closed`: connection number `connection` ended, closed `by` the client (its
 *   transport closed or failed) or the broker (`drop`, `fail`, a protocol error, a
 *   refusing CONNACK, a session takeover); `error` is the failure, if any.
 */
export type BrokerConnectionEvent =
  | { readonly type: 'open'; readonly connection: number; readonly url: URL }
  | { readonly type: 'refused'; readonly attempt: number }
  | { readonly type: 'closed'; readonly connection: number; readonly by: 'client' | 'broker'; readonly error?: Error };

/**
 * One event of {@link ScriptedBroker.commands$}: the `cmd` of a packet received from
 * the client, `'closed'` when a connection ends, `'refused'` when an attempt is refused.
 */
export type BrokerCommand = PacketCmd | 'closed' | 'refused';
