/**
 * What a message of a `topic(filter, { ack: 'manual' })` stream carries besides the
 * message: `ack()` says the application is done with it. The PUBACK (QoS 1) / PUBREC
 * (QoS 2) waits until every manual stream the message reached has called it, so a slow
 * consumer holds back the broker instead of growing memory. Idempotent; a no-op for a
 * QoS 0 message and for a message of an earlier connection (the broker sends it again).
 *
 * @example
 * ```ts
 * client.topic('jobs/#', { qos: 1, ack: 'manual' })
 *   .pipe(concatMap((m) => handle(m).pipe(finalize(() => m.ack()))))
 *   .subscribe();
 * ```
 */
export interface Ackable {
  /** Acknowledge the message (once; later calls do nothing). */
  ack(): void;
}
