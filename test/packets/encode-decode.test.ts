import { decode, decodeFrame } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import type { Packet, ProtocolVersion } from '../../src/packets/packet.js';
import { PROPERTIES, propertyById, propertyByName } from '../../src/packets/properties.js';
import { CONNECT_RETURN_CODES, REASON_CODES, reasonCodeName } from '../../src/packets/reason-codes.js';
import { lenPrefixed, pkt, props, str, utf8 } from '../support/packet-bytes.js';

interface Row {
  name: string;
  version: ProtocolVersion;
  packet: Packet;
  bytes: Uint8Array;
}

const hi = utf8('hi');

/** One smoke row per packet type and version: bytes written by hand, field by field. */
const rows: Row[] = [
  // --- MQTT 3.1 ---
  {
    name: 'CONNECT 3.1',
    version: 3,
    packet: { cmd: 'connect', protocolId: 'MQIsdp', protocolVersion: 3, clientId: 'c', clean: true, keepalive: 30 },
    bytes: pkt(0x10, str('MQIsdp'), 3, 0x02, 0x00, 0x1e, str('c')), // name, level 3, clean, keepalive 30, client id
  },
  { name: 'CONNACK 3.1', version: 3, packet: { cmd: 'connack', sessionPresent: false, returnCode: 0 }, bytes: pkt(0x20, 0x00, 0x00) },
  {
    name: 'PUBLISH 3.1 QoS 2',
    version: 3,
    packet: { cmd: 'publish', topic: 'a', payload: hi, qos: 2, dup: true, retain: false, messageId: 9 },
    bytes: pkt(0x3c, str('a'), 0x00, 0x09, [...hi]), // DUP, QoS 2
  },
  { name: 'SUBACK 3.1', version: 3, packet: { cmd: 'suback', messageId: 2, granted: [0, 2] }, bytes: pkt(0x90, 0x00, 0x02, 0x00, 0x02) },
  { name: 'DISCONNECT 3.1', version: 3, packet: { cmd: 'disconnect' }, bytes: pkt(0xe0) },
  // --- MQTT 3.1.1 ---
  {
    name: 'CONNECT 3.1.1 with will and credentials',
    version: 4,
    packet: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: 'cid',
      clean: false,
      keepalive: 60,
      will: { topic: 'w', payload: hi, qos: 1, retain: true },
      username: 'u',
      password: utf8('p'),
    },
    // flags: user name, password, will retain, will QoS 1, will flag = 0xec
    bytes: pkt(0x10, str('MQTT'), 4, 0xec, 0x00, 0x3c, str('cid'), str('w'), lenPrefixed([...hi]), str('u'), str('p')),
  },
  { name: 'CONNACK 3.1.1', version: 4, packet: { cmd: 'connack', sessionPresent: true, returnCode: 0 }, bytes: pkt(0x20, 0x01, 0x00) },
  { name: 'CONNACK 3.1.1 refused', version: 4, packet: { cmd: 'connack', sessionPresent: false, returnCode: 5 }, bytes: pkt(0x20, 0x00, 0x05) },
  {
    name: 'PUBLISH 3.1.1 QoS 0 retained',
    version: 4,
    packet: { cmd: 'publish', topic: 'a/b', payload: hi, qos: 0, dup: false, retain: true },
    bytes: pkt(0x31, str('a/b'), [...hi]),
  },
  {
    name: 'PUBLISH 3.1.1 QoS 1 empty payload',
    version: 4,
    packet: { cmd: 'publish', topic: 'a', payload: new Uint8Array(0), qos: 1, dup: false, retain: false, messageId: 65535 },
    bytes: pkt(0x32, str('a'), 0xff, 0xff),
  },
  { name: 'PUBACK 3.1.1', version: 4, packet: { cmd: 'puback', messageId: 1 }, bytes: pkt(0x40, 0x00, 0x01) },
  { name: 'PUBREC 3.1.1', version: 4, packet: { cmd: 'pubrec', messageId: 2 }, bytes: pkt(0x50, 0x00, 0x02) },
  { name: 'PUBREL 3.1.1 (flags 0010)', version: 4, packet: { cmd: 'pubrel', messageId: 3 }, bytes: pkt(0x62, 0x00, 0x03) },
  { name: 'PUBCOMP 3.1.1', version: 4, packet: { cmd: 'pubcomp', messageId: 4 }, bytes: pkt(0x70, 0x00, 0x04) },
  {
    name: 'SUBSCRIBE 3.1.1 (flags 0010)',
    version: 4,
    packet: { cmd: 'subscribe', messageId: 5, subscriptions: [{ topic: 'a/+', qos: 1 }, { topic: '#', qos: 2 }] },
    bytes: pkt(0x82, 0x00, 0x05, str('a/+'), 0x01, str('#'), 0x02),
  },
  { name: 'SUBACK 3.1.1', version: 4, packet: { cmd: 'suback', messageId: 5, granted: [1, 0x80] }, bytes: pkt(0x90, 0x00, 0x05, 0x01, 0x80) },
  {
    name: 'UNSUBSCRIBE 3.1.1 (flags 0010)',
    version: 4,
    packet: { cmd: 'unsubscribe', messageId: 6, unsubscriptions: ['a/+', 'b'] },
    bytes: pkt(0xa2, 0x00, 0x06, str('a/+'), str('b')),
  },
  { name: 'UNSUBACK 3.1.1', version: 4, packet: { cmd: 'unsuback', messageId: 6 }, bytes: pkt(0xb0, 0x00, 0x06) },
  { name: 'PINGREQ 3.1.1', version: 4, packet: { cmd: 'pingreq' }, bytes: pkt(0xc0) },
  { name: 'PINGRESP 3.1.1', version: 4, packet: { cmd: 'pingresp' }, bytes: pkt(0xd0) },
  { name: 'DISCONNECT 3.1.1', version: 4, packet: { cmd: 'disconnect' }, bytes: pkt(0xe0) },
  // --- MQTT 5 ---
  {
    name: 'CONNECT 5 with properties and will properties',
    version: 5,
    packet: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: '',
      clean: true,
      keepalive: 0,
      properties: { sessionExpiryInterval: 300, receiveMaximum: 20, requestProblemInformation: false },
      will: { topic: 'w', payload: hi, qos: 0, retain: false, properties: { willDelayInterval: 10, contentType: 'text/plain' } },
      password: utf8('p'), // MQTT 5 allows a password without a user name
    },
    bytes: pkt(
      0x10, str('MQTT'), 5, 0x46, 0x00, 0x00, // flags: password, will, clean
      props([0x11, 0, 0, 0x01, 0x2c], [0x21, 0x00, 0x14], [0x17, 0x00]),
      str(''),
      props([0x18, 0, 0, 0, 0x0a], [0x03, ...str('text/plain')]),
      str('w'), lenPrefixed([...hi]), str('p'),
    ),
  },
  {
    name: 'CONNACK 5 with properties',
    version: 5,
    packet: {
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: { assignedClientIdentifier: 'auto-1', maximumQoS: 1, retainAvailable: true, topicAliasMaximum: 10 },
    },
    bytes: pkt(0x20, 0x00, 0x00, props([0x12, ...str('auto-1')], [0x24, 0x01], [0x25, 0x01], [0x22, 0x00, 0x0a])),
  },
  { name: 'CONNACK 5 refused', version: 5, packet: { cmd: 'connack', sessionPresent: false, reasonCode: 0x86 }, bytes: pkt(0x20, 0x00, 0x86, 0x00) },
  {
    name: 'PUBLISH 5 with properties',
    version: 5,
    packet: {
      cmd: 'publish',
      topic: 'a',
      payload: hi,
      qos: 1,
      dup: false,
      retain: false,
      messageId: 10,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        topicAlias: 1,
        responseTopic: 'r',
        correlationData: utf8('id'),
        userProperties: { k: ['v1', 'v2'], z: 'y' },
        subscriptionIdentifier: [1, 16384],
      },
    },
    bytes: pkt(
      0x32, str('a'), 0x00, 0x0a,
      props(
        [0x01, 0x01], [0x02, 0, 0, 0, 0x3c], [0x23, 0x00, 0x01], [0x08, ...str('r')], [0x09, ...str('id')],
        [0x26, ...str('k'), ...str('v1')], [0x26, ...str('k'), ...str('v2')], [0x26, ...str('z'), ...str('y')],
        [0x0b, 0x01], [0x0b, 0x80, 0x80, 0x01],
      ),
      [...hi],
    ),
  },
  {
    name: 'PUBLISH 5 with a topic alias and an empty topic',
    version: 5,
    packet: { cmd: 'publish', topic: '', payload: hi, qos: 0, dup: false, retain: false, properties: { topicAlias: 7 } },
    bytes: pkt(0x30, str(''), props([0x23, 0x00, 0x07]), [...hi]),
  },
  {
    name: 'PUBLISH 5 without properties',
    version: 5,
    packet: { cmd: 'publish', topic: 'a', payload: hi, qos: 0, dup: false, retain: false },
    bytes: pkt(0x30, str('a'), 0x00, [...hi]),
  },
  { name: 'PUBACK 5 success (shortest form)', version: 5, packet: { cmd: 'puback', messageId: 1, reasonCode: 0 }, bytes: pkt(0x40, 0x00, 0x01) },
  { name: 'PUBREC 5 with a reason code only', version: 5, packet: { cmd: 'pubrec', messageId: 2, reasonCode: 0x10 }, bytes: pkt(0x50, 0x00, 0x02, 0x10) },
  {
    name: 'PUBREL 5 with a reason string',
    version: 5,
    packet: { cmd: 'pubrel', messageId: 3, reasonCode: 0x92, properties: { reasonString: 'gone' } },
    bytes: pkt(0x62, 0x00, 0x03, 0x92, props([0x1f, ...str('gone')])),
  },
  {
    name: 'PUBCOMP 5 success with properties',
    version: 5,
    packet: { cmd: 'pubcomp', messageId: 4, reasonCode: 0, properties: { userProperties: { a: 'b' } } },
    bytes: pkt(0x70, 0x00, 0x04, 0x00, props([0x26, ...str('a'), ...str('b')])),
  },
  {
    name: 'SUBSCRIBE 5 with options and a subscription identifier',
    version: 5,
    packet: {
      cmd: 'subscribe',
      messageId: 5,
      subscriptions: [{ topic: 'a/#', qos: 2, nl: true, rap: true, rh: 2 }, { topic: 'b', qos: 0, nl: false, rap: false, rh: 0 }],
      properties: { subscriptionIdentifier: 300 },
    },
    bytes: pkt(0x82, 0x00, 0x05, props([0x0b, 0xac, 0x02]), str('a/#'), 0x2e, str('b'), 0x00),
  },
  {
    name: 'SUBACK 5',
    version: 5,
    packet: { cmd: 'suback', messageId: 5, granted: [2, 0x8f], properties: { reasonString: 'bad filter' } },
    bytes: pkt(0x90, 0x00, 0x05, props([0x1f, ...str('bad filter')]), 0x02, 0x8f),
  },
  {
    name: 'UNSUBSCRIBE 5',
    version: 5,
    packet: { cmd: 'unsubscribe', messageId: 6, unsubscriptions: ['a'], properties: { userProperties: { x: 'y' } } },
    bytes: pkt(0xa2, 0x00, 0x06, props([0x26, ...str('x'), ...str('y')]), str('a')),
  },
  { name: 'UNSUBACK 5', version: 5, packet: { cmd: 'unsuback', messageId: 6, granted: [0, 0x11] }, bytes: pkt(0xb0, 0x00, 0x06, 0x00, 0x00, 0x11) },
  { name: 'PINGREQ 5', version: 5, packet: { cmd: 'pingreq' }, bytes: pkt(0xc0) },
  { name: 'PINGRESP 5', version: 5, packet: { cmd: 'pingresp' }, bytes: pkt(0xd0) },
  { name: 'DISCONNECT 5 normal (shortest form)', version: 5, packet: { cmd: 'disconnect', reasonCode: 0 }, bytes: pkt(0xe0) },
  { name: 'DISCONNECT 5 with will', version: 5, packet: { cmd: 'disconnect', reasonCode: 0x04 }, bytes: pkt(0xe0, 0x04) },
  {
    name: 'DISCONNECT 5 with properties',
    version: 5,
    packet: { cmd: 'disconnect', reasonCode: 0x9c, properties: { serverReference: 'other', sessionExpiryInterval: 0 } },
    bytes: pkt(0xe0, 0x9c, props([0x1c, ...str('other')], [0x11, 0, 0, 0, 0])),
  },
  { name: 'AUTH 5 success (shortest form)', version: 5, packet: { cmd: 'auth', reasonCode: 0 }, bytes: pkt(0xf0) },
  {
    name: 'AUTH 5 continue',
    version: 5,
    packet: { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM', authenticationData: utf8('x') } },
    bytes: pkt(0xf0, 0x18, props([0x15, ...str('SCRAM')], [0x16, ...str('x')])),
  },
];

