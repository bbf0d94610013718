import type { PacketCmd } from './packet.js';

/**
 * The control packet type numbers of the fixed header (bits 7-4 of byte 1), indexed
 * by number: `PACKET_CMDS[3]` is `'publish'`. 0 is reserved; 15 (AUTH) exists only in
 * MQTT 5.
 */
export const PACKET_CMDS: readonly (PacketCmd | undefined)[] = [
  undefined,
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'suback',
  'unsubscribe',
  'unsuback',
  'pingreq',
  'pingresp',
  'disconnect',
  'auth',
];

/** The control packet type number of each `cmd`. */
export const PACKET_TYPES: Readonly<Record<PacketCmd, number>> = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  subscribe: 8,
  suback: 9,
  unsubscribe: 10,
  unsuback: 11,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
  auth: 15,
};

/**
 * The fixed-header flags (bits 3-0) each packet type must carry, by type number;
 * PUBLISH (3) has variable flags and is not checked here. MQTT-2.2.2-1 (3.1.1) /
 * 2.1.3 (5): PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0010, every other type 0000.
 */
export const FIXED_FLAGS: readonly number[] = [0, 0, 0, -1, 0, 0, 2, 0, 2, 0, 2, 0, 0, 0, 0, 0];
