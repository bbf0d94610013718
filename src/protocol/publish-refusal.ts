import type { ProtocolVersion } from '../packets/packet.js';
import { MqttCapabilityError } from './errors.js';
import type { PublishRequest } from './publish-request.js';
import type { ServerLimits } from './server-limits.js';

/**
 * What the server's CONNACK rules out for a publish, checked before anything is sent:
 * a QoS above its Maximum QoS, RETAIN without Retain Available, a topic alias outside
 * its Topic Alias Maximum. (Its Maximum Packet Size is checked on the packet itself.)
 *
 * @example
 * ```ts
 * publishRefusal({ topic: 'a', payload, qos: 2, retain: false }, { ...limits, maximumQoS: 1 }, 5);
 * // MqttCapabilityError, capability 'maximumQoS', reasonCode 0x9B
 * ```
 * @param request the publish.
 * @param limits the limits of the connection.
 * @param version the protocol version (properties count in MQTT 5 only).
 * @returns the error to fail the publish with, or `undefined` when it may go.
 */
export function publishRefusal(request: PublishRequest, limits: ServerLimits, version: ProtocolVersion): Error | undefined {
  if (request.qos > limits.maximumQoS) {
    // MQTT-3.2.2-11: never above the server's Maximum QoS.
    return new MqttCapabilityError(
      `cannot publish to "${request.topic}" at QoS ${request.qos}: the server's Maximum QoS is ${limits.maximumQoS} (MQTT-3.2.2-11)`,
      'maximumQoS',
      0x9b,
    );
  }
  if (request.retain && !limits.retainAvailable) {
    // MQTT-3.2.2-14: no RETAIN when the server has no retained messages.
    return new MqttCapabilityError(
      `cannot publish a retained message to "${request.topic}": the server has Retain Available 0 (MQTT-3.2.2-14)`,
      'retainAvailable',
      0x9a,
    );
  }
  const alias = version === 5 ? request.properties?.topicAlias : undefined;
  if (alias !== undefined && !(alias >= 1 && alias <= limits.topicAliasMaximum)) {
    // MQTT-3.3.2-8, MQTT-3.2.2-17, MQTT-3.2.2-18: 0 < alias ≤ the server's Topic Alias Maximum.
    return new RangeError(
      `properties.topicAlias ${alias} is outside 1..${limits.topicAliasMaximum}, the server's Topic Alias Maximum (MQTT-3.2.2-17)`,
    );
  }
  return undefined;
}
