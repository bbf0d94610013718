import type { PublishProperties, QoS } from './packet.js';

/**
 * An application message as the client delivers it: what `messages$` and `topic()`
 * emit.
 *
 * @example
 * ```ts
 * client.topic('sensors/+/temp').subscribe((m: MqttMessage) => console.log(m.topic, m.payload.length));
 * ```
 */
export interface MqttMessage {
  /** The topic name it was published to (after MQTT 5 topic-alias resolution). */
  topic: string;
  /** The payload bytes, unchanged. */
  payload: Uint8Array;
  /** The QoS it was delivered with. */
  qos: QoS;
  /** Whether it is a retained message (sent because of the subscription, or as published with Retain As Published). */
  retain: boolean;
  /** Whether the server marked it as possibly a redelivery. */
  dup: boolean;
  /** MQTT 5 publish properties, when any were sent. */
  properties?: PublishProperties;
}
