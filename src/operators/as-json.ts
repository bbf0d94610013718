import { Observable, type OperatorFunction } from 'rxjs';
import type { MqttMessage } from '../packets/mqtt-message.js';
import { errorMessage } from '../packets/error-message.js';

/**
 * Maps each message to its payload parsed as JSON (decoded as strict UTF-8 first).
 * A payload that is not JSON, or not UTF-8, fails the stream with a `SyntaxError`
 * whose message names the topic (its `cause` is the parser's or decoder's error).
 * The result is not checked against `T`: validate it if the publisher is untrusted.
 *
 * @example
 * ```ts
 * client.topic('sensors/+/reading').pipe(asJson<{ celsius: number }>()).subscribe((r) => console.log(r.celsius));
 * ```
 * @returns an operator from messages to parsed values.
 */
export function asJson<T = unknown>(): OperatorFunction<MqttMessage, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      return source.subscribe({
        next(message) {
          let value: T;
          try {
            value = JSON.parse(decoder.decode(message.payload)) as T;
          } catch (err) {
            const reason = errorMessage(err);
            subscriber.error(
              new SyntaxError(`payload of topic ${JSON.stringify(message.topic)} is not JSON: ${reason}`, {
                cause: err,
              }),
            );
            return;
          }
          subscriber.next(value);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
