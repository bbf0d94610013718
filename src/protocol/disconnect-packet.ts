import type { DisconnectPacket, ProtocolVersion } from '../packets/packet.js';

/**
 * The DISCONNECT of `end()`: in MQTT 5 with the reason code and, when allowed, a new
 * Session Expiry Interval.
 *
 * @example
 * ```ts
 * disconnectPacket(5, undefined, 60, 0); // { cmd: 'disconnect', reasonCode: 0 } (0 → 60 is a Protocol Error)
 * disconnectPacket(5, 4, 0, 3600);       // { cmd: 'disconnect', reasonCode: 4, properties: { sessionExpiryInterval: 0 } }
 * ```
 * @param version the protocol version of the connection.
 * @param reasonCode the reason code `end()` was given (default 0).
 * @param expiry the Session Expiry Interval `end()` was given, seconds, if any.
 * @param inForce the Session Expiry Interval in force.
 * @returns the packet.
 */
export function disconnectPacket(
  version: ProtocolVersion,
  reasonCode: number | undefined,
  expiry: number | undefined,
  inForce: number,
): DisconnectPacket {
  if (version !== 5) return { cmd: 'disconnect' };
  const packet: DisconnectPacket = { cmd: 'disconnect', reasonCode: reasonCode ?? 0 };
  // 3.14.2.2.2: a non-zero interval after a CONNECT with 0 is a Protocol Error: not sent.
  if (expiry !== undefined && (inForce !== 0 || expiry === 0)) packet.properties = { sessionExpiryInterval: expiry };
  return packet;
}