describe('encode and decode, one packet of each type per version', () => {
  it.each(rows)('$name: decode(bytes) is the packet', ({ packet, bytes, version }) => {
    expect(decode(bytes, version)).toEqual(packet);
  });

  it.each(rows)('$name: encode(packet) is the bytes', ({ packet, bytes, version }) => {
    expect(encode(packet, version)).toEqual(bytes);
  });

  it.each(rows)('$name: decode(encode(packet)) is the packet', ({ packet, version }) => {
    expect(decode(encode(packet, version), version)).toEqual(packet);
  });
});

describe('decode', () => {
  it.each(rows)('$name: decodeFrame of the bytes inside a larger buffer is the packet', ({ packet, bytes, version }) => {
    const buf = new Uint8Array(bytes.length + 7).fill(0xee);
    buf.set(bytes, 3);
    expect(decodeFrame(buf, 3, 3 + bytes.length, version)).toEqual(packet);
  });

  it('returns the payload as a view of the frame, not a copy', () => {
    const frame = pkt(0x30, str('a'), [1, 2, 3]);
    const packet = decode(frame, 4) as Extract<Packet, { cmd: 'publish' }>;
    expect(packet.payload.buffer).toBe(frame.buffer);
    expect(packet.payload.byteOffset).toBe(frame.byteOffset + 5);
  });

  it('returns binary properties as views of the frame', () => {
    const frame = pkt(0x30, str('a'), props([0x09, ...str('id')]));
    const packet = decode(frame, 5) as Extract<Packet, { cmd: 'publish' }>;
    expect(packet.properties?.correlationData?.buffer).toBe(frame.buffer);
  });

  it('omits absent optional fields and empty properties (canonical form)', () => {
    const packet = decode(pkt(0x30, str('a'), 0x00), 5);
    expect(Object.keys(packet).sort()).toEqual(['cmd', 'dup', 'payload', 'qos', 'retain', 'topic']);
  });

  it('sets reasonCode 0 in MQTT 5 when the wire omits it', () => {
    expect(decode(pkt(0x40, 0x00, 0x01), 5)).toEqual({ cmd: 'puback', messageId: 1, reasonCode: 0 });
    expect(decode(pkt(0xe0), 5)).toEqual({ cmd: 'disconnect', reasonCode: 0 });
  });

  it('accepts a reason code followed by an empty property list (the form mqtt-packet writes)', () => {
    expect(decode(pkt(0x50, 0x00, 0x02, 0x10, 0x00), 5)).toEqual({ cmd: 'pubrec', messageId: 2, reasonCode: 0x10 });
    expect(decode(pkt(0xe0, 0x04, 0x00), 5)).toEqual({ cmd: 'disconnect', reasonCode: 0x04 });
  });

  it('decodes an MQTT 5 UNSUBACK without reason codes to an empty granted list', () => {
    expect(decode(pkt(0xb0, 0x00, 0x01, 0x00), 5)).toEqual({ cmd: 'unsuback', messageId: 1, granted: [] });
  });

  it('decodes a CONNECT by the protocol level it carries, whatever the version argument', () => {
    const v3 = pkt(0x10, str('MQIsdp'), 3, 0x02, 0x00, 0x1e, str('c'));
    expect(decode(v3, 4)).toMatchObject({ protocolId: 'MQIsdp', protocolVersion: 3 });
    const v5 = pkt(0x10, str('MQTT'), 5, 0x02, 0x00, 0x1e, props(), str('c'));
    expect(decode(v5, 4)).toMatchObject({ protocolId: 'MQTT', protocolVersion: 5 });
  });

  it('keeps user properties of the same name in order, in an object without a prototype', () => {
    const frame = pkt(0x30, str('a'), props([0x26, ...str('__proto__'), ...str('1')], [0x26, ...str('__proto__'), ...str('2')], [0x26, ...str('__proto__'), ...str('3')]));
    const packet = decode(frame, 5) as Extract<Packet, { cmd: 'publish' }>;
    expect(packet.properties?.userProperties?.['__proto__']).toEqual(['1', '2', '3']);
  });

  it('decodes every property type', () => {
    const frame = pkt(
      0x20, 0x00, 0x00,
      props(
        [0x11, 0xff, 0xff, 0xff, 0xff], // four-byte, largest value
        [0x13, 0xff, 0xff], // two-byte
        [0x16, ...str('d')], // binary
        [0x28, 0x00], // boolean false
        [0x1a, ...str('info')], // utf8
      ),
    );
    expect(decode(frame, 5)).toEqual({
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: {
        sessionExpiryInterval: 0xffffffff,
        serverKeepAlive: 0xffff,
        authenticationData: utf8('d'),
        wildcardSubscriptionAvailable: false,
        responseInformation: 'info',
      },
    });
  });
});

