import { MAX_VARINT } from './byte-writer.js';
import { MALFORMED_PACKET, MqttProtocolError, PACKET_TOO_LARGE } from './errors.js';

/** The largest packet the protocol can carry: a 5-byte fixed header and the largest remaining length. */
const MAX_PACKET = MAX_VARINT + 5;
/** The first buffer for a packet spread over chunks; it doubles from there as bytes arrive. */
const INITIAL_CAPACITY = 64 * 1024;

/** Receives the packets a {@link Framer} finds, as ranges of a buffer. */
export interface FrameSink {
  /**
   * One whole packet (fixed header included): `buf[start, end)`.
   *
   * @param buf the chunk it lies in, or a buffer holding just it.
   * @param start where it starts.
   * @param end one past its last byte.
   */
  frame(buf: Uint8Array, start: number, end: number): void;
}

/**
 * Cuts a stream of byte chunks into whole MQTT packets (fixed header included),
 * whatever the chunk boundaries. It reads only fixed headers; `decode` checks the rest.
 *
 * A packet lying whole inside one chunk is returned as a view of that chunk (no
 * copy). A packet spread over chunks is gathered into one buffer that grows (by
 * doubling, up to the size its fixed header announces) as its bytes arrive, so a peer
 * that announces a huge packet and sends little costs little; a packet over
 * `maxPacketSize` is refused as soon as its length is read, before any of its body
 * is buffered.
 *
 * After `push` has thrown, the framer is unusable: the stream is out of step and
 * every later `push` throws again.
 *
 * @example
 * ```ts
 * const framer = new Framer(1024 * 1024);
 * socket.on('data', (chunk) => framer.push(chunk).forEach((frame) => handle(decode(frame, 5))));
 * ```
 */
export class Framer {
  /** The bytes so far of a packet spread over chunks (its capacity may exceed `filled`). */
  private partial: Uint8Array | undefined;
  /** How many bytes of `partial` are filled. */
  private filled = 0;
  /** The total size of the packet being gathered in `partial`. */
  private expected = 0;
  /** The bytes of a fixed header split across chunks. */
  private readonly header = new Uint8Array(5);
  private headerLength = 0;
  private failure: MqttProtocolError | undefined;

  /**
   * @param maxPacketSize the largest packet accepted, in bytes, fixed header included
   *   (as MQTT 5's Maximum Packet Size counts); the protocol's limit by default.
   */
  constructor(readonly maxPacketSize: number = MAX_PACKET) {}

  /** Whether a bad fixed header put the stream out of step (every later call throws). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** The number of bytes held of a packet not yet complete. */
  get buffered(): number {
    return this.headerLength + this.filled;
  }

  /**
   * Adds a chunk of the byte stream.
   *
   * @param chunk the next bytes, in stream order.
   * @returns the packets this chunk completes, in order (maybe none).
   * @throws MqttProtocolError 0x81 when a remaining length runs over 4 bytes
   *   (MQTT-1.5.5-1), 0x95 when a packet's announced size exceeds `maxPacketSize`.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    this.scan(chunk, {
      frame(buf, start, end) {
        frames.push(start === 0 && end === buf.length ? buf : buf.subarray(start, end));
      },
    });
    return frames;
  }

  /**
   * Adds a chunk of the byte stream and hands each packet it completes to `sink`, in
   * order, as a range of a buffer: no view, no array per chunk. The packets before a
   * bad fixed header reach `sink` before the error is thrown.
   *
   * @example
   * ```ts
   * framer.scan(chunk, { frame: (buf, start, end) => handle(decodeFrame(buf, start, end, 5)) });
   * ```
   * @param chunk the next bytes, in stream order.
   * @param sink receives each whole packet (an exception it throws propagates and
   *   leaves the framer unusable).
   * @throws MqttProtocolError as {@link push} does.
   */
  scan(chunk: Uint8Array, sink: FrameSink): void {
    if (this.failure !== undefined) throw this.failure;
    const n = chunk.length;
    let pos = 0;
    if (this.headerLength > 0) {
      // Complete a fixed header split across chunks, one byte at a time.
      while (this.partial === undefined) {
        if (pos >= n) return;
        this.header[this.headerLength++] = chunk[pos++]!;
        const total = this.frameLength(this.header, 0, this.headerLength);
        if (total > 0) {
          this.begin(total, this.header.subarray(0, this.headerLength));
          this.headerLength = 0;
        }
      }
    }
    if (this.partial !== undefined) {
      const take = Math.min(this.expected - this.filled, n - pos);
      this.append(pos === 0 && take === n ? chunk : chunk.subarray(pos, pos + take));
      pos += take;
      if (this.filled < this.expected) return;
      // Capacity never exceeds `expected`, so the buffer is exactly the packet.
      const whole = this.partial;
      this.partial = undefined;
      this.filled = 0;
      sink.frame(whole, 0, whole.length);
    }
    while (pos < n) {
      const total = this.frameLength(chunk, pos, n);
      if (total === 0) {
        // The fixed header itself continues in the next chunk.
        this.header.set(chunk.subarray(pos, n));
        this.headerLength = n - pos;
        return;
      }
      if (pos + total <= n) {
        const start = pos;
        pos += total;
        sink.frame(chunk, start, pos);
      } else {
        this.begin(total, chunk.subarray(pos, n));
        return;
      }
    }
  }

  /** Starts gathering a packet of `total` bytes whose first bytes are `first`. */
  private begin(total: number, first: Uint8Array): void {
    this.expected = total;
    this.partial = new Uint8Array(Math.min(total, Math.max(INITIAL_CAPACITY, first.length)));
    this.partial.set(first);
    this.filled = first.length;
  }

  /** Appends bytes to the packet being gathered, growing its buffer as needed. */
  private append(bytes: Uint8Array): void {
    const need = this.filled + bytes.length;
    let partial = this.partial!;
    if (need > partial.length) {
      const grown = new Uint8Array(Math.min(this.expected, Math.max(need, partial.length * 2)));
      grown.set(partial.subarray(0, this.filled));
      this.partial = partial = grown;
    }
    partial.set(bytes, this.filled);
    this.filled = need;
  }

  /**
   * The total size of the packet whose fixed header starts at `buf[start]`, or 0
   * when the header is not complete before `end`.
   */
  private frameLength(buf: Uint8Array, start: number, end: number): number {
    let remaining = 0;
    let multiplier = 1;
    for (let i = 1; i <= 4; i++) {
      if (start + i >= end) return 0;
      const b = buf[start + i]!;
      remaining += (b & 0x7f) * multiplier;
      if (b < 0x80) {
        const total = 1 + i + remaining;
        if (total > this.maxPacketSize) {
          throw this.fail(
            new MqttProtocolError(
              `packet of ${total} bytes exceeds the maximum packet size of ${this.maxPacketSize} bytes`,
              PACKET_TOO_LARGE,
            ),
          );
        }
        return total;
      }
      multiplier *= 0x80;
    }
    throw this.fail(
      new MqttProtocolError('fixed header: remaining length longer than 4 bytes (MQTT-1.5.5-1)', MALFORMED_PACKET),
    );
  }

  /** The stream is out of step: every later call throws `error` again. */
  private fail(error: MqttProtocolError): MqttProtocolError {
    this.failure = error;
    this.partial = undefined;
    return error;
  }
}
