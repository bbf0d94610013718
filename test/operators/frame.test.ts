import { TestScheduler } from 'rxjs/testing';
import { frame } from '../../src/operators/frame.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const bytes = (...b: number[]) => Uint8Array.from(b);

// Fixtures (MQTT 3.1.1 framing; the framer does not look past the fixed header).
const PINGREQ = bytes(0xc0, 0x00); // PINGREQ, remaining length 0
const CONNACK = bytes(0x20, 0x02, 0x00, 0x00); // CONNACK, remaining length 2, flags, return code
const PUBLISH = bytes(
  0x30, 0x07, // PUBLISH QoS 0, remaining length 7
  0x00, 0x03, 0x61, 0x2f, 0x62, // topic "a/b"
  0x68, 0x69, // payload "hi"
);
/** A PUBLISH whose remaining length (200) takes two bytes. */
const BIG = Uint8Array.from([0x30, 0xc8, 0x01, 0x00, 0x01, 0x78, ...new Array<number>(197).fill(0x2a)]);
const ALL = [PINGREQ, CONNACK, PUBLISH, BIG];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const malformed = (pattern: RegExp) =>
  expect.objectContaining({ name: 'MqttProtocolError', reasonCode: 0x81, message: expect.stringMatching(pattern) });

/**
 * A marble diagram from events at absolute frames: each event is a group of value
 * names (emitted together) and maybe completion, joined with `Nms` time progression so
 * a group's width does not shift later events.
 */
function marble(events: Array<{ frame: number; names: string[]; complete?: boolean }>): string {
  let out = '';
  let now = 0;
  for (const { frame, names, complete } of events) {
    if (frame > now) out += ` ${frame - now}ms `;
    const token = names.join('') + (complete === true ? '|' : '');
    const width = token.length === 1 ? 1 : token.length + 2;
    out += token.length === 1 ? token : `(${token})`;
    now = frame + width;
  }
  return out;
}

/**
 * Feeds `chunks` to frame(), one every 10 frames, and expects ALL's packets at the
 * chunk that completes each of them, then completion.
 */
function expectPackets(chunks: Uint8Array[]): void {
  const ends: number[] = [];
  ALL.reduce((n, p) => (ends.push(n + p.length), n + p.length), 0);
  const input: Record<string, Uint8Array> = {};
  const output: Record<string, Uint8Array> = {};
  const inEvents: Array<{ frame: number; names: string[]; complete?: boolean }> = [];
  const outEvents: Array<{ frame: number; names: string[]; complete?: boolean }> = [];
  let sent = 0;
  let next = 0;
  chunks.forEach((chunk, i) => {
    const name = String.fromCharCode(0x100 + i); // any non-marble character names a value
    input[name] = chunk;
    inEvents.push({ frame: i * 10, names: [name] });
    sent += chunk.length;
    const done: string[] = [];
    for (; next < ALL.length && ends[next]! <= sent; next++) {
      const out = 'pqrs'[next]!;
      output[out] = ALL[next]!;
      done.push(out);
    }
    if (done.length > 0) outEvents.push({ frame: i * 10, names: done });
  });
  inEvents.push({ frame: chunks.length * 10, names: [], complete: true });
  outEvents.push({ frame: chunks.length * 10, names: [], complete: true });
  scheduler().run(({ cold, expectObservable }) => {
    expectObservable(cold(marble(inEvents), input).pipe(frame())).toBe(marble(outEvents), output);
  });
}

describe('frame()', () => {
  it('emits every packet of a chunk that holds many', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a 9ms |', { a: concat(ALL) });
      expectObservable(source.pipe(frame())).toBe('(pqrs) 4ms |', { p: PINGREQ, q: CONNACK, r: PUBLISH, s: BIG });
    });
  });

  it('joins a packet split across chunks, in the fixed header and in the body', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // a: first byte of BIG only; b: the rest of its remaining length and part of the body;
      // c: the body's end and PINGREQ's first byte; d: PINGREQ's last byte
      const source = cold('a-b-c-d|', {
        a: BIG.subarray(0, 1),
        b: BIG.subarray(1, 50),
        c: concat([BIG.subarray(50), PINGREQ.subarray(0, 1)]),
        d: PINGREQ.subarray(1),
      });
      expectObservable(source.pipe(frame())).toBe('----x-y|', { x: BIG, y: PINGREQ });
    });
  });

  it('frames a stream arriving one byte at a time', () => {
    expectPackets(Array.from(concat(ALL), (b) => bytes(b)));
  });

  it('gives the same packets whatever the chunking: two chunks split at every offset', () => {
    const all = concat(ALL);
    for (let cut = 1; cut < all.length; cut++) expectPackets([all.subarray(0, cut), all.subarray(cut)]);
  });

  it('gives the same packets whatever the chunking: three chunks, cut around every header', () => {
    const all = concat(ALL);
    for (let i = 1; i < 20; i++) {
      for (let j = i + 1; j < 24; j++) expectPackets([all.subarray(0, i), all.subarray(i, j), all.subarray(j)]);
    }
  });

  it('fails with MqttProtocolError on a malformed frame and unsubscribes from the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // b: a remaining length of five bytes (MQTT-1.5.5: at most four) — malformed
      const source = cold('a-b-c|', {
        a: PINGREQ,
        b: bytes(0x30, 0xff, 0xff, 0xff, 0xff, 0x01),
        c: CONNACK,
      });
      expectObservable(source.pipe(frame())).toBe('a-#', { a: PINGREQ }, expect.objectContaining({ name: 'MqttProtocolError', reasonCode: 0x81 }));
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('refuses a packet over maxPacketSize from its fixed header (0x95)', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b|', { a: BIG.subarray(0, 3), b: BIG.subarray(3) });
      expectObservable(source.pipe(frame(100))).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'MqttProtocolError', reasonCode: 0x95 }),
      );
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('fails, not completes, when the source completes inside a packet', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b|', { a: PINGREQ, b: PUBLISH.subarray(0, 4) });
      expectObservable(source.pipe(frame())).toBe('a--#', { a: PINGREQ }, malformed(/truncated frame of 4 bytes/));
    });
  });

  it('fails when the source completes inside a fixed header', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a|', { a: BIG.subarray(0, 2) });
      expectObservable(source.pipe(frame())).toBe('-#', undefined, malformed(/truncated frame of 2 bytes/));
    });
  });

  it('passes a source error through', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const err = new Error('socket reset');
      expectObservable(cold('a-#', { a: PUBLISH.subarray(0, 3) }, err).pipe(frame())).toBe('--#', undefined, err);
    });
  });

  it('completes on an empty source', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Uint8Array>('--|').pipe(frame())).toBe('--|');
    });
  });

  it('gives each subscriber its own buffer', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c|', {
        a: PUBLISH.subarray(0, 5),
        b: concat([PUBLISH.subarray(5), CONNACK.subarray(0, 1)]),
        c: CONNACK.subarray(1),
      });
      const framed = source.pipe(frame());
      // The second subscriber starts while the first holds half a PUBLISH.
      expectObservable(framed).toBe('--p-q|', { p: PUBLISH, q: CONNACK });
      expectObservable(framed, '-^').toBe('---p-q|', { p: PUBLISH, q: CONNACK });
    });
  });

  it('unsubscribing tears down the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-a-a-a|', { a: PINGREQ });
      expectObservable(source.pipe(frame()), '^--!').toBe('a-a', { a: PINGREQ });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
