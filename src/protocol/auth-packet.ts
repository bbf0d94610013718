import type { AuthPacket, AuthProperties } from '../packets/packet.js';
import type { AuthAnswer } from './auth-answer.js';

/** AUTH reason code 0x00: Success (the server ends a re-authentication). */
export const AUTH_SUCCESS = 0x00;
/** AUTH reason code 0x18: Continue authentication. */
export const CONTINUE_AUTHENTICATION = 0x18;
/** AUTH reason code 0x19: Re-authenticate. */
export const REAUTHENTICATE = 0x19;

/**
 * An AUTH the client sends (MQTT 5 3.15): the Authentication Method of the CONNECT
 * (MQTT-4.12.0-5), and the Authentication Data, Reason String and User Properties of
 * the answer, if any.
 *
 * @example
 * ```ts
 * authPacket(0x19, 'SCRAM-SHA-1', { data }); // re-authentication
 * // { cmd: 'auth', reasonCode: 0x19, properties: { authenticationMethod: 'SCRAM-SHA-1', authenticationData: data } }
 * ```
 * @param reasonCode 0x18 (Continue authentication) or 0x19 (Re-authenticate).
 * @param method the CONNECT's Authentication Method.
 * @param answer what the AUTH carries besides the method.
 * @returns the packet.
 */
export function authPacket(reasonCode: number, method: string, answer: AuthAnswer = {}): AuthPacket {
  const properties: AuthProperties = { authenticationMethod: method };
  if (answer.data !== undefined) properties.authenticationData = answer.data;
  if (answer.reasonString !== undefined) properties.reasonString = answer.reasonString;
  if (answer.userProperties !== undefined) properties.userProperties = answer.userProperties;
  return { cmd: 'auth', reasonCode, properties };
}