describe('UTF-8 strings', () => {
  const topics = [
    'ascii/short',
    'a/rather/long/ascii/topic/over/sixteen/bytes',
    'café/ünïcode', // two-byte sequences
    '温度/センサー', // three-byte sequences
    '𝄞/emoji/😀', // four-byte sequences (surrogate pairs)
    '\ufeffbom', // U+FEFF is kept, not stripped (MQTT-1.5.4-3)
  ];

  it.each(topics)('round-trips %j, with the UTF-8 bytes TextEncoder gives', (topic) => {
    const packet: Packet = { cmd: 'publish', topic, payload: hi, qos: 0, dup: false, retain: false };
    const bytes = encode(packet, 4);
    expect(bytes).toEqual(pkt(0x30, str(topic), [...hi]));
    expect(decode(bytes, 4)).toEqual(packet);
  });

  it('accepts a string of exactly 65535 bytes', () => {
    const topic = 'x'.repeat(65535);
    const packet: Packet = { cmd: 'publish', topic, payload: hi, qos: 0, dup: false, retain: false };
    expect(decode(encode(packet, 4), 4)).toEqual(packet);
  });
});

describe('encode', () => {
  it('writes a payload larger than the shared slab into its own buffer', () => {
    const payload = new Uint8Array(100_000).fill(7);
    const packet: Packet = { cmd: 'publish', topic: 'big', payload, qos: 0, dup: false, retain: false };
    const bytes = encode(packet, 4);
    expect(bytes.length).toBe(1 + 3 + 5 + 100_000);
    expect(decode(bytes, 4)).toEqual(packet);
  });

  it('gives each packet its own bytes, even when many share a slab', () => {
    const frames = Array.from({ length: 2000 }, (_, i) =>
      encode({ cmd: 'publish', topic: `t/${i}`, payload: new Uint8Array(40).fill(i & 0xff), qos: 1, messageId: i + 1, dup: false, retain: false }, 4),
    );
    frames.forEach((frame, i) => expect(decode(frame, 4)).toMatchObject({ topic: `t/${i}`, messageId: i + 1 }));
  });

  it('skips properties whose value is undefined', () => {
    const packet = { cmd: 'puback', messageId: 1, reasonCode: 0, properties: { reasonString: undefined } } as Packet;
    expect(encode(packet, 5)).toEqual(pkt(0x40, 0x00, 0x01));
  });

  it('accepts 0 and 1 for boolean properties', () => {
    const packet = { cmd: 'publish', topic: 'a', payload: hi, qos: 0, dup: false, retain: false, properties: { payloadFormatIndicator: 1 } } as unknown as Packet;
    expect(encode(packet, 5)).toEqual(pkt(0x30, str('a'), props([0x01, 0x01]), [...hi]));
  });

  it('accepts an empty properties object in 3.1.1', () => {
    expect(encode({ cmd: 'puback', messageId: 1, properties: {} }, 4)).toEqual(pkt(0x40, 0x00, 0x01));
  });

  it('defaults a missing CONNACK code to 0', () => {
    expect(encode({ cmd: 'connack', sessionPresent: false }, 4)).toEqual(pkt(0x20, 0x00, 0x00));
    expect(encode({ cmd: 'connack', sessionPresent: false }, 5)).toEqual(pkt(0x20, 0x00, 0x00, 0x00));
  });

  it('writes a large remaining length in several bytes', () => {
    const payload = new Uint8Array(20_000);
    const bytes = encode({ cmd: 'publish', topic: 'a', payload, qos: 0, dup: false, retain: false }, 4);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x30, 0xa3, 0x9c, 0x01]); // 20003
  });
});

