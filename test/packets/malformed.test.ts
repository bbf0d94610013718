import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import type { Packet, ProtocolVersion } from '../../src/packets/packet.js';
import { lenPrefixed, pkt, props, str, utf8 } from '../support/packet-bytes.js';

const MALFORMED = 0x81;
const PROTOCOL = 0x82;

/** Asserts that `fn` throws an MqttProtocolError with `reasonCode` and a message matching `message`. */
function expectProtocolError(fn: () => unknown, reasonCode: number, message: RegExp): void {
  expect(fn).toThrow(MqttProtocolError);
  let error: unknown;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  expect(error).toMatchObject({ reasonCode, message: expect.stringMatching(message) });
}

function rejects(frame: Uint8Array, version: ProtocolVersion, reasonCode: number, message: RegExp): void {
  expectProtocolError(() => decode(frame, version), reasonCode, message);
}

function refuses(packet: Packet, version: ProtocolVersion, reasonCode: number, message: RegExp): void {
  expectProtocolError(() => encode(packet, version), reasonCode, message);
}

const payload = utf8('hi');
const publish = (extra: Partial<Extract<Packet, { cmd: 'publish' }>> = {}): Packet => ({
  cmd: 'publish',
  topic: 'a/b',
  payload,
  qos: 0,
  dup: false,
  retain: false,
  ...extra,
});
/** An MQTT 5 PUBLISH QoS 0 to "a" with the given property bytes. */
const publish5 = (...items: number[][]) => pkt(0x30, str('a'), props(...items));
/** An MQTT 5 CONNECT with the given property bytes. */
const connect5 = (...items: number[][]) =>
  pkt(0x10, str('MQTT'), 5, 0x02, 0x00, 0x3c, props(...items), str('c'));
/** An MQTT 5 SUBSCRIBE with the given property bytes and one filter "a" with `options`. */
const subscribe5 = (options: number, ...items: number[][]) => pkt(0x82, 0x00, 0x01, props(...items), str('a'), options);

