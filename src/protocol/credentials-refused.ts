import type { ProtocolVersion } from '../packets/packet.js';

/** CONNACK codes that refuse the user name or password: 4, 5 (3.x); 0x86, 0x87 (5). */
const CODES: Record<ProtocolVersion, readonly number[]> = { 3: [4, 5], 4: [4, 5], 5: [0x86, 0x87] };

/**
 * Whether a CONNACK code refuses the credentials (bad user name or password, not
 * authorized). Fatal with fixed credentials; retried when they are asked afresh
 * before every attempt (an expired token gets replaced).
 *
 * @example
 * ```ts
 * credentialsRefused(0x87, 5); // true
 * ```
 * @param code the CONNACK return code (3.x) or reason code (5).
 * @param version the protocol version of the connection.
 * @returns true for a refusal of the credentials.
 */
export function credentialsRefused(code: number, version: ProtocolVersion): boolean {
  return CODES[version].includes(code);
}
