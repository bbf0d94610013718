const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Control characters other than tab, newline and carriage return: not text to show. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Decodes bytes as UTF-8 text, or `undefined` when they are not valid UTF-8 or hold
 * control characters (other than tab and line ends).
 *
 * @param bytes the bytes.
 * @returns the text, or `undefined` for binary data.
 */
export function textOf(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  return CONTROL.test(text) ? undefined : text;
}
