import { ByteReader } from './byte-reader.js';
import { MALFORMED_PACKET, MqttProtocolError, PROTOCOL_ERROR } from './errors.js';
import type {
  AuthPacket,
  ConnackPacket,
  ConnectPacket,
  DisconnectPacket,
  Packet,
  ProtocolVersion,
  PubackPacket,
  PubcompPacket,
  PublishPacket,
  PublishProperties,
  PubrecPacket,
  PubrelPacket,
  QoS,
  SubackPacket,
  Subscription,
  SubscribePacket,
  UnsubackPacket,
  UnsubscribePacket,
  Will,
} from './packet.js';
import { FIXED_FLAGS, PACKET_CMDS } from './packet-types.js';
import { readProperties } from './property-codec.js';
import { isReasonCodeAllowed, SUBACK_RETURN_CODES, type ReasonCodeCmd } from './reason-codes.js';

type AckPacket = PubackPacket | PubrecPacket | PubrelPacket | PubcompPacket;

const EMPTY = new Uint8Array(0);
/** Decoding is synchronous and never re-entered: one reader serves every packet. */
const reader = new ByteReader(EMPTY, 0, 0);

/**
 * Decodes one whole packet (fixed header included, as `Framer` cuts them) into its
 * canonical object (see `packet.ts`): absent optional fields are absent, `properties`
 * appear only in MQTT 5 and only when some were sent, and in MQTT 5 every packet with
 * a reason code carries `reasonCode` (0 when the wire omitted it). `payload` and
 * binary properties are views of `frame`, not copies.
 *
 * A CONNECT is decoded by the protocol name and level it carries ('MQIsdp' 3,
 * 'MQTT' 4 or 'MQTT' 5), whatever `version` says: a server learns the version from it.
 * Packet type 15 (AUTH) under version 3 or 4 is a reserved type: 0x81.
 *
 * @example
 * ```ts
 * const packet = decode(Uint8Array.of(0xc0, 0x00), 4); // { cmd: 'pingreq' }
 * ```
 * @param frame one whole packet.
 * @param version 3 (MQTT 3.1), 4 (3.1.1) or 5.
 * @returns the packet.
 * @throws MqttProtocolError whose message names the field: 0x81 when the bytes are
 *   malformed (bad fixed-header flags, lengths that do not add up, ill-formed UTF-8,
 *   QoS 3, reserved bits, an unknown or misplaced property), 0x82 for a protocol error
 *   (packet identifier 0, DUP with QoS 0, a wildcard in a PUBLISH topic, an empty
 *   SUBSCRIBE, a property repeated or out of range, a reason code the packet may not carry).
 */
export function decode(frame: Uint8Array, version: ProtocolVersion): Packet {
  return decodeFrame(frame, 0, frame.length, version);
}

/**
 * {@link decode} of the packet that lies in `buf[start, end)`, without making a view
 * of it first: what the client does with the frames a `Framer` finds in a chunk.
 *
 * @param buf the bytes holding the packet.
 * @param start where the packet's fixed header starts.
 * @param end one past the packet's last byte.
 * @param version 3 (MQTT 3.1), 4 (3.1.1) or 5.
 * @returns the packet; `payload` and binary properties are views of `buf`.
 * @throws MqttProtocolError as {@link decode} does.
 */
