/**
 * Hand-made byte vectors, written from the MQTT 3.1 (IBM, 2010), MQTT 3.1.1 (OASIS,
 * 2014) and MQTT 5.0 (OASIS, 2019) specifications — not produced by any library.
 * Every byte is commented by field; each `packet` is in the canonical decoded form of
 * `src/packets/packet.ts`, its keys (and its MQTT 5 properties) in wire order.
 *
 * Lengths are counted by hand: the comment on a remaining length or property length
 * says what it adds up.
 */
import type { Packet, ProtocolVersion } from '../../src/packets/packet.js';

/** One vector: `bytes` is the only encoding of `packet` under `version`. */
export interface Vector {
  name: string;
  version: ProtocolVersion;
  packet: Packet;
  bytes: number[];
}

/** A vector whose bytes decode to `packet` but are not how `encode` writes it (a longer form the spec also allows). */
export interface DecodeOnlyVector extends Vector {
  /** What `encode(packet)` writes instead. */
  canonical: number[];
}

/** A frame that must be refused with an MqttProtocolError of `reasonCode`. */
export interface BadVector {
  name: string;
  version: ProtocolVersion;
  bytes: number[];
  reasonCode: number;
}

/** The bytes of an ASCII text, without a length prefix. */
function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

/** A UTF-8 Encoded String of ASCII text: two-byte big-endian length, then the bytes (3.1.1 §1.5.3, 5.0 §1.5.4). */
function str(text: string): number[] {
  return [text.length >> 8, text.length & 0xff, ...ascii(text)];
}

/** `n` copies of `byte`. */
function fill(n: number, byte: number): number[] {
  return new Array<number>(n).fill(byte);
}

