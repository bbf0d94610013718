import type { ProtocolVersion, PubackPacket, PubcompPacket, PubrecPacket, PubrelPacket } from '../packets/packet.js';

/** The acknowledgements of the QoS 1/2 flows. */
type AckPacket = PubackPacket | PubrecPacket | PubrelPacket | PubcompPacket;

/**
 * A PUBACK, PUBREC, PUBREL or PUBCOMP the client sends: in MQTT 5 with its reason code
 * (and properties, when given); in 3.x the packet id only, its acks carrying no reason.
 *
 * @example
 * ```ts
 * ackPacket<PubcompPacket>(5, 'pubcomp', 7, 0x92); // { cmd: 'pubcomp', messageId: 7, reasonCode: 0x92 }
 * ackPacket<PubcompPacket>(4, 'pubcomp', 7, 0x92); // { cmd: 'pubcomp', messageId: 7 }
 * ```
 * @param version the protocol version of the connection.
 * @param cmd which acknowledgement.
 * @param messageId the packet id of the flow.
 * @param reasonCode its reason code (MQTT 5).
 * @param properties its Reason String and User Properties, if any (MQTT 5).
 * @returns the packet.
 */
export function ackPacket<T extends AckPacket>(
  version: ProtocolVersion,
  cmd: T['cmd'],
  messageId: number,
  reasonCode: number,
  properties?: T['properties'],
): T {
  if (version !== 5) return { cmd, messageId } as T;
  return (properties === undefined ? { cmd, messageId, reasonCode } : { cmd, messageId, reasonCode, properties }) as T;
}
