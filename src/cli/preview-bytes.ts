import { textOf } from './text-of.js';

/**
 * A short, one-line view of some bytes for a trace: a JSON string of the text (cut
 * after `max` characters, with `…`), or the first `max / 4` bytes in hex for binary data.
 *
 * @example
 * ```ts
 * previewBytes(new TextEncoder().encode('hello')); // '"hello"'
 * previewBytes(new Uint8Array([0, 255]));          // '<hex 00 ff>'
 * ```
 * @param bytes the bytes.
 * @param max the longest text shown, in characters; default 64.
 * @returns the preview.
 */
export function previewBytes(bytes: Uint8Array, max = 64): string {
  const text = textOf(bytes);
  if (text !== undefined) return text.length > max ? `${JSON.stringify(text.slice(0, max))}…` : JSON.stringify(text);
  const shown = Math.max(1, Math.floor(max / 4));
  let hex = '';
  for (let i = 0; i < bytes.length && i < shown; i++) hex += (i === 0 ? '' : ' ') + (bytes[i] as number).toString(16).padStart(2, '0');
  return `<hex ${hex}${bytes.length > shown ? ' …' : ''}>`;
}
