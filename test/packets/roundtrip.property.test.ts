import fc from 'fast-check';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { Framer } from '../../src/packets/framer.js';
import type { ProtocolVersion } from '../../src/packets/packet.js';
import { CMDS, packetArb, packetOfArb } from '../support/arbitraries.js';

const VERSIONS: ProtocolVersion[] = [3, 4, 5];

/** Cuts `bytes` at the given offsets (taken modulo its length, deduplicated, sorted). */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const at = [...new Set(offsets.map((o) => (bytes.length === 0 ? 0 : o % (bytes.length + 1))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, to)); // empty chunks too: the framer must take them
    from = to;
  }
  return chunks;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

describe.each(VERSIONS)('MQTT version %i', (version) => {
  describe('decode(encode(p)) = p', () => {
    it.each(CMDS[version].map((cmd) => [cmd]))('%s', (cmd) => {
      fc.assert(
        fc.property(packetOfArb(cmd, version), (packet) => {
          expect(decode(encode(packet, version), version)).toEqual(packet);
        }),
        { numRuns: 300 },
      );
    });
  });

  it('encodes canonically: encode(decode(encode(p))) gives the same bytes', () => {
    fc.assert(
      fc.property(packetArb(version), (packet) => {
        const bytes = encode(packet, version);
        expect(Buffer.from(encode(decode(bytes, version), version))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('frames a stream of packets cut into arbitrary chunks', () => {
    fc.assert(
      fc.property(
        fc.array(packetArb(version), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (packets, offsets) => {
          const encoded = packets.map((p) => encode(p, version));
          const framer = new Framer();
          const frames = cut(concat(encoded), offsets).flatMap((chunk) => framer.push(chunk));
          expect(framer.buffered).toBe(0);
          expect(frames.map((f) => Buffer.from(f))).toEqual(encoded.map((e) => Buffer.from(e)));
          expect(frames.map((f) => decode(f, version))).toEqual(packets);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('frames a stream of packets pushed one byte at a time', () => {
    fc.assert(
      fc.property(fc.array(packetArb(version), { minLength: 1, maxLength: 5 }), (packets) => {
        const stream = concat(packets.map((p) => encode(p, version)));
        const framer = new Framer();
        const frames: Uint8Array[] = [];
        for (let i = 0; i < stream.length; i++) frames.push(...framer.push(stream.subarray(i, i + 1)));
        expect(framer.buffered).toBe(0);
        expect(frames.map((f) => decode(f, version))).toEqual(packets);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps no reference to a pushed chunk it has to gather across', () => {
    // A packet spread over chunks is copied, so reusing the caller's buffer after push
    // (as a socket library may) cannot change a frame already returned.
    fc.assert(
      fc.property(packetArb(version), fc.nat(), (packet, offset) => {
        const bytes = encode(packet, version);
        const at = offset % (bytes.length + 1);
        const first = Uint8Array.from(bytes.subarray(0, at));
        const second = Uint8Array.from(bytes.subarray(at));
        const framer = new Framer();
        const frames = [...framer.push(first), ...framer.push(second)];
        first.fill(0xff);
        expect(frames).toHaveLength(1);
        if (at > 0 && at < bytes.length) expect(Buffer.from(frames[0]!)).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
  });
});
