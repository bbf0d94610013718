/**
 * Standard base64 of some bytes (for `sub --json`).
 *
 * @param bytes the bytes.
 * @returns the base64 text.
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
