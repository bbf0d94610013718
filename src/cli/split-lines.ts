import { Observable, type OperatorFunction } from 'rxjs';
import { concatBytes } from './concat-bytes.js';

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Chunks of bytes in, lines out (without `\n` or `\r\n`), whatever the chunk
 * boundaries; a last line without a newline is emitted when the input completes.
 *
 * @example
 * ```ts
 * of(bytes('a\nb'), bytes('c\n')).pipe(splitLines()); // 'a', 'bc' (as bytes)
 * ```
 * @returns the operator.
 */
export function splitLines(): OperatorFunction<Uint8Array, Uint8Array> {
  return (source) =>
    new Observable<Uint8Array>((subscriber) => {
      let carry: Uint8Array = new Uint8Array(0);
      const emit = (line: Uint8Array): void => {
        subscriber.next(line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, -1) : line);
      };
      return source.subscribe({
        next: (chunk) => {
          let start = 0;
          for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, start)) {
            const part = chunk.subarray(start, i);
            if (carry.length === 0) emit(part);
            else {
              emit(concatBytes([carry, part]));
              carry = new Uint8Array(0);
            }
            start = i + 1;
          }
          if (start < chunk.length) carry = concatBytes([carry, chunk.subarray(start)]);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (carry.length > 0) emit(carry);
          subscriber.complete();
        },
      });
    });
}