/** The same bytes as a Uint8Array (payloads, binary properties). */
function u8(bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

// ---------------------------------------------------------------------------------
// Packets whose wire format is the same in MQTT 3.1 and 3.1.1 (no properties, no
// reason codes): each is listed under both versions.
// ---------------------------------------------------------------------------------

function commonV3V4(version: 3 | 4): Vector[] {
  const v = version === 3 ? '3.1' : '3.1.1';
  return [
    {
      name: `${v} PUBLISH QoS 0`,
      version,
      packet: { cmd: 'publish', topic: 'a/b', payload: u8(ascii('hello')), qos: 0, dup: false, retain: false },
      bytes: [
        0x30, 0x0a, //             PUBLISH, QoS 0, remaining length 10 = 5 + 5
        ...str('a/b'), //          topic name (5)
        ...ascii('hello'), //      payload (5), no packet identifier at QoS 0
      ],
    },
    {
      name: `${v} PUBLISH QoS 1 with retain`,
      version,
      packet: { cmd: 'publish', topic: 'a/b', payload: u8(ascii('hi')), qos: 1, dup: false, retain: true, messageId: 10 },
      bytes: [
        0x33, 0x09, //             PUBLISH, QoS 1 (bits 2-1 = 01), RETAIN (bit 0), remaining length 9
        ...str('a/b'), //          topic name (5)
        0x00, 0x0a, //             packet identifier 10
        ...ascii('hi'), //         payload (2)
      ],
    },
    {
      name: `${v} PUBLISH QoS 2 with dup and an empty payload`,
      version,
      packet: { cmd: 'publish', topic: 't', payload: u8([]), qos: 2, dup: true, retain: false, messageId: 0x1234 },
      bytes: [
        0x3c, 0x05, //             PUBLISH, DUP (bit 3), QoS 2 (bits 2-1 = 10), remaining length 5
        ...str('t'), //            topic name (3)
        0x12, 0x34, //             packet identifier 0x1234; zero-length payload
      ],
    },
    {
      name: `${v} PUBLISH with a two-byte remaining length (205)`,
      version,
      packet: { cmd: 'publish', topic: 'big', payload: u8(fill(200, 0x55)), qos: 0, dup: false, retain: false },
      bytes: [
        0x30, //                   PUBLISH, QoS 0
        0xcd, 0x01, //             remaining length 205 = 0x4d + 1·128 (continuation bit on the first byte)
        ...str('big'), //          topic name (5)
        ...fill(200, 0x55), //     payload (200)
      ],
    },
    {
      name: `${v} PUBLISH with a three-byte remaining length (16384)`,
      version,
      packet: { cmd: 'publish', topic: 'x', payload: u8(fill(16381, 0xa5)), qos: 0, dup: false, retain: false },
      bytes: [
        0x30, //                   PUBLISH, QoS 0
        0x80, 0x80, 0x01, //       remaining length 16384 = 0 + 0·128 + 1·128² (spec table 2.4 / 1.5.5)
        ...str('x'), //            topic name (3)
        ...fill(16381, 0xa5), //   payload (16381)
      ],
    },
    {
      name: `${v} PUBLISH with a multi-byte UTF-8 topic`,
      version,
      packet: { cmd: 'publish', topic: 'ü€😀', payload: u8([]), qos: 0, dup: false, retain: false },
      bytes: [
        0x30, 0x0b, //             PUBLISH, remaining length 11
        0x00, 0x09, //             topic length 9 bytes (4 UTF-16 units)
        0xc3, 0xbc, //             U+00FC ü (two bytes)
        0xe2, 0x82, 0xac, //       U+20AC € (three bytes)
        0xf0, 0x9f, 0x98, 0x80, // U+1F600 (four bytes, a surrogate pair in JavaScript)
      ],
    },
    {
      name: `${v} PUBLISH topic starting with U+FEFF keeps it (MQTT-1.5.3-3)`,
      version,
      packet: { cmd: 'publish', topic: '\ufeffa', payload: u8([]), qos: 0, dup: false, retain: false },
      bytes: [
        0x30, 0x06, //             PUBLISH, remaining length 6
        0x00, 0x04, //             topic length 4
        0xef, 0xbb, 0xbf, //       U+FEFF ZERO WIDTH NO-BREAK SPACE: must not be skipped or stripped
        0x61, //                   'a'
      ],
    },
    {
      name: `${v} PUBACK`,
      version,
      packet: { cmd: 'puback', messageId: 10 },
      bytes: [0x40, 0x02, /* PUBACK, remaining length 2 */ 0x00, 0x0a /* packet identifier 10 */],
    },
    {
      name: `${v} PUBREC`,
      version,
      packet: { cmd: 'pubrec', messageId: 11 },
      bytes: [0x50, 0x02, /* PUBREC, remaining length 2 */ 0x00, 0x0b /* packet identifier 11 */],
    },
    {
      name: `${v} PUBREL (fixed header flags 0010, MQTT-3.6.1-1)`,
      version,
      packet: { cmd: 'pubrel', messageId: 12 },
      bytes: [0x62, 0x02, /* PUBREL, flags 0010, remaining length 2 */ 0x00, 0x0c /* packet identifier 12 */],
    },
    {
      name: `${v} PUBCOMP with the largest packet identifier`,
      version,
      packet: { cmd: 'pubcomp', messageId: 65535 },
      bytes: [0x70, 0x02, /* PUBCOMP, remaining length 2 */ 0xff, 0xff /* packet identifier 65535 */],
    },
    {
      name: `${v} SUBSCRIBE with three filters (flags 0010, MQTT-3.8.1-1)`,
      version,
      packet: {
        cmd: 'subscribe',
        messageId: 1,
        subscriptions: [
          { topic: 'a/+', qos: 0 },
          { topic: 'b/#', qos: 1 },
          { topic: 'c', qos: 2 },
        ],
      },
      bytes: [
        0x82, 0x12, //             SUBSCRIBE, flags 0010, remaining length 18 = 2 + 6 + 6 + 4
        0x00, 0x01, //             packet identifier 1
        ...str('a/+'), 0x00, //    filter 'a/+', requested QoS 0
        ...str('b/#'), 0x01, //    filter 'b/#', requested QoS 1
        ...str('c'), 0x02, //      filter 'c', requested QoS 2
      ],
    },
    {
      name: `${v} UNSUBSCRIBE with two filters (flags 0010, MQTT-3.10.1-1)`,
      version,
      packet: { cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['a/+', 'c'] },
      bytes: [
        0xa2, 0x0a, //             UNSUBSCRIBE, flags 0010, remaining length 10 = 2 + 5 + 3
        0x00, 0x02, //             packet identifier 2
        ...str('a/+'), //          filter
        ...str('c'), //            filter
      ],
    },
    {
      name: `${v} UNSUBACK`,
      version,
      packet: { cmd: 'unsuback', messageId: 2 },
      bytes: [0xb0, 0x02, /* UNSUBACK, remaining length 2 */ 0x00, 0x02 /* packet identifier 2 */],
    },
    { name: `${v} PINGREQ`, version, packet: { cmd: 'pingreq' }, bytes: [0xc0, 0x00 /* PINGREQ, remaining length 0 */] },
    { name: `${v} PINGRESP`, version, packet: { cmd: 'pingresp' }, bytes: [0xd0, 0x00 /* PINGRESP, remaining length 0 */] },
    { name: `${v} DISCONNECT`, version, packet: { cmd: 'disconnect' }, bytes: [0xe0, 0x00 /* DISCONNECT, remaining length 0 */] },
  ];
}

// ---------------------------------------------------------------------------------
// MQTT 3.1 (protocol name 'MQIsdp', level 3)
// ---------------------------------------------------------------------------------

const V31: Vector[] = [
  {
    name: '3.1 CONNECT with user name and password',
    version: 3,
    packet: {
      cmd: 'connect',
      protocolId: 'MQIsdp',
      protocolVersion: 3,
      clientId: 'c',
      clean: true,
      keepalive: 30,
      username: 'u',
      password: u8(ascii('p')),
    },
    bytes: [
      0x10, 0x15, //             CONNECT, remaining length 21 = 12 + 3 + 3 + 3
      ...str('MQIsdp'), //       protocol name 'MQIsdp' (8)
      0x03, //                   protocol version 3
      0xc2, //                   flags: user name (7), password (6), clean session (1)
      0x00, 0x1e, //             keep alive 30 s
      ...str('c'), //            client identifier
      ...str('u'), //            user name
      ...str('p'), //            password
    ],
  },
  {
    name: '3.1 CONNECT with a QoS 2 will',
    version: 3,
    packet: {
      cmd: 'connect',
      protocolId: 'MQIsdp',
      protocolVersion: 3,
      clientId: 'dev-1',
      clean: true,
      keepalive: 0,
      will: { topic: 'status/dev-1', payload: u8(ascii('gone')), qos: 2, retain: false },
    },
    bytes: [
      0x10, 0x27, //             CONNECT, remaining length 39 = 12 + 7 + 14 + 6
      ...str('MQIsdp'), //       protocol name (8)
      0x03, //                   protocol version 3
      0x16, //                   flags: will QoS 2 (bits 4-3 = 10), will flag (2), clean session (1)
      0x00, 0x00, //             keep alive 0: disabled
      ...str('dev-1'), //        client identifier (7)
      ...str('status/dev-1'), // will topic (14)
      ...str('gone'), //         will message (6)
    ],
  },
  {
    name: '3.1 CONNACK accepted',
    version: 3,
    packet: { cmd: 'connack', sessionPresent: false, returnCode: 0 },
    bytes: [0x20, 0x02, /* CONNACK, remaining length 2 */ 0x00, /* reserved */ 0x00 /* return code 0: accepted */],
  },
  {
    name: '3.1 CONNACK refused: identifier rejected',
    version: 3,
    packet: { cmd: 'connack', sessionPresent: false, returnCode: 2 },
    bytes: [0x20, 0x02, /* CONNACK, remaining length 2 */ 0x00, /* reserved */ 0x02 /* 2: identifier rejected */],
  },
  {
    name: '3.1 SUBACK with granted QoS 0, 1, 2',
    version: 3,
    packet: { cmd: 'suback', messageId: 7, granted: [0, 1, 2] },
    bytes: [
      0x90, 0x05, //             SUBACK, remaining length 5
      0x00, 0x07, //             message identifier 7
      0x00, 0x01, 0x02, //       granted QoS per filter
    ],
  },
  ...commonV3V4(3),
];

// ---------------------------------------------------------------------------------
// MQTT 3.1.1 (protocol name 'MQTT', level 4)
// ---------------------------------------------------------------------------------

const V311: Vector[] = [
  {
    name: '3.1.1 CONNECT, clean session, no will or credentials',
    version: 4,
    packet: { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', clean: true, keepalive: 60 },
    bytes: [
      0x10, 0x0e, //             CONNECT, remaining length 14 = 10 + 4
      ...str('MQTT'), //         protocol name (6), MQTT-3.1.2-1
      0x04, //                   protocol level 4
      0x02, //                   flags: clean session (1)
      0x00, 0x3c, //             keep alive 60 s
      ...str('c1'), //           client identifier (4)
    ],
  },
  {
    name: '3.1.1 CONNECT with will (QoS 1, retain), user name and password',
    version: 4,
    packet: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: 'id',
      clean: false,
      keepalive: 10,
      will: { topic: 'w/t', payload: u8(ascii('bye')), qos: 1, retain: true },
      username: 'u',
      password: u8(ascii('pw')),
    },
    bytes: [
      0x10, 0x1f, //             CONNECT, remaining length 31 = 10 + 4 + 5 + 5 + 3 + 4
      ...str('MQTT'), //         protocol name (6)
      0x04, //                   protocol level 4
      0xec, //                   flags: user name (7), password (6), will retain (5), will QoS 1 (4-3 = 01), will (2)
      0x00, 0x0a, //             keep alive 10 s
      ...str('id'), //           client identifier (4)
      ...str('w/t'), //          will topic (5)
      ...str('bye'), //          will message (5)
      ...str('u'), //            user name (3)
      ...str('pw'), //           password (4)
    ],
  },
  {
    name: '3.1.1 CONNECT with an empty client identifier and user name only',
    version: 4,
    packet: { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: '', clean: true, keepalive: 65535, username: 'me' },
    bytes: [
      0x10, 0x10, //             CONNECT, remaining length 16 = 10 + 2 + 4
      ...str('MQTT'), //         protocol name (6)
      0x04, //                   protocol level 4
      0x82, //                   flags: user name (7), clean session (1)
      0xff, 0xff, //             keep alive 65535 s
      0x00, 0x00, //             client identifier '' (MQTT-3.1.3-6 allows it with clean session)
      ...str('me'), //           user name (4)
    ],
  },
  {
    name: '3.1.1 CONNACK accepted, session present',
    version: 4,
    packet: { cmd: 'connack', sessionPresent: true, returnCode: 0 },
    bytes: [0x20, 0x02, /* CONNACK, remaining length 2 */ 0x01, /* session present */ 0x00 /* 0: accepted */],
  },
  {
    name: '3.1.1 CONNACK refused: not authorized',
    version: 4,
    packet: { cmd: 'connack', sessionPresent: false, returnCode: 5 },
    bytes: [0x20, 0x02, /* CONNACK, remaining length 2 */ 0x00, /* no session (MQTT-3.2.2-4) */ 0x05 /* 5: not authorized */],
  },
  {
    name: '3.1.1 CONNACK refused: unacceptable protocol version',
    version: 4,
    packet: { cmd: 'connack', sessionPresent: false, returnCode: 1 },
    bytes: [0x20, 0x02, 0x00, 0x01 /* 1: unacceptable protocol version */],
  },
  {
    name: '3.1.1 SUBACK with a failure 0x80',
    version: 4,
    packet: { cmd: 'suback', messageId: 1, granted: [0, 1, 2, 0x80] },
    bytes: [
      0x90, 0x06, //             SUBACK, remaining length 6
      0x00, 0x01, //             packet identifier 1
      0x00, 0x01, 0x02, //       granted QoS 0, 1, 2
      0x80, //                   failure (MQTT-3.9.3-2)
    ],
  },
  ...commonV3V4(4),
];

// ---------------------------------------------------------------------------------
// MQTT 5.0 (protocol name 'MQTT', level 5)
// Property identifiers (5.0 §2.2.2.2, table 2-4): 0x01 payload format indicator,
// 0x02 message expiry, 0x03 content type, 0x08 response topic, 0x09 correlation data,
// 0x0b subscription identifier, 0x11 session expiry, 0x12 assigned client id,
// 0x13 server keep alive, 0x15 auth method, 0x16 auth data, 0x17 request problem info,
// 0x18 will delay, 0x19 request response info, 0x1a response info, 0x1c server
// reference, 0x1f reason string, 0x21 receive maximum, 0x22 topic alias maximum,
// 0x23 topic alias, 0x24 maximum QoS, 0x25 retain available, 0x26 user property,
// 0x27 maximum packet size, 0x28 wildcard sub available, 0x29 sub ids available,
// 0x2a shared sub available.
// ---------------------------------------------------------------------------------

const V5: Vector[] = [
  {
    name: '5.0 CONNECT with properties, will properties, user name and password',
    version: 5,
    packet: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: 'cid',
      clean: true,
      keepalive: 60,
      properties: { sessionExpiryInterval: 120, receiveMaximum: 20, userProperties: { a: 'b' } },
      will: {
        topic: 'w',
        payload: u8(ascii('x')),
        qos: 1,
        retain: false,
        properties: { willDelayInterval: 5, contentType: 'text' },
      },
      username: 'u',
      password: u8(ascii('p')),
    },
    bytes: [
      0x10, 0x38, //             CONNECT, remaining length 56 = 10 + 16 + 5 + 13 + 3 + 3 + 3 + 3
      ...str('MQTT'), //         protocol name (6)
      0x05, //                   protocol level 5
      0xce, //                   flags: user name (7), password (6), will QoS 1 (4-3 = 01), will (2), clean start (1)
      0x00, 0x3c, //             keep alive 60 s
      0x0f, //                   property length 15 = 5 + 3 + 7
      0x11, 0x00, 0x00, 0x00, 0x78, // session expiry interval 120 s
      0x21, 0x00, 0x14, //       receive maximum 20
      0x26, ...str('a'), ...str('b'), // user property a = b
      ...str('cid'), //          client identifier (5)
      0x0c, //                   will property length 12 = 5 + 7
      0x18, 0x00, 0x00, 0x00, 0x05, // will delay interval 5 s
      0x03, ...str('text'), //   content type 'text'
      ...str('w'), //            will topic (3)
      ...str('x'), //            will payload (3)
      ...str('u'), //            user name (3)
      ...str('p'), //            password (3)
    ],
  },
  {
    name: '5.0 CONNECT with every CONNECT property',
    version: 5,
    packet: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: 'a',
      clean: false,
      keepalive: 5,
      properties: {
        sessionExpiryInterval: 0xffffffff,
        receiveMaximum: 65535,
        maximumPacketSize: 1024,
        topicAliasMaximum: 0,
        requestResponseInformation: true,
        requestProblemInformation: false,
        authenticationMethod: 'm',
        authenticationData: u8([0x01]),
      },
    },
    bytes: [
      0x10, 0x2a, //             CONNECT, remaining length 42 = 10 + 29 + 3
      ...str('MQTT'), //         protocol name (6)
      0x05, //                   protocol level 5
      0x00, //                   flags: nothing set
      0x00, 0x05, //             keep alive 5 s
      0x1c, //                   property length 28 = 5 + 3 + 5 + 3 + 2 + 2 + 4 + 4
      0x11, 0xff, 0xff, 0xff, 0xff, // session expiry interval 0xFFFFFFFF: never expires
      0x21, 0xff, 0xff, //       receive maximum 65535
      0x27, 0x00, 0x00, 0x04, 0x00, // maximum packet size 1024
      0x22, 0x00, 0x00, //       topic alias maximum 0
      0x19, 0x01, //             request response information 1
      0x17, 0x00, //             request problem information 0
      0x15, ...str('m'), //      authentication method 'm'
      0x16, 0x00, 0x01, 0x01, // authentication data [0x01]
      ...str('a'), //            client identifier (3)
    ],
  },
  {
    name: '5.0 CONNECT with a password and no user name (allowed in 5.0, 3.1.2.9)',
    version: 5,
    packet: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: '',
      clean: true,
      keepalive: 0,
      password: u8([0x00, 0xff]),
    },
    bytes: [
      0x10, 0x11, //             CONNECT, remaining length 17 = 10 + 1 + 2 + 4
      ...str('MQTT'), //         protocol name (6)
      0x05, //                   protocol level 5
      0x42, //                   flags: password (6), clean start (1)
      0x00, 0x00, //             keep alive 0
      0x00, //                   property length 0
      0x00, 0x00, //             client identifier ''
      0x00, 0x02, 0x00, 0xff, // password: binary data [0x00, 0xff]
    ],
  },
  {
    name: '5.0 CONNACK success with properties, session present',
    version: 5,
    packet: {
      cmd: 'connack',
      sessionPresent: true,
      reasonCode: 0,
      properties: { topicAliasMaximum: 10, assignedClientIdentifier: 'auto', maximumQoS: 1, retainAvailable: false },
    },
    bytes: [
      0x20, 0x11, //             CONNACK, remaining length 17 = 2 + 1 + 14
      0x01, //                   session present
      0x00, //                   reason code 0x00 success
      0x0e, //                   property length 14 = 3 + 7 + 2 + 2
      0x22, 0x00, 0x0a, //       topic alias maximum 10
      0x12, ...str('auto'), //   assigned client identifier 'auto'
      0x24, 0x01, //             maximum QoS 1
      0x25, 0x00, //             retain available 0
    ],
  },
  {
    name: '5.0 CONNACK with every remaining CONNACK property',
    version: 5,
    packet: {
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: {
        sessionExpiryInterval: 60,
        receiveMaximum: 100,
        maximumPacketSize: 65536,
        reasonString: 'r',
        wildcardSubscriptionAvailable: true,
        subscriptionIdentifiersAvailable: false,
        sharedSubscriptionAvailable: true,
        serverKeepAlive: 30,
        responseInformation: 'ri',
        serverReference: 's',
        authenticationMethod: 'm',
        authenticationData: u8([]),
        userProperties: { k: 'v' },
      },
    },
    bytes: [
      0x20, 0x34, //             CONNACK, remaining length 52 = 2 + 1 + 49
      0x00, //                   no session present
      0x00, //                   reason code success
      0x31, //                   property length 49 = 5 + 3 + 5 + 4 + 2 + 2 + 2 + 3 + 5 + 4 + 4 + 3 + 7
      0x11, 0x00, 0x00, 0x00, 0x3c, // session expiry interval 60 s
      0x21, 0x00, 0x64, //       receive maximum 100
      0x27, 0x00, 0x01, 0x00, 0x00, // maximum packet size 65536
      0x1f, ...str('r'), //      reason string 'r'
      0x28, 0x01, //             wildcard subscription available 1
      0x29, 0x00, //             subscription identifiers available 0
      0x2a, 0x01, //             shared subscription available 1
      0x13, 0x00, 0x1e, //       server keep alive 30 s
      0x1a, ...str('ri'), //     response information 'ri'
      0x1c, ...str('s'), //      server reference 's'
      0x15, ...str('m'), //      authentication method 'm'
      0x16, 0x00, 0x00, //       authentication data: empty
      0x26, ...str('k'), ...str('v'), // user property k = v
    ],
  },
  {
    name: '5.0 CONNACK without properties',
    version: 5,
    packet: { cmd: 'connack', sessionPresent: false, reasonCode: 0 },
    bytes: [0x20, 0x03, /* CONNACK, remaining length 3 */ 0x00, 0x00, /* reason code success */ 0x00 /* property length 0 */],
  },
  {
    name: '5.0 CONNACK refused: not authorized, with a reason string',
    version: 5,
    packet: { cmd: 'connack', sessionPresent: false, reasonCode: 0x87, properties: { reasonString: 'no' } },
    bytes: [
      0x20, 0x08, //             CONNACK, remaining length 8 = 2 + 1 + 5
      0x00, //                   no session (MQTT-3.2.2-6)
      0x87, //                   reason code 0x87 not authorized
      0x05, //                   property length 5
      0x1f, ...str('no'), //     reason string 'no'
    ],
  },
  {
    name: '5.0 CONNACK refused: bad user name or password',
    version: 5,
    packet: { cmd: 'connack', sessionPresent: false, reasonCode: 0x86 },
    bytes: [0x20, 0x03, 0x00, 0x86, /* 0x86 bad user name or password */ 0x00 /* property length 0 */],
  },
  {
    name: '5.0 PUBLISH QoS 0 without properties',
    version: 5,
    packet: { cmd: 'publish', topic: 'a/b', payload: u8(ascii('hi')), qos: 0, dup: false, retain: false },
    bytes: [
      0x30, 0x08, //             PUBLISH, QoS 0, remaining length 8 = 5 + 1 + 2
      ...str('a/b'), //          topic name (5)
      0x00, //                   property length 0
      ...ascii('hi'), //         payload (2)
    ],
  },
  {
    name: '5.0 PUBLISH QoS 1 with every PUBLISH property but topic alias',
    version: 5,
    packet: {
      cmd: 'publish',
      topic: 'a/b',
      payload: u8(ascii('{}')),
      qos: 1,
      dup: false,
      retain: false,
      messageId: 1,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        contentType: 'json',
        responseTopic: 'r',
        correlationData: u8([1, 2]),
        userProperties: { k: ['v1', 'v2'] },
        subscriptionIdentifier: [1, 200],
      },
    },
    bytes: [
      0x32, 0x36, //             PUBLISH, QoS 1, remaining length 54 = 5 + 2 + 1 + 44 + 2
      ...str('a/b'), //          topic name (5)
      0x00, 0x01, //             packet identifier 1
      0x2c, //                   property length 44 = 2 + 5 + 7 + 4 + 5 + 8 + 8 + 2 + 3
      0x01, 0x01, //             payload format indicator 1: UTF-8
      0x02, 0x00, 0x00, 0x00, 0x3c, // message expiry interval 60 s
      0x03, ...str('json'), //   content type 'json'
      0x08, ...str('r'), //      response topic 'r'
      0x09, 0x00, 0x02, 0x01, 0x02, // correlation data [1, 2]
      0x26, ...str('k'), ...str('v1'), // user property k = v1
      0x26, ...str('k'), ...str('v2'), // user property k = v2 (a name may repeat, 3.3.2.3.7)
      0x0b, 0x01, //             subscription identifier 1
      0x0b, 0xc8, 0x01, //       subscription identifier 200 (variable byte integer, two bytes)
      ...ascii('{}'), //         payload (2)
    ],
  },
  {
    name: '5.0 PUBLISH QoS 2, dup, retain, empty topic with a topic alias',
    version: 5,
    packet: {
      cmd: 'publish',
      topic: '',
      payload: u8(ascii('x')),
      qos: 2,
      dup: true,
      retain: true,
      messageId: 0x0102,
      properties: { topicAlias: 3 },
    },
    bytes: [
      0x3d, 0x09, //             PUBLISH, DUP (3), QoS 2 (2-1 = 10), RETAIN (0), remaining length 9
      0x00, 0x00, //             topic name '' (allowed with a topic alias, 3.3.2.1)
      0x01, 0x02, //             packet identifier 0x0102
      0x03, //                   property length 3
      0x23, 0x00, 0x03, //       topic alias 3
      ...ascii('x'), //          payload (1)
    ],
  },
  {
    name: '5.0 PUBLISH with a two-byte property length and remaining length',
    version: 5,
    packet: {
      cmd: 'publish',
      topic: 't',
      payload: u8([]),
      qos: 0,
      dup: false,
      retain: false,
      properties: { userProperties: { k: 'v'.repeat(130) } },
    },
    bytes: [
      0x30, //                   PUBLISH, QoS 0
      0x8d, 0x01, //             remaining length 141 = 0x0d + 1·128 = 3 + 2 + 136
      ...str('t'), //            topic name (3)
      0x88, 0x01, //             property length 136 = 0x08 + 1·128
      0x26, ...str('k'), //      user property, name 'k'
      0x00, 0x82, ...fill(130, 0x76), // value: 130 × 'v'
    ],
  },
  {
    name: '5.0 PUBACK, success with the reason code omitted (3.4.2.1)',
    version: 5,
    packet: { cmd: 'puback', messageId: 1, reasonCode: 0 },
    bytes: [0x40, 0x02, /* PUBACK, remaining length 2 */ 0x00, 0x01 /* packet identifier 1; reason code 0 implied */],
  },
  {
    name: '5.0 PUBACK with a reason code and no properties',
    version: 5,
    packet: { cmd: 'puback', messageId: 1, reasonCode: 0x10 },
    bytes: [0x40, 0x03, /* PUBACK, remaining length 3 */ 0x00, 0x01, /* packet identifier 1 */ 0x10 /* no matching subscribers */],
  },
  {
    name: '5.0 PUBACK with a reason code and a reason string',
    version: 5,
    packet: { cmd: 'puback', messageId: 1, reasonCode: 0x87, properties: { reasonString: 'denied' } },
    bytes: [
      0x40, 0x0d, //             PUBACK, remaining length 13 = 2 + 1 + 1 + 9
      0x00, 0x01, //             packet identifier 1
      0x87, //                   reason code 0x87 not authorized
      0x09, //                   property length 9
      0x1f, ...str('denied'), // reason string 'denied'
    ],
  },
  {
    name: '5.0 PUBACK, success with a user property',
    version: 5,
    packet: { cmd: 'puback', messageId: 2, reasonCode: 0, properties: { userProperties: { a: 'b' } } },
    bytes: [
      0x40, 0x0b, //             PUBACK, remaining length 11 = 2 + 1 + 1 + 7
      0x00, 0x02, //             packet identifier 2
      0x00, //                   reason code 0 (needed before the properties)
      0x07, //                   property length 7
      0x26, ...str('a'), ...str('b'), // user property a = b
    ],
  },
  {
    name: '5.0 PUBREC with a reason code',
    version: 5,
    packet: { cmd: 'pubrec', messageId: 2, reasonCode: 0x10 },
    bytes: [0x50, 0x03, /* PUBREC, remaining length 3 */ 0x00, 0x02, /* packet identifier 2 */ 0x10 /* no matching subscribers */],
  },
  {
    name: '5.0 PUBREC, success',
    version: 5,
    packet: { cmd: 'pubrec', messageId: 3, reasonCode: 0 },
    bytes: [0x50, 0x02, /* PUBREC, remaining length 2 */ 0x00, 0x03 /* packet identifier 3 */],
  },
  {
    name: '5.0 PUBREL: packet identifier not found, with a user property',
    version: 5,
    packet: { cmd: 'pubrel', messageId: 3, reasonCode: 0x92, properties: { userProperties: { a: 'b' } } },
    bytes: [
      0x62, 0x0b, //             PUBREL, flags 0010, remaining length 11 = 2 + 1 + 1 + 7
      0x00, 0x03, //             packet identifier 3
      0x92, //                   reason code 0x92 packet identifier not found
      0x07, //                   property length 7
      0x26, ...str('a'), ...str('b'), // user property a = b
    ],
  },
  {
    name: '5.0 PUBREL, success',
    version: 5,
    packet: { cmd: 'pubrel', messageId: 4, reasonCode: 0 },
    bytes: [0x62, 0x02, /* PUBREL, flags 0010, remaining length 2 */ 0x00, 0x04 /* packet identifier 4 */],
  },
  {
    name: '5.0 PUBCOMP, success',
    version: 5,
    packet: { cmd: 'pubcomp', messageId: 4, reasonCode: 0 },
    bytes: [0x70, 0x02, /* PUBCOMP, remaining length 2 */ 0x00, 0x04 /* packet identifier 4 */],
  },
  {
    name: '5.0 PUBCOMP with a reason code and a reason string',
    version: 5,
    packet: { cmd: 'pubcomp', messageId: 5, reasonCode: 0x92, properties: { reasonString: '?' } },
    bytes: [
      0x70, 0x08, //             PUBCOMP, remaining length 8 = 2 + 1 + 1 + 4
      0x00, 0x05, //             packet identifier 5
      0x92, //                   reason code 0x92 packet identifier not found
      0x04, //                   property length 4
      0x1f, ...str('?'), //      reason string '?'
    ],
  },
  {
    name: '5.0 SUBSCRIBE with subscription options and properties',
    version: 5,
    packet: {
      cmd: 'subscribe',
      messageId: 10,
      properties: { subscriptionIdentifier: 300, userProperties: { x: 'y' } },
      subscriptions: [
        { topic: 'a/b', qos: 1, nl: true, rap: false, rh: 0 },
        { topic: 'c/#', qos: 2, nl: false, rap: true, rh: 1 },
        { topic: '$share/g/d', qos: 0, nl: false, rap: false, rh: 2 },
      ],
    },
    bytes: [
      0x82, 0x26, //             SUBSCRIBE, flags 0010, remaining length 38 = 2 + 1 + 10 + 6 + 6 + 13
      0x00, 0x0a, //             packet identifier 10
      0x0a, //                   property length 10 = 3 + 7
      0x0b, 0xac, 0x02, //       subscription identifier 300 = 0x2c + 2·128
      0x26, ...str('x'), ...str('y'), // user property x = y
      ...str('a/b'), 0x05, //    options: no local (2), QoS 1
      ...str('c/#'), 0x1a, //    options: retain handling 1 (5-4 = 01), retain as published (3), QoS 2
      ...str('$share/g/d'), 0x20, // options: retain handling 2 (5-4 = 10), QoS 0
    ],
  },
  {
    name: '5.0 SUBSCRIBE without properties',
    version: 5,
    packet: { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 0, nl: false, rap: false, rh: 0 }] },
    bytes: [
      0x82, 0x07, //             SUBSCRIBE, flags 0010, remaining length 7 = 2 + 1 + 4
      0x00, 0x01, //             packet identifier 1
      0x00, //                   property length 0
      ...str('a'), 0x00, //      filter 'a', options: QoS 0
    ],
  },
  {
    name: '5.0 SUBACK with granted QoS, failures and a reason string',
    version: 5,
    packet: { cmd: 'suback', messageId: 10, properties: { reasonString: 'ok' }, granted: [0x01, 0x02, 0x80, 0xa2] },
    bytes: [
      0x90, 0x0c, //             SUBACK, remaining length 12 = 2 + 1 + 5 + 4
      0x00, 0x0a, //             packet identifier 10
      0x05, //                   property length 5
      0x1f, ...str('ok'), //     reason string 'ok'
      0x01, //                   granted QoS 1
      0x02, //                   granted QoS 2
      0x80, //                   unspecified error
      0xa2, //                   wildcard subscriptions not supported
    ],
  },
  {
    name: '5.0 SUBACK without properties',
    version: 5,
    packet: { cmd: 'suback', messageId: 11, granted: [0x00] },
    bytes: [0x90, 0x04, /* SUBACK, remaining length 4 */ 0x00, 0x0b, /* packet identifier 11 */ 0x00, /* property length 0 */ 0x00 /* granted QoS 0 */],
  },
  {
    name: '5.0 UNSUBSCRIBE with a user property',
    version: 5,
    packet: { cmd: 'unsubscribe', messageId: 12, properties: { userProperties: { k: 'v' } }, unsubscriptions: ['a/b', 'c'] },
    bytes: [
      0xa2, 0x12, //             UNSUBSCRIBE, flags 0010, remaining length 18 = 2 + 1 + 7 + 5 + 3
      0x00, 0x0c, //             packet identifier 12
      0x07, //                   property length 7
      0x26, ...str('k'), ...str('v'), // user property k = v
      ...str('a/b'), //          filter
      ...str('c'), //            filter
    ],
  },
  {
    name: '5.0 UNSUBSCRIBE without properties',
    version: 5,
    packet: { cmd: 'unsubscribe', messageId: 13, unsubscriptions: ['#'] },
    bytes: [0xa2, 0x06, /* UNSUBSCRIBE, flags 0010, remaining length 6 */ 0x00, 0x0d, /* packet identifier 13 */ 0x00, /* property length 0 */ ...str('#')],
  },
  {
    name: '5.0 UNSUBACK with reason codes',
    version: 5,
    packet: { cmd: 'unsuback', messageId: 12, granted: [0x00, 0x11] },
    bytes: [
      0xb0, 0x05, //             UNSUBACK, remaining length 5 = 2 + 1 + 2
      0x00, 0x0c, //             packet identifier 12
      0x00, //                   property length 0
      0x00, //                   success
      0x11, //                   no subscription existed
    ],
  },
  {
    name: '5.0 UNSUBACK with a reason string',
    version: 5,
    packet: { cmd: 'unsuback', messageId: 13, properties: { reasonString: 'x' }, granted: [0x8f] },
    bytes: [
      0xb0, 0x08, //             UNSUBACK, remaining length 8 = 2 + 1 + 4 + 1
      0x00, 0x0d, //             packet identifier 13
      0x04, //                   property length 4
      0x1f, ...str('x'), //      reason string 'x'
      0x8f, //                   topic filter invalid
    ],
  },
  { name: '5.0 PINGREQ', version: 5, packet: { cmd: 'pingreq' }, bytes: [0xc0, 0x00 /* PINGREQ, remaining length 0 */] },
  { name: '5.0 PINGRESP', version: 5, packet: { cmd: 'pingresp' }, bytes: [0xd0, 0x00 /* PINGRESP, remaining length 0 */] },
  {
    name: '5.0 DISCONNECT, normal, reason code omitted (3.14.2.1)',
    version: 5,
    packet: { cmd: 'disconnect', reasonCode: 0 },
    bytes: [0xe0, 0x00 /* DISCONNECT, remaining length 0: reason code 0 implied */],
  },
  {
    name: '5.0 DISCONNECT with will message, reason code only',
    version: 5,
    packet: { cmd: 'disconnect', reasonCode: 0x04 },
    bytes: [0xe0, 0x01, /* DISCONNECT, remaining length 1 */ 0x04 /* disconnect with will message */],
  },
  {
    name: '5.0 DISCONNECT: use another server, with reason string and server reference',
    version: 5,
    packet: { cmd: 'disconnect', reasonCode: 0x9c, properties: { reasonString: 'bye', serverReference: 'other' } },
    bytes: [
      0xe0, 0x10, //             DISCONNECT, remaining length 16 = 1 + 1 + 14
      0x9c, //                   reason code 0x9c use another server
      0x0e, //                   property length 14 = 6 + 8
      0x1f, ...str('bye'), //    reason string 'bye'
      0x1c, ...str('other'), //  server reference 'other'
    ],
  },
  {
    name: '5.0 DISCONNECT, normal, with session expiry interval',
    version: 5,
    packet: { cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 3600, userProperties: { a: ['1', '2', '3'] } } },
    bytes: [
      0xe0, 0x1c, //             DISCONNECT, remaining length 28 = 1 + 1 + 26
      0x00, //                   reason code 0 (needed before the properties)
      0x1a, //                   property length 26 = 5 + 3·7
      0x11, 0x00, 0x00, 0x0e, 0x10, // session expiry interval 3600 s
      0x26, ...str('a'), ...str('1'), // user property a = 1
      0x26, ...str('a'), ...str('2'), // user property a = 2
      0x26, ...str('a'), ...str('3'), // user property a = 3
    ],
  },
  {
    name: '5.0 AUTH, success, reason code omitted (3.15.2.1)',
    version: 5,
    packet: { cmd: 'auth', reasonCode: 0 },
    bytes: [0xf0, 0x00 /* AUTH, remaining length 0 */],
  },
  {
    name: '5.0 AUTH: continue authentication with method and data',
    version: 5,
    packet: {
      cmd: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'SCRAM', authenticationData: u8([0xde, 0xad]), reasonString: 'r' },
    },
    bytes: [
      0xf0, 0x13, //             AUTH, remaining length 19 = 1 + 1 + 17
      0x18, //                   reason code 0x18 continue authentication
      0x11, //                   property length 17 = 8 + 5 + 4
      0x15, ...str('SCRAM'), //  authentication method 'SCRAM'
      0x16, 0x00, 0x02, 0xde, 0xad, // authentication data [0xde, 0xad]
      0x1f, ...str('r'), //      reason string 'r'
    ],
  },
];

