import type { PacketCmd, ProtocolVersion } from './packet.js';

/** The packets of MQTT 5 that carry reason codes. */
export type ReasonCodeCmd =
  | 'connack'
  | 'puback'
  | 'pubrec'
  | 'pubrel'
  | 'pubcomp'
  | 'suback'
  | 'unsuback'
  | 'disconnect'
  | 'auth';

/** One MQTT 5 reason code: its value, its name and the packets that may carry it. */
export interface ReasonCode {
  /** The byte on the wire. */
  readonly code: number;
  /** The name the MQTT 5 specification gives it, e.g. `'Not authorized'`. */
  readonly name: string;
  /** The packets that may carry it with this meaning. */
  readonly packets: readonly ReasonCodeCmd[];
}

const ACK: readonly ReasonCodeCmd[] = ['puback', 'pubrec'];

/**
 * Every MQTT 5 reason code (MQTT 5.0 section 2.4, Table 2-6). Code 0 has three rows
 * because its name depends on the packet.
 */
export const REASON_CODES: readonly ReasonCode[] = [
  { code: 0x00, name: 'Success', packets: ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'unsuback', 'auth'] },
  { code: 0x00, name: 'Normal disconnection', packets: ['disconnect'] },
  { code: 0x00, name: 'Granted QoS 0', packets: ['suback'] },
  { code: 0x01, name: 'Granted QoS 1', packets: ['suback'] },
  { code: 0x02, name: 'Granted QoS 2', packets: ['suback'] },
  { code: 0x04, name: 'Disconnect with Will Message', packets: ['disconnect'] },
  { code: 0x10, name: 'No matching subscribers', packets: ACK },
  { code: 0x11, name: 'No subscription existed', packets: ['unsuback'] },
  { code: 0x18, name: 'Continue authentication', packets: ['auth'] },
  { code: 0x19, name: 'Re-authenticate', packets: ['auth'] },
  { code: 0x80, name: 'Unspecified error', packets: ['connack', ...ACK, 'suback', 'unsuback', 'disconnect'] },
  { code: 0x81, name: 'Malformed Packet', packets: ['connack', 'disconnect'] },
  { code: 0x82, name: 'Protocol Error', packets: ['connack', 'disconnect'] },
  { code: 0x83, name: 'Implementation specific error', packets: ['connack', ...ACK, 'suback', 'unsuback', 'disconnect'] },
  { code: 0x84, name: 'Unsupported Protocol Version', packets: ['connack'] },
  { code: 0x85, name: 'Client Identifier not valid', packets: ['connack'] },
  { code: 0x86, name: 'Bad User Name or Password', packets: ['connack'] },
  { code: 0x87, name: 'Not authorized', packets: ['connack', ...ACK, 'suback', 'unsuback', 'disconnect'] },
  { code: 0x88, name: 'Server unavailable', packets: ['connack'] },
  { code: 0x89, name: 'Server busy', packets: ['connack', 'disconnect'] },
  { code: 0x8a, name: 'Banned', packets: ['connack'] },
  { code: 0x8b, name: 'Server shutting down', packets: ['disconnect'] },
  { code: 0x8c, name: 'Bad authentication method', packets: ['connack', 'disconnect'] },
  { code: 0x8d, name: 'Keep Alive timeout', packets: ['disconnect'] },
  { code: 0x8e, name: 'Session taken over', packets: ['disconnect'] },
  { code: 0x8f, name: 'Topic Filter invalid', packets: ['suback', 'unsuback', 'disconnect'] },
  { code: 0x90, name: 'Topic Name invalid', packets: ['connack', ...ACK, 'disconnect'] },
  { code: 0x91, name: 'Packet Identifier in use', packets: [...ACK, 'suback', 'unsuback'] },
  { code: 0x92, name: 'Packet Identifier not found', packets: ['pubrel', 'pubcomp'] },
  { code: 0x93, name: 'Receive Maximum exceeded', packets: ['disconnect'] },
  { code: 0x94, name: 'Topic Alias invalid', packets: ['disconnect'] },
  { code: 0x95, name: 'Packet too large', packets: ['connack', 'disconnect'] },
  { code: 0x96, name: 'Message rate too high', packets: ['disconnect'] },
  { code: 0x97, name: 'Quota exceeded', packets: ['connack', ...ACK, 'suback', 'disconnect'] },
  { code: 0x98, name: 'Administrative action', packets: ['disconnect'] },
  { code: 0x99, name: 'Payload format invalid', packets: ['connack', ...ACK, 'disconnect'] },
  { code: 0x9a, name: 'Retain not supported', packets: ['connack', 'disconnect'] },
  { code: 0x9b, name: 'QoS not supported', packets: ['connack', 'disconnect'] },
  { code: 0x9c, name: 'Use another server', packets: ['connack', 'disconnect'] },
  { code: 0x9d, name: 'Server moved', packets: ['connack', 'disconnect'] },
  { code: 0x9e, name: 'Shared Subscriptions not supported', packets: ['suback', 'disconnect'] },
  { code: 0x9f, name: 'Connection rate exceeded', packets: ['connack', 'disconnect'] },
  { code: 0xa0, name: 'Maximum connect time', packets: ['disconnect'] },
  { code: 0xa1, name: 'Subscription Identifiers not supported', packets: ['suback', 'disconnect'] },
  { code: 0xa2, name: 'Wildcard Subscriptions not supported', packets: ['suback', 'disconnect'] },
];

