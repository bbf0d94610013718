/**
 * Inputs found by the coverage-guided fuzzer (`npm run fuzz:decode`, docs/reliability.md
 * § Fuzzing), replayed through the same target: each must now pass its oracle (decode
 * and Framer return or throw MqttProtocolError; an accepted packet round-trips).
 *
 * A new finding: copy the `crash(hex)=` line jsfuzz prints (or `xxd -p .tmp/fuzz/crash-…`)
 * into FINDINGS with what it showed, fix the codec, and keep the row.
 *
 * So far (2.2 million executions over about 10 minutes of runs) the fuzzer has found
 * nothing in the codec; the seed corpus below keeps the target and its oracle honest.
 */
import { fuzz } from './decode-target.js';
import { seedCorpus } from './seed-corpus.js';

/** `[what it showed, input as hex]`: byte 0 picks the version (`% 3` → 3, 4, 5) and the Framer's cut (`/ 3`). */
const FINDINGS: readonly (readonly [string, string])[] = [];

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}

describe('decode fuzz target', () => {
  it('passes every finding of the fuzzer', () => {
    for (const [, hex] of FINDINGS) expect(() => fuzz(fromHex(hex))).not.toThrow();
  });

  it('passes the seed corpus made from the byte vectors (good, decode-only and bad)', () => {
    const seeds = seedCorpus();
    expect(seeds.length).toBeGreaterThan(300);
    for (const input of seeds) fuzz(input);
  });

  it('gives the input as jsfuzz does (a Buffer) the same verdict as a Uint8Array', () => {
    // A QoS 1 PUBLISH (3.1.1): the harness once compared Buffer payloads with Uint8Array ones.
    const input = fromHex('0333090003612f62000a6869');
    expect(() => fuzz(Buffer.from(input))).not.toThrow();
    expect(() => fuzz(input)).not.toThrow();
  });
});
