import type { PublishPacket, PublishProperties, QoS } from '../packets/packet.js';
import type { PublishRequest } from './publish-request.js';

/**
 * A QoS 1/2 publish that an earlier process left in the offline queue, loaded from the
 * store: the session sends it like any other queued publish, but there is no
 * subscriber to settle or reject (as for an in-flight flow restored from the store).
 *
 * @example
 * ```ts
 * for (const { seq, packet } of store.load().queued) queue.push(new RestoredPublish(seq, packet));
 * ```
 */
export class RestoredPublish implements PublishRequest {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties?: PublishProperties;

  /**
   * @param seq its queue number in the store.
   * @param packet the stored PUBLISH (no `messageId`).
   */
  constructor(
    readonly seq: number,
    packet: PublishPacket,
  ) {
    this.topic = packet.topic;
    this.payload = packet.payload;
    this.qos = packet.qos;
    this.retain = packet.retain;
    if (packet.properties !== undefined) this.properties = packet.properties;
  }
}