/** The CONNACK return codes of MQTT 3.1 and 3.1.1 (3.1.1 section 3.2.2.3); 6-255 are reserved. */
export const CONNECT_RETURN_CODES: readonly string[] = [
  'Connection Accepted',
  'Connection Refused, unacceptable protocol version',
  'Connection Refused, identifier rejected',
  'Connection Refused, Server unavailable',
  'Connection Refused, bad user name or password',
  'Connection Refused, not authorized',
];

/** The SUBACK return codes of MQTT 3.1 and 3.1.1 (MQTT-3.9.3-2): granted QoS 0-2, or 0x80 failure. */
export const SUBACK_RETURN_CODES: readonly number[] = [0x00, 0x01, 0x02, 0x80];

/** Per packet, a 256-entry table: the name of each reason code the packet may carry. */
const NAMES_BY_CMD = new Map<ReasonCodeCmd, (string | undefined)[]>();
for (const row of REASON_CODES) {
  for (const cmd of row.packets) {
    let names = NAMES_BY_CMD.get(cmd);
    if (names === undefined) NAMES_BY_CMD.set(cmd, (names = new Array<string | undefined>(256).fill(undefined)));
    names[row.code] = row.name;
  }
}

/**
 * The name of a reason code: the MQTT 5 name the spec gives it in `cmd` (code 0 is
 * "Success", "Normal disconnection" or "Granted QoS 0" depending on the packet), or
 * with `version` 3 or 4 and `cmd` `'connack'`, the 3.1.1 connect return code's name.
 *
 * @example
 * ```ts
 * reasonCodeName(0x87);                  // 'Not authorized'
 * reasonCodeName(0, 'disconnect');       // 'Normal disconnection'
 * reasonCodeName(5, 'connack', 4);       // 'Connection Refused, not authorized'
 * ```
 * @param code the reason code (or 3.1.1 return code).
 * @param cmd the packet that carried it, when known.
 * @param version the protocol version; only 3 and 4 change the answer (for CONNACK).
 * @returns the name, or `undefined` when the code is not defined (for that packet).
 */
export function reasonCodeName(code: number, cmd?: PacketCmd, version: ProtocolVersion = 5): string | undefined {
  if (version < 5 && cmd === 'connack') return CONNECT_RETURN_CODES[code];
  if (cmd === undefined) return REASON_CODES.find((row) => row.code === code)?.name;
  return NAMES_BY_CMD.get(cmd as ReasonCodeCmd)?.[code];
}

/**
 * Whether MQTT 5 allows reason code `code` in packet `cmd` (e.g. MQTT-3.4.2-1:
 * a PUBACK MUST use one of the PUBACK reason codes).
 *
 * @param code the reason code.
 * @param cmd a packet that carries reason codes.
 * @returns true when the spec defines `code` for `cmd`.
 */
export function isReasonCodeAllowed(code: number, cmd: ReasonCodeCmd): boolean {
  return NAMES_BY_CMD.get(cmd)?.[code] !== undefined;
}
