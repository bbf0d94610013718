/**
 * mqtt-packet (the codec of MQTT.js) as an oracle for MQTT 3.1.1 and 5.0: what it
 * generates we decode to the same fields, and what we encode it parses to the same
 * fields. The normaliser below removes representation differences only; each is
 * documented where it is handled.
 *
 * What mqtt-packet 9.0.2 does that already matches our canonical form (so needs no
 * normalising): a v5 acknowledgement or DISCONNECT whose reason code was omitted on
 * the wire parses with `reasonCode: 0`; a property length of 0 gives no `properties`
 * key; v5 subscriptions always carry `nl`, `rap` and `rh`; v5 UNSUBACK has
 * `granted`; CONNACK has `returnCode` in 3.1.1 and `reasonCode` in 5; user
 * properties are a null-prototype object with arrays for repeated names; several
 * subscription identifiers in a PUBLISH parse as an array. Where it departs from the
 * spec (an AUTH without reason code among others), see `mqttPacketCannot`.
 */
import fc from 'fast-check';
import * as mqttPacket from 'mqtt-packet';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import type { Packet, ProtocolVersion, UserProperties } from '../../src/packets/packet.js';
import { CMDS, packetOfArb } from '../support/arbitraries.js';

/**
 * Fields mqtt-packet's parser copies from the fixed header onto every packet:
 * `length` (the remaining length), and `retain`, `qos`, `dup` (the flag bits, which
 * mean something only for PUBLISH), `topic` and `payload` (null but on PUBLISH).
 */
const FIXED_HEADER_FIELDS = ['length', 'retain', 'qos', 'dup', 'topic', 'payload'] as const;

/** Deep copy with every Buffer turned into a plain Uint8Array (and, `toBuffer`, the other way). */
function convertBytes(value: unknown, toBuffer: boolean): unknown {
  if (value instanceof Uint8Array) return toBuffer ? Buffer.from(value) : new Uint8Array(value);
  if (Array.isArray(value)) return value.map((v) => convertBytes(v, toBuffer));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = convertBytes(v, toBuffer);
    return out;
  }
  return value;
}

/**
 * A packet mqtt-packet parsed, in our canonical form.
 *
 * @param parsed what mqtt-packet's parser emitted.
 * @returns the same fields as our packet would carry.
 */
function fromMqttPacket(parsed: object): Packet {
  const p = convertBytes(parsed, false) as Record<string, unknown>;
  delete p.length;
  if (p.cmd !== 'publish') for (const f of FIXED_HEADER_FIELDS) delete p[f];
  return p as unknown as Packet;
}

/**
 * Our packet, as mqtt-packet's generator takes it: Buffers for bytes.
 *
 * @param packet a canonical packet.
 * @returns the object to pass to `mqttPacket.generate`.
 */
function toMqttPacket(packet: Packet): mqttPacket.Packet {
  return convertBytes(packet, true) as mqttPacket.Packet;
}

/** Parses `bytes` with mqtt-packet: the packets emitted, or the first error. */
function parseWithMqttPacket(bytes: Uint8Array, version: ProtocolVersion): object[] {
  const parser = mqttPacket.parser({ protocolVersion: version });
  const packets: object[] = [];
  let error: unknown;
  parser.on('packet', (p: object) => packets.push(p));
  parser.on('error', (err: unknown) => (error ??= err));
  parser.parse(Buffer.from(bytes));
  if (error !== undefined) throw error;
  return packets;
}

/** Every user property list of a packet (its properties, and its will's). */
function userPropertyLists(packet: Packet): UserProperties[] {
  const lists: (UserProperties | undefined)[] = [];
  if ('properties' in packet) lists.push(packet.properties?.userProperties);
  if (packet.cmd === 'connect') lists.push(packet.will?.properties?.userProperties);
  return lists.filter((l): l is UserProperties => l !== undefined);
}

/**
 * Cases where mqtt-packet (9.0.2) departs from the spec, so the oracle has no answer
 * to compare with. Each returns why, when `packet` hits it.
 */
function mqttPacketCannot(packet: Packet, version: ProtocolVersion, direction: 'parse' | 'generate'): string | undefined {
  if (direction === 'parse' && packet.cmd === 'auth' && packet.reasonCode === 0 && packet.properties === undefined) {
    // 3.15.2.1 allows an AUTH of remaining length 0 (reason code 0 implied);
    // mqtt-packet's parser reads a reason code regardless and fails with
    // "Invalid auth reason code".
    return 'AUTH with remaining length 0';
  }
  if (direction === 'generate' && version === 5 && packet.cmd === 'connect' && packet.clientId === '' && !packet.clean) {
    // 5.0 3.1.3.1 allows a zero-length Client Identifier with Clean Start 0 (the
    // server then refuses or assigns one); mqtt-packet's generator throws
    // "clientId must be given if cleanSession set to 0", the 3.1.1 rule (MQTT-3.1.3-7).
    return 'v5 CONNECT with an empty client id and clean start 0';
  }
  if (direction === 'generate' && version === 5 && packet.cmd === 'connect' && packet.password !== undefined && packet.username === undefined) {
    // 5.0 3.1.2.9 allows a password without a user name; mqtt-packet's generator
    // throws "Username is required to use password" (the 3.1.1 rule, MQTT-3.1.2-22).
    return 'v5 CONNECT with a password and no user name';
  }
  if (direction === 'parse' && packet.cmd === 'disconnect' && packet.reasonCode === 0x8c) {
    // The spec disagrees with itself: table 2-6 lists 0x8C Bad authentication method
    // for CONNACK and DISCONNECT, the DISCONNECT table of 3.14.2.1 omits it. We follow
    // table 2-6 (re-authentication can fail with it, 4.12.1); mqtt-packet follows
    // 3.14.2.1 and fails with "Invalid disconnect reason code".
    return 'DISCONNECT with reason code 0x8C';
  }
  if (direction === 'parse' && userPropertyLists(packet).some((up) => Object.values(up).some((v) => Array.isArray(v) && v.slice(0, -1).includes('')))) {
    // mqtt-packet's parser tests `if (result.userProperties[name])` for truthiness, so a
    // repeated name whose earlier value is '' is overwritten instead of collected:
    // { a: ['', 'x'] } parses as { a: 'x' }. It loses data; we keep every value.
    return 'repeated user property after an empty value';
  }
  return undefined;
}

const VERSIONS: (4 | 5)[] = [4, 5];

describe.each(VERSIONS)('mqtt-packet as an oracle, version %i', (version) => {
  describe.each(CMDS[version].map((cmd) => [cmd]))('%s', (cmd) => {
    it('what mqtt-packet generates, we decode to the same fields', () => {
      fc.assert(
        fc.property(packetOfArb(cmd, version), (packet) => {
          fc.pre(mqttPacketCannot(packet, version, 'generate') === undefined);
          const bytes = mqttPacket.generate(toMqttPacket(packet), { protocolVersion: version });
          expect(decode(new Uint8Array(bytes), version)).toEqual(packet);
        }),
        { numRuns: 200 },
      );
    });

    it('what we encode, mqtt-packet parses to the same fields', () => {
      fc.assert(
        fc.property(packetOfArb(cmd, version), (packet) => {
          fc.pre(mqttPacketCannot(packet, version, 'parse') === undefined);
          const parsed = parseWithMqttPacket(encode(packet, version), version);
          expect(parsed).toHaveLength(1);
          expect(fromMqttPacket(parsed[0]!)).toEqual(packet);
        }),
        { numRuns: 200 },
      );
    });
  });
});
