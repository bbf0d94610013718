import type { StoredSession } from '../../src/store/session-store.js';

/**
 * A session as plain JSON-able data (bytes as hex), so two stores' `load()` compare
 * with `toEqual` and print a readable diff, whatever typed array holds the bytes.
 *
 * @param session what a store loaded.
 * @returns the same content, plain.
 */
export function sessionSnapshot(session: StoredSession): unknown {
  return JSON.parse(
    JSON.stringify(session, (_key, value: unknown) =>
      ArrayBuffer.isView(value) ? `hex:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}` : value,
    ),
  );
}
