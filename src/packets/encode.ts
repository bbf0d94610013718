import { ByteWriter, MAX_VARINT, varintSize } from './byte-writer.js';
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
  PubrecPacket,
  PubrelPacket,
  SubackPacket,
  SubscribePacket,
  UnsubackPacket,
  UnsubscribePacket,
} from './packet.js';
import { PACKET_TYPES } from './packet-types.js';
import { checkFieldLength, propertiesLength, writeProperties } from './property-codec.js';
import { isReasonCodeAllowed, SUBACK_RETURN_CODES, type ReasonCodeCmd } from './reason-codes.js';
import { checkString, MAX_FIELD_BYTES, utf8Length } from './utf8.js';

type AckPacket = PubackPacket | PubrecPacket | PubrelPacket | PubcompPacket;

/** A PUBREL, SUBSCRIBE or UNSUBSCRIBE carries fixed-header flags 0010 (MQTT-3.6.1-1, MQTT-3.8.1-1, MQTT-3.10.1-1). */
const FLAGS_0010 = 0x02;

/**
 * Encodes a packet into its bytes for protocol `version`: the exact size is computed
 * first, then the packet is written into one allocation.
 *
 * The packet is validated as strictly as `decode` validates bytes, so whatever
 * `encode` returns, `decode` accepts. MQTT 5 acknowledgements, DISCONNECT and AUTH
 * use their shortest form (reason code and properties omitted when the reason code is
 * 0 and there are no properties; properties omitted when there are none).
 *
 * @example
 * ```ts
 * const bytes = encode({ cmd: 'publish', topic: 'a/b', payload, qos: 0, dup: false, retain: false }, 4);
 * ```
 * @param packet the packet, in the form of `packet.ts`.
 * @param version 3 (MQTT 3.1), 4 (3.1.1) or 5.
 * @returns the packet's bytes, fixed header included.
 * @throws MqttProtocolError naming the field when the packet cannot be sent as it is:
 *   0x81 for what would be a Malformed Packet (QoS 3, a string with U+0000, a value
 *   out of range for its field, a property not allowed in the packet), 0x82 for what
 *   would be a Protocol Error (DUP with QoS 0, packet identifier 0, a wildcard in a
 *   PUBLISH topic, an empty SUBSCRIBE, a property given twice, an MQTT 5 field in 3.1.1).
 */
export function encode(packet: Packet, version: ProtocolVersion): Uint8Array {
  checkVersion(packet, version);
  switch (packet.cmd) {
    case 'publish':
      return encodePublish(packet, version, false);
    case 'puback':
    case 'pubrec':
    case 'pubcomp':
      return encodeAck(packet, version, 0);
    case 'pubrel':
      return encodeAck(packet, version, FLAGS_0010);
    case 'subscribe':
      return encodeSubscribe(packet, version);
    case 'suback':
      return encodeSuback(packet, version);
    case 'unsubscribe':
      return encodeUnsubscribe(packet, version);
    case 'unsuback':
      return encodeUnsuback(packet, version);
    case 'connect':
      return encodeConnect(packet, version);
    case 'connack':
      return encodeConnack(packet, version);
    case 'pingreq':
    case 'pingresp':
      return new ByteWriter(PACKET_TYPES[packet.cmd] << 4, 0).buf;
    case 'disconnect':
      return encodeDisconnect(packet, version);
    case 'auth':
      return encodeAuth(packet, version);
    default:
      throw new MqttProtocolError(`cmd ${JSON.stringify((packet as { cmd: unknown }).cmd)} is not an MQTT packet`, MALFORMED_PACKET);
  }
}

