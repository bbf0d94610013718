import { MALFORMED_PACKET, MqttProtocolError } from './errors.js';
import { readUtf8 } from './utf8.js';

/**
 * Reads the fields of one packet body, checking that each lies inside it: a field
 * that runs past the end is a Malformed Packet (0x81) naming the field.
 * Binary fields are views of the frame, never copies.
 */
export class ByteReader {
  /**
   * @param buf the frame.
   * @param pos where the body starts.
   * @param end one past the body's last byte.
   */
  constructor(
    public buf: Uint8Array,
    public pos: number,
    public end: number,
  ) {}

  /**
   * Points the reader at another body, so one reader serves every packet decoded.
   *
   * @param buf the frame.
   * @param pos where the body starts.
   * @param end one past the body's last byte.
   * @returns this reader.
   */
  reset(buf: Uint8Array, pos: number, end: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  /** @returns whether bytes are left before `end`. */
  more(): boolean {
    return this.pos < this.end;
  }

  /** @param field the field, for the error. @returns a byte. */
  byte(field: string): number {
    if (this.pos >= this.end) throw short(field, 1, 0);
    return this.buf[this.pos++]!;
  }

  /** @param field the field, for the error. @returns a Two Byte Integer. */
  twoByte(field: string): number {
    const pos = this.pos;
    if (pos + 2 > this.end) throw short(field, 2, this.end - pos);
    this.pos = pos + 2;
    return (this.buf[pos]! << 8) | this.buf[pos + 1]!;
  }

  /** @param field the field, for the error. @returns a Four Byte Integer. */
  fourByte(field: string): number {
    const pos = this.pos;
    const b = this.buf;
    if (pos + 4 > this.end) throw short(field, 4, this.end - pos);
    this.pos = pos + 4;
    return b[pos]! * 0x1000000 + ((b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!);
  }

  /**
   * @param field the field, for the error.
   * @returns a Variable Byte Integer: at most 4 bytes, in its shortest form (MQTT-1.5.5-1).
   */
  varint(field: string): number {
    let value = 0;
    let shift = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.byte(field);
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        if (b === 0 && i > 0) {
          throw new MqttProtocolError(`${field}: Variable Byte Integer not in its shortest form (MQTT-1.5.5-1)`);
        }
        return value;
      }
      shift += 7;
    }
    throw new MqttProtocolError(`${field}: Variable Byte Integer longer than 4 bytes (MQTT-1.5.5-1)`, MALFORMED_PACKET);
  }

  /** @param field the field, for the error. @returns a UTF-8 Encoded String. */
  utf8(field: string): string {
    const n = this.twoByte(field);
    const pos = this.pos;
    if (pos + n > this.end) throw short(field, n, this.end - pos);
    this.pos = pos + n;
    return readUtf8(this.buf, pos, pos + n, field);
  }

  /** @param field the field, for the error. @returns Binary Data, as a view of the frame. */
  binary(field: string): Uint8Array {
    const n = this.twoByte(field);
    return this.bytes(n, field);
  }

  /** @param n how many. @param field the field, for the error. @returns the next `n` bytes, as a view. */
  bytes(n: number, field: string): Uint8Array {
    const pos = this.pos;
    if (pos + n > this.end) throw short(field, n, this.end - pos);
    this.pos = pos + n;
    return this.buf.subarray(pos, pos + n);
  }
}

function short(field: string, need: number, left: number): MqttProtocolError {
  return new MqttProtocolError(
    `${field}: the packet ends before it (${need} bytes needed, ${left} left in the remaining length)`,
    MALFORMED_PACKET,
  );
}