describe('decode rejects', () => {
  describe('the fixed header', () => {
    it('PUBREL flags other than 0010 (MQTT-3.6.1-1)', () => {
      rejects(pkt(0x60, 0x00, 0x01), 4, MALFORMED, /flags of PUBREL must be 0010, got 0000/);
    });

    it('SUBSCRIBE flags other than 0010 (MQTT-3.8.1-1)', () => {
      rejects(pkt(0x80, 0x00, 0x01, str('a'), 0x00), 4, MALFORMED, /flags of SUBSCRIBE must be 0010/);
    });

    it('UNSUBSCRIBE flags other than 0010 (MQTT-3.10.1-1)', () => {
      rejects(pkt(0xa3, 0x00, 0x01, str('a')), 4, MALFORMED, /flags of UNSUBSCRIBE must be 0010, got 0011/);
    });

    it('reserved flags set on PUBACK (MQTT-2.2.2-1)', () => {
      rejects(pkt(0x41, 0x00, 0x01), 4, MALFORMED, /flags of PUBACK must be 0000, got 0001/);
    });

    it('reserved flags set on PINGREQ (MQTT-2.2.2-1)', () => {
      rejects(pkt(0xc8), 5, MALFORMED, /flags of PINGREQ must be 0000/);
    });

    it('a remaining length over 4 bytes (MQTT-1.5.5-1)', () => {
      rejects(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01), 4, MALFORMED, /remaining length longer than 4 bytes/);
    });

    it('a remaining length cut off by the end of the frame', () => {
      rejects(Uint8Array.of(0x30, 0x80), 4, MALFORMED, /remaining length is truncated/);
    });

    it('a frame shorter than a fixed header', () => {
      rejects(Uint8Array.of(0xc0), 4, MALFORMED, /shorter than a fixed header/);
    });

    it('a remaining length that does not match the frame', () => {
      rejects(Uint8Array.of(0x40, 0x02, 0x00), 4, MALFORMED, /remaining length 2 does not match the 1 bytes/);
    });

    it('packet type 0 (reserved)', () => {
      rejects(pkt(0x00), 4, MALFORMED, /packet type 0 is reserved/);
    });

    it('AUTH (type 15) in MQTT 3.1.1: reserved type, malformed', () => {
      rejects(pkt(0xf0), 4, MALFORMED, /type 15 \(AUTH\) is reserved before MQTT 5/);
    });

    it('AUTH (type 15) in MQTT 3.1', () => {
      rejects(pkt(0xf0, 0x00, 0x00), 3, MALFORMED, /AUTH/);
    });

    it('an unknown protocol version argument', () => {
      rejects(pkt(0xc0), 6 as ProtocolVersion, PROTOCOL, /protocol version 6/);
    });
  });

  describe('lengths inside the packet', () => {
    it('a body too short for its fields', () => {
      rejects(pkt(0x40, 0x00), 4, MALFORMED, /packet identifier: the packet ends before it/);
    });

    it('trailing bytes after PINGREQ', () => {
      rejects(pkt(0xc0, 0x00), 4, MALFORMED, /1 bytes left over after the end of PINGREQ/);
    });

    it('trailing bytes after a 3.1.1 PUBACK', () => {
      rejects(pkt(0x40, 0x00, 0x01, 0x00), 4, MALFORMED, /left over after the end of PUBACK/);
    });

    it('a string longer than the packet', () => {
      rejects(pkt(0x30, 0x00, 0x09, 0x61), 4, MALFORMED, /topic: the packet ends before it \(9 bytes needed, 1 left/);
    });

    it('a property length exceeding the packet', () => {
      rejects(pkt(0x30, str('a'), 0x05, 0x01), 5, MALFORMED, /property length 5 of PUBLISH exceeds the 1 bytes left/);
    });

    it('a property value running past the property length', () => {
      rejects(pkt(0x30, str('a'), 0x02, 0x23, 0x00, 0x01), 5, MALFORMED, /properties.topicAlias: the packet ends before it/);
    });

    it('a property Variable Byte Integer not in its shortest form (MQTT-1.5.5-1)', () => {
      rejects(publish5([0x0b, 0x81, 0x00]), 5, MALFORMED, /not in its shortest form/);
    });

    it('a property Variable Byte Integer over 4 bytes (MQTT-1.5.5-1)', () => {
      rejects(publish5([0x0b, 0x81, 0x81, 0x81, 0x81, 0x01]), 5, MALFORMED, /longer than 4 bytes/);
    });
  });

  describe('PUBLISH', () => {
    it('QoS 3 (MQTT-3.3.1-4)', () => {
      rejects(pkt(0x36, str('a'), 0x00, 0x01), 4, MALFORMED, /QoS is 3 \(MQTT-3.3.1-4\)/);
    });

    it('DUP with QoS 0 (MQTT-3.3.1-2)', () => {
      rejects(pkt(0x38, str('a')), 4, PROTOCOL, /DUP set with QoS 0 \(MQTT-3.3.1-2\)/);
    });

    it('packet identifier 0 with QoS 1 (MQTT-2.3.1-1)', () => {
      rejects(pkt(0x32, str('a'), 0x00, 0x00), 4, PROTOCOL, /packet identifier is 0/);
    });

    it('a "+" wildcard in the topic (MQTT-3.3.2-2)', () => {
      rejects(pkt(0x30, str('a/+')), 4, PROTOCOL, /topic "a\/\+" contains a wildcard \(MQTT-3.3.2-2\)/);
    });

    it('a "#" wildcard in the topic (MQTT-3.3.2-2)', () => {
      rejects(pkt(0x30, str('a/#')), 5, PROTOCOL, /contains a wildcard/);
    });

    it('an empty topic in 3.1.1 (MQTT-4.7.3-1)', () => {
      rejects(pkt(0x30, str('')), 4, PROTOCOL, /topic is empty/);
    });

    it('an empty topic without a topic alias in MQTT 5', () => {
      rejects(pkt(0x30, str(''), props()), 5, PROTOCOL, /topic is empty and there is no topic alias/);
    });
  });

  describe('UTF-8 strings', () => {
    it('an ill-formed sequence (MQTT-1.5.3-1)', () => {
      rejects(pkt(0x30, lenPrefixed([0x61, 0xc3, 0x28])), 4, MALFORMED, /topic is not well-formed UTF-8/);
    });

    it('an overlong encoding (MQTT-1.5.3-1)', () => {
      rejects(pkt(0x30, lenPrefixed([0xc0, 0xaf])), 4, MALFORMED, /not well-formed UTF-8/);
    });

    it('an encoded surrogate U+D800 (MQTT-1.5.3-1)', () => {
      rejects(pkt(0x30, lenPrefixed([0xed, 0xa0, 0x80])), 4, MALFORMED, /not well-formed UTF-8/);
    });

    it('a truncated multi-byte sequence (MQTT-1.5.3-1)', () => {
      rejects(pkt(0x30, lenPrefixed([0x61, 0xe2, 0x82])), 4, MALFORMED, /not well-formed UTF-8/);
    });

    it('U+0000 in a short string (MQTT-1.5.3-2)', () => {
      rejects(pkt(0x30, lenPrefixed([0x61, 0x00, 0x62])), 4, MALFORMED, /topic contains U\+0000/);
    });

    it('U+0000 in a long string (MQTT-1.5.3-2)', () => {
      const long = [...utf8('a/very/long/topic/name/'), 0x00, ...utf8('end')];
      rejects(pkt(0x30, lenPrefixed(long)), 4, MALFORMED, /topic contains U\+0000/);
    });

    it('ill-formed UTF-8 in a user property (MQTT-1.5.4-1)', () => {
      rejects(publish5([0x26, ...str('k'), ...lenPrefixed([0xff])]), 5, MALFORMED, /userProperties value is not well-formed/);
    });
  });

  describe('packet identifiers (MQTT-2.2.1-3, MQTT-2.3.1-1)', () => {
    it('0 in PUBACK', () => {
      rejects(pkt(0x40, 0x00, 0x00), 4, PROTOCOL, /packet identifier is 0/);
    });

    it('0 in SUBSCRIBE', () => {
      rejects(pkt(0x82, 0x00, 0x00, str('a'), 0x00), 4, PROTOCOL, /packet identifier is 0/);
    });

    it('0 in UNSUBSCRIBE', () => {
      rejects(pkt(0xa2, 0x00, 0x00, str('a')), 5, PROTOCOL, /packet identifier is 0/);
    });
  });

  describe('SUBSCRIBE and UNSUBSCRIBE', () => {
    it('an empty SUBSCRIBE payload (MQTT-3.8.3-3)', () => {
      rejects(pkt(0x82, 0x00, 0x01), 4, PROTOCOL, /SUBSCRIBE has no topic filter \(MQTT-3.8.3-3\)/);
    });

    it('an empty UNSUBSCRIBE payload (MQTT-3.10.3-2)', () => {
      rejects(pkt(0xa2, 0x00, 0x01, props()), 5, PROTOCOL, /UNSUBSCRIBE has no topic filter \(MQTT-3.10.3-2\)/);
    });

    it('reserved bits of the 3.1.1 subscription options (MQTT-3.8.3-4)', () => {
      rejects(pkt(0x82, 0x00, 0x01, str('a'), 0x04), 4, MALFORMED, /reserved bits of the subscription options/);
    });

    it('reserved bits of the MQTT 5 subscription options (MQTT-3.8.3-5)', () => {
      rejects(subscribe5(0x40), 5, MALFORMED, /reserved bits of the subscription options of "a" are set/);
    });

    it('subscription QoS 3 (MQTT-3.8.3-4)', () => {
      rejects(pkt(0x82, 0x00, 0x01, str('a'), 0x03), 4, MALFORMED, /subscription QoS of "a" is 3/);
    });

    it('retain handling 3', () => {
      rejects(subscribe5(0x30), 5, PROTOCOL, /retain handling of "a" is 3/);
    });

    it('subscription identifier 0 in SUBSCRIBE', () => {
      rejects(subscribe5(0x00, [0x0b, 0x00]), 5, PROTOCOL, /subscriptionIdentifier must be from 1 to 268435455, got 0/);
    });

    it('subscription identifier twice in SUBSCRIBE', () => {
      rejects(subscribe5(0x00, [0x0b, 0x01], [0x0b, 0x02]), 5, PROTOCOL, /subscriptionIdentifier appears more than once in SUBSCRIBE/);
    });

    it('a 3.1.1 SUBACK return code other than 0, 1, 2, 0x80 (MQTT-3.9.3-2)', () => {
      rejects(pkt(0x90, 0x00, 0x01, 0x03), 4, PROTOCOL, /SUBACK code 0x3 is not defined \(MQTT-3.9.3-2\)/);
    });

    it('an MQTT 5 SUBACK reason code SUBACK may not carry (MQTT-3.9.3-2)', () => {
      rejects(pkt(0x90, 0x00, 0x01, props(), 0x04), 5, PROTOCOL, /SUBACK code 0x4 is not defined/);
    });
  });

  describe('CONNECT', () => {
    const connect4 = (flags: number, ...payload: number[][]) =>
      pkt(0x10, str('MQTT'), 4, flags, 0x00, 0x3c, str('c'), ...payload);

    it('the reserved flag (MQTT-3.1.2-3)', () => {
      rejects(connect4(0x03), 4, MALFORMED, /reserved flag \(bit 0\) is set \(MQTT-3.1.2-3\)/);
    });

    it('will QoS without the will flag (MQTT-3.1.2-13 / 5: MQTT-3.1.2-11)', () => {
      rejects(connect4(0x0a), 4, MALFORMED, /will QoS or will retain set without the will flag/);
    });

    it('will retain without the will flag (MQTT-3.1.2-15 / 5: MQTT-3.1.2-13)', () => {
      rejects(connect4(0x22), 4, MALFORMED, /will QoS or will retain set without the will flag/);
    });

    it('will QoS 3 (MQTT-3.1.2-14 / 5: MQTT-3.1.2-12)', () => {
      rejects(connect4(0x1e, str('w'), str('x')), 4, MALFORMED, /will QoS is 3/);
    });

    it('a password without a user name in 3.1.1 (MQTT-3.1.2-22)', () => {
      rejects(connect4(0x42, str('pw')), 4, MALFORMED, /password flag set without the user name flag \(MQTT-3.1.2-22\)/);
    });

    it('a wrong protocol name (MQTT-3.1.2-1)', () => {
      rejects(pkt(0x10, str('MQTX'), 4, 0x02, 0x00, 0x3c, str('c')), 4, PROTOCOL, /protocol name "MQTX" with level 4/);
    });

    it('a protocol level not matching the name (MQTT-3.1.2-2)', () => {
      rejects(pkt(0x10, str('MQIsdp'), 4, 0x02, 0x00, 0x3c, str('c')), 4, PROTOCOL, /"MQIsdp" with level 4 is not/);
    });

    it('an unknown protocol level (MQTT-3.1.2-2)', () => {
      rejects(pkt(0x10, str('MQTT'), 6, 0x02, 0x00, 0x3c, str('c')), 5, PROTOCOL, /"MQTT" with level 6/);
    });

    it('a will topic with a wildcard (MQTT-3.3.2-2)', () => {
      rejects(connect4(0x06, str('w/#'), str('x')), 4, PROTOCOL, /will topic "w\/#" contains a wildcard/);
    });
  });

  describe('CONNACK', () => {
    it('acknowledge flags bits 7-1 set (MQTT-3.2.2-1)', () => {
      rejects(pkt(0x20, 0x02, 0x00), 4, MALFORMED, /acknowledge flags bits 7-1 are reserved/);
    });

    it('session present with a refusal (MQTT-3.2.2-4 / 5: MQTT-3.2.2-6)', () => {
      rejects(pkt(0x20, 0x01, 0x05), 4, PROTOCOL, /refuses the connection but sets session present/);
    });

    it('an MQTT 5 reason code CONNACK may not carry', () => {
      rejects(pkt(0x20, 0x00, 0x10, props()), 5, PROTOCOL, /reason code 0x10 is not defined for CONNACK/);
    });

    it('maximum QoS 2', () => {
      rejects(pkt(0x20, 0x00, 0x00, props([0x24, 0x02])), 5, PROTOCOL, /maximumQoS must be from 0 to 1, got 2/);
    });
  });

  describe('MQTT 5 properties', () => {
    it('a property not allowed in the packet: Session Expiry Interval in PUBLISH', () => {
      rejects(publish5([0x11, 0, 0, 0, 1]), 5, MALFORMED, /property sessionExpiryInterval is not allowed in PUBLISH/);
    });

    it('a will property in the CONNECT properties', () => {
      rejects(connect5([0x18, 0, 0, 0, 1]), 5, MALFORMED, /willDelayInterval is not allowed in CONNECT/);
    });

    it('a CONNECT property in the will properties', () => {
      const frame = pkt(0x10, str('MQTT'), 5, 0x06, 0x00, 0x3c, props(), str('c'), props([0x11, 0, 0, 0, 1]), str('w'), str('x'));
      rejects(frame, 5, MALFORMED, /sessionExpiryInterval is not allowed in will properties/);
    });

    it('a property given twice: Topic Alias', () => {
      rejects(publish5([0x23, 0, 1], [0x23, 0, 2]), 5, PROTOCOL, /topicAlias appears more than once in PUBLISH/);
    });

    it('a property given twice: Session Expiry Interval in CONNECT', () => {
      rejects(connect5([0x11, 0, 0, 0, 1], [0x11, 0, 0, 0, 1]), 5, PROTOCOL, /sessionExpiryInterval appears more than once/);
    });

    it('an unknown property identifier', () => {
      rejects(publish5([0x05, 0x00]), 5, MALFORMED, /unknown property identifier 0x5 in PUBLISH/);
    });

    it('an unknown property identifier over 255', () => {
      rejects(publish5([0x80, 0x02]), 5, MALFORMED, /unknown property identifier 0x100/);
    });

    it('topic alias 0 (MQTT-3.3.2-8)', () => {
      rejects(publish5([0x23, 0x00, 0x00]), 5, PROTOCOL, /topicAlias must be from 1 to 65535, got 0/);
    });

    it('receive maximum 0', () => {
      rejects(connect5([0x21, 0x00, 0x00]), 5, PROTOCOL, /receiveMaximum must be from 1 to 65535, got 0/);
    });

    it('maximum packet size 0', () => {
      rejects(connect5([0x27, 0, 0, 0, 0]), 5, PROTOCOL, /maximumPacketSize must be from 1 to 4294967295, got 0/);
    });

    it('payload format indicator other than 0 or 1', () => {
      rejects(publish5([0x01, 0x02]), 5, PROTOCOL, /payloadFormatIndicator must be from 0 to 1, got 2/);
    });

    it('request problem information other than 0 or 1', () => {
      rejects(connect5([0x17, 0x05]), 5, PROTOCOL, /requestProblemInformation must be from 0 to 1, got 5/);
    });

    it('a PUBACK reason code PUBACK may not carry (MQTT-3.4.2-1)', () => {
      rejects(pkt(0x40, 0x00, 0x01, 0x04), 5, PROTOCOL, /reason code 0x4 is not defined for PUBACK/);
    });

    it('a DISCONNECT reason code DISCONNECT may not carry', () => {
      rejects(pkt(0xe0, 0x18), 5, PROTOCOL, /reason code 0x18 is not defined for DISCONNECT/);
    });

    it('an UNSUBACK reason code UNSUBACK may not carry', () => {
      rejects(pkt(0xb0, 0x00, 0x01, props(), 0x01), 5, PROTOCOL, /reason code 0x1 is not defined for UNSUBACK/);
    });
  });
});

