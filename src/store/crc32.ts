/** The CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320) lookup table, one entry per byte value. */
const TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 as zlib, PNG and gzip compute it (`crc32('123456789') === 0xcbf43926`), able to
 * continue over several pieces: pass the previous result as `crc`.
 *
 * @example
 * ```ts
 * const whole = crc32(bytes);
 * const same = crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)));
 * ```
 * @param bytes the data.
 * @param crc the CRC of the data before `bytes` (0 to start).
 * @returns the CRC-32 of everything so far, an unsigned 32-bit integer.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
