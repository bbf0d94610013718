/**
 * Fuzzes `decode` and `Framer` with random frames and mutations of valid ones (bit
 * flips, truncation, inserted and deleted bytes, rewritten lengths, spliced packets).
 * Whatever the bytes, they must return packets / frames or throw MqttProtocolError;
 * any other exception (RangeError, TypeError, …) is a bug. A frame `decode` accepts
 * must also re-encode, and decode again to the same packet.
 *
 * Runs FUZZ_ITERATIONS frames per version (default 100 000), and stops early after
 * FUZZ_SECONDS (default 20) once at least 100 000 frames in all have run. The seed
 * comes from FUZZ_SEED or is drawn at random; a failure prints it: rerun with
 * `FUZZ_SEED=<seed> npx jest test/fuzz`.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import { Framer } from '../../src/packets/framer.js';
import type { Packet, ProtocolVersion } from '../../src/packets/packet.js';
import { VECTORS } from '../packets/vectors.js';
import { packetArb } from '../support/arbitraries.js';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 100_000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 20);
const MIN_TOTAL = Math.min(100_000, 3 * ITERATIONS);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 0x7fffffff));
const VERSIONS: ProtocolVersion[] = [3, 4, 5];
const BATCH = 1000;

/** mulberry32: a small seeded PRNG, so a failing run replays from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (rand: Rand, n: number): number => Math.floor(rand() * n);
/** Bytes that sit on boundaries: varint continuation, UTF-8 lead bytes, flags, property ids. */
const INTERESTING = [0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xed, 0xef, 0xf0, 0xff, 0x0b, 0x26, 0x23];

/** A variable byte integer, possibly over-long or unterminated, for a length field. */
function randomVarint(rand: Rand): number[] {
  switch (int(rand, 4)) {
    case 0:
      return [int(rand, 0x80)];
    case 1:
      return [0x80 | int(rand, 0x80), int(rand, 0x80)];
    case 2:
      return [0xff, 0xff, 0xff, 0x7f]; // the largest remaining length
    default:
      return Array.from({ length: 1 + int(rand, 5) }, () => 0x80 | int(rand, 0x80)); // never terminates
  }
}

/** One mutation of `frame` (a fresh array; `frame` is not changed). */
function mutate(rand: Rand, frame: Uint8Array, corpus: Uint8Array[]): Uint8Array {
  const b = Array.from(frame);
  const at = (): number => int(rand, b.length + 1);
  switch (int(rand, 11)) {
    case 0: // flip one to three bits
      for (let k = 1 + int(rand, 3); k > 0 && b.length > 0; k--) b[int(rand, b.length)]! ^= 1 << int(rand, 8);
      break;
    case 1: // truncate
      b.length = int(rand, b.length + 1);
      break;
    case 2: // insert random bytes
      b.splice(at(), 0, ...Array.from({ length: 1 + int(rand, 4) }, () => int(rand, 256)));
      break;
    case 3: // delete bytes
      b.splice(int(rand, b.length), 1 + int(rand, 4));
      break;
    case 4: // overwrite a byte with a boundary value
      if (b.length > 0) b[int(rand, b.length)] = INTERESTING[int(rand, INTERESTING.length)]!;
      break;
    case 5: {
      // rewrite the remaining length
      let end = 1;
      while (end < b.length && end < 5 && b[end]! >= 0x80) end++;
      b.splice(1, end, ...randomVarint(rand));
      break;
    }
    case 6: // change the packet type and flags
      if (b.length > 0) b[0] = int(rand, 256);
      break;
    case 7: // grow or shrink a two-byte length prefix somewhere in the body
      if (b.length > 3) {
        const i = 2 + int(rand, b.length - 3);
        const n = ((b[i]! << 8) | b[i + 1]!) + (rand() < 0.5 ? -1 : 1) * (1 + int(rand, 3));
        b[i] = (n >> 8) & 0xff;
        b[i + 1] = n & 0xff;
      }
      break;
    case 8: // splice the tail of another packet on
      b.splice(at(), b.length, ...corpus[int(rand, corpus.length)]!.subarray(int(rand, 8)));
      break;
    case 9: // insert a property identifier (valid or not) with a random value byte
      b.splice(at(), 0, int(rand, 0x30), int(rand, 256));
      break;
    default: // duplicate a slice of the frame in place
      if (b.length > 2) {
        const from = int(rand, b.length);
        b.splice(at(), 0, ...b.slice(from, from + 1 + int(rand, 8)));
      }
  }
  return Uint8Array.from(b);
}

/** A frame built from nothing: a valid-looking fixed header over random bytes, or pure noise. */
function randomFrame(rand: Rand): Uint8Array {
  const body = Array.from({ length: int(rand, 48) }, () => (rand() < 0.3 ? INTERESTING[int(rand, INTERESTING.length)]! : int(rand, 256)));
  if (rand() < 0.5) return Uint8Array.from(body);
  const header = (1 + int(rand, 15)) << 4 | [0, 2, int(rand, 16)][int(rand, 3)]!;
  return Uint8Array.from([header, ...encodeLength(body.length), ...body]);
}

function encodeLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 256)).toString('hex') + (bytes.length > 256 ? '…' : '');
}