/**
 * Encodes a PUBLISH without its payload: the fixed header (whose remaining length
 * counts the payload) and the variable header, validated as {@link encode} validates
 * them. These bytes followed by `packet.payload` are exactly `encode(packet, version)`,
 * so a large payload can be written to the network as it is instead of being copied
 * into the packet.
 *
 * @example
 * ```ts
 * socket.cork();
 * socket.write(encodePublishHeader(packet, 4));
 * socket.write(packet.payload);
 * socket.uncork();
 * ```
 * @param packet the PUBLISH.
 * @param version 3 (MQTT 3.1), 4 (3.1.1) or 5.
 * @returns the bytes that precede the payload on the wire.
 * @throws MqttProtocolError as {@link encode} does.
 */
export function encodePublishHeader(packet: PublishPacket, version: ProtocolVersion): Uint8Array {
  checkVersion(packet, version);
  return encodePublish(packet, version, true);
}

/** A known protocol version, and no MQTT 5 properties in an older one. */
function checkVersion(packet: Packet, version: ProtocolVersion): void {
  if (version !== 3 && version !== 4 && version !== 5) {
    throw new MqttProtocolError(`protocol version ${String(version)} is not 3, 4 or 5`, PROTOCOL_ERROR);
  }
  if (version !== 5 && 'properties' in packet && hasKeys(packet.properties)) {
    throw new MqttProtocolError(`properties of ${packet.cmd.toUpperCase()} are MQTT 5 only`, PROTOCOL_ERROR);
  }
}

/** The PUBLISH topic checked last, and its UTF-8 length: most messages repeat the topic before. */
let checkedTopic: string | undefined;
let checkedTopicLength = 0;

/** A PUBLISH, or with `headerOnly` all of it but the payload. */
function encodePublish(p: PublishPacket, version: ProtocolVersion, headerOnly: boolean): Uint8Array {
  const { topic, payload, qos } = p;
  checkQos(qos, 'qos');
  // MQTT-3.3.1-2: the DUP flag MUST be 0 for all QoS 0 messages.
  if (p.dup && qos === 0) throw new MqttProtocolError('dup must be false with qos 0 (MQTT-3.3.1-2)', PROTOCOL_ERROR);
  if (qos > 0) checkMessageId(p.messageId);
  else if (p.messageId !== undefined) {
    throw new MqttProtocolError('messageId must be absent with qos 0 (MQTT-2.2.1-2)', PROTOCOL_ERROR);
  }
  let topicLength = checkedTopicLength;
  if (topic !== checkedTopic) {
    topicLength = checkString(topic, 'topic');
    // MQTT-3.3.2-2: the Topic Name MUST NOT contain wildcard characters.
    if (topic.indexOf('+') !== -1 || topic.indexOf('#') !== -1) {
      throw new MqttProtocolError(`topic ${JSON.stringify(topic)} contains a wildcard (MQTT-3.3.2-2)`, PROTOCOL_ERROR);
    }
    checkedTopic = topic;
    checkedTopicLength = topicLength;
  }
  if (!(payload instanceof Uint8Array)) throw new MqttProtocolError('payload must be a Uint8Array', MALFORMED_PACKET);
  let remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + payload.length;
  let propsLength = 0;
  if (version === 5) {
    propsLength = propertiesLength(p.properties, 'publish');
    remaining += varintSize(propsLength) + propsLength;
    // A zero-length Topic Name is allowed only with a Topic Alias (3.3.2.1).
    if (topicLength === 0 && p.properties?.topicAlias === undefined) {
      throw new MqttProtocolError('topic is empty and there is no topicAlias property', PROTOCOL_ERROR);
    }
  } else if (topicLength === 0) {
    throw new MqttProtocolError('topic is empty (MQTT-4.7.3-1)', PROTOCOL_ERROR);
  }
  const header = 0x30 | (p.dup ? 0x08 : 0) | (qos << 1) | (p.retain ? 0x01 : 0);
  const w = new ByteWriter(header, checkRemaining(remaining), headerOnly ? payload.length : 0);
  w.utf8(topic);
  if (qos > 0) w.twoByte(p.messageId!);
  if (version === 5) writeProperties(w, p.properties, propsLength);
  if (!headerOnly) w.raw(payload);
  return w.buf;
}

