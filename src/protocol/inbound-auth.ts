import { MqttProtocolError, PROTOCOL_ERROR } from '../packets/errors.js';
import type { AuthPacket } from '../packets/packet.js';
import type { AuthChallenge } from './auth-challenge.js';
import { AUTH_SUCCESS, CONTINUE_AUTHENTICATION } from './auth-packet.js';

/**
 * What an AUTH from the server means (MQTT 5 enhanced authentication, 4.12): a
 * challenge to answer (0x18, while connecting or re-authenticating), the end of a
 * re-authentication (0x00), or a protocol error to disconnect with. It decides; the
 * session remembers the exchange (`AuthExchange`) and carries out the effects.
 *
 * @example
 * ```ts
 * const auth = { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1', authenticationData: data } };
 * inboundAuth(auth, 'SCRAM-SHA-1', true, false); // { reasonCode: 0x18, method: 'SCRAM-SHA-1', authenticationData: data, properties }
 * inboundAuth(auth, 'OTHER', true, false);       // MqttProtocolError 0x82 (MQTT-4.12.0-5)
 * ```
 * @param packet the server's AUTH.
 * @param method the Authentication Method of our CONNECT, if it had one.
 * @param connecting whether the CONNACK is still awaited (else the connection is accepted).
 * @param reauthenticating whether our AUTH 0x19 awaits the server's AUTH 0x00.
 * @returns the challenge to hand to the application, `'reauthenticated'`, or the
 *   protocol error the AUTH is.
 */
export function inboundAuth(
  packet: AuthPacket,
  method: string | undefined,
  connecting: boolean,
  reauthenticating: boolean,
): AuthChallenge | 'reauthenticated' | MqttProtocolError {
  if (method === undefined) {
    return new MqttProtocolError('AUTH from the server, but CONNECT had no Authentication Method (MQTT-4.12.0-6)', PROTOCOL_ERROR);
  }
  const theirs = packet.properties?.authenticationMethod;
  if (theirs !== method) {
    return new MqttProtocolError(`AUTH with Authentication Method ${JSON.stringify(theirs)}, not "${method}" (MQTT-4.12.0-5)`, PROTOCOL_ERROR);
  }
  const code = packet.reasonCode;
  if (code === CONTINUE_AUTHENTICATION && (connecting || reauthenticating)) {
    // MQTT-4.12.0-2: the server asks for more.
    const challenge: AuthChallenge = { reasonCode: code, method };
    if (packet.properties?.authenticationData !== undefined) challenge.authenticationData = packet.properties.authenticationData;
    if (packet.properties !== undefined) challenge.properties = packet.properties;
    return challenge;
  }
  // 4.12.1: AUTH 0x00 ends a re-authentication (a first authentication ends with CONNACK).
  if (code === AUTH_SUCCESS && !connecting && reauthenticating) return 'reauthenticated';
  // MQTT-3.15.2-1: 0x19 comes from clients only; 0x00 only ends a re-authentication.
  return new MqttProtocolError(`unexpected AUTH with reason code ${code}`, PROTOCOL_ERROR);
}
