import type { PublishPacket, PublishProperties } from '../packets/packet.js';

/**
 * `packet` with another topic and properties (an alias set or used). Literals, not
 * spreads: a spread that adds a property costs V8 about a microsecond, on the publish
 * hot path.
 *
 * @example
 * ```ts
 * republish(packet, '', { topicAlias: 3 }); // the same PUBLISH, sent by alias
 * ```
 * @param packet the PUBLISH.
 * @param topic its topic as sent ('' when an alias names it).
 * @param properties its properties as sent.
 * @returns a new packet; `packet` is unchanged.
 */
export function republish(packet: PublishPacket, topic: string, properties: PublishProperties): PublishPacket {
  const { payload, qos, dup, retain, messageId } = packet;
  return messageId === undefined
    ? { cmd: 'publish', topic, payload, qos, dup, retain, properties }
    : { cmd: 'publish', topic, payload, qos, dup, retain, messageId, properties };
}
