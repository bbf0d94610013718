import type { ProtocolVersion, SubscribePacket, Subscription } from '../packets/packet.js';
import type { SubscribeOptions } from './topic-stream.js';

/**
 * The SUBSCRIBE for one filter, with packet identifier 1 as a placeholder: the caller
 * sets the real one once the packet is known to fit (a refused SUBSCRIBE takes none).
 * In MQTT 5 with the subscription options, the Subscription Identifier (when not 0)
 * and the user properties.
 *
 * @example
 * ```ts
 * subscribePacket('a/+', 1, { noLocal: true }, 4, 5);
 * // { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/+', qos: 1, nl: true, rap: false, rh: 0 }],
 * //   properties: { subscriptionIdentifier: 4 } }
 * ```
 * @param filter the topic filter.
 * @param qos the QoS asked for.
 * @param options the options of the stream that asked for it.
 * @param id the Subscription Identifier to send, or 0 for none.
 * @param version the protocol version.
 * @returns a new packet.
 */
export function subscribePacket(
  filter: string,
  qos: Subscription['qos'],
  options: SubscribeOptions,
  id: number,
  version: ProtocolVersion,
): SubscribePacket {
  const subscription: Subscription = { topic: filter, qos };
  const packet: SubscribePacket = { cmd: 'subscribe', messageId: 1, subscriptions: [subscription] };
  if (version === 5) {
    subscription.nl = options.noLocal ?? false;
    subscription.rap = options.retainAsPublished ?? false;
    subscription.rh = options.retainHandling ?? 0;
    if (id !== 0 || options.userProperties !== undefined) {
      packet.properties = {};
      if (id !== 0) packet.properties.subscriptionIdentifier = id;
      if (options.userProperties !== undefined) packet.properties.userProperties = options.userProperties;
    }
  }
  return packet;
}
