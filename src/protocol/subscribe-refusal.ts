import { parseSharedFilter } from '../packets/topic.js';
import { MqttCapabilityError } from './errors.js';
import type { SubscribeOptions } from './topic-stream.js';

/** What a server's CONNACK says about subscriptions (MQTT 5 3.2.2.3.12–14); absent = available. */
export interface SubscribeCapabilities {
  wildcardSubscriptionAvailable: boolean;
  sharedSubscriptionAvailable: boolean;
  subscriptionIdentifiersAvailable: boolean;
}

/**
 * What the server's capabilities rule out for a subscription: the server would answer
 * it with DISCONNECT (0xA2, 0x9E, 0xA1); the client fails the stream instead.
 *
 * @example
 * ```ts
 * subscribeRefusal('a/+', {}, { wildcardSubscriptionAvailable: false, sharedSubscriptionAvailable: true, subscriptionIdentifiersAvailable: true });
 * // MqttCapabilityError, capability 'wildcardSubscriptionAvailable', reasonCode 0xA2
 * ```
 * @param filter a valid topic filter (`validateTopicFilter`: a `+` or `#` is a whole
 *   level), `$share/{group}/` prefix included.
 * @param options the stream's options (its `subscriptionIdentifier`).
 * @param caps the server's capabilities.
 * @returns the error to fail the stream with, or `undefined` when the server can do it.
 */
export function subscribeRefusal(
  filter: string,
  options: SubscribeOptions,
  caps: SubscribeCapabilities,
): MqttCapabilityError | undefined {
  if (!caps.sharedSubscriptionAvailable || !caps.wildcardSubscriptionAvailable) {
    const shared = parseSharedFilter(filter);
    if (shared.group !== undefined && !caps.sharedSubscriptionAvailable) {
      return new MqttCapabilityError(
        `cannot subscribe to "${filter}": the server has Shared Subscription Available 0`,
        'sharedSubscriptionAvailable',
        0x9e,
      );
    }
    if (!caps.wildcardSubscriptionAvailable && (shared.filter.includes('+') || shared.filter.includes('#'))) {
      return new MqttCapabilityError(
        `cannot subscribe to "${filter}": the server has Wildcard Subscription Available 0`,
        'wildcardSubscriptionAvailable',
        0xa2,
      );
    }
  }
  if (!caps.subscriptionIdentifiersAvailable && options.subscriptionIdentifier !== undefined) {
    return new MqttCapabilityError(
      `cannot subscribe to "${filter}" with subscriptionIdentifier ${options.subscriptionIdentifier}: the server has Subscription Identifiers Available 0`,
      'subscriptionIdentifiersAvailable',
      0xa1,
    );
  }
  return undefined;
}
