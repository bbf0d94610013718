import type { AckReason } from '../protocol/ack-reason.js';

/**
 * What a message of a `topic(filter, { ack: 'manual' })` stream carries besides the
 * message: `ack()` says the application is done with it. The PUBACK (QoS 1) / PUBREC
 * (QoS 2) waits until every manual stream the message reached has called it, so a slow
 * consumer holds back the broker instead of growing memory. Idempotent; a no-op for a
 * QoS 0 message and for a message of an earlier connection (the broker sends it again).
 *
 * In MQTT 5, `ack(reason)` sets the ack's reason code, reason string and user
 * properties: a code of 0x80 or more refuses the message (the server will not send it
 * again; MQTT.js's `customHandleAcks` does the same).
 *
 * @example
 * ```ts
 * client.topic('jobs/#', { qos: 1, ack: 'manual' })
 *   .pipe(concatMap((m) => handle(m).pipe(finalize(() => m.ack()))))
 *   .subscribe();
 * ```
 */
export interface Ackable {
  /**
   * Acknowledge the message (once; later calls do nothing).
   *
   * @param reason MQTT 5: what the PUBACK / PUBREC carries; ignored in 3.x.
   * @throws RangeError / TypeError for a reason code a PUBACK / PUBREC may not carry, or
   *   properties that cannot be encoded (the message is then not acknowledged yet).
   */
  ack(reason?: AckReason): void;
}
