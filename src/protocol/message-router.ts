import type { MqttMessage } from '../packets/mqtt-message.js';
import type { SessionOutput } from './session-output.js';
import type { PublishRequest } from './publish-request.js';
import type { SubscriptionTable } from './subscription-table.js';
import type { TopicStream } from './topic-stream.js';

/**
 * Hands an incoming message to the `topic()` streams it is for: those of the
 * subscriptions its MQTT 5 Subscription Identifiers name (MQTT-3.3.4-3, MQTT-3.3.4-4),
 * else those whose filter matches its topic. A manual-ack stream gets the receipt of a
 * QoS 1/2 message and is counted among the streams its ack waits for.
 *
 * The hot path of receiving: one visiting function made once, the message being routed
 * kept in fields, so routing a message allocates nothing (a set only when a manual-ack
 * stream is reached).
 *
 * @example
 * ```ts
 * const router = new MessageRouter<Stream>(output);
 * router.route(table, message, undefined, 0);                // QoS 0: output.deliver(stream, message) per stream
 * const waiting = router.route(table, message, [3], receipt); // QoS 1/2: the manual streams reached, if any
 * ```
 */
export class MessageRouter<S extends TopicStream> {
  private message: MqttMessage | undefined;
  /** Receipt of the QoS 1/2 message being routed; 0 while routing QoS 0. */
  private receipt = 0;
  /** The manual-ack streams the message being routed reached. */
  private waiting: Set<S> | undefined;
  private readonly visit = (stream: S): void => {
    if (this.receipt !== 0 && stream.options.ack === 'manual') {
      (this.waiting ??= new Set()).add(stream);
      this.output.deliver(stream, this.message as MqttMessage, this.receipt);
      return;
    }
    this.output.deliver(stream, this.message as MqttMessage);
  };

  /**
   * @param output where each delivery goes (the session's output).
   */
  constructor(private readonly output: Pick<SessionOutput<PublishRequest, S>, 'deliver'>) {}

  /**
   * Delivers `message` to each of its streams, once per subscription it is for.
   *
   * @param table the subscriptions and their streams.
   * @param message the message.
   * @param ids its Subscription Identifiers, if it carries any.
   * @param receipt for a QoS 1/2 message, the receipt manual-ack streams get; 0 for QoS 0.
   * @returns the manual-ack streams it reached (its ack waits for them), if any.
   */
  route(table: SubscriptionTable<S>, message: MqttMessage, ids: number | number[] | undefined, receipt: number): Set<S> | undefined {
    this.message = message;
    this.receipt = receipt;
    if (ids === undefined || !table.routeByIds(ids, message.topic, this.visit)) table.tree.match(message.topic, this.visit);
    const waiting = this.waiting;
    this.message = undefined;
    this.receipt = 0;
    this.waiting = undefined;
    return waiting;
  }
}
