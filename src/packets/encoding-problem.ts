import { encode } from './encode.js';
import type { Packet, ProtocolVersion } from './packet.js';
import { errorMessage } from './error-message.js';

/**
 * Why `packet` cannot be encoded, if it cannot: the codec's own checks, run on a value
 * a user gave before it goes anywhere near a connection (where it would fail the
 * connection, and again after every reconnect).
 *
 * @example
 * ```ts
 * encodingProblem({ cmd: 'puback', messageId: 1, reasonCode: 0, properties: { reasonString: 5 as never } }, 5, 'ack()');
 * // TypeError: ack(): properties.reasonString must be a string
 * ```
 * @param packet the packet the value would go in.
 * @param version the protocol version.
 * @param what what the value is, to start the message with.
 * @returns a `TypeError` with the codec's reason; `undefined` when it encodes.
 */
export function encodingProblem(packet: Packet, version: ProtocolVersion, what: string): TypeError | undefined {
  try {
    encode(packet, version);
  } catch (error) {
    return new TypeError(`${what}: ${errorMessage(error)}`);
  }
  return undefined;
}