/** PUBACK, PUBREC, PUBREL and PUBCOMP share one layout. */
function encodeAck(p: AckPacket, version: ProtocolVersion, flags: number): Uint8Array {
  checkMessageId(p.messageId);
  const header = (PACKET_TYPES[p.cmd] << 4) | flags;
  if (version !== 5) {
    checkNoReasonCode(p.reasonCode, p.cmd);
    const w = new ByteWriter(header, 2);
    w.twoByte(p.messageId);
    return w.buf;
  }
  const reasonCode = checkReasonCode(p.reasonCode ?? 0, p.cmd);
  const propsLength = propertiesLength(p.properties, p.cmd);
  // 3.4.2.1: the Reason Code and Property Length can be omitted when the Reason Code is 0 and there are no properties.
  const remaining = propsLength > 0 ? 3 + varintSize(propsLength) + propsLength : reasonCode !== 0 ? 3 : 2;
  const w = new ByteWriter(header, remaining);
  w.twoByte(p.messageId);
  if (remaining > 2) w.byte(reasonCode);
  if (propsLength > 0) writeProperties(w, p.properties, propsLength);
  return w.buf;
}

function encodeSubscribe(p: SubscribePacket, version: ProtocolVersion): Uint8Array {
  checkMessageId(p.messageId);
  const subs = p.subscriptions;
  // MQTT-3.8.3-3: at least one Topic Filter.
  if (!Array.isArray(subs) || subs.length === 0) {
    throw new MqttProtocolError('subscriptions is empty (MQTT-3.8.3-3)', PROTOCOL_ERROR);
  }
  let remaining = 2;
  let propsLength = 0;
  if (version === 5) {
    propsLength = propertiesLength(p.properties, 'subscribe');
    remaining += varintSize(propsLength) + propsLength;
  }
  for (let i = 0; i < subs.length; i++) {
    const s = subs[i]!;
    if (s.qos !== 0 && s.qos !== 1 && s.qos !== 2) checkQos(s.qos, `subscriptions[${i}].qos`);
    if (version === 5) {
      // 3.8.3.1: it is a Protocol Error to send a Retain Handling value of 3.
      if (s.rh !== undefined && s.rh !== 0 && s.rh !== 1 && s.rh !== 2) {
        throw new MqttProtocolError(`subscriptions[${i}].rh must be 0, 1 or 2, got ${String(s.rh)}`, PROTOCOL_ERROR);
      }
    } else if (s.nl === true || s.rap === true || (s.rh !== undefined && s.rh !== 0)) {
      throw new MqttProtocolError(`subscriptions[${i}]: nl, rap and rh are MQTT 5 only`, PROTOCOL_ERROR);
    }
    remaining += 3 + checkItem(s.topic, 'subscriptions', i, '.topic');
  }
  const w = new ByteWriter((8 << 4) | FLAGS_0010, checkRemaining(remaining));
  w.twoByte(p.messageId);
  if (version === 5) writeProperties(w, p.properties, propsLength);
  for (const s of subs) {
    w.utf8(s.topic);
    w.byte(s.qos | (s.nl === true ? 0x04 : 0) | (s.rap === true ? 0x08 : 0) | ((s.rh ?? 0) << 4));
  }
  return w.buf;
}

function encodeSuback(p: SubackPacket, version: ProtocolVersion): Uint8Array {
  checkMessageId(p.messageId);
  const granted = p.granted;
  if (!Array.isArray(granted)) throw new MqttProtocolError('granted must be an array', MALFORMED_PACKET);
  for (let i = 0; i < granted.length; i++) {
    const code = granted[i]!;
    const ok = version === 5 ? isReasonCodeAllowed(code, 'suback') : SUBACK_RETURN_CODES.includes(code);
    // MQTT-3.9.3-2 (3.1.1) / MQTT-3.9.3-2 (5): only the SUBACK codes may be used.
    if (!ok) throw new MqttProtocolError(`granted[${i}] ${String(code)} is not a SUBACK code (MQTT-3.9.3-2)`, PROTOCOL_ERROR);
  }
  return encodeIdPropsCodes(9 << 4, p, version, granted);
}

