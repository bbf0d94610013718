import { encode } from '../packets/encode.js';
import type { PublishPacket } from '../packets/packet.js';

/** The packet identifier a queued PUBLISH is encoded with (it has none yet); dropped when read. */
export const QUEUED_ID = 1;

/**
 * A packet identifier a store is given, checked: MQTT-2.2.1-3 (5) / MQTT-2.3.1-1 (3.1.1)
 * allow 1 to 65535.
 *
 * @example
 * ```ts
 * packetId(7); // 7
 * packetId(0); // RangeError: a packet identifier is an integer from 1 to 65535, not 0
 * ```
 * @param messageId the identifier.
 * @returns it, when valid.
 * @throws RangeError otherwise.
 */
export function packetId(messageId: number): number {
  if (!Number.isInteger(messageId) || messageId < 1 || messageId > 65535) {
    throw new RangeError(`a packet identifier is an integer from 1 to 65535, not ${String(messageId)}`);
  }
  return messageId;
}

/**
 * A queue number a store is given, checked: a non-negative safe integer.
 *
 * @example
 * ```ts
 * queueNumber(2 ** 32 + 1); // 4294967297
 * ```
 * @param seq the number.
 * @returns it, when valid.
 * @throws RangeError otherwise.
 */
export function queueNumber(seq: number): number {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`a queue number is a non-negative safe integer, not ${String(seq)}`);
  return seq;
}

/**
 * A queued PUBLISH (no packet identifier yet) as a store keeps it: encoded as MQTT 5 with
 * the placeholder identifier {@link QUEUED_ID}, which the reader drops.
 *
 * @example
 * ```ts
 * encodeQueued({ cmd: 'publish', topic: 't', payload, qos: 1, dup: false, retain: false });
 * ```
 * @param packet the queued PUBLISH.
 * @returns its bytes (possibly a view into the encoder's shared slab: copy before keeping them whole).
 */
export function encodeQueued(packet: PublishPacket): Uint8Array {
  return encode({ ...packet, messageId: QUEUED_ID }, 5);
}
