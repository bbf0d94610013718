import type { Packet, PublishPacket, PublishProperties } from '../packets/packet.js';
import type { OutgoingAliases } from './outgoing-aliases.js';
import { publishFits, publishSizeBound } from './packet-fits.js';
import { republish } from './republish.js';

/**
 * `packet` as sent with one of our automatic topic aliases: topic and alias the first
 * time, then an empty topic and the alias (MQTT 5 3.3.2.3.4). The least recently used
 * topic gives its alias up when all are taken. Never one that would break the server's
 * Maximum Packet Size (MQTT-3.2.2-15): then `packet` as it is, and no alias taken.
 *
 * @example
 * ```ts
 * withTopicAlias(packet, aliases, 0, size); // 1st: { topic: 'a/b', properties: { topicAlias: 1 } }
 * withTopicAlias(packet, aliases, 0, size); // then: { topic: '', properties: { topicAlias: 1 } }
 * ```
 * @param packet the PUBLISH, without an alias.
 * @param aliases the connection's outbound aliases (updated when one is assigned).
 * @param limit the server's Maximum Packet Size, bytes; 0: none.
 * @param size the exact encoded size of a packet.
 * @returns the packet to send.
 */
export function withTopicAlias(
  packet: PublishPacket,
  aliases: OutgoingAliases,
  limit: number,
  size: (packet: Packet) => number,
): PublishPacket {
  const known = aliases.known(packet.topic);
  const topicAlias = known === 0 ? 1 : known;
  const properties: PublishProperties =
    packet.properties === undefined ? { topicAlias } : { ...packet.properties, topicAlias };
  const sent = republish(packet, known === 0 ? packet.topic : '', properties);
  if (limit > 0) {
    // Cheap bound first: the alias property adds 3 bytes (identifier 1, value 2).
    const bound = publishSizeBound(packet.topic, packet.payload.length) + 3;
    if ((packet.properties !== undefined || bound > limit) && !publishFits(sent, limit, size)) return packet;
  }
  if (known === 0) properties.topicAlias = aliases.assign(packet.topic);
  return sent;
}