function encodeUnsuback(p: UnsubackPacket, version: ProtocolVersion): Uint8Array {
  checkMessageId(p.messageId);
  if (version !== 5) {
    if (p.granted !== undefined && p.granted.length > 0) {
      throw new MqttProtocolError('granted of UNSUBACK is MQTT 5 only', PROTOCOL_ERROR);
    }
    return encodeIdPropsCodes(11 << 4, p, version, []);
  }
  const granted = p.granted ?? [];
  for (let i = 0; i < granted.length; i++) {
    if (!isReasonCodeAllowed(granted[i]!, 'unsuback')) {
      throw new MqttProtocolError(`granted[${i}] ${String(granted[i])} is not an UNSUBACK reason code (MQTT-3.11.3-2)`, PROTOCOL_ERROR);
    }
  }
  return encodeIdPropsCodes(11 << 4, p, version, granted);
}

/** SUBACK and UNSUBACK: packet identifier, MQTT 5 properties, one byte per filter. */
function encodeIdPropsCodes(
  header: number,
  p: SubackPacket | UnsubackPacket,
  version: ProtocolVersion,
  codes: readonly number[],
): Uint8Array {
  let remaining = 2 + codes.length;
  let propsLength = 0;
  if (version === 5) {
    propsLength = propertiesLength(p.properties, p.cmd);
    remaining += varintSize(propsLength) + propsLength;
  }
  const w = new ByteWriter(header, checkRemaining(remaining));
  w.twoByte(p.messageId);
  if (version === 5) writeProperties(w, p.properties, propsLength);
  for (const c of codes) w.byte(c);
  return w.buf;
}

function encodeUnsubscribe(p: UnsubscribePacket, version: ProtocolVersion): Uint8Array {
  checkMessageId(p.messageId);
  const topics = p.unsubscriptions;
  // MQTT-3.10.3-2: at least one Topic Filter.
  if (!Array.isArray(topics) || topics.length === 0) {
    throw new MqttProtocolError('unsubscriptions is empty (MQTT-3.10.3-2)', PROTOCOL_ERROR);
  }
  let remaining = 2;
  let propsLength = 0;
  if (version === 5) {
    propsLength = propertiesLength(p.properties, 'unsubscribe');
    remaining += varintSize(propsLength) + propsLength;
  }
  for (let i = 0; i < topics.length; i++) remaining += 2 + checkItem(topics[i], 'unsubscriptions', i, '');
  const w = new ByteWriter((10 << 4) | FLAGS_0010, checkRemaining(remaining));
  w.twoByte(p.messageId);
  if (version === 5) writeProperties(w, p.properties, propsLength);
  for (const t of topics) w.utf8(t);
  return w.buf;
}

