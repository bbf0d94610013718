import type { ProtocolVersion, PublishPacket, PublishProperties } from '../packets/packet.js';
import type { PublishRequest } from './publish-request.js';

/**
 * The PUBLISH for a request, as kept for a resend: its properties in MQTT 5 only, and
 * without the application's Topic Alias (the next connection has none, MQTT-3.3.2-7;
 * the alias is put back on the packet that goes out now). One literal per shape: a
 * property added later would cost a second allocation on the publish hot path.
 *
 * @example
 * ```ts
 * publishPacket({ topic: 'a', payload, qos: 1, retain: false }, 5, 7);
 * // { cmd: 'publish', topic: 'a', payload, qos: 1, dup: false, retain: false, messageId: 7 }
 * ```
 * @param request the message.
 * @param version the protocol version.
 * @param messageId its packet identifier (QoS 1/2), `undefined` for QoS 0.
 * @returns a new PUBLISH, DUP clear.
 */
export function publishPacket(request: PublishRequest, version: ProtocolVersion, messageId: number | undefined): PublishPacket {
  const { topic, payload, qos, retain } = request;
  let properties = version === 5 ? request.properties : undefined;
  if (properties?.topicAlias !== undefined) {
    const { topicAlias: _alias, ...rest } = properties as PublishProperties;
    properties = Object.keys(rest).length === 0 ? undefined : rest;
  }
  if (messageId === undefined) {
    return properties === undefined
      ? { cmd: 'publish', topic, payload, qos, dup: false, retain }
      : { cmd: 'publish', topic, payload, qos, dup: false, retain, properties };
  }
  return properties === undefined
    ? { cmd: 'publish', topic, payload, qos, dup: false, retain, messageId }
    : { cmd: 'publish', topic, payload, qos, dup: false, retain, messageId, properties };
}
