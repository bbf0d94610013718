import type { DisconnectPacket, ProtocolVersion, UserProperties } from '../packets/packet.js';

/** What `end()` asks of its DISCONNECT (MQTT 5). */
export interface DisconnectRequest {
  /** The reason code; default 0 (normal disconnection). */
  readonly reasonCode?: number;
  /** A new Session Expiry Interval, seconds. */
  readonly sessionExpiryInterval?: number;
  /** A Reason String for the server's logs. */
  readonly reasonString?: string;
  /** User Properties. */
  readonly userProperties?: UserProperties;
}

/**
 * The DISCONNECT of `end()`: in MQTT 5 with the reason code, the reason string and
 * user properties, and, when allowed, a new Session Expiry Interval.
 *
 * @example
 * ```ts
 * disconnectPacket(5, { sessionExpiryInterval: 60 }, 0); // { cmd: 'disconnect', reasonCode: 0 } (0 → 60 is a Protocol Error)
 * disconnectPacket(5, { reasonCode: 4, sessionExpiryInterval: 0 }, 3600);
 * // { cmd: 'disconnect', reasonCode: 4, properties: { sessionExpiryInterval: 0 } }
 * ```
 * @param version the protocol version of the connection.
 * @param request what `end()` was given.
 * @param inForce the Session Expiry Interval in force.
 * @returns the packet.
 */
export function disconnectPacket(version: ProtocolVersion, request: DisconnectRequest, inForce: number): DisconnectPacket {
  if (version !== 5) return { cmd: 'disconnect' };
  const packet: DisconnectPacket = { cmd: 'disconnect', reasonCode: request.reasonCode ?? 0 };
  const { sessionExpiryInterval: expiry, reasonString, userProperties } = request;
  // 3.14.2.2.2: a non-zero interval after a CONNECT with 0 is a Protocol Error: not sent.
  const properties: DisconnectPacket['properties'] = {};
  if (expiry !== undefined && (inForce !== 0 || expiry === 0)) properties.sessionExpiryInterval = expiry;
  if (reasonString !== undefined) properties.reasonString = reasonString;
  if (userProperties !== undefined) properties.userProperties = userProperties;
  if (Object.keys(properties).length > 0) packet.properties = properties;
  return packet;
}
