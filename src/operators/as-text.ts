import { Observable, type OperatorFunction } from 'rxjs';
import type { MqttMessage } from '../packets/mqtt-message.js';

/**
 * Maps each message to its payload decoded as UTF-8. Decoding is strict: a payload
 * that is not well-formed UTF-8 fails the stream with a `TypeError` naming the topic
 * (its `cause` is the decoder's error) rather than passing U+FFFD replacement
 * characters along. A leading byte order mark is dropped, as `TextDecoder` does.
 *
 * @example
 * ```ts
 * client.topic('chat/+').pipe(asText()).subscribe((line) => console.log(line));
 * ```
 * @returns an operator from messages to strings.
 */
export function asText(): OperatorFunction<MqttMessage, string> {
  return (source) =>
    new Observable<string>((subscriber) => {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      return source.subscribe({
        next(message) {
          let text: string;
          try {
            text = decoder.decode(message.payload);
          } catch (err) {
            subscriber.error(
              new TypeError(`payload of topic ${JSON.stringify(message.topic)} is not valid UTF-8`, { cause: err }),
            );
            return;
          }
          subscriber.next(text);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
