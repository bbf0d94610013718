/**
 * The message of something thrown: an Error's `message`, anything else as a string.
 *
 * @example
 * ```ts
 * errorMessage(new Error('boom')); // 'boom'
 * errorMessage('bad');             // 'bad'
 * ```
 * @param error what was thrown.
 * @returns its message.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
