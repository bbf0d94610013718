import type { AuthPacket } from '../packets/packet.js';

/**
 * An AUTH the client sends (MQTT 5 3.15): the Authentication Method of the CONNECT
 * (MQTT-4.12.0-5) and the Authentication Data, if any.
 *
 * @example
 * ```ts
 * authPacket(0x19, 'SCRAM-SHA-1', data); // re-authentication
 * // { cmd: 'auth', reasonCode: 0x19, properties: { authenticationMethod: 'SCRAM-SHA-1', authenticationData: data } }
 * ```
 * @param reasonCode 0x18 (Continue authentication) or 0x19 (Re-authenticate).
 * @param method the CONNECT's Authentication Method.
 * @param data the Authentication Data, if any.
 * @returns the packet.
 */
export function authPacket(reasonCode: number, method: string, data: Uint8Array | undefined): AuthPacket {
  return data === undefined
    ? { cmd: 'auth', reasonCode, properties: { authenticationMethod: method } }
    : { cmd: 'auth', reasonCode, properties: { authenticationMethod: method, authenticationData: data } };
}