export function decodeFrame(buf: Uint8Array, start: number, end: number, version: ProtocolVersion): Packet {
  if (version !== 3 && version !== 4 && version !== 5) {
    throw new MqttProtocolError(`protocol version ${String(version)} is not 3, 4 or 5`, PROTOCOL_ERROR);
  }
  const n = end - start;
  if (n < 2) throw new MqttProtocolError(`a frame of ${n} bytes is shorter than a fixed header`, MALFORMED_PACKET);
  const b0 = buf[start]!;
  const type = b0 >> 4;
  const flags = b0 & 0x0f;
  let pos = 1;
  let remaining = 0;
  let multiplier = 1;
  for (;;) {
    if (pos >= n) throw new MqttProtocolError('fixed header: the remaining length is truncated', MALFORMED_PACKET);
    if (pos > 4) {
      throw new MqttProtocolError('fixed header: remaining length longer than 4 bytes (MQTT-1.5.5-1)', MALFORMED_PACKET);
    }
    const b = buf[start + pos++]!;
    remaining += (b & 0x7f) * multiplier;
    if (b < 0x80) break;
    multiplier *= 0x80;
  }
  if (pos + remaining !== n) {
    throw new MqttProtocolError(
      `fixed header: remaining length ${remaining} does not match the ${n - pos} bytes that follow it`,
      MALFORMED_PACKET,
    );
  }
  const cmd = PACKET_CMDS[type];
  if (cmd === undefined) throw new MqttProtocolError('packet type 0 is reserved', MALFORMED_PACKET);
  if (cmd === 'auth' && version !== 5) {
    throw new MqttProtocolError('packet type 15 (AUTH) is reserved before MQTT 5', MALFORMED_PACKET);
  }
  // MQTT-2.2.2-1 (3.1.1) / 2.1.3 (5); MQTT-3.6.1-1, MQTT-3.8.1-1, MQTT-3.10.1-1 for 0010.
  if (type !== 3 && flags !== FIXED_FLAGS[type]) {
    throw new MqttProtocolError(
      `fixed header flags of ${cmd.toUpperCase()} must be ${FIXED_FLAGS[type]!.toString(2).padStart(4, '0')}, got ${flags.toString(2).padStart(4, '0')}`,
      MALFORMED_PACKET,
    );
  }
  const r = reader.reset(buf, start + pos, end);
  let packet: Packet;
  switch (cmd) {
    case 'publish':
      packet = decodePublish(r, flags, version);
      break;
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      packet = decodeAck(r, cmd, version);
      break;
    case 'subscribe':
      packet = decodeSubscribe(r, version);
      break;
    case 'suback':
      packet = decodeSuback(r, version);
      break;
    case 'unsubscribe':
      packet = decodeUnsubscribe(r, version);
      break;
    case 'unsuback':
      packet = decodeUnsuback(r, version);
      break;
    case 'connect':
      packet = decodeConnect(r);
      break;
    case 'connack':
      packet = decodeConnack(r, version);
      break;
    case 'disconnect':
    case 'auth':
      packet = decodeReasonProps(r, cmd, version);
      break;
    default:
      packet = { cmd };
  }
  if (r.pos !== end) {
    throw new MqttProtocolError(`${end - r.pos} bytes left over after the end of ${cmd.toUpperCase()}`, MALFORMED_PACKET);
  }
  r.buf = EMPTY; // keep no large frame alive
  return packet;
}

function decodePublish(r: ByteReader, flags: number, version: ProtocolVersion): PublishPacket {
  const qos = (flags >> 1) & 0x03;
  // MQTT-3.3.1-4: both QoS bits set is a Malformed Packet.
  if (qos === 3) throw new MqttProtocolError('PUBLISH QoS is 3 (MQTT-3.3.1-4)', MALFORMED_PACKET);
  const dup = (flags & 0x08) !== 0;
  // MQTT-3.3.1-2: the DUP flag MUST be 0 for all QoS 0 messages.
  if (dup && qos === 0) throw new MqttProtocolError('PUBLISH has DUP set with QoS 0 (MQTT-3.3.1-2)', PROTOCOL_ERROR);
  const topic = readTopic(r);
  const messageId = qos > 0 ? readMessageId(r) : 0;
  const properties = version === 5 ? readProperties<PublishProperties>(r, 'publish') : undefined;
  if (topic.length === 0 && properties?.topicAlias === undefined) {
    // MQTT-4.7.3-1; in MQTT 5 an empty Topic Name is allowed with a Topic Alias (3.3.2.1).
    throw new MqttProtocolError('PUBLISH topic is empty and there is no topic alias (MQTT-4.7.3-1)', PROTOCOL_ERROR);
  }
  const buf = r.buf;
  const payload = buf.subarray(r.pos, r.end);
  r.pos = r.end;
  const retain = (flags & 0x01) !== 0;
  // One literal per shape: a property added later would cost a second allocation.
  if (properties !== undefined) {
    return qos > 0
      ? { cmd: 'publish', topic, payload, qos: qos as QoS, dup, retain, messageId, properties }
      : { cmd: 'publish', topic, payload, qos: qos as QoS, dup, retain, properties };
  }
  return qos > 0
    ? { cmd: 'publish', topic, payload, qos: qos as QoS, dup, retain, messageId }
    : { cmd: 'publish', topic, payload, qos: qos as QoS, dup, retain };
}

