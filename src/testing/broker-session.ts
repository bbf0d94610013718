import { matches } from '../packets/topic.js';
import type { QoS, Subscription } from '../packets/packet.js';

/** A subscription held by a {@link BrokerSession}: the SUBSCRIBE's options as granted. */
export interface SessionSubscription extends Subscription {
  /** The MQTT 5 Subscription Identifier of the SUBSCRIBE that made it. */
  readonly identifier?: number;
}

/** How a message matches a session's subscriptions, merged as MQTT-3.3.4-2 asks. */
export interface SessionMatch {
  /** The highest granted QoS among the matching subscriptions. */
  readonly qos: QoS;
  /** Whether any matching subscription asked for Retain As Published. */
  readonly retainAsPublished: boolean;
  /** The Subscription Identifiers of the matching subscriptions (MQTT 5). */
  readonly identifiers: number[];
}

/**
 * The state a scripted broker keeps for one client id: its subscriptions, and
 * whether it outlives the connection (Clean Session 0 in 3.x, a Session Expiry
 * Interval above 0 in 5; expiry itself is not timed).
 */
export class BrokerSession {
  readonly subscriptions = new Map<string, SessionSubscription>();

  /**
   * @param clientId the client identifier (assigned by the broker when the CONNECT's was empty).
   * @param persistent whether the session is kept after its connection ends.
   */
  constructor(
    readonly clientId: string,
    public persistent: boolean,
  ) {}

  /**
   * Merges the subscriptions matching `topic`, or returns `undefined` when none does.
   *
   * @param topic the topic name of a PUBLISH.
   * @param local whether the message came from this session's own connection
   *   (MQTT 5 No Local subscriptions skip it, MQTT-3.8.3-3).
   * @returns the merged match, or `undefined`.
   */
  match(topic: string, local: boolean): SessionMatch | undefined {
    let qos: QoS | undefined;
    let retainAsPublished = false;
    const identifiers: number[] = [];
    for (const subscription of this.subscriptions.values()) {
      if ((local && subscription.nl === true) || !matches(subscription.topic, topic)) continue;
      qos = Math.max(qos ?? 0, subscription.qos) as QoS;
      retainAsPublished ||= subscription.rap === true;
      if (subscription.identifier !== undefined) identifiers.push(subscription.identifier);
    }
    return qos === undefined ? undefined : { qos, retainAsPublished, identifiers };
  }
}
