import { encode } from '../../src/packets/encode.js';
import type { Packet, PublishPacket } from '../../src/packets/packet.js';
import { OutgoingAliases } from '../../src/protocol/outgoing-aliases.js';
import { publishFits, publishSizeBound } from '../../src/protocol/packet-fits.js';
import { republish } from '../../src/protocol/republish.js';
import { withTopicAlias } from '../../src/protocol/with-topic-alias.js';

const size = (p: Packet): number => encode(p, 5).length;
const pub = (topic: string, payload = new Uint8Array(4), messageId?: number): PublishPacket =>
  messageId === undefined
    ? { cmd: 'publish', topic, payload, qos: 0, dup: false, retain: false }
    : { cmd: 'publish', topic, payload, qos: 1, dup: false, retain: false, messageId };

describe('withTopicAlias', () => {
  it('MQTT 5 3.3.2.3.4: topic and alias the first time, then an empty topic and the alias', () => {
    const aliases = new OutgoingAliases(2);
    const p = pub('a/b', undefined, 7);
    expect(withTopicAlias(p, aliases, 0, size)).toMatchObject({ topic: 'a/b', messageId: 7, properties: { topicAlias: 1 } });
    expect(withTopicAlias(p, aliases, 0, size)).toMatchObject({ topic: '', messageId: 7, properties: { topicAlias: 1 } });
    expect(p.properties).toBeUndefined(); // the packet kept for a resend carries no alias
  });

  it('MQTT-3.2.2-15: not aliased when the alias would break the server\'s Maximum Packet Size; no alias is taken', () => {
    const aliases = new OutgoingAliases(2);
    const p = pub('t', new Uint8Array(10));
    const limit = size(p); // fits exactly, with no room for the 3 bytes of the alias
    expect(withTopicAlias(p, aliases, limit, size)).toBe(p);
    expect(aliases.known('t')).toBe(0);
  });
});

describe('publishFits', () => {
  it('MQTT-3.2.2-15: the exact size decides when the cheap bound is over', () => {
    const p = pub('topic', new Uint8Array(20));
    expect(publishFits(p, size(p), size)).toBe(true);
    expect(publishFits(p, size(p) - 1, size)).toBe(false);
    expect(publishFits(p, 1000, () => Infinity)).toBe(true); // the bound suffices: size never asked
  });

  it('MQTT-3.2.2-15: the cheap bound counts MQTT 5\'s Property Length byte: a worst-case topic one byte over is refused', () => {
    // Ten 3-byte characters, QoS 1, and a payload that puts the remaining length just at
    // a varint boundary: the bound must be exact there, not one short.
    for (const payloadLength of [10, 100, 2_097_152]) {
      const p = pub('中'.repeat(10), new Uint8Array(payloadLength), 1);
      const exact = size(p);
      expect(publishSizeBound(p.topic, payloadLength)).toBeGreaterThanOrEqual(exact);
      expect(publishFits(p, exact - 1, size)).toBe(false);
      expect(publishFits(p, exact, size)).toBe(true);
    }
  });
});

describe('republish', () => {
  it('the same PUBLISH with another topic and properties', () => {
    const p = pub('x', undefined, 3);
    expect(republish(p, '', { topicAlias: 2 })).toEqual({ ...p, topic: '', properties: { topicAlias: 2 } });
    expect('messageId' in republish(pub('x'), 'y', {})).toBe(false);
  });
});