/** Topics up to this many bytes are remembered by {@link readTopic}. */
const TOPIC_CACHE_BYTES = 256;
/** The last valid PUBLISH topic decoded, and its bytes. */
let lastTopic = '';
let lastTopicLength = -1;
const lastTopicBytes = new Uint8Array(TOPIC_CACHE_BYTES);

/**
 * The Topic Name of a PUBLISH. Messages mostly repeat the topic of the one before:
 * when the bytes are those of the last valid topic, that same string is returned
 * (already checked, and cheaper to match on), else the topic is read and checked.
 */
function readTopic(r: ByteReader): string {
  const buf = r.buf;
  const pos = r.pos;
  const n = lastTopicLength;
  if (pos + 2 + n <= r.end && ((buf[pos]! << 8) | buf[pos + 1]!) === n) {
    const start = pos + 2;
    let i = 0;
    while (i < n && buf[start + i] === lastTopicBytes[i]) i++;
    if (i === n) {
      r.pos = start + n;
      return lastTopic;
    }
  }
  const topic = r.utf8('topic');
  // MQTT-3.3.2-2: the Topic Name MUST NOT contain wildcard characters.
  if (topic.indexOf('+') !== -1 || topic.indexOf('#') !== -1) {
    throw new MqttProtocolError(`PUBLISH topic ${JSON.stringify(topic)} contains a wildcard (MQTT-3.3.2-2)`, PROTOCOL_ERROR);
  }
  const length = r.pos - pos - 2;
  if (length > 0 && length <= TOPIC_CACHE_BYTES) {
    lastTopicBytes.set(buf.subarray(pos + 2, r.pos));
    lastTopic = topic;
    lastTopicLength = length;
  }
  return topic;
}

function decodeAck(r: ByteReader, cmd: AckPacket['cmd'], version: ProtocolVersion): AckPacket {
  const packet: AckPacket = { cmd, messageId: readMessageId(r) };
  if (version === 5) {
    packet.reasonCode = r.more() ? readReasonCode(r, cmd) : 0;
    if (r.more()) {
      const properties = readProperties(r, cmd);
      if (properties !== undefined) packet.properties = properties;
    }
  }
  return packet;
}

function decodeSubscribe(r: ByteReader, version: ProtocolVersion): SubscribePacket {
  const packet: SubscribePacket = { cmd: 'subscribe', messageId: readMessageId(r), subscriptions: [] };
  if (version === 5) {
    const properties = readProperties(r, 'subscribe');
    if (properties !== undefined) packet.properties = properties;
  }
  // MQTT-3.8.3-3 (3.1.1) / MQTT-3.8.3-2 (5): at least one Topic Filter.
  if (!r.more()) throw new MqttProtocolError('SUBSCRIBE has no topic filter (MQTT-3.8.3-3)', PROTOCOL_ERROR);
  const reserved = version === 5 ? 0xc0 : 0xfc;
  while (r.more()) {
    const topic = r.utf8('SUBSCRIBE topic filter');
    const options = r.byte('subscription options');
    // MQTT-3.8.3-4 (3.1.1) / MQTT-3.8.3-5 (5): reserved bits are 0; QoS 3 is malformed.
    if ((options & reserved) !== 0) {
      throw new MqttProtocolError(
        `reserved bits of the subscription options of ${JSON.stringify(topic)} are set (MQTT-3.8.3-5)`,
        MALFORMED_PACKET,
      );
    }
    const qos = options & 0x03;
    if (qos === 3) throw new MqttProtocolError(`subscription QoS of ${JSON.stringify(topic)} is 3 (MQTT-3.8.3-4)`, MALFORMED_PACKET);
    const sub: Subscription = { topic, qos: qos as QoS };
    if (version === 5) {
      const rh = options >> 4;
      // 3.8.3.1: it is a Protocol Error to send a Retain Handling value of 3.
      if (rh === 3) throw new MqttProtocolError(`retain handling of ${JSON.stringify(topic)} is 3`, PROTOCOL_ERROR);
      sub.nl = (options & 0x04) !== 0;
      sub.rap = (options & 0x08) !== 0;
      sub.rh = rh;
    }
    packet.subscriptions.push(sub);
  }
  return packet;
}

