import type { AckProperties } from '../packets/packet.js';
import { MqttPublishError } from './errors.js';
import type { PublishResult } from './publish-request.js';

/**
 * What the acknowledgement that ends a QoS 1/2 flow makes of its publish: the result
 * to settle it with, or a {@link MqttPublishError} when a PUBACK or PUBREC code
 * refuses it (0x80 or more, MQTT 5). A PUBCOMP code (0x92 at most) does not refuse
 * the message: it is reported in the result.
 *
 * @example
 * ```ts
 * publishOutcome('a/b', 7, 0x10, undefined, false); // { packetId: 7, reasonCode: 0x10 }
 * publishOutcome('a/b', 7, 0x87, undefined, false); // MqttPublishError 'publish to "a/b" refused (135)'
 * ```
 * @param topic the topic of the PUBLISH.
 * @param id its packet identifier.
 * @param code the acknowledgement's reason code (0 in MQTT 3.x).
 * @param properties the acknowledgement's properties, if any.
 * @param pubcomp whether a PUBCOMP ends the flow.
 * @returns the result, or the error to reject the publish with.
 */
export function publishOutcome(
  topic: string,
  id: number,
  code: number,
  properties: AckProperties | undefined,
  pubcomp: boolean,
): PublishResult | MqttPublishError {
  if (code >= 0x80 && !pubcomp) {
    const reason = properties?.reasonString;
    return new MqttPublishError(
      `publish to "${topic}" refused (${code})${reason === undefined ? '' : `: ${reason}`}`,
      code,
      topic,
      properties,
    );
  }
  return properties === undefined ? { packetId: id, reasonCode: code } : { packetId: id, reasonCode: code, properties };
}