/** Every canonical vector. */
export const VECTORS: Vector[] = [...V31, ...V311, ...V5];

/**
 * Longer encodings the spec allows for the same packet: the decoder must accept them,
 * and the encoder writes the shorter form in `canonical`.
 */
export const DECODE_ONLY: DecodeOnlyVector[] = [
  {
    name: '5.0 PUBACK with reason code 0 written out (3.4.2.1)',
    version: 5,
    packet: { cmd: 'puback', messageId: 1, reasonCode: 0 },
    bytes: [0x40, 0x03, 0x00, 0x01, /* packet identifier 1 */ 0x00 /* reason code 0 */],
    canonical: [0x40, 0x02, 0x00, 0x01],
  },
  {
    name: '5.0 PUBACK with reason code 0 and an empty property list (3.4.2.2.1)',
    version: 5,
    packet: { cmd: 'puback', messageId: 1, reasonCode: 0 },
    bytes: [0x40, 0x04, 0x00, 0x01, /* packet identifier 1 */ 0x00, /* reason code 0 */ 0x00 /* property length 0 */],
    canonical: [0x40, 0x02, 0x00, 0x01],
  },
  {
    name: '5.0 PUBREC with a reason code and an empty property list',
    version: 5,
    packet: { cmd: 'pubrec', messageId: 9, reasonCode: 0x80 },
    bytes: [0x50, 0x04, 0x00, 0x09, /* packet identifier 9 */ 0x80, /* unspecified error */ 0x00 /* property length 0 */],
    canonical: [0x50, 0x03, 0x00, 0x09, 0x80],
  },
  {
    name: '5.0 DISCONNECT with reason code 0 written out',
    version: 5,
    packet: { cmd: 'disconnect', reasonCode: 0 },
    bytes: [0xe0, 0x01, 0x00 /* reason code 0 */],
    canonical: [0xe0, 0x00],
  },
  {
    name: '5.0 DISCONNECT with reason code 0 and an empty property list',
    version: 5,
    packet: { cmd: 'disconnect', reasonCode: 0 },
    bytes: [0xe0, 0x02, 0x00, /* reason code 0 */ 0x00 /* property length 0 */],
    canonical: [0xe0, 0x00],
  },
  {
    name: '5.0 AUTH with reason code 0 and an empty property list',
    version: 5,
    packet: { cmd: 'auth', reasonCode: 0 },
    bytes: [0xf0, 0x02, 0x00, /* reason code 0 */ 0x00 /* property length 0 */],
    canonical: [0xf0, 0x00],
  },
  {
    name: '5.0 PUBLISH with a repeated user property name split by another name',
    version: 5,
    packet: {
      cmd: 'publish',
      topic: 't',
      payload: u8([]),
      qos: 0,
      dup: false,
      retain: false,
      properties: { userProperties: { a: ['1', '3'], b: '2' } },
    },
    bytes: [
      0x30, 0x19, //             PUBLISH, remaining length 25 = 3 + 1 + 21
      ...str('t'), //            topic name
      0x15, //                   property length 21 = 3·7
      0x26, ...str('a'), ...str('1'), // a = 1
      0x26, ...str('b'), ...str('2'), // b = 2
      0x26, ...str('a'), ...str('3'), // a = 3: order within a name kept, names grouped
    ],
    canonical: [
      0x30, 0x19, ...str('t'), 0x15,
      0x26, ...str('a'), ...str('1'),
      0x26, ...str('a'), ...str('3'),
      0x26, ...str('b'), ...str('2'),
    ],
  },
];

