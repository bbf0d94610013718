import { from, Observable, Subscription, throwError, type ObservableInput, type OperatorFunction } from 'rxjs';

/** Options of {@link bounded}. */
export interface BoundedOptions<T> {
  /** At most this many values wait while the consumer is busy (0 or more). */
  size: number;
  /** When the waiting line is full: drop the `'oldest'` waiting value, or the `'newest'` (arriving) one. */
  drop: 'oldest' | 'newest';
  /** How many `project` inner Observables run at once; default 1 (`concatMap`). */
  concurrency?: number;
  /** Called with each dropped value and the running count of drops. */
  onDrop?: (value: T, dropped: number) => void;
}

/**
 * `concatMap` (or `mergeMap` with `concurrency`) with a bounded waiting line: the way
 * to bound memory in front of a slow, asynchronous consumer of QoS 0 messages. RxJS
 * has no demand signal, so only the operator that runs the consumer knows it is busy;
 * that is why `bounded` takes the consumer (`project`) rather than sitting in front of
 * a `concatMap`, whose own buffer would grow without bound. At most `concurrency`
 * values are being consumed and `size` wait; beyond that the oldest waiting or the
 * newest arriving value is dropped and counted.
 *
 * @example
 * ```ts
 * client.topic('telemetry/#')
 *   .pipe(bounded((m) => save(m), { size: 100, drop: 'oldest', onDrop: (_, n) => (lost = n) }))
 *   .subscribe();
 * ```
 * @param project the consumer: maps a value to an Observable (or Promise) that completes when done.
 * @param options `size`, `drop`, `concurrency`, `onDrop`.
 * @returns an operator emitting what the inner Observables emit.
 */
export function bounded<T, R>(
  project: (value: T, index: number) => ObservableInput<R>,
  options: BoundedOptions<T>,
): OperatorFunction<T, R> {
  const { size, drop, onDrop } = options;
  const concurrency = options.concurrency ?? 1;
  const problem =
    !Number.isInteger(size) || size < 0
      ? new RangeError(`size must be an integer ≥ 0, not ${String(size)}`)
      : drop !== 'oldest' && drop !== 'newest'
        ? new TypeError(`drop must be 'oldest' or 'newest', not ${String(drop)}`)
        : !Number.isInteger(concurrency) || concurrency < 1
          ? new RangeError(`concurrency must be an integer ≥ 1, not ${String(concurrency)}`)
          : undefined;
  if (problem !== undefined) return () => throwError(() => problem);
  return (source) =>
    new Observable<R>((subscriber) => {
      const waiting: T[] = [];
      let active = 0;
      let index = 0;
      let dropped = 0;
      let done = false;

      const release = (): void => {
        active--;
        while (active < concurrency && waiting.length > 0 && !subscriber.closed) start(waiting.shift() as T);
        if (done && active === 0 && waiting.length === 0) subscriber.complete();
      };
      const start = (value: T): void => {
        active++;
        let input: ObservableInput<R>;
        try {
          input = project(value, index++);
        } catch (err) {
          subscriber.error(err);
          return;
        }
        const inner = new Subscription();
        subscriber.add(inner);
        inner.add(
          from(input).subscribe({
            next: (result) => subscriber.next(result),
            error: (err: unknown) => subscriber.error(err),
            complete: () => {
              inner.unsubscribe();
              subscriber.remove(inner);
              release();
            },
          }),
        );
      };

      subscriber.add(
        source.subscribe({
          next: (value) => {
            if (active < concurrency) {
              start(value);
              return;
            }
            if (waiting.length < size) {
              waiting.push(value);
              return;
            }
            dropped++;
            let lost = value;
            if (drop === 'oldest' && size > 0) {
              lost = waiting.shift() as T;
              waiting.push(value);
            }
            if (onDrop === undefined) return;
            try {
              onDrop(lost, dropped);
            } catch (err) {
              subscriber.error(err);
            }
          },
          error: (err: unknown) => subscriber.error(err),
          complete: () => {
            done = true;
            if (active === 0 && waiting.length === 0) subscriber.complete();
          },
        }),
      );
      return () => {
        waiting.length = 0;
      };
    });
}
