/**
 * UTF-8 for MQTT strings (MQTT-1.5.4-1/-2 in MQTT 5, MQTT-1.5.3-1/-2 in 3.1.1):
 * well-formed, no surrogates, no U+0000. Fast paths for ASCII, which most topics are.
 */
import { MALFORMED_PACKET, MqttProtocolError } from './errors.js';

/** Strict decoder for the non-ASCII case; keeps a leading U+FEFF (MQTT-1.5.4-3). */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** ASCII strings up to this many bytes are built with String.fromCharCode; longer ones go to TextDecoder. */
const SHORT = 24;

/** The most bytes a UTF-8 string or binary field holds: its length prefix is two bytes. */
export const MAX_FIELD_BYTES = 65535;

/** {@link utf8Length} of a string holding U+0000. */
const HAS_NUL = -1;

/**
 * The UTF-8 length of `s`, or a negative number when `s` may not be sent as an
 * MQTT string (it holds U+0000 or a lone surrogate). Throws nothing and allocates
 * nothing, for hot loops; {@link checkString} says what is wrong.
 *
 * @param s the string.
 * @returns the number of UTF-8 bytes, or -1 (U+0000) or -2 (lone surrogate).
 */
export function utf8Length(s: string): number {
  const n = s.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0) return HAS_NUL;
    } else if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1); // NaN past the end
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return -2;
      bytes += 2; // 4 bytes for the two UTF-16 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * Checks that `s` may be sent as an MQTT string and measures it.
 *
 * @param s the value.
 * @param field the field name for the error message.
 * @returns the number of UTF-8 bytes.
 * @throws MqttProtocolError (0x81) when `s` is not a string, holds U+0000
 *   (MQTT-1.5.4-2) or a lone surrogate (MQTT-1.5.4-1), or is over 65535 bytes.
 */
export function checkString(s: unknown, field: string): number {
  if (typeof s !== 'string') throw new MqttProtocolError(`${field} must be a string`, MALFORMED_PACKET);
  const n = utf8Length(s);
  if (n === HAS_NUL) throw nul(field);
  if (n < 0) throw new MqttProtocolError(`${field} contains a lone surrogate (MQTT-1.5.4-1)`, MALFORMED_PACKET);
  if (n > MAX_FIELD_BYTES) {
    throw new MqttProtocolError(`${field} is ${n} bytes, over the limit of ${MAX_FIELD_BYTES}`, MALFORMED_PACKET);
  }
  return n;
}

/**
 * Writes `s` as UTF-8 into `buf` at `pos`. `s` must have passed {@link utf8Length}
 * and `buf` must have room.
 *
 * @param buf the target.
 * @param pos where to start.
 * @param s the string.
 * @returns the position after the last byte written.
 */
export function writeUtf8(buf: Uint8Array, pos: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) buf[pos++] = c;
    else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      buf[pos++] = 0xf0 | (cp >> 18);
      buf[pos++] = 0x80 | ((cp >> 12) & 0x3f);
      buf[pos++] = 0x80 | ((cp >> 6) & 0x3f);
      buf[pos++] = 0x80 | (cp & 0x3f);
    } else {
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

/**
 * Reads the UTF-8 string in `buf[start..end)`, strictly: ill-formed UTF-8 (overlong
 * forms, surrogates, truncated sequences) and U+0000 are malformed.
 *
 * @param buf the bytes.
 * @param start first byte.
 * @param end one past the last byte.
 * @param field the field name for the error message.
 * @returns the string.
 * @throws MqttProtocolError (0x81) on ill-formed UTF-8 or U+0000.
 */
export function readUtf8(buf: Uint8Array, start: number, end: number, field: string): string {
  if (end - start <= SHORT) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c === 0) throw nul(field);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return shortAscii(buf, start, end);
  }
  let s: string;
  try {
    s = decoder.decode(buf.subarray(start, end));
  } catch {
    throw new MqttProtocolError(`${field} is not well-formed UTF-8 (MQTT-1.5.4-1)`, MALFORMED_PACKET);
  }
  if (s.indexOf('\u0000') !== -1) throw nul(field);
  return s;
}

function nul(field: string): MqttProtocolError {
  return new MqttProtocolError(`${field} contains U+0000 (MQTT-1.5.4-2)`, MALFORMED_PACKET);
}

/** An ASCII string of at most {@link SHORT} bytes, eight characters per call. */
function shortAscii(b: Uint8Array, i: number, end: number): string {
  let s = '';
  for (; i + 8 <= end; i += 8) {
    s += String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
  }
  for (; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}