/** Frames the spec calls malformed (0x81) or a protocol error (0x82). */
export const BAD_VECTORS: BadVector[] = [
  { name: 'PUBLISH with QoS 3 (MQTT-3.3.1-4)', version: 4, bytes: [0x36, 0x05, ...str('t'), 0x00, 0x01], reasonCode: 0x81 },
  { name: 'PUBLISH QoS 0 with DUP (MQTT-3.3.1-2)', version: 5, bytes: [0x38, 0x04, ...str('t'), 0x00], reasonCode: 0x82 },
  { name: 'PUBLISH topic with a wildcard (MQTT-3.3.2-2)', version: 4, bytes: [0x30, 0x03, ...str('+')], reasonCode: 0x82 },
  { name: 'PUBLISH QoS 1 with packet identifier 0 (MQTT-2.3.1-1)', version: 4, bytes: [0x32, 0x05, ...str('t'), 0x00, 0x00], reasonCode: 0x82 },
  { name: 'PUBREL with flags 0000 (MQTT-3.6.1-1)', version: 4, bytes: [0x60, 0x02, 0x00, 0x01], reasonCode: 0x81 },
  { name: 'SUBSCRIBE with flags 0000 (MQTT-3.8.1-1)', version: 4, bytes: [0x80, 0x06, 0x00, 0x01, ...str('a'), 0x00], reasonCode: 0x81 },
  { name: 'SUBSCRIBE without a filter (MQTT-3.8.3-3)', version: 4, bytes: [0x82, 0x02, 0x00, 0x01], reasonCode: 0x82 },
  { name: 'SUBSCRIBE with reserved option bits (MQTT-3.8.3-4)', version: 4, bytes: [0x82, 0x06, 0x00, 0x01, ...str('a'), 0x04], reasonCode: 0x81 },
  { name: 'CONNECT with the reserved flag set (MQTT-3.1.2-3)', version: 4, bytes: [0x10, 0x0d, ...str('MQTT'), 0x04, 0x03, 0x00, 0x00, 0x00, 0x01, 0x63], reasonCode: 0x81 },
  {
    name: 'CONNECT with an empty will topic (MQTT-4.7.3-1)',
    version: 4,
    bytes: [0x10, 0x11, ...str('MQTT'), 0x04, 0x06, /* will, clean session */ 0x00, 0x00, ...str('c'), 0x00, 0x00, /* will topic '' */ 0x00, 0x00],
    reasonCode: 0x82,
  },
  { name: 'AUTH under 3.1.1 (reserved packet type)', version: 4, bytes: [0xf0, 0x00], reasonCode: 0x81 },
  { name: 'packet type 0 (reserved)', version: 5, bytes: [0x00, 0x00], reasonCode: 0x81 },
  { name: 'remaining length past the frame', version: 4, bytes: [0x40, 0x03, 0x00, 0x01], reasonCode: 0x81 },
  { name: 'topic with ill-formed UTF-8 (MQTT-1.5.3-1)', version: 4, bytes: [0x30, 0x03, 0x00, 0x01, 0xff], reasonCode: 0x81 },
  { name: 'topic with U+0000 (MQTT-1.5.3-2)', version: 4, bytes: [0x30, 0x03, 0x00, 0x01, 0x00], reasonCode: 0x81 },
  { name: 'topic with an encoded surrogate (MQTT-1.5.3-1)', version: 5, bytes: [0x30, 0x06, 0x00, 0x03, 0xed, 0xa0, 0x80, 0x00], reasonCode: 0x81 },
  { name: 'unknown property identifier', version: 5, bytes: [0x30, 0x06, ...str('t'), 0x02, 0x7f, 0x00], reasonCode: 0x81 },
  { name: 'topic alias 0 (MQTT-3.3.2-8)', version: 5, bytes: [0x30, 0x07, ...str('t'), 0x03, 0x23, 0x00, 0x00], reasonCode: 0x82 },
  { name: 'PUBACK reason code not defined for PUBACK (MQTT-3.4.2-1)', version: 5, bytes: [0x40, 0x03, 0x00, 0x01, 0x04], reasonCode: 0x82 },
  { name: 'property given twice where once is allowed', version: 5, bytes: [0x30, 0x08, ...str('t'), 0x04, 0x01, 0x00, 0x01, 0x01], reasonCode: 0x82 },
  { name: 'property length over the packet', version: 5, bytes: [0x30, 0x04, ...str('t'), 0x09], reasonCode: 0x81 },
  { name: 'CONNACK reserved flag bits (MQTT-3.2.2-1)', version: 5, bytes: [0x20, 0x03, 0x02, 0x00, 0x00], reasonCode: 0x81 },
];