describe('property table', () => {
  it('looks properties up by identifier and by name', () => {
    expect(propertyById(0x23)).toMatchObject({ name: 'topicAlias', type: 'two-byte', min: 1 });
    expect(propertyByName('userProperties')).toMatchObject({ id: 0x26, type: 'utf8-pair' });
    expect(propertyById(0x04)).toBeUndefined();
    expect(propertyByName('nope')).toBeUndefined();
  });

  it('has the 27 properties of MQTT 5, each with a distinct identifier and name', () => {
    expect(PROPERTIES).toHaveLength(27);
    expect(new Set(PROPERTIES.map((p) => p.id)).size).toBe(27);
    expect(new Set(PROPERTIES.map((p) => p.name)).size).toBe(27);
  });

  it('lets only user properties and the PUBLISH subscription identifier repeat', () => {
    const repeating = PROPERTIES.filter((p) => p.repeats.length > 0).map((p) => [p.name, p.repeats.includes('publish'), p.repeats.includes('subscribe')]);
    expect(repeating).toEqual([
      ['subscriptionIdentifier', true, false],
      ['userProperties', true, true],
    ]);
  });
});

describe('reasonCodeName', () => {
  it('names a reason code by packet', () => {
    expect(reasonCodeName(0x00, 'disconnect')).toBe('Normal disconnection');
    expect(reasonCodeName(0x00, 'suback')).toBe('Granted QoS 0');
    expect(reasonCodeName(0x00, 'puback')).toBe('Success');
    expect(reasonCodeName(0x87)).toBe('Not authorized');
  });

  it('names the 3.1.1 CONNACK return codes', () => {
    expect(reasonCodeName(5, 'connack', 4)).toBe('Connection Refused, not authorized');
    expect(CONNECT_RETURN_CODES).toHaveLength(6);
  });

  it('returns undefined for a code the packet does not define', () => {
    expect(reasonCodeName(0x04, 'puback')).toBeUndefined();
    expect(reasonCodeName(0x03)).toBeUndefined();
    expect(reasonCodeName(0x00, 'publish')).toBeUndefined();
  });

  it('has every MQTT 5 reason code', () => {
    expect(new Set(REASON_CODES.map((r) => r.code)).size).toBe(43);
  });
});

describe('the packets barrel', () => {
  it('exports the codec, the Framer and the tables', async () => {
    const barrel = await import('../../src/packets/index.js');
    expect(barrel.encode).toBe(encode);
    expect(barrel.decode).toBe(decode);
    expect(typeof barrel.Framer).toBe('function');
    expect(barrel.PROPERTIES).toBe(PROPERTIES);
    expect(barrel.reasonCodeName(0x80)).toBe('Unspecified error');
  });
});
