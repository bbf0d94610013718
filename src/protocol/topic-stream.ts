import type { QoS, UserProperties } from '../packets/packet.js';

/** Options of a `topic()` subscription. The MQTT 5 ones are ignored in 3.x. */
export interface SubscribeOptions {
  /** Maximum QoS of the messages; default 0. */
  qos?: QoS;
  /**
   * `'manual'`: each message carries an `ack()`, and the PUBACK (QoS 1) / PUBREC (QoS 2)
   * of a message waits until every manual stream it reached has called it, so a slow
   * consumer holds back the broker instead of growing memory. Default `'auto'`.
   */
  ack?: 'auto' | 'manual';
  /** MQTT 5 No Local: do not receive this client's own publications. */
  noLocal?: boolean;
  /** MQTT 5 Retain As Published. */
  retainAsPublished?: boolean;
  /** MQTT 5 Retain Handling: 0 send retained, 1 only for a new subscription, 2 never. */
  retainHandling?: 0 | 1 | 2;
  /** MQTT 5 Subscription Identifier (1–268435455). */
  subscriptionIdentifier?: number;
  /** MQTT 5 user properties of the SUBSCRIBE. */
  userProperties?: UserProperties;
  /**
   * MQTT 5 user properties of the UNSUBSCRIBE sent when this stream is the last of its
   * filter to leave, if it is sent then (one deferred to the next connection, or that
   * would not fit the server's Maximum Packet Size with them, goes without).
   */
  unsubscribeUserProperties?: UserProperties;
}

/**
 * One `topic()` subscriber, as the session sees it. The client hands the session its
 * own object and gets the same object back in `deliver` / `streamError` /
 * `streamComplete`. Several streams of one filter share one MQTT subscription.
 */
export interface TopicStream {
  readonly filter: string;
  readonly options: SubscribeOptions;
}
