import type { UnsubscribePacket, UserProperties } from '../packets/packet.js';

/**
 * The UNSUBSCRIBE of one filter, with packet identifier 1 as a placeholder (the caller
 * sets the real one once it is known to fit), and in MQTT 5 the User Properties of the
 * stream whose leaving sends it.
 *
 * @example
 * ```ts
 * unsubscribePacket('a/#', { bye: 'now' });
 * // { cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['a/#'], properties: { userProperties: { bye: 'now' } } }
 * ```
 * @param filter the topic filter.
 * @param userProperties its User Properties, if any (MQTT 5 only: the caller leaves them out in 3.x).
 * @returns a new packet.
 */
export function unsubscribePacket(filter: string, userProperties?: UserProperties): UnsubscribePacket {
  const packet: UnsubscribePacket = { cmd: 'unsubscribe', messageId: 1, unsubscriptions: [filter] };
  if (userProperties !== undefined) packet.properties = { userProperties };
  return packet;
}
