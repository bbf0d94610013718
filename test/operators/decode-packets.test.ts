import { TestScheduler } from 'rxjs/testing';
import { decodePackets } from '../../src/operators/decode-packets.js';
import type { Packet } from '../../src/packets/packet.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const bytes = (...b: number[]) => Uint8Array.from(b);

const PUBLISH_V4 = bytes(
  0x32, 0x08, // PUBLISH QoS 1, remaining length 8
  0x00, 0x01, 0x61, // topic "a"
  0x00, 0x07, // packet identifier 7
  0x68, 0x69, 0x21, // payload "hi!"
);
const PUBLISH: Packet = {
  cmd: 'publish',
  topic: 'a',
  payload: bytes(0x68, 0x69, 0x21),
  qos: 1,
  dup: false,
  retain: false,
  messageId: 7,
};
const PUBACK_V5 = bytes(0x40, 0x02, 0x00, 0x07); // PUBACK, remaining length 2, packet id 7, reason code omitted

describe('decodePackets()', () => {
  it('decodes each frame into a packet, in time', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b|', { a: PUBLISH_V4, b: bytes(0xd0, 0x00) });
      expectObservable(source.pipe(decodePackets(4))).toBe('a-b|', { a: PUBLISH, b: { cmd: 'pingresp' } });
    });
  });

  it('decodes with the version it is given', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a|', { a: PUBACK_V5 });
      expectObservable(source.pipe(decodePackets(5))).toBe('a|', { a: { cmd: 'puback', messageId: 7, reasonCode: 0 } });
    });
  });

  it('fails with MqttProtocolError on a malformed packet and unsubscribes from the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // b: packet type 0 is reserved (malformed)
      const source = cold('a-b-a|', { a: PUBLISH_V4, b: bytes(0x00, 0x00) });
      expectObservable(source.pipe(decodePackets(4))).toBe(
        'a-#',
        { a: PUBLISH },
        expect.objectContaining({ name: 'MqttProtocolError', reasonCode: 0x81 }),
      );
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('passes a source error through', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const err = new Error('gone');
      expectObservable(cold<Uint8Array>('-#', undefined, err).pipe(decodePackets(4))).toBe('-#', undefined, err);
    });
  });
});
