import { TestScheduler } from 'rxjs/testing';
import { decodePackets } from '../../src/operators/decode-packets.js';
import { encodePackets } from '../../src/operators/encode-packets.js';
import { frame } from '../../src/operators/frame.js';
import type { Packet, ProtocolVersion } from '../../src/packets/packet.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

const common: Packet[] = [
  { cmd: 'publish', topic: 'a/b', payload: text('hello'), qos: 0, dup: false, retain: true },
  { cmd: 'publish', topic: 'x', payload: new Uint8Array(300).fill(7), qos: 2, dup: true, retain: false, messageId: 65535 },
  { cmd: 'pingreq' },
];
const subscribe34: Packet = { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/+', qos: 1 }] };
const byVersion: Record<ProtocolVersion, Packet[]> = {
  3: [...common, subscribe34, { cmd: 'puback', messageId: 9 }],
  4: [...common, subscribe34, { cmd: 'puback', messageId: 9 }, { cmd: 'disconnect' }],
  5: [
    ...common,
    // MQTT 5 always sends the subscription options, so the canonical form has them
    { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/+', qos: 1, nl: true, rap: false, rh: 2 }] },
    { cmd: 'puback', messageId: 9, reasonCode: 0x10 },
    {
      cmd: 'publish',
      topic: 'p',
      payload: text('{}'),
      qos: 1,
      dup: false,
      retain: false,
      messageId: 3,
      properties: { contentType: 'application/json', userProperties: { k: 'v' } },
    },
    { cmd: 'disconnect', reasonCode: 0 },
  ],
};

describe('encodePackets()', () => {
  it('encodes each packet, in time', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<Packet>('a-b|', { a: { cmd: 'pingreq' }, b: { cmd: 'puback', messageId: 7 } });
      expectObservable(source.pipe(encodePackets(4))).toBe('a-b|', {
        a: bytes(0xc0, 0x00), // PINGREQ, remaining length 0
        b: bytes(0x40, 0x02, 0x00, 0x07), // PUBACK, remaining length 2, packet id 7
      });
    });
  });

  it.each([3, 4, 5] as const)('round-trips through frame() and decodePackets() in version %i', (version) => {
    const packets = byVersion[version];
    const values = Object.fromEntries(packets.map((p, i) => [String.fromCharCode(0x61 + i), p]));
    const diagram = `${Object.keys(values).join('')}|`;
    scheduler().run(({ cold, expectObservable }) => {
      const roundTrip = cold(diagram, values).pipe(encodePackets(version), frame(), decodePackets(version));
      expectObservable(roundTrip).toBe(diagram, values);
    });
  });

  it('fails the stream when a packet cannot be encoded, and unsubscribes from the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const bogus = { cmd: 'bogus' } as unknown as Packet;
      const source = cold<Packet>('a-b-a|', { a: { cmd: 'pingreq' }, b: bogus });
      expectObservable(source.pipe(encodePackets(4))).toBe('a-#', { a: bytes(0xc0, 0x00) }, expect.any(Error));
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });
});
