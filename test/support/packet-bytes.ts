/** Small builders for hand-written packet fixtures in the codec tests. */
const encoder = new TextEncoder();

/** A Variable Byte Integer. */
export function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** A UTF-8 Encoded String: two-byte length, then the bytes. */
export function str(s: string): number[] {
  const b = encoder.encode(s);
  return [b.length >> 8, b.length & 0xff, ...b];
}

/** Raw bytes with a two-byte length prefix (a string or binary field). */
export function lenPrefixed(bytes: number[]): number[] {
  return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
}

/** A property list: its Variable Byte Integer length, then the properties. */
export function props(...items: number[][]): number[] {
  const flat = items.flat();
  return [...varint(flat.length), ...flat];
}

/** A whole packet: byte 1 of the fixed header, the remaining length computed, then the body. */
export function pkt(header: number, ...body: (number | number[])[]): Uint8Array {
  const flat = body.flat();
  return Uint8Array.from([header, ...varint(flat.length), ...flat]);
}

/** UTF-8 bytes of a string, as an array. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
