import { encodingProblem } from '../packets/encoding-problem.js';
import { isReasonCodeAllowed, REASON_CODES } from '../packets/reason-codes.js';
import type { PubackPacket, UserProperties } from '../packets/packet.js';

/** The reason codes a PUBACK or PUBREC may carry (MQTT 5 3.4.2.1, 3.5.2.1: the same set), for messages. */
const ACK_CODES = REASON_CODES.filter((row) => row.packets.includes('puback'))
  .map((row) => `0x${row.code.toString(16).padStart(2, '0')}`)
  .join(', ');

/**
 * How a manual `ack()` answers a message in MQTT 5: the reason code, reason string and
 * user properties of its PUBACK (QoS 1) or PUBREC (QoS 2). A code of 0x80 or more
 * refuses the message: the server does not send it again, and a QoS 2 flow ends at
 * the PUBREC (no PUBREL follows, MQTT 5 4.3.3). Ignored in 3.x, whose acks carry no
 * reason.
 *
 * @example
 * ```ts
 * message.ack({ reasonCode: 0x99, reasonString: 'not JSON' }); // Payload format invalid
 * ```
 */
export interface AckReason {
  /**
   * 0x00 success (default), 0x10 no matching subscribers, 0x80 unspecified error, 0x83
   * implementation specific error, 0x87 not authorized, 0x90 topic name invalid, 0x91
   * packet identifier in use, 0x97 quota exceeded, 0x99 payload format invalid.
   */
  readonly reasonCode?: number;
  /** A human-readable reason, for the server's logs. */
  readonly reasonString?: string;
  /** User Properties of the ack. */
  readonly userProperties?: UserProperties;
}

/**
 * Which of two answers for one message wins: a refusal over a success, else the first.
 *
 * @example
 * ```ts
 * strongerReason({ reasonCode: 0 }, { reasonCode: 0x80 }); // { reasonCode: 0x80 }
 * ```
 * @param kept the answer kept so far, if any.
 * @param given the new answer, if any.
 * @returns the answer the ack carries.
 */
export function strongerReason(kept: AckReason | undefined, given: AckReason | undefined): AckReason | undefined {
  if (given === undefined) return kept;
  if (kept === undefined) return given;
  return refuses(given) && !refuses(kept) ? given : kept;
}

/**
 * What is wrong with an answer a manual `ack()` was given, if anything.
 *
 * @example
 * ```ts
 * checkAckReason({ reasonCode: 0x81 }); // RangeError: 0x81 is not a PUBACK / PUBREC reason code …
 * ```
 * @param reason the answer.
 * @returns a `RangeError` for a reason code a PUBACK / PUBREC may not carry, a
 *   `TypeError` for properties that cannot be encoded; `undefined` when it may be sent.
 */
export function checkAckReason(reason: AckReason): RangeError | TypeError | undefined {
  const code = reason.reasonCode ?? 0;
  if (!isReasonCodeAllowed(code, 'puback')) {
    return new RangeError(`ack(): 0x${code.toString(16)} is not a PUBACK / PUBREC reason code (${ACK_CODES})`);
  }
  const { reasonString, userProperties } = reason;
  return encodingProblem({ cmd: 'puback', messageId: 1, reasonCode: code, properties: { reasonString, userProperties } }, 5, 'ack()');
}

/**
 * @param reason an answer to a message, if any.
 * @returns whether it refuses the message (a reason code of 0x80 or more).
 */
export function refuses(reason: AckReason | undefined): boolean {
  return (reason?.reasonCode ?? 0) >= 0x80;
}

/**
 * The properties a PUBACK / PUBREC carries for an answer.
 *
 * @example
 * ```ts
 * ackReasonProperties({ reasonCode: 0x99, reasonString: 'not JSON' }); // { reasonString: 'not JSON' }
 * ackReasonProperties({ reasonCode: 0x80 });                           // undefined
 * ```
 * @param reason an answer to a message, if any.
 * @returns its Reason String and User Properties, or `undefined` when it has neither.
 */
export function ackReasonProperties(reason: AckReason | undefined): PubackPacket['properties'] {
  if (reason === undefined || (reason.reasonString === undefined && reason.userProperties === undefined)) return undefined;
  const properties: NonNullable<PubackPacket['properties']> = {};
  if (reason.reasonString !== undefined) properties.reasonString = reason.reasonString;
  if (reason.userProperties !== undefined) properties.userProperties = reason.userProperties;
  return properties;
}
