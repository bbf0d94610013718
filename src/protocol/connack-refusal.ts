import type { ConnackPacket, ProtocolVersion } from '../packets/packet.js';

/** What a CONNACK says about the connection attempt. */
export interface ConnackRefusal {
  /** The return code (3.x) or reason code (5). */
  readonly code: number;
  /** True when retrying with the same CONNECT cannot succeed: the client ends. */
  readonly fatal: boolean;
  /** Human-readable reason. */
  readonly reason: string;
}

/** MQTT 3.1 / 3.1.1 CONNACK return codes (MQTT-3.2.2-5 in 3.1.1). Fatal: 1, 2, 4, 5. */
const V3: Record<number, [string, boolean]> = {
  1: ['unacceptable protocol version', true],
  2: ['identifier rejected', true],
  3: ['server unavailable', false],
  4: ['bad user name or password', true],
  5: ['not authorized', true],
};

/**
 * MQTT 5 CONNACK reason codes. Fatal where the same CONNECT would be refused again:
 * the protocol version, the client identifier, the credentials, a ban, the
 * authentication method, and the will (its topic, payload format, retain or QoS) or
 * the CONNECT's size. Transient (retried with backoff): unspecified, malformed,
 * protocol and implementation-specific errors, server unavailable or busy, quota and
 * connection-rate limits, and the redirects (0x9C, 0x9D), which this client does not
 * follow.
 */
const V5: Record<number, [string, boolean]> = {
  0x80: ['unspecified error', false],
  0x81: ['malformed packet', false],
  0x82: ['protocol error', false],
  0x83: ['implementation specific error', false],
  0x84: ['unsupported protocol version', true],
  0x85: ['client identifier not valid', true],
  0x86: ['bad user name or password', true],
  0x87: ['not authorized', true],
  0x88: ['server unavailable', false],
  0x89: ['server busy', false],
  0x8a: ['banned', true],
  0x8c: ['bad authentication method', true],
  0x90: ['topic name invalid', true],
  0x95: ['packet too large', true],
  0x97: ['quota exceeded', false],
  0x99: ['payload format invalid', true],
  0x9a: ['retain not supported', true],
  0x9b: ['QoS not supported', true],
  0x9c: ['use another server', false],
  0x9d: ['server moved', false],
  0x9f: ['connection rate exceeded', false],
};

/**
 * Classifies a CONNACK: `undefined` when it accepts the connection, else the refusal
 * with whether it is fatal (the client ends with `MqttConnectionError`) or transient
 * (the client retries with backoff). Unknown codes count as transient.
 *
 * @example
 * ```ts
 * connackRefusal({ cmd: 'connack', sessionPresent: false, returnCode: 5 }, 4);
 * // { code: 5, fatal: true, reason: 'not authorized' }
 * ```
 * @param packet the CONNACK.
 * @param version the protocol version of the connection.
 * @returns the refusal, or `undefined` when accepted.
 */
export function connackRefusal(packet: ConnackPacket, version: ProtocolVersion): ConnackRefusal | undefined {
  const code = (version === 5 ? packet.reasonCode : packet.returnCode) ?? 0;
  if (code === 0) return undefined;
  const known = (version === 5 ? V5 : V3)[code];
  return { code, fatal: known?.[1] ?? false, reason: known?.[0] ?? 'unknown reason' };
}
