import { MqttProtocolError, PROTOCOL_ERROR } from '../packets/errors.js';
import type { ConnackPacket } from '../packets/packet.js';
import { connackRefusal } from './connack-refusal.js';
import { credentialsRefused } from './credentials-refused.js';
import { MqttConnectionError } from './errors.js';
import type { SessionConfig } from './session-config.js';

/** A CONNACK that refuses the connection: the error, and whether the client ends (else it retries). */
export interface ConnackRefused {
  readonly error: MqttConnectionError;
  readonly fatal: boolean;
}

/**
 * What a CONNACK means for the connection attempt: `undefined` when it accepts it, the
 * refusal (with whether the client ends or retries), or the protocol error it is (an
 * Authentication Method the CONNECT did not name, a session after a clean start). A
 * fatal refusal of the credentials is retried when they are asked afresh per attempt
 * (an expired token may be replaced).
 *
 * @example
 * ```ts
 * connackVerdict({ cmd: 'connack', sessionPresent: false, returnCode: 5 }, config, true);
 * // { error: MqttConnectionError('connection refused: not authorized (5)'), fatal: true }
 * connackVerdict({ cmd: 'connack', sessionPresent: true, returnCode: 0 }, config, true);
 * // MqttProtocolError 0x82 (MQTT-3.2.2-4)
 * ```
 * @param packet the CONNACK.
 * @param config the session's options (protocol version, Authentication Method, asked credentials).
 * @param sentClean whether the CONNECT asked for a clean start.
 * @returns `undefined` (accepted), the refusal, or the protocol error.
 */
export function connackVerdict(
  packet: ConnackPacket,
  config: Pick<SessionConfig, 'protocolVersion' | 'authentication' | 'askedCredentials'>,
  sentClean: boolean,
): ConnackRefused | MqttProtocolError | undefined {
  const version = config.protocolVersion;
  const refusal = connackRefusal(packet, version);
  if (refusal !== undefined) {
    const why = packet.properties?.reasonString;
    const error = new MqttConnectionError(
      `connection refused: ${refusal.reason} (${refusal.code})${why === undefined ? '' : `: ${why}`}`,
      refusal.code,
      undefined,
      packet.properties,
    );
    // Credentials asked afresh per attempt may be better next time (an expired token).
    const retried = config.askedCredentials === true && credentialsRefused(refusal.code, version);
    return { error, fatal: refusal.fatal && !retried };
  }
  const method = version === 5 ? packet.properties?.authenticationMethod : undefined;
  if (method !== undefined && method !== config.authentication?.method) {
    // MQTT-4.12.0-5 / MQTT-4.12.0-6: the CONNECT's method, or none when it named none.
    return new MqttProtocolError(`CONNACK with Authentication Method "${method}" (MQTT-4.12.0-5, MQTT-4.12.0-6)`, PROTOCOL_ERROR);
  }
  if (sentClean && packet.sessionPresent) {
    // MQTT-3.2.2-4 (5) / MQTT-3.2.2-1 (3.1.1): no session after a clean start.
    return new MqttProtocolError('CONNACK says session present after a clean start (MQTT-3.2.2-4)', PROTOCOL_ERROR);
  }
  return undefined;
}
