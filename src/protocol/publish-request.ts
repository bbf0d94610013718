import type { AckProperties, PublishProperties, QoS } from '../packets/packet.js';

/**
 * A message the application asked to publish, as the session sees it. The client
 * hands the session its own object (with whatever else it needs to settle the
 * request) and gets the same object back in `settle` / `reject`.
 */
export interface PublishRequest {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties?: PublishProperties;
}

/**
 * The outcome of a publish: QoS 0 once written, QoS 1 on PUBACK, QoS 2 on PUBCOMP.
 * `reasonCode` is 0 in MQTT 3.x; in MQTT 5 the acknowledgement's code (< 0x80).
 */
export interface PublishResult {
  packetId?: number;
  reasonCode: number;
  properties?: AckProperties;
}
