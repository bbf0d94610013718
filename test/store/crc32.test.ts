import { crc32 } from '../../src/store/crc32.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('crc32', () => {
  it('gives the CRC-32 check value of "123456789" (0xcbf43926)', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
  });

  it('gives 0 for no bytes and agrees with zlib on every byte value', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(crc32(every)).toBe(0x29058c73);
  });

  it('continues over pieces: crc32(b, crc32(a)) = crc32(a + b)', () => {
    const all = ascii('the quick brown fox jumps over the lazy dog');
    for (const cut of [0, 1, 9, all.length]) {
      expect(crc32(all.subarray(cut), crc32(all.subarray(0, cut)))).toBe(crc32(all));
    }
  });
});
