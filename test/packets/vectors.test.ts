import { isDeepStrictEqual } from 'node:util';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import { Framer } from '../../src/packets/framer.js';
import type { Packet } from '../../src/packets/packet.js';
import { BAD_VECTORS, DECODE_ONLY, VECTORS, type Vector } from './vectors.js';

/** Byte equality without Jest's element-by-element diffing (some vectors are 16 KiB). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/(..)/g, '$1 ').trim();
}

/**
 * Whether `decoded` equals `packet`. A PUBLISH payload is compared with
 * `Buffer.compare` and the rest with `isDeepStrictEqual`: Jest's deep equality takes
 * ~50 ms on a 16 KiB array and `expect` itself ~50 µs, too slow to run 16 000 times.
 * Used only on packets without user properties (whose null prototype strict
 * equality would see).
 */
function samePacket(decoded: Packet, packet: Packet): boolean {
  if (decoded.cmd === 'publish' && packet.cmd === 'publish') {
    return sameBytes(decoded.payload, packet.payload) && isDeepStrictEqual({ ...decoded, payload: null }, { ...packet, payload: null });
  }
  return isDeepStrictEqual(decoded, packet);
}

/**
 * Splits `bytes` at every offset into two chunks and checks the framer returns it as
 * one frame, byte for byte, that decodes to `packet`.
 */
function checkEverySplit({ bytes: raw, packet, version }: Vector): void {
  const bytes = Uint8Array.from(raw);
  const fast = bytes.length > 1024;
  for (let at = 0; at <= bytes.length; at++) {
    const framer = new Framer();
    const first = framer.push(bytes.subarray(0, at));
    if (at < bytes.length && (first.length !== 0 || framer.buffered !== at)) {
      throw new Error(`split at ${at}: first chunk gave ${first.length} frame(s), buffered ${framer.buffered}`);
    }
    const frames = [...first, ...framer.push(bytes.subarray(at))];
    if (frames.length !== 1 || !sameBytes(frames[0]!, bytes) || framer.buffered !== 0) {
      throw new Error(`split at ${at}: got ${frames.length} frame(s): ${frames.map(hex).join(' | ')}`);
    }
    const decoded = decode(frames[0]!, version);
    if (!fast || !samePacket(decoded, packet)) expect(decoded).toEqual(packet);
  }
}

describe('hand-made vectors (MQTT 3.1, 3.1.1, 5.0)', () => {
  describe.each(VECTORS.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const bytes = Uint8Array.from(vector.bytes);

    it('decodes the bytes to the packet', () => {
      expect(decode(bytes, vector.version)).toEqual(vector.packet);
    });

    it('encodes the packet to the bytes', () => {
      const encoded = encode(vector.packet, vector.version);
      if (!sameBytes(encoded, bytes)) expect(hex(encoded)).toBe(hex(bytes));
    });

    it('round-trips the packet through encode and decode', () => {
      expect(decode(encode(vector.packet, vector.version), vector.version)).toEqual(vector.packet);
    });

    it('frames the bytes split in two at every offset', () => {
      checkEverySplit(vector);
    });

    it('frames the bytes pushed one at a time', () => {
      const framer = new Framer();
      const frames = vector.bytes.flatMap((b) => framer.push(Uint8Array.of(b)));
      expect(frames).toHaveLength(1);
      expect(sameBytes(frames[0]!, bytes)).toBe(true);
    });
  });

  it('covers every packet type in every version it exists in', () => {
    const types = (version: number): string[] =>
      [...new Set(VECTORS.filter((v) => v.version === version).map((v) => v.packet.cmd))].sort();
    expect(types(5)).toHaveLength(15);
    expect(types(4)).toHaveLength(14);
    expect(types(3)).toHaveLength(14);
    expect(types(4)).not.toContain('auth');
  });

  it('holds remaining lengths of one, two and three bytes', () => {
    const sizes = new Set(VECTORS.map((v) => v.bytes.slice(1).findIndex((b) => b < 0x80) + 1));
    expect([...sizes].sort()).toEqual([1, 2, 3]);
  });
});

describe('longer encodings the spec allows', () => {
  it.each(DECODE_ONLY.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const bytes = Uint8Array.from(vector.bytes);
    expect(decode(bytes, vector.version)).toEqual(vector.packet);
    expect(hex(encode(vector.packet, vector.version))).toBe(hex(Uint8Array.from(vector.canonical)));
    checkEverySplit(vector);
  });
});

describe('frames the spec refuses', () => {
  it.each(BAD_VECTORS.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    let error: unknown;
    try {
      decode(Uint8Array.from(vector.bytes), vector.version);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MqttProtocolError);
    expect((error as MqttProtocolError).reasonCode).toBe(vector.reasonCode);
  });
});
