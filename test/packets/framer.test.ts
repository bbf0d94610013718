import { MqttProtocolError } from '../../src/packets/errors.js';
import { Framer } from '../../src/packets/framer.js';

const PINGREQ = Uint8Array.of(0xc0, 0x00); // PINGREQ, remaining length 0
const PUBACK = Uint8Array.of(0x40, 0x02, 0x00, 0x01); // PUBACK, remaining length 2, packet id 1
/** A PUBLISH whose remaining length (200) takes two bytes: 0xc8 0x01. */
const BIG = Uint8Array.from([0x30, 0xc8, 0x01, 0x00, 0x01, 0x78, ...new Array<number>(197).fill(0x2a)]);
const ALL = [PINGREQ, PUBACK, BIG, PINGREQ];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('Framer', () => {
  it('returns every whole frame of one chunk, in order', () => {
    const framer = new Framer();
    expect(framer.push(concat(ALL))).toEqual(ALL);
    expect(framer.buffered).toBe(0);
  });

  it('returns a frame lying whole inside a chunk as a view of that chunk, without copying', () => {
    const chunk = concat(ALL);
    const frames = new Framer().push(chunk);
    for (const f of frames) expect(f.buffer).toBe(chunk.buffer);
    expect(frames[2]!.byteOffset).toBe(chunk.byteOffset + PINGREQ.length + PUBACK.length);
  });

  it('returns nothing for an empty chunk', () => {
    const framer = new Framer();
    expect(framer.push(new Uint8Array(0))).toEqual([]);
    expect(framer.buffered).toBe(0);
  });

  it('finds the same frames whatever the split point', () => {
    const all = concat(ALL);
    for (let cut = 0; cut <= all.length; cut++) {
      const framer = new Framer();
      const frames = [...framer.push(all.subarray(0, cut)), ...framer.push(all.subarray(cut))];
      expect(frames).toEqual(ALL);
      expect(framer.buffered).toBe(0);
    }
  });

  it('finds the same frames when fed one byte at a time', () => {
    const all = concat(ALL);
    const framer = new Framer();
    const frames: Uint8Array[] = [];
    for (let i = 0; i < all.length; i++) frames.push(...framer.push(all.subarray(i, i + 1)));
    expect(frames).toEqual(ALL);
  });

  it('finds the same frames for every pair of cuts', () => {
    const all = concat([PUBACK, BIG.subarray(0, 0), PINGREQ, PUBACK]);
    const expected = [PUBACK, PINGREQ, PUBACK];
    for (let a = 0; a <= all.length; a++) {
      for (let b = a; b <= all.length; b++) {
        const framer = new Framer();
        const frames = [...framer.push(all.subarray(0, a)), ...framer.push(all.subarray(a, b)), ...framer.push(all.subarray(b))];
        expect(frames).toEqual(expected);
      }
    }
  });

  it('counts the bytes held of an incomplete frame', () => {
    const framer = new Framer();
    expect(framer.push(BIG.subarray(0, 2))).toEqual([]); // a fixed header cut inside its remaining length
    expect(framer.buffered).toBe(2);
    expect(framer.push(BIG.subarray(2, 50))).toEqual([]);
    expect(framer.buffered).toBe(50);
    expect(framer.push(BIG.subarray(50))).toEqual([BIG]);
    expect(framer.buffered).toBe(0);
  });

  it('accepts a packet exactly at maxPacketSize (fixed header included)', () => {
    const framer = new Framer(BIG.length);
    expect(framer.push(BIG)).toEqual([BIG]);
  });

  it('refuses a packet over maxPacketSize with 0x95, counting the fixed header', () => {
    const framer = new Framer(BIG.length - 1);
    const err = thrown(() => framer.push(BIG));
    expect(err).toBeInstanceOf(MqttProtocolError);
    expect(err).toMatchObject({ reasonCode: 0x95, message: expect.stringMatching(/packet of 203 bytes exceeds the maximum packet size of 202/) });
  });

  it('refuses an announced 200 MB packet from its fixed header alone, before buffering its body', () => {
    const framer = new Framer(1024 * 1024);
    // PUBLISH, remaining length 200 000 000 = 0x80 0x84 0xaf 0x5f: only the fixed header arrives.
    const header = Uint8Array.of(0x30, 0x80, 0x84, 0xaf, 0x5f);
    expect(() => framer.push(header)).toThrow(MqttProtocolError);
    expect(framer.buffered).toBe(0);
  });

  it('refuses an oversized packet whose fixed header is split across chunks', () => {
    const framer = new Framer(100);
    expect(framer.push(Uint8Array.of(0x30, 0x80))).toEqual([]);
    const err = thrown(() => framer.push(Uint8Array.of(0x84, 0xaf, 0x5f)));
    expect(err).toMatchObject({ reasonCode: 0x95 });
  });

  it('refuses a remaining length over 4 bytes with 0x81 (MQTT-1.5.5-1)', () => {
    const framer = new Framer();
    const err = thrown(() => framer.push(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01)));
    expect(err).toBeInstanceOf(MqttProtocolError);
    expect(err).toMatchObject({ reasonCode: 0x81, message: expect.stringMatching(/longer than 4 bytes \(MQTT-1.5.5-1\)/) });
  });

  it('refuses a remaining length over 4 bytes fed one byte at a time', () => {
    const framer = new Framer();
    for (const b of [0x30, 0xff, 0xff, 0xff]) expect(framer.push(Uint8Array.of(b))).toEqual([]);
    expect(() => framer.push(Uint8Array.of(0xff))).toThrow(MqttProtocolError);
  });

  it('stays unusable after a throw', () => {
    const framer = new Framer(10);
    const first = thrown(() => framer.push(BIG));
    expect(() => framer.push(PINGREQ)).toThrow(first as Error);
  });

  it('gathers a frame spread over chunks into one buffer of the announced size', () => {
    const framer = new Framer();
    framer.push(BIG.subarray(0, 10));
    framer.push(BIG.subarray(10, 100));
    const [frame] = framer.push(concat([BIG.subarray(100), PINGREQ]));
    expect(frame).toEqual(BIG);
    expect(frame!.buffer.byteLength).toBe(BIG.length);
  });

  it('takes a whole chunk as the middle of a frame', () => {
    const framer = new Framer();
    framer.push(BIG.subarray(0, 10));
    expect(framer.push(BIG.slice(10, 100))).toEqual([]);
    expect(framer.push(BIG.subarray(100))).toEqual([BIG]);
  });

  it('completes a zero-length frame whose header was split', () => {
    const framer = new Framer();
    expect(framer.push(Uint8Array.of(0xc0))).toEqual([]);
    expect(framer.buffered).toBe(1);
    expect(framer.push(Uint8Array.of(0x00, 0xd0, 0x00))).toEqual([PINGREQ, Uint8Array.of(0xd0, 0x00)]);
  });

  it('scan hands every frame to the sink as a range of the chunk or of the gathered buffer', () => {
    const framer = new Framer();
    const seen: Uint8Array[] = [];
    const sink = { frame: (buf: Uint8Array, start: number, end: number) => seen.push(buf.slice(start, end)) };
    const all = concat(ALL);
    framer.scan(all.subarray(0, 10), sink);
    framer.scan(all.subarray(10), sink);
    expect(seen).toEqual(ALL);
  });

  it('scan hands over the frames ahead of a bad fixed header before it throws', () => {
    const framer = new Framer(100);
    const seen: Uint8Array[] = [];
    const sink = { frame: (buf: Uint8Array, start: number, end: number) => seen.push(buf.slice(start, end)) };
    const err = thrown(() => framer.scan(concat([PUBACK, PINGREQ, BIG]), sink));
    expect(err).toMatchObject({ reasonCode: 0x95 });
    expect(seen).toEqual([PUBACK, PINGREQ]);
    expect(framer.failed).toBe(true);
  });

  it('an exception from the sink propagates and is not a framing failure', () => {
    const framer = new Framer();
    const boom = new Error('sink');
    expect(thrown(() => framer.scan(PUBACK, { frame: () => { throw boom; } }))).toBe(boom);
    expect(framer.failed).toBe(false);
  });

  it('accepts the default maximum: the protocol limit', () => {
    expect(new Framer().maxPacketSize).toBe(268435455 + 5);
  });
});