function decodeSuback(r: ByteReader, version: ProtocolVersion): SubackPacket {
  const packet: SubackPacket = { cmd: 'suback', messageId: readMessageId(r), granted: [] };
  if (version === 5) {
    const properties = readProperties(r, 'suback');
    if (properties !== undefined) packet.properties = properties;
  }
  while (r.more()) {
    const code = r.byte('SUBACK return code');
    // MQTT-3.9.3-2: only the defined SUBACK codes may be used.
    if (version === 5 ? !isReasonCodeAllowed(code, 'suback') : !SUBACK_RETURN_CODES.includes(code)) {
      throw new MqttProtocolError(`SUBACK code 0x${code.toString(16)} is not defined (MQTT-3.9.3-2)`, PROTOCOL_ERROR);
    }
    packet.granted.push(code);
  }
  return packet;
}

function decodeUnsubscribe(r: ByteReader, version: ProtocolVersion): UnsubscribePacket {
  const packet: UnsubscribePacket = { cmd: 'unsubscribe', messageId: readMessageId(r), unsubscriptions: [] };
  if (version === 5) {
    const properties = readProperties(r, 'unsubscribe');
    if (properties !== undefined) packet.properties = properties;
  }
  // MQTT-3.10.3-2: at least one Topic Filter.
  if (!r.more()) throw new MqttProtocolError('UNSUBSCRIBE has no topic filter (MQTT-3.10.3-2)', PROTOCOL_ERROR);
  while (r.more()) packet.unsubscriptions.push(r.utf8('UNSUBSCRIBE topic filter'));
  return packet;
}

function decodeUnsuback(r: ByteReader, version: ProtocolVersion): UnsubackPacket {
  const packet: UnsubackPacket = { cmd: 'unsuback', messageId: readMessageId(r) };
  if (version === 5) {
    const properties = readProperties(r, 'unsuback');
    if (properties !== undefined) packet.properties = properties;
    const granted: number[] = [];
    while (r.more()) granted.push(readReasonCode(r, 'unsuback'));
    packet.granted = granted;
  }
  return packet;
}

function decodeConnect(r: ByteReader): ConnectPacket {
  const protocolId = r.utf8('protocol name');
  const level = r.byte('protocol level');
  // MQTT-3.1.2-1 / MQTT-3.1.2-2: 'MQIsdp' 3 (MQTT 3.1), 'MQTT' 4 (3.1.1) or 'MQTT' 5.
  if (!(protocolId === 'MQTT' ? level === 4 || level === 5 : protocolId === 'MQIsdp' && level === 3)) {
    throw new MqttProtocolError(
      `CONNECT protocol name ${JSON.stringify(protocolId)} with level ${level} is not MQTT 3.1, 3.1.1 or 5 (MQTT-3.1.2-1, MQTT-3.1.2-2)`,
      PROTOCOL_ERROR,
    );
  }
  const version = level as ProtocolVersion;
  const flags = r.byte('connect flags');
  // MQTT-3.1.2-3: the reserved flag is 0.
  if ((flags & 0x01) !== 0) throw new MqttProtocolError('CONNECT reserved flag (bit 0) is set (MQTT-3.1.2-3)', MALFORMED_PACKET);
  const willFlag = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 0x03;
  const willRetain = (flags & 0x20) !== 0;
  // 3.1.1: MQTT-3.1.2-13/-15; 5: MQTT-3.1.2-11/-13.
  if (!willFlag && (willQos !== 0 || willRetain)) {
    throw new MqttProtocolError('CONNECT will QoS or will retain set without the will flag (MQTT-3.1.2-11, MQTT-3.1.2-13)', MALFORMED_PACKET);
  }
  // 3.1.1: MQTT-3.1.2-14; 5: MQTT-3.1.2-12.
  if (willQos === 3) throw new MqttProtocolError('CONNECT will QoS is 3 (MQTT-3.1.2-12)', MALFORMED_PACKET);
  const hasUsername = (flags & 0x80) !== 0;
  const hasPassword = (flags & 0x40) !== 0;
  // MQTT-3.1.2-22 (3.1.1): no password without a user name.
  if (version !== 5 && hasPassword && !hasUsername) {
    throw new MqttProtocolError('CONNECT password flag set without the user name flag (MQTT-3.1.2-22)', MALFORMED_PACKET);
  }
  const keepalive = r.twoByte('keepalive');
  const properties = version === 5 ? readProperties(r, 'connect') : undefined;
  const packet: ConnectPacket = {
    cmd: 'connect',
    protocolId: protocolId as ConnectPacket['protocolId'],
    protocolVersion: version,
    clientId: r.utf8('client identifier'),
    clean: (flags & 0x02) !== 0,
    keepalive,
  };
  if (properties !== undefined) packet.properties = properties;
  if (willFlag) {
    const willProperties = version === 5 ? readProperties(r, 'will') : undefined;
    const topic = r.utf8('will topic');
    // Fix by the codec-tests helper (fuzz): a Will Topic is a Topic Name, at least one character (MQTT-4.7.3-1); encode already refuses ''.
    if (topic.length === 0) throw new MqttProtocolError('will topic is empty (MQTT-4.7.3-1)', PROTOCOL_ERROR);
    if (topic.indexOf('+') !== -1 || topic.indexOf('#') !== -1) {
      throw new MqttProtocolError(`will topic ${JSON.stringify(topic)} contains a wildcard (MQTT-3.3.2-2)`, PROTOCOL_ERROR);
    }
    const will: Will = { topic, payload: r.binary('will payload'), qos: willQos as QoS, retain: willRetain };
    if (willProperties !== undefined) will.properties = willProperties;
    packet.will = will;
  }
  if (hasUsername) packet.username = r.utf8('user name');
  if (hasPassword) packet.password = r.binary('password');
  return packet;
}

