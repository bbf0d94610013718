const encoder = new TextEncoder();

/** Strings up to this length are tried as ASCII first: TextEncoder costs more than the loop for them. */
const SHORT = 128;

/**
 * A payload string as UTF-8 bytes (lone surrogates become U+FFFD, as with
 * `TextEncoder`), with a fast path for short ASCII strings.
 *
 * @example
 * ```ts
 * encodePayload('21.5'); // Uint8Array [50, 49, 46, 53]
 * ```
 * @param s the payload.
 * @returns its UTF-8 bytes.
 */
export function encodePayload(s: string): Uint8Array {
  const n = s.length;
  if (n > SHORT) return encoder.encode(s);
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(s);
    bytes[i] = c;
  }
  return bytes;
}
