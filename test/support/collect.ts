import { firstValueFrom, take, takeWhile, throwError, timeout, toArray, type Observable } from 'rxjs';

/** A rejection naming what was awaited. */
function late(what: string, ms: number): () => Observable<never> {
  return () => throwError(() => new Error(`${what} did not arrive within ${ms} ms`));
}

/**
 * Subscribes to `source` at once and resolves with its first `n` values; rejects
 * after `ms` (or when it completes or fails first).
 *
 * @example
 * ```ts
 * const three = collect(client.topic('a/#'), 3);
 * ```
 * @param source the stream.
 * @param n how many values.
 * @param ms how long to wait; default 10 s.
 * @returns the values, in order.
 */
export function collect<T>(source: Observable<T>, n: number, ms = 10_000): Promise<T[]> {
  return firstValueFrom(source.pipe(take(n), toArray(), timeout({ first: ms, with: late(`${n} values`, ms) })));
}

/**
 * Subscribes to `source` at once and resolves with every value before the first one
 * for which `last` holds (that one left out). A sentinel published after the messages
 * under test, on the same topic at the same QoS, so arrives after them (MQTT 4.6):
 * what came before it is everything that will come, with no waiting for duplicates.
 *
 * @param source the stream.
 * @param last true for the sentinel.
 * @param ms how long to wait for the sentinel; default 10 s.
 * @returns the values before the sentinel.
 */
export function collectUntil<T>(source: Observable<T>, last: (value: T) => boolean, ms = 10_000): Promise<T[]> {
  return firstValueFrom(
    source.pipe(
      takeWhile((value) => !last(value)),
      toArray(),
      timeout({ each: ms, with: late('the sentinel', ms) }),
    ),
  );
}