describe('encode refuses', () => {
  it('QoS 3 (MQTT-3.3.1-4)', () => {
    refuses(publish({ qos: 3 as 0 }), 4, MALFORMED, /qos must be 0, 1 or 2, got 3/);
  });

  it('DUP with QoS 0 (MQTT-3.3.1-2)', () => {
    refuses(publish({ dup: true }), 4, PROTOCOL, /dup must be false with qos 0/);
  });

  it('a missing messageId with QoS 1 (MQTT-2.2.1-3)', () => {
    refuses(publish({ qos: 1 }), 4, PROTOCOL, /messageId is required and non-zero/);
  });

  it('messageId 0 in PUBACK (MQTT-2.2.1-3)', () => {
    refuses({ cmd: 'puback', messageId: 0 }, 5, PROTOCOL, /messageId is required and non-zero/);
  });

  it('a messageId over 65535', () => {
    refuses({ cmd: 'pubrec', messageId: 65536 }, 4, MALFORMED, /messageId must be an integer from 1 to 65535, got 65536/);
  });

  it('a messageId with QoS 0', () => {
    refuses(publish({ messageId: 3 }), 4, PROTOCOL, /messageId must be absent with qos 0/);
  });

  it('a wildcard in a PUBLISH topic (MQTT-3.3.2-2)', () => {
    refuses(publish({ topic: 'a/+/c' }), 4, PROTOCOL, /topic "a\/\+\/c" contains a wildcard/);
  });

  it('an empty PUBLISH topic in 3.1.1', () => {
    refuses(publish({ topic: '' }), 4, PROTOCOL, /topic is empty/);
  });

  it('an empty PUBLISH topic without a topic alias in MQTT 5', () => {
    refuses(publish({ topic: '' }), 5, PROTOCOL, /topic is empty and there is no topicAlias/);
  });

  it('a payload that is not a Uint8Array', () => {
    refuses(publish({ payload: 'hi' as unknown as Uint8Array }), 4, MALFORMED, /payload must be a Uint8Array/);
  });

  it('a topic that is not a string', () => {
    refuses(publish({ topic: 5 as unknown as string }), 4, MALFORMED, /topic must be a string/);
  });

  it('an empty SUBSCRIBE (MQTT-3.8.3-3)', () => {
    refuses({ cmd: 'subscribe', messageId: 1, subscriptions: [] }, 4, PROTOCOL, /subscriptions is empty/);
  });

  it('an empty UNSUBSCRIBE (MQTT-3.10.3-2)', () => {
    refuses({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: [] }, 5, PROTOCOL, /unsubscriptions is empty/);
  });

  it('a subscription with QoS 3', () => {
    refuses({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 3 as 0 }] }, 4, MALFORMED, /subscriptions\[0\].qos/);
  });

  it('retain handling 3', () => {
    refuses({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 0, rh: 3 }] }, 5, PROTOCOL, /subscriptions\[0\].rh must be 0, 1 or 2/);
  });

  it('MQTT 5 subscription options in 3.1.1', () => {
    refuses({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 0, nl: true }] }, 4, PROTOCOL, /nl, rap and rh are MQTT 5 only/);
  });

  it('a property not allowed in the packet', () => {
    refuses(publish({ properties: { sessionExpiryInterval: 1 } as never }), 5, MALFORMED, /properties.sessionExpiryInterval is not allowed in PUBLISH/);
  });

  it('an unknown property name', () => {
    refuses(publish({ properties: { colour: 'red' } as never }), 5, MALFORMED, /properties.colour is not an MQTT 5 property/);
  });

  it('a property repeated where it may appear once', () => {
    refuses(
      { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 0 }], properties: { subscriptionIdentifier: [1, 2] as never } },
      5,
      PROTOCOL,
      /subscriptionIdentifier may appear only once in SUBSCRIBE/,
    );
  });

  it('topic alias 0 (MQTT-3.3.2-8)', () => {
    refuses(publish({ properties: { topicAlias: 0 } }), 5, PROTOCOL, /topicAlias must be from 1 to 65535, got 0/);
  });

  it('a two-byte property over 65535', () => {
    refuses(publish({ properties: { topicAlias: 70000 } }), 5, MALFORMED, /topicAlias must be an integer from 0 to 65535, got 70000/);
  });

  it('a Variable Byte Integer over 268435455', () => {
    refuses(publish({ properties: { subscriptionIdentifier: 268435456 } }), 5, MALFORMED, /subscriptionIdentifier must be an integer from 0 to 268435455/);
  });

  it('a string property that is not a string', () => {
    refuses(publish({ properties: { contentType: 5 as unknown as string } }), 5, MALFORMED, /contentType must be a string/);
  });

  it('a binary property that is not a Uint8Array', () => {
    refuses(publish({ properties: { correlationData: 'x' as unknown as Uint8Array } }), 5, MALFORMED, /correlationData must be a Uint8Array/);
  });

  it('user properties that are not an object', () => {
    refuses(publish({ properties: { userProperties: 'x' as never } }), 5, MALFORMED, /userProperties must be an object/);
  });

  it('a user property value that is not a string', () => {
    refuses(publish({ properties: { userProperties: { a: 1 as never } } }), 5, MALFORMED, /userProperties value must be a string/);
  });

  it('a string with U+0000 (MQTT-1.5.4-2)', () => {
    refuses(publish({ topic: 'a\u0000b' }), 4, MALFORMED, /topic contains U\+0000/);
  });

  it('a string with a lone high surrogate (MQTT-1.5.4-1)', () => {
    refuses(publish({ topic: 'a\ud800b' }), 4, MALFORMED, /topic contains a lone surrogate/);
  });

  it('a string with a lone low surrogate (MQTT-1.5.4-1)', () => {
    refuses({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['\udc00'] }, 4, MALFORMED, /unsubscriptions\[0\] contains a lone surrogate/);
  });

  it('a string longer than 65535 UTF-8 bytes', () => {
    refuses(publish({ topic: 'é'.repeat(40000) }), 4, MALFORMED, /topic is 80000 bytes, over the limit of 65535/);
  });

  it('a binary field longer than 65535 bytes', () => {
    const will = { topic: 'w', payload: new Uint8Array(65536), qos: 0 as const, retain: false };
    refuses({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0, will }, 4, MALFORMED, /will.payload is 65536 bytes/);
  });

  it('a packet over the largest remaining length', () => {
    const big = { length: 268435456 } as Uint8Array;
    Object.setPrototypeOf(big, Uint8Array.prototype);
    refuses(publish({ payload: big }), 4, MALFORMED, /remaining length \d+ is over the limit of 268435455/);
  });

  it('keepalive over 65535', () => {
    refuses({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 65536 }, 4, MALFORMED, /keepalive must be an integer from 0 to 65535/);
  });

  it('a CONNECT whose protocol does not match the version', () => {
    refuses({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0 }, 3, PROTOCOL, /do not match version 3 \(expected MQIsdp 3\)/);
  });

  it('a password without a user name in 3.1.1 (MQTT-3.1.2-22)', () => {
    refuses({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0, password: utf8('pw') }, 4, PROTOCOL, /password without username/);
  });

  it('a will topic with a wildcard', () => {
    const will = { topic: 'w/+', payload, qos: 0 as const, retain: false };
    refuses({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0, will }, 4, PROTOCOL, /will.topic "w\/\+" is not a valid topic name/);
  });

  it('will properties in 3.1.1', () => {
    const will = { topic: 'w', payload, qos: 0 as const, retain: false, properties: { willDelayInterval: 1 } };
    refuses({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0, will }, 4, PROTOCOL, /will.properties are MQTT 5 only/);
  });

  it('properties in 3.1.1', () => {
    refuses({ cmd: 'puback', messageId: 1, properties: { reasonString: 'x' } }, 4, PROTOCOL, /properties of PUBACK are MQTT 5 only/);
  });

  it('a reason code in 3.1.1', () => {
    refuses({ cmd: 'puback', messageId: 1, reasonCode: 0x80 }, 4, PROTOCOL, /reasonCode of PUBACK is MQTT 5 only/);
  });

  it('a DISCONNECT reason code in 3.1.1', () => {
    refuses({ cmd: 'disconnect', reasonCode: 0x04 }, 4, PROTOCOL, /reasonCode of DISCONNECT is MQTT 5 only/);
  });

  it('a reason code the packet may not carry (MQTT-3.4.2-1)', () => {
    refuses({ cmd: 'puback', messageId: 1, reasonCode: 0x04 }, 5, PROTOCOL, /reasonCode 4 is not a PUBACK reason code/);
  });

  it('a SUBACK code outside the 3.1.1 set (MQTT-3.9.3-2)', () => {
    refuses({ cmd: 'suback', messageId: 1, granted: [3] }, 4, PROTOCOL, /granted\[0\] 3 is not a SUBACK code/);
  });

  it('SUBACK granted that is not an array', () => {
    refuses({ cmd: 'suback', messageId: 1, granted: 0 as unknown as number[] }, 4, MALFORMED, /granted must be an array/);
  });

  it('UNSUBACK reason codes in 3.1.1', () => {
    refuses({ cmd: 'unsuback', messageId: 1, granted: [0] }, 4, PROTOCOL, /granted of UNSUBACK is MQTT 5 only/);
  });

  it('an UNSUBACK reason code UNSUBACK may not carry', () => {
    refuses({ cmd: 'unsuback', messageId: 1, granted: [0x02] }, 5, PROTOCOL, /granted\[0\] 2 is not an UNSUBACK reason code/);
  });

  it('a 3.1.1 CONNACK with reasonCode', () => {
    refuses({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, 4, PROTOCOL, /carries returnCode, not reasonCode/);
  });

  it('an MQTT 5 CONNACK with returnCode', () => {
    refuses({ cmd: 'connack', sessionPresent: false, returnCode: 0 }, 5, PROTOCOL, /carries reasonCode, not returnCode/);
  });

  it('a CONNACK return code over 255', () => {
    refuses({ cmd: 'connack', sessionPresent: false, returnCode: 256 }, 4, MALFORMED, /returnCode must be an integer from 0 to 255/);
  });

  it('session present with a refusal (MQTT-3.2.2-6)', () => {
    refuses({ cmd: 'connack', sessionPresent: true, reasonCode: 0x87 }, 5, PROTOCOL, /sessionPresent must be false/);
  });

  it('AUTH in 3.1.1', () => {
    refuses({ cmd: 'auth', reasonCode: 0 }, 4, PROTOCOL, /AUTH exists only in MQTT 5/);
  });

  it('an unknown cmd', () => {
    refuses({ cmd: 'hello' } as unknown as Packet, 4, MALFORMED, /cmd "hello" is not an MQTT packet/);
  });

  it('an unknown protocol version', () => {
    refuses({ cmd: 'pingreq' }, 2 as ProtocolVersion, PROTOCOL, /protocol version 2 is not 3, 4 or 5/);
  });
});
