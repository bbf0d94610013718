import type { SubackPacket } from '../packets/packet.js';
import { MqttSubscribeError } from './errors.js';

/**
 * What a SUBACK says about a SUBSCRIBE of one filter: `undefined` when the server
 * granted it (a QoS, below 0x80), else the error its streams fail with (3.1.1: 0x80
 * Failure; MQTT 5: a reason code of 0x80 or more, with the Reason String if any).
 *
 * @example
 * ```ts
 * subackRefusal({ cmd: 'suback', messageId: 1, granted: [1] }, 'a/b');    // undefined
 * subackRefusal({ cmd: 'suback', messageId: 1, granted: [0x87] }, 'a/b'); // MqttSubscribeError, reasonCode 0x87
 * ```
 * @param packet the SUBACK (its first code; a SUBACK without one counts as 0x80).
 * @param filter the filter the SUBSCRIBE asked for.
 * @returns the refusal, or `undefined` when granted.
 */
export function subackRefusal(packet: SubackPacket, filter: string): MqttSubscribeError | undefined {
  const code = packet.granted[0] ?? 0x80;
  if (code < 0x80) return undefined;
  const reason = packet.properties?.reasonString;
  return new MqttSubscribeError(
    `subscription to "${filter}" refused (${code})${reason === undefined ? '' : `: ${reason}`}`,
    code,
    filter,
    packet.properties,
  );
}
