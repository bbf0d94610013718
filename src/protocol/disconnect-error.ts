import type { DisconnectPacket } from '../packets/packet.js';
import { MqttConnectionError } from './errors.js';

/**
 * The error a DISCONNECT from the server (MQTT 5) ends the connection with: its reason
 * code, its Reason String in the message, and its properties.
 *
 * @example
 * ```ts
 * disconnectError({ cmd: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'shutting down' } });
 * // MqttConnectionError('the server sent DISCONNECT (139): shutting down'), reasonCode 0x8b
 * ```
 * @param packet the server's DISCONNECT.
 * @returns the error.
 */
export function disconnectError(packet: DisconnectPacket): MqttConnectionError {
  const code = packet.reasonCode ?? 0;
  const why = packet.properties?.reasonString;
  return new MqttConnectionError(`the server sent DISCONNECT (${code})${why === undefined ? '' : `: ${why}`}`, code, undefined, packet.properties);
}