function encodeConnect(p: ConnectPacket, version: ProtocolVersion): Uint8Array {
  const protocolId = version === 3 ? 'MQIsdp' : 'MQTT';
  // MQTT-3.1.2-1 / MQTT-3.1.2-2: protocol name and level.
  if (p.protocolId !== protocolId || p.protocolVersion !== version) {
    throw new MqttProtocolError(
      `protocolId ${JSON.stringify(p.protocolId)} and protocolVersion ${String(p.protocolVersion)} do not match version ${version} (expected ${protocolId} ${version})`,
      PROTOCOL_ERROR,
    );
  }
  checkInt(p.keepalive, 0xffff, 'keepalive');
  let remaining = 2 + protocolId.length + 4 + 2 + checkString(p.clientId, 'clientId');
  let propsLength = 0;
  let willPropsLength = 0;
  if (version === 5) {
    propsLength = propertiesLength(p.properties, 'connect');
    remaining += varintSize(propsLength) + propsLength;
  }
  let flags = p.clean ? 0x02 : 0;
  const will = p.will;
  if (will !== undefined) {
    checkQos(will.qos, 'will.qos');
    const willTopicLength = checkString(will.topic, 'will.topic');
    // MQTT-3.1.3-11 / MQTT-3.3.2-2: the Will Topic is a topic name, without wildcards.
    if (will.topic.length === 0 || will.topic.indexOf('+') !== -1 || will.topic.indexOf('#') !== -1) {
      throw new MqttProtocolError(`will.topic ${JSON.stringify(will.topic)} is not a valid topic name`, PROTOCOL_ERROR);
    }
    remaining += 4 + willTopicLength + checkBinary(will.payload, 'will.payload');
    if (version === 5) {
      willPropsLength = propertiesLength(will.properties, 'will');
      remaining += varintSize(willPropsLength) + willPropsLength;
    } else if (hasKeys(will.properties)) {
      throw new MqttProtocolError('will.properties are MQTT 5 only', PROTOCOL_ERROR);
    }
    flags |= 0x04 | (will.qos << 3) | (will.retain ? 0x20 : 0);
  }
  if (p.username !== undefined) {
    remaining += 2 + checkString(p.username, 'username');
    flags |= 0x80;
  }
  if (p.password !== undefined) {
    // MQTT-3.1.2-22: in 3.1.1 a password needs a user name.
    if (version !== 5 && p.username === undefined) {
      throw new MqttProtocolError('password without username is not allowed before MQTT 5 (MQTT-3.1.2-22)', PROTOCOL_ERROR);
    }
    remaining += 2 + checkBinary(p.password, 'password');
    flags |= 0x40;
  }
  const w = new ByteWriter(1 << 4, checkRemaining(remaining));
  w.utf8(protocolId);
  w.byte(version);
  w.byte(flags);
  w.twoByte(p.keepalive);
  if (version === 5) writeProperties(w, p.properties, propsLength);
  w.utf8(p.clientId);
  if (will !== undefined) {
    if (version === 5) writeProperties(w, will.properties, willPropsLength);
    w.utf8(will.topic);
    w.binary(will.payload);
  }
  if (p.username !== undefined) w.utf8(p.username);
  if (p.password !== undefined) w.binary(p.password);
  return w.buf;
}

function encodeConnack(p: ConnackPacket, version: ProtocolVersion): Uint8Array {
  let code: number;
  if (version === 5) {
    if (p.returnCode !== undefined) {
      throw new MqttProtocolError('CONNACK of MQTT 5 carries reasonCode, not returnCode', PROTOCOL_ERROR);
    }
    code = checkReasonCode(p.reasonCode ?? 0, 'connack');
  } else {
    if (p.reasonCode !== undefined) {
      throw new MqttProtocolError('CONNACK of MQTT 3.1/3.1.1 carries returnCode, not reasonCode', PROTOCOL_ERROR);
    }
    code = checkInt(p.returnCode ?? 0, 0xff, 'returnCode');
  }
  // MQTT-3.2.2-4 (3.1.1) / MQTT-3.2.2-6 (5): Session Present is 0 when the connection is refused.
  if (p.sessionPresent && code !== 0) {
    throw new MqttProtocolError('sessionPresent must be false when the connection is refused (MQTT-3.2.2-6)', PROTOCOL_ERROR);
  }
  let remaining = 2;
  let propsLength = 0;
  if (version === 5) {
    propsLength = propertiesLength(p.properties, 'connack');
    remaining += varintSize(propsLength) + propsLength;
  }
  const w = new ByteWriter(2 << 4, checkRemaining(remaining));
  w.byte(p.sessionPresent ? 1 : 0);
  w.byte(code);
  if (version === 5) writeProperties(w, p.properties, propsLength);
  return w.buf;
}

function encodeDisconnect(p: DisconnectPacket, version: ProtocolVersion): Uint8Array {
  if (version !== 5) {
    checkNoReasonCode(p.reasonCode, 'disconnect');
    return new ByteWriter(14 << 4, 0).buf;
  }
  return encodeReasonProps(14 << 4, p, 'disconnect');
}

