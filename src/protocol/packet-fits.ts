import type { Packet, PublishPacket } from '../packets/packet.js';

/** Properties as the bound sees them: every value one of the codec's property types. */
type Props = Record<string, unknown>;

/** The properties a sender may leave out to fit, in the order they go (MQTT-3.4.2-2, MQTT-3.4.2-3, …). */
const OPTIONAL = ['reasonString', 'userProperties'] as const;

/** An upper bound of the encoded size of some properties: every value at its widest. */
function propsBound(props: Props): number {
  let n = 0;
  for (const key in props) {
    const value = props[key];
    if (typeof value === 'string') n += 3 + value.length * 3;
    else if (typeof value === 'number' || typeof value === 'boolean') n += 5;
    else if (value instanceof Uint8Array) n += 3 + value.length;
    else if (Array.isArray(value)) n += value.length * 5; // Subscription Identifiers
    else if (value !== undefined && value !== null) {
      // User properties: name → value(s), each pair as a property of its own.
      for (const [name, v] of Object.entries(value)) {
        for (const one of Array.isArray(v) ? v : [v]) n += 5 + (name.length + String(one).length) * 3;
      }
    }
  }
  return n;
}

/**
 * A cheap upper bound of the encoded size of a packet the client sends, other than
 * CONNECT and PUBLISH (`Infinity` for those): a UTF-16 unit is at most 3 bytes of
 * UTF-8, a variable byte integer at most 4.
 */
function sizeBound(packet: Packet): number {
  // Fixed header ≤ 5, packet identifier 2, reason code 1, property length ≤ 4.
  let n = 12;
  switch (packet.cmd) {
    case 'connect':
    case 'publish':
      return Infinity;
    case 'subscribe':
      for (const s of packet.subscriptions) n += 3 + s.topic.length * 3;
      break;
    case 'unsubscribe':
      for (const filter of packet.unsubscriptions) n += 2 + filter.length * 3;
      break;
    default:
      break;
  }
  const props = (packet as { properties?: Props }).properties;
  return props === undefined ? n : n + propsBound(props);
}

/**
 * Whether a packet the client sends is within the server's Maximum Packet Size
 * (MQTT-3.2.2-15): a cheap upper bound first, the exact size only when that is over.
 *
 * @example
 * ```ts
 * packetFits({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['a/b'] }, 100, size); // true
 * ```
 * @param packet the packet.
 * @param limit the server's Maximum Packet Size, bytes.
 * @param size the exact encoded size of a packet.
 * @returns `true` when it may be sent.
 */
export function packetFits(packet: Packet, limit: number, size: (packet: Packet) => number): boolean {
  return sizeBound(packet) <= limit || size(packet) <= limit;
}

/**
 * A packet cut to the server's Maximum Packet Size (MQTT-3.2.2-15): as it is when it
 * fits, else without its Reason String, then also without its User Properties, which
 * the sender must leave out rather than exceed the receiver's limit (MQTT-3.4.2-2,
 * MQTT-3.4.2-3 for PUBACK, the same for PUBREC, PUBREL, PUBCOMP, DISCONNECT and AUTH:
 * MQTT-3.14.2-3, MQTT-3.15.2-2, …). Nothing else is ever dropped.
 *
 * @example
 * ```ts
 * fitPacket({ cmd: 'disconnect', reasonCode: 0, properties: { reasonString: 'a'.repeat(200) } }, 100, size);
 * // { cmd: 'disconnect', reasonCode: 0, properties: {} }
 * ```
 * @param packet the packet to send.
 * @param limit the server's Maximum Packet Size, bytes.
 * @param size the exact encoded size of a packet.
 * @returns the packet to send, or `undefined` when even the cut one is too large.
 */
export function fitPacket<T extends Packet>(packet: T, limit: number, size: (packet: Packet) => number): T | undefined {
  if (packetFits(packet, limit, size)) return packet;
  let props = (packet as { properties?: Props }).properties;
  if (props === undefined) return undefined;
  for (const key of OPTIONAL) {
    if (props[key] === undefined) continue;
    const { [key]: _dropped, ...rest } = props;
    props = rest;
    const cut = { ...packet, properties: props };
    if (size(cut) <= limit) return cut;
  }
  return undefined;
}

/**
 * An upper bound of the size of a PUBLISH without properties, for any version: fixed
 * header 5, topic length 2 and at most 3 bytes per UTF-16 unit, packet identifier 2,
 * MQTT 5's Property Length 1, and the payload.
 *
 * @example
 * ```ts
 * publishSizeBound('a/b', 100); // 119
 * ```
 * @param topic the topic name.
 * @param payloadLength the payload's length, bytes.
 * @returns bytes the packet cannot exceed.
 */
export function publishSizeBound(topic: string, payloadLength: number): number {
  return 10 + topic.length * 3 + payloadLength;
}

/**
 * Whether a PUBLISH is within the server's Maximum Packet Size (MQTT-3.2.2-15): a
 * cheap upper bound first ({@link publishSizeBound}), the exact size only when it has
 * properties or the bound is over.
 *
 * @example
 * ```ts
 * publishFits({ cmd: 'publish', topic: 'a', payload, qos: 0, dup: false, retain: false }, 100, size);
 * ```
 * @param packet the PUBLISH as it would be sent.
 * @param limit the server's Maximum Packet Size, bytes (> 0).
 * @param size the exact encoded size of a packet.
 * @returns `true` when it may be sent.
 */
export function publishFits(packet: PublishPacket, limit: number, size: (packet: Packet) => number): boolean {
  if (packet.properties === undefined && publishSizeBound(packet.topic, packet.payload.length) <= limit) return true;
  return size(packet) <= limit;
}
