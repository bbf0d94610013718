import type { AuthProperties } from '../packets/packet.js';

/**
 * An MQTT 5 enhanced-authentication challenge: the server's AUTH with reason code
 * 0x18 (Continue authentication), during CONNECT or a re-authentication (4.12).
 *
 * @example
 * ```ts
 * const respond = (challenge: AuthChallenge) => of(sign(challenge.authenticationData));
 * ```
 */
export interface AuthChallenge {
  /** The AUTH reason code: 0x18 (Continue authentication). */
  reasonCode: number;
  /** The Authentication Method (the one the CONNECT named, MQTT-4.12.0-5). */
  method: string;
  /** The server's Authentication Data, if it sent any. */
  authenticationData?: Uint8Array;
  /** All the AUTH's properties (reason string, user properties, …). */
  properties?: AuthProperties;
}
