import { encode, encodePublishHeader } from '../../src/packets/encode.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import type { ProtocolVersion, PublishPacket } from '../../src/packets/packet.js';

function payloadOf(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('encodePublishHeader', () => {
  const cases: { name: string; version: ProtocolVersion; packet: PublishPacket }[] = [];
  for (const version of [3, 4, 5] as const) {
    // 0, 1 KiB, 16383 − header (remaining length on 2 bytes) and 16 KiB (3 bytes).
    for (const size of [0, 1024, 16_370, 16_384]) {
      for (const qos of [0, 1, 2] as const) {
        const packet: PublishPacket = {
          cmd: 'publish', topic: 'a/ü/b', payload: payloadOf(size), qos, dup: qos > 0, retain: qos === 1,
          ...(qos > 0 ? { messageId: 300 + qos } : {}),
          ...(version === 5 ? { properties: { contentType: 'bin', userProperties: { k: 'v' } } } : {}),
        };
        cases.push({ name: `MQTT ${version}, ${size} B, QoS ${qos}`, version, packet });
      }
    }
  }

  it.each(cases)('its bytes followed by the payload are encode()’s ($name)', ({ version, packet }) => {
    const head = encodePublishHeader(packet, version);
    expect(joined(head, packet.payload)).toEqual(encode(packet, version));
  });

  it('validates the packet as encode does: DUP with QoS 0 (MQTT-3.3.1-2)', () => {
    const packet: PublishPacket = { cmd: 'publish', topic: 'a', payload: payloadOf(2048), qos: 0, dup: true, retain: false };
    expect(() => encodePublishHeader(packet, 4)).toThrow(MqttProtocolError);
    expect(() => encodePublishHeader(packet, 4)).toThrow(/MQTT-3\.3\.1-2/);
  });

  it('validates the packet as encode does: a wildcard in the topic (MQTT-3.3.2-2)', () => {
    const packet: PublishPacket = { cmd: 'publish', topic: 'a/+', payload: payloadOf(2048), qos: 0, dup: false, retain: false };
    expect(() => encodePublishHeader(packet, 4)).toThrow(/MQTT-3\.3\.2-2/);
  });

  it('refuses MQTT 5 properties in 3.1.1 and an unknown version, as encode does', () => {
    const packet: PublishPacket = {
      cmd: 'publish', topic: 'a', payload: payloadOf(10), qos: 0, dup: false, retain: false, properties: { contentType: 'x' },
    };
    expect(() => encodePublishHeader(packet, 4)).toThrow(/MQTT 5 only/);
    expect(() => encodePublishHeader({ ...packet, properties: undefined }, 6 as ProtocolVersion)).toThrow(/not 3, 4 or 5/);
  });
});