function decodeConnack(r: ByteReader, version: ProtocolVersion): ConnackPacket {
  const flags = r.byte('connect acknowledge flags');
  // MQTT-3.2.2-1 (5) / 3.2.2.1 (3.1.1): bits 7-1 are reserved and 0.
  if ((flags & 0xfe) !== 0) {
    throw new MqttProtocolError('CONNACK acknowledge flags bits 7-1 are reserved and must be 0 (MQTT-3.2.2-1)', MALFORMED_PACKET);
  }
  const sessionPresent = flags === 1;
  const packet: ConnackPacket = { cmd: 'connack', sessionPresent };
  let code: number;
  if (version === 5) {
    code = packet.reasonCode = readReasonCode(r, 'connack');
    const properties = readProperties(r, 'connack');
    if (properties !== undefined) packet.properties = properties;
  } else code = packet.returnCode = r.byte('connect return code');
  // MQTT-3.2.2-4 (3.1.1) / MQTT-3.2.2-6 (5).
  if (sessionPresent && code !== 0) {
    throw new MqttProtocolError('CONNACK refuses the connection but sets session present (MQTT-3.2.2-6)', PROTOCOL_ERROR);
  }
  return packet;
}

/** DISCONNECT (any version) and AUTH (5): in MQTT 5 an optional reason code, then optional properties. */
function decodeReasonProps(r: ByteReader, cmd: 'disconnect' | 'auth', version: ProtocolVersion): DisconnectPacket | AuthPacket {
  if (version !== 5) return { cmd: 'disconnect' };
  const packet: DisconnectPacket | AuthPacket = { cmd, reasonCode: r.more() ? readReasonCode(r, cmd) : 0 };
  if (r.more()) {
    const properties = readProperties(r, cmd);
    if (properties !== undefined) packet.properties = properties;
  }
  return packet;
}

function readMessageId(r: ByteReader): number {
  const id = r.twoByte('packet identifier');
  // MQTT-2.2.1-3 (5) / MQTT-2.3.1-1 (3.1.1): a non-zero packet identifier.
  if (id === 0) throw new MqttProtocolError('packet identifier is 0 (MQTT-2.2.1-3)', PROTOCOL_ERROR);
  return id;
}

function readReasonCode(r: ByteReader, cmd: ReasonCodeCmd): number {
  const code = r.byte('reason code');
  if (!isReasonCodeAllowed(code, cmd)) {
    throw new MqttProtocolError(`reason code 0x${code.toString(16)} is not defined for ${cmd.toUpperCase()}`, PROTOCOL_ERROR);
  }
  return code;
}