/** A failure: anything thrown that is not an MqttProtocolError, or a decode that does not round-trip. */
class FuzzFailure extends Error {}

/**
 * Runs `fn`, which may throw only MqttProtocolError.
 *
 * @returns its result, or undefined when it threw an MqttProtocolError.
 */
function allowed<T>(what: string, frame: Uint8Array, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MqttProtocolError) return undefined;
    const e = err as Error;
    throw new FuzzFailure(`${what} threw ${e?.name}: ${e?.message} on ${hex(frame)}\n${e?.stack ?? ''}`);
  }
}

/** decode must throw MqttProtocolError or give a packet that encodes and decodes back to itself. */
function checkDecode(frame: Uint8Array, version: ProtocolVersion): void {
  const packet = allowed('decode', frame, () => decode(frame, version));
  if (packet === undefined) return;
  if (typeof packet !== 'object' || typeof packet.cmd !== 'string') {
    throw new FuzzFailure(`decode returned ${String(packet)} for ${hex(frame)}`);
  }
  // A CONNECT is decoded by the level it carries, whatever `version` says.
  const v = packet.cmd === 'connect' ? packet.protocolVersion : version;
  let again: Packet;
  try {
    again = decode(encode(packet, v), v);
  } catch (err) {
    throw new FuzzFailure(`decode accepted ${hex(frame)} as ${JSON.stringify(packet)} but re-encoding failed: ${String(err)}`);
  }
  if (!isDeepStrictEqual(again, packet)) {
    throw new FuzzFailure(`decode(encode(decode(${hex(frame)}))) differs: ${JSON.stringify(again)} vs ${JSON.stringify(packet)}`);
  }
}

/**
 * The framer, fed the bytes in random chunks, must only give frames or
 * MqttProtocolError. Its maximum packet size is mostly 1 MiB, as a client would set
 * it: under the default (the protocol's 256 MiB) a mutated remaining length makes the
 * framer allocate up to 256 MiB for the partial packet at once, which works but
 * spends the run in the garbage collector. Sometimes the default, sometimes tiny.
 */
function checkFramer(rand: Rand, stream: Uint8Array, version: ProtocolVersion): void {
  const r = rand();
  const framer = new Framer(r < 0.01 ? undefined : r < 0.2 ? 1 + int(rand, 64) : 1 << 20);
  let pos = 0;
  while (pos < stream.length) {
    const end = Math.min(stream.length, pos + 1 + int(rand, 16));
    const chunk = stream.subarray(pos, end);
    const frames = allowed('Framer.push', stream, () => framer.push(chunk));
    if (frames === undefined) {
      // After an error the framer stays failed (framer.ts): it must throw the same kind again.
      allowed('Framer.push after an error', stream, () => framer.push(Uint8Array.of(0)));
      return;
    }
    for (const f of frames) checkDecode(f, version);
    pos = end;
  }
}

describe('decode and Framer under random and mutated frames', () => {
  it(`return packets or throw MqttProtocolError only (seed ${SEED})`, () => {
    const rand = prng(SEED);
    const corpus = new Map<ProtocolVersion, Uint8Array[]>();
    for (const v of VERSIONS) {
      const generated = fc.sample(packetArb(v), { seed: SEED + v, numRuns: 400 }).map((p) => encode(p, v));
      const vectors = VECTORS.filter((x) => x.version === v).map((x) => Uint8Array.from(x.bytes));
      corpus.set(v, [...generated, ...vectors]);
    }
    const counts = new Map<ProtocolVersion, number>(VERSIONS.map((v) => [v, 0]));
    const started = performance.now();
    let total = 0;
    try {
      for (;;) {
        const timeUp = performance.now() - started > SECONDS * 1000 && total >= MIN_TOTAL;
        const pending = VERSIONS.filter((v) => counts.get(v)! < ITERATIONS);
        if (pending.length === 0 || timeUp) break;
        for (const v of pending) {
          const frames = corpus.get(v)!;
          for (let i = 0; i < BATCH; i++) {
            let frame: Uint8Array;
            const r = rand();
            if (r < 0.1) frame = randomFrame(rand);
            else {
              frame = frames[int(rand, frames.length)]!;
              for (let m = 1 + int(rand, r < 0.7 ? 1 : 4); m > 0; m--) frame = mutate(rand, frame, frames);
            }
            checkDecode(frame, v);
            // Every 4th frame also goes through a framer, after a valid packet so the stream is in step.
            if (i % 4 === 0) {
              const valid = frames[int(rand, frames.length)]!;
              const stream = new Uint8Array(valid.length + frame.length);
              stream.set(valid);
              stream.set(frame, valid.length);
              checkFramer(rand, stream, v);
            }
          }
          counts.set(v, counts.get(v)! + BATCH);
          total += BATCH;
        }
      }
    } catch (err) {
      if (err instanceof FuzzFailure) {
        throw new Error(`fuzz failure with FUZZ_SEED=${SEED} after ${total} frames: ${err.message}`);
      }
      throw err;
    }
    console.log(`fuzz: seed ${SEED}, ${total} frames (${VERSIONS.map((v) => `v${v} ${counts.get(v)}`).join(', ')})`);
    expect(total).toBeGreaterThanOrEqual(MIN_TOTAL);
  }, 600_000);
});
