/**
 * The seed corpus of the decode fuzz target, from the hand-made byte vectors of
 * test/packets/vectors.ts: each vector (good, decode-only and bad) under its own version,
 * with the Framer's stream cut at the start, at byte 1, in the middle and at the end.
 */
import { BAD_VECTORS, DECODE_ONLY, VECTORS } from '../packets/vectors.js';
import type { ProtocolVersion } from '../../src/packets/packet.js';

const VERSION_INDEX: Record<ProtocolVersion, number> = { 3: 0, 4: 1, 5: 2 };

/**
 * The seed inputs, in the target's layout (selector byte, then the frame).
 *
 * @returns one input per vector and cut point, without duplicates.
 */
export function seedCorpus(): Uint8Array[] {
  const seen = new Set<string>();
  const inputs: Uint8Array[] = [];
  for (const vector of [...VECTORS, ...DECODE_ONLY, ...BAD_VECTORS]) {
    const n = vector.bytes.length;
    for (const cut of new Set([0, 1, n >> 1, n])) {
      // selector % 3 picks the version, selector / 3 (mod length + 1) the cut: it must fit a byte.
      const selector = VERSION_INDEX[vector.version] + 3 * cut;
      if (selector > 255) continue;
      const input = Uint8Array.from([selector, ...vector.bytes]);
      const key = input.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      inputs.push(input);
    }
  }
  return inputs;
}