function encodeAuth(p: AuthPacket, version: ProtocolVersion): Uint8Array {
  if (version !== 5) throw new MqttProtocolError('AUTH exists only in MQTT 5', PROTOCOL_ERROR);
  return encodeReasonProps(15 << 4, p, 'auth');
}

/** DISCONNECT and AUTH of MQTT 5: reason code and properties, both omitted when 0 and empty. */
function encodeReasonProps(header: number, p: DisconnectPacket | AuthPacket, cmd: 'disconnect' | 'auth'): Uint8Array {
  const reasonCode = checkReasonCode(p.reasonCode ?? 0, cmd);
  const propsLength = propertiesLength(p.properties, cmd);
  const remaining = propsLength > 0 ? 1 + varintSize(propsLength) + propsLength : reasonCode !== 0 ? 1 : 0;
  const w = new ByteWriter(header, remaining);
  if (remaining > 0) w.byte(reasonCode);
  if (propsLength > 0) writeProperties(w, p.properties, propsLength);
  return w.buf;
}

function hasKeys(o: object | undefined): boolean {
  if (o === undefined || o === null) return false;
  for (const key in o) if ((o as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

function checkQos(qos: unknown, field: string): void {
  // MQTT-3.3.1-4: QoS 3 is malformed.
  if (qos !== 0 && qos !== 1 && qos !== 2) {
    throw new MqttProtocolError(`${field} must be 0, 1 or 2, got ${String(qos)} (MQTT-3.3.1-4)`, MALFORMED_PACKET);
  }
}

function checkMessageId(id: unknown): void {
  if (typeof id === 'number' && id > 0 && id <= 0xffff && Number.isInteger(id)) return;
  // MQTT-2.2.1-3 (5) / MQTT-2.3.1-1 (3.1.1): a non-zero packet identifier.
  if (id === undefined || id === 0) {
    throw new MqttProtocolError(`messageId is required and non-zero (MQTT-2.2.1-3), got ${String(id)}`, PROTOCOL_ERROR);
  }
  throw new MqttProtocolError(`messageId must be an integer from 1 to 65535, got ${String(id)}`, MALFORMED_PACKET);
}

function checkInt(v: unknown, max: number, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new MqttProtocolError(`${field} must be an integer from 0 to ${max}, got ${String(v)}`, MALFORMED_PACKET);
  }
  return v;
}

/** {@link checkString} for the `index`th item of a list, naming the field only when it fails. */
function checkItem(s: unknown, field: string, index: number, suffix: string): number {
  const n = typeof s === 'string' ? utf8Length(s) : -1;
  return n >= 0 && n <= MAX_FIELD_BYTES ? n : checkString(s, `${field}[${index}]${suffix}`);
}

function checkBinary(b: unknown, field: string): number {
  if (!(b instanceof Uint8Array)) throw new MqttProtocolError(`${field} must be a Uint8Array`, MALFORMED_PACKET);
  return checkFieldLength(b.length, field);
}

function checkReasonCode(code: number, cmd: ReasonCodeCmd): number {
  if (!isReasonCodeAllowed(code, cmd)) {
    throw new MqttProtocolError(`reasonCode ${String(code)} is not a ${cmd.toUpperCase()} reason code`, PROTOCOL_ERROR);
  }
  return code;
}

function checkNoReasonCode(code: number | undefined, cmd: string): void {
  if (code !== undefined && code !== 0) {
    throw new MqttProtocolError(`reasonCode of ${cmd.toUpperCase()} is MQTT 5 only`, PROTOCOL_ERROR);
  }
}

function checkRemaining(n: number): number {
  if (n > MAX_VARINT) {
    throw new MqttProtocolError(`the packet's remaining length ${n} is over the limit of ${MAX_VARINT}`, MALFORMED_PACKET);
  }
  return n;
}
