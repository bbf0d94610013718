import { decode } from '../../src/packets/decode.js';
import { encodeQueued, packetId, queueNumber, QUEUED_ID } from '../../src/store/stored-values.js';

describe('stored values (shared by the file and IndexedDB stores)', () => {
  it('MQTT-2.2.1-3 / MQTT-2.3.1-1: packet identifiers 1..65535; queue numbers non-negative safe integers', () => {
    expect([1, 65535].map(packetId)).toEqual([1, 65535]);
    for (const bad of [0, 65536, 1.5, NaN]) expect(() => packetId(bad)).toThrow(RangeError);
    expect([0, 2 ** 32 + 1].map(queueNumber)).toEqual([0, 2 ** 32 + 1]);
    for (const bad of [-1, 0.5, 2 ** 53]) expect(() => queueNumber(bad)).toThrow('a queue number is a non-negative safe integer');
  });

  it('a queued PUBLISH is encoded as MQTT 5 with the placeholder identifier', () => {
    const packet = { cmd: 'publish' as const, topic: 't', payload: new Uint8Array([1]), qos: 1 as const, dup: false, retain: false };
    expect(decode(encodeQueued(packet), 5)).toMatchObject({ ...packet, messageId: QUEUED_ID });
  });
});
