import { writeUtf8 } from './utf8.js';

/** The largest Variable Byte Integer (MQTT 5.0 section 1.5.5), and the largest remaining length. */
export const MAX_VARINT = 268435455;

/**
 * The number of bytes the Variable Byte Integer `n` takes.
 *
 * @param n a value from 0 to {@link MAX_VARINT}.
 * @returns 1 to 4.
 */
export function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

/** Packets up to this size are carved from a shared slab; bigger ones get their own buffer. */
const POOLED_MAX = 8 * 1024;
const SLAB_SIZE = 64 * 1024;
let slab: ArrayBuffer | undefined;
let slabOffset = 0;

/**
 * A zeroed array of `n` bytes. Small ones are views of a shared slab, as Node's
 * Buffer pool does, because allocating an ArrayBuffer per packet costs more than
 * encoding it; so a packet's `byteOffset` may be non-zero and its `buffer` larger.
 */
function allocate(n: number): Uint8Array {
  if (n > POOLED_MAX) return new Uint8Array(n);
  if (slab === undefined || slabOffset + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabOffset = 0;
  }
  const bytes = new Uint8Array(slab, slabOffset, n);
  slabOffset = (slabOffset + n + 7) & ~7; // keep views 8-byte aligned
  return bytes;
}

/**
 * Writes a packet (or all of it but its payload) into one array allocated at its
 * exact size. Values must already have been validated by the encoder; the writer
 * checks nothing.
 */
export class ByteWriter {
  /** The packet's bytes. */
  readonly buf: Uint8Array;
  /** The next position to write. */
  pos = 0;

  /**
   * Allocates the packet and writes its fixed header.
   *
   * @param header byte 1 of the fixed header (type and flags).
   * @param remaining the remaining length.
   * @param unwritten how many bytes at the end of the packet (a payload sent
   *   separately) are counted in `remaining` but not written here: the array is that
   *   much shorter.
   */
  constructor(header: number, remaining: number, unwritten = 0) {
    this.buf = allocate(1 + varintSize(remaining) + remaining - unwritten);
    this.buf[0] = header;
    this.pos = 1;
    this.varint(remaining);
  }

  /** @param v a byte. */
  byte(v: number): void {
    this.buf[this.pos++] = v;
  }

  /** @param v a Two Byte Integer, big-endian. */
  twoByte(v: number): void {
    const buf = this.buf;
    buf[this.pos++] = v >>> 8;
    buf[this.pos++] = v;
  }

  /** @param v a Four Byte Integer, big-endian. */
  fourByte(v: number): void {
    const buf = this.buf;
    buf[this.pos++] = v >>> 24;
    buf[this.pos++] = v >>> 16;
    buf[this.pos++] = v >>> 8;
    buf[this.pos++] = v;
  }

  /** @param v a Variable Byte Integer, in its shortest form (MQTT-1.5.5-1). */
  varint(v: number): void {
    const buf = this.buf;
    while (v >= 0x80) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  /** @param s a UTF-8 Encoded String: two-byte length, then the bytes. */
  utf8(s: string): void {
    const start = this.pos;
    const end = writeUtf8(this.buf, start + 2, s);
    const n = end - start - 2;
    this.buf[start] = n >>> 8;
    this.buf[start + 1] = n;
    this.pos = end;
  }

  /** @param b Binary Data: two-byte length, then the bytes. */
  binary(b: Uint8Array): void {
    this.twoByte(b.length);
    this.raw(b);
  }

  /** @param b bytes copied as they are (a payload). */
  raw(b: Uint8Array): void {
    const n = b.length;
    if (n < 16) {
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos++] = b[i]!;
    } else this.buf.set(b, this.pos);
    this.pos += n;
  }
}
